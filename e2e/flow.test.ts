// The must-show flow in real Chromium against a real server: an editor logs in, edits a cell, sees an invalid
// cell's message, simulates (matched row highlighted), saves the case as a fixture of the draft, submits with a
// valid-from date and a note; a second user with the approver role logs in and approves; POST /api/v1/evaluate answers
// with the new version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, apiClient, loginInBrowser, openTab, shot, startHarness, type Harness, type Tab } from './harness.ts';

const TABLE = 'handhaving.interventiematrix';
const FIXTURE = 'A1 interventie: aanspreken met hersteltermijn';
const EDITOR = { username: 'redacteur', password: 'redacteur-wachtwoord-1' };
const APPROVER = { username: 'fiatteur', password: 'fiatteur-wachtwoord-1' };
let hx: Harness;
let admin: ReturnType<typeof apiClient>;
let editorTab: Tab;
let approverTab: Tab;

// Nothing may appear in the console: not even the visit before logging in logs a failed request.
function unexpected(tab: Tab): string[] {
  return tab.errors;
}

function cell(rule: string, column: string): string {
  return `#rules-grid [role=gridcell][aria-label^="Regel ${rule}, ${column}"]`;
}

beforeAll(async () => {
  hx = await startHarness();
  admin = apiClient(hx);
  // The editor may approve too, but not a draft they edited (four eyes).
  await addUser(hx, admin, EDITOR, ['editor', 'approver']);
  await addUser(hx, admin, APPROVER, ['approver']);
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

describe('must-show flow', () => {
  it('logs in as an editor and edits a cell', async () => {
    editorTab = await openTab(hx, '/');
    const { page } = editorTab;
    await loginInBrowser(hx, page, EDITOR.username, EDITOR.password);
    expect(await page.locator('#current-user').textContent()).toContain(EDITOR.username);
    await page.goto(`/#/t/${TABLE}/grid`);
    await page.waitForSelector('#rules-grid [role=gridcell]');
    await page.click(cell('A1', 'Interventie'));
    await page.keyboard.press('F2');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('"Eerst een gesprek"');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#unsaved').count()).toBe(1);
    await page.click('#save-draft');
    const editor = apiClient(hx, EDITOR.username, EDITOR.password);
    await expect.poll(async () => (await editor<{ revision?: number }>('GET', `/api/v1/tables/${TABLE}/draft`)).data.revision).toBe(1);
    await shot(page, 'flow-01-edited');
  });

  it("shows an invalid cell's message", async () => {
    const { page } = editorTab;
    await page.click(cell('A1', 'Gevolgen van de overtreding'));
    await page.keyboard.type('[1..');
    await expect.poll(() => page.locator('.cell-editor').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.locator('.grid-status').textContent()).toMatch(/Fout in regel A1, kolom Gevolgen van de overtreding: .*positie \d+/);
    await shot(page, 'flow-02-invalid-cell');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('#problem-count').textContent()).toBe('Geen fouten');
  });

  it('simulates, highlights the matched row and saves the case as a fixture of the draft', async () => {
    const { page } = editorTab;
    await page.click('#tab-simulate');
    await page.waitForSelector('#sim-in-0');
    await page.selectOption('#sim-in-0', { label: 'A' });
    await page.selectOption('#sim-in-1', { label: '1' });
    await expect.poll(() => page.locator('#sim-matched').textContent()).toBe('Passende regels: A1');
    expect(await page.locator('#sim-output').textContent()).toContain('Eerst een gesprek');
    const matched = page.locator('#rules-grid .grid-row.row-matched');
    await expect.poll(() => matched.count()).toBe(1);
    expect(await matched.locator('[role=gridcell]').first().textContent()).toContain('A1');
    await shot(page, 'flow-03-simulated');
    await page.click('#sim-save-fixture');
    // Under the name of the existing case for A1: its expectation follows the change, inside the draft (with a reason).
    await page.fill('#fixture-name', FIXTURE);
    // Replacing a case changes an expectation: without a reason the dialog does not save.
    expect(await page.locator('#fixture-reason-hint').textContent()).toContain('de verwachting verandert');
    await page.click('dialog.modal button[type=submit]');
    expect(await page.locator('dialog.modal').isVisible()).toBe(true);
    await shot(page, 'flow-03-save-as-fixture');
    await page.fill('#fixture-reason', 'A1 begint voortaan met een gesprek');
    await page.click('dialog.modal button[type=submit]');
    await expect.poll(() => page.locator('.toast').last().textContent()).toContain(FIXTURE);
    const { data } = await admin<{ source: string; revision: number; fixtures: { cases: { name: string; expect?: Record<string, unknown> }[] } }>('GET', `/api/v1/tables/${TABLE}/fixtures?target=draft`);
    expect(data.source).toBe('draft');
    expect(data.revision).toBe(2);
    const saved = data.fixtures.cases.filter((c) => c.name === FIXTURE);
    expect(saved).toHaveLength(1);
    expect(saved[0]!.expect?.interventie).toBe('Eerst een gesprek');
    // The adopted table's own set is untouched until approval.
    const table = await admin<{ fixtures: { cases: { name: string; expect?: Record<string, unknown> }[] } }>('GET', `/api/v1/tables/${TABLE}/fixtures`);
    expect(table.data.fixtures.cases.find((c) => c.name === FIXTURE)?.expect?.interventie).not.toBe('Eerst een gesprek');
  });

  it('submits the draft with a valid-from date and a note', async () => {
    const { page } = editorTab;
    await page.click('#tab-approval');
    await page.waitForSelector('#submit-valid-from');
    await page.fill('#submit-valid-from', '2030-01-01');
    await page.fill('#submit-note', 'Eerst een gesprek bij A1');
    await page.click('#submit-draft');
    await expect.poll(async () => (await admin<{ status?: string }>('GET', `/api/v1/tables/${TABLE}/draft`)).data.status).toBe('submitted');
    await expect.poll(() => page.locator('#appr-state').textContent()).toBe('Status: Ter vaststelling aangeboden');
    await shot(page, 'flow-04-submitted');
    // Four eyes: the author holds the approver role but cannot approve their own draft, in the editor nor through the API.
    expect(await page.locator('#approve-draft').isDisabled()).toBe(true);
    expect(await page.locator('#approve-why').textContent()).toContain('u hebt het zelf bewerkt (redacteur)');
    const self = apiClient(hx, EDITOR.username, EDITOR.password);
    const { revision } = (await self<{ revision: number }>('GET', `/api/v1/tables/${TABLE}/draft`)).data;
    const refused = await self<{ error?: { code?: string }; code?: string }>('POST', `/api/v1/tables/${TABLE}/draft/approve`, { revision });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.data)).toContain('FOUR_EYES');
    expect(unexpected(editorTab)).toEqual([]);
  });

  it('approves as a second user with the approver role', async () => {
    approverTab = await openTab(hx, '/');
    const { page } = approverTab;
    await loginInBrowser(hx, page, APPROVER.username, APPROVER.password);
    await page.goto(`/#/t/${TABLE}/approval`);
    await page.waitForSelector('#approve-draft');
    expect(await page.locator('#approve-draft').isDisabled()).toBe(false);
    await page.click('#approve-draft');
    // Approving asks first, naming the version and its start date.
    await page.waitForSelector('.confirm-form');
    expect(await page.locator('.confirm-form p').textContent()).toContain('Versie 3 vaststellen, geldig vanaf 01-01-2030?');
    await page.click('.confirm-form button[type=submit]');
    await page.waitForSelector('#approved-message');
    expect(await page.locator('#approved-message').textContent()).toBe('Vastgesteld: versie 3 geldt vanaf 01-01-2030.');
    // The panel now shows the table without a draft: nothing left to approve.
    await expect.poll(() => page.locator('#appr-state').textContent()).toBe('Status: Er is geen concept.');
    expect(await page.locator('#approve-draft').count()).toBe(0);
    await shot(page, 'flow-05-approved');
    expect(unexpected(approverTab)).toEqual([]);
  });

  it('answers with the new version through POST /api/v1/evaluate', async () => {
    const res = await admin<{ version: number; output: Record<string, unknown>; matched: string[] }>('POST', `/api/v1/evaluate/${TABLE}`, { input: { gedrag: 'A', gevolgen: 1 }, date: '2030-02-01' });
    expect(res.status).toBe(200);
    expect(res.data.version).toBe(3);
    expect(res.data.output.interventie).toBe('Eerst een gesprek');
    expect(res.data.matched).toEqual(['A1']);
    const before = await admin<{ version: number }>('POST', `/api/v1/evaluate/${TABLE}`, { input: { gedrag: 'A', gevolgen: 1 }, date: '2029-12-31' });
    // Before it, version 2 (version 1 marked public for the register, from 2026-12-03).
    expect(before.data.version).toBe(2);
  });
});
