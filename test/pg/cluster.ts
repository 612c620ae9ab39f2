// A throwaway PostgreSQL cluster for tests: initdb into a temporary folder, started on a free loopback port with its
// socket in that folder, trust authentication for the one local user, stopped and removed afterwards. No internet,
// no root needed; as root (CI runs so) the cluster runs as the `postgres` user, since initdb refuses root.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.ts';

export interface Cluster {
  /** postgres://beslis@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  dir: string;
  stop(): void;
}

/** The folder of initdb and pg_ctl (the newest Debian PostgreSQL), or null when PostgreSQL is not installed. */
export function postgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL tool, as `postgres` when we are root. */
function pgTool(bin: string, tool: string, args: string[], timeoutMs: number): void {
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
  const r = spawnSync(cmd, argv as string[], { encoding: 'utf8', timeout: timeoutMs });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr || r.stdout}`);
}

/** Starts a cluster; waits at most `timeoutMs` for it to accept connections. */
export async function startCluster(timeoutMs = 30_000): Promise<Cluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): apt-get install postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'beslis-pg-'));
  const data = join(dir, 'data');
  if (asRoot) {
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })));
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  try {
    pgTool(bin, 'initdb', ['-D', data, '-U', 'beslis', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], timeoutMs);
    // fsync off: a test cluster that dies is thrown away anyway. Small shared memory: several helpers share the machine.
    const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=32MB -c max_connections=300`;
    pgTool(bin, 'pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', String(Math.ceil(timeoutMs / 1000)), 'start'], timeoutMs + 5000);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  return {
    url: `postgres://beslis@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        pgTool(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', '-t', '20', 'stop'], 25_000);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
