// The audit trail: the entries of a whole edit–submit–approve cycle (and of user, token and login events), read
// through GET /api/v1/audit; `beslis audit verify` accepts the chain as written and finds a changed, a removed and an
// inserted entry in copies of the database file that were tampered with through a raw SQLite connection.
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteSql } from '../../server/store/sql-sqlite.ts';
import { auditHash, GENESIS_HASH, keyedAuditHash, resolveAuditKey, verifyAudit, type AuditKey } from '../../server/store/audit.ts';
import { ON_POSTGRES, REPO_ROOT, testServer, type Client, type TestServer } from '../api/helpers.ts';

const T = 'test.gedrag';
let srv: TestServer;
let ans: Client;
let carla: Client;
let dbFile: string;

beforeAll(async () => {
  srv = await testServer();
  ans = await srv.as('ans', ['editor']);
  carla = await srv.as('carla', ['approver']);
}, 60_000);
afterAll(async () => {
  await srv.close();
  rmSync(srv.dir, { recursive: true, force: true });
});

function beslis(...args: string[]) {
  return spawnSync(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, BESLIS_DB: '' } });
}

describe('the audit trail of a change', () => {
  it('records saving (with a summary of what changed), submitting and approving, with who and when', async () => {
    const d = (await ans.request('GET', `/api/v1/tables/${T}/draft`)).body;
    const table = structuredClone(d.table);
    table.rules[0].then.gedrag = '"B"';
    table.rules.push({ id: 'G9', when: { houding: '"onverschillig"' }, then: { gedrag: '"C"' } });
    expect((await ans.request('PUT', `/api/v1/tables/${T}/draft`, { table }, { 'If-Match': '0' })).status).toBe(200);
    const submitted = await ans.request('POST', `/api/v1/tables/${T}/draft/submit`, { validFrom: '2030-01-01', note: 'strenger' });
    expect(submitted.status).toBe(200);
    expect((await carla.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: submitted.body.revision })).status).toBe(201);

    // Approvers and admins read the trail; editors do not.
    expect((await ans.request('GET', `/api/v1/audit?table=${T}`)).status).toBe(403);
    const r = await carla.request('GET', `/api/v1/audit?table=${T}`);
    expect(r.status).toBe(200);
    const entries = r.body.entries as { action: string; actor: string; version: number | null; detail: Record<string, unknown>; at: string }[];
    const cycle = entries.filter((e) => !e.action.endsWith('imported'));
    expect(cycle.map((e) => [e.action, e.actor])).toEqual([
      ['draft.saved', 'ans'],
      ['draft.submitted', 'ans'],
      ['version.published', 'carla'],
      ['draft.approved', 'carla'],
    ]);
    expect(cycle[0]!.detail).toMatchObject({ revision: 1, change: { added: 1, changed: 1, removed: 0 } });
    expect(cycle[1]!.detail).toMatchObject({ validFrom: '2030-01-01', note: 'strenger' });
    expect(cycle[2]).toMatchObject({ version: 2 });
    for (const e of cycle) expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000);
    // The first load from files is there too, by the system.
    expect(entries.filter((e) => e.action === 'version.imported')).toHaveLength(1);
  });

  it('records user and token changes and failed logins; paging with after/limit', async () => {
    expect((await srv.request('POST', '/api/v1/users', { username: 'nieuw', password: 'een-lang-wachtwoord', roles: ['viewer'] })).status).toBe(201);
    expect((await srv.request('PATCH', '/api/v1/users/nieuw', { roles: ['tester'] })).status).toBe(200);
    const tok = await srv.request('POST', '/api/v1/tokens', { name: 'zaaksysteem', scopes: ['evaluate'] });
    expect((await srv.request('DELETE', `/api/v1/tokens/${tok.body.id}`)).status).toBe(204);
    expect((await srv.request('DELETE', '/api/v1/users/nieuw')).status).toBe(204);
    expect((await srv.anonymous.request('POST', '/api/v1/auth/login', { username: 'nieuw', password: 'fout-fout-fout' })).status).toBe(401);

    const all = (await srv.request('GET', '/api/v1/audit?limit=10000')).body.entries as { id: number; action: string; actor: string; detail: Record<string, unknown> }[];
    const mine = all.filter((e) => e.actor === 'admin' || e.action === 'auth.login_failed').map((e) => [e.action, e.detail]);
    expect(mine).toEqual(
      expect.arrayContaining([
        // Set by the admin, so the password is temporary: nieuw must choose their own at the first login.
        ['user.created', { username: 'nieuw', roles: ['viewer'], temporaryPassword: true }],
        ['user.updated', { username: 'nieuw', roles: { from: ['viewer'], to: ['tester'] } }],
        ['token.created', { id: tok.body.id, name: 'zaaksysteem', scopes: ['evaluate'] }],
        ['token.revoked', { id: tok.body.id, name: 'zaaksysteem', scopes: ['evaluate'] }],
        ['user.deleted', { username: 'nieuw', roles: ['tester'] }],
        ['auth.login_failed', { username: 'nieuw', ip: '127.0.0.1', reason: 'unknown user' }],
      ]),
    );
    // No secret ever reaches the trail.
    expect(JSON.stringify(all)).not.toContain(tok.body.token);
    expect(JSON.stringify(all)).not.toContain('een-lang-wachtwoord');

    const page1 = (await srv.request('GET', '/api/v1/audit?limit=3')).body;
    expect(page1.entries.map((e: { id: number }) => e.id)).toEqual([1, 2, 3]);
    const page2 = (await srv.request('GET', `/api/v1/audit?limit=3&after=${page1.next}`)).body;
    expect(page2.entries[0].id).toBe(4);
    expect((await srv.request('GET', '/api/v1/audit?limit=lots')).status).toBe(400);
  });

  it('pages newest first with order=desc and before; GET /api/v1/audit/verify checks the chain (admin and approver)', async () => {
    const all = (await srv.request('GET', '/api/v1/audit?limit=10000')).body.entries as { id: number }[];
    const newest = all.at(-1)!.id;
    const page1 = (await srv.request('GET', '/api/v1/audit?order=desc&limit=3')).body;
    expect(page1.entries.map((e: { id: number }) => e.id)).toEqual([newest, newest - 1, newest - 2]);
    expect(page1.next).toBe(newest - 2);
    const page2 = (await srv.request('GET', `/api/v1/audit?order=desc&limit=3&before=${page1.next}`)).body;
    expect(page2.entries[0].id).toBe(newest - 3);
    expect((await srv.request('GET', '/api/v1/audit?order=newest')).status).toBe(400);

    const v = await srv.request('GET', '/api/v1/audit/verify');
    expect(v.status).toBe(200);
    expect(v.body).toMatchObject({ ok: true, broken: null, head: { id: newest } });
    expect(v.body.entries).toBe(all.length);
    expect((await carla.request('GET', '/api/v1/audit/verify')).status).toBe(200);
    expect((await ans.request('GET', '/api/v1/audit/verify')).status).toBe(403);
  });
});

describe.skipIf(ON_POSTGRES)('beslis audit verify (tampers with copies of the SQLite file; PostgreSQL: test/pg/store-postgres.test.ts)', () => {
  let copies: string;

  beforeAll(async () => {
    // Stop the server so the file is complete (its WAL checkpointed), then work on copies of it.
    await srv.close();
    dbFile = join(srv.dir, 'beslis.db');
    copies = srv.dir;
  });

  /** A copy of the database changed through a raw connection, the triggers dropped first. */
  function tampered(name: string, sql: string, from = dbFile): string {
    const file = join(copies, name);
    copyFileSync(from, file);
    // The key file goes with the copy: these attackers changed the database, not the key.
    copyFileSync(`${from}.audit-key`, `${file}.audit-key`);
    const db = new Database(file);
    db.exec('DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;');
    db.exec(sql);
    db.close();
    return file;
  }

  /**
   * The attacker's tool: change one entry, then recompute every hash from there on, so each entry fits its content
   * and links to the one before it. `hash` is how the attacker hashes (they have no audit key).
   */
  function rewritten(name: string, change: string, hash: (prev: string, e: Parameters<typeof auditHash>[1]) => string, keep = true, from = dbFile): string {
    const file = tampered(name, change, from);
    if (!keep) rmSync(`${file}.audit-key`);
    const db = new Database(file);
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').all() as { id: number; at: string; actor: string; action: string; table_id: string | null; version: number | null; detail: string }[];
    let prev = GENESIS_HASH;
    const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?');
    for (const r of rows) {
      const h = hash(prev, { at: r.at, actor: r.actor, action: r.action, tableId: r.table_id, version: r.version, detail: JSON.parse(r.detail) as Record<string, unknown> });
      update.run(prev, h, r.id);
      prev = h;
    }
    db.close();
    return file;
  }

  it('accepts the chain as written and names its head', async () => {
    const r = beslis('audit', 'verify', '--db', dbFile);
    expect(r.status, r.stderr).toBe(0);
    const db = new SqliteSql(dbFile);
    const v = await verifyAudit(db, resolveAuditKey(dbFile, false));
    await db.close();
    expect(v.ok).toBe(true);
    // A new database is keyed from its first entry on.
    expect(v.keyed).toMatchObject({ since: 1 });
    expect(v.unkeyedEntries).toBe(0);
    expect(r.stdout).toMatch(/keyed from entry 1 on/);
    expect(r.stdout).toContain(`audit trail intact: ${v.entries} entries, newest ${v.head!.id} with hash ${v.head!.hash}`);
  });

  it('the triggers refuse changes through a normal connection', () => {
    const db = new Database(dbFile);
    expect(() => db.prepare("UPDATE audit_log SET actor = 'iemand' WHERE id = 5").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE id = 5').run()).toThrow(/append-only/);
    db.close();
  });

  it('finds an entry whose content was changed (exit 1, the entry named)', () => {
    const approved = (() => {
      const db = new Database(dbFile, { readonly: true });
      const id = db.prepare("SELECT id FROM audit_log WHERE action = 'draft.approved'").pluck().get() as number;
      db.close();
      return id;
    })();
    const file = tampered('changed.db', `UPDATE audit_log SET actor = 'ans' WHERE id = ${approved}`);
    const r = beslis('audit', 'verify', '--db', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`BROKEN at entry ${approved} (changed)`);
    expect(r.stderr).toContain('draft.approved by ans');
    expect(r.stderr).toContain(`the chain holds up to entry ${approved - 1}`);
  });

  it('finds a changed detail, a removed entry and a forged insertion', () => {
    const detail = tampered('detail.db', `UPDATE audit_log SET detail = json_set(detail, '$.note', 'mild') WHERE action = 'draft.submitted'`);
    expect(beslis('audit', 'verify', '--db', detail).stderr).toMatch(/BROKEN at entry \d+ \(changed\)/);

    const removed = tampered('removed.db', "DELETE FROM audit_log WHERE action = 'draft.submitted'");
    const r = beslis('audit', 'verify', '--db', removed, '--json');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { ok: boolean; broken: { kind: string; entry: { action: string } } };
    expect(report.ok).toBe(false);
    // The entry after the removed one no longer links to its predecessor.
    expect(report.broken).toMatchObject({ kind: 'unlinked', entry: { action: 'version.published' } });

    // An attacker who recomputes the forged entry's own hash still breaks the link of the next one.
    const forged = tampered(
      'forged.db',
      `INSERT INTO audit_log (id, at, actor, action, table_id, version, detail, prev_hash, hash)
       SELECT id + 1000000, at, 'carla', 'draft.approved', table_id, version, detail, prev_hash, hash FROM audit_log WHERE id = 3;
       UPDATE audit_log SET id = 3000000 WHERE id = 3;
       UPDATE audit_log SET id = 3 WHERE id = 1000003;`,
    );
    expect(beslis('audit', 'verify', '--db', forged).status).toBe(1);
  });

  it('a history rewritten and re-hashed without the key fails: the attacker cannot compute the keyed hashes', () => {
    const approver = `UPDATE audit_log SET actor = 'carla-2' WHERE action = 'draft.approved'`;
    // Re-hashed with plain sha-256 (how the chain was hashed before it was keyed).
    const plain = rewritten('rehashed.db', approver, auditHash);
    let r = beslis('audit', 'verify', '--db', plain, '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).broken).toMatchObject({ id: 1, kind: 'changed', entry: { action: 'audit.keyed' } });

    // Re-hashed with a key of the attacker's own: the entries fit that key, not the database's.
    const own: AuditKey = { key: Buffer.alloc(32, 7), id: 'attacker', source: 'memory' };
    const forged = rewritten('own-key.db', approver, (prev, e) => keyedAuditHash(own, prev, e));
    r = beslis('audit', 'verify', '--db', forged, '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).broken).toMatchObject({ kind: 'changed' });

    // The keyed entries removed and the rest re-hashed as an old, unkeyed chain: the key beside it gives it away.
    const downgraded = rewritten('downgraded.db', `DELETE FROM audit_log WHERE action = 'audit.keyed'; ${approver}`, auditHash);
    r = beslis('audit', 'verify', '--db', downgraded, '--json');
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).broken).toMatchObject({ kind: 'unkeyed' });

    // Without the key file (and no BESLIS_AUDIT_KEY) a keyed chain cannot be checked: it says which key is missing.
    const keyless = rewritten('keyless.db', 'SELECT 1', auditHash, false);
    r = beslis('audit', 'verify', '--db', keyless);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no audit key was found/);
  });

  it('an old database: its unkeyed entries are checked as a plain chain up to the audit.keyed entry that starts keying', async () => {
    // A database as an earlier release left it: every entry hashed with plain sha-256, no audit.keyed entry.
    const old = rewritten('old.db', `DELETE FROM audit_log WHERE action = 'audit.keyed'`, auditHash, false);
    const before = new SqliteSql(old, { readonly: true });
    const unkeyed = await verifyAudit(before, null);
    await before.close();
    expect(unkeyed).toMatchObject({ ok: true, keyed: null });
    // The first command that writes keys it (here: adding a user); verify then checks the old entries by hash.
    expect(beslis('users', 'add', 'dirk', '--role', 'viewer', '--password-stdin', '--db', old).status).toBe(1); // no stdin: refused, but the store was opened
    const r = beslis('audit', 'verify', '--db', old, '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.keyed.since).toBe(unkeyed.head!.id + 1);
    expect(report.unkeyedEntries).toBe(unkeyed.entries);
    const db = new Database(old, { readonly: true });
    const keying = db.prepare(`SELECT actor, detail FROM audit_log WHERE action = 'audit.keyed'`).get() as { actor: string; detail: string };
    db.close();
    expect(keying.actor).toBe('system');
    expect(JSON.parse(keying.detail)).toMatchObject({ scheme: 'hmac-sha256', keySource: 'file', entriesBefore: unkeyed.entries });
    // Rewriting one of the old entries and re-hashing now breaks the keyed entry after them.
    const later = rewritten('old-rewritten.db', `UPDATE audit_log SET actor = 'iemand' WHERE id = 2`, auditHash, true, old);
    expect(JSON.parse(beslis('audit', 'verify', '--db', later, '--json').stdout).broken).toMatchObject({ id: report.keyed.since, kind: 'changed', entry: { action: 'audit.keyed' } });
  });

  it('says so when there is no database, and explains itself', () => {
    const r = beslis('audit', 'verify', '--db', join(copies, 'nope.db'));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('there is no database');
    expect(beslis('audit', 'verify', '--help').stdout).toContain('Exit codes');
    expect(beslis('audit', 'frobnicate', '--db', dbFile).status).toBe(2);
  });
});
