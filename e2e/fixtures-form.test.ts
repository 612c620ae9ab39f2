// The Testgevallen tab in real Chromium: a test case made through the form (selects for listed values and booleans, a
// date, a number; the expected outcome per output column), saved with a required reason, back after a reload, run
// with progress and expected vs actual, and the server's 422 (field names) and 409 (stale draft) shown in the tab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, axeViolations, shot, startLoggedIn, type Harness, type Tab } from './harness.ts';

const TABLE = 'drank-horeca.sanctie';
const GOOD = 'Three strikes in een winkel (formulier)';
const WRONG = 'Eerste keer artikel 20.1, verkeerd verwacht';
const REASON = 'Three strikes voor winkels vastgelegd';

interface FixtureCase {
  name: string;
  input: Record<string, unknown>;
  expect?: Record<string, unknown>;
  expectError?: string;
  date?: string;
  note?: string;
}

let hx: Harness;
let tab: Tab;
let api: ReturnType<typeof apiClient>;

async function draftFixtures(): Promise<{ source: string; revision: number; fixtures: { cases: FixtureCase[] } }> {
  return (await api<{ source: string; revision: number; fixtures: { cases: FixtureCase[] } }>('GET', `/api/v1/tables/${TABLE}/fixtures?target=draft`)).data;
}

function card(name: string): string {
  return `#fx-cases li.fx-case:has(.fx-case-name:text-is("${name}"))`;
}

beforeAll(async () => {
  ({ hx, tab } = await startLoggedIn());
  api = apiClient(hx);
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

describe('test cases through the form', () => {
  let before = 0;

  it('adds a case through the form: listed values, a boolean, a number, a date and the expected outcome', async () => {
    const { page } = tab;
    before = (await draftFixtures()).fixtures.cases.length;
    expect(before).toBeGreaterThan(5);
    await page.goto(`/#/t/${TABLE}/fixtures`);
    await page.waitForSelector('#fx-cases li.fx-case');
    expect(await page.locator('#fx-cases li.fx-case').count()).toBe(before);
    // Nothing changed yet: saving is off, and the hint says so.
    expect(await page.locator('#fx-save').isDisabled()).toBe(true);
    expect(await page.locator('#fx-save-hint').textContent()).toBe('Geen niet-opgeslagen wijzigingen in de testgevallen.');
    // Without a draft yet, the server runs the set against the newest version.
    await page.click('#fx-run');
    await expect.poll(() => page.locator('#fx-source').textContent()).toBe('Op de server uitgevoerd op de nieuwste versie (er is nog geen opgeslagen concept).');
    expect(await page.locator('#fx-totals').textContent()).toBe(`${before} geslaagd, 0 mislukt`);

    await page.click('#fx-add');
    await page.waitForSelector('dialog.modal #fx-form');
    // Every field is labelled: the label names the column.
    expect(await page.locator('label[for="fx-in-0"]').textContent()).toContain('Overtreden artikel van de Alcoholwet');
    expect(await page.locator('label[for="fx-in-3"]').textContent()).toContain('Constateringen van hetzelfde artikel');
    expect(await page.locator('label[for="fx-out-1"]').textContent()).toContain('Boetecategorie');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('fx-f-name');
    await page.keyboard.type(GOOD);
    await page.fill('#fx-f-note', 'Derde constatering binnen 12 maanden in een winkel.');
    await page.fill('#fx-f-date', '2025-06-01');
    await page.selectOption('#fx-in-0', { label: '20.1' });
    await page.selectOption('#fx-in-1', { label: 'winkel' });
    await page.selectOption('#fx-in-2', { label: 'nee' });
    expect(await page.getAttribute('#fx-in-3', 'type')).toBe('number');
    await page.fill('#fx-in-3', '3');
    // Expected: the category and the duration; the text of the measure is not checked.
    await page.selectOption('#fx-out-1', { label: 'geen' });
    await page.fill('#fx-out-2', '2');
    expect(await page.locator('#fx-out-0').inputValue()).toBe('');
    await shot(page, 'fixtures-form-01-new-case');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#fx-f-apply');
    await page.waitForSelector('dialog.modal', { state: 'detached' });
    await page.waitForSelector(card(GOOD));
    // Run at once in the browser: it passes.
    await expect.poll(() => page.locator(`${card(GOOD)} .fx-verdict`).textContent()).toBe('geslaagd');
    expect(await page.locator(`${card(GOOD)} .fx-case-input`).textContent()).toContain('Soort verstrekker: winkel');
    expect(await page.locator('#fx-unsaved').count()).toBe(1);
  });

  it('duplicates a case and gives the copy a deliberately wrong expectation', async () => {
    const { page } = tab;
    await page.click(`${card(GOOD)} button.fx-duplicate`);
    await page.waitForSelector('dialog.modal #fx-form');
    expect(await page.inputValue('#fx-f-name')).toBe(`${GOOD} (kopie)`);
    // The copy keeps the inputs: change the name and the number, and expect category A (the table says C).
    await page.fill('#fx-f-name', WRONG);
    await page.fill('#fx-f-date', '');
    await page.fill('#fx-in-3', '1');
    await page.selectOption('#fx-out-1', { label: 'A' });
    await page.fill('#fx-out-2', '');
    await page.click('#fx-f-apply');
    await page.waitForSelector(card(WRONG));
    await expect.poll(() => page.locator(`${card(WRONG)} .fx-verdict`).textContent()).toBe('mislukt');
    expect(await page.locator('#fx-cases li.fx-case').count()).toBe(before + 2);
  });

  it('refuses to save without a reason and says why; saves with one, into the draft', async () => {
    const { page } = tab;
    expect(await page.locator('#fx-save').isDisabled()).toBe(true);
    expect(await page.locator('#fx-save-hint').textContent()).toBe('Vul eerst de reden van de wijziging in; die komt in de verschillen en het wijzigingslogboek.');
    expect(await page.getAttribute('#fx-reason', 'aria-invalid')).toBe('true');
    expect(await page.locator('label[for="fx-reason"]').textContent()).toBe('Reden van de wijziging');
    await shot(page, 'fixtures-form-02-reason-required');
    // Nothing reached the server.
    expect((await draftFixtures()).fixtures.cases.some((c) => c.name === GOOD)).toBe(false);

    await page.fill('#fx-reason', REASON);
    expect(await page.locator('#fx-save').isDisabled()).toBe(false);
    await page.click('#fx-save');
    await expect.poll(() => page.locator('.toast').last().textContent()).toBe('Testgevallen opgeslagen.');
    await expect.poll(() => page.locator('#fx-unsaved').count()).toBe(0);
    expect(await page.inputValue('#fx-reason')).toBe('');

    const stored = await draftFixtures();
    expect(stored.source).toBe('draft');
    expect(stored.fixtures.cases).toHaveLength(before + 2);
    const good = stored.fixtures.cases.find((c) => c.name === GOOD);
    expect(good).toEqual({
      name: GOOD,
      note: 'Derde constatering binnen 12 maanden in een winkel.',
      date: '2025-06-01',
      input: { artikel: '20.1', type_verstrekker: 'winkel', direct_gevaar: false, constateringen_12mnd: 3 },
      expect: { boete_categorie: 'geen', duur_weken: 2 },
    });
    const wrong = stored.fixtures.cases.find((c) => c.name === WRONG);
    expect(wrong).toEqual({ name: WRONG, note: good!.note, input: { ...good!.input, constateringen_12mnd: 1 }, expect: { boete_categorie: 'A' } });
    // The reason went with it: the audit trail records it.
    const audit = await api<{ entries?: { action: string; detail?: { reason?: string } }[] } | { action: string; detail?: { reason?: string } }[]>('GET', `/api/v1/audit?table=${TABLE}`);
    const entries = Array.isArray(audit.data) ? audit.data : (audit.data.entries ?? []);
    expect(entries.some((e) => e.action === 'draft.fixtures.changed' && e.detail?.reason === REASON)).toBe(true);
  });

  it('shows the case back after a reload, in the list and in its form', async () => {
    const { page } = tab;
    await page.reload();
    await page.waitForSelector(card(GOOD));
    expect(await page.locator(`${card(GOOD)} .fx-case-input`).textContent()).toBe(
      'Invoer: Overtreden artikel van de Alcoholwet: 20.1 · Soort verstrekker: winkel · Direct gevaar voor gezondheid of veiligheid: nee · Constateringen van hetzelfde artikel in 12 maanden (deze meegeteld): 3',
    );
    expect(await page.locator(`${card(GOOD)} .fx-case-head`).textContent()).toContain('01-06-2025');
    await page.click(`${card(GOOD)} button.fx-edit`);
    await page.waitForSelector('dialog.modal #fx-form');
    expect(await page.inputValue('#fx-f-name')).toBe(GOOD);
    expect(await page.inputValue('#fx-f-date')).toBe('01-06-2025');
    expect(await page.locator('#fx-in-0 option:checked').textContent()).toBe('20.1');
    expect(await page.locator('#fx-in-1 option:checked').textContent()).toBe('winkel');
    expect(await page.locator('#fx-in-2 option:checked').textContent()).toBe('nee');
    expect(await page.inputValue('#fx-in-3')).toBe('3');
    expect(await page.locator('#fx-out-0').inputValue()).toBe('');
    expect(await page.locator('#fx-out-1 option:checked').textContent()).toBe('geen');
    expect(await page.inputValue('#fx-out-2')).toBe('2');
    // The advanced option shows the same case as JSON.
    await page.click('#fx-form-advanced summary');
    // The details' toggle event (asynchronous) fills the JSON from the form.
    await expect.poll(() => page.inputValue('#fx-case-json')).not.toBe('');
    const json = JSON.parse(await page.inputValue('#fx-case-json')) as FixtureCase;
    expect(json.input).toEqual({ artikel: '20.1', type_verstrekker: 'winkel', direct_gevaar: false, constateringen_12mnd: 3 });
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog.modal', { state: 'detached' });
    expect(await page.locator('#fx-unsaved').count()).toBe(0);
  });

  it('runs the set with progress and shows expected vs actual for the failing case', async () => {
    const { page } = tab;
    await page.click('#fx-run');
    await expect.poll(() => page.locator('#fx-source').textContent()).toBe('Op de server uitgevoerd op het opgeslagen concept.');
    const total = before + 2;
    expect(await page.locator('#fx-progress-text').textContent()).toBe(`${total} van ${total} testgevallen uitgevoerd`);
    expect(await page.getAttribute('#fx-progress', 'value')).toBe(String(total));
    expect(await page.locator('#fx-totals').textContent()).toBe(`${total - 1} geslaagd, 1 mislukt`);
    expect(await page.locator(`${card(GOOD)} .fx-verdict`).textContent()).toBe('geslaagd');
    const fail = page.locator(card(WRONG));
    expect(await fail.locator('.fx-verdict').textContent()).toBe('mislukt');
    const row = fail.locator('.fx-compare tbody tr');
    expect(await row.count()).toBe(1);
    expect(await row.locator('th').textContent()).toBe('Boetecategorie');
    expect(await row.locator('td.fx-expected').textContent()).toBe('A');
    expect(await row.locator('td.fx-actual').textContent()).toContain('C');
    expect(await row.getAttribute('class')).toBe('fx-mismatch');
    expect(await fail.textContent()).toContain('regels ART20-1-EERSTE');
    // The server agrees.
    const run = await api<{ cases: { name: string; pass: boolean; actual: Record<string, unknown> }[] }>('POST', `/api/v1/tables/${TABLE}/fixtures/run?target=draft`);
    expect(run.data.cases.find((c) => c.name === WRONG)?.pass).toBe(false);
    expect(run.data.cases.find((c) => c.name === WRONG)?.actual.boete_categorie).toBe('C');
    expect(run.data.cases.find((c) => c.name === GOOD)?.pass).toBe(true);
    // Only the failed ones.
    await page.check('#fx-only-failed');
    expect(await page.locator('#fx-cases li.fx-case').count()).toBe(1);
    await fail.scrollIntoViewIfNeeded();
    await shot(page, 'fixtures-form-03-run-failed');
    expect(await axeViolations(page)).toEqual([]);
    await page.uncheck('#fx-only-failed');
  });

  it('opens a case that expects an error with that choice, and keeps an input value outside the list', async () => {
    const { page } = tab;
    await page.click(`${card('Onbekend artikel')} button.fx-edit`);
    await page.waitForSelector('dialog.modal #fx-form');
    expect(await page.isChecked('#fx-kind-error')).toBe(true);
    expect(await page.inputValue('#fx-f-error')).toBe('INVALID_INPUT');
    expect(await page.isVisible('#fx-out-1')).toBe(false);
    expect(await page.locator('#fx-in-0 option:checked').textContent()).toBe('99 (andere waarde)');
    await page.click('dialog.modal button:text-is("Annuleren")');
    await page.waitForSelector('dialog.modal', { state: 'detached' });
    expect(await page.locator('#fx-unsaved').count()).toBe(0);
  });

  it('edits the expected rows of a table whose outcome is a list (COLLECT)', async () => {
    const { page } = tab;
    const name = 'Geen bijzondere oorzaak';
    await page.goto('/#/t/preventie.instrument/fixtures');
    await page.waitForSelector(card(name));
    await page.click(`${card(name)} button.fx-edit`);
    await page.waitForSelector('dialog.modal #fx-form');
    expect(await page.locator('fieldset.fx-row').count()).toBe(1);
    expect(await page.inputValue('#fx-out-0-0')).toBe('voorlichting tijdens toezicht');
    await page.click('#fx-add-row');
    expect(await page.locator('fieldset.fx-row legend').nth(1).textContent()).toBe('Rij 2');
    await page.fill('#fx-out-1-0', 'een instrument dat er niet is');
    await page.fill('#fx-out-1-1', 'T1 kennis van regels');
    await shot(page, 'fixtures-form-06-list-rows');
    await page.click('#fx-f-apply');
    await expect.poll(() => page.locator(`${card(name)} .fx-verdict`).textContent()).toBe('mislukt');
    // Expected vs actual per row: the second row is missing from the actual list.
    const second = page.locator(`${card(name)} .fx-compare tbody tr`).nth(1);
    expect(await second.locator('th').textContent()).toBe('Rij 2');
    expect(await second.locator('td.fx-expected').textContent()).toBe('Instrument: een instrument dat er niet is, Dimensie Tafel van Elf: T1 kennis van regels');
    expect(await second.locator('td.fx-actual').textContent()).toContain('—');
    expect(await second.getAttribute('class')).toBe('fx-mismatch');
    await page.locator(card(name)).scrollIntoViewIfNeeded();
    await shot(page, 'fixtures-form-07-list-failed');
    // Remove the row again: the case is as it was, and passes.
    await page.click(`${card(name)} button.fx-edit`);
    await page.click('fieldset.fx-row:nth-of-type(2) button');
    expect(await page.locator('fieldset.fx-row').count()).toBe(1);
    await page.click('#fx-f-apply');
    await expect.poll(() => page.locator(`${card(name)} .fx-verdict`).textContent()).toBe('geslaagd');
    expect(await page.locator('#fx-unsaved').count()).toBe(0);
    await page.goto(`/#/t/${TABLE}/fixtures`);
    await page.waitForSelector(card(GOOD));
  });

  it('speaks English too', async () => {
    const { page } = tab;
    await page.locator('button', { hasText: 'English' }).click();
    await expect.poll(() => page.locator('#tab-fixtures').textContent()).toBe('Test cases');
    await page.waitForSelector('label[for="fx-reason"]');
    expect(await page.locator('label[for="fx-reason"]').textContent()).toBe('Reason for the change');
    await page.click('#fx-add');
    await page.waitForSelector('dialog.modal #fx-form');
    expect(await page.locator('dialog.modal fieldset.fx-expect legend').first().textContent()).toBe('Expected outcome');
    expect(await page.locator('#fx-out-1 option').first().textContent()).toBe('— not checked —');
    await shot(page, 'fixtures-form-08-english');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog.modal', { state: 'detached' });
    await page.locator('button', { hasText: 'Nederlands' }).click();
    await expect.poll(() => page.locator('#tab-fixtures').textContent()).toBe('Testgevallen');
    await page.waitForSelector(card(GOOD));
  });

  it('shows a 422 with the case and field, and a 409 when someone else changed the draft', async () => {
    const { page } = tab;
    // A field the fixture format does not know, typed in the advanced JSON: the server names case and field.
    await page.click('#fx-add');
    await page.waitForSelector('dialog.modal #fx-form');
    await page.click('#fx-form-advanced summary');
    // The details' toggle event (asynchronous) fills the JSON from the form.
    await expect.poll(() => page.inputValue('#fx-case-json')).not.toBe('');
    await page.fill('#fx-case-json', JSON.stringify({ name: 'Met een onbekend veld', input: { artikel: '24' }, expect: {}, extra: 1 }));
    await page.click('#fx-f-apply');
    await page.waitForSelector(card('Met een onbekend veld'));
    await page.fill('#fx-reason', 'Proef met een onbekend veld');
    await page.click('#fx-save');
    await page.waitForSelector('#fx-save-error li');
    expect(await page.locator('#fx-save-error p').first().textContent()).toBe('Niet opgeslagen: de testgevallen zijn niet geldig.');
    expect(await page.locator('#fx-save-error li').first().textContent()).toMatch(new RegExp(`^Testgeval “Met een onbekend veld” \\(nr. ${before + 3}\\)`));
    await shot(page, 'fixtures-form-04-invalid');
    await page.click(`${card('Met een onbekend veld')} button.fx-delete`);
    await expect.poll(() => page.locator('#fx-cases li.fx-case').count()).toBe(before + 2);

    // Someone else saves the draft meanwhile: our save is refused and explained.
    const draft = await api<{ revision: number; table: unknown }>('GET', `/api/v1/tables/${TABLE}/draft`);
    expect((await api('PUT', `/api/v1/tables/${TABLE}/draft`, { table: draft.data.table }, { 'If-Match': String(draft.data.revision) })).status).toBe(200);
    await page.click(`${card(WRONG)} button.fx-delete`);
    await page.fill('#fx-reason', 'Verkeerde verwachting weg');
    await page.click('#fx-save');
    await expect.poll(() => page.locator('#fx-save-error').textContent()).toContain('iemand anders heeft dit concept intussen gewijzigd');
    expect((await draftFixtures()).fixtures.cases.some((c) => c.name === WRONG)).toBe(true);
    await shot(page, 'fixtures-form-05-stale');
  });

  it('had no console errors', () => {
    // Expected: the first GET /api/v1/me before logging in (401), and the refused saves above (one 422, one 409).
    const resource = (status: string): string => `console: Failed to load resource: the server responded with a status of ${status}`;
    const expected = [resource('401 (Unauthorized)'), resource('422 (Unprocessable Entity)'), resource('409 (Conflict)')];
    expect(tab.errors.filter((e) => !expected.includes(e))).toEqual([]);
    expect(tab.errors.filter((e) => e === expected[1])).toHaveLength(1);
    expect(tab.errors.filter((e) => e === expected[2])).toHaveLength(1);
  });
});
