// `beslis serve` configured only through the environment (docs/contracts.md): PORT, BESLIS_DB, BESLIS_ADMIN_PASSWORD.
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../server/store/users.ts';
import { spawnServe } from '../serve-child.ts';
import { DATA_DIR, REPO_ROOT, tempDir } from './helpers.ts';

const dir = tempDir('beslis-serve-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('beslis serve', () => {
  it('takes PORT, HOST, BESLIS_DB and BESLIS_ADMIN_PASSWORD from the environment and stops cleanly on SIGTERM', async () => {
    const dbFile = join(dir, 'nested', 'env.db');
    const { child, url, output, exited } = await spawnServe(['--seed', DATA_DIR], { PORT: '0', HOST: '127.0.0.1', BESLIS_DB: dbFile, BESLIS_ADMIN_PASSWORD: 'eerste-beheerder' }, { timeoutMs: 30_000 });
    const out = output();
    expect(out).toContain(`database ${dbFile}`);
    expect(out).toContain('loaded 6 versions and 1 fixture sets');
    expect(out).not.toContain('eerste-beheerder');
    const health = (await (await fetch(`${url}/api/v1/health`)).json()) as { status: string };
    expect(health.status).toBe('ok');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
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
