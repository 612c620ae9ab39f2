// `beslis copy --from sqlite:FILE --to postgres://…`: an installation used on SQLite (versions, a draft, fixtures,
// users, a token, a session, the audit trail, logged evaluations) moves to a freshly migrated PostgreSQL database,
// and a node on PostgreSQL then answers as the SQLite server did: the same decisions, the same audit entries, the
// same draft, the old password, token and even session cookie still valid. A target that holds data is refused.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSql } from '../../server/store/sql-postgres.ts';
import { startCluster, type Cluster } from '../pg/cluster.ts';
import { spawnServe, type ServeChild } from '../serve-child.ts';
import { login, send, testServer, USER_PASSWORD, type Client, type TestServer } from '../api/helpers.ts';
import { REPO_ROOT } from './harness.ts';

const CASES = [
  { input: { categorie: 'A' }, date: '2021-06-01' },
  { input: { categorie: 'B' }, date: '2026-06-01' },
  { input: { categorie: 'A', eerder: 2 } },
];

let cluster: Cluster;
let sqlite: TestServer;
let dbFile = '';
let auditKey = '';
let node: ServeChild | null = null;
const before: { decisions: unknown[]; audit: { id: number; hash: string; action: string }[]; draft: unknown; log: { id: number; table_id: string; input: string }[] } = {
  decisions: [],
  audit: [],
  draft: null,
  log: [],
};
let token = '';
let ansSession: Client;

function beslis(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), ...args], {
    env: { ...process.env, BESLIS_DB: '', BESLIS_DATABASE_URL: '', BESLIS_AUDIT_KEY: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  return new Promise((resolve) => child.once('exit', (code) => (clearTimeout(timer), resolve({ code, out, err }))));
}

async function decide(base: string, bearerToken: string): Promise<unknown[]> {
  const out = [];
  for (const c of CASES) {
    const r = await send(base, 'POST', '/api/v1/evaluate/test.boete', c, { authorization: `Bearer ${bearerToken}` });
    expect(r.status, r.text).toBe(200);
    out.push({ version: r.body.version, hash: r.body.hash, output: r.body.output, matched: r.body.matched });
  }
  return out;
}

beforeAll(async () => {
  cluster = await startCluster();
  // An installation in use, on SQLite.
  sqlite = await testServer();
  dbFile = join(sqlite.dir, 'beslis.db');
  auditKey = readFileSync(`${dbFile}.audit-key`, 'utf8').trim();
  ansSession = await sqlite.as('ans', ['editor']);
  await sqlite.as('carla', ['approver']);
  const d = (await ansSession.request('GET', '/api/v1/tables/test.gedrag/draft')).body;
  const table = structuredClone(d.table);
  table.rules[0].then.gedrag = '"B"';
  expect((await ansSession.request('PUT', '/api/v1/tables/test.gedrag/draft', { table }, { 'If-Match': '0' })).status).toBe(200);
  token = (await sqlite.request('POST', '/api/v1/tokens', { name: 'zaaksysteem', scopes: ['evaluate'] })).body.token;
  before.decisions = await decide(sqlite.url, token);
  before.draft = (await ansSession.request('GET', '/api/v1/tables/test.gedrag/draft')).body;
  // The log writer commits within moments; closing the server flushes it.
  await sqlite.close();
  const { default: Database } = await import('better-sqlite3');
  // And one decision logged months ago (within the 400 days kept): the target's log is partitioned by month, so its month must be made.
  const old = new Database(dbFile);
  old.exec(`INSERT INTO evaluation_log (table_id, version, hash, input, output, matched, case_date, as_of, caller, evaluated_at)
    SELECT table_id, version, hash, input, output, matched, case_date, as_of, caller, '2026-03-10T10:00:00.000Z' FROM evaluation_log ORDER BY id LIMIT 1`);
  old.close();
  const db = new Database(dbFile, { readonly: true });
  before.audit = db.prepare('SELECT id, hash, action FROM audit_log ORDER BY id').all() as typeof before.audit;
  before.log = db.prepare('SELECT id, table_id, input FROM evaluation_log ORDER BY id').all() as typeof before.log;
  db.close();
  expect(before.log).toHaveLength(CASES.length + 1);
}, 120_000);

afterAll(async () => {
  if (node && node.child.exitCode === null) {
    const gone = node.exited;
    node.child.kill('SIGKILL');
    await gone;
  }
  try {
    cluster?.stop();
  } finally {
    if (sqlite) rmSync(sqlite.dir, { recursive: true, force: true });
  }
});

describe('beslis copy', () => {
  it('refuses a target without the schema, naming beslis migrate', async () => {
    const r = await beslis(['copy', '--from', `sqlite:${dbFile}`, '--to', cluster.url]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('beslis migrate --database-url');
  });

  it('copies every table row for row and checks the copy: counts, the audit chain, its newest hash', async () => {
    expect((await beslis(['migrate', '--database-url', cluster.url])).code).toBe(0);
    const r = await beslis(['copy', '--from', `sqlite:${dbFile}`, '--to', cluster.url]);
    expect(r.code, r.err + r.out).toBe(0);
    expect(r.out).toMatch(/copied \d+ rows of \d+ tables/);
    expect(r.out).toContain(`audit trail intact on the target: ${before.audit.length} entries`);
    expect(r.out).toContain(before.audit.at(-1)!.hash);
    expect(r.out).toContain(`export BESLIS_AUDIT_KEY="$(cat ${dbFile}.audit-key)"`);
    for (const t of ['versions', 'drafts', 'fixtures', 'users', 'sessions', 'api_tokens', 'audit_log', 'evaluation_log']) expect(r.out).toMatch(new RegExp(`\\n  ${t} +\\d+ rows`));
  });

  it('refuses to copy into a database that holds data', async () => {
    const r = await beslis(['copy', '--from', `sqlite:${dbFile}`, '--to', cluster.url]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('already holds data');
  });

  it('a node on the copy answers as the SQLite server did: decisions, audit, draft, password, token, session', async () => {
    node = await spawnServe(['--port', '0', '--host', '127.0.0.1', '--no-seed', '--log-level', 'warn'], { BESLIS_DATABASE_URL: cluster.url, BESLIS_AUDIT_KEY: auditKey, BESLIS_ADMIN_PASSWORD: '' }, { timeoutMs: 60_000 });
    const base = node.url;
    // The session made on SQLite is a row in the database: the cookie still works.
    const sameSession = await send(base, 'GET', '/api/v1/tables/test.gedrag/draft', undefined, { cookie: ansSession.cookie });
    expect(sameSession.status).toBe(200);
    expect(sameSession.body).toEqual(before.draft);
    expect(await decide(base, token)).toEqual(before.decisions);
    const carla = await login(base, 'carla', USER_PASSWORD);
    const audit = (await carla.request('GET', '/api/v1/audit?limit=10000')).body.entries as { id: number; hash: string; action: string }[];
    expect(audit.slice(0, before.audit.length).map((e) => ({ id: e.id, hash: e.hash, action: e.action }))).toEqual(before.audit);
    // New entries continue the chain from the copied ones (the login just made), with new ids.
    expect(audit.length).toBeGreaterThan(before.audit.length);
    expect(audit[before.audit.length]!.id).toBe(before.audit.at(-1)!.id + 1);
    // The logged evaluations came along as they were (the node logs its own after them).
    const pg = new PostgresSql(cluster.url, { max: 1 });
    try {
      const copiedLog = await pg.all<{ id: number; table_id: string; input: string }>('SELECT id, table_id, input FROM evaluation_log WHERE id <= ? ORDER BY id', before.log.at(-1)!.id);
      expect(copiedLog.map((r) => ({ ...r, id: Number(r.id) }))).toEqual(before.log);
    } finally {
      await pg.close();
    }
    const verified = await beslis(['audit', 'verify', '--database-url', cluster.url], { BESLIS_AUDIT_KEY: auditKey });
    expect(verified.code, verified.err).toBe(0);
  });
});
