// Heavy work off the request thread (issue 17): impact analysis replays a large evaluation log in a worker thread
// while the server goes on answering.
//   1. replay time and memory of 1,000,000 logged evaluations of the interventiematrix against a draft that
//      changes one rule, through the engine worker the server uses (the same task, the same read-only
//      connection): as the server runs it (repeated inputs remembered) and with every row decided afresh;
//   2. POST /api/v1/evaluate latency (p50/p99) at a steady rate, idle and while impact runs again and again, on
//      one `beslis serve`-equivalent process (bench/http-server.ts); the bar is p99 during < 2 × p99 idle.
// Run: npm run bench -- impact [--quick] [--write]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTable } from '../server/engine/index.ts';
import { EngineWorker } from '../server/store/engine-worker.ts';
import type { ReplayRequest, ReplayResult } from '../server/store/log-replay.ts';
import type { EvaluationLogRow } from '../server/store/records.ts';
import { Store } from '../server/store/store.ts';
import { CASES, TABLE } from './cases.ts';
import { ADMIN_PASSWORD, prepareDatabase, rssBytes, ROOT, start, stop, type Child } from './children.ts';
import { loadLine, machineLine, median, percentile } from './measure.ts';
import { writeFigures } from './readme.ts';
import { steadyLoad } from './steady.ts';

const RATE = 400;
const CONNECTIONS = 16;

/** `rows` logged evaluations of the bench table over the last 300 days, decided by its newest version. */
async function seedLog(file: string, rows: number): Promise<void> {
  const store = await Store.open(file);
  try {
    const newest = store.newestVersion(TABLE)!;
    const compiled = compileTable(newest.table);
    const decided = CASES.map((input) => ({ input, ...compiled.evaluate(input) }));
    const now = Date.now();
    for (let start = 0; start < rows; start += 50_000) {
      const chunk: EvaluationLogRow[] = [];
      for (let i = start; i < Math.min(rows, start + 50_000); i++) {
        const d = decided[i % decided.length]!;
        chunk.push({
          tableId: TABLE,
          version: newest.version,
          hash: newest.hash,
          input: d.input,
          output: d.output,
          matched: d.matched,
          caseDate: null,
          asOf: null,
          caller: 'bench',
          evaluatedAt: new Date(now - Math.floor(((rows - i) / rows) * 300 * 86_400_000)).toISOString(),
        });
      }
      await store.insertEvaluationLog(chunk);
    }
    // The draft: the first rule answers another intervention.
    const table = structuredClone(newest.table);
    const { version: _v, validFrom: _f, ...draft } = table;
    const first = draft.rules[0]!;
    first.then = { ...first.then, interventie: '"Gesprek"' };
    await store.saveDraft(TABLE, draft as typeof table, 0, 'bench');
  } finally {
    await store.close();
  }
}

async function replayOnce(file: string, memo: number | undefined): Promise<{ ms: number; result: ReplayResult; peakRss: number }> {
  const store = await Store.open(file);
  const draft = (await store.getDraft(TABLE))!;
  await store.close();
  const worker = new EngineWorker({ maxOldGenerationSizeMb: 1024 });
  // Warm the worker (its start-up is paid once per server, not per replay).
  await worker.run('check', { table: draft.table });
  const req: ReplayRequest = { tableId: TABLE, period: { from: '2000-01-01T00:00:00.000Z', to: new Date(Date.now() + 86_400_000).toISOString() }, table: draft.table, examples: 5, ...(memo !== undefined ? { memo } : {}) };
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const t0 = performance.now();
  const result = await worker.run<ReplayResult>('replay', { file, req });
  const ms = performance.now() - t0;
  clearInterval(sampler);
  await worker.close();
  return { ms, result, peakRss };
}

async function login(url: string): Promise<Record<string, string>> {
  const r = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  if (r.status !== 200) throw new Error(`login failed: ${r.status}`);
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  const { csrfToken } = (await r.json()) as { csrfToken: string };
  return { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' };
}

interface Latency {
  p50: number;
  p99: number;
  n: number;
}

function latency(xs: number[]): Latency {
  return { p50: percentile(xs, 50), p99: percentile(xs, 99), n: xs.length };
}

export async function run(opts: { quick: boolean; write?: boolean }): Promise<void> {
  const rows = opts.quick ? 200_000 : 1_000_000;
  const seconds = opts.quick ? 4 : 10;
  const dir = mkdtempSync(join(tmpdir(), 'beslis-bench-impact-'));
  const file = join(dir, 'impact.db');
  console.log(`impact benchmark — ${machineLine()}, load ${loadLine()}`);
  let server: Child | null = null;
  try {
    const token = (await prepareDatabase(file));
    const s0 = performance.now();
    await seedLog(file, rows);
    console.log(`  seeded ${rows.toLocaleString('en')} logged evaluations in ${((performance.now() - s0) / 1000).toFixed(1)} s`);

    const rss0 = process.memoryUsage().rss;
    const served = await replayOnce(file, undefined);
    const fresh = await replayOnce(file, 0);
    for (const r of [served, fresh]) {
      if (r.result.evaluated !== rows) throw new Error(`replayed ${r.result.evaluated} of ${rows}`);
    }
    if (served.result.changed !== fresh.result.changed || served.result.changed === 0) throw new Error('the two replays disagree, or nothing changed');
    const perRow = (ms: number) => ((ms * 1000) / rows).toFixed(2);
    console.log(`  replay, as served: ${(served.ms / 1000).toFixed(2)} s (${perRow(served.ms)} µs/row), peak RSS +${((served.peakRss - rss0) / 1e6).toFixed(0)} MB; changed ${served.result.changed.toLocaleString('en')}`);
    console.log(`  replay, every row decided: ${(fresh.ms / 1000).toFixed(2)} s (${perRow(fresh.ms)} µs/row), peak RSS +${((fresh.peakRss - rss0) / 1e6).toFixed(0)} MB`);

    server = await start([join(ROOT, 'bin/run-ts.js'), join(ROOT, 'bench/http-server.ts'), '--db', file, '--log', 'all', '--table', TABLE, '--input', JSON.stringify(CASES[0])], 1, 'bench server');
    const url = server.url;
    const pid = server.child.pid!;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const bodies = CASES.map((input) => JSON.stringify({ input }));
    const load = () => steadyLoad({ url, path: `/api/v1/evaluate/${TABLE}`, headers, bodies, rate: RATE, seconds, connections: CONNECTIONS });
    await steadyLoad({ url, path: `/api/v1/evaluate/${TABLE}`, headers, bodies, rate: RATE, seconds: 2, connections: CONNECTIONS }); // warm-up
    const session = await login(url);
    const impactOnce = async () => {
      const t0 = performance.now();
      const r = await fetch(`${url}/api/v1/tables/${TABLE}/draft/impact`, { method: 'POST', headers: session, body: JSON.stringify({ from: '2000-01-01' }) });
      const body = (await r.json()) as { evaluated: number };
      if (r.status !== 200 || body.evaluated < rows) throw new Error(`impact answered ${r.status}: ${JSON.stringify(body).slice(0, 200)}`);
      return performance.now() - t0;
    };
    await impactOnce(); // warm: the server's log worker starts on first use

    const idle: Latency[] = [];
    const busy: Latency[] = [];
    const impactMs: number[] = [];
    let peakServerRss = 0;
    const rounds = opts.quick ? 1 : 3;
    for (let round = 0; round < rounds; round++) {
      const quiet = await load();
      idle.push(latency(quiet.latencies));
      let running = true;
      const impacts = (async () => {
        while (running) impactMs.push(await impactOnce());
      })();
      const sampler = setInterval(() => (peakServerRss = Math.max(peakServerRss, rssBytes(pid))), 100);
      const loaded = await load();
      running = false;
      await impacts;
      clearInterval(sampler);
      busy.push(latency(loaded.latencies));
      if (quiet.non2xx + quiet.errors + loaded.non2xx + loaded.errors > 0) throw new Error('evaluations failed during the benchmark');
    }
    const idleP99 = median(idle.map((l) => l.p99));
    const busyP99 = median(busy.map((l) => l.p99));
    const ratio = busyP99 / idleP99;
    console.log(`  evaluate at ${RATE}/s over ${CONNECTIONS} connections, idle: p50 ${median(idle.map((l) => l.p50)).toFixed(1)} ms, p99 ${idleP99.toFixed(1)} ms`);
    console.log(`  … while impact runs (${impactMs.length} runs, median ${(median(impactMs) / 1000).toFixed(2)} s): p50 ${median(busy.map((l) => l.p50)).toFixed(1)} ms, p99 ${busyP99.toFixed(1)} ms (${ratio.toFixed(2)}× idle)`);
    console.log(`  server peak RSS during impact: ${(peakServerRss / 1e6).toFixed(0)} MB`);

    if (opts.write) {
      const mark = (ok: boolean) => (ok ? 'met' : '**missed**');
      writeFigures(
        'impact',
        [
          `Machine: ${machineLine()}; load average at the start ${loadLine()}. ${rows.toLocaleString('en')} logged evaluations of ${TABLE} (its fixture cases, repeated) over 300 days; the draft changes the first rule's intervention.`,
          '',
          '| measurement | figure | target | |',
          '|---|---|---|---|',
          `| replay of ${rows.toLocaleString('en')} rows in the engine worker, as the server runs it | ${(served.ms / 1000).toFixed(2)} s (${perRow(served.ms)} µs/row), peak RSS +${((served.peakRss - rss0) / 1e6).toFixed(0)} MB | ≤ 10 s | ${mark(served.ms <= 10_000)} |`,
          `| the same with every row decided afresh (no repeated inputs remembered) | ${(fresh.ms / 1000).toFixed(2)} s (${perRow(fresh.ms)} µs/row), peak RSS +${((fresh.peakRss - rss0) / 1e6).toFixed(0)} MB | (no target) | |`,
          `| POST /api/v1/tables/{id}/draft/impact over HTTP, end to end | median ${(median(impactMs) / 1000).toFixed(2)} s over ${impactMs.length} runs; server peak RSS ${(peakServerRss / 1e6).toFixed(0)} MB | | |`,
          `| evaluate p99 at ${RATE}/s, idle | ${idleP99.toFixed(1)} ms (p50 ${median(idle.map((l) => l.p50)).toFixed(1)} ms) | | |`,
          `| evaluate p99 at ${RATE}/s while impact runs back to back | ${busyP99.toFixed(1)} ms (p50 ${median(busy.map((l) => l.p50)).toFixed(1)} ms): ${ratio.toFixed(2)}× idle | < 2× idle | ${mark(ratio < 2)} |`,
          '',
          `Median of ${rounds} rounds of ${seconds} s each side, interleaved.`,
        ].join('\n'),
      );
    }
  } finally {
    if (server) await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run({ quick: process.argv.includes('--quick'), write: process.argv.includes('--write') });
}
