// A careless operator pipes `beslis serve` into something that stops reading (`| head`): the server goes on.
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_DIR, REPO_ROOT, tempDir } from '../api/helpers.ts';

const dir = tempDir('beslis-stdout-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('standard output closed by its reader', () => {
  it('keeps answering, says once on standard error that the request log cannot be written, and still stops cleanly', async () => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'o.db'), '--seed', DATA_DIR], {
      env: { ...process.env, BESLIS_ADMIN_PASSWORD: 'stdout-wachtwoord', BESLIS_LOG_LEVEL: 'info', PORT: '', BESLIS_DB: '', BESLIS_WORKERS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start: ${out} ${err}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
    });
    child.stdout.destroy(); // the reader goes away
    for (let i = 0; i < 40; i++) expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    expect(child.exitCode).toBeNull();
    expect(err.match(/the request log cannot be written/g)).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
});
