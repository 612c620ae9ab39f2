// What a SIGKILL costs the evaluation log on PostgreSQL, as the README promises it (the SQLite twin is
// test/api/log-durability.test.ts): a real `beslis serve --database-url` under single evaluations and 10,000-case
// batches, killed without warning; with async durability nothing acknowledged longer than LOSS_WINDOW_MS before the
// kill is missing from the log, with sync nothing acknowledged is missing at all.
import { execFileSync, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOSS_WINDOW_MS } from '../../server/store/eval-log.ts';
import { DATA_DIR, login } from '../api/helpers.ts';
import { spawnServe } from '../serve-child.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { freshDatabase, TEST_AUDIT_KEY } from './databases.ts';

const PASSWORD = 'kill-test-pg';
const children: ChildProcess[] = [];
let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
}, 60_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  cluster?.stop();
});

async function killDuring(durability: 'async' | 'sync', load: 'singles' | 'batches', runMs: number) {
  const url = await freshDatabase(cluster.url);
  const env = { BESLIS_ADMIN_PASSWORD: PASSWORD, BESLIS_AUDIT_KEY: TEST_AUDIT_KEY };
  execFileSync(process.execPath, ['bin/beslis.js', 'migrate', '--database-url', url], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const { child, url: base } = await spawnServe(
    ['--port', '0', '--host', '127.0.0.1', '--database-url', url, '--seed', DATA_DIR, '--log-level', 'warn', '--log-durability', durability],
    env,
    { children, timeoutMs: 30_000 },
  );
  const who = await login(base, 'admin', PASSWORD);
  const ackedAt = new Map<number, number>();
  let next = 0;
  let stop = false;
  const loop = async () => {
    while (!stop) {
      try {
        if (load === 'singles') {
          const mine = ++next;
          const r = await who.request('POST', '/api/v1/evaluate/test.boete', { input: { categorie: 'A', eerder: mine } });
          if (r.status !== 200) throw new Error(`evaluate answered ${r.status}: ${r.text.slice(0, 200)}`);
          ackedAt.set(mine, Date.now());
        } else {
          const first = next + 1;
          next += 10_000;
          const cases = Array.from({ length: 10_000 }, (_, i) => ({ input: { categorie: 'A', eerder: first + i } }));
          const r = await who.request('POST', '/api/v1/evaluate/test.boete/batch', { cases });
          if (r.status !== 200) throw new Error(`batch answered ${r.status}: ${r.text.slice(0, 200)}`);
          const at = Date.now();
          for (let i = 0; i < 10_000; i++) ackedAt.set(first + i, at);
        }
      } catch (err) {
        if (stop) return;
        throw err;
      }
    }
  };
  const loops = Array.from({ length: load === 'singles' ? 8 : 2 }, loop);
  await new Promise((r) => setTimeout(r, runMs));
  const killedAt = Date.now();
  stop = true;
  child.kill('SIGKILL');
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
  await Promise.all(loops);

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const logged = new Set(
    (await client.query<{ input: string }>("SELECT input FROM evaluation_log WHERE table_id = 'test.boete'")).rows.map((r) => (JSON.parse(r.input) as { eerder: number }).eerder),
  );
  await client.end();
  let missing = 0;
  let oldestMissingMs = 0;
  for (const [n, at] of ackedAt) {
    if (logged.has(n)) continue;
    missing++;
    oldestMissingMs = Math.max(oldestMissingMs, killedAt - at);
  }
  return { durability, load, acknowledged: ackedAt.size, logged: logged.size, missing, oldestMissingMs };
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
