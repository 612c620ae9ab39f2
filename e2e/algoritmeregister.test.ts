// The Algoritmeregister download in the editor, in real Chromium against a real server seeded from rules/: on a public
// table the header offers it and the file is the decision's entry in the publication standard; a table that is not
// public has no such button.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterDocument } from '../server/algoritmeregister/index.ts';
import { standardProblems } from '../test/algoritmeregister/validate.ts';
import { apiClient, axeViolations, shot, startLoggedIn, type Harness, type Tab } from './harness.ts';

const TABLE = 'handhaving.interventieladder';
let hx: Harness;
let tab: Tab;

beforeAll(async () => {
  ({ hx, tab } = await startLoggedIn());
}, 180_000);

afterAll(async () => {
  await hx?.close();
});

describe('Algoritmeregister in the editor', () => {
  it('downloads the entry of a public decision, with the fields left to complete', async () => {
    const { page } = tab;
    await page.goto(`/#/t/${TABLE}/grid`);
    await page.waitForSelector('#algoritmeregister-download');
    expect(await page.locator('#algoritmeregister-download').textContent()).toBe('Algoritmeregister');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#algoritmeregister-download')]);
    expect(download.suggestedFilename()).toBe(`algoritmeregister-${TABLE}.json`);
    const file = join(hx.dir, 'algoritmeregister.json');
    await download.saveAs(file);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as RegisterDocument;
    expect(doc.algoritmes.map((e) => e.algoritme)).toEqual([TABLE]);
    expect(standardProblems(doc.algoritmes[0]!)).toEqual([]);
    expect(doc.algoritmes[0]!.teVoltooien.map((t) => t.veld)).toContain('publication_category');
    await page.waitForSelector('.toast:has-text("Algoritmeregister gedownload")');
    await shot(page, 'algoritmeregister-01-button');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('offers no download on a table that is not public', async () => {
    // A new table: only a draft, not marked public, so nothing of it is in force or public.
    const api = apiClient(hx);
    const created = await api('POST', '/api/v1/tables', {
      table: { id: 'proef.niet-openbaar', title: 'Niet openbaar', inputs: [{ name: 'a', type: 'string' }], outputs: [{ name: 'b', type: 'string' }], rules: [{ id: 'r1', when: { a: '"x"' }, then: { b: '"y"' } }] },
    });
    expect(created.status).toBe(201);
    const { page } = tab;
    await page.goto('/#/t/proef.niet-openbaar/grid');
    await page.waitForSelector('#excel-download');
    expect(await page.locator('#algoritmeregister-download').count()).toBe(0);
  });
});
