// Excel in the editor as a policy advisor uses it, in real Chromium against a real server: download the table, change
// a cell in the workbook, upload it, see the change as a diff before anything is saved, apply it (the draft is saved
// with its revision), and upload a broken workbook to see each problem with its sheet and cell, in Dutch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionTable } from '../server/engine/types.ts';
import { readXlsx } from '../server/excel/index.ts';
import { canonicalJson } from '../server/store/canonical.ts';
import { addUser, apiClient, axeViolations, loginInBrowser, openTab, shot, startLoggedIn, type Harness, type Tab } from './harness.ts';

const TABLE = 'handhaving.interventiematrix';
let hx: Harness;
let tab: Tab;
let downloaded = '';
/** The sheet row of the column names; rule n (1-based) is on row namesRow + n. */
let namesRow = 0;

interface DraftBody {
  revision: number;
  table: DecisionTable;
}

/** The downloaded workbook with `edit` applied to its one table sheet, saved beside it as `name`. */
async function editDownload(name: string, edit: (ws: ExcelJS.Worksheet, names: number) => void): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(downloaded);
  const ws = wb.getWorksheet('Interventiematrix')!;
  namesRow = ws.getColumn(1).values.findIndex((v) => v === 'Regel');
  edit(ws, namesRow);
  const file = join(hx.dir, name);
  await wb.xlsx.writeFile(file);
  return file;
}

beforeAll(async () => {
  ({ hx, tab } = await startLoggedIn());
}, 180_000);

afterAll(async () => {
  await hx?.close();
});

describe('Excel in the editor', () => {
  it('downloads the table shown as an .xlsx workbook', async () => {
    const { page } = tab;
    await page.goto(`/#/t/${TABLE}/grid`);
    await page.waitForSelector('#excel-download');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#excel-download')]);
    expect(download.suggestedFilename()).toBe(`${TABLE}.xlsx`);
    downloaded = join(hx.dir, 'download.xlsx');
    await download.saveAs(downloaded);
    const back = await readXlsx(new Uint8Array(readFileSync(downloaded)));
    // No draft is stored yet, so the editor shows (and downloads) the newest version, with its number and date.
    // (v2: v1 marked public for the register from 2026-12-03.)
    const newest = (await apiClient(hx)<DecisionTable>('GET', `/api/v1/tables/${TABLE}/versions/2`)).data;
    expect(back.problems).toEqual([]);
    expect(canonicalJson(back.tables[0]!.table)).toBe(canonicalJson(newest));
  });

  it('shows an uploaded change as a diff before saving, and saves it into the draft when applied', async () => {
    const { page } = tab;
    const file = await editDownload('gewijzigd.xlsx', (ws, names) => {
      ws.getCell(names + 1, 5).value = '"Eerst een gesprek, dan een schriftelijke waarschuwing"';
    });
    await page.setInputFiles('#excel-file', file);
    await page.waitForSelector('dialog.modal .excel-import #diff-summary');
    expect(await page.locator('dialog.modal #diff-summary').textContent()).toBe('0 toegevoegd, 0 verwijderd, 1 gewijzigd, 0 verplaatst');
    expect(await page.locator('dialog.modal .cell-changed ins').textContent()).toBe('"Eerst een gesprek, dan een schriftelijke waarschuwing"');
    // Nothing is stored until the advisor applies it.
    const api = apiClient(hx);
    expect((await api<DraftBody>('GET', `/api/v1/tables/${TABLE}/draft`)).data.revision).toBe(0);
    await shot(page, 'excel-01-upload-diff');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#excel-apply');
    await expect.poll(async () => (await api<DraftBody>('GET', `/api/v1/tables/${TABLE}/draft`)).data.revision).toBe(1);
    const saved = (await api<DraftBody>('GET', `/api/v1/tables/${TABLE}/draft`)).data.table;
    expect(saved.rules[0]!.then.interventie).toBe('"Eerst een gesprek, dan een schriftelijke waarschuwing"');
    await expect.poll(() => page.locator('.state-line').textContent()).toContain('revisie 1');
    expect(await page.locator('dialog.modal').count()).toBe(0);
  });

  it('names each problem of a broken workbook by sheet and cell, in Dutch, and changes nothing', async () => {
    const { page } = tab;
    const file = await editDownload('kapot.xlsx', (ws, names) => {
      ws.getCell(names + 3, 3).value = '>= 2 en < 4';
      ws.getCell(names + 4, 1).value = 'A1';
    });
    await page.setInputFiles('#excel-file', file);
    await page.waitForSelector('#excel-problems');
    const items = await page.locator('#excel-problems li').allTextContents();
    expect(items).toContain(`Interventiematrix!A${namesRow + 4}: het id 'A1' heeft ook de regel in rij ${namesRow + 1}; elk id komt één keer voor`);
    // The engine's problem with the cell that is not FEEL is named by its cell too, in the same answer.
    expect(items.some((i) => i.startsWith(`Interventiematrix!C${namesRow + 3}: `))).toBe(true);
    await shot(page, 'excel-02-problems');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('dialog.modal button.primary');
    expect((await apiClient(hx)<DraftBody>('GET', `/api/v1/tables/${TABLE}/draft`)).data.revision).toBe(1);
    expect(tab.errors.filter((e) => !e.includes('422'))).toEqual([]);
  });

  it('gives a viewer a read-only editor that says why: no save, no upload, cells that do not change; the download stays', async () => {
    const viewer = { username: 'lezer', password: 'lezer-wachtwoord-1' };
    await addUser(hx, apiClient(hx), viewer, ['viewer']);
    const viewerTab = await openTab(hx, '/');
    const { page } = viewerTab;
    await loginInBrowser(hx, page, viewer.username, viewer.password);
    await page.goto(`/#/t/${TABLE}/grid`);
    await page.waitForSelector('#view-only-note');
    expect(await page.locator('#view-only-note').textContent()).toContain('daarvoor is de rol editor nodig');
    expect(await page.locator('#view-only-pill').textContent()).toBe('Alleen lezen');
    expect(await page.locator('#save-draft').count()).toBe(0);
    expect(await page.locator('#excel-upload').count()).toBe(0);
    expect(await page.locator('#excel-download').count()).toBe(1);
    expect(await page.locator('#hit-policy').isDisabled()).toBe(true);
    // Typing into a cell changes nothing, and nothing asks to be saved.
    const first = page.locator('#rules-grid [role=gridcell]').nth(1);
    const before = await first.textContent();
    await first.click();
    await page.keyboard.type('"Z"');
    await page.keyboard.press('Enter');
    expect(await first.textContent()).toBe(before);
    expect(await page.locator('#unsaved').count()).toBe(0);
    await shot(page, 'excel-03-viewer-readonly');
    expect(await axeViolations(page)).toEqual([]);
    expect(viewerTab.errors).toEqual([]);
    await viewerTab.context.close();
  });
});
