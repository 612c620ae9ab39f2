// The Testgevallen tab runs a table's cases in the browser with the engine's runner, as the server does (case dates
// and asOf choose the version, chains run, a case without expect is no pass). For every table in fixtures/, the
// browser's run of the unchanged table must equal the server's run case by case: the same verdict, the same rules.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, ROOT, startLoggedIn, type Harness, type Tab } from './harness.ts';

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
  ({ hx, tab } = await startLoggedIn());
  api = apiClient(hx);
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

describe('Testgevallen in the browser equals the server, case by case', () => {
  it('covers every fixture file', () => {
    expect(suites.length).toBeGreaterThanOrEqual(25);
  });

  it.each(suites.map((s) => [s.table, s.cases.length] as const))('%s (%i cases)', async (tableId, count) => {
    const server = await api<{ cases: ServerCase[] }>('POST', `/api/v1/tables/${tableId}/fixtures/run?target=newest`, {});
    expect(server.status).toBe(200);
    // The policy as it stands passes its own cases (test/policy says so too); the browser must then say the same.
    expect(server.data.cases.filter((c) => !c.pass).map((c) => c.name)).toEqual([]);
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

describe('the simulator decides a requires chain, as the server does', () => {
  it('asks for the required table\'s inputs and decides the ladder with the kwadrant the matrix gives', async () => {
    const { page } = tab;
    await page.goto('/#/t/handhaving.interventieladder/simulate');
    await page.waitForSelector('#sim-required select');
    expect(await page.locator('#sim-required legend').textContent()).toBe('Invoer voor de vereiste tabellen (die eerst beslissen)');
    const pick = async (label: string, option: string) => {
      const id = await page.locator('label', { hasText: label }).first().getAttribute('for');
      await page.selectOption(`#${id}`, { label: option });
    };
    await pick('Laatst gezette stap', 'constatering');
    await pick('Overtreding opgeheven', 'nee');
    await pick('Spoedeisend', 'nee');
    await pick('Recidive', 'nee');
    // The kwadrant is left open: the interventiematrix decides it from gedrag and gevolgen.
    const required = page.locator('#sim-required select');
    expect(await required.count()).toBe(2);
    await required.nth(0).selectOption({ index: 1 });
    await required.nth(1).selectOption({ index: 1 });
    const server = await api<{ output: Record<string, unknown>; matched: string[] }>('POST', '/api/v1/evaluate/handhaving.interventieladder', {
      input: { stap: 'constatering', overtreding_opgeheven: false, spoed: false, recidive: false, gedrag: 'A', gevolgen: 1 },
    });
    expect(server.status).toBe(200);
    await expect.poll(() => page.locator('#sim-matched').textContent()).toBe(`Passende regels: ${server.data.matched.join(', ')}`);
    expect(await page.locator('#sim-output').textContent()).toContain(String(server.data.output.volgende_stap));
  }, 60_000);
});
