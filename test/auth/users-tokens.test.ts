// Users and API tokens through the API and the CLI; password hashing; security headers and error hygiene.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/store/users.ts';
import { bearer, REPO_ROOT, send, testServer, USER_PASSWORD, type TestServer } from '../api/helpers.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => {
  await srv.stop();
});

const hashOf = async (username: string) => (await srv.store.value<string>('SELECT password_hash FROM users WHERE username = ?', username))!;

describe('users through the API', () => {
  it('adds a user who can log in; the password is stored as salted scrypt', async () => {
    const r = await srv.request('POST', '/api/v1/users', { username: 'ans', password: USER_PASSWORD, roles: ['editor', 'tester'] });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe('/api/v1/users/ans');
    expect(r.body).toEqual({
      username: 'ans',
      roles: ['editor', 'tester'],
      createdAt: expect.any(String),
      disabled: false,
      failedLogins: 0,
      lockedUntil: null,
      // The admin chose the password: ans must choose her own at the first login.
      mustChangePassword: true,
      createdBy: 'admin',
      passwordSetBy: 'admin',
      rolesSetBy: 'admin',
    });
    await srv.request('POST', '/api/v1/users', { username: 'bert', password: USER_PASSWORD, roles: ['viewer'] });
    const [a, b] = [await hashOf('ans'), await hashOf('bert')];
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b); // same password, different salt
    expect(verifyPassword(USER_PASSWORD, a)).toBe(true);
    expect(verifyPassword(`${USER_PASSWORD}!`, a)).toBe(false);
    const ans = await srv.login('ans');
    expect((await ans.request('GET', '/api/v1/me')).body).toMatchObject({ username: 'ans', roles: ['editor', 'tester'], mustChangePassword: true });
    expect((await ans.request('GET', '/api/v1/tables')).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await ans.request('POST', '/api/v1/auth/password', { currentPassword: USER_PASSWORD, newPassword: 'van-ans-zelf-gekozen' })).status).toBe(200);
    expect((await ans.request('GET', '/api/v1/tables')).status).toBe(200);
    expect((await srv.login('ans', 'van-ans-zelf-gekozen').then((c) => c.request('GET', '/api/v1/me'))).body.mustChangePassword).toBe(false);
    const list = (await srv.request('GET', '/api/v1/users')).body.users;
    expect(list.map((u: { username: string }) => u.username)).toEqual(['admin', 'ans', 'bert']);
    expect(JSON.stringify(list)).not.toContain('scrypt');
  });

  it('refuses bad input with the JSON path of each problem, a taken name, and an unknown user', async () => {
    const bad = await srv.request('POST', '/api/v1/users', { username: 'Ans Smit', password: 'kort', roles: ['baas'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['/password', '/roles/0', '/username']);
    expect((await srv.request('POST', '/api/v1/users', { username: 'ans', password: USER_PASSWORD, roles: ['viewer'] })).body.error.code).toBe('USER_EXISTS');
    expect((await srv.request('POST', '/api/v1/users', { username: 'anonymous', password: USER_PASSWORD, roles: ['viewer'] })).status).toBe(400);
    expect((await srv.request('POST', '/api/v1/users', { username: 'x', password: USER_PASSWORD, roles: [] })).status).toBe(400);
    expect((await srv.request('PATCH', '/api/v1/users/niemand', { roles: ['viewer'] })).status).toBe(404);
    expect((await srv.request('PATCH', '/api/v1/users/ans', {})).status).toBe(400);
    expect((await srv.request('DELETE', '/api/v1/users/niemand')).status).toBe(404);
  });

  it('never leaves the system without an enabled admin', async () => {
    for (const change of [{ roles: ['editor'] }, { disabled: true }]) {
      const r = await srv.request('PATCH', '/api/v1/users/admin', change);
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('LAST_ADMIN');
    }
    expect((await srv.request('DELETE', '/api/v1/users/admin')).status).toBe(409);
    // With a second admin, the first may step down.
    await srv.request('POST', '/api/v1/users', { username: 'beheer2', password: USER_PASSWORD, roles: ['admin'] });
    expect((await srv.request('PATCH', '/api/v1/users/bert', { roles: ['viewer', 'approver'] })).body.roles).toEqual(['viewer', 'approver']);
    expect((await srv.request('DELETE', '/api/v1/users/bert')).status).toBe(204);
    expect((await send(srv.url, 'POST', '/api/v1/auth/login', { username: 'bert', password: USER_PASSWORD })).status).toBe(401);
  });

  it('an admin changing their own password keeps the session in use', async () => {
    const b = await srv.login('beheer2');
    // beheer2's password was set by admin: temporary, so the first thing is choosing one.
    expect((await b.request('PATCH', '/api/v1/users/beheer2', { password: 'nieuw-en-lang-genoeg' })).body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await b.request('POST', '/api/v1/auth/password', { currentPassword: USER_PASSWORD, newPassword: 'eigen-keuze-beheer2' })).status).toBe(200);
    const changed = await b.request('PATCH', '/api/v1/users/beheer2', { password: 'nieuw-en-lang-genoeg' });
    expect(changed.status).toBe(200);
    expect(changed.body.mustChangePassword).toBe(false);
    expect((await b.request('GET', '/api/v1/me')).status).toBe(200);
  });
});

describe('API tokens through the API', () => {
  it('shows the secret once, stores only its hash, lists without secrets with the last use, and revokes', async () => {
    const r = await srv.request('POST', '/api/v1/tokens', { name: 'zaaksysteem', scopes: ['evaluate'] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: expect.any(Number), name: 'zaaksysteem', scopes: ['evaluate'], createdBy: 'admin', lastUsedAt: null, revokedAt: null });
    const token = r.body.token as string;
    expect(token).toMatch(/^bsl_[A-Za-z0-9_-]{43}$/);
    const stored = await srv.store.value<string>('SELECT token_hash FROM api_tokens WHERE id = ?', r.body.id as number);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await srv.store.all('SELECT * FROM api_tokens'))).not.toContain(token);

    const app = bearer(srv.url, token);
    const ev = await app.request('POST', '/api/v1/evaluate/test.gedrag', { input: { houding: 'welwillend' } });
    expect(ev.status).toBe(200);
    const listed = (await srv.request('GET', '/api/v1/tokens')).body.tokens;
    expect(JSON.stringify(listed)).not.toContain(token);
    const mine = listed.find((t: { id: number }) => t.id === r.body.id);
    expect(Date.parse(mine.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect((await app.request('GET', '/api/v1/me')).body).toEqual({ kind: 'token', username: 'token:zaaksysteem', roles: [], scopes: ['evaluate'] });

    expect((await srv.request('POST', '/api/v1/tokens', { name: 'zaaksysteem', scopes: ['evaluate'] })).body.error.code).toBe('TOKEN_EXISTS');
    expect((await srv.request('POST', '/api/v1/tokens', { name: 'ci', scopes: ['admin'] })).status).toBe(400);
    expect((await srv.request('DELETE', `/api/v1/tokens/${r.body.id}`)).status).toBe(204);
    expect((await srv.request('DELETE', `/api/v1/tokens/${r.body.id}`)).status).toBe(204); // idempotent
    expect((await srv.request('DELETE', '/api/v1/tokens/abc')).status).toBe(400);
    expect((await app.request('POST', '/api/v1/evaluate/test.gedrag', { input: { houding: 'welwillend' } })).status).toBe(401);
    // After revocation the name is free again.
    expect((await srv.request('POST', '/api/v1/tokens', { name: 'zaaksysteem', scopes: ['evaluate', 'fixtures:run'] })).status).toBe(201);
  });
});

describe('the CLI', () => {
  // Asynchronous on purpose: a synchronous child would stall the server in this process, and a keep-alive socket the
  // server closes as it wakes up races the next request (ECONNRESET under load).
  const beslis = (args: string[], input?: string) =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), ...args, '--db', srv.store.file], { timeout: 30_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stdout, stderr }));
      child.stdin.end(input ?? '');
    });

  it('users add|list|passwd|roles|remove, beside the running server; changes are audited as cli:<user>', async () => {
    const add = await beslis(['users', 'add', 'carla', '--role', 'approver,viewer', '--password-stdin'], 'carla-haar-wachtwoord\n');
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toContain('added carla (viewer, approver)');
    expect((await srv.login('carla', 'carla-haar-wachtwoord')).cookie).not.toBe('');
    const list = await beslis(['users', 'list', '--json']);
    expect(JSON.parse(list.stdout).find((u: { username: string }) => u.username === 'carla')).toMatchObject({ roles: ['viewer', 'approver'], disabled: false });
    expect((await beslis(['users', 'list'])).stdout).toMatch(/carla\s+viewer,approver\s+active/);

    // Without a terminal and without --password-stdin, a password is generated and printed once.
    const passwd = await beslis(['users', 'passwd', 'carla']);
    expect(passwd.status).toBe(0);
    const generated = /password: (\S+)/.exec(passwd.stdout)![1]!;
    expect((await send(srv.url, 'POST', '/api/v1/auth/login', { username: 'carla', password: 'carla-haar-wachtwoord' })).status).toBe(401);
    expect((await send(srv.url, 'POST', '/api/v1/auth/login', { username: 'carla', password: generated })).status).toBe(200);

    expect((await beslis(['users', 'roles', 'carla', '--role', 'tester'])).stdout).toContain('carla: tester');
    expect((await beslis(['users', 'add', 'carla', '--role', 'tester'], '')).status).toBe(1);
    expect((await beslis(['users', 'add', 'x1', '--role', 'tester', '--password-stdin'], 'kort\n')).status).toBe(1);
    expect((await beslis(['users', 'add', 'x2'])).status).toBe(2);
    expect((await beslis(['users', 'remove', 'carla'])).status).toBe(0);
    expect((await beslis(['users', 'remove', 'carla'])).status).toBe(1);
    const actions = (await srv.store.auditEntries()).filter((e) => e.actor.startsWith('cli:')).map((e) => e.action);
    expect(actions).toEqual(['user.created', 'user.updated', 'user.updated', 'user.deleted']);
  });

  it('tokens create|list|revoke: the secret alone on stdout, once', async () => {
    const create = await beslis(['tokens', 'create', 'ci-pipeline', '--scope', 'fixtures:run']);
    expect(create.status, create.stderr).toBe(0);
    const token = create.stdout.trim();
    expect(token).toMatch(/^bsl_[A-Za-z0-9_-]{43}$/);
    const ci = bearer(srv.url, token);
    expect((await ci.request('POST', '/api/v1/fixtures/run', {})).status).toBe(200);
    expect((await ci.request('POST', '/api/v1/evaluate/test.gedrag', { input: { houding: 'welwillend' } })).status).toBe(403);
    const list = await beslis(['tokens', 'list']);
    expect(list.stdout).toMatch(/ci-pipeline\s+fixtures:run\s+20\d\d-/);
    expect(list.stdout).not.toContain(token);
    const id = (JSON.parse((await beslis(['tokens', 'list', '--json'])).stdout) as { id: number; name: string }[]).find((t) => t.name === 'ci-pipeline')!.id;
    expect((await beslis(['tokens', 'revoke', String(id)])).stdout).toContain(`revoked token ${id} 'ci-pipeline'`);
    expect((await ci.request('POST', '/api/v1/fixtures/run', {})).status).toBe(401);
    expect((await beslis(['tokens', 'revoke', '99999'])).status).toBe(1);
    expect((await beslis(['tokens', 'create', 'x', '--scope', 'alles'])).status).toBe(1);
    expect((await beslis(['tokens', 'create', 'x'])).status).toBe(2);
  });
});

describe('security headers and error hygiene', () => {
  it('sends helmet headers with a CSP that lets the editor run its own workers, and no caching of API answers', async () => {
    const r = await srv.anonymous.request('GET', '/api/v1/health');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).not.toContain('unsafe-eval');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(r.headers.get('x-powered-by')).toBeNull();
    expect((await srv.request('GET', '/api/v1/tables')).headers.get('cache-control')).toBe('no-store');
  });

  it('refuses bodies over the limit with 413, and no answer carries a stack trace', async () => {
    const small = await testServer({ bodyLimit: '2kb' });
    try {
      const big = await small.anonymous.request('POST', '/api/v1/auth/login', { username: 'admin', password: 'x'.repeat(5000) });
      expect(big.status).toBe(413);
      expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
      const malformed = await small.anonymous.request('POST', '/api/v1/auth/login', '{"username": ', { 'content-type': 'application/json' });
      expect(malformed.status).toBe(400);
      for (const text of [big.text, malformed.text]) expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
    } finally {
      await small.stop();
    }
  });
});
