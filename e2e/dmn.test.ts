// DMN in the editor as a policy advisor (role editor) uses it, in real Chromium against a real server: "DMN
// importeren" in the register (reached by keyboard), a new table previewed and confirmed into a draft, a table's DMN
// downloaded from its page and a changed copy uploaded (shown as a new draft with the diff before anything is
// stored), a refused model with each element's problem in Dutch, and a domain downloaded as one model. Axe on each.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDmn } from '../server/dmn/index.ts';
import type { DecisionTable } from '../server/engine/types.ts';
import { addUser, apiClient, axeViolations, loginInBrowser, openTab, shot, startHarness, type Harness, type Tab } from './harness.ts';

const TABLE = 'handhaving.interventiematrix';
const ADVISOR = { username: 'adviseur', password: 'adviseur-wachtwoord-1' };
let hx: Harness;
let tab: Tab;

interface DraftBody {
  revision: number;
  status: string;
  table: DecisionTable;
}

function model(opts: { cell?: string; bkm?: boolean } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="parkeren" name="Parkeren" namespace="https://gemeente.example/parkeren">
  <decision id="tarief" name="Tarief">
    <variable name="Tarief" typeRef="number"/>
    <decisionTable id="tarief_tabel" hitPolicy="UNIQUE">
      <input id="zone_in" label="Zone"><inputExpression id="zone_expr" typeRef="string"><text>zone</text></inputExpression></input>
      <output id="tarief_out" name="tarief" label="Tarief per uur" typeRef="number"/>
      <rule id="centrum">
        <inputEntry id="centrum_zone"><text>${opts.cell ?? '"centrum"'}</text></inputEntry>
        <outputEntry id="centrum_tarief"><text>4.5</text></outputEntry>
      </rule>
      <rule id="rest">
        <inputEntry id="rest_zone"><text>not("centrum")</text></inputEntry>
        <outputEntry id="rest_tarief"><text>2</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
  ${opts.bkm ? '<businessKnowledgeModel id="korting" name="Korting"/>' : ''}
</definitions>`;
}

function file(name: string, text: string): string {
  const path = join(hx.dir, name);
  writeFileSync(path, text);
  return path;
}

beforeAll(async () => {
  hx = await startHarness();
  await addUser(hx, apiClient(hx), ADVISOR, ['editor']);
  tab = await openTab(hx, '/');
  await loginInBrowser(hx, tab.page, ADVISOR.username, ADVISOR.password);
}, 180_000);

afterAll(async () => {
  await tab?.context.close();
  await hx?.close();
});

describe('DMN in the editor', () => {
  it('imports a new table from the register: reached by keyboard, previewed, confirmed, a draft that is not published', async () => {
    const { page } = tab;
    await page.goto('/#/');
    await page.waitForSelector('table.catalogue tbody tr[data-table]');
    // The register settled (login's redirect rendered, the list loaded), so the button focused below stays.
    await page.waitForLoadState('networkidle');
    // Without a domain chosen there is no domain to download.
    expect(await page.locator('#dmn-domain-download').isHidden()).toBe(true);
    // From the search field (focused on arrival) back to the register's actions.
    await page.focus('#cat-search');
    let focused = '';
    for (let i = 0; i < 6 && focused !== 'dmn-import'; i++) {
      await page.keyboard.press('Shift+Tab');
      focused = await page.evaluate(() => document.activeElement?.id ?? '');
    }
    expect(focused).toBe('dmn-import');
    // The chooser is intercepted once Chromium has been told to; a round trip after asking makes sure it has been
    // (a key pressed before would open the browser's own dialog, which headless Chromium never shows).
    const chosen = page.waitForEvent('filechooser');
    await page.evaluate(() => 0);
    await page.keyboard.press('Enter');
    const chooser = await chosen;
    await chooser.setFiles(file('parkeren.dmn', model()));
    await page.waitForSelector('dialog.modal .dmn-planned');
    const planned = page.locator('dialog.modal .dmn-planned[data-table="parkeren.tarief"]');
    expect(await planned.locator('.dmn-action').textContent()).toBe('Nieuwe beslistabel');
    expect(await planned.textContent()).toContain('2 regel(s). Kolommen: Zone → Tarief per uur');
    // Nothing is stored before the confirmation.
    const api = apiClient(hx);
    expect((await api('GET', '/api/v1/tables/parkeren.tarief')).status).toBe(404);
    await shot(page, 'dmn-01-preview-new');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#dmn-apply');
    // One table read in: its page opens, as a draft.
    await page.waitForURL(/#\/t\/parkeren\.tarief/);
    const draft = (await api<DraftBody>('GET', '/api/v1/tables/parkeren.tarief/draft')).data;
    expect(draft.revision).toBe(1);
    expect(draft.status).toBe('editing');
    expect(draft.table.rules.map((r) => r.id)).toEqual(['centrum', 'rest']);
    expect((await api<{ versions: unknown[] }>('GET', '/api/v1/tables/parkeren.tarief/versions')).data.versions).toEqual([]);
  });

  it("downloads a table's DMN from its page, and shows a changed copy as a new draft with the diff before storing it", async () => {
    const { page } = tab;
    await page.goto(`/#/t/${TABLE}/grid`);
    await page.waitForSelector('#dmn-download');
    await shot(page, 'dmn-05-table-header');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dmn-download')]);
    expect(download.suggestedFilename()).toBe(`${TABLE}.dmn`);
    const saved = join(hx.dir, 'download.dmn');
    await download.saveAs(saved);
    const xml = readFileSync(saved, 'utf8');
    const back = await importDmn(xml);
    expect(back.model.dmnVersion).toBe('1.5');
    expect(back.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const newest = (await apiClient(hx)<DecisionTable>('GET', `/api/v1/tables/${TABLE}/versions/2`)).data;
    expect(back.tables.map((t) => t.id)).toEqual([TABLE]);
    expect(back.tables[0]!.rules).toEqual(newest.rules);

    const changed = xml.replace('Informeren of aanspreken; waarschuwing met hersteltermijn', 'Eerst een gesprek; waarschuwing met hersteltermijn');
    expect(changed).not.toBe(xml);
    await page.goto('/#/');
    await page.waitForSelector('#dmn-import');
    await page.setInputFiles('#dmn-file', file('gewijzigd.dmn', changed));
    await page.waitForSelector('dialog.modal .dmn-planned #diff-summary');
    const planned = page.locator(`dialog.modal .dmn-planned[data-table="${TABLE}"]`);
    expect(await planned.locator('.dmn-action').textContent()).toBe('Nieuw concept van een bestaande beslistabel');
    expect(await planned.locator('#diff-summary').textContent()).toBe('0 toegevoegd, 0 verwijderd, 1 gewijzigd, 0 verplaatst');
    expect(await planned.locator('.cell-changed ins').textContent()).toContain('Eerst een gesprek');
    const api = apiClient(hx);
    expect((await api<DraftBody>('GET', `/api/v1/tables/${TABLE}/draft`)).data.revision).toBe(0);
    await shot(page, 'dmn-02-preview-diff');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#dmn-apply');
    await page.waitForURL(new RegExp(`#/t/${TABLE.replace('.', '\\.')}`));
    const draft = (await api<DraftBody>('GET', `/api/v1/tables/${TABLE}/draft`)).data;
    expect(draft.revision).toBe(1);
    expect(draft.table.rules[0]!.then.interventie).toContain('Eerst een gesprek');
    // The table card is kept: DMN carries the rules, not the owner and the sources.
    expect(draft.table.meta).toEqual(newest.meta);
  });

  it('lists every problem of a refused model by element, in Dutch, and stores nothing', async () => {
    const { page } = tab;
    await page.goto('/#/');
    await page.waitForSelector('#dmn-import');
    await page.setInputFiles('#dmn-file', file('kapot.dmn', model({ cell: '"centrum" and', bkm: true }).replaceAll('tarief', 'boete')));
    await page.waitForSelector('#dmn-problems li');
    const items = await page.locator('#dmn-problems li').allTextContents();
    expect(items).toContain("Bedrijfskennismodel 'Korting': is een herbruikbare functie; een beslistabel in Beslis kan geen functies bevatten of aanroepen");
    const cell = items.find((i) => i.startsWith("Beslissing 'Tarief': regel centrum, zone: "));
    expect(cell, items.join('\n')).toBeDefined();
    expect(cell).toContain('(inputEntry centrum_zone)');
    // No English reaches the Dutch list.
    expect(items.join(' ')).not.toMatch(/business knowledge|expected|reusable/);
    await shot(page, 'dmn-03-problems');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('dialog.modal button.primary');
    const api = apiClient(hx);
    expect((await api('GET', '/api/v1/tables/parkeren.boete')).status).toBe(404);
  });

  it('downloads the domain chosen in the register as one DMN model', async () => {
    const { page } = tab;
    await page.goto('/#/?domain=handhaving');
    await page.waitForSelector('#dmn-domain-download:not([hidden])');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dmn-domain-download')]);
    expect(download.suggestedFilename()).toBe('handhaving.dmn');
    const saved = join(hx.dir, 'handhaving.dmn');
    await download.saveAs(saved);
    const back = await importDmn(readFileSync(saved, 'utf8'));
    expect(back.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const ids = (await apiClient(hx)<{ tables: { id: string }[] }>('GET', '/api/v1/tables')).data.tables.map((t) => t.id).filter((id) => id.startsWith('handhaving.'));
    expect(back.tables.map((t) => t.id).sort()).toEqual(ids.sort());
    await shot(page, 'dmn-04-register-domain');
    expect(await axeViolations(page)).toEqual([]);
    expect(tab.errors.filter((e) => !e.includes('422') && !e.includes('404'))).toEqual([]);
  });

  it('gives a viewer the downloads but no import', async () => {
    const viewer = { username: 'lezer', password: 'lezer-wachtwoord-1' };
    await addUser(hx, apiClient(hx), viewer, ['viewer']);
    const viewerTab = await openTab(hx, '/');
    const { page } = viewerTab;
    await loginInBrowser(hx, page, viewer.username, viewer.password);
    await page.goto('/#/?domain=handhaving');
    await page.waitForSelector('#dmn-domain-download:not([hidden])');
    expect(await page.locator('#dmn-import').count()).toBe(0);
    await page.goto(`/#/t/${TABLE}/grid`);
    await page.waitForSelector('#dmn-download');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#dmn-download')]);
    const saved = join(hx.dir, 'viewer.dmn');
    await download.saveAs(saved);
    // A viewer downloads what the page shows: the draft the advisor read in above.
    const back = await importDmn(readFileSync(saved, 'utf8'));
    expect(back.tables[0]!.rules[0]!.then.interventie).toContain('Eerst een gesprek');
    expect(viewerTab.errors).toEqual([]);
    await viewerTab.context.close();
  });
});
