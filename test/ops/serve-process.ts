// `beslis serve` as a child process on a loopback port, for the operations tests: start, log in, a token, stop.
import { DATA_DIR, send, type Client } from '../api/helpers.ts';
import { spawnServe, type ServeChild } from '../serve-child.ts';

export const SERVE_PASSWORD = 'beheer-wachtwoord-ops';

export interface ServeProcess extends ServeChild {
  admin(): Promise<Client>;
}

export async function startServe(args: string[], env: Record<string, string> = {}, listeners = 1): Promise<ServeProcess> {
  const started = await spawnServe(['--host', '127.0.0.1', '--seed', DATA_DIR, ...args], { PORT: '0', BESLIS_ADMIN_PASSWORD: SERVE_PASSWORD, BESLIS_LOG_LEVEL: 'warn', ...env }, { listeners });
  let admin: Promise<Client> | null = null;
  return { ...started, admin: () => (admin ??= loginAs(started.url, 'admin', SERVE_PASSWORD)) };
}

async function loginAs(base: string, username: string, password: string): Promise<Client> {
  const r = await send(base, 'POST', '/api/v1/auth/login', { username, password });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  const csrfToken = r.body.csrfToken as string;
  return {
    cookie,
    csrfToken,
    token: '',
    request: (method, path, body, headers = {}) => send(base, method, path, body, { cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': csrfToken }), ...headers }),
  };
}

/** A new API token made through the API by the admin. */
export async function issueToken(p: ServeProcess, name: string, scopes: string[]): Promise<string> {
  const r = await (await p.admin()).request('POST', '/api/v1/tokens', { name, scopes });
  if (r.status !== 201) throw new Error(`token: ${r.status} ${r.text}`);
  return r.body.token as string;
}

/** Waits for the exit, failing when it takes longer than `ms` (the bound the server promises). */
export function exitWithin(p: ServeProcess, ms: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not exit within ${ms} ms: ${p.output()}`)), ms);
    void p.exited.then((code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
