// `beslis serve` configured only through the environment (docs/contracts.md): PORT, BESLIS_DB, BESLIS_ADMIN_PASSWORD.
import { spawn, spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/store/users.ts';
import { DATA_DIR, REPO_ROOT, tempDir } from './helpers.ts';

const dir = tempDir('beslis-serve-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('beslis serve', () => {
  it('takes PORT, HOST, BESLIS_DB and BESLIS_ADMIN_PASSWORD from the environment and stops cleanly on SIGTERM', async () => {
    const dbFile = join(dir, 'nested', 'env.db');
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), 'serve', '--seed', DATA_DIR], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', BESLIS_DB: dbFile, BESLIS_ADMIN_PASSWORD: 'eerste-beheerder' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d;
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(out).toContain(`database ${dbFile}`);
    expect(out).toContain('loaded 6 versions and 1 fixture sets');
    expect(out).not.toContain('eerste-beheerder');
    const health = (await (await fetch(`${url}/api/v1/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    child.kill('SIGTERM');
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
    expect(existsSync(dbFile)).toBe(true);
    const db = new Database(dbFile, { readonly: true });
    const hash = db.prepare("SELECT password_hash FROM users WHERE username = 'admin'").pluck().get() as string;
    expect(verifyPassword('eerste-beheerder', hash)).toBe(true);
    db.close();
  }, 60_000);

  it('explains itself with --help and refuses a bad port', () => {
    const help = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), 'serve', '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('BESLIS_ADMIN_PASSWORD');
    const bad = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), 'serve', '--port', 'drieduizend'], { encoding: 'utf8', timeout: 30_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('port');
  });
});
