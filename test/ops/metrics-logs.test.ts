// /metrics after known traffic, the JSON request log (fields present, no secret in it) and health, against a real
// server on a loopback port.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, testServer, USER_PASSWORD, type TestServer } from '../api/helpers.ts';

/** Every line the server's request log wrote. */
const lines: string[] = [];
const capture = { write: (s: string) => void lines.push(...s.split('\n').filter(Boolean)) };

let srv: TestServer;
beforeAll(async () => {
  srv = await testServer({ requestLog: { level: 'info', destination: capture } });
}, 60_000);
afterAll(async () => {
  await srv.stop();
});

/** The value of one series in a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have: Record<string, string> = {};
    for (const l of (m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) have[l[1]!] = l[2]!;
    if (Object.entries(labels).every(([k, v]) => have[k] === v) && Object.keys(have).length === Object.keys(labels).length) return Number(m[4]);
  }
  return undefined;
}

describe('GET /metrics', () => {
  it('counts known traffic by route pattern, table, version and outcome', async () => {
    const token = await srv.withToken(['evaluate'], 'metrics-evaluator');
    for (let i = 0; i < 7; i++) {
      const r = await token.request('POST', '/api/v1/evaluate/test.boete', { input: { categorie: 'A' }, date: '2020-06-01' });
      expect(r.status).toBe(200);
    }
    for (let i = 0; i < 3; i++) expect((await token.request('POST', '/api/v1/evaluate/test.boete', { input: { categorie: 'A' }, date: '2025-06-01' })).status).toBe(200);
    const batch = await token.request('POST', '/api/v1/evaluate/test.boete/batch', { cases: [{ input: { categorie: 'A' }, date: '2020-06-01' }, { input: { categorie: 'B' }, date: '2020-06-01' }] });
    expect(batch.status).toBe(200);
    // Unknown tables are counted under the route pattern: no series per address an attacker makes up.
    for (const junk of ['x.y', 'a.b', 'nope.nope']) expect((await token.request('POST', `/api/v1/evaluate/${junk}`, { input: {} })).status).toBe(404);
    expect((await send(srv.url, 'POST', '/api/v1/auth/login', { username: 'nobody-metrics', password: 'fout' })).status).toBe(401);
    expect((await send(srv.url, 'POST', '/api/v1/auth/login', { username: 'nobody-metrics', password: 'fout' })).status).toBe(401);
    // Five wrong passwords lock a name: the sixth attempt is refused by the lockout, even with the right password.
    await srv.as('lotte', ['viewer']);
    for (let i = 0; i < 5; i++) expect((await send(srv.url, 'POST', '/api/v1/auth/login', { username: 'lotte', password: `fout-${i}` })).status).toBe(401);
    expect((await send(srv.url, 'POST', '/api/v1/auth/login', { username: 'lotte', password: USER_PASSWORD })).status).toBe(429);
    const run = await srv.request('POST', '/api/v1/tables/test.boete/fixtures/run?target=1', {});
    expect(run.status).toBe(200);
    // The publish gate: test.overlap's rules overlap exactly (blocked), test.gedrag's pass.
    const editor = await srv.as('eva-metrics', ['editor']);
    for (const [table, status] of [['test.overlap', 422], ['test.gedrag', 200]] as const) {
      const draft = (await editor.request('GET', `/api/v1/tables/${table}/draft`)).body;
      expect((await editor.request('PUT', `/api/v1/tables/${table}/draft`, { table: { ...draft.table, title: `${draft.table.title}.` } }, { 'If-Match': '0' })).status).toBe(200);
      const submit = await editor.request('POST', `/api/v1/tables/${table}/draft/submit`, { validFrom: '2031-01-01', note: 'metrics' });
      expect(submit.status, submit.text).toBe(status);
    }

    const scraper = await srv.withToken(['metrics'], 'prometheus');
    const m = await scraper.request('GET', '/metrics');
    expect(m.status).toBe(200);
    expect(m.headers.get('content-type')).toContain('text/plain');
    const text = m.text;
    const evalRoute = { method: 'POST', route: '/api/v1/evaluate/:tableId' };
    expect(sample(text, 'beslis_http_requests_total', { ...evalRoute, status: '200' })).toBe(10);
    expect(sample(text, 'beslis_http_requests_total', { ...evalRoute, status: '404' })).toBe(3);
    expect(sample(text, 'beslis_http_requests_total', { method: 'POST', route: '/api/v1/evaluate/:tableId/batch', status: '200' })).toBe(1);
    expect(text).not.toContain('nope.nope');
    expect(sample(text, 'beslis_evaluations_total', { table: 'test.boete', version: '1' })).toBe(9);
    expect(sample(text, 'beslis_evaluations_total', { table: 'test.boete', version: '3' })).toBe(3);
    expect(sample(text, 'beslis_evaluate_duration_seconds_count', { table: 'test.boete', kind: 'single' })).toBe(10);
    expect(sample(text, 'beslis_evaluate_duration_seconds_count', { table: 'test.boete', kind: 'batch' })).toBe(1);
    expect(sample(text, 'beslis_evaluate_duration_seconds_bucket', { table: 'test.boete', kind: 'single', le: '+Inf' })).toBe(10);
    expect(sample(text, 'beslis_logins_total', { outcome: 'failed' })).toBe(7);
    expect(sample(text, 'beslis_logins_total', { outcome: 'locked' })).toBe(1);
    expect(sample(text, 'beslis_logins_total', { outcome: 'ok' })).toBe(3); // the admin's, lotte's first and the editor's
    expect(sample(text, 'beslis_publish_gate_total', { step: 'submit', outcome: 'blocked' })).toBe(1);
    expect(sample(text, 'beslis_publish_gate_total', { step: 'submit', outcome: 'passed' })).toBe(1);
    expect(sample(text, 'beslis_fixture_runs_total', { outcome: 'passed' })! + (sample(text, 'beslis_fixture_runs_total', { outcome: 'failed' }) ?? 0)).toBe(1);
    expect(sample(text, 'beslis_database_bytes')).toBeGreaterThan(10_000);
    expect(sample(text, 'beslis_evaluation_log_queue_rows')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'beslis_evaluation_log_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'beslis_process_resident_memory_bytes')).toBeGreaterThan(0);

    // Scraping again: the counters only grow by what happened in between (one more scrape).
    const again = (await scraper.request('GET', '/metrics')).text;
    expect(sample(again, 'beslis_evaluations_total', { table: 'test.boete', version: '1' })).toBe(9);
    expect(sample(again, 'beslis_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).toBe(1);
  });

  it('is for an admin or a token with scope metrics: an evaluate token and a viewer are refused, nobody gets 401', async () => {
    expect((await (await srv.withToken(['evaluate'])).request('GET', '/metrics')).status).toBe(403);
    expect((await (await srv.as('vera-metrics', ['viewer'])).request('GET', '/metrics')).status).toBe(403);
    expect((await srv.anonymous.request('GET', '/metrics')).status).toBe(401);
    expect((await srv.request('GET', '/metrics')).status).toBe(200);
  });
});

describe('the request log', () => {
  it('writes one JSON line per request with id, actor, route, status and duration, and no password, token, cookie or CSRF token', async () => {
    // A user and a token created through the API, so their secrets pass through the server as a client sends them.
    const created = await srv.request('POST', '/api/v1/users', { username: 'loes', password: USER_PASSWORD, roles: ['editor'] });
    expect(created.status).toBe(201);
    const loes = await srv.login('loes');
    // The admin's password for her is temporary: she chooses her own (that password passes through too).
    expect((await loes.request('POST', '/api/v1/auth/password', { currentPassword: USER_PASSWORD, newPassword: 'loes-eigen-wachtwoord' })).status).toBe(200);
    const issued = await srv.request('POST', '/api/v1/tokens', { name: 'zaaksysteem-log', scopes: ['evaluate'] });
    expect(issued.status).toBe(201);
    const secret = issued.body.token as string;
    const before = lines.length;

    const mine = 'trace-42.abc:def';
    const ev = await send(srv.url, 'POST', '/api/v1/evaluate/test.boete?token=' + secret, { input: { categorie: 'A' }, date: '2020-06-01' }, { authorization: `Bearer ${secret}`, 'x-request-id': mine });
    expect(ev.status).toBe(200);
    expect(ev.headers.get('x-request-id')).toBe(mine);
    const draft = await loes.request('GET', '/api/v1/tables/test.boete/draft');
    expect(draft.status).toBe(200);
    // A forged id (a newline that would start a fake log line, or far too long) is replaced by one of the server's.
    for (const bad of ['x\n{"level":50}', 'a'.repeat(200), 'spatie erin']) {
      const r = await fetch(`${srv.url}/api/v1/health`, { headers: { 'x-request-id': bad.replace('\n', ' ') } });
      expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const wrong = await send(srv.url, 'POST', '/api/v1/auth/login', { username: 'loes', password: 'geheim-maar-fout-wachtwoord' });
    expect(wrong.status).toBe(401);
    // A very long address is shortened in the log (a line stays well under what a pipe writes whole).
    const long = await srv.request('GET', `/api/v1/tables/${'x'.repeat(5000)}`, undefined, { 'x-request-id': 'long-path' });
    expect([400, 404]).toContain(long.status);
    await new Promise((r) => setTimeout(r, 50)); // the destination is written on a later tick

    const written = lines.slice(before);
    const parsed = written.map((l) => JSON.parse(l) as Record<string, unknown>);
    const evLine = parsed.find((p) => p.reqId === mine)!;
    expect(evLine).toMatchObject({ msg: 'request', method: 'POST', route: '/api/v1/evaluate/:tableId', path: '/api/v1/evaluate/test.boete', status: 200, actor: 'token:zaaksysteem-log' });
    expect(typeof evLine.ms).toBe('number');
    expect(typeof evLine.time).toBe('string');
    const draftLine = parsed.find((p) => p.route === '/api/v1/tables/:id/draft')!;
    expect(draftLine).toMatchObject({ actor: 'loes', status: 200, method: 'GET' });
    expect(draftLine.reqId).toBe(draft.headers.get('x-request-id'));
    expect(parsed.find((p) => p.route === '/api/v1/auth/login')).toMatchObject({ status: 401, actor: 'anonymous' });
    const longLine = written.find((l) => l.includes('"long-path"'))!;
    expect((JSON.parse(longLine) as { path: string }).path).toHaveLength(513);
    expect(longLine.length).toBeLessThan(1500);

    const everything = lines.join('\n');
    const cookieValue = loes.cookie.split('=')[1]!;
    for (const s of [secret, USER_PASSWORD, 'loes-eigen-wachtwoord', 'geheim-maar-fout-wachtwoord', cookieValue, loes.csrfToken, 'test-admin-password']) {
      expect(s.length).toBeGreaterThan(8);
      expect(everything).not.toContain(s);
    }
  });
});

describe('health', () => {
  it('keeps /api/v1/health, and tells liveness from readiness', async () => {
    expect((await srv.anonymous.request('GET', '/api/v1/health')).body).toEqual({ status: 'ok', version: expect.any(String) });
    expect((await srv.anonymous.request('GET', '/api/v1/health/live')).status).toBe(200);
    const ready = await srv.anonymous.request('GET', '/api/v1/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', checks: { database: 'ok', migrations: 'ok', evaluationLog: 'ok', accepting: 'ok' } });
    // Which database this node uses, and its schema.
    expect(ready.body.database).toEqual({ kind: 'sqlite', schemaVersion: ready.body.database.needs, needs: expect.any(Number), reachable: true });
    expect(ready.body.database.needs).toBeGreaterThan(0);
  });

  it('with a shutdown delay, fails readiness at once and keeps answering until the delay is over', async () => {
    const other = await testServer({ shutdownDelayMs: 3000 });
    const closed = other.close();
    const ready = await other.anonymous.request('GET', '/api/v1/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toMatchObject({ accepting: 'shutting down', database: 'ok' });
    expect(ready.headers.get('connection')).toBe('close');
    // Everything else is still answered while the load balancer takes the server out.
    expect((await other.anonymous.request('GET', '/api/v1/health')).status).toBe(200);
    await closed;
    await expect(fetch(`${other.url}/api/v1/health`)).rejects.toThrow();
    rmSync(other.dir, { recursive: true, force: true });
  });

  it('is not ready when the database lags behind this program\'s migrations', async () => {
    const other = await testServer();
    try {
      const newest = other.store.db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() as number;
      other.store.db.exec('DROP TRIGGER IF EXISTS schema_migrations_no_delete');
      other.store.db.prepare('DELETE FROM schema_migrations WHERE version = ?').run(newest);
      const r = await other.anonymous.request('GET', '/api/v1/health/ready');
      expect(r.status).toBe(503);
      expect(r.body.checks.migrations).toContain(`schema version ${newest - 1}`);
      expect(r.body.database).toMatchObject({ kind: 'sqlite', schemaVersion: newest - 1, needs: newest, reachable: true });
      expect(r.body.error.code).toBe('NOT_READY');
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ status: 503, code: 'NOT_READY', detail: expect.stringContaining('migrations') });
      expect((await other.anonymous.request('GET', '/api/v1/health/live')).status).toBe(200);
    } finally {
      await other.stop();
    }
  });
});
