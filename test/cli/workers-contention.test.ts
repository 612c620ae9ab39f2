// `beslis serve --workers 2` under contention, tried as the attacker and busy office would:
// - a submission whose publish gate takes seconds (tens of thousands of fixture cases) while another person logs in
//   and saves drafts in a loop: the gate runs outside the write lock, so nobody gets a 5xx ("database is locked") and
//   every save is answered;
// - twelve wrong passwords for one name sent at once, spread over both workers: five are checked, the rest are refused
//   (429), because the count of failures and of attempts in flight lives in the database, not in each worker.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, send, USER_PASSWORD, type Body, type Client } from '../api/helpers.ts';
import { startServe, type ServeProcess } from '../ops/serve-process.ts';

const CASES = 40_000;
let serve: ServeProcess;
let admin: Client;

/** A user the admin adds (temporary password), who then chooses their own, as the first login asks. */
async function addUser(username: string, roles: string[]): Promise<void> {
  const created = await admin.request('POST', '/api/v1/users', { username, password: `tijdelijk-${USER_PASSWORD}`, roles });
  expect(created.status, created.text).toBe(201);
  const first = await login(serve.url, username, `tijdelijk-${USER_PASSWORD}`);
  const changed = await first.request('POST', '/api/v1/auth/password', { currentPassword: `tijdelijk-${USER_PASSWORD}`, newPassword: USER_PASSWORD });
  expect(changed.status, changed.text).toBe(200);
}

beforeAll(async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'beslis-contention-')), 'c.db');
  serve = await startServe(['--db', db, '--workers', '2'], {}, 2);
  admin = await serve.admin();
  await addUser('ans', ['editor']);
  await addUser('wachter', ['viewer']);
}, 120_000);

afterAll(async () => {
  serve?.child.kill('SIGTERM');
  await serve?.exited;
});

describe('beslis serve --workers 2 under contention', () => {
  it('a submission whose gate takes seconds does not lock out logins and draft saves on either worker', async () => {
    // A slow gate: 400 rules no case reaches before the three that decide (every case checks them all), and tens of
    // thousands of fixture cases, each run against the draft.
    const houdingen = ['welwillend', 'onverschillig', 'calculerend'];
    const gedrag = ['A', 'B', 'C'];
    const base = (await admin.request('GET', '/api/v1/tables/test.gedrag/draft')).body;
    const filler = Array.from({ length: 400 }, (_, i) => ({ id: `X${i}`, when: { houding: 'not("welwillend", "onverschillig", "calculerend")' }, then: { gedrag: '"C"' } }));
    const saved = await admin.request('PUT', '/api/v1/tables/test.gedrag/draft', { table: { ...base.table, rules: [...filler, ...base.table.rules] } }, { 'If-Match': String(base.revision) });
    expect(saved.status, saved.text).toBe(200);
    const cases = Array.from({ length: CASES }, (_, i) => ({ name: `geval ${i}`, input: { houding: houdingen[i % 3] }, expect: { gedrag: gedrag[i % 3] } }));
    const put = await admin.request('PUT', '/api/v1/tables/test.gedrag/draft/fixtures', { fixtures: { table: 'test.gedrag', cases }, reason: 'heel veel gevallen' }, { 'If-Match': String(saved.body.revision) });
    expect(put.status, put.text).toBe(200);

    let submitted = false;
    const submit = admin.request('POST', '/api/v1/tables/test.gedrag/draft/submit', { validFrom: '2031-01-01', note: 'veel testgevallen' }).finally(() => (submitted = true));

    // Meanwhile ans logs in afresh and saves drafts of other tables, again and again (bounded), in three loops at once:
    // requests on the worker busy with the gate wait for it, the others are answered by the other worker.
    const statuses: number[] = [];
    let savesDuringGate = 0;
    const loop = async (tableId: string) => {
      const first = (await admin.request('GET', `/api/v1/tables/${tableId}/draft`)).body;
      let revision = first.revision as number;
      for (let i = 0; i < 100 && (!submitted || i < 3); i++) {
        const ans = await login(serve.url, 'ans', USER_PASSWORD);
        statuses.push(200);
        const saved = await ans.request('PUT', `/api/v1/tables/${tableId}/draft`, { table: { ...first.table, title: `${tableId} ${i}` } }, { 'If-Match': String(revision) });
        statuses.push(saved.status);
        expect(saved.status, saved.text).toBe(200);
        revision = saved.body.revision as number;
        if (!submitted) savesDuringGate++;
      }
    };
    await Promise.all(['test.matrix', 'test.overlap', 'test.boete'].map(loop));
    const done = await submit;
    expect(done.status, done.text).toBe(200);
    expect(done.body.report.fixtures.totals).toMatchObject({ cases: CASES, failed: 0 });
    console.log(`gate: ${Math.round(done.body.report.fixtures.ms)} ms of fixtures; ${savesDuringGate} logins and saves answered meanwhile`);
    expect(statuses.every((s) => s < 500)).toBe(true);
    // The loop did run while the gate was busy (otherwise this test would show nothing).
    expect(savesDuringGate).toBeGreaterThan(0);
    expect(serve.output()).not.toMatch(/database is locked|SQLITE_BUSY/);
  }, 180_000);

  it('twelve wrong passwords at once over two workers: five are checked, seven refused, and the name is locked', async () => {
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => send(serve.url, 'POST', '/api/v1/auth/login', { username: 'wachter', password: `geraden-${i}-wachtwoord` })));
    const checked = guesses.filter((r) => r.status === 401).length;
    const refused = guesses.filter((r) => r.status === 429);
    expect(checked).toBe(5);
    expect(refused).toHaveLength(7);
    expect(refused.every((r) => Number(r.headers.get('retry-after')) > 0)).toBe(true);
    // Locked for both workers now, even with the right password.
    for (let i = 0; i < 4; i++) expect((await send(serve.url, 'POST', '/api/v1/auth/login', { username: 'wachter', password: USER_PASSWORD })).status).toBe(429);
    const users = (await admin.request('GET', '/api/v1/users')).body.users as Body[];
    expect(users.find((u) => u.username === 'wachter').lockedUntil).not.toBeNull();

    // A name that does not exist is counted the same way, so it cannot be told apart from a real one.
    const unknown = await Promise.all(Array.from({ length: 12 }, (_, i) => send(serve.url, 'POST', '/api/v1/auth/login', { username: 'bestaat-niet', password: `geraden-${i}-wachtwoord` })));
    expect(unknown.filter((r) => r.status === 401)).toHaveLength(5);
    expect(unknown.filter((r) => r.status === 429)).toHaveLength(7);
  }, 60_000);
});
