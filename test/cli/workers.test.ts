// `beslis serve --workers 2`: two processes on one port over one database; a dead worker is replaced; SIGTERM stops all.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServe } from '../serve-child.ts';
import { freePort } from '../free-port.ts';

async function waitFor(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

/** The command line of a process, or '' when it has ended. */
function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * A forked server worker runs the same `beslis serve` command line as the primary. The primary has one more child:
 * the esbuild service that tsx (bin/beslis.js loads the TypeScript through it) starts on first transform.
 */
function isServeWorker(pid: number): boolean {
  return commandOf(pid).includes(' serve');
}

/** Child processes of `pid`, read from /proc (no procps needed). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('beslis serve --workers', () => {
  let child: ChildProcess | null = null;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('serves from two workers, replaces one that dies, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const db = join(mkdtempSync(join(tmpdir(), 'beslis-workers-')), 'w.db');
    const started = await spawnServe(['--port', String(port), '--host', '127.0.0.1', '--db', db, '--workers', '2'], { BESLIS_ADMIN_PASSWORD: 'werkers-wachtwoord-1' }, { listeners: 2 });
    child = started.child;
    const log = started.output;
    expect(log()).toContain('2 workers on port');
    // The first load ran once, in the first worker.
    expect(log().match(/loaded \d+ versions/g)).toHaveLength(1);

    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'werkers-wachtwoord-1' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    // Sessions live in the database, so whichever worker answers knows the session.
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${base}/api/v1/evaluate/handhaving.interventiematrix`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ input: { gedrag: 'C', gevolgen: 4 } }),
      });
      expect(r.status).toBe(200);
      expect(((await r.json()) as { output: { kwadrant: number } }).output.kwadrant).toBe(4);
    }

    const workers = childrenOf(child.pid!).filter(isServeWorker);
    expect(workers, childrenOf(child.pid!).map((c) => commandOf(c)).join('\n')).toHaveLength(2);
    const workerPid = workers[0]!;
    process.kill(workerPid, 'SIGKILL');
    await waitFor(() => /starting another/.test(log()));
    await waitFor(() => (log().match(/listening on/g) ?? []).length === 3);
    expect((await fetch(`${base}/api/v1/health`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
    expect(alive(workerPid)).toBe(false);
  }, 60_000);
});
