// Impact and stats on PostgreSQL give the answers SQLite gives: the same 12,000 logged evaluations (more than two
// cursor pages, over eight months, three versions, rows too large to have been logged, cases the draft refuses) in a
// SQLite store and in a partitioned PostgreSQL log, replayed against the same draft and counted by day, month and
// year, inline and in the engine worker thread (its own connection, as the server runs it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTable } from '../../server/engine/index.ts';
import type { DecisionTable } from '../../server/engine/types.ts';
import { EngineWorker } from '../../server/store/engine-worker.ts';
import { PARTITIONED_EVALUATION_LOG, UNPARTITIONED_EVALUATION_LOG_FOR_TESTS } from '../../server/store/eval-log-postgres-schema.ts';
import { PostgresLogWriter } from '../../server/store/eval-log-postgres.js';
import { importFiles } from '../../server/store/files.ts';
import { countOutcomes, replayLog, type ReplayRequest, type StatsRequest } from '../../server/store/log-replay.ts';
import { countOutcomesPostgres, REPLAY_PAGE_ROWS, replayLogPostgres } from '../../server/store/log-replay-postgres.ts';
import type { EvaluationLogRow } from '../../server/store/records.ts';
import { PostgresSql } from '../../server/store/sql-postgres.ts';
import { Store } from '../../server/store/store.ts';
import { CASES, TABLE } from '../../bench/cases.ts';
import { startCluster, type Cluster } from './cluster.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ROWS = 12_000;

describe('impact and stats on PostgreSQL and SQLite', () => {
  let cluster: Cluster;
  let dir: string;
  let store: Store;
  let draft: DecisionTable;
  let worker: EngineWorker;
  const period = { from: '2025-11-01T00:00:00.000Z', to: '2026-06-15T12:00:00.000Z' };

  beforeAll(async () => {
    cluster = await startCluster();
    dir = mkdtempSync(join(tmpdir(), 'beslis-pgreplay-'));
    store = await Store.open(join(dir, 'log.db'));
    await importFiles(store, ROOT, 'test', { skipInvalid: true });
    const newest = store.newestVersion(TABLE)!;
    const compiled = compileTable(newest.table);
    const rows: EvaluationLogRow[] = [];
    const start = Date.parse('2025-10-20T00:00:00.000Z');
    for (let i = 0; i < ROWS; i++) {
      const input: Record<string, unknown> = i % 997 === 0 ? { gedrag: 'Z', gevolgen: 9 } : CASES[i % CASES.length]!;
      let output: unknown;
      let matched: string[] = [];
      try {
        const r = compiled.evaluate(input);
        output = r.output;
        matched = r.matched;
      } catch {
        output = { error: { code: 'NO_MATCH' } };
      }
      const omitted = i % 1009 === 0;
      rows.push({
        tableId: TABLE,
        version: 1 + (i % 3),
        hash: 'h',
        input: omitted ? { $omitted: 70_000 } : input,
        output,
        matched,
        caseDate: i % 2 ? '2026-01-01' : null,
        asOf: null,
        caller: 'test',
        // ~20 minutes apart: from late October 2025 to June 2026, across summer time and a year.
        evaluatedAt: new Date(start + i * 1_730_000).toISOString(),
      });
    }
    await store.insertEvaluationLog(rows);

    const sql = new PostgresSql(cluster.url, { max: 2 });
    try {
      await sql.run(UNPARTITIONED_EVALUATION_LOG_FOR_TESTS);
      await sql.run(PARTITIONED_EVALUATION_LOG);
    } finally {
      await sql.close();
    }
    const writer = new PostgresLogWriter(cluster.url);
    try {
      for (let i = 0; i < rows.length; i += 500) await writer.write(rows.slice(i, i + 500));
    } finally {
      await writer.close();
    }

    const t = structuredClone(newest.table);
    t.rules[0]!.then = { ...t.rules[0]!.then, kwadrant: '4' };
    draft = t;
    worker = new EngineWorker();
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
    await store?.close();
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('replays the period to the same counts, groups and examples, over several cursor pages', async () => {
    const req: ReplayRequest = { tableId: TABLE, period, table: draft, examples: 3 };
    const sqlite = replayLog(store.db, req);
    expect(sqlite.evaluated).toBeGreaterThan(2 * REPLAY_PAGE_ROWS);
    expect(sqlite.evaluated).toBeLessThan(ROWS);
    expect(sqlite.changed).toBeGreaterThan(0);
    expect(sqlite.skipped).toBeGreaterThan(0);
    expect(Object.keys(sqlite.byVersion)).toEqual(['1', '2', '3']);
    expect(await replayLogPostgres(cluster.url, req)).toEqual(sqlite);
    expect(await worker.run('replay-postgres', { url: cluster.url, req })).toEqual(sqlite);
    // Every row decided afresh (no memo) comes to the same.
    expect(await replayLogPostgres(cluster.url, { ...req, memo: 0 })).toEqual(sqlite);
  });

  it('counts outcomes per day, month and year (in Amsterdam) and per output field as SQLite does', async () => {
    for (const by of ['day', 'month', 'year'] as const) {
      const req: StatsRequest = { tableId: TABLE, period, by, ...(by === 'month' ? { output: 'kwadrant' } : {}) };
      const sqlite = countOutcomes(store.db, req);
      expect(sqlite.total).toBeGreaterThan(2 * REPLAY_PAGE_ROWS);
      expect(await countOutcomesPostgres(cluster.url, req)).toEqual(sqlite);
      expect(await worker.run('stats-postgres', { url: cluster.url, req })).toEqual(sqlite);
    }
  });

  it('an unknown table or an empty period gives the empty answer on both', async () => {
    const req: ReplayRequest = { tableId: 'nope.nope', period, table: draft, examples: 3 };
    const empty = replayLog(store.db, req);
    expect(empty.evaluated).toBe(0);
    expect(await replayLogPostgres(cluster.url, req)).toEqual(empty);
    const stats: StatsRequest = { tableId: TABLE, period: { from: '2030-01-01T00:00:00.000Z', to: '2030-02-01T00:00:00.000Z' }, by: 'month' };
    expect(await countOutcomesPostgres(cluster.url, stats)).toEqual(countOutcomes(store.db, stats));
  });
});
