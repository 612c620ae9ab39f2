// A real server on a loopback port with a real database file in a temp dir, seeded from test/api/data.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer, type ServerOptions } from '../../server/api/server.ts';

export const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function tempDir(prefix = 'beslis-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A private copy of the test policy files (tests may change them). */
export function copyData(dir = tempDir()): string {
  cpSync(DATA_DIR, dir, { recursive: true });
  return dir;
}

/** Response bodies are read freely in tests: a wrong guess fails the assertion that reads it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = any;

export interface TestServer extends RunningServer {
  dir: string;
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Body; headers: Headers; text: string }>;
  stop(): Promise<void>;
}

export async function testServer(opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dir = tempDir();
  const running = await startServer({
    dbFile: join(dir, 'beslis.db'),
    port: 0,
    host: '127.0.0.1',
    seedDir: DATA_DIR,
    adminPassword: 'test-admin-password',
    say: () => {},
    ...opts,
  });
  const request: TestServer['request'] = async (method, path, body, headers = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(`${running.url}${path}`, init);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: res.status, body: parsed, headers: res.headers, text };
  };
  return Object.assign(running, {
    dir,
    request,
    async stop() {
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
