// Evaluate throughput on several nodes (issue 21): POST /api/v1/evaluate with an API token, autocannon from this
// process, against
//   1. SQLite, one `beslis serve`, straight to its port (the single-machine installation);
//   2. the same behind HAProxy (what the balancer's hop costs);
//   3. PostgreSQL, one node behind HAProxy;
//   4. PostgreSQL, two nodes behind HAProxy (round robin);
// each with the evaluation log off (the hot path alone: the catalogue in memory, the token check) and on (all, the
// default: every decision written to the database). The machine has two cores that the nodes, PostgreSQL, HAProxy and
// the load generator all share, so two nodes cannot be twice one here: the CPU each part used is printed beside the
// rates, and the per-CPU-second figure is the one that says what a node costs.
// Run: npm run bench -- nodes [--quick] [--write]
import autocannon from 'autocannon';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN_PASSWORD, startMultiNode, type MultiNode } from '../test/multinode/harness.ts';
import { CASES, TABLE } from './cases.ts';
import { cpuSeconds, ROOT } from './children.ts';
import { loadLine, machineLine, median } from './measure.ts';
import { writeFigures } from './readme.ts';

const CONNECTIONS = 64;
const EVALUATE = `/api/v1/evaluate/${TABLE}`;
const BODIES = CASES.map((input) => JSON.stringify({ input }));

interface Setup {
  name: string;
  database: 'sqlite' | 'postgres';
  nodes: number;
  balancer: boolean;
}

const SETUPS: Setup[] = [
  { name: 'SQLite, 1 node, direct', database: 'sqlite', nodes: 1, balancer: false },
  { name: 'SQLite, 1 node, HAProxy', database: 'sqlite', nodes: 1, balancer: true },
  { name: 'PostgreSQL, 1 node, HAProxy', database: 'postgres', nodes: 1, balancer: true },
  { name: 'PostgreSQL, 2 nodes, HAProxy', database: 'postgres', nodes: 2, balancer: true },
];

interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** Cores used during the run by the nodes, PostgreSQL, HAProxy and this process. */
  cores: { nodes: number; postgres: number; haproxy: number; client: number };
  /** Requests per CPU-second of the nodes. */
  perNodeCpu: number;
}

/** The PostgreSQL server's processes: the postmaster (its pid is the first line of postmaster.pid) and its backends. */
function postgresPid(mn: MultiNode): number | null {
  if (!mn.cluster) return null;
  try {
    return Number(readFileSync(join(mn.cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}

function cpuNow(mn: MultiNode): { nodes: number; postgres: number; haproxy: number } {
  const pg = postgresPid(mn);
  return {
    nodes: mn.nodes.reduce((s, n) => s + cpuSeconds(n.serve.child.pid!), 0),
    postgres: pg ? cpuSeconds(pg) : 0,
    haproxy: mn.haproxy ? cpuSeconds(mn.haproxy.pid!) : 0,
  };
}

async function cannon(mn: MultiNode, token: string, seconds: number): Promise<Load> {
  const before = cpuNow(mn);
  const client0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await autocannon({
    url: mn.url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: BODIES.map((body) => ({ method: 'POST' as const, path: EVALUATE, body })),
  });
  const wall = (performance.now() - t0) / 1000;
  const client = process.cpuUsage(client0);
  const after = cpuNow(mn);
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`${EVALUATE}: ${r.non2xx} answers not 2xx (${JSON.stringify(r.statusCodeStats)}), ${r.errors} errors`);
  const runSeconds = (r.finish.getTime() - r.start.getTime()) / 1000;
  const nodeCpu = after.nodes - before.nodes;
  return {
    rps: r['2xx'] / runSeconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    cores: {
      nodes: nodeCpu / wall,
      // Backends alive at both ends only (one that ended in between is missed): a lower bound, never below 0.
      postgres: Math.max(0, after.postgres - before.postgres) / wall,
      haproxy: (after.haproxy - before.haproxy) / wall,
      client: (client.user + client.system) / 1e6 / wall,
    },
    perNodeCpu: r['2xx'] / nodeCpu,
  };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export async function run(opts: { quick: boolean; write?: boolean }): Promise<void> {
  const seconds = opts.quick ? 2 : 5;
  const rounds = opts.quick ? 1 : 3;
  const machine = machineLine();
  const loadBefore = loadLine();
  console.log(`Nodes benchmark — ${machine}, load average ${loadBefore}; ${CONNECTIONS} connections, ${rounds} round(s) of ${seconds} s`);
  const rows: { setup: Setup; log: string; load: Load }[] = [];
  for (const log of ['off', 'all'] as const) {
    for (const setup of SETUPS) {
      const mn = await startMultiNode({ database: setup.database, nodes: setup.nodes, balancer: setup.balancer, seedDir: ROOT, serveArgs: ['--log', log] });
      try {
        const admin = await fetch(`${mn.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
        const cookie = admin.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
        const { csrfToken } = (await admin.json()) as { csrfToken: string };
        const made = await fetch(`${mn.url}/api/v1/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'bench', scopes: ['evaluate'] }) });
        if (made.status !== 201) throw new Error(`creating the token answered ${made.status}: ${await made.text()}`);
        const { token } = (await made.json()) as { token: string };
        await cannon(mn, token, opts.quick ? 1 : 2);
        const loads: Load[] = [];
        for (let r = 0; r < rounds; r++) {
          const l = await cannon(mn, token, seconds);
          loads.push(l);
          console.log(
            `  log ${log.padEnd(3)}  ${setup.name.padEnd(30)} ${fmt(l.rps).padStart(7)} req/s (${fmt(l.perNodeCpu).padStart(6)} per node CPU-s)  p50 ${l.p50} ms  p99 ${l.p99} ms  ` +
              `cores: nodes ${l.cores.nodes.toFixed(2)}, postgres ${l.cores.postgres.toFixed(2)}, haproxy ${l.cores.haproxy.toFixed(2)}, client ${l.cores.client.toFixed(2)}`,
          );
        }
        const m = median(loads.map((l) => l.rps));
        rows.push({ setup, log, load: loads.find((l) => l.rps === m)! });
      } finally {
        await mn.stop();
      }
    }
  }
  const reference = (log: string) => rows.find((r) => r.log === log && r.setup === SETUPS[0])!.load;
  const text = [
    `Machine: ${machine}; load average (1, 5, 15 min) ${loadBefore} before, ${loadLine()} after.`,
    '',
    `Run: ${new Date().toISOString().slice(0, 10)}, autocannon ${CONNECTIONS} connections, keep-alive, ${rounds} round(s) of ${seconds} s after a warm-up, median round; ` +
      `POST ${EVALUATE} with an API token, the ${CASES.length} interventiematrix fixture cases in turn. Nodes, PostgreSQL 15 (fsync off: a throwaway test cluster), ` +
      'HAProxy 2.6 and the load generator share the two cores.',
    '',
    '| log | setup | req/s | vs SQLite direct | req per node CPU-s | p50 | p99 | cores: nodes | PostgreSQL | HAProxy | client |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(({ setup, log, load: l }) =>
      `| ${log} | ${setup.name} | ${fmt(l.rps)} | ${(l.rps / reference(log).rps).toFixed(2)}× | ${fmt(l.perNodeCpu)} | ${l.p50} ms | ${l.p99} ms | ${l.cores.nodes.toFixed(2)} | ${l.cores.postgres.toFixed(2)} | ${l.cores.haproxy.toFixed(2)} | ${l.cores.client.toFixed(2)} |`,
    ),
  ].join('\n');
  console.log(`\n${text}\n`);
  if (opts.write) writeFigures('nodes', text);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run({ quick: process.argv.includes('--quick'), write: process.argv.includes('--write') });
}
