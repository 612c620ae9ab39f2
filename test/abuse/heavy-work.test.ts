// Heavy work off the request thread: impact analysis and outcome statistics over a large evaluation log run in a
// worker thread, so single evaluations keep being answered while they run, and the counts are exact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationLogRow } from '../../server/store/records.ts';
import { send, testServer, type TestServer } from '../api/helpers.ts';

const ROWS = 200_000;

describe('impact and stats over a large log', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await testServer();
    // test.boete: categorie A → 120, B → 240. Every third case is a B.
    const at = new Date(Date.now() - 3_600_000).toISOString();
    for (let start = 0; start < ROWS; start += 20_000) {
      const rows: EvaluationLogRow[] = [];
      for (let i = start; i < start + 20_000; i++) {
        const b = i % 3 === 0;
        rows.push({ tableId: 'test.boete', version: 3, hash: 'h', input: { categorie: b ? 'B' : 'A', eerder: i % 50 }, output: { boete: b ? 240 : 120 }, matched: [b ? 'B' : 'A'], caseDate: null, asOf: null, caller: 'bulk', evaluatedAt: at });
      }
      await server.store.insertEvaluationLog(rows);
    }
    // The draft raises B's fine: every B case changes, no A case does.
    const cur = await server.request('GET', '/api/v1/tables/test.boete/draft');
    const t = structuredClone(cur.body.table);
    t.rules[1].then.boete = '300';
    const saved = await server.request('PUT', '/api/v1/tables/test.boete/draft', { table: t }, { 'If-Match': String(cur.body.revision) });
    expect(saved.status, saved.text).toBe(200);
  }, 120_000);
  afterAll(() => server.stop());

  /**
   * Runs `heavy` while evaluating single cases one after another; returns its reply, how many were answered
   * meanwhile, and the slowest of those answers (ms).
   */
  async function whileEvaluating<T>(heavy: () => Promise<T>): Promise<{ reply: T; answered: number; slowest: number }> {
    let done = false;
    let answered = 0;
    let slowest = 0;
    const evaluations = (async () => {
      while (!done) {
        const t0 = performance.now();
        const r = await server.request('POST', '/api/v1/evaluate/test.matrix', { input: { houding: 'welwillend', gevolgen: 1 } });
        expect(r.status).toBe(200);
        if (!done) {
          answered++;
          slowest = Math.max(slowest, performance.now() - t0);
        }
      }
    })();
    const reply = await heavy().finally(() => (done = true));
    await evaluations;
    return { reply, answered, slowest };
  }

  it(`impact replays all ${ROWS.toLocaleString('en')} logged evaluations exactly, and evaluations are answered while it runs`, async () => {
    const { reply, answered, slowest } = await whileEvaluating(() => server.request('POST', '/api/v1/tables/test.boete/draft/impact', {}));
    expect(reply.status, reply.text.slice(0, 300)).toBe(200);
    const bs = Math.ceil(ROWS / 3);
    expect(reply.body.evaluated).toBe(ROWS);
    expect(reply.body.changed).toBe(bs);
    expect(reply.body.unchanged).toBe(ROWS - bs);
    expect(reply.body.groups).toHaveLength(1);
    expect(reply.body.groups[0]).toMatchObject({ from: { boete: 240 }, to: { boete: 300 }, count: bs });
    // Had the replay run on the request thread, no evaluation could have been answered before it finished.
    expect(answered).toBeGreaterThan(0);
    // A liveness bound, generous on purpose: each evaluation is answered within a second while the replay runs.
    expect(slowest).toBeLessThan(1_000);
  }, 120_000);

  it('stats count the same log off the request thread', async () => {
    const { reply } = await whileEvaluating(() => server.request('GET', '/api/v1/tables/test.boete/stats?by=day'));
    expect(reply.status, reply.text.slice(0, 300)).toBe(200);
    expect(reply.body.total).toBe(ROWS);
    expect(reply.body.outcomes.map((o: { count: number }) => o.count)).toEqual([ROWS - Math.ceil(ROWS / 3), Math.ceil(ROWS / 3)]);
    expect((await send(server.url, 'GET', '/api/v1/health')).status).toBe(200);
  }, 120_000);

  it('an impact with nothing in its period answers zeros, and the worker goes on with the next', async () => {
    const cur = await server.request('GET', '/api/v1/tables/test.overlap/draft');
    const t = structuredClone(cur.body.table);
    const saved = await server.request('PUT', '/api/v1/tables/test.overlap/draft', { table: t }, { 'If-Match': String(cur.body.revision) });
    expect(saved.status).toBe(200);
    const r = await server.request('POST', '/api/v1/tables/test.overlap/draft/impact', { from: '2000-01-01' });
    expect(r.status).toBe(200);
    expect(r.body.evaluated).toBe(0);
    const again = await server.request('POST', '/api/v1/tables/test.boete/draft/impact', { examples: 1 });
    expect(again.body.groups[0].examples).toHaveLength(1);
  }, 120_000);
});
