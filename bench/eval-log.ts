// What the evaluation log costs inside the process (issue 4: at most 20%): the Evaluator (version choice, input
// schema, compiled table, log queue and batched commits) with the log off and with every evaluation logged. The
// cost over HTTP, with the network and the API around it, is measured by the `http` suite (bench/http.ts).
// Durability (issue 17): what `--log-durability sync` costs over HTTP against the default `async` (autocannon, 64
// connections, rounds interleaved), and what a SIGKILL loses in each mode during single evaluations and during
// 10,000-case batches (the kill test's harness, test/api/kill-harness.ts).
// Run: npm run bench -- log [--quick] [--write]
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EvaluationLog, type LogMode } from '../server/store/eval-log.ts';
import { Evaluator } from '../server/store/evaluation.ts';
import { importFiles } from '../server/store/files.ts';
import { Store } from '../server/store/store.ts';
import autocannon from 'autocannon';
import { LOSS_WINDOW_MS } from '../server/store/eval-log.ts';
import { killDuring, type KillReport } from '../test/api/kill-harness.ts';
import { CASES, TABLE } from './cases.ts';
import { prepareDatabase, start, stop } from './children.ts';
import { loadLine, machineLine, median } from './measure.ts';
import { writeFigures } from './readme.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const tick = () => new Promise<void>((r) => setImmediate(r));

/** Evaluations per second of the in-process Evaluator, yielding every 500 so the log's timers run (and are paid for). */
async function inProcess(dir: string, mode: LogMode, roundMs: number, rounds: number): Promise<number[]> {
  const store = await Store.open(join(dir, `inproc-${mode}.db`));
  await importFiles(store, ROOT, 'bench', { skipInvalid: true });
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
  await store.close();
  return out;
}

interface HttpRound {
  rps: number;
  p50: number;
  p99: number;
}

/** Single evaluations over HTTP against a bench server with the given durability. */
async function httpRound(url: string, token: string, seconds: number): Promise<HttpRound> {
  const r = await autocannon({
    url,
    connections: 64,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: CASES.map((input) => ({ method: 'POST' as const, path: `/api/v1/evaluate/${TABLE}`, body: JSON.stringify({ input }) })),
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} answers not 2xx, ${r.errors} errors`);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99 };
}

async function durabilityCost(dir: string, quick: boolean): Promise<{ async: HttpRound; sync: HttpRound }> {
  const servers = await Promise.all(
    (['async', 'sync'] as const).map(async (durability) => {
      const db = join(dir, `http-${durability}.db`);
      const token = (await prepareDatabase(db));
      const child = await start(
        [join(ROOT, 'bin/run-ts.js'), join(ROOT, 'bench/http-server.ts'), '--db', db, '--log', 'all', '--durability', durability, '--table', TABLE, '--input', JSON.stringify(CASES[0])],
        1,
        `bench server (${durability})`,
      );
      return { durability, child, token };
    }),
  );
  try {
    const seconds = quick ? 2 : 5;
    const rounds: Record<'async' | 'sync', HttpRound[]> = { async: [], sync: [] };
    for (const s of servers) await httpRound(s.child.url, s.token, 1); // warm-up
    for (let i = 0; i < (quick ? 1 : 3); i++) for (const s of servers) rounds[s.durability].push(await httpRound(s.child.url, s.token, seconds));
    const mid = (xs: HttpRound[]): HttpRound => ({ rps: median(xs.map((x) => x.rps)), p50: median(xs.map((x) => x.p50)), p99: median(xs.map((x) => x.p99)) });
    return { async: mid(rounds.async), sync: mid(rounds.sync) };
  } finally {
    for (const s of servers) await stop(s.child);
  }
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

    const cost = await durabilityCost(dir, opts.quick);
    const slower = 100 * (1 - cost.sync.rps / cost.async.rps);
    console.log(`  over HTTP    async ${cost.async.rps.toFixed(0)} /s p99 ${cost.async.p99} ms   sync ${cost.sync.rps.toFixed(0)} /s p99 ${cost.sync.p99} ms   sync costs ${slower.toFixed(1)}%`);

    const kills: KillReport[] = [];
    for (const durability of ['async', 'sync'] as const) {
      for (const load of ['singles', 'batches'] as const) {
        const r = await killDuring(join(dir, `kill-${durability}-${load}.db`), { durability, load, runMs: load === 'batches' ? 4_000 : 3_000 });
        kills.push(r);
        console.log(`  SIGKILL      ${durability} ${load}: ${r.acknowledged} acknowledged, ${r.missing} missing, the oldest missing answered ${r.oldestMissingMs} ms before the kill`);
      }
    }
    if (opts.write) {
      const kill = (r: KillReport) =>
        `| ${r.durability}, ${r.load === 'singles' ? 'single evaluations (8 connections)' : '10,000-case batches (2 connections)'} | ${r.acknowledged.toLocaleString('en')} | ${r.missing.toLocaleString('en')} | ${r.missing === 0 ? '–' : `${r.oldestMissingMs} ms`} | ${r.durability === 'sync' ? (r.missing === 0 ? 'nothing missing: met' : '**missed**') : r.oldestMissingMs <= LOSS_WINDOW_MS ? `≤ ${LOSS_WINDOW_MS} ms: met` : '**missed**'} |`;
      writeFigures(
        'log',
        [
          `Machine: ${machineLine()}; load average at the start ${loadLine()}.`,
          '',
          '| in process (Evaluator + log) | evaluations/s | cost of the log | target |',
          '|---|---|---|---|',
          `| log off | ${a.toFixed(0)} | | |`,
          `| log all | ${b.toFixed(0)} | ${(100 * (1 - b / a)).toFixed(1)}% | ≤ 20% |`,
          '',
          '| over HTTP, 64 connections, log all | requests/s | p50 | p99 |',
          '|---|---|---|---|',
          `| --log-durability async (default) | ${cost.async.rps.toFixed(0)} | ${cost.async.p50} ms | ${cost.async.p99} ms |`,
          `| --log-durability sync | ${cost.sync.rps.toFixed(0)} | ${cost.sync.p50} ms | ${cost.sync.p99} ms |`,
          '',
          `Sync costs ${slower.toFixed(1)}% of the throughput (median of ${opts.quick ? 1 : 3} interleaved rounds).`,
          '',
          '| SIGKILL during | acknowledged | missing from the log | oldest missing, before the kill | promise (README) |',
          '|---|---|---|---|---|',
          ...kills.map(kill),
        ].join('\n'),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run({ quick: process.argv.includes('--quick'), write: process.argv.includes('--write') });
}
