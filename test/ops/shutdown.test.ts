// SIGTERM under load: `beslis serve` stops accepting, answers what it had, flushes the evaluation log and exits within
// its bound; afterwards every evaluation a client got an answer for is in the log.
import Database from 'better-sqlite3';
import { Agent, request as httpRequest } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.ts';
import { exitWithin, issueToken, startServe, type ServeProcess } from './serve-process.ts';

const dir = tempDir('beslis-shutdown-');
let server: ServeProcess | null = null;
afterAll(() => {
  if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** POST with a JSON body over a given agent; resolves with the status and body, or null when the connection failed. */
function post(url: string, path: string, token: string, body: unknown, agent: Agent): Promise<{ status: number; body: string } | null> {
  return new Promise((resolve) => {
    const data = JSON.stringify(body);
    const req = httpRequest(`${url}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      res.on('error', () => resolve(null));
    });
    req.on('error', () => resolve(null));
    req.end(data);
  });
}

describe('SIGTERM under load', () => {
  it.each([1, 2])('answers the requests under way, loses no answered evaluation, and exits within the shutdown timeout (--workers %i)', async (workers) => {
    const db = join(dir, `shutdown-${workers}.db`);
    const graceSeconds = 5;
    server = await startServe(['--db', db, '--shutdown-timeout', String(graceSeconds), '--workers', String(workers)], {}, workers);
    const token = await issueToken(server, 'last', ['evaluate']);
    const url = server.url;

    // Eight clients, each a bounded loop of single evaluations on its own keep-alive connection.
    let acknowledged = 0;
    let stop = false;
    const loop = async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 3000 && !stop; i++) {
        const r = await post(url, '/api/v1/evaluate/test.boete', token, { input: { categorie: i % 2 ? 'A' : 'B' }, date: '2020-06-01' }, agent);
        if (r === null) break; // the server has gone: this request was never answered
        if (r.status === 200) acknowledged++;
        else break;
      }
      agent.destroy();
    };
    const loops = Array.from({ length: 8 }, loop);
    while (acknowledged < 400) await new Promise((r) => setTimeout(r, 10));

    // A large batch under way when the signal comes: its connection is open and its request sent.
    const batchAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const cases = Array.from({ length: 5000 }, (_, i) => ({ input: { categorie: i % 2 ? 'A' : 'B' }, date: '2020-06-01' }));
    expect((await post(url, '/api/v1/evaluate/test.boete/batch', token, { cases: cases.slice(0, 1) }, batchAgent))?.status).toBe(200);
    const batch = post(url, '/api/v1/evaluate/test.boete/batch', token, { cases }, batchAgent);
    await new Promise((r) => setTimeout(r, 15));

    server.child.kill('SIGTERM');
    // The bound the server names: the grace period, then 5 s for the flush and the database, then it exits anyway.
    const code = await exitWithin(server, (graceSeconds + 5) * 1000);
    stop = true;
    await Promise.all(loops);
    const batchAnswer = await batch;
    batchAgent.destroy();

    expect(code).toBe(0);
    expect(server.output().match(/stopped \(evaluation log flushed, database closed\)/g)).toHaveLength(workers);
    expect(batchAnswer?.status).toBe(200);
    const batchOk = (JSON.parse(batchAnswer!.body) as { results: { output?: unknown }[] }).results.filter((r) => r.output !== undefined).length;
    expect(batchOk).toBe(5000);

    // Every answered evaluation is in the log (the first one-case batch included); none was made up.
    const file = new Database(db, { readonly: true });
    const logged = file.prepare("SELECT COUNT(*) FROM evaluation_log WHERE caller = 'token:last'").pluck().get() as number;
    file.close();
    expect(logged).toBeGreaterThanOrEqual(acknowledged + 1 + batchOk);
    // At most the requests sent but never answered (one per client) can be logged beyond what was acknowledged.
    expect(logged).toBeLessThanOrEqual(acknowledged + 1 + batchOk + 8);

    // After the stop nothing listens.
    expect(await post(url, '/api/v1/evaluate/test.boete', token, { input: { categorie: 'A' } }, new Agent())).toBeNull();
  }, 120_000);
});
