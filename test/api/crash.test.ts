// Crash safety: a real `beslis serve` process is killed with SIGKILL in the middle of a stream of draft saves
// and evaluations. After a restart every acknowledged save is there and SQLite's integrity check says ok.
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { login, tempDir, type Body } from './helpers.ts';
import { PASSWORD, serve } from './kill-harness.ts';

const dir = tempDir('beslis-crash-');
const dbFile = join(dir, 'crash.db');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});


/** Credentials per server URL: the admin's session (cookie and CSRF token). */
const sessions = new Map<string, Record<string, string>>();

async function signIn(url: string): Promise<void> {
  const c = await login(url, 'admin', PASSWORD);
  sessions.set(url, { cookie: c.cookie, 'x-csrf-token': c.csrfToken });
}

async function call(url: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': 'application/json', ...sessions.get(url), ...headers }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Body };
}

async function get(url: string, path: string): Promise<Body> {
  return (await fetch(`${url}${path}`, { headers: { ...sessions.get(url) } })).json();
}

describe('SIGKILL in the middle of writes', () => {
  it('keeps every acknowledged write, and the database is intact', async () => {
    const first = await serve(dbFile, [], children);
    await signIn(first.url);
    const base = await get(first.url, '/api/v1/tables/test.gedrag/draft');
    expect(base.revision).toBe(0);

    let ackedRevision = 0;
    const titleOf = (rev: number) => `Gedrag, opgeslagen als revisie ${rev}`;
    const ackedEvaluations: { seq: number; at: number }[] = [];
    let stop = false;

    const saves = (async () => {
      while (!stop) {
        const next = ackedRevision + 1;
        try {
          const r = await call(first.url, 'PUT', '/api/v1/tables/test.gedrag/draft', { table: { ...base.table, title: titleOf(next) } }, { 'If-Match': String(ackedRevision) });
          if (r.status !== 200) throw new Error(`save answered ${r.status}: ${JSON.stringify(r.body)}`);
          expect(r.body.revision).toBe(next);
          ackedRevision = next;
        } catch (err) {
          if (stop) return;
          throw err;
        }
      }
    })();
    let seq = 0;
    const evaluations = [0, 1, 2].map(async () => {
      while (!stop) {
        const mine = ++seq;
        try {
          // `eerder` is a declared (optional) input of test.boete, so the log keeps it: it numbers the evaluations.
          const r = await call(first.url, 'POST', '/api/v1/evaluate/test.boete', { input: { categorie: 'A', eerder: mine } });
          if (r.status !== 200) throw new Error(`evaluate answered ${r.status}`);
          ackedEvaluations.push({ seq: mine, at: Date.now() });
        } catch (err) {
          if (stop) return;
          throw err;
        }
      }
    });

    // Let the stream run until it has written enough (at least 2.5 s, at most 30 s on a loaded machine), then kill
    // the server without warning while requests are in flight.
    const started = Date.now();
    const settledNow = () => ackedEvaluations.filter((e) => e.at < Date.now() - 1100).length;
    while (Date.now() - started < 30_000 && (Date.now() - started < 2500 || ackedRevision <= 5 || ackedEvaluations.length <= 20 || settledNow() <= 10)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const killedAt = Date.now();
    stop = true; // from here on, failed requests are the kill's doing
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    await Promise.all([saves, ...evaluations]);
    expect(first.child.signalCode).toBe('SIGKILL');
    expect(ackedRevision).toBeGreaterThan(5);
    expect(ackedEvaluations.length).toBeGreaterThan(20);

    // The file as the kill left it: intact, and every acknowledged save is in it.
    const db = new Database(dbFile);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const draft = db.prepare("SELECT revision, content FROM drafts WHERE table_id = 'test.gedrag'").get() as { revision: number; content: string };
    // The save in flight at the kill may or may not have committed; nothing acknowledged is missing.
    expect([ackedRevision, ackedRevision + 1]).toContain(draft.revision);
    expect(JSON.parse(draft.content).title).toBe(titleOf(draft.revision));
    const savedRevisions = (
      db.prepare("SELECT detail FROM audit_log WHERE action = 'draft.saved' AND table_id = 'test.gedrag' ORDER BY id").pluck().all() as string[]
    ).map((d) => (JSON.parse(d) as { revision: number }).revision);
    expect(savedRevisions.slice(0, ackedRevision)).toEqual(Array.from({ length: ackedRevision }, (_, i) => i + 1));
    // The evaluation log is written in batches a few ms after the answer: everything answered a second before
    // the kill has been committed.
    const logged = new Set(
      (db.prepare("SELECT input FROM evaluation_log WHERE table_id = 'test.boete'").pluck().all() as string[]).map((i) => (JSON.parse(i) as { eerder: number }).eerder),
    );
    const settled = ackedEvaluations.filter((e) => e.at < killedAt - 1000);
    expect(settled.length).toBeGreaterThan(10);
    expect(settled.filter((e) => !logged.has(e.seq))).toEqual([]);
    db.close();

    // Restart on the same file: it is not re-seeded, and it serves the saved draft and evaluations.
    const second = await serve(dbFile, [], children);
    await signIn(second.url);
    const after = await get(second.url, '/api/v1/tables/test.gedrag/draft');
    expect(after.revision).toBe(draft.revision);
    expect(after.table.title).toBe(titleOf(draft.revision));
    const ev = await call(second.url, 'POST', '/api/v1/evaluate/test.matrix', { input: { houding: 'welwillend', gevolgen: 1 } });
    expect(ev.body.output).toEqual({ interventie: 'waarschuwing' });
    const more = await call(second.url, 'PUT', '/api/v1/tables/test.gedrag/draft', { table: base.table }, { 'If-Match': String(after.revision) });
    expect(more.body.revision).toBe(after.revision + 1);
    second.child.kill('SIGTERM');
    const code = await new Promise((r) => second.child.once('exit', r));
    expect(code).toBe(0);
    const check = new Database(dbFile, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(check.prepare("SELECT COUNT(*) FROM versions WHERE table_id = 'test.boete'").pluck().get()).toBe(3);
    check.close();
  }, 90_000);
});
