// `beslis serve` (or a bench server) as a child process, started and awaited in one place: every test and benchmark
// that needs a real server process waits for the same "listening on URL" line, collects the same output and fails
// with it when the server does not come up.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/g;

export interface ServeChild {
  child: ChildProcess;
  /** The URL of the first listener. */
  url: string;
  /** Everything the process wrote so far, standard output and standard error. */
  output(): string;
  /** Resolves with the exit code (null: ended by a signal). */
  exited: Promise<number | null>;
}

export interface WaitOptions {
  /** How many "listening on" lines to wait for (one per worker with --workers). */
  listeners?: number;
  timeoutMs?: number;
  /** Names the process in errors. */
  label?: string;
}

/**
 * Collects a started process's output and resolves once `listeners` lines "listening on URL" have appeared on its
 * standard output; rejects with the output when it exits first or takes longer than `timeoutMs`.
 */
export function waitForListening(child: ChildProcess, opts: WaitOptions = {}): Promise<ServeChild> {
  const { listeners = 1, timeoutMs = 60_000, label = 'beslis serve' } = opts;
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<ServeChild>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${label} did not start within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const check = () => {
      const seen = [...out.matchAll(LISTENING)];
      if (seen.length < listeners) return;
      clearTimeout(timer);
      child.stdout?.off('data', check);
      resolve({ child, url: seen[0]![1]!, output: () => out, exited });
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code} before listening:\n${out}`));
    });
  });
}

/**
 * Starts `node bin/beslis.js serve ARGS` with its output piped. The environment is the test's, without the server
 * settings a developer may have exported (PORT, BESLIS_DB, BESLIS_WORKERS), plus `env`. `children` collects the
 * process so the caller's afterAll can kill it whatever happens.
 */
export function spawnServe(args: string[], env: Record<string, string> = {}, opts: WaitOptions & { children?: ChildProcess[] } = {}): Promise<ServeChild> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), 'serve', ...args], {
    env: { ...process.env, PORT: '', BESLIS_DB: '', BESLIS_WORKERS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  opts.children?.push(child);
  return waitForListening(child, opts);
}
