// A careless operator pipes `beslis serve` into something that stops reading (`| head`): the server goes on.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_DIR, tempDir } from '../api/helpers.ts';
import { spawnServe } from '../serve-child.ts';

const dir = tempDir('beslis-stdout-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('standard output closed by its reader', () => {
  it('keeps answering, says once on standard error that the request log cannot be written, and still stops cleanly', async () => {
    const { child, url, output, exited } = await spawnServe(['--port', '0', '--host', '127.0.0.1', '--db', join(dir, 'o.db'), '--seed', DATA_DIR], {
      BESLIS_ADMIN_PASSWORD: 'stdout-wachtwoord',
      BESLIS_LOG_LEVEL: 'info',
    });
    child.stdout!.destroy(); // the reader goes away
    for (let i = 0; i < 40; i++) expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    expect(child.exitCode).toBeNull();
    expect(output().match(/the request log cannot be written/g)).toHaveLength(1);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);
});
