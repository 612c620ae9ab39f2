// A real `beslis serve` process under evaluations (single ones from several connections, or 10,000-case batches),
// killed with SIGKILL without warning; then the database (a SQLite file, or a PostgreSQL URL) tells which
// acknowledged evaluations are missing from the log and how long before the kill each of them was acknowledged. The durability test asserts on it and
// `npm run bench -- log` reports it (bench/README.md).
import type { ChildProcess } from 'node:child_process';
import Database from 'better-sqlite3';
import pg from 'pg';
import { isPostgresTarget } from '../../server/store/store.ts';
import { spawnServe, type ServeChild } from '../serve-child.ts';
import { DATA_DIR, login } from './helpers.ts';

export interface KillReport {
  durability: 'async' | 'sync';
  load: 'singles' | 'batches';
  /** Evaluations acknowledged (answered 200) before the kill. */
  acknowledged: number;
  /** Acknowledged evaluations the log does not hold after the kill. */
  missing: number;
  /** How long before the kill the earliest missing one was acknowledged (ms; 0 when none is missing). */
  oldestMissingMs: number;
  /** Rows in the log that were not acknowledged (in flight at the kill): committed, never answered. */
  unacknowledgedLogged: number;
}

/** The first admin's password of every server these tests start. */
export const PASSWORD = 'kill-test';

/**
 * Starts `node bin/beslis.js serve` on a free loopback port and resolves with its URL. `dbFile` may be a PostgreSQL
 * URL (migrated, with BESLIS_AUDIT_KEY in `env`).
 */
export function serve(dbFile: string, args: string[] = [], children: ChildProcess[] = [], env: Record<string, string> = {}): Promise<ServeChild> {
  const serveArgs = ['--port', '0', '--host', '127.0.0.1', '--db', dbFile, '--seed', DATA_DIR, '--log-level', 'warn', ...args];
  return spawnServe(serveArgs, { BESLIS_ADMIN_PASSWORD: PASSWORD, ...env }, { children, timeoutMs: 30_000 });
}

/** The `eerder` numbers of the test.boete evaluations the log holds. */
async function loggedNumbers(dbFile: string): Promise<Set<number>> {
  let inputs: string[];
  if (isPostgresTarget(dbFile)) {
    const client = new pg.Client({ connectionString: dbFile });
    await client.connect();
    try {
      inputs = (await client.query<{ input: string }>("SELECT input FROM evaluation_log WHERE table_id = 'test.boete'")).rows.map((r) => r.input);
    } finally {
      await client.end();
    }
  } else {
    const db = new Database(dbFile, { readonly: true });
    inputs = db.prepare("SELECT input FROM evaluation_log WHERE table_id = 'test.boete'").pluck().all() as string[];
    db.close();
  }
  return new Set(inputs.map((i) => (JSON.parse(i) as { eerder: number }).eerder));
}

/**
 * Runs the load for `runMs`, kills the server, and counts. Evaluations of test.boete are numbered through its
 * declared input `eerder`, so the log row of each can be found.
 */
export async function killDuring(
  dbFile: string,
  opts: { durability: 'async' | 'sync'; load: 'singles' | 'batches'; runMs: number; connections?: number; batchSize?: number },
  children: ChildProcess[] = [],
  env: Record<string, string> = {},
): Promise<KillReport> {
  const { child, url } = await serve(dbFile, ['--log-durability', opts.durability], children, env);
  const who = await login(url, 'admin', PASSWORD);
  const ackedAt = new Map<number, number>();
  let next = 0;
  let stop = false;
  const batchSize = opts.batchSize ?? 10_000;
  const loop = async () => {
    while (!stop) {
      try {
        if (opts.load === 'singles') {
          const mine = ++next;
          const r = await who.request('POST', '/api/v1/evaluate/test.boete', { input: { categorie: 'A', eerder: mine } });
          if (r.status !== 200) throw new Error(`evaluate answered ${r.status}: ${r.text.slice(0, 200)}`);
          ackedAt.set(mine, Date.now());
        } else {
          const first = next + 1;
          next += batchSize;
          const cases = Array.from({ length: batchSize }, (_, i) => ({ input: { categorie: 'A', eerder: first + i } }));
          const r = await who.request('POST', '/api/v1/evaluate/test.boete/batch', { cases });
          if (r.status !== 200) throw new Error(`batch answered ${r.status}: ${r.text.slice(0, 200)}`);
          const at = Date.now();
          for (let i = 0; i < batchSize; i++) ackedAt.set(first + i, at);
        }
      } catch (err) {
        if (stop) return;
        throw err;
      }
    }
  };
  const loops = Array.from({ length: opts.connections ?? (opts.load === 'singles' ? 8 : 2) }, loop);
  await new Promise((r) => setTimeout(r, opts.runMs));
  const killedAt = Date.now();
  stop = true;
  child.kill('SIGKILL');
  await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.once('exit', r)));
  await Promise.all(loops);

  const logged = await loggedNumbers(dbFile);
  let missing = 0;
  let oldestMissingMs = 0;
  for (const [n, at] of ackedAt) {
    if (logged.has(n)) continue;
    missing++;
    oldestMissingMs = Math.max(oldestMissingMs, killedAt - at);
  }
  let unacknowledgedLogged = 0;
  for (const n of logged) if (!ackedAt.has(n)) unacknowledgedLogged++;
  return { durability: opts.durability, load: opts.load, acknowledged: ackedAt.size, missing, oldestMissingMs, unacknowledgedLogged };
}
