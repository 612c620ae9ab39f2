// The evaluation log on PostgreSQL (issue 21), on a throwaway loopback cluster (test/pg/cluster.ts):
//   1. insert rate, rows/s, PostgreSQL against SQLite in the same process, rounds interleaved: the writers as the
//      log runs them (a chunk of 500 per statement/transaction), PostgreSQL's one-statement unnest against a
//      multi-row VALUES of the same chunk, and the whole EvaluationLog (record → writer thread → commit) on both;
//   2. impact over 10,000,000 logged rows on PostgreSQL (made by INSERT … SELECT generate_series, not through the
//      API) through draftImpact in the engine worker as the server runs it — time and peak resident memory — and
//      the outcome stats over the same rows.
// Run: npm run bench -- pglog [--quick] [--write]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { compileTable } from '../server/engine/index.ts';
import { EngineWorker } from '../server/store/engine-worker.ts';
import { PostgresLogWriter } from '../server/store/eval-log-postgres.js';
import { EvaluationLog } from '../server/store/eval-log.ts';
import { Evaluator } from '../server/store/evaluation.ts';
import { importFiles } from '../server/store/files.ts';
import { draftImpact, outcomeStats } from '../server/store/impact.ts';
import type { EvaluationLogRow } from '../server/store/records.ts';
import { Store } from '../server/store/store.ts';
import { startCluster } from '../test/pg/cluster.ts';
import { CASES, TABLE } from './cases.ts';
import { ROOT } from './children.ts';
import { loadLine, machineLine, median } from './measure.ts';
import { writeFigures } from './readme.ts';

const CHUNK = 500;
const KEY = 'bench-audit-key-0123456789abcdef0123456789';

function decidedRows(store: Store, n: number): EvaluationLogRow[] {
  const newest = store.newestVersion(TABLE)!;
  const compiled = compileTable(newest.table);
  const decided = CASES.map((input) => ({ input, ...compiled.evaluate(input) }));
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => {
    const d = decided[i % decided.length]!;
    return { tableId: TABLE, version: newest.version, hash: newest.hash, input: d.input, output: d.output, matched: d.matched, caseDate: null, asOf: null, caller: 'bench', evaluatedAt: new Date(now - (n - i)).toISOString() };
  });
}

async function rate(rows: number, fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (rows * 1000) / (performance.now() - t0);
}

/** The alternative to unnest: one INSERT … VALUES (…), (…), … of the chunk, ten parameters a row. */
async function valuesInsert(client: pg.Client, rows: EvaluationLogRow[]): Promise<void> {
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (const r of rows) {
    const b = params.length;
    tuples.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7}, $${b + 8}, $${b + 9}, $${b + 10})`);
    params.push(r.tableId, r.version, r.hash, JSON.stringify(r.input), r.output === undefined ? null : JSON.stringify(r.output), JSON.stringify(r.matched), r.caseDate, r.asOf, r.caller, r.evaluatedAt);
  }
  await client.query(`INSERT INTO evaluation_log (table_id, version, hash, input, output, matched, case_date, as_of, caller, evaluated_at) VALUES ${tuples.join(', ')}`, params);
}

async function throughLog(store: Store, rows: EvaluationLogRow[]): Promise<void> {
  const log = new EvaluationLog(store, { retentionDays: 0 });
  for (let i = 0; i < rows.length; i++) {
    log.record(rows[i]!);
    if (i % 500 === 499) await new Promise<void>((r) => setImmediate(r));
  }
  await log.close();
  if (log.failed > 0) throw new Error(`${log.failed} rows lost`);
}

function rssSampler(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    stop() {
      clearInterval(t);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

export async function run(opts: { quick: boolean; write?: boolean }): Promise<void> {
  const insertRows = opts.quick ? 20_000 : 100_000;
  const rounds = opts.quick ? 2 : 3;
  const logRows = opts.quick ? 1_000_000 : 10_000_000;
  console.log(`evaluation log on PostgreSQL — ${machineLine()}, load ${loadLine()}`);
  const previousKey = process.env.BESLIS_AUDIT_KEY;
  process.env.BESLIS_AUDIT_KEY = KEY;
  const dir = mkdtempSync(join(tmpdir(), 'beslis-bench-pglog-'));
  const cluster = await startCluster();
  const closers: (() => Promise<void>)[] = [];
  try {
    const pgStore = await Store.open(cluster.url);
    closers.push(() => pgStore.close());
    const sqliteStore = await Store.open(join(dir, 'log.db'));
    closers.push(() => sqliteStore.close());
    for (const s of [pgStore, sqliteStore]) await importFiles(s, ROOT, 'bench', { skipInvalid: true });
    const rows = decidedRows(sqliteStore, insertRows);
    const chunks: EvaluationLogRow[][] = [];
    for (let i = 0; i < rows.length; i += CHUNK) chunks.push(rows.slice(i, i + CHUNK));

    // ---- 1. insert rate ----
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    closers.push(() => client.end());
    await client.query('SET synchronous_commit = off'); // as the log's writer connection (async durability)
    const writer = new PostgresLogWriter(cluster.url);
    closers.push(() => writer.close());
    const figures: Record<string, number[]> = { sqlite: [], sqliteLog: [], unnest: [], values: [], pgLog: [] };
    for (let r = 0; r < rounds; r++) {
      figures.sqlite!.push(await rate(rows.length, async () => {
        for (const c of chunks) await sqliteStore.insertEvaluationLog(c);
      }));
      figures.unnest!.push(await rate(rows.length, async () => {
        for (const c of chunks) await writer.write(c);
      }));
      figures.values!.push(await rate(rows.length, async () => {
        for (const c of chunks) await valuesInsert(client, c);
      }));
      figures.sqliteLog!.push(await rate(rows.length, () => throughLog(sqliteStore, rows)));
      figures.pgLog!.push(await rate(rows.length, () => throughLog(pgStore, rows)));
    }
    const m = (k: string) => Math.round(median(figures[k]!));
    console.log(`  insert, chunks of ${CHUNK}: SQLite ${m('sqlite')} rows/s; PostgreSQL unnest ${m('unnest')} rows/s, multi-row VALUES ${m('values')} rows/s`);
    console.log(`  through EvaluationLog (writer thread): SQLite ${m('sqliteLog')} rows/s, PostgreSQL ${m('pgLog')} rows/s`);

    // ---- 2. impact over many rows ----
    await client.query('TRUNCATE evaluation_log');
    const newest = pgStore.newestVersion(TABLE)!;
    const compiled = compileTable(newest.table);
    const decided = CASES.map((input) => {
      const d = compiled.evaluate(input);
      return [JSON.stringify(input), JSON.stringify(d.output), JSON.stringify(d.matched)];
    });
    const days = 300;
    const end = Date.now();
    const start = end - days * 86_400_000;
    const step = (days * 86_400_000) / logRows;
    const months: string[] = [];
    for (let t = start; t <= end + 31 * 86_400_000; t += 86_400_000) {
      const mo = new Date(t).toISOString().slice(0, 7);
      if (!months.includes(mo)) months.push(mo);
    }
    await client.query('SELECT beslis_log_partitions($1::text[])', [months]);
    const g0 = performance.now();
    const per = 1_000_000;
    for (let from = 0; from < logRows; from += per) {
      await client.query(
        `WITH c AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS c(input, output, matched, k))
         INSERT INTO evaluation_log (table_id, version, hash, input, output, matched, case_date, as_of, caller, evaluated_at)
         SELECT $4, $5, $6, c.input, c.output, c.matched, NULL, NULL, 'bench',
                to_char(to_timestamp(($7::float8 + g * $8::float8) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
         FROM generate_series($9::bigint, $10::bigint) g JOIN c ON c.k = g % $11 + 1`,
        [decided.map((d) => d[0]), decided.map((d) => d[1]), decided.map((d) => d[2]), TABLE, newest.version, newest.hash, start, step, from, Math.min(logRows, from + per) - 1, decided.length],
      );
      process.stdout.write(`\r  generated ${(Math.min(logRows, from + per) / 1e6).toFixed(0)}M rows`);
    }
    await client.query('VACUUM ANALYZE evaluation_log');
    const generateS = (performance.now() - g0) / 1000;
    const size = (await client.query("SELECT pg_size_pretty(pg_total_relation_size('evaluation_log')) AS s, (SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'evaluation_log'::regclass) AS parts")).rows[0] as { s: string; parts: string };
    const sizeRow = (await client.query("SELECT pg_size_pretty(SUM(pg_total_relation_size(inhrelid))) AS s FROM pg_inherits WHERE inhparent = 'evaluation_log'::regclass")).rows[0] as { s: string };
    console.log(`\n  ${logRows.toLocaleString('en')} rows generated in ${generateS.toFixed(0)} s over ${size.parts} partitions, ${sizeRow.s} with indexes`);

    const draft = structuredClone(newest.table);
    const { version: _v, validFrom: _f, ...table } = draft;
    table.rules[0]!.then = { ...table.rules[0]!.then, kwadrant: '4' };
    await pgStore.saveDraft(TABLE, table as typeof draft, 0, 'bench');
    const worker = new EngineWorker({ maxOldGenerationSizeMb: 1024 }, 10);
    closers.push(() => worker.close());
    worker.warm();
    const period = { from: new Date(start - 86_400_000).toISOString(), to: new Date(end + 86_400_000).toISOString() };
    const rss0 = process.memoryUsage().rss;
    const sampler = rssSampler();
    const t0 = performance.now();
    const report = await draftImpact(pgStore, new Evaluator(pgStore), TABLE, period, { worker });
    const impactS = (performance.now() - t0) / 1000;
    const peak = sampler.stop();
    if (report.evaluated !== logRows || report.changed === 0) throw new Error(`impact replayed ${report.evaluated} of ${logRows}, changed ${report.changed}`);
    console.log(`  impact over ${logRows.toLocaleString('en')} rows in the engine worker: ${impactS.toFixed(1)} s (${((impactS * 1e6) / logRows).toFixed(2)} µs/row), ${report.changed.toLocaleString('en')} changed; process peak RSS ${(peak / 1e6).toFixed(0)} MB (${((peak - rss0) / 1e6).toFixed(0)} MB above before)`);

    // A month of it: what partition pruning gives a period that covers one partition.
    const monthFrom = new Date(end - 45 * 86_400_000).toISOString().slice(0, 7);
    const monthPeriod = { from: `${monthFrom}-01T00:00:00.000Z`, to: `${monthFrom}-28T23:59:59.999Z` };
    const t1 = performance.now();
    const monthReport = await draftImpact(pgStore, new Evaluator(pgStore), TABLE, monthPeriod, { worker });
    const monthS = (performance.now() - t1) / 1000;
    console.log(`  impact over one month (${monthReport.evaluated.toLocaleString('en')} rows): ${monthS.toFixed(1)} s`);

    const s0 = performance.now();
    const stats = await outcomeStats(pgStore, TABLE, period, 'month', 'kwadrant', worker);
    const statsS = (performance.now() - s0) / 1000;
    if (stats.total !== logRows) throw new Error(`stats counted ${stats.total} of ${logRows}`);
    console.log(`  outcome stats per month over ${logRows.toLocaleString('en')} rows: ${statsS.toFixed(1)} s`);

    if (opts.write) {
      writeFigures(
        'pglog',
        [
          `Machine: ${machineLine()}; load average at the start ${loadLine()}. PostgreSQL ${(await client.query('SHOW server_version')).rows[0].server_version} on loopback, a throwaway cluster (test/pg/cluster.ts: fsync off, shared_buffers 32 MB), beside this process on the same 2 cores.`,
          '',
          `| insert rate, ${insertRows.toLocaleString('en')} rows of ${TABLE}, median of ${rounds} rounds | rows/s |`,
          '|---|---:|',
          `| SQLite: Store.insertEvaluationLog, one transaction per ${CHUNK} rows (the writer thread's statement) | ${m('sqlite')} |`,
          `| PostgreSQL: PostgresLogWriter, one INSERT … SELECT FROM unnest per ${CHUNK} rows | ${m('unnest')} |`,
          `| PostgreSQL: the same chunks as multi-row INSERT … VALUES (10 parameters a row) | ${m('values')} |`,
          '| SQLite: through EvaluationLog (record → writer thread → commit) | ' + m('sqliteLog') + ' |',
          '| PostgreSQL: through EvaluationLog (record → writer thread → commit) | ' + m('pgLog') + ' |',
          '',
          `| over ${logRows.toLocaleString('en')} logged rows on PostgreSQL (${size.parts} monthly partitions, ${sizeRow.s}) | time | memory |`,
          '|---|---:|---:|',
          `| generated by INSERT … SELECT generate_series (1,000,000 a statement) + VACUUM ANALYZE | ${generateS.toFixed(0)} s | |`,
          `| draftImpact, all ${logRows.toLocaleString('en')} rows, in the engine worker (cursor pages of 5,000) | ${impactS.toFixed(1)} s (${((impactS * 1e6) / logRows).toFixed(2)} µs/row) | process peak RSS ${(peak / 1e6).toFixed(0)} MB (+${((peak - rss0) / 1e6).toFixed(0)} MB) |`,
          `| draftImpact, one month (${monthReport.evaluated.toLocaleString('en')} rows, one partition read) | ${monthS.toFixed(1)} s | |`,
          `| outcomeStats per month, all rows | ${statsS.toFixed(1)} s | |`,
        ].join('\n'),
      );
    }
  } finally {
    for (const c of closers.reverse()) await c().catch(() => {});
    cluster.stop();
    rmSync(dir, { recursive: true, force: true });
    if (previousKey === undefined) delete process.env.BESLIS_AUDIT_KEY;
    else process.env.BESLIS_AUDIT_KEY = previousKey;
  }
}
