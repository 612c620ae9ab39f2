// What the evaluation log costs inside the process (issue 4: at most 20%): the Evaluator (version choice, input
// schema, compiled table, log queue and batched commits) with the log off and with every evaluation logged. The
// cost over HTTP, with the network and the API around it, is measured by the `http` suite (bench/http.ts).
// Run: npm run bench -- log [--quick]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvaluationLog, type LogMode } from '../server/store/eval-log.ts';
import { Evaluator } from '../server/store/evaluation.ts';
import { importFiles } from '../server/store/files.ts';
import { Store } from '../server/store/store.ts';
import { CASES, TABLE } from './cases.ts';
import { median } from './measure.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
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

    console.log(`  (median of ${rounds} rounds of ${roundMs} ms; the bar is a cost of at most 20%)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run({ quick: process.argv.includes('--quick') });
}
