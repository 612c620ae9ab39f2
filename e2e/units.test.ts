// Money from the column, not from its name (issue 20, point 4), in real Chromium: the Alcoholwet fine's output is a
// plain number until its column says `unit: "EUR"` in the column dialog, then an amount in euro; a count stays a count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, axeViolations, shot, startLoggedIn, type Harness, type Tab } from './harness.ts';

const TABLE = 'drank-horeca.boete';
let hx: Harness;
let tab: Tab;

async function simulate(page: Tab['page']): Promise<string> {
  await page.goto(`/#/t/${TABLE}/simulate`);
  await page.waitForSelector('#sim-in-0');
  await page.selectOption('#sim-in-0', { label: 'B' });
  await page.fill('#sim-in-1', '12');
  await page.fill('#sim-in-2', '1');
  await page.click('#sim-run');
  await expect.poll(() => page.locator('#sim-matched').textContent()).toBe('Passende regels: B-klein-1');
  return (await page.locator('#sim-output').textContent()) ?? '';
}

beforeAll(async () => {
  ({ hx, tab } = await startLoggedIn());
}, 180_000);

afterAll(async () => {
  await hx?.close();
});

describe('numbers shown by their column', () => {
  it('shows the fine as a plain number while its column names no unit, whatever its name', async () => {
    const out = await simulate(tab.page);
    expect(out).toContain('1.765,5');
    expect(out).not.toContain('€');
  });

  it('shows it as an amount in euro once the column dialog sets the unit EUR, and the draft keeps the unit', async () => {
    const { page } = tab;
    await page.goto(`/#/t/${TABLE}/grid`);
    await page.waitForSelector('#rules-grid');
    await page.dblclick('#rules-grid [role=columnheader]:has-text("Boete (euro)")');
    await page.waitForSelector('#col-unit');
    await page.fill('#col-unit', 'EUR');
    expect(await page.locator('#col-format option').allTextContents()).toEqual(['volgens de eenheid', 'bedrag', 'aantal', 'getal']);
    await shot(page, 'units-01-column-dialog');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('dialog.modal button[type=submit]');
    await page.click('#save-draft');
    const api = apiClient(hx);
    await expect.poll(async () => (await api<{ revision: number }>('GET', `/api/v1/tables/${TABLE}/draft`)).data.revision).toBe(1);
    const draft = (await api<{ table: { outputs: { name: string; unit?: string }[] } }>('GET', `/api/v1/tables/${TABLE}/draft`)).data;
    expect(draft.table.outputs.find((o) => o.name === 'boete')?.unit).toBe('EUR');
    const out = await simulate(page);
    expect(out).toContain('€ 1.765,50');
    await shot(page, 'units-02-amount');
  });
});
