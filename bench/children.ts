// Servers for the HTTP benchmark and the soak, as child processes: a database loaded from rules/ and fixtures/
// with an API token, start and stop, and the CPU and memory the process tree used (read from /proc).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFiles } from '../server/store/files.ts';
import { Store } from '../server/store/store.ts';
import { createToken } from '../server/store/tokens.ts';
import { ensureFirstAdmin } from '../server/store/users.ts';
import { waitForListening } from '../test/serve-child.ts';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const ADMIN_PASSWORD = 'bench-admin-password';

export interface Child {
  child: ChildProcess;
  url: string;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/** A database loaded from rules/ and fixtures/, with an admin and an API token of scope `evaluate`. */
export async function prepareDatabase(file: string): Promise<string> {
  const store = await Store.open(file);
  try {
    await importFiles(store, ROOT, 'bench', { skipInvalid: true });
    await ensureFirstAdmin(store, ADMIN_PASSWORD);
    return (await createToken(store, { name: 'bench', scopes: ['evaluate'] }, 'bench')).token;
  } finally {
    await store.close();
  }
}

/** Starts a process and waits until `listening` lines have appeared `count` times on its stdout. */
export async function start(args: string[], count: number, label: string): Promise<Child> {
  const child = spawn(process.execPath, args, { env: { ...process.env, PORT: '', BESLIS_DB: '', BESLIS_WORKERS: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const { url } = await waitForListening(child, { listeners: count, label });
  // From here on the request log is read and dropped (the server writes it as in production; nobody keeps it).
  child.stdout!.removeAllListeners('data');
  child.stdout!.on('data', () => undefined);
  return { child, url };
}

export async function beslisServe(db: string, workers: number): Promise<Child> {
  const port = await freePort();
  return start([join(ROOT, 'bin/beslis.js'), 'serve', '--port', String(port), '--host', '127.0.0.1', '--db', db, '--workers', String(workers)], workers, `beslis serve --workers ${workers}`);
}

export async function stop(c: Child): Promise<void> {
  if (c.child.exitCode !== null) return;
  const exited = new Promise((r) => c.child.once('exit', r));
  c.child.kill('SIGTERM');
  await exited;
}

/** The process and all its descendants (bin/*.js start node with the TypeScript loader; the cluster forks). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i]!) ?? []));
  return out;
}

/** CPU seconds (user + system) used so far by a process tree, from /proc (100 ticks a second on Linux). */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

/** Resident memory (VmRSS) of a process tree in bytes, from /proc. */
export function rssBytes(pid: number): number {
  let kb = 0;
  for (const p of processTree(pid)) {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      // gone
    }
  }
  return kb * 1024;
}
