// What the evaluation log costs (issue 4: at most 20%). Two measurements, each against a reference measured in
// the same run with the log off:
//   1. in process: the Evaluator (version choice, input schema, compiled table, log queue and batched commits);
//   2. over HTTP: two `beslis serve` child processes (--log off / --log all) on loopback, the same keep-alive
//      client load against each, rounds interleaved so drift on a shared machine hits both alike.
// Run: node bin/run-ts.js bench/http-log.ts [--quick]   (or from bench/run.ts as the `http` suite)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvaluationLog, type LogMode } from '../server/store/eval-log.ts';
import { Evaluator } from '../server/store/evaluation.ts';
import { importFiles } from '../server/store/files.ts';
import { Store } from '../server/store/store.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TABLE = 'handhaving.interventiematrix';
// The table's own fixture cases that decide (cases expecting an error are left out).
const CASES = (JSON.parse(readFileSync(join(ROOT, 'fixtures/handhaving/interventiematrix.json'), 'utf8')) as { cases: { input: Record<string, unknown>; expectError?: string }[] }).cases
  .filter((c) => c.expectError === undefined)
  .map((c) => c.input);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const tick = () => new Promise<void>((r) => setImmediate(r));

/** Evaluations per second of the in-process Evaluator, yielding every 500 so the log's timers run (and are paid for). */
async function inProcess(dir: string, mode: LogMode, roundMs: number, rounds: number): Promise<number[]> {
  const store = new Store(join(dir, `inproc-${mode}.db`));
  importFiles(store, ROOT, 'bench', { skipInvalid: true });
  const log = new EvaluationLog(store, { mode, retentionDays: 0 });
  const ev = new Evaluator(store, log);
  let i = 0;
  const runFor = async (ms: number) => {
    const start = performance.now();
    let n = 0;
    while (performance.now() - start < ms) {
      for (let k = 0; k < 500; k++) ev.evaluate(TABLE, { input: CASES[i++ % CASES.length]!, caller: 'bench' });
      n += 500;
      await tick();
    }
    await log.flush(); // the round pays for everything it queued
    return (n * 1000) / (performance.now() - start);
  };
  await runFor(roundMs);
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) out.push(await runFor(roundMs));
  const logged = store.db.prepare('SELECT COUNT(*) FROM evaluation_log').pluck().get() as number;
  if (mode === 'all' && logged === 0) throw new Error('log mode all wrote nothing');
  await log.close();
  store.close();
  return out;
}

function serve(dir: string, mode: LogMode): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/beslis.js'), 'serve', '--port', '0', '--host', '127.0.0.1', '--db', join(dir, `http-${mode}.db`), '--log', mode], {
    env: { ...process.env, BESLIS_ADMIN_PASSWORD: 'bench', PORT: '', BESLIS_DB: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`server (${mode}) exited with ${code}: ${out}`)));
  });
}

/** Requests per second with `concurrency` keep-alive clients for `ms`. */
async function load(url: string, ms: number, concurrency: number): Promise<number> {
  const bodies = CASES.map((input) => JSON.stringify({ input }));
  const end = performance.now() + ms;
  const start = performance.now();
  let n = 0;
  let j = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const res = await fetch(`${url}/api/evaluate/${TABLE}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[j++ % bodies.length] });
        if (res.status !== 200) throw new Error(`evaluate answered ${res.status}`);
        await res.arrayBuffer();
        n++;
      }
    }),
  );
  return (n * 1000) / (performance.now() - start);
}

export async function run(opts: { quick: boolean; write?: boolean }): Promise<void> {
  const roundMs = opts.quick ? 300 : 1000;
  const rounds = opts.quick ? 3 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'beslis-bench-'));
  const machine = `${cpus().length}× ${cpus()[0]?.model ?? '?'}, load ${loadavg()[0]!.toFixed(2)}, node ${process.version}`;
  console.log(`evaluation log benchmark — ${machine}`);
  try {
    const offIn = await inProcess(dir, 'off', roundMs, rounds);
    const allIn = await inProcess(dir, 'all', roundMs, rounds);
    const a = median(offIn);
    const b = median(allIn);
    console.log(`  in process   log off ${a.toFixed(0).padStart(8)} /s   log all ${b.toFixed(0).padStart(8)} /s   cost ${(100 * (1 - b / a)).toFixed(1)}%`);

    const off = await serve(dir, 'off');
    const all = await serve(dir, 'all');
    try {
      await load(off.url, roundMs, 16);
      await load(all.url, roundMs, 16);
      const httpOff: number[] = [];
      const httpAll: number[] = [];
      for (let r = 0; r < rounds; r++) {
        httpOff.push(await load(off.url, roundMs, 16));
        httpAll.push(await load(all.url, roundMs, 16));
      }
      const c = median(httpOff);
      const d = median(httpAll);
      console.log(`  over HTTP    log off ${c.toFixed(0).padStart(8)} /s   log all ${d.toFixed(0).padStart(8)} /s   cost ${(100 * (1 - d / c)).toFixed(1)}%`);
      console.log(`  (median of ${rounds} rounds of ${roundMs} ms; the bar is a cost of at most 20%)`);
    } finally {
      off.child.kill('SIGTERM');
      all.child.kill('SIGTERM');
      await Promise.all([off, all].map((s) => new Promise((r) => (s.child.exitCode !== null ? r(null) : s.child.once('exit', r)))));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run({ quick: process.argv.includes('--quick') });
}
