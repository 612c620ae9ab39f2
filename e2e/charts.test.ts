// The editor's pictures against real answers, in real Chromium: the outcome chart of a table (GET …/stats, from the
// evaluation log filled by real POST /api/v1/evaluate and /batch calls) and the impact chart on the approval screen
// (POST …/draft/impact for a submitted draft that changes outcomes). The figures are read from the data table that
// sits beside each canvas (what a screen-reader user gets) and compared with what was sent and with the API's answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvaluationLogRow } from '../server/store/records.ts';
import { addUser, apiClient, axeViolations, loginInBrowser, openTab, shot, startHarness, type Harness, type Tab } from './harness.ts';

const TABLE = 'handhaving.interventiematrix';
const EDITOR = { username: 'beleid', password: 'beleid-wachtwoord-1' };
const APPROVER = { username: 'vaststeller', password: 'vaststeller-wachtwoord-1' };
const NEW_B1 = 'Eerst een gesprek, dan een schriftelijke waarschuwing';
const NEW_C1 = 'Bestuurlijke boete zonder voorafgaande waarschuwing';

interface StatsAnswer {
  total: number;
  outcomes: { key: string; outcome: unknown; count: number }[];
  buckets: { period: string; total: number; counts: Record<string, number> }[];
}
interface ImpactAnswer {
  evaluated: number;
  changed: number;
  groups: { from: Record<string, unknown>; to: Record<string, unknown>; count: number }[];
  fixtures: { name: string; before: { outcome: unknown }; after: { outcome: unknown } }[];
}
interface EvalAnswer {
  version: number;
  hash: string;
  output: { kwadrant: number; interventie: string };
  matched: string[];
}
/** The data table beside a chart, as the page shows it. */
interface ShownTable {
  outcomes: { key: string; label: string }[];
  rows: { period: string; label: string; counts: number[]; total: number }[];
  totals: number[];
  total: number;
}

let hx: Harness;
let admin: ReturnType<typeof apiClient>;
let viewerTab: Tab;
/** What was sent and decided: kwadrant → count, per UTC day (the log's clock). */
const sent = new Map<number, number>();
let sentTotal = 0;
let older: { period: string; kwadrant: number; n: number }[] = [];

// A failed request shows in the console as a failed resource; the error test provokes one on purpose.
const BAD_PERIOD = 'console: Failed to load resource: the server responded with a status of 400 (Bad Request)';
function unexpected(tab: Tab): string[] {
  return tab.errors.filter((e) => e !== BAD_PERIOD);
}

const dayIso = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function shownStats(tab: Tab): Promise<ShownTable> {
  await tab.page.waitForSelector('#stats-table', { state: 'attached' });
  return tab.page.evaluate(() => {
    const num = (el: Element | null): number => Number((el?.textContent ?? '').replace(/\./g, ''));
    const table = document.querySelector('#stats-table')!;
    const outcomes = Array.from(table.querySelectorAll('thead th[data-outcome]')).map((th) => ({ key: (th as HTMLElement).dataset.outcome!, label: th.textContent!.trim() }));
    const rows = Array.from(table.querySelectorAll('tbody tr')).map((tr) => ({
      period: (tr as HTMLElement).dataset.period!,
      label: tr.querySelector('th')!.textContent!.trim(),
      counts: Array.from(tr.querySelectorAll('td[data-outcome]')).map(num),
      total: num(tr.querySelector('td:last-child')),
    }));
    const totals = Array.from(table.querySelectorAll('tfoot td[data-outcome]')).map(num);
    return { outcomes, rows, totals, total: num(table.querySelector('#stats-total')) };
  });
}

/** The page's table holds exactly the API's numbers: one row per bucket, one column per outcome (in any order). */
function expectSameAsApi(shown: ShownTable, api: StatsAnswer): void {
  const keys = shown.outcomes.map((o) => o.key);
  expect([...keys].sort()).toEqual(api.outcomes.map((o) => o.key).sort());
  expect(shown.totals).toEqual(keys.map((k) => api.outcomes.find((o) => o.key === k)!.count));
  expect(shown.total).toBe(api.total);
  expect(shown.rows.map((r) => r.period)).toEqual(api.buckets.map((b) => b.period));
  shown.rows.forEach((r, i) => {
    const b = api.buckets[i]!;
    expect(r.counts).toEqual(keys.map((k) => b.counts[k] ?? 0));
    expect(r.total).toBe(b.total);
  });
}

async function chartDrawn(tab: Tab, selector: string): Promise<boolean> {
  // Chart.js has painted something: the canvas has a size and pixels that are not transparent.
  return tab.page.evaluate((sel) => {
    const canvas = document.querySelector<HTMLCanvasElement>(`${sel} canvas`);
    if (!canvas || canvas.width === 0 || canvas.height === 0) return false;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
    return painted > 500;
  }, selector);
}

beforeAll(async () => {
  hx = await startHarness();
  admin = apiClient(hx);
  await addUser(hx, admin, EDITOR, ['editor']);
  await addUser(hx, admin, APPROVER, ['approver']);
}, 180_000);

afterAll(async () => {
  await hx?.close();
});

describe('outcome chart (GET /api/v1/tables/:id/stats)', () => {
  it('says there are no decisions yet while the log is empty', async () => {
    viewerTab = await openTab(hx, '/');
    await loginInBrowser(hx, viewerTab.page, APPROVER.username, APPROVER.password);
    await viewerTab.page.goto(`/#/t/${TABLE}/stats`);
    await viewerTab.page.waitForSelector('#stats-empty');
    expect(await viewerTab.page.locator('#stats-empty').textContent()).toBe('Nog geen besluiten in de besluitenlog.');
    expect(await viewerTab.page.locator('#stats-chart').count()).toBe(0);
    expect(unexpected(viewerTab)).toEqual([]);
  });

  it('shows per month and per kwadrant what was evaluated, singly and in a batch', async () => {
    const singles: [string, number][] = [['A', 1], ['A', 1], ['B', 1], ['A', 3], ['C', 3], ['D', 1]];
    // A real case and its answer per kwadrant, to fill earlier months of the log with below.
    const real = new Map<number, { input: Record<string, unknown>; answer: EvalAnswer }>();
    for (const [gedrag, gevolgen] of singles) {
      const r = await admin<EvalAnswer>('POST', `/api/v1/evaluate/${TABLE}`, { input: { gedrag, gevolgen } });
      expect(r.status).toBe(200);
      sent.set(r.data.output.kwadrant, (sent.get(r.data.output.kwadrant) ?? 0) + 1);
      sentTotal++;
      if (!real.has(r.data.output.kwadrant)) real.set(r.data.output.kwadrant, { input: { gedrag, gevolgen }, answer: r.data });
    }
    const batch: [string, number][] = [['A', 2], ['B', 1], ['B', 3], ['C', 1], ['C', 2], ['D', 4], ['D', 3]];
    const b = await admin<{ results: (EvalAnswer | { error: unknown })[] }>('POST', `/api/v1/evaluate/${TABLE}/batch`, {
      // The last case is refused (gedrag E does not exist): it gets its own error entry and decides nothing.
      cases: [...batch.map(([gedrag, gevolgen]) => ({ input: { gedrag, gevolgen } })), { input: { gedrag: 'E', gevolgen: 1 } }],
    });
    expect(b.status).toBe(200);
    expect(b.data.results).toHaveLength(batch.length + 1);
    expect('error' in b.data.results.at(-1)!).toBe(true);
    for (const r of b.data.results.slice(0, -1) as EvalAnswer[]) {
      sent.set(r.output.kwadrant, (sent.get(r.output.kwadrant) ?? 0) + 1);
      sentTotal++;
    }
    // Four kwadranten, all of them met.
    expect([...sent.keys()].sort()).toEqual([1, 2, 3, 4]);

    // Earlier months: the API stamps an evaluation with the server's clock, so a log kept since then is written into
    // the store as the log writer does (a real case with its real answer; only the date differs).
    const month = (back: number): string => {
      const d = new Date();
      d.setUTCDate(1);
      d.setUTCMonth(d.getUTCMonth() - back);
      return d.toISOString().slice(0, 7);
    };
    older = [
      { period: month(2), kwadrant: 1, n: 3 },
      { period: month(2), kwadrant: 4, n: 1 },
      { period: month(5), kwadrant: 2, n: 2 },
    ];
    const rows: EvaluationLogRow[] = older.flatMap((o) =>
      Array.from({ length: o.n }, (_, i) => ({
        tableId: TABLE,
        version: real.get(o.kwadrant)!.answer.version,
        hash: real.get(o.kwadrant)!.answer.hash,
        input: real.get(o.kwadrant)!.input,
        output: real.get(o.kwadrant)!.answer.output,
        matched: real.get(o.kwadrant)!.answer.matched,
        caseDate: null,
        asOf: null,
        caller: 'e2e',
        evaluatedAt: `${o.period}-1${i}T09:00:00.000Z`,
      })),
    );
    await hx.server.store.insertEvaluationLog(rows);

    // The log is written a few milliseconds after the answer: wait until the API counts everything.
    const olderTotal = older.reduce((n, o) => n + o.n, 0);
    let api: StatsAnswer | null = null;
    await expect
      .poll(async () => {
        api = (await admin<StatsAnswer>('GET', `/api/v1/tables/${TABLE}/stats?by=month&output=kwadrant&from=${dayIso(-365)}&to=${dayIso(0)}`)).data;
        return api.total;
      })
      .toBe(sentTotal + olderTotal);

    const { page } = viewerTab;
    await page.click('#stats-show');
    await page.waitForSelector('#stats-chart canvas');
    const shown = await shownStats(viewerTab);
    expectSameAsApi(shown, api!);
    // Thirteen months: from the same day a year ago up to this month, empty months included.
    expect(shown.rows).toHaveLength(13);
    expect(shown.rows.at(-1)!.period).toBe(dayIso(0).slice(0, 7));
    // The legend/columns name the kwadranten themselves, and this month holds exactly what was sent.
    const column = (k: number): number => shown.outcomes.findIndex((o) => o.key === String(k));
    for (const k of [1, 2, 3, 4]) expect(column(k)).toBeGreaterThanOrEqual(0);
    // In the order of the output's values (kwadrant 1–4), not by frequency.
    expect(shown.outcomes.map((o) => o.label)).toEqual(['1', '2', '3', '4']);
    const now = shown.rows.at(-1)!;
    for (const [k, n] of sent) expect(now.counts[column(k)]).toBe(n);
    expect(now.total).toBe(sentTotal);
    for (const o of older) {
      const row = shown.rows.find((r) => r.period === o.period)!;
      expect(row.counts[column(o.kwadrant)]).toBe(o.n);
    }
    // Month names in Dutch on the axis and in the table.
    expect(now.label).toMatch(/^(jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec)\.? \d{4}$/);
    expect(await page.locator('#stats-summary').textContent()).toBe(`${sentTotal + olderTotal} besluiten van ${dayIso(-365).split('-').reverse().join('-')} tot en met ${dayIso(0).split('-').reverse().join('-')}.`);
    expect(await page.locator('#stats-chart canvas').getAttribute('aria-label')).toContain('Besluiten per maand, naar Kwadrant');
    await expect.poll(() => chartDrawn(viewerTab, '#stats-chart')).toBe(true);
    await shot(page, 'charts-01-outcomes-per-month');
    await page.locator('#stats-out details summary').click();
    await page.locator('#stats-table').scrollIntoViewIfNeeded();
    await shot(page, 'charts-02-outcomes-table');
    // The chart and its table pass axe (WCAG 2.1 AA), whatever the rest of the page does.
    expect((await axeViolations(page)).filter((v) => v.nodes.some((n) => n.target.join(' ').includes('stats')))).toEqual([]);
    expect(unexpected(viewerTab)).toEqual([]);
  });

  it('buckets per day, and counts whole outcomes when asked', async () => {
    const { page } = viewerTab;
    await page.fill('#stats-from', dayIso(-6));
    await page.selectOption('#stats-by', 'day');
    await page.click('#stats-show');
    await expect.poll(async () => (await shownStats(viewerTab)).rows.length).toBe(7);
    const api = (await admin<StatsAnswer>('GET', `/api/v1/tables/${TABLE}/stats?by=day&output=kwadrant&from=${dayIso(-6)}&to=${dayIso(0)}`)).data;
    const shown = await shownStats(viewerTab);
    expectSameAsApi(shown, api);
    expect(shown.rows.map((r) => r.period)).toEqual([-6, -5, -4, -3, -2, -1, 0].map(dayIso));
    expect(shown.rows.at(-1)!.label).toBe(dayIso(0).split('-').reverse().join('-'));
    expect(shown.rows.at(-1)!.total).toBe(sentTotal);
    expect(shown.rows.slice(0, -1).every((r) => r.total === 0)).toBe(true);
    await shot(page, 'charts-03-outcomes-per-day');

    // The whole outcome (all four outputs): as many columns as distinct outcomes, same total.
    await page.selectOption('#stats-output', '');
    await page.click('#stats-show');
    await expect.poll(async () => (await shownStats(viewerTab)).outcomes[0]?.key.startsWith('{')).toBe(true);
    const whole = (await admin<StatsAnswer>('GET', `/api/v1/tables/${TABLE}/stats?by=day&from=${dayIso(-6)}&to=${dayIso(0)}`)).data;
    const shownWhole = await shownStats(viewerTab);
    expectSameAsApi(shownWhole, whole);
    expect(shownWhole.total).toBe(sentTotal);
    // Labels name the fields: "Kwadrant: 1; Interventie: …".
    expect(shownWhole.outcomes.every((o) => o.label.includes('Kwadrant: ') && o.label.includes('Interventie: '))).toBe(true);
    await shot(page, 'charts-03b-whole-outcomes-per-day');
    expect(unexpected(viewerTab)).toEqual([]);
  });

  it('shows the API error for an impossible period', async () => {
    const { page } = viewerTab;
    await page.fill('#stats-from', dayIso(3));
    await page.fill('#stats-to', dayIso(0));
    await page.click('#stats-show');
    await page.waitForSelector('#stats-error');
    expect(await page.locator('#stats-error').textContent()).toMatch(/\S/);
    expect(await page.locator('#stats-chart').count()).toBe(0);
    expect(unexpected(viewerTab)).toEqual([]);
  });
});

describe('impact chart (POST /api/v1/tables/:id/draft/impact)', () => {
  it('shows the approver which logged decisions and test cases change, from what to what', async () => {
    const editor = apiClient(hx, EDITOR.username, EDITOR.password);
    const draft = await editor<{ revision: number; table: { rules: { id: string; then: Record<string, string> }[] } }>('GET', `/api/v1/tables/${TABLE}/draft`);
    expect(draft.status).toBe(200);
    const table = draft.data.table;
    const old = new Map<string, string>();
    for (const [id, text] of [['B1', NEW_B1], ['C1', NEW_C1]] as const) {
      const rule = table.rules.find((r) => r.id === id)!;
      old.set(id, JSON.parse(rule.then.interventie!) as string);
      rule.then.interventie = JSON.stringify(text);
    }
    const saved = await editor('PUT', `/api/v1/tables/${TABLE}/draft`, { table }, { 'If-Match': String(draft.data.revision) });
    expect(saved.status).toBe(200);
    const submitted = await editor('POST', `/api/v1/tables/${TABLE}/draft/submit`, { validFrom: dayIso(1), note: 'Interventies B1 en C1 aangescherpt' });
    expect(submitted.status).toBe(200);

    const approver = apiClient(hx, APPROVER.username, APPROVER.password);
    const impact = await approver<ImpactAnswer>('POST', `/api/v1/tables/${TABLE}/draft/impact`, {});
    expect(impact.status).toBe(200);
    const api = impact.data;
    // B1 was evaluated twice (once alone, once in the batch) and C1 once; earlier months hold none of them.
    expect(api.changed).toBe(3);
    expect(api.groups.map((g) => [g.from.interventie, g.to.interventie, g.count])).toEqual([
      [old.get('B1'), NEW_B1, 2],
      [old.get('C1'), NEW_C1, 1],
    ]);

    const { page } = viewerTab;
    await page.goto(`/#/t/${TABLE}/approval`);
    await page.waitForSelector('#impact-run');
    await page.click('#impact-run');
    await page.waitForSelector('#impact-table');
    await page.waitForSelector('#impact-chart canvas');
    expect(await page.locator('#impact-summary').textContent()).toContain(`${api.changed} van ${api.evaluated} besluiten veranderen`);
    const rows = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#impact-table tbody tr')).map((tr) => ({
        from: tr.querySelector('.impact-from')!.textContent!,
        to: tr.querySelector('.impact-to')!.textContent!,
        count: Number(tr.querySelector('td.num')!.textContent),
      })),
    );
    // One row per group, in the API's order; only the changed output is named, old → new.
    expect(rows).toEqual(api.groups.map((g) => ({ from: `Interventie: ${String(g.from.interventie)}`, to: `Interventie: ${String(g.to.interventie)}`, count: g.count })));
    // The test cases whose outcome changes (B1 and C1 check kwadrant and strafrecht only, so they still pass).
    const fixtures = await page.evaluate(() => Array.from(document.querySelectorAll('#impact-fixtures tbody tr')).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)));
    expect(fixtures.map((f) => f[0])).toEqual(api.fixtures.map((f) => f.name));
    expect(fixtures.length).toBeGreaterThanOrEqual(2);
    for (const f of fixtures) expect(f[3]).toBe('ja');
    expect(fixtures.find((f) => f[0] === 'B1')?.slice(1, 3)).toEqual([`Interventie: ${old.get('B1')}`, `Interventie: ${NEW_B1}`]);
    await expect.poll(() => chartDrawn(viewerTab, '#impact-chart')).toBe(true);
    await page.locator('#impact-report').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'charts-04-impact');
    expect((await axeViolations(page)).filter((v) => v.nodes.some((n) => n.target.join(' ').includes('impact')))).toEqual([]);
    expect(unexpected(viewerTab)).toEqual([]);
  });
});

describe('impact errors', () => {
  it('offers a viewer no impact analysis, says why, and the server refuses one asked for all the same', async () => {
    const VIEWER = { username: 'kijker', password: 'kijker-wachtwoord-1' };
    await addUser(hx, admin, VIEWER, ['viewer']);
    const tab = await openTab(hx, '/');
    await loginInBrowser(hx, tab.page, VIEWER.username, VIEWER.password);
    await tab.page.goto(`/#/t/${TABLE}/approval`);
    // The screen does not offer what the server would refuse (issue 20 point 6): a note in place of the button.
    await tab.page.waitForSelector('#impact-role');
    expect(await tab.page.locator('#impact-role').textContent()).toContain('editor of vaststeller');
    expect(await tab.page.locator('#impact-run').count()).toBe(0);
    expect(await tab.page.locator('#impact-chart').count()).toBe(0);
    // The refusal does not rest on the screen: a viewer's session (with its CSRF token) asking for it all the same
    // is refused for the role, and told so.
    const viewer = apiClient(hx, VIEWER.username, VIEWER.password);
    const refused = await viewer<{ code?: string; detail?: string }>('POST', `/api/v1/tables/${TABLE}/draft/impact`, {});
    expect(refused.status).toBe(403);
    expect(refused.data.code).toBe('FORBIDDEN');
    expect(refused.data.detail).toMatch(/editor or approver/);
    const FORBIDDEN = 'console: Failed to load resource: the server responded with a status of 403 (Forbidden)';
    expect(unexpected(tab).filter((e) => e !== FORBIDDEN)).toEqual([]);
    await tab.context.close();
  });
});

describe('empty and unchanged states', () => {
  const OTHER = 'brandveiligheid.object';

  it('says so when the log holds nothing to decide again, and when nothing changes', async () => {
    // A draft that changes only a note: saved, not submitted (the approval screen shows the report while editing too).
    const editor = apiClient(hx, EDITOR.username, EDITOR.password);
    const draft = await editor<{ revision: number; table: { rules: { id: string; note?: string }[] } }>('GET', `/api/v1/tables/${OTHER}/draft`);
    draft.data.table.rules[0]!.note = 'Toelichting aangescherpt; de uitkomst blijft gelijk.';
    expect((await editor('PUT', `/api/v1/tables/${OTHER}/draft`, { table: draft.data.table }, { 'If-Match': String(draft.data.revision) })).status).toBe(200);

    const { page } = viewerTab;
    await page.goto(`/#/t/${OTHER}/approval`);
    await page.click('#impact-run');
    await page.waitForSelector('#impact-empty');
    expect(await page.locator('#impact-summary').textContent()).toContain('0 van 0 besluiten veranderen');
    expect(await page.locator('#impact-empty').textContent()).toBe('Nog geen besluiten in de besluitenlog om opnieuw te beslissen.');
    expect(await page.locator('#impact-chart').count()).toBe(0);

    const r = await admin<{ output: unknown }>('POST', `/api/v1/evaluate/${OTHER}`, { input: { gebruiksfunctie: 'logies' } });
    expect(r.status).toBe(200);
    const approver = apiClient(hx, APPROVER.username, APPROVER.password);
    await expect.poll(async () => (await approver<ImpactAnswer>('POST', `/api/v1/tables/${OTHER}/draft/impact`, {})).data.evaluated).toBe(1);
    await page.goto(`/#/t/${OTHER}/grid`);
    await page.goto(`/#/t/${OTHER}/approval`);
    await page.click('#impact-run');
    await page.waitForSelector('#impact-unchanged');
    expect(await page.locator('#impact-summary').textContent()).toContain('0 van 1 besluiten veranderen');
    expect(await page.locator('#impact-chart').count()).toBe(0);
    expect(unexpected(viewerTab)).toEqual([]);
  });

  it('speaks English when asked: axis, table and summary', async () => {
    const { page } = viewerTab;
    await page.goto(`/#/t/${OTHER}/stats`);
    await page.getByRole('button', { name: /English/ }).click();
    await page.waitForSelector('#stats-table', { state: 'attached' });
    // One output (risico): no output choice, the outcome reads as its value.
    expect(await page.locator('#stats-output').count()).toBe(0);
    await expect.poll(() => page.locator('#stats-summary').textContent()).toBe(`1 decision from ${dayIso(-365).split('-').reverse().join('-')} up to and including ${dayIso(0).split('-').reverse().join('-')}.`);
    const shown = await shownStats(viewerTab);
    expect(shown.outcomes.map((o) => o.label)).toEqual(['primair']);
    expect(await page.locator('#stats-table thead th').first().textContent()).toBe('Month');
    expect(await page.locator('#stats-chart canvas').getAttribute('aria-label')).toBe('Decisions per month, by Risico: primair 1');
    expect(shown.rows.at(-1)!.label).toMatch(/^[A-Z][a-z]{2,3} \d{4}$/);
    await shot(page, 'charts-05-english');
    await page.getByRole('button', { name: /Nederlands/ }).click();
    expect(unexpected(viewerTab)).toEqual([]);
  });
});
