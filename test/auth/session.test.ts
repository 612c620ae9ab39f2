// Sessions, CSRF and login lockout, against real servers (a controllable clock where time matters).
import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, login, send, testServer, USER_PASSWORD, type ServerOptionsForTest, type TestServer } from '../api/helpers.ts';

const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function server(opts: ServerOptionsForTest = {}): Promise<TestServer> {
  const s = await testServer(opts);
  servers.push(s);
  return s;
}

/** A clock the test moves forward. */
function clock(start = '2026-03-02T08:00:00.000Z') {
  let t = Date.parse(start);
  return {
    now: () => new Date(t),
    advance(minutes: number) {
      t += minutes * 60_000;
    },
  };
}

function cookieOf(headers: Headers): string {
  return headers.getSetCookie().join('\n');
}

describe('the session cookie', () => {
  it('is HttpOnly, SameSite=Strict, Path=/, not Secure over plain HTTP; the login returns the CSRF token that /api/v1/me repeats', async () => {
    const srv = await server();
    const r = await send(srv.url, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ username: 'admin', roles: ['viewer', 'editor', 'approver', 'tester', 'admin'] });
    expect(r.body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(JSON.stringify(r.body)).not.toMatch(/scrypt|password/);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const set = cookieOf(r.headers);
    expect(set).toMatch(/^beslis_session=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect(set).not.toMatch(/Secure/);
    const cookie = set.split(';')[0]!;
    const me = await send(srv.url, 'GET', '/api/v1/me', undefined, { cookie });
    expect(me.body).toMatchObject({ kind: 'user', username: 'admin', csrfToken: r.body.csrfToken });
    // The database keeps only a hash of the cookie value.
    const ids = (await srv.store.all<{ id_hash: string }>('SELECT id_hash FROM sessions')).map((r) => r.id_hash);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(ids[0]).not.toBe(cookie.split('=')[1]);
  });

  it('is Secure with the __Host- prefix behind an HTTPS proxy that is trusted, and only then', async () => {
    const proxied = await server({ trustProxy: 'loopback' });
    const viaHttps = await send(proxied.url, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(cookieOf(viaHttps.headers)).toMatch(/^__Host-beslis_session=[^;]+; Max-Age=43200; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Strict$/);
    const cookie = cookieOf(viaHttps.headers).split(';')[0]!;
    expect((await send(proxied.url, 'GET', '/api/v1/tables', undefined, { cookie, 'x-forwarded-proto': 'https' })).status).toBe(200);

    // Not trusted (the default): a client cannot claim HTTPS by sending the header itself.
    const direct = await server();
    const spoofed = await send(direct.url, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD }, { 'x-forwarded-proto': 'https' });
    expect(cookieOf(spoofed.headers)).not.toMatch(/Secure/);

    const always = await server({ auth: { secureCookies: 'always' } });
    const forced = await send(always.url, 'POST', '/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
    expect(cookieOf(forced.headers)).toMatch(/^__Host-beslis_session=.*; Secure; SameSite=Strict$/);
  });
});

describe('CSRF', () => {
  it('a cookie-authenticated write needs the X-CSRF-Token of its session: 403 with the JSON error shape otherwise', async () => {
    const srv = await server();
    const c = await login(srv.url, 'admin', ADMIN_PASSWORD);
    const path = '/api/v1/tables/test.gedrag/draft';
    const attempts: Record<string, string>[] = [{ cookie: c.cookie }, { cookie: c.cookie, 'x-csrf-token': 'verkeerd' }, { cookie: c.cookie, 'x-csrf-token': `${c.csrfToken.slice(0, -1)}x` }];
    for (const headers of attempts) {
      const r = await send(srv.url, 'PUT', path, { table: {} }, { 'if-match': '0', ...headers });
      expect(r.status).toBe(403);
      expect(r.body.error).toEqual({ code: 'CSRF_TOKEN_INVALID', message: expect.stringMatching(/X-CSRF-Token/), details: [] });
      expect(r.body).toMatchObject({ status: 403, code: 'CSRF_TOKEN_INVALID', title: 'Csrf token invalid', detail: r.body.error.message });
    }
    for (const method of ['POST', 'PATCH', 'DELETE']) {
      expect((await send(srv.url, method, '/api/v1/users/admin', {}, { cookie: c.cookie })).status).toBe(403);
    }
    expect((await send(srv.url, 'POST', '/api/v1/auth/logout', undefined, { cookie: c.cookie })).status).toBe(403);
    // With the token: past CSRF (the missing revision is the next complaint).
    expect((await c.request('PUT', path, { table: {} })).status).toBe(428);
    // Reads need no token; bearer tokens need none (a browser never sends them by itself).
    expect((await send(srv.url, 'GET', path, undefined, { cookie: c.cookie })).status).toBe(200);
    expect((await (await srv.withToken(['evaluate'])).request('POST', '/api/v1/evaluate/test.gedrag', { input: { houding: 'welwillend' } })).status).toBe(200);
    // Another session's token does not fit this session.
    const other = await login(srv.url, 'admin', ADMIN_PASSWORD);
    expect((await send(srv.url, 'PUT', path, { table: {} }, { cookie: c.cookie, 'x-csrf-token': other.csrfToken })).status).toBe(403);
  });
});

describe('ending sessions', () => {
  it('logout ends the session and clears the cookie', async () => {
    const srv = await server();
    const c = await login(srv.url, 'admin', ADMIN_PASSWORD);
    const r = await c.request('POST', '/api/v1/auth/logout');
    expect(r.status).toBe(204);
    expect(cookieOf(r.headers)).toMatch(/^beslis_session=; Path=\/; Expires=Thu, 01 Jan 1970/);
    const me = await c.request('GET', '/api/v1/me');
    expect(me.status).toBe(401);
    expect(me.body.error.message).toMatch(/session has ended/);
    expect((await srv.store.auditEntries()).filter((e) => e.action === 'auth.logout').map((e) => e.actor)).toEqual(['admin']);
  });

  it('/api/v1/auth/session says who is logged in, and "anonymous" with a 200 (not a 401) before login and after logout', async () => {
    const srv = await server();
    const before = await send(srv.url, 'GET', '/api/v1/auth/session');
    expect([before.status, before.body]).toEqual([200, { kind: 'anonymous' }]);
    const c = await login(srv.url, 'admin', ADMIN_PASSWORD);
    const during = await c.request('GET', '/api/v1/auth/session');
    expect(during.status).toBe(200);
    expect(during.body).toEqual((await c.request('GET', '/api/v1/me')).body);
    expect(during.body).toMatchObject({ kind: 'user', username: 'admin' });
    expect(during.body.roles).toContain('admin');
    expect(during.headers.get('cache-control')).toBe('no-store');
    await c.request('POST', '/api/v1/auth/logout');
    expect((await c.request('GET', '/api/v1/auth/session')).body).toEqual({ kind: 'anonymous' });
  });

  it('after the idle time without use, and at the absolute lifetime however busy', async () => {
    const t = clock();
    const srv = await server({ now: t.now, auth: { session: { idleMs: 30 * 60_000, absoluteMs: 120 * 60_000 } } });
    const idle = await login(srv.url, 'admin', ADMIN_PASSWORD);
    const busy = await login(srv.url, 'admin', ADMIN_PASSWORD);
    const at = async (minute: number, who: typeof idle) => {
      t.advance(minute - elapsed);
      elapsed = minute;
      return (await who.request('GET', '/api/v1/me')).status;
    };
    let elapsed = 0;
    expect(await at(20, idle)).toBe(200); // used: 30 more minutes from now
    expect(await at(20, busy)).toBe(200);
    expect(await at(40, busy)).toBe(200);
    expect(await at(51, idle)).toBe(401); // 31 minutes unused
    // busy keeps being used every 20 minutes; 120 minutes after login it ends all the same.
    for (const minute of [60, 80, 100, 119]) expect(await at(minute, busy), `at ${minute} min`).toBe(200);
    t.advance(2);
    const ended = await busy.request('GET', '/api/v1/tables');
    expect(ended.status).toBe(401);
    expect(ended.body.error.message).toMatch(/session has ended/);
    expect(await srv.store.value('SELECT COUNT(*) FROM sessions')).toBe(0);
  });

  it('a new password ends the other sessions; disabling a user ends theirs', async () => {
    const srv = await server();
    const first = await srv.as('ans', ['editor']);
    const second = await srv.login('ans');
    expect((await srv.request('PATCH', '/api/v1/users/ans', { password: 'een-nieuw-wachtwoord' })).status).toBe(200);
    expect((await first.request('GET', '/api/v1/me')).status).toBe(401);
    expect((await second.request('GET', '/api/v1/me')).status).toBe(401);
    const again = await srv.login('ans', 'een-nieuw-wachtwoord');
    expect((await srv.request('PATCH', '/api/v1/users/ans', { disabled: true })).status).toBe(200);
    expect((await again.request('GET', '/api/v1/me')).status).toBe(401);
    const refused = await send(srv.url, 'POST', '/api/v1/auth/login', { username: 'ans', password: 'een-nieuw-wachtwoord' });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('INVALID_CREDENTIALS');
  });
});

describe('login throttling and lockout', () => {
  const wrong = (srv: TestServer, username: string, headers: Record<string, string> = {}) =>
    send(srv.url, 'POST', '/api/v1/auth/login', { username, password: 'verkeerd-wachtwoord' }, headers);
  const right = (srv: TestServer, username: string, password = USER_PASSWORD, headers: Record<string, string> = {}) =>
    send(srv.url, 'POST', '/api/v1/auth/login', { username, password }, headers);

  it('locks a name after repeated failures, even for the right password, until the lock ends; audited', async () => {
    const t = clock();
    const srv = await server({ now: t.now, auth: { login: { userMaxFailures: 3, userLockMs: 10 * 60_000 } } });
    await srv.as('ans', ['editor']);
    for (let i = 0; i < 3; i++) {
      const r = await wrong(srv, 'ans');
      expect(r.status).toBe(401);
      expect(r.body.error).toEqual({ code: 'INVALID_CREDENTIALS', message: 'unknown user or wrong password', details: [] });
    }
    const locked = await right(srv, 'ans');
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(locked.body.error.message).toMatch(/too many failed logins for 'ans': try again in 10 minute/);
    expect(locked.headers.get('retry-after')).toBe('600');
    const users = (await srv.request('GET', '/api/v1/users')).body.users;
    expect(users.find((u: { username: string }) => u.username === 'ans').lockedUntil).toBe('2026-03-02T08:10:00.000Z');
    // Other names are not affected.
    expect((await right(srv, 'admin', ADMIN_PASSWORD)).status).toBe(200);

    const audit = (await srv.store.auditEntries()).filter((e) => e.action.startsWith('auth.') && e.action !== 'auth.login');
    expect(audit.map((e) => [e.action, e.detail])).toEqual([
      ['auth.login_failed', { username: 'ans', ip: '127.0.0.1', reason: 'wrong password' }],
      ['auth.login_failed', { username: 'ans', ip: '127.0.0.1', reason: 'wrong password' }],
      ['auth.login_failed', { username: 'ans', ip: '127.0.0.1', reason: 'wrong password' }],
      ['auth.locked', { username: 'ans', until: '2026-03-02T08:10:00.000Z' }],
    ]);

    t.advance(10);
    expect((await right(srv, 'ans')).status).toBe(200);
    expect((await srv.request('GET', '/api/v1/users')).body.users.find((u: { username: string }) => u.username === 'ans')).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it('an unknown name locks the same way (the answers do not tell which names exist); an admin can unlock a real one', async () => {
    const srv = await server({ auth: { login: { userMaxFailures: 2 } } });
    await srv.as('ans', ['editor']);
    for (const name of ['ans', 'niemand']) {
      expect((await wrong(srv, name)).body.error.message).toBe('unknown user or wrong password');
      expect((await wrong(srv, name)).status).toBe(401);
      const r = await wrong(srv, name);
      expect(r.status).toBe(429);
      expect(r.body.error.message).toBe(`too many failed logins for '${name}': try again in 15 minute(s), or ask an administrator to unlock the account`);
    }
    expect((await srv.request('PATCH', '/api/v1/users/ans', { unlock: true })).status).toBe(200);
    expect((await right(srv, 'ans')).status).toBe(200);
  });

  it('blocks a client address after many failures across names; with a trusted proxy per forwarded address', async () => {
    const srv = await server({ trustProxy: 'loopback', auth: { login: { ipMaxFailures: 4, userMaxFailures: 100 } } });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (const name of ['a1', 'a2', 'a3', 'a4']) expect((await wrong(srv, name, from('10.0.0.1'))).status).toBe(401);
    const blocked = await right(srv, 'admin', ADMIN_PASSWORD, from('10.0.0.1'));
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.message).toMatch(/from this address/);
    expect((await right(srv, 'admin', ADMIN_PASSWORD, from('10.0.0.2'))).status).toBe(200);
    expect((await srv.store.auditEntries()).filter((e) => e.action === 'auth.locked').map((e) => e.detail.ip)).toEqual(['10.0.0.1']);

    // Without a trusted proxy, a made-up X-Forwarded-For changes nothing: it is all 127.0.0.1.
    const direct = await server({ auth: { login: { ipMaxFailures: 4, userMaxFailures: 100 } } });
    for (const [i, name] of ['b1', 'b2', 'b3', 'b4'].entries()) expect((await wrong(direct, name, from(`10.0.1.${i}`))).status).toBe(401);
    expect((await right(direct, 'admin', ADMIN_PASSWORD, from('10.0.1.99'))).status).toBe(429);
  });

  it('a burst of parallel guesses cannot get more tries than the limit', async () => {
    const srv = await server({ auth: { login: { userMaxFailures: 3 } } });
    await srv.as('ans', ['editor']);
    const answers = await Promise.all(Array.from({ length: 12 }, () => wrong(srv, 'ans')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s !== 401).every((s) => s === 429)).toBe(true);
    expect((await srv.store.auditEntries()).filter((e) => e.action === 'auth.login_failed')).toHaveLength(statuses.filter((s) => s === 401).length);
  });
});
