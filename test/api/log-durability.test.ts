// What a SIGKILL costs the evaluation log, as the README promises it: with the default (async) durability nothing
// acknowledged longer than LOSS_WINDOW_MS before the kill is missing, during single evaluations and during
// 10,000-case batches; with --log-durability sync nothing acknowledged is missing at all. The database is intact.
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOSS_WINDOW_MS } from '../../server/store/eval-log.ts';
import { tempDir } from './helpers.ts';
import { killDuring } from './kill-harness.ts';

const dir = tempDir('beslis-kill-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
const fresh = () => join(dir, `kill-${++n}.db`);

function intact(file: string): void {
  const db = new Database(file, { readonly: true });
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  db.close();
}

describe('SIGKILL during evaluations: what the log loses', () => {
  it.each([
    ['async', 'singles'],
    ['async', 'batches'],
    ['sync', 'singles'],
    ['sync', 'batches'],
  ] as const)('%s durability, %s', async (durability, load) => {
    const file = fresh();
    const report = await killDuring(file, { durability, load, runMs: load === 'batches' ? 4_000 : 2_500 }, children);
    console.info(`kill test ${JSON.stringify(report)}`);
    expect(report.acknowledged).toBeGreaterThan(load === 'batches' ? 10_000 : 50);
    if (durability === 'sync') expect(report.missing).toBe(0);
    else expect(report.oldestMissingMs).toBeLessThanOrEqual(LOSS_WINDOW_MS);
    intact(file);
  }, 90_000);
});
