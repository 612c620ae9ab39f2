// Impact analysis, outcome statistics and "record as fixture" on a seeded evaluation log (issue 5), against a real
// server and database. The counts and groups are exact.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionForCase } from '../../server/engine/versions.ts';
import { period } from '../../server/store/impact.ts';
import type { EvaluationLogRow } from '../../server/store/records.ts';
import { testServer, type Body, type Client, type TestServer } from '../api/helpers.ts';

const DATA = fileURLToPath(new URL('./data/', import.meta.url));

let srv: TestServer;
let editor: Client;
let approver: Client;
let viewer: Client;

const row = (klasse: string, tarief: number, evaluatedAt: string, matched: string[], caseDate: string | null = null): EvaluationLogRow => ({
  tableId: 'wf.tarief',
  version: 1,
  hash: 'h',
  input: { klasse },
  output: { tarief },
  matched,
  caseDate,
  asOf: null,
  caller: 'zaaksysteem',
  evaluatedAt,
});

/**
 * 2026-01 … 2026-06 in Amsterdam: 5 laag, 3 midden, 2 hoog, 1 of a class the tables do not know; around them, rows
 * outside the period. The first and last rows are the first and last millisecond of the period there (midnight in
 * Amsterdam is 23:00 UTC in winter, 22:00 UTC in summer).
 */
async function seedLog(): Promise<void> {
  const rows: EvaluationLogRow[] = [];
  const laag = ['2025-12-31T23:00:00.000Z', '2026-01-15T10:00:00.000Z', '2026-02-03T09:00:00.000Z', '2026-04-20T12:00:00.000Z', '2026-06-30T21:59:59.999Z'];
  for (const t of laag) rows.push(row('laag', 10, t, ['L']));
  for (const t of ['2026-02-10T08:00:00.000Z', '2026-02-11T08:00:00.000Z', '2026-05-01T08:00:00.000Z']) rows.push(row('midden', 20, t, ['M'], '2026-01-31'));
  for (const t of ['2026-03-01T08:00:00.000Z', '2026-03-02T08:00:00.000Z']) rows.push(row('hoog', 30, t, ['H']));
  rows.push(row('vervallen', 5, '2026-03-03T08:00:00.000Z', ['V']));
  // Outside 2026-01-01 … 2026-06-30: would change, must not count.
  rows.push(row('hoog', 30, '2025-12-31T22:59:59.999Z', ['H']));
  rows.push(row('midden', 20, '2026-06-30T22:00:00.000Z', ['M']));
  await srv.store.insertEvaluationLog(rows);
}

beforeAll(async () => {
  srv = await testServer({ seedDir: DATA });
  editor = await srv.as('erik', ['editor']);
  approver = await srv.as('aafke', ['approver']);
  viewer = await srv.as('vera', ['viewer']);
  await seedLog();
  // The draft: midden 20 → 25, hoog 30 → 35; laag stays 10 but is now decided by a rule with another id.
  const cur = await editor.request('GET', '/api/v1/tables/wf.tarief/draft');
  const t = structuredClone(cur.body.table);
  t.rules[0].id = 'L2';
  t.rules[1].then.tarief = '25';
  t.rules[2].then.tarief = '35';
  const r = await editor.request('PUT', '/api/v1/tables/wf.tarief/draft', { table: t }, { 'If-Match': '0' });
  expect(r.status, r.text).toBe(200);
});
afterAll(async () => {
  await srv.stop();
});

describe('POST /api/v1/tables/:id/draft/impact', () => {
  it('replays the period against the draft: exact counts, groups old → new with examples, and the fixtures that change', async () => {
    const r = await approver.request('POST', '/api/v1/tables/wf.tarief/draft/impact', { from: '2026-01-01', to: '2026-06-30', examples: 2 });
    expect(r.status, r.text).toBe(200);
    const b = r.body;
    expect(b.period).toEqual({ from: '2025-12-31T23:00:00.000Z', to: '2026-06-30T21:59:59.999Z' });
    expect(b).toMatchObject({ tableId: 'wf.tarief', evaluated: 11, changed: 6, unchanged: 5, otherRules: 5, byVersion: { '1': 11 } });
    expect(b.groups.map((g: Body) => [g.from, g.to.error ? { error: g.to.error.code } : g.to, g.count, g.examples.length])).toEqual([
      [{ tarief: 20 }, { tarief: 25 }, 3, 2],
      [{ tarief: 30 }, { tarief: 35 }, 2, 2],
      [{ tarief: 5 }, { error: 'INVALID_INPUT' }, 1, 1],
    ]);
    expect(b.groups[0].examples[0]).toMatchObject({
      input: { klasse: 'midden' },
      caseDate: '2026-01-31',
      evaluatedAt: '2026-02-10T08:00:00.000Z',
      version: 1,
      matchedBefore: ['M'],
      matchedAfter: ['M'],
    });
    expect(typeof b.groups[0].examples[0].logId).toBe('number');
    expect(b.fixtures).toEqual([
      {
        name: 'midden',
        expected: { tarief: 20 },
        before: { ranAgainst: 1, outcome: { tarief: 20 }, matched: ['M'], pass: true },
        after: { ranAgainst: 'draft', outcome: { tarief: 25 }, matched: ['M'], pass: false },
      },
    ]);
  });

  it('reads an end-of-day date as fixtures read asOf: the last millisecond of that day in Amsterdam', () => {
    // A version published in the last minute of 30 June (Amsterdam) is known to a fixture case `asOf: 2026-06-30`, and
    // an evaluation logged in that minute falls in the impact period that ends on 2026-06-30; a millisecond later, neither.
    const p = period('2026-06-30', '2026-06-30');
    expect(p).toEqual({ from: '2026-06-29T22:00:00.000Z', to: '2026-06-30T21:59:59.999Z' });
    const later = new Date(Date.parse(p.to) + 1).toISOString();
    const versions = [
      { version: 1, validFrom: '2020-01-01', publishedAt: '2020-01-01T00:00:00.000Z' },
      { version: 2, validFrom: '2020-01-01', publishedAt: p.to },
      { version: 3, validFrom: '2020-01-01', publishedAt: later },
    ];
    expect(versionForCase(versions, { kind: 'newest' }, '2026-07-01', '2026-06-30')).toMatchObject({ version: 2 });
    expect(versionForCase(versions, { kind: 'newest' }, '2026-07-01', '2026-07-01')).toMatchObject({ version: 3 });
    expect(period(undefined, '2026-06-30').to).toBe(p.to);
    expect(period('2026-07-01', '2026-07-01').from).toBe(later);
  });

  it('defaults to the last 12 months and refuses a bad period', async () => {
    const now = Date.now();
    await srv.store.insertEvaluationLog([
      row('hoog', 30, new Date(now - 86_400_000).toISOString(), ['H']),
      row('hoog', 30, new Date(now - 400 * 86_400_000).toISOString(), ['H']),
    ]);
    const r = await editor.request('POST', '/api/v1/tables/wf.tarief/draft/impact', {});
    expect(r.status).toBe(200);
    // The 2026-01 … 2026-07 rows are within the last 12 months only when the clock says so; count the recent one exactly.
    const inWindow = await srv.store.value<number>("SELECT COUNT(*) FROM evaluation_log WHERE table_id = 'wf.tarief' AND evaluated_at >= ? AND evaluated_at <= ?", r.body.period.from, r.body.period.to);
    expect(r.body.evaluated).toBe(inWindow);
    expect(Date.parse(r.body.period.to) - Date.parse(r.body.period.from)).toBeGreaterThanOrEqual(365 * 86_400_000);
    expect((await editor.request('POST', '/api/v1/tables/wf.tarief/draft/impact', { from: 'gisteren' })).status).toBe(400);
    expect((await editor.request('POST', '/api/v1/tables/wf.tarief/draft/impact', { from: '2026-06-01', to: '2026-01-01' })).status).toBe(400);
    // No draft: nothing to compare with.
    expect((await editor.request('POST', '/api/v1/tables/wf.schaal/draft/impact', {})).status).toBe(404);
    // A viewer may not ask for impact.
    expect((await viewer.request('POST', '/api/v1/tables/wf.tarief/draft/impact', {})).status).toBe(403);
  });
});

describe('GET /api/v1/tables/:id/stats', () => {
  it('counts outcomes per month, empty months included', async () => {
    const r = await viewer.request('GET', '/api/v1/tables/wf.tarief/stats?from=2026-01-01&to=2026-06-30&by=month');
    expect(r.status, r.text).toBe(200);
    expect(r.body.total).toBe(11);
    expect(r.body.outcomes.map((o: Body) => [o.outcome, o.count])).toEqual([
      [{ tarief: 10 }, 5],
      [{ tarief: 20 }, 3],
      [{ tarief: 30 }, 2],
      [{ tarief: 5 }, 1],
    ]);
    expect(r.body.buckets.map((b: Body) => [b.period, b.total])).toEqual([
      ['2026-01', 2],
      ['2026-02', 3],
      ['2026-03', 3],
      ['2026-04', 1],
      ['2026-05', 1],
      ['2026-06', 1],
    ]);
    expect(r.body.buckets[1].counts).toEqual({ '{"tarief":10}': 1, '{"tarief":20}': 2 });
    const byField = await viewer.request('GET', '/api/v1/tables/wf.tarief/stats?from=2026-03-01&to=2026-03-31&by=day&output=tarief');
    expect(byField.body.outcomes).toEqual([
      { key: '30', outcome: 30, count: 2 },
      { key: '5', outcome: 5, count: 1 },
    ]);
    expect(byField.body.buckets).toHaveLength(31);
    expect((await viewer.request('GET', '/api/v1/tables/wf.tarief/stats?by=week')).status).toBe(400);
    expect((await viewer.request('GET', '/api/v1/tables/wf.tarief/stats?from=2026-02-01&to=2026-01-01')).status).toBe(400);
    expect((await viewer.request('GET', '/api/v1/tables/wf.nope/stats')).status).toBe(404);
  });
});

describe('record as fixture', () => {
  it('turns a logged evaluation into a dated fixture case of the draft, shown in its diff', async () => {
    const logId = (await srv.store.value<number>("SELECT id FROM evaluation_log WHERE table_id = 'wf.tarief' AND input LIKE '%hoog%' ORDER BY id LIMIT 1"))!;
    const r = await editor.request('POST', '/api/v1/tables/wf.tarief/draft/fixtures/record', { logId, name: 'Hoog uit het log' });
    expect(r.status, r.text).toBe(201);
    expect(r.body.case).toEqual({
      name: 'Hoog uit het log',
      input: { klasse: 'hoog' },
      expect: { tarief: 30 },
      date: '2026-03-01',
      note: `recorded from logged evaluation ${logId} (version 1, 2026-03-01T08:00:00.000Z)`,
    });
    const diff = await editor.request('GET', '/api/v1/tables/wf.tarief/diff');
    expect(diff.body.fixtures.added).toEqual([r.body.case]);
    expect(diff.body.fixtures.reasons.at(-1).reason).toBe('recorded as fixture: Hoog uit het log');
    // The same name twice is refused; a log entry of another table is not found.
    expect((await editor.request('POST', '/api/v1/tables/wf.tarief/draft/fixtures/record', { logId, name: 'Hoog uit het log' })).status).toBe(422);
    expect((await editor.request('POST', '/api/v1/tables/wf.boete/draft/fixtures/record', { logId })).status).toBe(404);
  });

  it('records a case decided now (undated) into the table set', async () => {
    const tester = await srv.as('tom', ['tester']);
    const r = await tester.request('POST', '/api/v1/tables/wf.boete/fixtures/record', { input: { categorie: 'B' }, date: '2021-01-01', name: 'B in 2021' });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ into: 'table', case: { name: 'B in 2021', input: { categorie: 'B' }, expect: { boete: 200 }, date: '2021-01-01' } });
    const run = await tester.request('POST', '/api/v1/tables/wf.boete/fixtures/run');
    expect(run.body.cases.find((c: Body) => c.name === 'B in 2021')).toMatchObject({ pass: true, ranAgainst: 1 });
  });
});
