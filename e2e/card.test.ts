// The table card and roles as an advisor, a viewer and an approver meet them, in real Chromium against a real server:
// the card (description, owner, review date, confidence, sources) edited in its form, saved with the draft's
// revision and shown above the grid after a reload; a stale card edit meets the conflict message; the register
// filtered by owner, domain and "review date passed" with counts, by keyboard, kept in the address; a viewer's
// read-only editor on every screen; an approver without editor rights who sees what they may do.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionTable } from '../server/engine/types.ts';
import { addUser, apiClient, axeViolations, loginInBrowser, openTab, shot, startLoggedIn, type Harness, type Tab } from './harness.ts';

const TABLE = 'handhaving.interventiematrix';
const SUBMITTED = 'handhaving.gedrag';
let hx: Harness;
let tab: Tab;
let admin: ReturnType<typeof apiClient>;

interface DraftBody {
  revision: number;
  table: DecisionTable;
}
interface Summary {
  id: string;
  owner: string | null;
  reviewBy: string | null;
}

beforeAll(async () => {
  ({ hx, tab } = await startLoggedIn());
  admin = apiClient(hx);
}, 180_000);

afterAll(async () => {
  await hx?.close();
});

const inTwoDays = (): string => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
const draft = async (id = TABLE) => (await admin<DraftBody>('GET', `/api/v1/tables/${id}/draft`)).data;

describe('the table card', () => {
  it('shows the description, owner, review date, confidence and sources above the grid', async () => {
    const { page } = tab;
    await page.goto(`/#/t/${TABLE}/grid`);
    await page.waitForSelector('#rules-grid [role=gridcell]');
    const table = (await draft()).table;
    expect(await page.locator('#card-description').textContent()).toBe(table.description);
    expect(await page.locator('#card-owner-value').textContent()).toBe(table.meta!.owner);
    expect(await page.locator('#card-confidence-value').textContent()).toContain(`(${table.meta!.confidence})`);
    expect(await page.locator('#table-sources').textContent()).toContain(table.meta!.source);
    // The card is above the grid.
    const cardBox = (await page.locator('#table-card').boundingBox())!;
    const gridBox = (await page.locator('#rules-grid').boundingBox())!;
    expect(cardBox.y + cardBox.height).toBeLessThan(gridBox.y);
    await shot(page, 'card-01-shown');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('edits owner, review date, confidence and a source in the form, saves them into the draft and shows them after a reload', async () => {
    const { page } = tab;
    await page.click('#card-edit');
    await page.waitForSelector('dialog.modal #card-owner');
    await page.fill('#card-owner', 'Team Toezicht');
    // A day that does not exist is refused, with the field named and nothing saved.
    await page.fill('#card-review-by', '31-02-2026');
    await page.click('#card-apply');
    await expect.poll(() => page.locator('#card-error').textContent()).toContain("Herzien vóór: '31-02-2026' is geen datum");
    expect(await page.locator('#card-review-by').getAttribute('aria-invalid')).toBe('true');
    expect((await draft()).revision).toBe(0);
    await page.fill('#card-review-by', '01-02-2020');
    await page.selectOption('#card-confidence', 'M');
    expect(await page.locator('#card-confidence-help').textContent()).toContain('aannemelijke lezing');
    // A new source with a wrong BWB id: the row and the field are named.
    const rowsBefore = await page.locator('.card-src-row').count();
    await page.click('#card-source-add');
    const n = rowsBefore;
    await page.fill(`#card-src-${n}-target`, 'BWB123');
    await page.fill(`#card-src-${n}-article`, '5:31');
    await page.fill(`#card-src-${n}-title`, 'Awb');
    await page.click('#card-apply');
    await expect.poll(() => page.locator('.card-src-problem').textContent()).toBe(`Bron ${n + 1}: een BWB-id is BWBR met 7 cijfers, bijvoorbeeld BWBR0005537.`);
    expect(await page.locator(`#card-src-${n}-target`).getAttribute('aria-invalid')).toBe('true');
    await page.fill(`#card-src-${n}-target`, 'BWBR0005537');
    // A second, a URL with a space in it: named by its row; removed again with its own button.
    await page.click('#card-source-add');
    await page.selectOption(`#card-src-${n + 1}-kind`, 'url');
    expect(await page.locator(`#card-src-${n + 1}-article`).count()).toBe(0);
    await page.fill(`#card-src-${n + 1}-target`, 'https://www.enschede.nl/beleid handhaving');
    await page.click('#card-apply');
    await expect.poll(() => page.locator('.card-src-problem').textContent()).toBe(`Bron ${n + 2}: een adres begint met http:// of https:// en bevat geen spaties.`);
    await page.click(`button[aria-label="Bron ${n + 2} verwijderen"]`);
    expect(await page.locator('.card-src-row').count()).toBe(n + 1);
    // The link it makes is shown in the form as soon as the row is right.
    expect(await page.locator('.card-src-row').nth(n).locator('a').getAttribute('href')).toBe('https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=5:31');
    await shot(page, 'card-02-form');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('#card-apply');
    await expect.poll(async () => (await draft()).revision).toBe(1);
    expect(await page.locator('dialog.modal').count()).toBe(0);
    const saved = (await draft()).table.meta!;
    expect(saved).toMatchObject({ owner: 'Team Toezicht', reviewBy: '2020-02-01', confidence: 'M' });
    expect(saved.sources!.at(-1)).toEqual({ kind: 'bwb', id: 'BWBR0005537', article: '5:31', title: 'Awb' });
    await expect.poll(() => page.locator('.state-line').textContent()).toContain('revisie 1');

    await page.reload();
    await page.waitForSelector('#rules-grid [role=gridcell]');
    expect(await page.locator('#card-owner-value').textContent()).toBe('Team Toezicht');
    expect(await page.locator('#card-review-value').textContent()).toBe('01-02-2020herziendatum verstreken');
    expect(await page.locator('#card-review-passed').isVisible()).toBe(true);
    expect(await page.locator('#card-confidence-value').textContent()).toBe('Aannemelijk (M) De regels zijn een aannemelijke lezing van het beleid, nog niet formeel bevestigd.');
    expect(await page.locator('#table-sources a', { hasText: 'Awb, artikel 5:31' }).getAttribute('href')).toBe('https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=5:31');
    await shot(page, 'card-03-saved');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('refuses a card edit over a newer draft with the conflict message and overwrites nothing', async () => {
    const { page } = tab;
    // Someone else saves the draft meanwhile.
    const d = await draft();
    const other = structuredClone(d.table);
    other.meta = { ...other.meta, owner: 'Iemand anders' };
    expect((await admin('PUT', `/api/v1/tables/${TABLE}/draft`, { table: other }, { 'If-Match': String(d.revision) })).status).toBe(200);
    await page.click('#card-edit');
    await page.fill('#card-owner', 'Mijn team');
    await page.click('#card-apply');
    await page.waitForSelector('.banner-danger:not([hidden])');
    expect(await page.locator('.banner-danger').textContent()).toContain('Iemand anders heeft dit concept intussen gewijzigd');
    expect((await draft()).table.meta!.owner).toBe('Iemand anders');
    await shot(page, 'card-04-conflict');
    // Reloading shows the other person's card.
    page.once('dialog', (dlg) => void dlg.accept());
    await page.locator('.banner-danger button', { hasText: 'Opnieuw laden' }).click();
    await expect.poll(() => page.locator('#card-owner-value').textContent()).toBe('Iemand anders');
  });
});

describe('the register filters', () => {
  it('filters by owner, domain and review date passed, with counts, by keyboard, and keeps them in the address', async () => {
    const { page } = tab;
    // A table whose review date has passed (the register shows the card of the version in force, or of a new table's
    // first draft): the seeded rules are all up to date.
    const created = await admin('POST', '/api/v1/tables', {
      table: {
        id: 'handhaving.herziening-test',
        title: 'Herziening verstreken',
        hitPolicy: 'UNIQUE',
        meta: { owner: 'Team Toezicht', reviewBy: '2020-01-01' },
        inputs: [{ name: 'invoer', type: 'string' }],
        outputs: [{ name: 'uitkomst', type: 'string' }],
        rules: [{ id: 'R1', when: {}, then: { uitkomst: '""' } }],
      },
    });
    expect(created.status).toBe(201);
    const list = (await admin<{ tables: Summary[] }>('GET', '/api/v1/tables')).data.tables;
    const today = new Date().toISOString().slice(0, 10);
    const toezicht = list.filter((s) => s.owner === 'Team Toezicht');
    const handhaving = list.filter((s) => s.id.startsWith('handhaving.'));
    await page.goto('/#/');
    await page.reload();
    await page.waitForSelector('table.catalogue tbody tr[data-table]');
    expect(await page.locator('#cat-owner option[value="Team Toezicht"]').textContent()).toBe(`Team Toezicht (${toezicht.length})`);
    expect(await page.locator('#cat-domain option[value="handhaving"]').textContent()).toBe(`handhaving (${handhaving.length})`);
    const overdue = list.filter((s) => s.reviewBy && s.reviewBy < today);
    expect(await page.locator('label.check').textContent()).toContain(`Alleen herziendatum verstreken (${overdue.length})`);

    // By keyboard: Tab from the domain filter to the owner filter, arrows to choose.
    await page.focus('#cat-domain');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cat-owner');
    await page.keyboard.press('ArrowDown');
    const first = [...new Set(list.map((s) => s.owner).filter((o): o is string => Boolean(o)))].sort((a, b) => a.localeCompare(b, 'nl'))[0]!;
    await expect.poll(() => page.locator('#cat-owner').inputValue()).toBe(first);
    await expect.poll(() => page.locator('table.catalogue tbody tr[data-table]').count()).toBe(list.filter((s) => s.owner === first).length);
    await page.selectOption('#cat-owner', 'Team Toezicht');
    await expect.poll(() => page.locator('table.catalogue tbody tr[data-table]').count()).toBe(toezicht.length);
    const owners = await page.locator('table.catalogue tbody tr[data-table] td:nth-child(5)').allTextContents();
    expect(new Set(owners)).toEqual(new Set(['Team Toezicht']));
    expect(await page.locator('#cat-count').textContent()).toBe(`${toezicht.length} van ${list.length} beslistabellen`);
    expect(page.url()).toContain('#/?owner=Team+Toezicht');

    await page.selectOption('#cat-owner', '');
    await page.selectOption('#cat-domain', 'handhaving');
    await page.focus('#cat-overdue');
    await page.keyboard.press('Space');
    const both = handhaving.filter((s) => s.reviewBy && s.reviewBy < today);
    expect(both.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('table.catalogue tbody tr[data-table]').count()).toBe(both.length);
    expect(page.url()).toContain('domain=handhaving');
    expect(page.url()).toContain('overdue=1');
    await shot(page, 'card-05-register-filtered');
    expect(await axeViolations(page)).toEqual([]);

    // The address brings the filters back (a bookmark, a shared link, the back button).
    await page.reload();
    await page.waitForSelector('table.catalogue tbody');
    await expect.poll(() => page.locator('#cat-domain').inputValue()).toBe('handhaving');
    expect(await page.locator('#cat-overdue').isChecked()).toBe(true);
    expect(await page.locator('table.catalogue tbody tr[data-table]').count()).toBe(both.length);
    await page.click('#cat-reset');
    await expect.poll(() => page.locator('table.catalogue tbody tr[data-table]').count()).toBe(list.length);
    expect(page.url()).toMatch(/#\/$/);
  });
});

describe('roles visible', () => {
  it('gives a viewer a read-only editor on every screen, with the note why: grid, card, JSON, fixtures, column dialog, Excel', async () => {
    const viewer = { username: 'lezer', password: 'lezer-wachtwoord-1' };
    await addUser(hx, admin, viewer, ['viewer']);
    const viewerTab = await openTab(hx, '/');
    const { page } = viewerTab;
    await loginInBrowser(hx, page, viewer.username, viewer.password);
    await page.goto(`/#/t/${TABLE}/grid`);
    await page.waitForSelector('#view-only-note');
    expect(await page.locator('#view-only-note').textContent()).toContain('daarvoor is de rol editor nodig');
    expect(await page.locator('#save-draft').count()).toBe(0);
    expect(await page.locator('#card-edit').count()).toBe(0);
    expect(await page.locator('#excel-upload').count()).toBe(0);
    expect(await page.locator('#card-owner-value').textContent()).toBe((await draft()).table.meta!.owner);
    // The column dialog does not open: a double click on a column header changes nothing.
    await page.locator('#rules-grid [role=columnheader]').nth(1).dblclick();
    expect(await page.locator('dialog.modal').count()).toBe(0);
    await shot(page, 'card-06-viewer-grid');
    expect(await axeViolations(page)).toEqual([]);

    // JSON: Monaco is read-only; typing changes nothing and nothing asks to be saved.
    await page.click('#tab-json');
    await page.waitForSelector('.monaco-editor');
    const before = await page.locator('.monaco-editor .view-lines').textContent();
    await page.click('.monaco-editor .view-lines');
    await page.keyboard.type('xyz');
    expect(await page.locator('.monaco-editor .view-lines').textContent()).toBe(before);
    expect(await page.locator('#unsaved').count()).toBe(0);

    // Fixtures: the server lets only testers and editors read them; the tab is not offered instead of opening onto a refusal.
    expect(await page.locator('#tab-fixtures').count()).toBe(0);
    await page.goto(`/#/t/${TABLE}/fixtures`);
    await page.waitForSelector('#tab-grid[aria-current=page]');
    expect(await page.locator('#tab-body').textContent()).not.toContain('geen bevoegdheid');

    // The simulator: trying cases is fine, saving one as a fixture is not offered.
    await page.click('#tab-simulate');
    await page.waitForSelector('#sim-run');
    expect(await page.locator('#sim-save-fixture').count()).toBe(0);
    expect(viewerTab.errors).toEqual([]);
    await viewerTab.context.close();
  });

  it('shows an approver without editor rights the submitted draft read-only with approve and reject up front', async () => {
    // An author changes and submits a draft. (Not admin: admin created the approver's account, and four eyes does
    // not let an approver decide on the work of whoever made their account.)
    const author = { username: 'opsteller', password: 'opsteller-wachtwoord-1' };
    await addUser(hx, admin, author, ['editor']);
    const asAuthor = apiClient(hx, author.username, author.password);
    const d = await draft(SUBMITTED);
    const changed = structuredClone(d.table);
    changed.description = `${changed.description ?? ''} Herzien.`;
    expect((await asAuthor('PUT', `/api/v1/tables/${SUBMITTED}/draft`, { table: changed }, { 'If-Match': String(d.revision) })).status).toBe(200);
    const submitted = await asAuthor('POST', `/api/v1/tables/${SUBMITTED}/draft/submit`, { validFrom: inTwoDays(), note: 'Omschrijving bijgewerkt' });
    expect(submitted.status).toBe(200);

    const approver = { username: 'vaststeller', password: 'vaststeller-wachtwoord-1' };
    await addUser(hx, admin, approver, ['approver']);
    const approverTab = await openTab(hx, '/');
    const { page } = approverTab;
    await loginInBrowser(hx, page, approver.username, approver.password);
    await page.goto(`/#/t/${SUBMITTED}/grid`);
    await page.waitForSelector('#role-note');
    expect(await page.locator('#role-note').textContent()).toContain('Dit concept is door opsteller ter vaststelling aangeboden en wacht op uw beoordeling');
    expect(await page.locator('#role-note').textContent()).toContain('wijzigen vraagt de rol editor');
    expect(await page.locator('#save-draft').count()).toBe(0);
    expect(await page.locator('#card-edit').count()).toBe(0);
    expect(await page.locator('#view-only-pill').textContent()).toBe('Alleen lezen');
    await shot(page, 'card-08-approver-grid');
    expect(await axeViolations(page)).toEqual([]);

    await page.click('#approver-review-link');
    await page.waitForSelector('#approve-draft');
    expect(await page.locator('#approve-draft').isDisabled()).toBe(false);
    expect(await page.locator('#reject-draft').isDisabled()).toBe(false);
    expect(await page.locator('#approve-why').count()).toBe(0);
    await shot(page, 'card-09-approver-approval');
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#reject-reason', 'Graag eerst de indicatoren nalopen.');
    await page.click('#reject-draft');
    // Rejected: the draft is back with its author, and the note says what the approver may do now.
    await expect.poll(() => page.locator('#role-note').textContent()).toContain('U bent vaststeller: u ziet deze beslistabel alleen lezend');
    expect((await draft(SUBMITTED)).table.description).toBe(changed.description);
    expect(approverTab.errors).toEqual([]);
    await approverTab.context.close();
  });

  it('tells an approver who edited the draft that another approver decides (four eyes)', async () => {
    const { page } = tab;
    // Admin (editor and approver) takes the rejected draft on, changes and submits it.
    const d = await draft(SUBMITTED);
    const changed = structuredClone(d.table);
    changed.description = `${changed.description ?? ''} Indicatoren nagelopen.`;
    expect((await admin('PUT', `/api/v1/tables/${SUBMITTED}/draft`, { table: changed }, { 'If-Match': String(d.revision) })).status).toBe(200);
    expect((await admin('POST', `/api/v1/tables/${SUBMITTED}/draft/submit`, { validFrom: inTwoDays(), note: 'Nagelopen' })).status).toBe(200);
    await page.goto(`/#/t/${SUBMITTED}/grid`);
    await page.waitForSelector('#role-note');
    expect(await page.locator('#role-note').textContent()).toBe(
      'U bent vaststeller, maar dit concept hebt u zelf bewerkt of aangeboden: een andere vaststeller beslist erover (vier ogen). Wijzigen kan pas als het is ingetrokken.',
    );
    // A change typed anyway is not sent: saving says why, instead of a refusal mistaken for someone else's edit.
    await page.locator('#rules-grid [role=gridcell]').nth(1).click();
    await page.keyboard.type('false');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#unsaved');
    expect(await page.locator('#save-draft').isDisabled()).toBe(true);
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.locator('.banner-danger').textContent()).toContain('Wijzigen kan pas als het is ingetrokken');
    expect(await page.locator('.banner-danger').textContent()).not.toContain('Iemand anders');
    expect((await draft(SUBMITTED)).revision).toBe(d.revision + 2);
    // The submitted draft is frozen: no card to edit until it is withdrawn or decided.
    expect(await page.locator('#card-edit').count()).toBe(0);
    await page.click('#tab-approval');
    await page.waitForSelector('#approve-draft');
    expect(await page.locator('#approve-draft').isDisabled()).toBe(true);
    expect(await page.locator('#approve-why').textContent()).toContain('u hebt het zelf bewerkt');
    await shot(page, 'card-10-approver-own');
    expect(await axeViolations(page)).toEqual([]);
  });

  it('offers a viewer no action they may not take: no Archiveren tab, no decide, impact or fixture buttons, each with a note why', async () => {
    // The draft of SUBMITTED waits for a decision (submitted by admin in the test before).
    expect((await draft(SUBMITTED) as unknown as { status?: string }).status).toBe('submitted');
    const viewerTab = await openTab(hx, '/');
    const { page } = viewerTab;
    await loginInBrowser(hx, page, 'lezer', 'lezer-wachtwoord-1');
    await page.goto(`/#/t/${SUBMITTED}/grid`);
    await page.waitForSelector('#view-only-note');
    expect(await page.locator('#tab-archive').count()).toBe(0);
    expect(await page.locator('nav.tabs').textContent()).not.toContain('Archiveren');
    // The logged decisions are for editors and approvers: no Besluiten tab to open onto a refusal.
    expect(await page.locator('#tab-decisions').count()).toBe(0);
    // A link into the tab shows the grid instead of a form the server would refuse.
    await page.goto(`/#/t/${SUBMITTED}/archive`);
    await page.waitForSelector('#tab-grid[aria-current=page]');
    expect(await page.locator('#archive-form').count()).toBe(0);

    await page.click('#tab-approval');
    await page.waitForSelector('#approve-why');
    expect(await page.locator('#approve-why').textContent()).toBe('U kunt dit concept en het rapport bekijken; vaststellen of afwijzen vraagt de rol vaststeller.');
    for (const button of ['#approve-draft', '#reject-draft', '#reject-reason', '#withdraw-draft', '#discard-draft', '#impact-run', '#comment-post', '#submit-draft']) {
      expect(await page.locator(button).count(), button).toBe(0);
    }
    expect(await page.locator('#appr-fixtures-role').textContent()).toContain('tester, editor of vaststeller');
    expect(await page.locator('#impact-role').textContent()).toContain('editor of vaststeller');
    // Nothing was asked that the server refuses: no error on the screen.
    expect(await page.locator('.form-error:not(:empty)').count()).toBe(0);
    await shot(page, 'card-11-viewer-approval');
    expect(await axeViolations(page)).toEqual([]);
    expect(viewerTab.errors).toEqual([]);
    await viewerTab.context.close();

    // An approver without editor rights has the Archiveren tab: no form to ask with, but what they may do there.
    const approverTab = await openTab(hx, '/');
    await loginInBrowser(hx, approverTab.page, 'vaststeller', 'vaststeller-wachtwoord-1');
    await approverTab.page.goto(`/#/t/${TABLE}/archive`);
    await approverTab.page.waitForSelector('#archive-approver-only');
    expect(await approverTab.page.locator('#archive-approver-only').textContent()).toContain('u beoordeelt zo’n verzoek als vaststeller');
    expect(await approverTab.page.locator('#archive-form').count()).toBe(0);
    await shot(approverTab.page, 'card-12-approver-archive');
    expect(await axeViolations(approverTab.page)).toEqual([]);
    expect(approverTab.errors).toEqual([]);
    await approverTab.context.close();
  });
});
