// `beslis serve` as a child process on a loopback port, for the operations tests: start, log in, a token, stop.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, DATA_DIR, send, type Client } from '../api/helpers.ts';

export const SERVE_PASSWORD = 'beheer-wachtwoord-ops';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (null: killed by a signal). */
  exited: Promise<number | null>;
  admin(): Promise<Client>;
}

export async function startServe(args: string[], env: Record<string, string> = {}, listeners = 1): Promise<ServeProcess> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), 'serve', '--host', '127.0.0.1', '--seed', DATA_DIR, ...args], {
    env: { ...process.env, PORT: '0', BESLIS_ADMIN_PASSWORD: SERVE_PASSWORD, BESLIS_LOG_LEVEL: 'warn', BESLIS_WORKERS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`beslis serve did not start: ${out}`)), 60_000);
    const check = () => {
      const seen = [...out.matchAll(/listening on (http:\/\/127\.0\.0\.1:\d+)/g)];
      if (seen.length >= listeners) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(seen[0]![1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`beslis serve exited with ${code}: ${out}`)));
  });
  let admin: Promise<Client> | null = null;
  return {
    child,
    url,
    output: () => out,
    exited,
    admin: () => (admin ??= loginAs(url, 'admin', SERVE_PASSWORD)),
  };
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
