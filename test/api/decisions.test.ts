// The logged decisions of a table (the Besluiten view's API): decided cases come back newest first, page by page,
// filtered by version, rule, outcome and input text; one opens with its trace and explanation made again from the
// logged input; page size and search text are bounded, a large log is searched in bounded steps; only editors and
// approvers read it (the log holds case data). Against a real server and SQLite file, with the log committed before
// each answer (durability sync).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationLogRow } from '../../server/store/records.ts';
import { DECISIONS_SCAN_ROWS } from '../../server/store/decisions.ts';
import { testServer, type Body, type Client, type TestServer } from './helpers.ts';

const T = 'test.boete';
let srv: TestServer;
let editor: Client;
let viewer: Client;

beforeAll(async () => {
  srv = await testServer({ log: { durability: 'sync', writer: 'inline' } });
  editor = await srv.as('eddy', ['editor']);
  viewer = await srv.as('vera', ['viewer']);
  const cases: [string, number | undefined, string][] = [
    ['A', undefined, '2021-03-01'],
    ['B', undefined, '2021-03-02'],
    ['A', 2, '2024-06-01'],
    ['B', 1, '2025-06-01'],
    ['A', undefined, '2025-07-01'],
  ];
  for (const [categorie, eerder, date] of cases) {
    const r = await srv.request('POST', `/api/v1/evaluate/${T}`, { input: { categorie, ...(eerder !== undefined ? { eerder } : {}) }, date });
    expect(r.status, r.text).toBe(200);
  }
}, 60_000);
afterAll(async () => {
  await srv.stop();
});

const page = async (query = '', who: Client = editor): Promise<Body> => {
  const r = await who.request('GET', `/api/v1/tables/${T}/decisions${query}`);
  expect(r.status, r.text).toBe(200);
  return r.body;
};

describe('GET /api/v1/tables/:id/decisions', () => {
  it('lists the decided cases newest first with input, outcome, rules and version, and says what the log keeps', async () => {
    const body = await page();
    expect(body.decisions).toHaveLength(5);
    expect(body.decisions.map((d: Body) => d.caseDate)).toEqual(['2025-07-01', '2025-06-01', '2024-06-01', '2021-03-02', '2021-03-01']);
    expect(body.decisions[0]).toMatchObject({ version: 3, input: { categorie: 'A' } });
    expect(body.decisions[4]).toMatchObject({ version: 1 });
    expect(body.decisions[0].matched.length).toBeGreaterThan(0);
    expect(body.log).toMatchObject({ mode: 'all' });
    expect(body.next).toBeNull();
  });

  it('pages with limit and next, without repeating or skipping a decision', async () => {
    const first = await page('?limit=2');
    expect(first.decisions).toHaveLength(2);
    const second = await page(`?limit=2&before=${first.next}`);
    const third = await page(`?limit=2&before=${second.next}`);
    const ids = [...first.decisions, ...second.decisions, ...third.decisions].map((d: Body) => d.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.next).toBeNull();
  });

  it('filters by version, by input text, by outcome text and by matched rule', async () => {
    expect((await page('?version=1')).decisions.map((d: Body) => d.caseDate)).toEqual(['2021-03-02', '2021-03-01']);
    expect((await page('?q=%22B%22')).decisions.every((d: Body) => d.input.categorie === 'B')).toBe(true);
    expect((await page('?q=%22B%22')).decisions).toHaveLength(2);
    const all = (await page()).decisions as Body[];
    const someOutput = JSON.stringify(all[0].output.boete);
    const byOutcome = (await page(`?outcome=${encodeURIComponent(someOutput)}`)).decisions as Body[];
    expect(byOutcome.length).toBeGreaterThan(0);
    expect(byOutcome.every((d) => JSON.stringify(d.output).includes(someOutput))).toBe(true);
    const rule = all[3].matched[0] as string;
    const byRule = (await page(`?rule=${encodeURIComponent(rule)}`)).decisions as Body[];
    expect(byRule.length).toBeGreaterThan(0);
    expect(byRule.every((d) => d.matched.includes(rule))).toBe(true);
    // A period that holds nothing yet.
    expect((await page('?from=2099-01-01')).decisions).toEqual([]);
    expect((await page('?to=2000-01-01')).decisions).toEqual([]);
  });

  it('opens one decision with the trace and the explanation of the version that decided', async () => {
    const d = (await page('?version=1&limit=1')).decisions[0];
    const r = await editor.request('GET', `/api/v1/tables/${T}/decisions/${d.id}`);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ id: d.id, version: 1, input: d.input, output: d.output, matched: d.matched, traceProblem: null });
    expect(r.body.trace.filter((x: Body) => x.matched).map((x: Body) => x.ruleId)).toEqual(d.matched);
    expect(r.body.columns).toContain('categorie');
    expect(r.body.explanation.nl).toContain(d.matched[0]);
    expect((await editor.request('GET', `/api/v1/tables/${T}/decisions/99999999`)).status).toBe(404);
    expect((await editor.request('GET', `/api/v1/tables/test.gedrag/decisions/${d.id}`)).status).toBe(404);
    expect((await editor.request('GET', `/api/v1/tables/${T}/decisions/abc`)).status).toBe(400);
  });

  it('bounds the page size and the search text, and keeps the log from viewers and tokens', async () => {
    let r = await editor.request('GET', `/api/v1/tables/${T}/decisions?limit=101`);
    expect(r.status).toBe(400);
    r = await editor.request('GET', `/api/v1/tables/${T}/decisions?q=${'x'.repeat(201)}`);
    expect(r.status).toBe(400);
    r = await editor.request('GET', `/api/v1/tables/${T}/decisions?sort=input`);
    expect(r.status).toBe(400);
    expect((await viewer.request('GET', `/api/v1/tables/${T}/decisions`)).status).toBe(403);
    expect((await (await srv.withToken(['evaluate'])).request('GET', `/api/v1/tables/${T}/decisions`)).status).toBe(403);
    expect((await srv.anonymous.request('GET', `/api/v1/tables/${T}/decisions`)).status).toBe(401);
    expect((await editor.request('GET', '/api/v1/tables/test.nope/decisions')).status).toBe(404);
  });

  it('searches a log larger than one scan in bounded steps and still finds the old match', async () => {
    const rows: EvaluationLogRow[] = [];
    const at = new Date('2026-01-01T00:00:00Z').getTime();
    rows.push({ tableId: T, version: 1, hash: 'h', input: { categorie: 'A', eerder: 424242 }, output: { boete: 1 }, matched: ['A'], caseDate: null, asOf: null, caller: 'old', evaluatedAt: new Date(at).toISOString() });
    for (let i = 1; i <= DECISIONS_SCAN_ROWS + 10; i++) {
      rows.push({ tableId: T, version: 1, hash: 'h', input: { categorie: 'B' }, output: { boete: 2 }, matched: ['B'], caseDate: null, asOf: null, caller: 'bulk', evaluatedAt: new Date(at + i).toISOString() });
    }
    await srv.store.insertEvaluationLog(rows);
    const first = await page('?q=424242');
    expect(first.decisions).toEqual([]);
    expect(first.scanLimited).toBe(true);
    expect(first.next).not.toBeNull();
    const second = await page(`?q=424242&before=${first.next}`);
    expect(second.decisions).toHaveLength(1);
    expect(second.decisions[0].caller).toBe('old');
  }, 60_000);
});
