// The evaluation log on PostgreSQL, on a real throwaway cluster (./cluster.ts): the monthly partitions (the
// migration keeps the rows there were, the writer makes the months it needs), the writer's rows as SQLite writes
// them, and retention by dropping whole partitions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARTITIONED_EVALUATION_LOG, UNPARTITIONED_EVALUATION_LOG_FOR_TESTS } from '../../server/store/eval-log-postgres-schema.ts';
import { PostgresLogWriter } from '../../server/store/eval-log-postgres.js';
import type { EvaluationLogRow } from '../../server/store/records.ts';
import { PostgresSql } from '../../server/store/sql-postgres.ts';
import { Store } from '../../server/store/store.ts';
import { startCluster, type Cluster } from './cluster.ts';

function row(evaluatedAt: string, n: number, extra: Partial<EvaluationLogRow> = {}): EvaluationLogRow {
  return {
    tableId: 't.one',
    version: 1 + (n % 3),
    hash: `h${n}`,
    input: { leeftijd: n, naam: `x "${n}" \\ é` },
    output: n % 5 === 0 ? null : { uitkomst: n % 2 === 0 ? 'ja' : 'nee' },
    matched: [`r${n % 4}`],
    caseDate: n % 2 ? '2026-01-01' : null,
    asOf: null,
    caller: n % 7 ? 'api' : null,
    evaluatedAt,
    ...extra,
  };
}

const COLUMNS = 'id, table_id, version, hash, input, output, matched, case_date, as_of, caller, evaluated_at';

describe('evaluation log on PostgreSQL', () => {
  let cluster: Cluster;
  let sql: PostgresSql;
  let dir: string;

  const partitions = async () =>
    (await sql.all<{ relname: string }>(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'evaluation_log'::regclass ORDER BY 1`)).map((r) => r.relname);

  beforeAll(async () => {
    cluster = await startCluster();
    sql = new PostgresSql(cluster.url, { max: 4 });
    dir = mkdtempSync(join(tmpdir(), 'beslis-pglog-'));
  }, 60_000);

  afterAll(async () => {
    await sql?.close();
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the migration makes the log partitioned by month, keeping the rows and ids it had, and new ids follow them', async () => {
    await sql.run(UNPARTITIONED_EVALUATION_LOG_FOR_TESTS);
    await sql.run(
      `INSERT INTO evaluation_log (table_id, version, hash, input, output, matched, evaluated_at) VALUES
       ('t.one', 1, 'h', '{"a":1}', '"x"', '["r1"]', '2025-03-31T23:59:59.999Z'),
       ('t.one', 1, 'h', '{"a":2}', '"y"', '["r2"]', '2025-04-01T00:00:00.000Z'),
       ('t.two', 2, 'h', '{"a":3}', NULL, '[]', '2025-04-15T12:00:00.000Z')`,
    );
    const before = await sql.all(`SELECT ${COLUMNS} FROM evaluation_log ORDER BY id`);
    await sql.run(PARTITIONED_EVALUATION_LOG);
    expect(await sql.all(`SELECT ${COLUMNS} FROM evaluation_log ORDER BY id`)).toEqual(before);
    const now = new Date();
    const month = (d: Date) => `evaluation_log_${d.toISOString().slice(0, 7).replace('-', '_')}`;
    const next = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    expect(await partitions()).toEqual(['evaluation_log_2025_03', 'evaluation_log_2025_04', month(now), month(next)]);
    // The rows sit in the partition of their month (the last millisecond of March in March).
    expect(await sql.all('SELECT tableoid::regclass::text AS part, COUNT(*) AS n FROM evaluation_log GROUP BY 1 ORDER BY 1')).toEqual([
      { part: 'evaluation_log_2025_03', n: 1 },
      { part: 'evaluation_log_2025_04', n: 2 },
    ]);
    const id = await sql.insert(`INSERT INTO evaluation_log (table_id, version, hash, input, matched, evaluated_at) VALUES ('t.one', 1, 'h', '{}', '[]', '2025-04-20T00:00:00Z')`);
    expect(id).toBe(4);
    await sql.run('DELETE FROM evaluation_log WHERE id = 4');
  });

  it('writes a chunk as SQLite writes it (same texts, nulls and order), making the partitions of its months and the month after', async () => {
    const rows = [row('2025-06-30T23:00:00.000Z', 1), row('2025-07-01T00:00:00.000Z', 2), ...Array.from({ length: 998 }, (_, i) => row(`2025-07-${String(2 + (i % 20)).padStart(2, '0')}T10:00:00.000Z`, i + 3))];
    const writer = new PostgresLogWriter(cluster.url);
    try {
      expect(await writer.write(rows)).toBe(1000);
    } finally {
      await writer.close();
    }
    const parts = await partitions();
    expect(parts).toEqual(expect.arrayContaining(['evaluation_log_2025_06', 'evaluation_log_2025_07', 'evaluation_log_2025_08']));

    const store = await Store.open(join(dir, 'same.db'));
    try {
      await store.insertEvaluationLog(rows);
      const cols = COLUMNS.replace('id, ', '');
      const fromSqlite = store.db.prepare(`SELECT ${cols} FROM evaluation_log ORDER BY id`).all();
      const fromPostgres = await sql.all(`SELECT ${cols} FROM evaluation_log WHERE evaluated_at >= '2025-06' ORDER BY id`);
      expect(fromPostgres).toEqual(fromSqlite);
    } finally {
      await store.close();
    }
  });

  it('retention drops the partitions wholly before the boundary and deletes only inside the boundary month', async () => {
    const writer = new PostgresLogWriter(cluster.url);
    const oid = (name: string) => sql.value<number>('SELECT oid::int FROM pg_class WHERE relname = ?', name);
    try {
      await writer.write(['2024-01-10', '2024-02-10', '2024-03-01', '2024-03-20', '2024-04-02'].map((d, i) => row(`${d}T00:00:00.000Z`, i)));
      const march = await oid('evaluation_log_2024_03');
      expect(await partitions()).toEqual(expect.arrayContaining(['evaluation_log_2024_01', 'evaluation_log_2024_02', 'evaluation_log_2024_03', 'evaluation_log_2024_04']));
      const total = Number(await sql.value<number>('SELECT COUNT(*) FROM evaluation_log'));

      expect(await writer.purge('2024-03-15T00:00:00.000Z')).toBe(3);

      const left = await partitions();
      expect(left).not.toContain('evaluation_log_2024_01');
      expect(left).not.toContain('evaluation_log_2024_02');
      // The boundary month is kept (the same table, not made again) with only its rows from the boundary on.
      expect(await oid('evaluation_log_2024_03')).toBe(march);
      expect(await sql.all("SELECT evaluated_at FROM evaluation_log WHERE evaluated_at < '2024-05' ORDER BY 1")).toEqual([
        { evaluated_at: '2024-03-20T00:00:00.000Z' },
        { evaluated_at: '2024-04-02T00:00:00.000Z' },
      ]);
      expect(await sql.value<number>('SELECT COUNT(*) FROM evaluation_log')).toBe(total - 3);

      // A late row of a dropped month (a node whose clock is behind) makes its partition again instead of failing.
      expect(await writer.write([row('2024-01-31T00:00:00.000Z', 9)])).toBe(1);
      expect(await partitions()).toContain('evaluation_log_2024_01');
    } finally {
      await writer.close();
    }
  });

  it('a second writer (another node) that still believes a dropped month exists makes it again and loses no row', async () => {
    const a = new PostgresLogWriter(cluster.url);
    const b = new PostgresLogWriter(cluster.url);
    try {
      await a.write([row('2023-05-05T00:00:00.000Z', 1)]);
      await b.write([row('2023-05-06T00:00:00.000Z', 2)]);
      expect(await a.purge('2023-07-01T00:00:00.000Z')).toBe(2);
      expect(await partitions()).not.toContain('evaluation_log_2023_05');
      expect(await b.write([row('2023-05-07T00:00:00.000Z', 3)])).toBe(1);
      expect(await sql.all("SELECT evaluated_at FROM evaluation_log WHERE evaluated_at < '2023-07'")).toEqual([{ evaluated_at: '2023-05-07T00:00:00.000Z' }]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a purge does not queue the inserts behind a long read: it gives up on the lock and the next purge drops the month', async () => {
    const writer = new PostgresLogWriter(cluster.url);
    try {
      await writer.write([row('2022-02-02T00:00:00.000Z', 1)]);
      // An impact run's snapshot: a transaction that has read the log and is still open.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let reading!: () => void;
      const isReading = new Promise<void>((r) => (reading = r));
      const reader = sql.snapshot(async () => {
        await sql.value('SELECT COUNT(*) FROM evaluation_log');
        reading();
        await held;
      });
      await isReading;
      try {
        expect(await writer.purge('2022-03-01T00:00:00.000Z')).toBe(0);
        // Inserts went on meanwhile.
        expect(await writer.write([row('2022-02-03T00:00:00.000Z', 2)])).toBe(1);
      } finally {
        release();
        await reader;
      }
      expect(await writer.purge('2022-03-01T00:00:00.000Z')).toBe(2);
      expect(await partitions()).not.toContain('evaluation_log_2022_02');
    } finally {
      await writer.close();
    }
  });
});
