// Cells for people (issue 20 point 2), as a policy advisor edits the interventiematrix: a text typed without quotes
// is text, the allowed values come as a drop-down (keyboard too), plain text pasted from Excel is text, and the grid
// can show text without quotes. The saved table always holds the FEEL with quotes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, axeViolations, loginInBrowser, openTab, shot, startLoggedIn, type Harness, type Tab } from './harness.ts';

const TABLE = 'handhaving.interventiematrix';
const SAVED = { timeout: 15_000 };
let hx: Harness;
let tab: Tab;
let api: ReturnType<typeof apiClient>;

interface Draft {
  revision: number;
  table: { rules: { id: string; when: Record<string, string>; then: Record<string, string> }[] };
}

function cell(rule: string, column: string): string {
  return `#rules-grid [role=gridcell][aria-label^="Regel ${rule}, ${column}"]`;
}

async function cellText(rule: string, column: string): Promise<string | null> {
  return tab.page.locator(`${cell(rule, column)} .cell-text`).textContent();
}

async function saveDraft(): Promise<Draft> {
  const before = (await api<Draft>('GET', `/api/v1/tables/${TABLE}/draft`)).data.revision ?? 0;
  await tab.page.click('#save-draft');
  await expect.poll(async () => (await api<Draft>('GET', `/api/v1/tables/${TABLE}/draft`)).data.revision ?? 0, SAVED).toBeGreaterThan(before);
  return (await api<Draft>('GET', `/api/v1/tables/${TABLE}/draft`)).data;
}

beforeAll(async () => {
  ({ hx, tab } = await startLoggedIn());
  api = apiClient(hx);
  await tab.page.goto(`/#/t/${TABLE}`);
  await tab.page.waitForSelector('#rules-grid [role=gridcell]');
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

describe('cells for people', () => {
  it('takes D typed in the column of A, B, C, D for "D": saved with quotes, and the simulator fires that rule', async () => {
    const { page } = tab;
    // Swap the behaviour of A1 and D1 by typing the letters, as the column dialog lists them.
    await page.click(cell('A1', 'Gedrag van de overtreder'));
    await page.keyboard.type('D');
    // Typing opens the drop-down too; the typed letter marks its value.
    await expect.poll(() => page.locator('.cell-choices [role=option][aria-selected=true]').allTextContents()).toEqual(['☑D']);
    expect(await page.locator('.cell-editor').getAttribute('aria-invalid')).toBe('false');
    await shot(page, 'cells-01-typed-plain');
    await page.keyboard.press('Enter');
    await page.click(cell('D1', 'Gedrag van de overtreder'));
    await page.keyboard.type('A');
    await page.keyboard.press('Enter');
    expect(await cellText('A1', 'Gedrag van de overtreder')).toBe('"D"');
    expect(await cellText('D1', 'Gedrag van de overtreder')).toBe('"A"');
    await expect.poll(() => page.locator('#problem-count').textContent()).toBe('Geen fouten');
    const saved = await saveDraft();
    expect(saved.table.rules.find((r) => r.id === 'A1')!.when.gedrag).toBe('"D"');
    expect(saved.table.rules.find((r) => r.id === 'D1')!.when.gedrag).toBe('"A"');

    await page.click('#tab-simulate');
    await page.waitForSelector('#sim-in-0');
    await page.selectOption('#sim-in-0', { label: 'D' });
    await page.selectOption('#sim-in-1', { label: '1' });
    await expect.poll(() => page.locator('#sim-matched').textContent()).toBe('Passende regels: A1');
    await page.selectOption('#sim-in-0', { label: 'A' });
    await expect.poll(() => page.locator('#sim-matched').textContent()).toBe('Passende regels: D1');
    await page.click('#tab-grid');
    await page.waitForSelector('#rules-grid [role=gridcell]');
  });

  it('picks a value from the drop-down with the keyboard, several with Space, and Escape leaves the cell alone', async () => {
    const { page } = tab;
    await page.click(cell('B1', 'Gedrag van de overtreder'));
    await page.keyboard.press('Enter');
    const editor = page.locator('.cell-editor');
    const list = page.locator('.cell-choices [role=listbox]');
    await expect.poll(() => editor.getAttribute('aria-expanded')).toBe('true');
    expect(await editor.getAttribute('role')).toBe('combobox');
    expect(await list.getAttribute('aria-label')).toBe('Toegestane waarden van Gedrag van de overtreder');
    expect(await list.locator('[role=option]').allTextContents()).toEqual(['☐- (elke waarde)', '☐A', '☑B', '☐C', '☐D']);
    // ↓ goes to "-", then A, B, C: the highlighted option is the combobox's active descendant.
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    const active = await editor.getAttribute('aria-activedescendant');
    expect(await page.locator(`#${active}`).textContent()).toBe('☐C');
    await shot(page, 'cells-02-dropdown-keyboard');
    const violations = await axeViolations(page);
    expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
    await page.keyboard.press('Enter');
    expect(await cellText('B1', 'Gedrag van de overtreder')).toBe('"C"');
    expect(await page.locator('.cell-choices').isHidden()).toBe(true);
    // Enter moved down to B2, as after any edit.
    expect(await page.locator('#rules-grid [role=gridcell].active').getAttribute('aria-label')).toMatch(/^Regel B2, Gedrag/);

    // Several values: Space adds A to B; Enter confirms the two.
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect.poll(() => editor.inputValue()).toBe('"A","B"');
    expect(await list.locator('[role=option][aria-selected=true]').allTextContents()).toEqual(['☑A', '☑B']);
    expect(await list.getAttribute('aria-multiselectable')).toBe('true');
    await shot(page, 'cells-03-dropdown-multi');
    await page.keyboard.press('Enter');
    expect(await cellText('B2', 'Gedrag van de overtreder')).toBe('"A","B"');

    // Escape: nothing changes, the drop-down closes and the grid has the focus again.
    await page.click(cell('B3', 'Gedrag van de overtreder'));
    await page.keyboard.press('F2');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Escape');
    expect(await cellText('B3', 'Gedrag van de overtreder')).toBe('"B"');
    expect(await page.locator('.cell-choices').isHidden()).toBe(true);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rules-grid');

    // A click on an option picks it at once; "-" means any value.
    await page.keyboard.press('Enter');
    await page.locator('.cell-choices [role=option]', { hasText: 'elke waarde' }).click();
    await expect.poll(() => cellText('B3', 'Gedrag van de overtreder')).toBe('-');
    expect(await page.locator('.cell-choices').isHidden()).toBe(true);
    // FEEL stays possible: what is typed over the drop-down is the cell.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('not(A, B)');
    await page.keyboard.press('Enter');
    expect(await cellText('B3', 'Gedrag van de overtreder')).toBe('not("A","B")');
    const saved = await saveDraft();
    expect(saved.table.rules.find((r) => r.id === 'B1')!.when.gedrag).toBe('"C"');
    expect(saved.table.rules.find((r) => r.id === 'B2')!.when.gedrag).toBe('"A","B"');
    expect(saved.table.rules.find((r) => r.id === 'B3')!.when.gedrag).toBe('not("A","B")');
  });

  it('takes plain text pasted from Excel (two rows, through the clipboard) for text', async () => {
    const { page, context } = tab;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hx.base });
    // What Excel puts on the clipboard for two rows of Kwadrant and Interventie: tab-separated, no quotes.
    await page.evaluate(() => navigator.clipboard.writeText('2\tGesprek met de eigenaar, daarna een brief\r\n3\tLast onder dwangsom\r\n'));
    await page.click(cell('C1', 'Kwadrant'));
    await page.keyboard.press('Control+V');
    await expect.poll(() => cellText('C1', 'Interventie')).toBe('"Gesprek met de eigenaar, daarna een brief"');
    expect(await cellText('C2', 'Interventie')).toBe('"Last onder dwangsom"');
    expect(await cellText('C2', 'Kwadrant')).toBe('3');
    await page.click(cell('C3', 'Gedrag van de overtreder'));
    await page.evaluate(() => navigator.clipboard.writeText('D\r\nA, B\r\n'));
    await page.keyboard.press('Control+V');
    await expect.poll(() => cellText('C3', 'Gedrag van de overtreder')).toBe('"D"');
    expect(await cellText('C4', 'Gedrag van de overtreder')).toBe('"A","B"');
    await shot(page, 'cells-04-pasted-plain');
    expect(await page.locator('#rules-grid [role=gridcell][aria-invalid=true]').count()).toBe(0);
    const saved = await saveDraft();
    const c1 = saved.table.rules.find((r) => r.id === 'C1')!;
    expect(c1.then).toMatchObject({ kwadrant: '2', interventie: '"Gesprek met de eigenaar, daarna een brief"' });
    expect(saved.table.rules.find((r) => r.id === 'C4')!.when.gedrag).toBe('"A","B"');
  });

  it('shows text without quotes when the view setting is on, remembers it, and still saves the FEEL', async () => {
    const { page } = tab;
    const toggle = page.getByLabel('Tekst zonder aanhalingstekens');
    expect(await toggle.isChecked()).toBe(false);
    await toggle.check();
    await expect.poll(() => cellText('A2', 'Gedrag van de overtreder')).toBe('A');
    expect(await cellText('B2', 'Gedrag van de overtreder')).toBe('A, B');
    expect(await cellText('B3', 'Gedrag van de overtreder')).toBe('not(A, B)');
    expect(await cellText('C1', 'Interventie')).toBe('Gesprek met de eigenaar, daarna een brief');
    // Numbers and truth values are shown as they are.
    expect(await cellText('C1', 'Kwadrant')).toBe('2');
    await shot(page, 'cells-05-without-quotes');

    // Editing in this view: the editor shows the text without quotes too, and what is typed is text.
    await page.click(cell('A2', 'Interventie'));
    await page.keyboard.press('F2');
    expect(await page.locator('.cell-editor').inputValue()).toMatch(/^Schriftelijke waarschuwing/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Schriftelijke waarschuwing, "laatste kans"');
    await page.keyboard.press('Enter');
    expect(await cellText('A2', 'Interventie')).toBe('Schriftelijke waarschuwing, "laatste kans"');
    const saved = await saveDraft();
    expect(saved.table.rules.find((r) => r.id === 'A2')!.then.interventie).toBe('"Schriftelijke waarschuwing, \\"laatste kans\\""');

    // Remembered in this browser: after a reload the view is still without quotes.
    await page.reload();
    await page.waitForSelector('#rules-grid [role=gridcell]');
    expect(await page.getByLabel('Tekst zonder aanhalingstekens').isChecked()).toBe(true);
    expect(await cellText('A1', 'Gedrag van de overtreder')).toBe('D');
    await page.getByLabel('Tekst zonder aanhalingstekens').uncheck();
    await expect.poll(() => cellText('A1', 'Gedrag van de overtreder')).toBe('"D"');
    expect((await axeViolations(page)).map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary}`).join(', ')})`)).toEqual([]);
  });

  it('takes a typed in the column of A, B, C, D for "A", and offers a number column\'s allowed values as a drop-down', async () => {
    const { page } = tab;
    // A lower-case letter means the allowed value, not a text the column cannot hold.
    await page.click(cell('D2', 'Gedrag van de overtreder'));
    await page.keyboard.type('a');
    await expect.poll(() => page.locator('.cell-choices [role=option][aria-selected=true]').allTextContents()).toEqual(['☑A']);
    await page.keyboard.press('Enter');
    expect(await cellText('D2', 'Gedrag van de overtreder')).toBe('"A"');
    expect(await page.locator(`${cell('D2', 'Gedrag van de overtreder')}[aria-invalid=true]`).count()).toBe(0);

    // Gevolgen is a number column with the allowed values 1–4: the same drop-down, writing numbers.
    await page.click(cell('D3', 'Gevolgen van de overtreding'));
    await page.keyboard.press('Enter');
    const editor = page.locator('.cell-editor');
    const list = page.locator('.cell-choices [role=listbox]');
    await expect.poll(() => editor.getAttribute('aria-expanded')).toBe('true');
    expect(await list.getAttribute('aria-label')).toBe('Toegestane waarden van Gevolgen van de overtreding');
    expect(await list.locator('[role=option]').allTextContents()).toEqual(['☐- (elke waarde)', '☐1', '☐2', '☑3', '☐4']);
    // ↓ to 1, Space adds it to 3; ↓↓↓ to 4 and Space again: 1, 3 and 4, in the list's order.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect.poll(() => editor.inputValue()).toBe('1,3,4');
    await shot(page, 'cells-07-number-choices');
    await page.keyboard.press('Enter');
    expect(await cellText('D3', 'Gevolgen van de overtreding')).toBe('1,3,4');
    // Escape on a number cell leaves it alone.
    await page.click(cell('D4', 'Gevolgen van de overtreding'));
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Escape');
    expect(await cellText('D4', 'Gevolgen van de overtreding')).toBe('4');
    expect(await page.locator('.cell-choices').isHidden()).toBe(true);
    // Enter on a highlighted option takes that one value.
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await cellText('D4', 'Gevolgen van de overtreding')).toBe('2');
    const saved = await saveDraft();
    expect(saved.table.rules.find((r) => r.id === 'D2')!.when.gedrag).toBe('"A"');
    expect(saved.table.rules.find((r) => r.id === 'D3')!.when.gevolgen).toBe('1,3,4');
    expect(saved.table.rules.find((r) => r.id === 'D4')!.when.gevolgen).toBe('2');
  });

  it('offers the allowed values of a text outcome as a drop-down of one value, and takes a plain default as text', async () => {
    const { page } = tab;
    await page.click('button[aria-label="Uitkomst toevoegen"]');
    await page.fill('#col-name', 'zwaarte');
    await page.fill('#col-label', 'Zwaarte');
    await page.selectOption('#col-type', 'string');
    await page.fill('#col-values', 'licht\nzwaar');
    await page.fill('#col-default', 'licht');
    await page.click('form.form-grid button[type=submit]');
    await page.click(cell('A1', 'Zwaarte'));
    await page.keyboard.press('Enter');
    const list = page.locator('.cell-choices [role=listbox]');
    expect(await list.locator('[role=option]').allTextContents()).toEqual(['licht', 'zwaar']);
    expect(await list.getAttribute('aria-multiselectable')).toBeNull();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await cellText('A1', 'Zwaarte')).toBe('"zwaar"');
    await page.click(cell('A2', 'Zwaarte'));
    await page.keyboard.type('licht');
    await page.keyboard.press('Enter');
    expect(await cellText('A2', 'Zwaarte')).toBe('"licht"');
    // Every rule needs an outcome: the other fourteen pasted as a column of plain words.
    await page.click(cell('A3', 'Zwaarte'));
    await page.evaluate(() => navigator.clipboard.writeText(Array.from({ length: 14 }, (_, i) => (i % 2 ? 'zwaar' : 'licht')).join('\r\n')));
    await page.keyboard.press('Control+V');
    await expect.poll(() => page.locator('#problem-count').textContent()).toBe('Geen fouten');
    await shot(page, 'cells-06-outcome-choices');
    const saved = await saveDraft();
    const table = saved.table as unknown as { outputs: { name: string; default?: string }[] };
    expect(table.outputs.find((o) => o.name === 'zwaarte')!.default).toBe('"licht"');
    expect(saved.table.rules.find((r) => r.id === 'A1')!.then.zwaarte).toBe('"zwaar"');
    expect(tab.errors).toEqual([]);
  });

  it('offers the allowed values of a boolean and a date outcome as drop-downs', async () => {
    const { page } = tab;
    await page.click('button[aria-label="Uitkomst toevoegen"]');
    await page.fill('#col-name', 'spoed');
    await page.fill('#col-label', 'Spoed');
    await page.selectOption('#col-type', 'boolean');
    await page.fill('#col-values', 'true\nfalse');
    await page.click('form.form-grid button[type=submit]');
    await page.click(cell('A1', 'Spoed'));
    await page.keyboard.press('Enter');
    const list = page.locator('.cell-choices [role=listbox]');
    expect(await list.locator('[role=option]').allTextContents()).toEqual(['true', 'false']);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await cellText('A1', 'Spoed')).toBe('false');

    await page.click('button[aria-label="Uitkomst toevoegen"]');
    await page.fill('#col-name', 'peildatum');
    await page.fill('#col-label', 'Peildatum');
    await page.selectOption('#col-type', 'date');
    await page.fill('#col-values', '2026-01-01\n2027-01-01');
    await page.click('form.form-grid button[type=submit]');
    await page.click(cell('A1', 'Peildatum'));
    await page.keyboard.press('Enter');
    expect(await list.locator('[role=option]').allTextContents()).toEqual(['01-01-2026', '01-01-2027']);
    await page.keyboard.press('ArrowUp');
    await shot(page, 'cells-08-date-choices');
    await page.keyboard.press('Enter');
    expect(await cellText('A1', 'Peildatum')).toBe('date("2027-01-01")');
    expect(tab.errors).toEqual([]);
  });
  it('shows truth values as ja/nee in the view without quotes, and takes nee typed as false', async () => {
    // A tab of its own: the matrix above is left with unsaved edits.
    tab = await openTab(hx, '/');
    const { page } = tab;
    await loginInBrowser(hx, page);
    const SPOED = 'handhaving.spoed';
    await page.goto(`/#/t/${SPOED}`);
    await page.waitForSelector('#rules-grid [role=gridcell]');
    await page.getByLabel('Tekst zonder aanhalingstekens').check();
    await expect.poll(() => cellText('GEVAAR', 'Spoed')).toBe('ja');
    expect(await cellText('ONOMKEERBAAR', 'Acuut gevaar voor veiligheid of gezondheid')).toBe('nee');
    await page.click(cell('GEVAAR', 'Spoed'));
    await page.keyboard.press('F2');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('nee');
    await page.keyboard.press('Enter');
    expect(await cellText('GEVAAR', 'Spoed')).toBe('nee');
    await shot(page, 'cells-07-truth-words');
    const before = (await api<Draft>('GET', `/api/v1/tables/${SPOED}/draft`)).data?.revision ?? 0;
    await page.click('#save-draft');
    await expect.poll(async () => (await api<Draft>('GET', `/api/v1/tables/${SPOED}/draft`)).data?.revision ?? 0, SAVED).toBeGreaterThan(before);
    const saved = (await api<Draft>('GET', `/api/v1/tables/${SPOED}/draft`)).data;
    expect(saved.table.rules.find((r) => r.id === 'GEVAAR')!.then.spoed).toBe('false');
    // The FEEL view shows the FEEL.
    await page.getByLabel('Tekst zonder aanhalingstekens').uncheck();
    await expect.poll(() => cellText('GEVAAR', 'Spoed')).toBe('false');
    expect(tab.errors).toEqual([]);
  });
});
