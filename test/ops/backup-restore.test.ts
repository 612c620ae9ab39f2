// Backups of a running server and the restore drill: `beslis backup` while draft saves and evaluations run against
// `beslis serve --workers 2` on loopback, `beslis restore` into a fresh database, a fresh server on it: every write
// acknowledged before the backup is there and the audit chain verifies. And what restore refuses.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, send, tempDir } from '../api/helpers.ts';
import { exitWithin, issueToken, startServe, type ServeProcess } from './serve-process.ts';

const dir = tempDir('beslis-backup-');
const servers: ServeProcess[] = [];
afterAll(() => {
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `beslis <args>` as its own process (asynchronously: the servers in this process keep answering). */
function beslis(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), ...args], { env: { ...process.env, BESLIS_DB: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.once('exit', (code) => resolve({ code, out }));
  });
}

async function serve(args: string[]): Promise<ServeProcess> {
  const workers = args.includes('--workers') ? Number(args[args.indexOf('--workers') + 1]) : 1;
  const s = await startServe(args, {}, workers);
  servers.push(s);
  return s;
}

async function stop(s: ServeProcess): Promise<void> {
  s.child.kill('SIGTERM');
  expect(await exitWithin(s, 30_000)).toBe(0);
}

describe('beslis backup and restore', () => {
  it('backs up under load with --workers 2; the restored copy has every acknowledged write and a verifying audit chain', async () => {
    const live = join(dir, 'live.db');
    const server = await serve(['--db', live, '--workers', '2']);
    const admin = await server.admin();
    const token = await issueToken(server, 'backup-load', ['evaluate']);
    const base = (await admin.request('GET', '/api/v1/tables/test.gedrag/draft')).body;
    const titleOf = (rev: number) => `Gedrag, opgeslagen als revisie ${rev}`;

    let stop_ = false;
    let ackedRevision = 0;
    const saves = (async () => {
      for (let i = 0; i < 400 && !stop_; i++) {
        const next = ackedRevision + 1;
        const r = await admin.request('PUT', '/api/v1/tables/test.gedrag/draft', { table: { ...base.table, title: titleOf(next) } }, { 'If-Match': String(ackedRevision) });
        expect(r.status, r.text).toBe(200);
        ackedRevision = r.body.revision as number;
      }
    })();
    const acked: number[] = [];
    let seq = 0;
    const evaluations = [0, 1, 2].map(async () => {
      for (let i = 0; i < 3000 && !stop_; i++) {
        const mine = ++seq;
        const r = await send(server.url, 'POST', '/api/v1/evaluate/test.boete', { input: { categorie: 'A', eerder: mine } }, { authorization: `Bearer ${token}` });
        expect(r.status, r.text).toBe(200);
        acked.push(mine);
      }
    });
    while (acked.length < 200 || ackedRevision < 5) await new Promise((r) => setTimeout(r, 20));

    // What was acknowledged before the backup starts must be in it. An evaluation reaches the log a few
    // milliseconds after its answer (the log's batching window), so the evaluations are taken a little earlier.
    const savedBefore = ackedRevision;
    const evaluatedBefore = [...acked];
    await new Promise((r) => setTimeout(r, 300));
    const file = join(dir, 'under-load.db');
    const backup = await beslis(['backup', '--db', live, '--out', file]);
    expect(backup.code, backup.out).toBe(0);
    const head = /hash ([0-9a-f]{64})/.exec(backup.out)![1]!;
    // The writes went on while the copy was made.
    const afterBackup = acked.length;
    while (acked.length < afterBackup + 50) await new Promise((r) => setTimeout(r, 20));
    stop_ = true;
    await Promise.all([saves, ...evaluations]);

    // A check of the backup is fine while the server runs (a drill); a restore is refused, nothing changed.
    const check = await beslis(['restore', '--check', file, '--db', live]);
    expect(check.code, check.out).toBe(0);
    expect(check.out).toContain(`hash ${head}`);
    // Restore while the server runs: refused, nothing changed.
    const refused = await beslis(['restore', file, '--db', live]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('open in another process');
    await stop(server);

    // The drill: restore into a fresh place, start a fresh server on it.
    const fresh = join(dir, 'fresh.db');
    // The audit key is kept apart from the backup and put beside the restored database first.
    copyFileSync(`${live}.audit-key`, `${fresh}.audit-key`);
    const restored = await beslis(['restore', file, '--db', fresh]);
    expect(restored.code, restored.out).toBe(0);
    expect(restored.out).toContain(`hash ${head}`);
    const verified = await beslis(['audit', 'verify', '--db', fresh]);
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toContain(head);
    const second = await serve(['--db', fresh]);
    const admin2 = await second.admin();
    const draft = (await admin2.request('GET', '/api/v1/tables/test.gedrag/draft')).body;
    expect(draft.revision).toBeGreaterThanOrEqual(savedBefore);
    expect(draft.table.title).toBe(titleOf(draft.revision));
    const verify = await admin2.request('GET', '/api/v1/audit/verify');
    expect(verify.status).toBe(200);
    expect(verify.body.ok).toBe(true);
    await stop(second);

    const db = new Database(fresh, { readonly: true });
    const logged = new Set(
      (db.prepare("SELECT input FROM evaluation_log WHERE caller = 'token:backup-load'").pluck().all() as string[]).map((t) => (JSON.parse(t) as { eerder: number }).eerder),
    );
    db.close();
    const missing = evaluatedBefore.filter((n) => !logged.has(n));
    expect(missing).toEqual([]);
    expect(logged.size).toBeLessThan(acked.length); // the backup is of a moment: later evaluations are not in it
  }, 180_000);

  it('refuses a damaged file, a tampered audit trail and a newer schema, and leaves the database alone', async () => {
    const live = join(dir, 'refuse.db');
    const server = await serve(['--db', live]);
    await server.admin(); // a login: an audit entry
    const good = join(dir, 'new-folder', 'good.db'); // a folder that does not exist yet is made
    expect((await beslis(['backup', '--db', live, '--out', good])).code).toBe(0);
    // A second backup to the same name is refused: a backup file that exists is never overwritten.
    const again = await beslis(['backup', '--db', live, '--out', good]);
    expect(again.code).toBe(1);
    expect(again.out).toContain('exists already');
    await stop(server);
    const before = readFileSync(live);

    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, Buffer.concat([readFileSync(good).subarray(0, 4096), Buffer.alloc(8192, 0x5a)]));
    const tampered = join(dir, 'tampered.db');
    writeFileSync(tampered, readFileSync(good));
    const t = new Database(tampered);
    for (const trigger of t.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'").pluck().all() as string[]) t.exec(`DROP TRIGGER "${trigger}"`);
    t.prepare("UPDATE audit_log SET actor = 'iemand-anders' WHERE id = (SELECT MIN(id) FROM audit_log)").run();
    t.close();
    const newer = join(dir, 'newer.db');
    writeFileSync(newer, readFileSync(good));
    const n = new Database(newer);
    n.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES ((SELECT MAX(version) + 1 FROM schema_migrations), 'from the future', '2099-01-01')").run();
    n.close();

    for (const [file, says] of [
      [garbage, /not a database|malformed|integrity|corrupt/i],
      [tampered, /audit trail does not verify/],
      [newer, /newer than this program knows/],
      [join(dir, 'no-such.db'), /there is no backup/],
    ] as const) {
      const c = await beslis(['restore', '--check', file, '--db', live]);
      expect(c.code, `${file}: ${c.out}`).toBe(1);
      const r = await beslis(['restore', file, '--db', live]);
      expect(r.code, `${file}: ${r.out}`).toBe(1);
      expect(r.out).toMatch(says);
      expect(readFileSync(live).equals(before)).toBe(true);
    }
    expect(readdirSync(dir).filter((f) => f.includes('.restore-'))).toEqual([]);

    // A good backup restored where its audit key is not (no key, or another one) is refused: the chain cannot be
    // verified, and a fresh key would sign a history it never saw.
    const elsewhere = join(dir, 'elsewhere.db');
    const noKey = await beslis(['restore', good, '--db', elsewhere], { BESLIS_AUDIT_KEY: '' });
    expect(noKey.code, noKey.out).toBe(1);
    expect(noKey.out).toContain('another audit key');
    writeFileSync(`${elsewhere}.audit-key`, `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    const otherKey = await beslis(['restore', good, '--db', elsewhere], { BESLIS_AUDIT_KEY: '' });
    expect(otherKey.code, otherKey.out).toBe(1);
    expect(existsSync(elsewhere)).toBe(false);
    expect(readFileSync(`${elsewhere}.audit-key`, 'utf8')).toBe(`${'ab'.repeat(32)}\n`);

    // The good one goes in; the database it replaced is kept. It may be damaged (the disk failed): that is when
    // a restore is needed most.
    const damaged = Buffer.concat([before.subarray(0, 100), Buffer.alloc(before.length - 100, 0x21)]);
    writeFileSync(live, damaged);
    const ok = await beslis(['restore', good, '--db', live]);
    expect(ok.code, ok.out).toBe(0);
    const kept = /kept as (\S+)/.exec(ok.out)![1]!;
    expect(readFileSync(kept).equals(damaged)).toBe(true);
    expect(existsSync(`${live}-wal`)).toBe(false);
    expect((await beslis(['audit', 'verify', '--db', live])).code).toBe(0);
  }, 120_000);

  it('serve --backup-dir takes a backup at start and on schedule, keeps the newest N, once under --workers', async () => {
    const live = join(dir, 'scheduled.db');
    const backups = join(dir, 'scheduled');
    const server = await serve(['--db', live, '--workers', '2', '--backup-dir', backups, '--backup-interval', '1s', '--backup-keep', '2']);
    const until = Date.now() + 30_000;
    while ((server.output().match(/backup \S+ written/g) ?? []).length < 4 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    // The primary's backups are in /metrics beside the workers' figures, once.
    const scrape = await send(server.url, 'GET', '/metrics', undefined, { authorization: `Bearer ${await issueToken(server, 'prometheus', ['metrics'])}` });
    expect(scrape.status).toBe(200);
    const ok = Number(/^beslis_backups_total\{outcome="ok"\} (\d+)$/m.exec(scrape.text)![1]);
    expect(ok).toBeGreaterThanOrEqual(4);
    expect(scrape.text.match(/^# TYPE beslis_backups_total/gm)).toHaveLength(1);
    const last = Number(/^beslis_backup_last_success_timestamp_seconds (\S+)$/m.exec(scrape.text)![1]);
    expect(last).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(scrape.text).toMatch(/^beslis_evaluation_log_queue_rows /m);
    await stop(server);
    const written = server.output().match(/backup (\S+) written/g) ?? [];
    expect(written.length).toBeGreaterThanOrEqual(4);
    // One schedule (the primary's), not one per worker: every backup has its own name.
    expect(new Set(written).size).toBe(written.length);
    const left = readdirSync(backups);
    expect(left).toHaveLength(2);
    expect(left.every((f) => /^beslis-\d{8}T\d{9}Z\.db$/.test(f))).toBe(true);
    copyFileSync(`${live}.audit-key`, join(dir, 'from-schedule.db.audit-key'));
    const r = await beslis(['restore', join(backups, left.sort()[1]!), '--db', join(dir, 'from-schedule.db')]);
    expect(r.code, r.out).toBe(0);
  }, 120_000);
});
