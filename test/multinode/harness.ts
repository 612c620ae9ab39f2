// Several `beslis serve` processes on one PostgreSQL database behind HAProxy, all on loopback, for the multi-node
// test and the throughput benchmark: a throwaway cluster (test/pg/cluster.ts), `beslis migrate`, N nodes started as
// child processes (the first alone: it loads the seed and creates the first admin), and HAProxy in front (round
// robin, no stickiness, a health check on /api/v1/health/ready), its configuration in a temporary folder. Every
// answer through HAProxy names the node that gave it (X-Beslis-Node). stop() ends everything it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type Cluster } from '../pg/cluster.ts';
import { spawnServe, type ServeChild } from '../serve-child.ts';
import { freePort } from '../free-port.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SEED_DIR = fileURLToPath(new URL('../api/data/', import.meta.url));
export const HAPROXY = '/usr/sbin/haproxy';
export const ADMIN_PASSWORD = 'multinode-admin-password';

export interface Node {
  name: string;
  serve: ServeChild;
  url: string;
}

export interface MultiNode {
  /** The PostgreSQL cluster (null on SQLite). */
  cluster: Cluster | null;
  /** The environment every node and CLI call gets: the database URL and the shared audit key. */
  env: Record<string, string>;
  nodes: Node[];
  /** HAProxy's address (without a balancer: the first node's). */
  url: string;
  haproxy: ChildProcess | null;
  /** Runs `beslis ARGS` on the database (asynchronously: a test's event loop keeps serving its own requests). */
  beslis(args: string[], timeoutMs?: number): Promise<{ code: number | null; out: string; err: string }>;
  /** Ends node `name` with SIGKILL, without warning. */
  kill(name: string): Promise<void>;
  stop(): Promise<void>;
}

function run(args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), ...args], { env: { ...process.env, BESLIS_DB: '', PORT: '', BESLIS_WORKERS: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => child.once('exit', (code) => (clearTimeout(timer), resolve({ code, out, err }))));
}

/**
 * HAProxy's configuration: round robin over the nodes, each checked on /api/v1/health/ready every 250 ms; a node is
 * out after 2 failed checks. A check may take 3 s (a node at full load answers it late, and is not down for that).
 */
export function haproxyConfig(port: number, nodes: { name: string; url: string }[]): string {
  const servers = nodes.map((n) => {
    const { hostname, port: p } = new URL(n.url);
    return `  server ${n.name} ${hostname}:${p} check inter 250ms fall 2 rise 2`;
  });
  return `global
  maxconn 2000

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 60s
  timeout check 3s
  # A request that could not reach a node is sent to another (a node killed, or not yet marked down).
  retries 2
  option redispatch

frontend beslis
  bind 127.0.0.1:${port}
  default_backend nodes

backend nodes
  balance roundrobin
  option httpchk GET /api/v1/health/ready
  http-check expect status 200
  http-response set-header X-Beslis-Node %s
${servers.join('\n')}
`;
}

/** Polls `url` until it answers 200, at most `timeoutMs`. */
export async function waitFor200(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < until) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) return;
      last = `${r.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

export interface MultiNodeOptions {
  nodes?: number;
  /** Extra `beslis serve` options for every node. */
  serveArgs?: string[];
  /**
   * 'postgres' (default) or 'sqlite': the nodes share one SQLite file on this machine (the single-machine
   * reference of the benchmark; several processes on one file is what `--workers` does).
   */
  database?: 'postgres' | 'sqlite';
  /** Folder with rules/ and fixtures/ the first node loads (default test/api/data). */
  seedDir?: string;
  /** Whether HAProxy goes in front (default true; false: `url` is the first node's). */
  balancer?: boolean;
}

export async function startMultiNode(opts: MultiNodeOptions = {}): Promise<MultiNode> {
  const count = opts.nodes ?? 2;
  const cluster = opts.database === 'sqlite' ? null : await startCluster();
  const dir = mkdtempSync(join(tmpdir(), 'beslis-multinode-'));
  const env = {
    ...(cluster ? { BESLIS_DATABASE_URL: cluster.url } : { BESLIS_DATABASE_URL: '', BESLIS_DB: join(dir, 'beslis.db') }),
    BESLIS_AUDIT_KEY: randomBytes(32).toString('hex'),
    BESLIS_ADMIN_PASSWORD: ADMIN_PASSWORD,
  };
  const children: ChildProcess[] = [];
  const nodes: Node[] = [];
  let haproxy: ChildProcess | null = null;
  const stop = async () => {
    for (const c of [...children, ...(haproxy ? [haproxy] : [])]) {
      if (c.exitCode === null && c.signalCode === null) {
        const gone = new Promise((r) => c.once('exit', r));
        c.kill('SIGKILL');
        await gone;
      }
    }
    try {
      cluster?.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const migrated = await run(['migrate'], env, 60_000);
    if (migrated.code !== 0) throw new Error(`beslis migrate failed (${migrated.code}): ${migrated.err}${migrated.out}`);
    for (let i = 0; i < count; i++) {
      const name = String.fromCharCode(97 + i);
      // The first node alone loads the seed into the empty database and creates the admin; the others find them.
      const serve = await spawnServe(['--port', '0', '--host', '127.0.0.1', '--seed', opts.seedDir ?? SEED_DIR, '--log-level', 'warn', ...(opts.serveArgs ?? [])], env, {
        children,
        timeoutMs: 60_000,
        label: `node ${name}`,
      });
      nodes.push({ name, serve, url: serve.url });
    }
    const beslis = (args: string[], timeoutMs = 60_000) => run(args, env, timeoutMs);
    const kill = async (name: string) => {
      const node = nodes.find((n) => n.name === name)!;
      const c = node.serve.child;
      if (c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((r) => c.once('exit', r));
      c.kill('SIGKILL');
      await gone;
    };
    if (opts.balancer === false) return { cluster, env, nodes, url: nodes[0]!.url, haproxy: null, beslis, kill, stop };
    const port = await freePort();
    const cfg = join(dir, 'haproxy.cfg');
    writeFileSync(cfg, haproxyConfig(port, nodes));
    haproxy = spawn(HAPROXY, ['-f', cfg, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let haproxyOut = '';
    haproxy.stdout!.on('data', (d: Buffer) => (haproxyOut += d.toString()));
    haproxy.stderr!.on('data', (d: Buffer) => (haproxyOut += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    await waitFor200(`${url}/api/v1/health/ready`, 20_000).catch((err: Error) => {
      throw new Error(`${err.message}\nhaproxy: ${haproxyOut}`);
    });
    return { cluster, env, nodes, url, haproxy, beslis, kill, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
