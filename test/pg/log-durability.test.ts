// What a SIGKILL costs the evaluation log on PostgreSQL, as the README promises it (the SQLite twin is
// test/api/log-durability.test.ts): a real `beslis serve --database-url` under single evaluations and 10,000-case
// batches, killed without warning; with async durability nothing acknowledged longer than LOSS_WINDOW_MS before the
// kill is missing from the log, with sync nothing acknowledged is missing at all.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOSS_WINDOW_MS } from '../../server/store/eval-log.ts';
import { killDuring as harnessKillDuring } from '../api/kill-harness.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { freshDatabase, TEST_AUDIT_KEY } from './databases.ts';

const children: ChildProcess[] = [];
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
}, 60_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  cluster?.stop();
});

/** A fresh, migrated database of the cluster under the kill harness's load (test/api/kill-harness.ts). */
async function killDuring(durability: 'async' | 'sync', load: 'singles' | 'batches', runMs: number) {
  const url = await freshDatabase(cluster.url);
  const env = { BESLIS_AUDIT_KEY: TEST_AUDIT_KEY };
  execFileSync(process.execPath, ['bin/beslis.js', 'migrate', '--database-url', url], { env: { ...process.env, ...env }, encoding: 'utf8' });
  return harnessKillDuring(url, { durability, load, runMs }, children, env);
}

describe('SIGKILL during evaluations on PostgreSQL: what the log loses', () => {
  it.each([
    ['async', 'singles'],
    ['async', 'batches'],
    ['sync', 'singles'],
    ['sync', 'batches'],
  ] as const)('%s durability, %s', async (durability, load) => {
    const report = await killDuring(durability, load, load === 'batches' ? 4_000 : 2_500);
    console.info(`kill test on PostgreSQL ${JSON.stringify(report)}`);
    expect(report.acknowledged).toBeGreaterThan(load === 'batches' ? 10_000 : 50);
    if (durability === 'sync') expect(report.missing).toBe(0);
    else expect(report.oldestMissingMs).toBeLessThanOrEqual(LOSS_WINDOW_MS);
  }, 90_000);
});
