// The evaluation log of a Store on PostgreSQL (Store.open(url), a throwaway cluster): EvaluationLog's promises with
// its PostgreSQL writer thread (rows committed, `sync` answers only after the commit, close() flushes), retention
// through the log dropping whole partitions, and impact and stats through the API's functions (draftImpact,
// outcomeStats) giving the same answers on a SQLite store and a PostgreSQL store holding the same log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES, TABLE } from '../../bench/cases.ts';
import { compileTable } from '../../server/engine/index.ts';
import { EngineWorker } from '../../server/store/engine-worker.ts';
import { EvaluationLog } from '../../server/store/eval-log.ts';
import { Evaluator } from '../../server/store/evaluation.ts';
import { importFiles } from '../../server/store/files.ts';
import { draftImpact, outcomeStats } from '../../server/store/impact.ts';
import type { EvaluationLogRow } from '../../server/store/records.ts';
import { Store } from '../../server/store/store.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { freshDatabase, TEST_AUDIT_KEY } from './databases.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let cluster: Cluster;
let dir: string;
let key: string | undefined;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  key = process.env.BESLIS_AUDIT_KEY;
  process.env.BESLIS_AUDIT_KEY = TEST_AUDIT_KEY;
  cluster = await startCluster();
  dir = mkdtempSync(join(tmpdir(), 'beslis-pglogstore-'));
}, 60_000);

afterAll(async () => {
  for (const c of closers.reverse()) await c().catch(() => {});
  cluster?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (key === undefined) delete process.env.BESLIS_AUDIT_KEY;
  else process.env.BESLIS_AUDIT_KEY = key;
});

async function openPostgres(): Promise<{ store: Store; url: string; count: (where?: string) => Promise<number>; partitions: () => Promise<string[]> }> {
  const url = await freshDatabase(cluster.url);
  const store = await Store.open(url);
  closers.push(() => store.close());
  // Another connection, as another node or an operator sees the database.
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  closers.push(() => client.end());
  return {
    store,
    url,
    count: async (where = 'TRUE') => Number((await client.query(`SELECT COUNT(*) AS n FROM evaluation_log WHERE ${where}`)).rows[0].n),
    partitions: async () =>
      (await client.query<{ relname: string }>(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'evaluation_log'::regclass ORDER BY 1`)).rows.map((r) => r.relname),
  };
}

const row = (evaluatedAt: string, n = 0): EvaluationLogRow => ({
  tableId: 'x.y',
  version: 1,
  hash: 'h',
  input: { n },
  output: { ok: n % 2 === 0 },
  matched: ['r1'],
  caseDate: null,
  asOf: null,
  caller: 'test',
  evaluatedAt,
});

describe('EvaluationLog on a PostgreSQL store', () => {
  it('commits what it records through its own writer thread, in chunks, and close() flushes the rest', async () => {
    const { store, count } = await openPostgres();
    const log = new EvaluationLog(store, { retentionDays: 0 });
    const now = new Date().toISOString();
    for (let i = 0; i < 1_234; i++) log.record(row(now, i));
    await log.flush();
    expect(await count()).toBe(1_234);
    expect(log.written).toBe(1_234);
    expect(log.pendingRows).toBe(0);
    for (let i = 0; i < 7; i++) log.record(row(now, i));
    await log.close();
    expect(await count()).toBe(1_241);
    expect(log.failed).toBe(0);
  });

  it('with sync durability an answer goes only once its row is committed', async () => {
    const { store, count } = await openPostgres();
    const log = new EvaluationLog(store, { retentionDays: 0, durability: 'sync' });
    try {
      for (let i = 1; i <= 5; i++) {
        log.record(row(new Date().toISOString(), i));
        await log.beforeAnswer();
        expect(await count()).toBe(i);
      }
    } finally {
      await log.close();
    }
  });

  it('retention drops the partitions of months wholly past it and deletes only inside the boundary month', async () => {
    const { store, count, partitions } = await openPostgres();
    const day = 86_400_000;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * day).toISOString();
    // Inline writes (Store.insertEvaluationLog) make the partitions of old months too.
    await store.insertEvaluationLog([row(at(200), 1), row(at(130), 2), row(at(95), 3), row(at(88), 4), row(at(1), 5)]);
    const old = [200, 130].map((d) => `evaluation_log_${at(d).slice(0, 7).replace('-', '_')}`);
    expect(await partitions()).toEqual(expect.arrayContaining(old));
    const log = new EvaluationLog(store, { retentionDays: 90, purgeIntervalMs: 3_600_000 });
    try {
      await log.flush();
      // The purge at start is under way; one more is the same (nothing left to purge after the first).
      await log.purge();
      expect(await count()).toBe(2);
      expect(await count(`evaluated_at < '${at(90)}'`)).toBe(0);
      const left = await partitions();
      for (const p of old) expect(left).not.toContain(p);
      // The boundary month stays (with its rows after the boundary, if the 88-days-ago row falls in it).
      expect(left).toContain(`evaluation_log_${at(90).slice(0, 7).replace('-', '_')}`);
    } finally {
      await log.close();
    }
  });
});

describe('impact and stats: the same answers on SQLite and PostgreSQL', () => {
  it('draftImpact and outcomeStats over the same log agree, inline and in the engine worker', async () => {
    const sqlite = await Store.open(join(dir, 'same.db'));
    closers.push(() => sqlite.close());
    const { store: postgres } = await openPostgres();
    const worker = new EngineWorker();
    closers.push(() => worker.close());
    for (const store of [sqlite, postgres]) await importFiles(store, ROOT, 'test', { skipInvalid: true });
    const newest = sqlite.newestVersion(TABLE)!;
    const compiled = compileTable(newest.table);
    const start = Date.parse('2026-01-10T00:00:00.000Z');
    const rows: EvaluationLogRow[] = Array.from({ length: 3_000 }, (_, i) => {
      const input = CASES[i % CASES.length]!;
      const r = compiled.evaluate(input);
      return { tableId: TABLE, version: newest.version, hash: newest.hash, input, output: r.output, matched: r.matched, caseDate: null, asOf: null, caller: 'test', evaluatedAt: new Date(start + i * 3_600_000).toISOString() };
    });
    const draft = structuredClone(newest.table);
    draft.rules[0]!.then = { ...draft.rules[0]!.then, kwadrant: '4' };
    const { version: _v, validFrom: _f, ...table } = draft;
    for (const store of [sqlite, postgres]) {
      await store.insertEvaluationLog(rows);
      await store.saveDraft(TABLE, table as typeof draft, 0, 'test');
    }
    const period = { from: '2026-01-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z' };
    const impact = async (store: Store, w: EngineWorker | null) => {
      const { ms: _ms, ...report } = await draftImpact(store, new Evaluator(store), TABLE, period, { worker: w });
      return report;
    };
    const expected = await impact(sqlite, worker);
    expect(expected.evaluated).toBe(3_000);
    expect(expected.changed).toBeGreaterThan(0);
    expect(await impact(postgres, worker)).toEqual(expected);
    expect(await impact(postgres, null)).toEqual(expected);
    for (const by of ['day', 'month'] as const) {
      const stats = await outcomeStats(sqlite, TABLE, period, by, 'kwadrant', worker);
      expect(stats.total).toBe(3_000);
      expect(await outcomeStats(postgres, TABLE, period, by, 'kwadrant', worker)).toEqual(stats);
      expect(await outcomeStats(postgres, TABLE, period, by, 'kwadrant', null)).toEqual(stats);
    }
  }, 60_000);
});
