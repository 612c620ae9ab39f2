// A real server on a loopback port with a real database file in a temp dir, seeded from test/api/data, and the
// clients that talk to it: the first admin (logged in), users with given roles, API tokens, or nobody.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { LogLevel } from '../../server/api/request-log.ts';
import { startServer, type RunningServer, type ServerOptions } from '../../server/api/server.ts';
import { createToken, type Scope } from '../../server/store/tokens.ts';
import { createUser, getUser, type Role } from '../../server/store/users.ts';
import { freshDatabase } from '../pg/databases.ts';

export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function tempDir(prefix = 'beslis-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Whether this run's stores are PostgreSQL (the vitest project "postgres", vite.config.ts): tests about SQLite
 * itself (its file, WAL, backups, its log writer thread) skip there.
 */
export const ON_POSTGRES = process.env.BESLIS_TEST_DATABASE === 'postgres';

/**
 * The database a test opens: a SQLite file in `dir`, or on PostgreSQL a fresh empty database on the run's cluster
 * (its URL). Tests use this instead of naming a file, so the same test runs on both.
 */
export async function testDatabase(dir: string, name = 'beslis.db'): Promise<string> {
  return ON_POSTGRES ? freshDatabase(inject('pgClusterUrl')) : join(dir, name);
}

/** A private copy of the test policy files (tests may change them). */
export function copyData(dir = tempDir()): string {
  cpSync(DATA_DIR, dir, { recursive: true });
  return dir;
}

/** Response bodies are read freely in tests: a wrong guess fails the assertion that reads it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = any;

export interface Reply {
  status: number;
  body: Body;
  headers: Headers;
  text: string;
}

export type RequestFn = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<Reply>;

/** One HTTP request with a JSON (or raw string) body; no credentials of its own. */
export async function send(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, headers: res.headers, text };
}

/** Someone talking to the server: a person with a session (cookie + X-CSRF-Token on writes), a token, or nobody. */
export interface Client {
  request: RequestFn;
  /** The session cookie (`name=value`) or ''. */
  cookie: string;
  csrfToken: string;
  /** The bearer token or ''. */
  token: string;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function client(base: string, cookie: string, csrfToken: string, token: string): Client {
  return {
    cookie,
    csrfToken,
    token,
    request: (method, path, body, headers = {}) => {
      const h: Record<string, string> = {};
      if (cookie) h.cookie = cookie;
      if (cookie && csrfToken && !SAFE.has(method.toUpperCase())) h['x-csrf-token'] = csrfToken;
      if (token) h.authorization = `Bearer ${token}`;
      return send(base, method, path, body, { ...h, ...headers });
    },
  };
}

export function anonymous(base: string): Client {
  return client(base, '', '', '');
}

export function bearer(base: string, token: string): Client {
  return client(base, '', '', token);
}

/** Logs in through POST /api/v1/auth/login; throws when that fails. */
export async function login(base: string, username: string, password: string): Promise<Client> {
  const r = await send(base, 'POST', '/api/v1/auth/login', { username, password });
  if (r.status !== 200) throw new Error(`login as ${username} failed: ${r.status} ${r.text}`);
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  return client(base, cookie, r.body.csrfToken as string, '');
}

export const ADMIN_PASSWORD = 'test-admin-password';
export const USER_PASSWORD = 'een-lang-wachtwoord';

export interface TestServer extends RunningServer {
  dir: string;
  /** As the first admin (every role), logged in on first use. */
  request: RequestFn;
  /** Without any credentials. */
  anonymous: Client;
  /** A user with these roles (created directly in the store when missing), logged in. */
  as(username: string, roles: Role[]): Promise<Client>;
  login(username: string, password?: string): Promise<Client>;
  /** A new API token with these scopes. */
  withToken(scopes: Scope[], name?: string): Promise<Client>;
  stop(): Promise<void>;
}

export type ServerOptionsForTest = Partial<ServerOptions>;

let tokenCount = 0;

export async function testServer(opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dir = tempDir();
  const running = await startServer({
    dbFile: await testDatabase(dir),
    port: 0,
    host: '127.0.0.1',
    seedDir: DATA_DIR,
    adminPassword: ADMIN_PASSWORD,
    say: () => {},
    // The table checker's thread starts on the first save instead: most test servers never save a table.
    warmTableChecker: false,
    // Quiet unless asked (BESLIS_LOG_LEVEL=info npx vitest run … shows every request).
    requestLog: { level: (process.env.BESLIS_LOG_LEVEL as LogLevel | undefined) || 'silent' },
    ...opts,
  });
  const base = running.url;
  let admin: Promise<Client> | null = null;
  const request: RequestFn = async (method, path, body, headers) => {
    admin ??= login(base, 'admin', opts.adminPassword ?? ADMIN_PASSWORD);
    return (await admin).request(method, path, body, headers);
  };
  return Object.assign(running, {
    dir,
    request,
    anonymous: anonymous(base),
    async as(username: string, roles: Role[]) {
      if (!(await getUser(running.store, username))) (await createUser(running.store, { username, password: USER_PASSWORD, roles }, 'test', { temporaryPassword: false }));
      return login(base, username, USER_PASSWORD);
    },
    login: async (username: string, password = USER_PASSWORD) => login(base, username, password),
    async withToken(scopes: Scope[], name = `test-token-${++tokenCount}`) {
      return bearer(base, (await createToken(running.store, { name, scopes }, 'test')).token);
    },
    async stop() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
