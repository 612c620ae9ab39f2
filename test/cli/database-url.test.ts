// Choosing the database on the command line: `beslis migrate` says which migrations ran, `beslis serve` on a
// PostgreSQL database without the schema refuses and names `beslis migrate`, and the SQLite-only commands refuse a
// PostgreSQL URL naming pg_dump / pg_restore.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSql } from '../../server/store/sql-postgres.ts';
import { startCluster, type Cluster } from '../pg/cluster.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CLEAN_ENV = { ...process.env, BESLIS_DB: '', BESLIS_DATABASE_URL: '', PORT: '' };

function beslis(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin/beslis.js'), ...args], { encoding: 'utf8', timeout: 30_000, env: { ...CLEAN_ENV, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Runs `beslis serve` asynchronously (spawnSync would block the test's event loop) and waits for its exit. */
function serveExit(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/beslis.js'), 'serve', '--port', '0', '--host', '127.0.0.1', ...args], { env: { ...CLEAN_ENV, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => child.once('exit', (code) => (clearTimeout(timer), resolve({ code, out }))));
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'beslis-dburl-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('beslis migrate on SQLite', () => {
  it('lists the migrations it ran, then says the database is up to date', () => {
    const file = join(dir, 'new.db');
    const first = beslis(['migrate', '--db', file]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/ran\s+1\s+tables, drafts/);
    expect(first.out).toMatch(/ran \d+ migrations: schema version 0 → \d+/);
    const again = beslis(['migrate', '--db', file, '--json']);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.out) as { kind: string; ran: unknown[]; schemaVersion: number };
    expect(report).toMatchObject({ kind: 'sqlite', ran: [] });
    expect(report.schemaVersion).toBeGreaterThan(0);
  });

  it('refuses a --database-url that is not a PostgreSQL URL', () => {
    const r = beslis(['migrate', '--database-url', join(dir, 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--database-url must be a postgres:// URL');
  });
});

describe('SQLite-only commands', () => {
  it('backup and restore refuse a PostgreSQL database and name pg_dump / pg_restore, without the password', () => {
    const b = beslis(['backup', '--out', join(dir, 'b.db'), '--db', 'postgres://beslis:geheim@127.0.0.1:1/beslis']);
    expect(b.code).toBe(1);
    expect(b.err).toContain('SQLite database file only');
    expect(b.err).toContain('pg_dump');
    expect(b.err).not.toContain('geheim');
    const r = beslis(['restore', join(dir, 'b.db')], { BESLIS_DATABASE_URL: 'postgres://127.0.0.1:1/beslis' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('pg_restore');
  });

  it('serve refuses --backup-dir on PostgreSQL', async () => {
    const r = await serveExit(['--database-url', 'postgres://127.0.0.1:1/beslis', '--backup-dir', dir]);
    expect(r.code).toBe(2);
    expect(r.out).toContain('pg_dump');
  });
});

describe('beslis serve on PostgreSQL', () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('refuses a database without the Beslis schema and names beslis migrate', async () => {
    const r = await serveExit(['--no-seed'], { BESLIS_DATABASE_URL: cluster.url });
    expect(r.code).toBe(1);
    expect(r.out).toContain("run 'beslis migrate --database-url URL' once");
    expect(r.out).not.toContain('listening on');
  });

  it('beslis migrate applies the schema and lists what ran; again, nothing; then the other commands take the URL', async () => {
    const first = beslis(['migrate', '--database-url', cluster.url]);
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain('PostgreSQL postgres://beslis@127.0.0.1');
    expect(first.out).toMatch(/ran\s+1\s+/);
    expect(first.out).toMatch(/ran \d+ migrations: schema version 0 → \d+/);
    const again = beslis(['migrate', '--json'], { BESLIS_DATABASE_URL: cluster.url });
    expect(JSON.parse(again.out)).toMatchObject({ kind: 'postgres', ran: [] });
    // users and tokens open the store by the URL (--db URL or BESLIS_DATABASE_URL), with the nodes' audit key.
    const key = { BESLIS_AUDIT_KEY: 'a'.repeat(64) };
    const added = spawnSync(process.execPath, [join(root, 'bin/beslis.js'), 'users', 'add', 'ans', '--role', 'editor', '--password-stdin', '--db', cluster.url], {
      input: 'een-lang-wachtwoord\n',
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...CLEAN_ENV, ...key },
    });
    expect(added.status, added.stderr).toBe(0);
    const listed = beslis(['users', 'list', '--json'], { BESLIS_DATABASE_URL: cluster.url, ...key });
    expect(listed.code, listed.err).toBe(0);
    expect((JSON.parse(listed.out) as { username: string }[]).map((u) => u.username)).toContain('ans');
    const verified = beslis(['audit', 'verify', '--database-url', cluster.url], key);
    expect(verified.code, verified.err).toBe(0);
  });

  it('refuses a schema behind this program, naming beslis migrate', async () => {
    const admin = new PostgresSql(cluster.url, { max: 1 });
    await admin.run('CREATE DATABASE behind');
    await admin.close();
    const url = cluster.url.replace(/\/postgres$/, '/behind');
    expect(beslis(['migrate', '--database-url', url]).code).toBe(0);
    const db = new PostgresSql(url, { max: 1 });
    const newest = Number(await db.value('SELECT MAX(version) FROM schema_migrations'));
    await db.run('DELETE FROM schema_migrations WHERE version = ?', newest);
    await db.close();
    const r = await serveExit(['--no-seed'], { BESLIS_DATABASE_URL: url, BESLIS_AUDIT_KEY: 'a'.repeat(64) });
    expect(r.code).toBe(1);
    expect(r.out).toContain(`has schema version ${newest - 1}, this program needs ${newest}: run 'beslis migrate`);
  });

  it('says so, in bounded time, when the database does not answer', async () => {
    const t0 = Date.now();
    const r = await serveExit(['--no-seed', '--database-url', 'postgres://beslis@127.0.0.1:1/beslis']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('does not answer');
    expect(Date.now() - t0).toBeLessThan(20_000);
  });
});
