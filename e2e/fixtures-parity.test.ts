// The Testgevallen tab runs a table's cases in the browser with the engine's runner, as the server does (case dates
// and asOf choose the version, chains run, a case without expect is no pass). For every table in fixtures/, the
// browser's run of the unchanged table must equal the server's run case by case: the same verdict, the same rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, loginInBrowser, openTab, ROOT, startHarness, type Harness, type Tab } from './harness.ts';

interface ServerCase {
  name: string;
  pass: boolean;
  matched: string[];
}

const suites = readdirSync(join(ROOT, 'fixtures'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json') && !f.startsWith('schema'))
  .map((f) => JSON.parse(readFileSync(join(ROOT, 'fixtures', f), 'utf8')) as { table: string; cases: unknown[] })
  .sort((a, b) => a.table.localeCompare(b.table));

let hx: Harness;
let tab: Tab;
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  hx = await startHarness();
  api = apiClient(hx);
  tab = await openTab(hx, '/');
  await loginInBrowser(hx, tab.page);
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

describe('Testgevallen in the browser equals the server, case by case', () => {
  it('covers every fixture file', () => {
    expect(suites.length).toBeGreaterThanOrEqual(25);
  });

  it.each(suites.map((s) => [s.table, s.cases.length] as const))('%s (%i cases)', async (tableId, count) => {
    const server = await api<{ cases: ServerCase[] }>('POST', `/api/tables/${tableId}/fixtures/run?target=newest`, {});
    expect(server.status).toBe(200);
    const expected = server.data.cases.map((c) => `${c.name}: ${c.pass ? 'geslaagd' : 'mislukt'}${c.matched.length > 0 ? ` (regels ${c.matched.join(', ')})` : ''}`);

    const { page } = tab;
    await page.goto(`/#/t/${tableId}/fixtures`);
    await page.waitForSelector('#fx-source');
    expect(await page.locator('#fx-source').textContent()).toBe('Lokaal (in de browser) uitgevoerd op het concept.');
    const cards = page.locator('#fx-cases li.fx-case');
    await expect.poll(() => cards.count()).toBe(count);
    await expect.poll(() => page.locator('#fx-cases li.fx-case:not(.fx-pass):not(.fx-fail)').count()).toBe(0);
    const local = await cards.evaluateAll((items) =>
      items.map((li) => {
        const name = li.querySelector('.fx-case-name')?.textContent ?? '';
        const verdict = li.querySelector('.fx-verdict')?.textContent ?? '';
        const rules = Array.from(li.querySelectorAll('p.muted.small')).map((p) => p.textContent ?? '').find((text) => text.startsWith('regels ')) ?? '';
        return `${name}: ${verdict}${rules ? ` (${rules})` : ''}`;
      }),
    );
    expect(local).toEqual(expected);
    const passed = server.data.cases.filter((c) => c.pass).length;
    expect(await page.locator('#fx-totals').textContent()).toBe(`${passed} geslaagd, ${count - passed} mislukt`);
  }, 60_000);
});
