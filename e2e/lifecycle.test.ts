// A table's lifecycle as advisors and approvers do it, in real Chromium against a real server (issue 20 points 7
// and 8): an advisor asks to archive a table from a date and cannot approve it herself; a second approver finds the
// request in the register and approves it; the register lists the table apart, old dates still get a decision and
// new ones a clear refusal. The Besluiten tab lists the decisions a table gave, filters them and opens one with its
// trace and reasoning. Every screen is checked with axe and photographed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, apiClient, axeViolations, loginInBrowser, openTab, shot, startHarness, type Harness, type Tab } from './harness.ts';

const ARCHIVED = 'campings.permanente-bewoning';
const MATRIX = 'handhaving.interventiematrix';
const ADVISOR = { username: 'adviseur', password: 'adviseur-wachtwoord-1' };
const APPROVER = { username: 'vaststeller', password: 'vaststeller-wachtwoord-1' };
let hx: Harness;
let advisorTab: Tab;
let approverTab: Tab;

beforeAll(async () => {
  hx = await startHarness();
  const admin = apiClient(hx);
  // The advisor holds the approver role too: four eyes must still keep her from approving her own request.
  await addUser(hx, admin, ADVISOR, ['editor', 'approver']);
  await addUser(hx, admin, APPROVER, ['approver']);
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

async function noAxe(page: Tab['page']): Promise<void> {
  const v = await axeViolations(page);
  expect(v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

describe('archiving a table (four eyes)', () => {
  it('the advisor asks to archive from a date, and cannot approve her own request', async () => {
    advisorTab = await openTab(hx, '/');
    const { page } = advisorTab;
    await loginInBrowser(hx, page, ADVISOR.username, ADVISOR.password);
    await page.goto(`/#/t/${ARCHIVED}/archive`);
    await page.waitForSelector('#archive-form');
    await noAxe(page);
    await page.fill('#archive-date', '2027-01-01');
    await page.fill('#archive-note', 'Vervangen door het nieuwe beleid recreatiewoningen');
    await shot(page, 'lifecycle-01-archive-form');
    await page.click('#archive-submit');
    await page.waitForSelector('#archive-request');
    expect(await page.locator('#archive-request').textContent()).toContain('archiveren per 01-01-2027');
    expect(await page.locator('#archive-own').textContent()).toContain('een andere vaststeller');
    // No approve button for the one who asked, and the API refuses her too.
    expect(await page.locator('#archive-approve').count()).toBe(0);
    const advisor = apiClient(hx, ADVISOR.username, ADVISOR.password);
    const state = (await advisor<{ request: { revision: number } }>('GET', `/api/v1/tables/${ARCHIVED}/archive`)).data;
    const r = await advisor<{ code: string }>('POST', `/api/v1/tables/${ARCHIVED}/archive/approve`, { revision: state.request.revision });
    expect(r.status).toBe(403);
    expect(r.data.code).toBe('FOUR_EYES');
    await noAxe(page);
    await shot(page, 'lifecycle-02-archive-requested');
    // The Versies tab says the request waits, for everyone who reads the table.
    await page.click('#tab-history');
    await page.waitForSelector('#hist-archive-request');
    expect(await page.locator('#hist-archive-request').textContent()).toContain('Gevraagd: archiveren per 01-01-2027, door adviseur');
  });

  it('a second approver finds the request in the register and approves it; the register lists the table apart', async () => {
    approverTab = await openTab(hx, '/');
    const { page } = approverTab;
    await loginInBrowser(hx, page, APPROVER.username, APPROVER.password);
    await page.goto('/#/');
    await page.waitForSelector('#archive-inbox');
    expect(await page.locator('#archive-inbox').textContent()).toContain('archiveren per 01-01-2027, gevraagd door adviseur');
    await page.click(`#archive-inbox li[data-table="${ARCHIVED}"] a`);
    await page.waitForSelector('#archive-approve');
    await shot(page, 'lifecycle-03-archive-review');
    await page.click('#archive-approve');
    await page.waitForSelector('.confirm-form');
    expect(await page.locator('.confirm-form p').textContent()).toContain('archiveren per 01-01-2027?');
    await page.click('.confirm-form button[type=submit]');
    await page.waitForSelector('#archive-state');
    expect(await page.locator('#archive-state').textContent()).toContain('Wordt gearchiveerd per 01-01-2027');
    expect(await page.locator('#archive-state').textContent()).toContain('vastgesteld door vaststeller');
    await noAxe(page);
    await shot(page, 'lifecycle-04-archived');

    await page.goto('/#/');
    await page.waitForSelector('#archived-tables');
    expect(await page.locator(`#archived-tables li[data-table="${ARCHIVED}"]`).textContent()).toContain('Gearchiveerd per 01-01-2027');
    // Apart: not among the active tables.
    expect(await page.locator(`table.catalogue tr[data-table="${ARCHIVED}"]`).count()).toBe(0);
    expect(await page.locator('#archive-inbox').count()).toBe(0);
    await noAxe(page);
    await page.locator('#archived-tables').scrollIntoViewIfNeeded();
    await shot(page, 'lifecycle-05-register-archived');
  });

  it('old dates still get a decision, dates from the archive date on a refusal naming the date', async () => {
    const app = apiClient(hx);
    const input = { voldoet_bouwtechnisch: true, geen_milieubezwaar: true, bewoond_sinds: '2003-01-01', onafgebroken_bewoond: true, geboortedatum: '1980-01-01', bijzondere_omstandigheden: false };
    const old = await app<{ version: number }>('POST', `/api/v1/evaluate/${ARCHIVED}`, { input, date: '2026-12-31' });
    expect(old.status).toBe(200);
    const later = await app<{ code: string; detail: string }>('POST', `/api/v1/evaluate/${ARCHIVED}`, { input, date: '2027-01-01' });
    expect(later.status).toBe(404);
    expect(later.data.code).toBe('TABLE_ARCHIVED');
    expect(later.data.detail).toContain('archived since 2027-01-01');
  });
});

describe('Besluiten: the logged decisions of a table', () => {
  it('the Versies tab shows the archive in the timeline (date, who asked, who approved) and answers dates as evaluate does', async () => {
    const { page } = approverTab;
    await page.goto(`/#/t/${ARCHIVED}/history`);
    await page.waitForSelector('#hist-table tr.archive-row');
    const row = page.locator('#hist-table tr.archive-row');
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(0, 6)).toEqual(['Archief', '01-01-2027', expect.stringMatching(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/), 'adviseur', 'vaststeller', 'Vervangen door het nieuwe beleid recreatiewoningen']);
    // The archive is the newest entry of the timeline: above every version.
    expect(await page.locator('#hist-table tbody tr').first().getAttribute('class')).toBe('archive-row');
    await page.fill('#hist-date', '01-06-2027');
    await page.click('#hist-table ~ form button[type=submit]');
    await expect.poll(() => page.locator('#hist-answer').textContent()).toBe('Op 01-06-2027 is de tabel gearchiveerd (sinds 01-01-2027): voor die datum geeft hij geen besluit.');
    await page.fill('#hist-date', '31-12-2026');
    await page.click('#hist-table ~ form button[type=submit]');
    await expect.poll(() => page.locator('#hist-answer').textContent()).toMatch(/^Op 31-12-2026 gold versie \d+/);
    await noAxe(page);
    await shot(page, 'lifecycle-05b-history-archive');
  });

  it('the Testgevallen tab runs a case dated after the archive date to the refusal, in the browser as on the server', async () => {
    const admin = apiClient(hx);
    const input = { voldoet_bouwtechnisch: true, geen_milieubezwaar: true, bewoond_sinds: '2003-01-01', onafgebroken_bewoond: true, geboortedatum: '1980-01-01', bijzondere_omstandigheden: false };
    const output = (await admin<{ output: Record<string, unknown> }>('POST', `/api/v1/evaluate/${ARCHIVED}`, { input, date: '2026-12-31' })).data.output;
    const cases = [
      { name: 'voor het archief', input, date: '2026-12-31', expect: output },
      { name: 'na het archief, oude verwachting', input, date: '2027-02-01', expect: output },
      { name: 'na het archief, geen besluit', input, date: '2027-02-01', expectError: 'TABLE_ARCHIVED' },
    ];
    const put = await admin('PUT', `/api/v1/tables/${ARCHIVED}/fixtures`, { fixtures: { table: ARCHIVED, cases }, reason: 'Archief getest' });
    expect(put.status).toBe(200);
    const server = await admin<{ cases: { name: string; pass: boolean }[] }>('POST', `/api/v1/tables/${ARCHIVED}/fixtures/run?target=newest`, {});
    expect(server.data.cases.map((c) => `${c.name}: ${c.pass}`)).toEqual(['voor het archief: true', 'na het archief, oude verwachting: false', 'na het archief, geen besluit: true']);

    const { page } = advisorTab;
    await page.goto(`/#/t/${ARCHIVED}/fixtures`);
    await page.waitForSelector('#fx-source');
    await expect.poll(() => page.locator('#fx-cases li.fx-case').count()).toBe(3);
    await expect.poll(() => page.locator('#fx-cases li.fx-case:not(.fx-pass):not(.fx-fail)').count()).toBe(0);
    expect(await page.locator('#fx-totals').textContent()).toBe('2 geslaagd, 1 mislukt');
    const failed = page.locator('#fx-cases li.fx-case.fx-fail');
    expect(await failed.locator('.fx-case-name').textContent()).toBe('na het archief, oude verwachting');
    expect(await failed.textContent()).toContain('Deze beslistabel is gearchiveerd: voor een datum vanaf de archiefdatum geeft hij geen besluit.');
    await noAxe(page);
    await shot(page, 'lifecycle-05c-fixtures-archived');
  });

  it('lists the decisions given, filters them, and opens one with its trace and reasoning', async () => {
    const app = apiClient(hx);
    const cases = [
      { gedrag: 'A', gevolgen: 1 },
      { gedrag: 'C', gevolgen: 4 },
      { gedrag: 'B', gevolgen: 2 },
      { gedrag: 'D', gevolgen: 3 },
    ];
    for (const input of cases) expect((await app('POST', `/api/v1/evaluate/${MATRIX}`, { input })).status).toBe(200);
    // The log is written off the request path: wait until the four are in.
    await expect.poll(async () => (await app<{ decisions: unknown[] }>('GET', `/api/v1/tables/${MATRIX}/decisions`)).data.decisions.length, { timeout: 10_000 }).toBe(4);

    const { page } = advisorTab;
    await page.goto(`/#/t/${MATRIX}/decisions`);
    await page.waitForSelector('#dec-table tbody tr');
    expect(await page.locator('#dec-table tbody tr').count()).toBe(4);
    expect(await page.locator('#dec-log').textContent()).toContain('bewaart alle besluiten');
    expect(await page.locator('#dec-count').textContent()).toBe('4 besluiten getoond.');
    await noAxe(page);
    await shot(page, 'lifecycle-06-decisions');

    // Search in the input: the case with gedrag C.
    await page.fill('#dec-q', '"C"');
    await page.click('#dec-apply');
    await expect.poll(() => page.locator('#dec-table tbody tr').count()).toBe(1);
    expect(await page.locator('#dec-table tbody tr td').nth(3).textContent()).toContain('gedrag: C');
    await page.click('#dec-table tbody tr button');
    await page.waitForSelector('#decision-trace');
    expect(await page.locator('#decision-input').textContent()).toContain('gevolgen');
    expect(await page.locator('#decision-matched').textContent()).toMatch(/Regels die golden: \S+/);
    expect(await page.locator('#decision-trace tr.trace-matched').count()).toBe(1);
    expect(await page.locator('#decision-reasoning-text').textContent()).toBeTruthy();
    // The focus moves to the opened decision for keyboard and screen-reader users.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('decision-title');
    await noAxe(page);
    await page.locator('#decision-detail').scrollIntoViewIfNeeded();
    await shot(page, 'lifecycle-07-decision-open');

    // A filter on a rule no case reached: nothing, said so.
    await page.fill('#dec-q', '');
    await page.fill('#dec-outcome', 'geen-zo-uitkomst');
    await page.click('#dec-apply');
    await expect.poll(() => page.locator('#dec-count').textContent()).toBe('Geen besluiten gevonden.');
  });
});

describe('changed cells in the draft', () => {
  it('marks each cell that differs from the version in force, new rules, and names removed ones, with a count', async () => {
    const { page } = await openTab(hx, '/');
    await loginInBrowser(hx, page, ADVISOR.username, ADVISOR.password);
    const table = 'handhaving.gevolgen';
    await page.goto(`/#/t/${table}/grid`);
    await page.waitForSelector('#rules-grid [role=gridcell]');
    await expect.poll(() => page.locator('#draft-changes-count').textContent()).toBe('Geen wijzigingen');
    expect(await page.locator('#rules-grid .cell-draft-changed').count()).toBe(0);

    // Change one note (plain text in every table) in the grid, as an advisor types it.
    const first = page.locator('#rules-grid .grid-row[aria-rowindex="2"] [role=gridcell].col-note');
    await first.click();
    await page.keyboard.press('F2');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Aangescherpt na evaluatie');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#draft-changes-count').textContent()).toBe('1 cel gewijzigd');
    const changed = page.locator('#rules-grid .cell-draft-changed');
    expect(await changed.count()).toBe(1);
    expect(await changed.getAttribute('aria-label')).toContain('gewijzigd ten opzichte van de geldende versie');

    // Remove the second rule and add a new one.
    const second = page.locator('#rules-grid .grid-row[aria-rowindex="3"] [role=gridcell].col-id');
    const lastId = (await second.locator('.cell-text').textContent())!.trim();
    await second.click();
    await page.click('button[aria-label="Regel verwijderen"]');
    await page.click('button[aria-label="Regel toevoegen"]');
    await expect.poll(() => page.locator('#draft-changes-count').textContent()).toBe(`1 cel gewijzigd, 1 regel toegevoegd, 1 regel verwijderd (${lastId})`);
    expect(await page.locator('#rules-grid .row-draft-added').count()).toBe(1);
    expect(await page.locator('#rules-grid .row-draft-added .col-id').getAttribute('aria-label')).toContain('nieuwe regel');
    expect(await page.locator('#draft-changes').textContent()).toContain('ten opzichte van versie 2');
    await noAxe(page);
    await page.evaluate(() => document.querySelectorAll('#rules-grid, #rules-grid *').forEach((e) => e.scrollTop > 0 && e.scrollTo(0, 0)));
    await page.waitForTimeout(200);
    await shot(page, 'lifecycle-08-changed-cells');

  });
});

