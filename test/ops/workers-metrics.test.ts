// /metrics under `beslis serve --workers 2`: whichever worker answers the scrape, the figures are the sum over both.
import { Agent, request as httpRequest } from 'node:http';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../api/helpers.ts';
import { exitWithin, issueToken, startServe, type ServeProcess } from './serve-process.ts';

const dir = tempDir('beslis-workers-metrics-');
let server: ServeProcess | null = null;
afterAll(() => {
  if (server?.child.exitCode === null) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** One request on a new connection (so the cluster hands successive requests to different workers). */
function once(url: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      `${url}${path}`,
      { method, agent: new Agent({ keepAlive: false }), headers: { authorization: `Bearer ${token}`, ...(data ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('metrics under --workers 2', () => {
  it('adds up both workers\' counters, whichever worker is scraped', async () => {
    const s = await startServe(['--db', join(dir, 'w.db'), '--workers', '2'], { BESLIS_LOG_LEVEL: 'info' }, 2);
    server = s;
    const evaluator = await issueToken(s, 'zaaksysteem', ['evaluate']);
    const scraper = await issueToken(s, 'prometheus', ['metrics']);
    // Evaluate until the request log shows both workers answering (the log line of a request may follow its answer by a
    // moment, and a loaded machine may hand the first requests to one worker): at most 200 requests.
    const answeredBy = (): Set<number> =>
      new Set(
        s
          .output()
          .split('\n')
          .filter((l) => l.startsWith('{') && l.includes('"route":"/api/v1/evaluate/:tableId"'))
          .map((l) => (JSON.parse(l) as { pid: number }).pid),
      );
    let sent = 0;
    while (sent < 200 && (sent < 20 || answeredBy().size < 2)) {
      expect((await once(s.url, 'POST', '/api/v1/evaluate/test.boete', evaluator, { input: { categorie: 'A' }, date: '2020-06-01' })).status).toBe(200);
      sent++;
      if (sent >= 20) await new Promise((r) => setTimeout(r, 20));
    }
    expect(answeredBy().size).toBe(2);

    for (let i = 0; i < 4; i++) {
      const m = await once(s.url, 'GET', '/metrics', scraper);
      expect(m.status).toBe(200);
      expect(value(m.text, 'beslis_evaluations_total{table="test.boete",version="1"}')).toBe(sent);
      expect(value(m.text, 'beslis_http_requests_total{method="POST",route="/api/v1/evaluate/:tableId",status="200"}')).toBe(sent);
      // One database, seen by both: its size is not doubled.
      const size = value(m.text, 'beslis_database_bytes')!;
      expect(size).toBeGreaterThan(0);
      expect(size).toBeLessThan(50_000_000);
    }
    s.child.kill('SIGTERM');
    expect(await exitWithin(s, 30_000)).toBe(0);
  }, 120_000);
});
