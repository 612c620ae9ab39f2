// The table page's layout at the widths advisors use (1280×800 laptops, 1920×1080 screens), in real Chromium: the
// header bar keeps "Concept opslaan" on the first row beside the state line, however long its pills get, and wraps
// the other tools gracefully; a rule with a long note does not make the grid's rows wider than its header; the
// active cell's focus ring stays in view when the grid is scrolled right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionTable } from '../server/engine/types.ts';
import { apiClient, axeViolations, loginInBrowser, openTab, shot, startHarness, type Harness, type Tab } from './harness.ts';

const TABLE = 'handhaving.interventiematrix';
const LONG_NOTE =
  'Welwillend, vrijwel geen gevolgen. Deze toelichting is bewust lang: zij beschrijft de afweging van het team, de bron in het beleidsplan, ' +
  'de uitzonderingen die in de praktijk voorkomen en wat de toezichthouder in het gesprek met de overtreder benoemt voordat een brief volgt.';
let hx: Harness;
let tab: Tab;

beforeAll(async () => {
  hx = await startHarness();
  const api = apiClient(hx);
  const draft = (await api<{ revision: number; table: DecisionTable }>('GET', `/api/v1/tables/${TABLE}/draft`)).data;
  const table = structuredClone(draft.table);
  table.rules[0]!.note = LONG_NOTE;
  const put = await api('PUT', `/api/v1/tables/${TABLE}/draft`, { table }, { 'If-Match': String(draft.revision ?? 0) });
  expect(put.status).toBe(200);
  tab = await openTab(hx, '/');
  await loginInBrowser(hx, tab.page);
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

/** Makes the header as long as it gets: unsaved changes and errors. */
async function longHeader(): Promise<void> {
  const { page } = tab;
  await page.goto(`/#/t/${TABLE}/grid`);
  await page.waitForSelector('#rules-grid [role=gridcell]');
  await page.locator('#rules-grid [role=gridcell][aria-label^="Regel A2, Gevolgen"]').click();
  await page.keyboard.type('<<');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#unsaved');
  await page.waitForSelector('#problem-count.pill-danger');
}

async function box(selector: string) {
  return (await tab.page.locator(selector).first().boundingBox())!;
}

describe('the table page at 1280 and 1920 pixels wide', () => {
  for (const [width, height] of [
    [1280, 800],
    [1920, 1080],
  ] as const) {
    it(`keeps Concept opslaan on the state line's row at ${width}×${height}, nothing outside the bar`, async () => {
      await tab.page.setViewportSize({ width, height });
      await longHeader();
      const state = await box('.state-line');
      const save = await box('#save-draft');
      const reload = await box('#reload-draft');
      // The same row: the save button's vertical middle lies within the state line's row.
      expect(Math.abs(save.y + save.height / 2 - (state.y + state.height / 2))).toBeLessThan(save.height / 2);
      expect(Math.abs(reload.y - save.y)).toBeLessThan(2);
      expect(save.x + save.width).toBeLessThanOrEqual(width);
      // Samenvoegen (aggregation) means something only for COLLECT: not shown for this UNIQUE table.
      expect(await tab.page.locator('#aggregation').isVisible()).toBe(false);
      const bar = await tab.page.locator('.table-bar').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(bar.scroll).toBeLessThanOrEqual(bar.client);
      // The tools (hit policy, Excel, DMN, Algoritmeregister) take at most two rows.
      const rows = await tab.page.locator('.table-tools').evaluate((el) => {
        const centers = Array.from(el.querySelectorAll<HTMLElement>('button, select, a.button'))
          .filter((b) => b.offsetParent !== null)
          .map((b) => b.getBoundingClientRect())
          .map((r) => r.top + r.height / 2)
          .sort((a, b) => a - b);
        // Controls of one row are centred within a few pixels of each other; the next row is a button's height lower.
        return centers.filter((c, k) => k === 0 || c - centers[k - 1]! > 12).length;
      });
      expect(rows).toBeLessThanOrEqual(2);
      if (width >= 1920) {
        // Room enough: one row.
        const policy = await box('#hit-policy');
        expect(Math.abs(policy.y + policy.height / 2 - (save.y + save.height / 2))).toBeLessThan(4);
      }
      await shot(tab.page, `layout-01-header-${width}`);
      expect(await axeViolations(tab.page)).toEqual([]);
    });

    it(`keeps a long note inside the grid's width and the focus ring in view when scrolled right at ${width}×${height}`, async () => {
      const { page } = tab;
      await page.setViewportSize({ width, height });
      await page.goto(`/#/t/${TABLE}/grid`);
      await page.waitForSelector('#rules-grid [role=gridcell]');
      const widths = await page.evaluate(() => {
        const head = document.querySelector<HTMLElement>('#rules-grid .grid-head-row')!;
        const rows = Array.from(document.querySelectorAll<HTMLElement>('#rules-grid .grid-body .grid-row'));
        return { head: head.scrollWidth, rows: Math.max(...rows.map((r) => r.scrollWidth)), scroller: document.querySelector<HTMLElement>('#rules-grid')!.scrollWidth };
      });
      expect(widths.rows).toBeLessThanOrEqual(widths.head);
      expect(widths.scroller).toBeLessThanOrEqual(widths.head + 2);
      // The note shows what fits and the rest on hover or in the status line, not a row as wide as the text.
      const note = page.locator('#rules-grid [role=gridcell][aria-label^="Regel A1, Toelichting"]');
      await note.click();
      expect(await page.locator('.grid-status').textContent()).toContain(LONG_NOTE.slice(0, 60));
      // To the last column and back: the active cell stays within the visible part of the grid, ring and all.
      const grid = await box('#rules-grid');
      for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowLeft');
      for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
      const active = await box('#rules-grid [role=gridcell].active');
      await shot(page, `layout-02-scrolled-right-${width}`);
      expect(active.x + active.width).toBeLessThanOrEqual(grid.x + grid.width + 1);
      expect(active.x).toBeGreaterThanOrEqual(grid.x);
      await page.keyboard.press('Home');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      const third = await box('#rules-grid [role=gridcell].active');
      const sticky = await box('#rules-grid .grid-row:has(.active) .col-id');
      expect(third.x).toBeGreaterThanOrEqual(sticky.x + sticky.width - 1);
      expect(third.x + third.width).toBeLessThanOrEqual(grid.x + grid.width + 1);
      await shot(page, `layout-03-back-left-${width}`);
      expect(tab.errors).toEqual([]);
    });
  }

  it('shows long rule ids whole in the grid: the id column is as wide as the longest id (within a limit), the id in its tooltip', async () => {
    const { page } = tab;
    // The tests above leave unsaved changes: leaving the table asks "leave anyway?", yes.
    page.on('dialog', (d) => void d.accept());
    await page.setViewportSize({ width: 1280, height: 800 });
    for (const [table, longest] of [
      ['brandveiligheid.controlefrequentie', 'OPVANG-LOGIES-ONDERWIJS-VOLDOENDE'],
      ['campings.permanente-bewoning', 'PERSOONSGEBONDEN'],
    ] as const) {
      await page.goto(`/#/t/${table}/grid`);
      await page.waitForSelector(`#rules-grid .col-id[title="${longest}"]`);
      const ids = await page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('#rules-grid .grid-body .col-id')).map((cell) => {
          const text = cell.querySelector<HTMLElement>('.cell-text')!;
          return { id: text.textContent, scroll: text.scrollWidth, client: text.clientWidth, title: cell.title };
        }),
      );
      expect(ids.map((i) => i.id)).toContain(longest);
      for (const i of ids) {
        expect(i.scroll, `${table}: ${i.id}`).toBeLessThanOrEqual(i.client);
        expect(i.title).toBe(i.id);
      }
      await shot(page, `layout-04-long-ids-${table}`);
    }
  });
});
