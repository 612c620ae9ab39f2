// The store on a real SQLite file: migrations, hashes, immutability, drafts, the evaluation log.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DecisionTable } from '../../server/engine/types.ts';
import { canonicalJson, contentHash } from '../../server/store/canonical.ts';
import { migrate, openDatabase, schemaVersion } from '../../server/store/db.ts';
import { EvaluationLog } from '../../server/store/eval-log.ts';
import { Evaluator } from '../../server/store/evaluation.ts';
import { MIGRATIONS } from '../../server/store/migrations.ts';
import type { EvaluationLogRow } from '../../server/store/records.ts';
import { Store } from '../../server/store/store.ts';
import { hashPassword, verifyPassword, ensureFirstAdmin } from '../../server/store/users.ts';
import { ON_POSTGRES, tempDir, testDatabase } from '../api/helpers.ts';

const dirs: string[] = [];
const freshFile = () => {
  const d = tempDir();
  dirs.push(d);
  return join(d, 'data', 'beslis.db');
};
/** A fresh database: a file in a temporary folder, or on PostgreSQL a new database. */
const fresh = () => {
  const d = tempDir();
  dirs.push(d);
  return testDatabase(d);
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const table = (id = 'test.t', then = '"ja"'): DecisionTable => ({
  id,
  title: 'T',
  inputs: [{ name: 'a', type: 'string' }],
  outputs: [{ name: 'b', type: 'string' }],
  rules: [{ id: 'r1', when: { a: '"x"' }, then: { b: then } }],
});

describe.skipIf(ON_POSTGRES)('database and migrations (SQLite; PostgreSQL: test/pg/store-postgres.test.ts)', () => {
  it('opens in WAL mode with foreign keys and runs each migration once', () => {
    const file = freshFile();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['decision_tables', 'drafts', 'versions', 'fixtures', 'evaluation_log', 'audit_log', 'users', 'sessions', 'api_tokens']),
    );
    expect(migrate(db, MIGRATIONS)).toEqual([]);
    db.close();
    const again = openDatabase(file);
    expect(schemaVersion(again)).toBe(MIGRATIONS.length);
    again.close();
  });

  it('a failing migration leaves no trace (its transaction rolls back)', () => {
    const file = freshFile();
    const db = openDatabase(file);
    const bad = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); CREATE TABLE oops (' }];
    expect(() => migrate(db, bad)).toThrow();
    expect(schemaVersion(db)).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").pluck().get()).toBe(0);
    db.close();
  });

  it('refuses a database newer than the program', () => {
    const file = freshFile();
    const db = openDatabase(file);
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'future', '2099-01-01')").run();
    db.close();
    expect(() => openDatabase(file)).toThrow(/newer than this program/);
  });
});

describe('hashes', () => {
  it('canonical JSON sorts keys at every depth, so key order and spacing do not change the hash', () => {
    const a = { b: 1, a: [{ y: 2, x: 'é' }], c: { e: null, d: true } };
    const b = JSON.parse('{ "c": {"d": true, "e": null}, "a": [ {"x":"é", "y":2} ], "b": 1 }');
    expect(canonicalJson(a)).toBe('{"a":[{"x":"é","y":2}],"b":1,"c":{"d":true,"e":null}}');
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash({ ...a, b: 2 })).not.toBe(contentHash(a));
  });
});

describe('versions and drafts', () => {
  it('published versions cannot be changed or deleted, even with SQL', async () => {
    const store = await Store.open(await fresh());
    const meta = (await store.insertVersion({ tableId: 'test.t', table: table(), version: 1, validFrom: '2024-01-01', author: 'ans' }, 'ans'));
    expect(meta.hash).toBe(contentHash({ ...table(), version: 1, validFrom: '2024-01-01' }));
    await expect(store.run("UPDATE versions SET content = '{}'")).rejects.toThrow(/immutable/);
    await expect(store.run('DELETE FROM versions')).rejects.toThrow(/immutable/);
    await expect(store.insertVersion({ tableId: 'test.t', table: table(), version: 1, validFrom: '2024-01-01', author: 'x' }, 'x')).rejects.toThrow(/already has a version 1/);
    expect(store.getVersion('test.t', 1)!.table.rules[0]!.then.b).toBe('"ja"');
    await store.close();
  });

  it('saves drafts only on the current revision and keeps everyone who edited', async () => {
    const store = await Store.open(await fresh());
    await store.insertVersion({ tableId: 'test.t', table: table(), version: 1, validFrom: '2024-01-01', author: 'ans' }, 'ans');
    const d1 = (await store.saveDraft('test.t', table('test.t', '"nee"'), 0, 'bert'));
    expect(d1).toMatchObject({ revision: 1, baseVersion: 1, createdBy: 'bert' });
    await expect(store.saveDraft('test.t', table('test.t', '"misschien"'), 0, 'carla')).rejects.toThrow(/revision 1, not 0/);
    const d2 = (await store.saveDraft('test.t', table('test.t', '"misschien"'), 1, 'carla'));
    expect(d2.revision).toBe(2);
    expect((await store.draftEditors('test.t'))).toEqual(['bert', 'carla']);
    expect((await store.getDraft('test.t'))!.table.rules[0]!.then.b).toBe('"misschien"');
    await store.close();
  });

  it('the audit log is a hash chain and append-only', async () => {
    const store = await Store.open(await fresh());
    await store.createTable(table('test.a'), 'ans');
    await store.saveDraft('test.a', table('test.a', '"nee"'), 1, 'ans');
    const entries = (await store.auditEntries());
    // A new database's chain starts with the entry that keys it (HMAC with the key outside the database).
    expect(entries.map((e) => e.action)).toEqual(['audit.keyed', 'table.created', 'draft.saved']);
    expect(entries[0]!.prevHash).toBe('0'.repeat(64));
    expect(entries[1]!.prevHash).toBe(entries[0]!.hash);
    expect(entries[2]!.prevHash).toBe(entries[1]!.hash);
    await expect(store.run("UPDATE audit_log SET actor = 'mallory'")).rejects.toThrow(/append-only/);
    await store.close();
  });

  it.skipIf(ON_POSTGRES)('a second connection sees versions published by another (SQLite: the cache follows data_version; PostgreSQL: test/pg/store-postgres.test.ts)', async () => {
    const file = freshFile();
    const a = await Store.open(file);
    const b = await Store.open(file);
    await a.insertVersion({ tableId: 'test.t', table: table(), version: 1, validFrom: '2024-01-01', author: 'ans' }, 'ans');
    expect(b.listVersions('test.t').map((v) => v.version)).toEqual([1]);
    await a.insertVersion({ tableId: 'test.t', table: table('test.t', '"nee"'), version: 2, validFrom: '2025-01-01', author: 'ans' }, 'ans');
    expect(b.listVersions('test.t').map((v) => v.version)).toEqual([1, 2]);
    await a.close();
    await b.close();
  });
});

describe('compiled versions', () => {
  it('keeps the most recently used versions compiled and rebuilds an evicted one with the right answer', async () => {
    const store = await Store.open(await fresh());
    for (const [v, then] of [[1, '"een"'], [2, '"twee"'], [3, '"drie"']] as const) {
      await store.insertVersion({ tableId: 'test.t', table: table('test.t', then), version: v, validFrom: `202${v}-01-01`, author: 'ans' }, 'ans');
    }
    const reads: number[] = [];
    const getVersion = store.getVersion.bind(store);
    store.getVersion = (id, v) => (reads.push(v), getVersion(id, v));
    const ev = new Evaluator(store, null, 2);
    const answer = (version: number) => ev.evaluate('test.t', { input: { a: 'x' }, version }).output;
    expect(answer(1)).toEqual({ b: 'een' });
    expect(answer(2)).toEqual({ b: 'twee' });
    expect(answer(1)).toEqual({ b: 'een' }); // 1 is now the more recently used
    expect(answer(3)).toEqual({ b: 'drie' }); // room for two: 2 goes
    expect(answer(1)).toEqual({ b: 'een' });
    expect(reads).toEqual([1, 2, 3]);
    expect(answer(2)).toEqual({ b: 'twee' }); // rebuilt
    expect(reads).toEqual([1, 2, 3, 2]);
    await store.close();
  });
});

describe.skipIf(ON_POSTGRES)('evaluation log (SQLite writer; PostgreSQL: test/pg/eval-log.test.ts)', () => {
  const row = (i: number, at = new Date().toISOString()): EvaluationLogRow => ({
    tableId: 'test.t',
    version: 1,
    hash: 'h',
    input: { a: String(i) },
    output: { b: 'ja' },
    matched: ['r1'],
    caseDate: null,
    asOf: null,
    caller: 'test',
    evaluatedAt: at,
  });
  const count = (store: Store) => store.db.prepare('SELECT COUNT(*) FROM evaluation_log').pluck().get() as number;

  it.each(['thread', 'inline'] as const)('queues rows and commits them later, in batches (%s writer)', async (writer) => {
    const store = await Store.open(freshFile());
    const log = new EvaluationLog(store, { mode: 'all', flushDelayMs: 5, maxBatch: 100, writer });
    for (let i = 0; i < 250; i++) if (log.wants()) log.record(row(i));
    // Nothing is committed on the request path: inline, full chunks wait for the next turn; a writer thread gets them at once.
    if (writer === 'inline') expect(count(store)).toBe(0);
    await new Promise((r) => setTimeout(r, 100));
    await log.flush();
    expect(count(store)).toBe(250);
    expect(log.written).toBe(250);
    const inputs = store.db.prepare('SELECT input FROM evaluation_log ORDER BY id').pluck().all() as string[];
    expect(inputs.map((t) => (JSON.parse(t) as { a: string }).a)).toEqual(Array.from({ length: 250 }, (_, i) => String(i)));
    await log.close();
    await store.close();
  });

  it('off logs nothing, sample keeps about the rate, close() commits what is queued', async () => {
    const store = await Store.open(freshFile());
    const off = new EvaluationLog(store, { mode: 'off' });
    expect(off.wants()).toBe(false);
    await off.close();
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const sample = new EvaluationLog(store, { mode: 'sample', sampleRate: 0.25, random, flushDelayMs: 60_000 });
    let kept = 0;
    for (let i = 0; i < 4000; i++) {
      if (sample.wants()) {
        sample.record(row(i));
        kept++;
      }
    }
    expect(kept).toBeGreaterThan(850);
    expect(kept).toBeLessThan(1150);
    expect(count(store)).toBe(0);
    await sample.close();
    expect(count(store)).toBe(kept);
    await store.close();
  });

  it('reports the age of the oldest uncommitted row and whether the writer thread lives (for /metrics and readiness)', async () => {
    const store = await Store.open(freshFile());
    const log = new EvaluationLog(store, { mode: 'all', flushDelayMs: 60_000 });
    expect(log.lagMs).toBe(0);
    expect(log.writerAlive).toBe(true);
    log.record(row(1));
    await new Promise((r) => setTimeout(r, 30));
    expect(log.lagMs).toBeGreaterThan(0);
    await log.flush();
    expect(log.lagMs).toBe(0);
    expect(log.pendingRows).toBe(0);
    await log.close();
    expect(log.writerAlive).toBe(true); // a writer stopped by close() did not fail
    await store.close();
  });

  it('falls back to inline commits when the writer thread is too far behind (nothing dropped)', async () => {
    const store = await Store.open(freshFile());
    const log = new EvaluationLog(store, { mode: 'all', maxBatch: 50, maxInFlight: 100, flushDelayMs: 60_000 });
    for (let i = 0; i < 1000; i++) log.record(row(i));
    await log.close();
    expect(count(store)).toBe(1000);
    expect(log.failed).toBe(0);
    await store.close();
  });

  it('an async answer waits while the backlog is more writing than the bound, and goes as soon as it is not', async () => {
    const store = await Store.open(freshFile());
    const log = new EvaluationLog(store, { mode: 'all', maxBatch: 500, flushDelayMs: 60_000, maxBacklogMs: 1 });
    await log.beforeAnswer(); // nothing queued: no wait
    for (let i = 0; i < 20_000; i++) log.record(row(i));
    let answered = false;
    const waiting = log.beforeAnswer().then(() => (answered = true));
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(false); // 20,000 rows are far more than a millisecond of writing
    await waiting;
    // When it goes, what is left is at most the bound's worth of rows: an acknowledged row is committed soon after.
    expect(log.backlogMs).toBeLessThanOrEqual(1);
    expect(count(store)).toBeGreaterThan(15_000);
    await log.close();
    expect(count(store)).toBe(20_000);
    await store.close();
  });

  it.each(['thread', 'inline'] as const)('deletes rows older than the retention period (%s writer)', async (writer) => {
    const store = await Store.open(freshFile());
    const old = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await store.insertEvaluationLog([row(1, old), row(2, old), row(3)]);
    const log = new EvaluationLog(store, { mode: 'all', retentionDays: 30, writer });
    await log.flush();
    expect(await log.purge()).toBe(0); // the purge at start already removed them
    expect(count(store)).toBe(1);
    await log.close();
    await store.close();
  });
});

describe('users', () => {
  it('hashes passwords with scrypt and creates the first admin once', async () => {
    const h = hashPassword('geheim');
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(verifyPassword('geheim', h)).toBe(true);
    expect(verifyPassword('Geheim', h)).toBe(false);
    const store = await Store.open(await fresh());
    expect((await ensureFirstAdmin(store, 'beheer'))).toBe('');
    expect((await ensureFirstAdmin(store, 'anders'))).toBeNull();
    const u = (await store.get<{ password_hash: string; roles: string }>("SELECT password_hash, roles FROM users WHERE username = 'admin'"))!;
    expect(verifyPassword('beheer', u.password_hash)).toBe(true);
    expect(JSON.parse(u.roles)).toContain('admin');
    await store.close();
  });
});
