// Impact and stats over the evaluation log on PostgreSQL: the same Replay and OutcomeCounter as on SQLite
// (./log-replay.ts), fed from a server-side cursor in pages, on a connection of their own, in one read-only snapshot
// (REPEATABLE READ: the rows a replay counts do not change under it while the writer goes on). Only a page of rows is
// in memory at a time, whatever the period holds. Runs in the engine worker thread (worker-tasks.ts), so the request
// thread never decides the rows; without a worker each page is awaited, so the request thread still answers between pages.
import pg from 'pg';
import { REPLAY_ROWS_SQL, Replay, STATS_HOURS_SQL, OutcomeCounter, type ReplayRequest, type ReplayResult, type Row, type StatsReport, type StatsRequest } from './log-replay.ts';
import { numberPlaceholders } from './sql-postgres.ts';

/** The connection URL of a store on PostgreSQL, or null for SQLite (the log writer and the replay open their own). */
export function postgresUrlOf(store: { readonly sql: { readonly dialect: string }; readonly file: string }): string | null {
  return store.sql.dialect === 'postgres' ? store.file : null;
}

/** Rows fetched from the cursor at a time. */
export const REPLAY_PAGE_ROWS = 5_000;

const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** Runs `fn` on a fresh connection in a read-only snapshot, with `sql` (and its parameters) open as cursor `log`. */
async function withCursor<T>(url: string, sql: string, params: unknown[], fn: (fetch: (rowMode: 'array' | 'object') => Promise<unknown[]>) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, types, application_name: 'beslis log replay' });
  client.on('error', () => {
    // The query under way answers the error.
  });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`DECLARE log NO SCROLL CURSOR FOR ${numberPlaceholders(sql)}`, params);
    const result = await fn(async (rowMode) => (await client.query({ text: `FETCH ${REPLAY_PAGE_ROWS} FROM log`, ...(rowMode === 'array' ? { rowMode } : {}) })).rows);
    await client.query('COMMIT');
    return result;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Decides every logged evaluation of the period again with the draft, paging the rows out of PostgreSQL. */
export function replayLogPostgres(url: string, req: ReplayRequest): Promise<ReplayResult> {
  const replay = new Replay(req);
  return withCursor(url, REPLAY_ROWS_SQL, [req.tableId, req.period.from, req.period.to], async (fetch) => {
    for (;;) {
      const rows = (await fetch('array')) as Row[];
      for (const row of rows) replay.add(row);
      if (rows.length < REPLAY_PAGE_ROWS) return replay.result();
    }
  });
}

/** Outcome counts per day, month or year, counted by PostgreSQL per hour and folded here. */
export function countOutcomesPostgres(url: string, req: StatsRequest): Promise<StatsReport> {
  const counter = new OutcomeCounter(req);
  return withCursor(url, STATS_HOURS_SQL, [req.tableId, req.period.from, req.period.to], async (fetch) => {
    for (;;) {
      const rows = (await fetch('object')) as { hour: string; output: string | null; n: number }[];
      for (const h of rows) counter.add(h);
      if (rows.length < REPLAY_PAGE_ROWS) return counter.report();
    }
  });
}
