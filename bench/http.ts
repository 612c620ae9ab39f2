// The HTTP benchmark (issue 9), with autocannon against loopback. Every figure is a ratio against a reference
// measured in the same run, rounds interleaved so that drift on the shared machine hits both sides alike:
//   1. POST /api/v1/evaluate on the interventiematrix vs POST /api/v1/bench/bare, a bare express route in the same server
//      setup answering a decision of the same size (bench/http-server.ts), with the evaluation log off and on (all);
//      and, for scale, /bench/raw: an express route with nothing but the JSON body parser;
//   2. latency p50/p99 at 64 connections for single evaluations;
//   3. one batch request of 10,000 cases vs 10,000 single requests (64 connections, the singles' best case);
//   4. `beslis serve --workers 1` vs `--workers 2`.
// The load generator runs in this process, on the same two cores as the servers: it is part of what is measured,
// and the CPU each side used is printed beside the rates.
// Run: npm run bench -- http [--quick] [--write]
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, TABLE } from './cases.ts';
import { beslisServe, cpuSeconds, prepareDatabase, ROOT, start, stop, type Child } from './children.ts';
import { loadLine, machineLine, median, percentile } from './measure.ts';
import { writeFigures } from './readme.ts';
import { steadyLoad } from './steady.ts';

const CONNECTIONS = 64;
const BATCH = 10_000;
/** Requests per second for the latency below saturation: about half of what one process serves flat out. */
const STEADY_RATE = 2000;
const EVALUATE = `/api/v1/evaluate/${TABLE}`;

const BODIES = CASES.map((input) => JSON.stringify({ input }));

interface Options {
  quick: boolean;
  write?: boolean;
}

/** The benchmark's server (bench/http-server.ts): the real server plus the reference routes. */
function benchServer(db: string, log: 'off' | 'all'): Promise<Child> {
  return start([join(ROOT, 'bin/run-ts.js'), join(ROOT, 'bench/http-server.ts'), '--db', db, '--log', log, '--table', TABLE, '--input', JSON.stringify(CASES[0])], 1, `bench server (log ${log})`);
}

// ---------------------------------------------------------------------------------------------------------------
// Load

interface Load {
  rps: number;
  p50: number;
  p99: number;
  bytes: number;
  seconds: number;
  /** Cores used by the server processes and by this process (the load generator) during the run. */
  serverCores: number;
  clientCores: number;
  /** Requests per CPU-second of the server processes: the server's own cost, less moved by other work on the machine. */
  perCpu: number;
}

async function cannon(server: Child, path: string, token: string, o: { seconds?: number; amount?: number }): Promise<Load> {
  const serverCpu0 = cpuSeconds(server.child.pid!);
  const clientCpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    ...(o.amount ? { amount: o.amount } : { duration: o.seconds ?? 5 }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: BODIES.map((body) => ({ method: 'POST' as const, path, body })),
  });
  const wall = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(clientCpu0);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${path}: ${r.non2xx} answers not 2xx, ${r.errors} errors`);
  const seconds = (r.finish.getTime() - r.start.getTime()) / 1000;
  const serverCpu = cpuSeconds(server.child.pid!) - serverCpu0;
  return {
    rps: r['2xx'] / seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    bytes: r.throughput.total / r['2xx'],
    seconds,
    serverCores: serverCpu / wall,
    clientCores: (client.user + client.system) / 1e6 / wall,
    perCpu: r['2xx'] / serverCpu,
  };
}

/** Seconds for one batch request of BATCH cases, checked for BATCH decisions without errors. */
async function batchOnce(server: Child, token: string): Promise<number> {
  const body = JSON.stringify({ cases: Array.from({ length: BATCH }, (_, i) => ({ input: CASES[i % CASES.length] })) });
  const t0 = performance.now();
  const res = await fetch(`${server.url}${EVALUATE}/batch`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
  const json = (await res.json()) as { results: { status?: number }[] };
  const seconds = (performance.now() - t0) / 1000;
  if (res.status !== 200 || json.results.length !== BATCH || json.results.some((x) => x.status !== undefined)) throw new Error(`batch answered ${res.status}`);
  return seconds;
}

// ---------------------------------------------------------------------------------------------------------------
// The run

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

export async function run(opts: Options): Promise<void> {
  const seconds = opts.quick ? 2 : 6;
  const rounds = opts.quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'beslis-bench-http-'));
  const machine = machineLine();
  const loadBefore = loadLine();
  console.log(`HTTP benchmark — ${machine}, load average ${loadBefore}; ${CONNECTIONS} connections, ${rounds} round(s) of ${seconds} s`);
  const children: Child[] = [];
  try {
    // 1–2: evaluate vs the bare route, log off and all. Each server has its own database.
    const tokenOff = await prepareDatabase(join(dir, 'off.db'));
    const tokenAll = await prepareDatabase(join(dir, 'all.db'));
    const off = await benchServer(join(dir, 'off.db'), 'off');
    children.push(off);
    const all = await benchServer(join(dir, 'all.db'), 'all');
    children.push(all);
    const subjects = [
      { name: 'raw express route', server: off, path: '/bench/raw', token: tokenOff },
      { name: 'bare route in the API (reference)', server: off, path: '/api/v1/bench/bare', token: tokenOff },
      { name: 'POST /api/v1/evaluate, log off', server: off, path: EVALUATE, token: tokenOff },
      { name: 'POST /api/v1/evaluate, log all', server: all, path: EVALUATE, token: tokenAll },
    ];
    console.log('  warming up…');
    for (const s of subjects) await cannon(s.server, s.path, s.token, { seconds: opts.quick ? 1 : 3 });
    const results = new Map<string, Load[]>(subjects.map((s) => [s.name, []]));
    for (let r = 0; r < rounds; r++) {
      for (const s of subjects) {
        const l = await cannon(s.server, s.path, s.token, { seconds });
        results.get(s.name)!.push(l);
        console.log(`  ${s.name.padEnd(34)} ${fmt(l.rps).padStart(7)} req/s (${fmt(l.perCpu).padStart(6)} per server CPU-s)  p50 ${l.p50} ms  p99 ${l.p99} ms  ${fmt(l.bytes)} B/answer  server ${l.serverCores.toFixed(2)} cores, client ${l.clientCores.toFixed(2)}`);
      }
    }
    const mid = (name: string) => {
      const ls = results.get(name)!;
      const m = median(ls.map((l) => l.rps));
      return { ...ls.find((l) => l.rps === m)!, rps: m, perCpu: median(ls.map((l) => l.perCpu)), p50: median(ls.map((l) => l.p50)), p99: median(ls.map((l) => l.p99)) };
    };
    const raw = mid(subjects[0]!.name);
    const bare = mid(subjects[1]!.name);
    const evalOff = mid(subjects[2]!.name);
    const evalAll = mid(subjects[3]!.name);

    // Latency below saturation: flat out, every one of the 64 connections waits in the server's queue, so p99 is
    // about connections ÷ throughput. At a steady rate of about half the capacity (an open-loop load, bench/steady.ts)
    // it is the server's own time plus the platform's scheduling; the bare route, loaded the same way, shows the latter.
    const steadyRun = async (server: Child, path: string, token: string) => {
      const rounds_: { p50: number; p99: number }[] = [];
      for (let r = 0; r < rounds; r++) {
        const l = await steadyLoad({ url: server.url, path, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, bodies: BODIES, rate: STEADY_RATE, seconds, connections: CONNECTIONS });
        if (l.non2xx > 0 || l.errors > 0) throw new Error(`steady load on ${path}: ${l.non2xx} answers not 2xx, ${l.errors} errors`);
        rounds_.push({ p50: percentile(l.latencies, 50), p99: percentile(l.latencies, 99) });
      }
      const m = { p50: median(rounds_.map((l) => l.p50)), p99: median(rounds_.map((l) => l.p99)) };
      console.log(`  ${path} at a steady ${fmt(STEADY_RATE)}/s: p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms`);
      return m;
    };
    const steadyBare = await steadyRun(off, '/api/v1/bench/bare', tokenOff);
    const steadyL = await steadyRun(all, EVALUATE, tokenAll);

    // 3: one batch of 10,000 vs 10,000 singles, on the default configuration (log all).
    console.log(`  batch of ${fmt(BATCH)} vs ${fmt(BATCH)} single requests…`);
    await batchOnce(all, tokenAll);
    const batchTimes: number[] = [];
    const singleTimes: number[] = [];
    for (let r = 0; r < Math.max(rounds, 3); r++) {
      batchTimes.push(await batchOnce(all, tokenAll));
      singleTimes.push((await cannon(all, EVALUATE, tokenAll, { amount: BATCH })).seconds);
    }
    const batchS = median(batchTimes);
    const singlesS = median(singleTimes);
    console.log(`  batch ${fmt(batchS * 1000)} ms, singles ${fmt(singlesS * 1000)} ms`);
    await stop(off);
    await stop(all);
    children.length = 0;

    // 4: workers.
    const tokenW1 = await prepareDatabase(join(dir, 'w1.db'));
    const tokenW2 = await prepareDatabase(join(dir, 'w2.db'));
    const w1 = await beslisServe(join(dir, 'w1.db'), 1);
    children.push(w1);
    const w2 = await beslisServe(join(dir, 'w2.db'), 2);
    children.push(w2);
    console.log('  workers: warming up…');
    await cannon(w1, EVALUATE, tokenW1, { seconds: opts.quick ? 1 : 3 });
    await cannon(w2, EVALUATE, tokenW2, { seconds: opts.quick ? 1 : 3 });
    const one: Load[] = [];
    const two: Load[] = [];
    for (let r = 0; r < rounds; r++) {
      one.push(await cannon(w1, EVALUATE, tokenW1, { seconds }));
      two.push(await cannon(w2, EVALUATE, tokenW2, { seconds }));
      for (const [n, l] of [
        [1, one.at(-1)!],
        [2, two.at(-1)!],
      ] as const) {
        console.log(`  beslis serve --workers ${n}          ${fmt(l.rps).padStart(7)} req/s  p50 ${l.p50} ms  p99 ${l.p99} ms  server ${l.serverCores.toFixed(2)} cores, client ${l.clientCores.toFixed(2)}`);
      }
    }
    const oneRps = median(one.map((l) => l.rps));
    const twoRps = median(two.map((l) => l.rps));
    const oneL = one.find((l) => l.rps === oneRps)!;
    const twoL = two.find((l) => l.rps === twoRps)!;
    const ratio = (a: Load, b: Load) => `${pct(a.rps / b.rps)} (per server CPU-second ${pct(a.perCpu / b.perCpu)})`;

    const text = [
      `Machine: ${machine}; load average (1, 5, 15 min) ${loadBefore} before, ${loadLine()} after.`,
      '',
      `Run: ${new Date().toISOString().slice(0, 10)}, autocannon ${CONNECTIONS} connections, keep-alive, no pipelining, ${rounds} round(s) of ${seconds} s after a warm-up, median round; the ${CASES.length} interventiematrix fixture cases in turn; the load generator shares the two cores with the servers.`,
      '',
      '| subject | req/s | req per server CPU-s | p50 | p99 | bytes per answer | server CPU | client CPU |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...[
        ['raw express route: JSON body parser only', raw],
        ['bare route in the API setup (reference)', bare],
        ['POST /api/v1/evaluate, log off', evalOff],
        ['POST /api/v1/evaluate, log all (default)', evalAll],
        ['`beslis serve --workers 1`, log all', oneL],
        ['`beslis serve --workers 2`, log all', twoL],
      ].map(([name, l]) => {
        const x = l as Load;
        return `| ${name as string} | ${fmt(x.rps)} | ${fmt(x.perCpu)} | ${x.p50} ms | ${x.p99} ms | ${fmt(x.bytes)} | ${x.serverCores.toFixed(2)} cores | ${x.clientCores.toFixed(2)} cores |`;
      }),
      '',
      `| target (issue 9) | measured | |`,
      '|---|---:|---|',
      `| evaluate (log off) ≥ 70% of the bare route | ${ratio(evalOff, bare)} | ${verdict(evalOff.rps / bare.rps >= 0.7)} |`,
      `| evaluate with the log on (the default) ≥ 70% of the bare route | ${ratio(evalAll, bare)} | ${verdict(evalAll.rps / bare.rps >= 0.7)} |`,
      `| (no target) evaluate, log on, against the raw express route | ${ratio(evalAll, raw)} | |`,
      `| the evaluation log costs ≤ 20% | ${pct(1 - evalAll.rps / evalOff.rps)} (per server CPU-second ${pct(1 - evalAll.perCpu / evalOff.perCpu)}) | ${verdict(1 - evalAll.rps / evalOff.rps <= 0.2)} |`,
      `| batch of ${fmt(BATCH)} ≥ 20× faster than ${fmt(BATCH)} singles | ${fmt(batchS * 1000)} ms vs ${fmt(singlesS * 1000)} ms = ${(singlesS / batchS).toFixed(1)}× | ${verdict(singlesS / batchS >= 20)} |`,
      `| two workers ≥ 1.6× one worker | ${(twoRps / oneRps).toFixed(2)}× (server CPU ${oneL.serverCores.toFixed(2)} → ${twoL.serverCores.toFixed(2)} cores) | ${verdict(twoRps / oneRps >= 1.6)} |`,
      `| p99 < 20 ms at ${CONNECTIONS} connections (single evaluations, log all) | ${evalAll.p99} ms | ${verdict(evalAll.p99 < 20)} |`,
      `| (no target) p99 at a steady ${fmt(STEADY_RATE)} req/s over ${CONNECTIONS} connections, log all | ${steadyL.p99.toFixed(1)} ms (p50 ${steadyL.p50.toFixed(1)} ms); the bare route loaded the same way: ${steadyBare.p99.toFixed(1)} ms (p50 ${steadyBare.p50.toFixed(1)} ms) | ${steadyL.p99 < 20 ? 'under 20 ms' : 'over 20 ms'} |`,
    ].join('\n');
    console.log(`\n${text}\n`);
    if (opts.write) writeFigures('http', text);
  } finally {
    for (const c of children) await stop(c);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run({ quick: process.argv.includes('--quick'), write: process.argv.includes('--write') });
}
