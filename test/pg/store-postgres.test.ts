// The Store on PostgreSQL (a throwaway cluster, ./cluster.ts): the schema and its runner, the audit key, and two
// Store objects on one database behaving as two nodes — the catalogue mirror, notifications, the single writer.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionTable } from '../../server/engine/types.ts';
import { LISTENER_NAME } from '../../server/store/catalogue-postgres.ts';
import { POSTGRES_MIGRATIONS } from '../../server/store/migrations-postgres.ts';
import { MIGRATIONS } from '../../server/store/migrations.ts';
import { Store } from '../../server/store/store.ts';
import { createToken, findToken, revokeToken } from '../../server/store/tokens.ts';
import { verifyAudit } from '../../server/store/audit.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { freshDatabase, TEST_AUDIT_KEY } from './databases.ts';

const table = (id = 'test.t', then = '"ja"'): DecisionTable => ({
  id,
  title: 'T',
  inputs: [{ name: 'a', type: 'string' }],
  outputs: [{ name: 'b', type: 'string' }],
  rules: [{ id: 'r1', when: { a: '"x"' }, then: { b: then } }],
});

async function until(what: () => boolean | Promise<boolean>, ms: number): Promise<number> {
  const start = Date.now();
  while (!(await what())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return Date.now() - start;
}

let cluster: Cluster;
const stores: Store[] = [];
let key: string | undefined;

beforeAll(async () => {
  key = process.env.BESLIS_AUDIT_KEY;
  process.env.BESLIS_AUDIT_KEY = TEST_AUDIT_KEY;
  cluster = await startCluster();
}, 60_000);

afterAll(async () => {
  for (const s of stores) await s.close().catch(() => {});
  cluster?.stop();
  if (key === undefined) delete process.env.BESLIS_AUDIT_KEY;
  else process.env.BESLIS_AUDIT_KEY = key;
});

/** Ends every Store's LISTEN connection to the database of `url`; answers how many. */
async function terminateListeners(url: string): Promise<number> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [LISTENER_NAME]);
    return rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

async function open(url: string, opts: Parameters<typeof Store.open>[1] = {}): Promise<Store> {
  const s = await Store.open(url, opts);
  stores.push(s);
  return s;
}

describe('schema and migrations on PostgreSQL', () => {
  it('has as many migrations as SQLite, each applied once, also when two nodes start at once', async () => {
    expect(POSTGRES_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
    const url = await freshDatabase(cluster.url);
    const [a, b] = await Promise.all([open(url), open(url)]);
    expect(await a.schemaVersion()).toBe(MIGRATIONS.length);
    expect(await b.value('SELECT COUNT(*) FROM schema_migrations')).toBe(MIGRATIONS.length);
    // Both keyed the chain with the same key: one audit.keyed entry, the chain verifies.
    expect(await a.value("SELECT COUNT(*) FROM audit_log WHERE action = 'audit.keyed'")).toBe(1);
    expect((await verifyAudit(a.sql, a.auditKey)).ok).toBe(true);
  });

  it('refuses a schema newer than the program, and a database without the schema when not migrating', async () => {
    const url = await freshDatabase(cluster.url);
    await expect(Store.open(url, { migrate: false })).rejects.toMatchObject({ code: 'SCHEMA_MISSING', message: expect.stringContaining('beslis migrate') });
    const s = await open(url);
    await s.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 'x')");
    await expect(Store.open(url)).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' });
    await expect(Store.open(url, { migrate: false })).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' });
  });

  it('keeps published versions, archives and the audit trail immutable with the same messages as SQLite', async () => {
    const s = await open(await freshDatabase(cluster.url));
    await s.insertVersion({ tableId: 'test.t', table: table(), version: 1, validFrom: '2026-01-01', author: 'ann' }, 'ann');
    await expect(s.run("UPDATE versions SET note = 'x'")).rejects.toThrow('published versions are immutable');
    await expect(s.run('DELETE FROM versions')).rejects.toThrow('published versions are immutable');
    await expect(s.run("UPDATE audit_log SET actor = 'x'")).rejects.toThrow('the audit log is append-only');
    await expect(s.run('DELETE FROM audit_log')).rejects.toThrow('the audit log is append-only');
    await expect(s.run("INSERT INTO drafts (table_id, revision, content, created_at, created_by, updated_at, updated_by) VALUES ('test.t', 0, '{}', 'x', 'x', 'x', 'x')")).rejects.toThrow(/check constraint/);
    // Identity columns take a given id (a copy keeps ids) and go on after it.
    await s.run("INSERT INTO users (id, username, password_hash, created_at) VALUES (40, 'kept', 'x', 'x')");
    expect(await s.value('SELECT id FROM users WHERE id = 40')).toBe(40);
  });

  it('says where the audit key must come from on PostgreSQL', async () => {
    const url = await freshDatabase(cluster.url);
    delete process.env.BESLIS_AUDIT_KEY;
    try {
      await expect(Store.open(url)).rejects.toThrow(/BESLIS_AUDIT_KEY.*there is no file beside a URL/);
    } finally {
      process.env.BESLIS_AUDIT_KEY = TEST_AUDIT_KEY;
    }
  });
});

describe('two nodes on one PostgreSQL database', () => {
  it('a version published through one is listed by the other within a second', async () => {
    const url = await freshDatabase(cluster.url);
    const a = await open(url);
    const b = await open(url);
    await a.insertVersion({ tableId: 'test.t', table: table(), version: 1, validFrom: '2026-01-01', author: 'ann' }, 'ann');
    // The writing node sees its own write at once.
    expect(a.listVersions('test.t').map((v) => v.version)).toEqual([1]);
    const ms = await until(() => b.listVersions('test.t').length === 1, 1000);
    expect(b.getVersion('test.t', 1)?.table.rules[0]!.then.b).toBe('"ja"');
    expect(b.tableIds()).toEqual(['test.t']);
    expect(ms).toBeLessThan(1000);
  });

  it('inside a transaction the catalogue shows its own writes, and nothing of them after a rollback', async () => {
    const s = await open(await freshDatabase(cluster.url));
    await expect(
      s.transaction(async () => {
        await s.insertVersion({ tableId: 'test.t', table: table(), version: 1, validFrom: '2026-01-01', author: 'ann' }, 'ann');
        expect(s.tableExists('test.t')).toBe(true);
        expect(s.newestVersion('test.t')?.version).toBe(1);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(s.tableExists('test.t')).toBe(false);
    expect(s.listVersions('test.t')).toEqual([]);
  });

  it('a transaction on one node sees, inside it, a version the other committed while no notification reached it', async () => {
    const url = await freshDatabase(cluster.url);
    const a = await open(url);
    const b = await open(url);
    // Cut the LISTEN connections: b learns nothing by notification until it has reconnected (100 ms on).
    await terminateListeners(url);
    await a.insertVersion({ tableId: 'test.t', table: table(), version: 1, validFrom: '2026-01-01', author: 'ann' }, 'ann');
    // The writer lock and the generation make b's transaction exact without the notification.
    const seen = await b.transaction(async () => b.listVersions('test.t').map((v) => v.version));
    expect(seen).toEqual([1]);
    expect(b.getVersion('test.t', 1)?.version).toBe(1);
  });

  it('a token revoked through one node is refused by the other', async () => {
    const url = await freshDatabase(cluster.url);
    const a = await open(url);
    const b = await open(url);
    const { token, record } = await createToken(a, { name: 'app', scopes: ['evaluate'] }, 'admin');
    expect((await findToken(b, token))?.id).toBe(record.id);
    await revokeToken(a, record.id, 'admin');
    await until(async () => (await findToken(b, token)) === null, 1000);
  });

  it('parallel writers on both nodes: version numbers and the audit chain stay exact', async () => {
    const url = await freshDatabase(cluster.url);
    const a = await open(url);
    const b = await open(url);
    const publish = (s: Store) =>
      s.transaction(async () => {
        const next = Number((await s.value<number | null>("SELECT MAX(version) FROM versions WHERE table_id = 'test.t'")) ?? 0) + 1;
        await s.insertVersion({ tableId: 'test.t', table: table('test.t', `"v${next}"`), version: next, validFrom: '2026-01-01', author: 'ann' }, 'ann');
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => publish(i % 2 ? a : b)));
    expect(await a.value("SELECT COUNT(*) FROM versions WHERE table_id = 'test.t'")).toBe(20);
    expect((await verifyAudit(a.sql, a.auditKey)).ok).toBe(true);
    await until(() => a.listVersions('test.t').length === 20 && b.listVersions('test.t').length === 20, 1000);
  });

  it('after its LISTEN connection is cut, a node reconnects and catches up', async () => {
    const url = await freshDatabase(cluster.url);
    const a = await open(url);
    const b = await open(url);
    expect(await terminateListeners(url)).toBe(2);
    await a.insertVersion({ tableId: 'test.t', table: table(), version: 1, validFrom: '2026-01-01', author: 'ann' }, 'ann');
    await until(() => b.listVersions('test.t').length === 1, 3000);
  });
});
