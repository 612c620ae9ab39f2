// The tasks engine.worker.js runs off the request thread. Each takes plain data (structured-clone safe) and
// returns plain data (or a promise of it); errors keep their code and details so the API answers as if the work ran inline.
import Database from 'better-sqlite3';
import { analyzeTable, validateTable, type AnalysisReport, type Problem } from '../engine/index.ts';
import { countOutcomes, replayLog, type ReplayRequest, type StatsRequest } from './log-replay.ts';
import { countOutcomesPostgres, replayLogPostgres } from './log-replay-postgres.ts';

/** A read-only connection of its own for one task: the log is read in a snapshot while the writer goes on. */
function withDatabase<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export interface CheckResult {
  problems: Problem[];
  /** The static analysis, when asked for and the table is valid. */
  analysis?: AnalysisReport;
  ms: number;
}

type Task = (payload: never) => unknown;

/** A step of the compiler as one number: rule n is n + 1, the analysis -1 (decoded by `decodeStep`). */
function encodeStep(path: string): number {
  return path === '/analysis' ? -1 : path.startsWith('/rules/') ? Number(path.slice(7)) + 1 : 0;
}

export function decodeStep(n: number): string {
  return n === -1 ? '/analysis' : n > 0 ? `/rules/${n - 1}` : '';
}

const TASKS: Record<string, Task> = {
  /** Every problem of a table (what saving checks). */
  check(payload: { table: unknown; analyse?: boolean; at?: Int32Array }): CheckResult {
    const started = performance.now();
    // Where the compiler is, in memory shared with the parent: if it stops this thread, it can name the rule.
    const at = payload.at;
    const onStep = at ? (path: string) => Atomics.store(at, 0, encodeStep(path)) : undefined;
    const problems = validateTable(payload.table, onStep ? { onStep } : {});
    if (payload.analyse && problems.length === 0) onStep?.('/analysis');
    const analysis = payload.analyse && problems.length === 0 ? analyzeTable(payload.table as never) : undefined;
    return { problems, ...(analysis ? { analysis } : {}), ms: performance.now() - started };
  },
  /** Impact analysis: every logged evaluation of the period decided again by the draft. */
  replay(payload: { file: string; req: ReplayRequest }) {
    return withDatabase(payload.file, (db) => replayLog(db, payload.req));
  },
  /** Outcome statistics over the log. */
  stats(payload: { file: string; req: StatsRequest }) {
    return withDatabase(payload.file, (db) => countOutcomes(db, payload.req));
  },
  /** The same two on PostgreSQL: a connection of the task's own, the rows paged from a cursor (a promise). */
  'replay-postgres'(payload: { url: string; req: ReplayRequest }) {
    return replayLogPostgres(payload.url, payload.req);
  },
  'stats-postgres'(payload: { url: string; req: StatsRequest }) {
    return countOutcomesPostgres(payload.url, payload.req);
  },
};

export function runTask(name: string, payload: unknown): unknown {
  const task = Object.hasOwn(TASKS, name) ? TASKS[name] : undefined;
  if (!task) throw new Error(`unknown worker task '${name}'`);
  return task(payload as never);
}
