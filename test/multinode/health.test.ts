// Readiness on PostgreSQL: a node reports its database (kind, schema version, reachable), and when PostgreSQL stops
// answering — frozen (SIGSTOP: the network cut, a hung server) or gone — /api/v1/health/ready answers 503 with the
// reason within its bound instead of hanging a balancer's check; the node is ready again once the database is back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processTree } from '../../bench/children.ts';
import { send } from '../api/helpers.ts';
import { startMultiNode, type MultiNode } from './harness.ts';

let mn: MultiNode;

function postgresProcesses(): number[] {
  const postmaster = Number(readFileSync(join(mn.cluster!.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  return processTree(postmaster);
}

async function ready(): Promise<{ status: number; body: { checks: Record<string, string>; database: Record<string, unknown> }; ms: number }> {
  const t0 = Date.now();
  const r = await send(mn.url, 'GET', '/api/v1/health/ready');
  return { status: r.status, body: r.body, ms: Date.now() - t0 };
}

beforeAll(async () => {
  mn = await startMultiNode({ nodes: 1, balancer: false });
}, 120_000);

afterAll(async () => {
  // Whatever a test left frozen goes on before the cluster is stopped.
  try {
    for (const pid of postgresProcesses()) process.kill(pid, 'SIGCONT');
  } catch {
    // already gone
  }
  await mn?.stop().catch(() => {});
});

describe('readiness on PostgreSQL', () => {
  it('names the database: postgres, its schema version, reachable', async () => {
    const r = await ready();
    expect(r.status).toBe(200);
    expect(r.body.database).toMatchObject({ kind: 'postgres', reachable: true });
    expect(r.body.database.schemaVersion).toBe(r.body.database.needs);
  });

  it('answers 503 within its bound while PostgreSQL does not answer, and 200 again once it does', async () => {
    const frozen = postgresProcesses();
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    try {
      const r = await ready();
      expect(r.status).toBe(503);
      expect(r.body.checks.database).toContain('does not answer');
      expect(r.body.database).toMatchObject({ kind: 'postgres', reachable: false, schemaVersion: null });
      expect(r.ms).toBeLessThan(4000);
      // Liveness is not the database's: the process answers.
      expect((await send(mn.url, 'GET', '/api/v1/health/live')).status).toBe(200);
    } finally {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
    }
    const until = Date.now() + 10_000;
    let again = await ready();
    while (again.status !== 200 && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
      again = await ready();
    }
    expect(again.status).toBe(200);
  });

  it('answers 503 at once with the reason when PostgreSQL is gone', async () => {
    for (const pid of postgresProcesses().reverse()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // a backend that ended with the postmaster
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    const r = await ready();
    expect(r.status).toBe(503);
    expect(r.body.checks.database).toMatch(/does not answer: .+/);
    expect(r.ms).toBeLessThan(4000);
  });
});
