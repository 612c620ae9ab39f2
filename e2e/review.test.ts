// The review as people do it, in real Chromium against a real server: the author submits with a note; the approver
// finds it under "Te beoordelen", sees the note, the gate's warnings and the start date, comments and rejects with a
// reason; the author sees the reason (on the table and in the register) and the comment, fixes the draft and submits
// again; the approver approves after a confirmation naming version and start date. The author can approve at no point.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, apiClient, loginInBrowser, openTab, shot, startHarness, type Harness, type Tab } from './harness.ts';

const TABLE = 'handhaving.interventiematrix';
const AUTHOR = { username: 'auteur', password: 'auteur-wachtwoord-1' };
const APPROVER = { username: 'beoordelaar', password: 'beoordelaar-wachtwoord-1' };
const NOTE = 'Toelichting bij A1 aangescherpt';
const COMMENT = 'Waarom alleen regel A1? Graag ook de bron noemen.';
const REASON = 'De toelichting noemt de bron niet.';
let hx: Harness;
let author: ReturnType<typeof apiClient>;
let authorTab: Tab;
let approverTab: Tab;

interface DraftBody {
  revision: number;
  status: string;
  table: { rules: { note?: string }[] };
}

/** The author changes a rule's note through the API (the grid has its own browser tests) and saves. */
async function editNote(note: string): Promise<void> {
  const d = (await author<DraftBody>('GET', `/api/v1/tables/${TABLE}/draft`)).data;
  const table = structuredClone(d.table);
  table.rules[0]!.note = note;
  const r = await author('PUT', `/api/v1/tables/${TABLE}/draft`, { table }, { 'If-Match': String(d.revision) });
  expect(r.status).toBe(200);
}

/** The author cannot approve: the button is disabled with the reason, and the API refuses (four eyes). */
async function authorCannotApprove(): Promise<void> {
  const d = (await author<DraftBody>('GET', `/api/v1/tables/${TABLE}/draft`)).data;
  const r = await author<{ error: { code: string } }>('POST', `/api/v1/tables/${TABLE}/draft/approve`, { revision: d.revision });
  expect(r.status).toBe(403);
  expect(r.data.error.code).toBe('FOUR_EYES');
}

async function submitInBrowser(page: Tab['page'], note: string): Promise<void> {
  await page.goto(`/#/t/${TABLE}/approval`);
  await page.waitForSelector('#submit-valid-from');
  await page.fill('#submit-valid-from', '2030-01-01');
  await page.fill('#submit-note', note);
  await page.click('#submit-draft');
  await expect.poll(() => page.locator('#appr-state').textContent()).toBe('Status: Ter vaststelling aangeboden');
}

beforeAll(async () => {
  hx = await startHarness();
  const admin = apiClient(hx);
  // The author holds the approver role too: four eyes must still keep them from approving their own draft.
  await addUser(hx, admin, AUTHOR, ['editor', 'approver']);
  await addUser(hx, admin, APPROVER, ['approver']);
  author = apiClient(hx, AUTHOR.username, AUTHOR.password);
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

describe('the review', () => {
  it('the author submits with a note and cannot approve it', async () => {
    await editNote('Aanspreken, met bron: LHS 2024');
    authorTab = await openTab(hx, '/');
    const { page } = authorTab;
    await loginInBrowser(hx, page, AUTHOR.username, AUTHOR.password);
    await submitInBrowser(page, NOTE);
    expect(await page.locator('#submission-note').textContent()).toContain(NOTE);
    expect(await page.locator('#approve-draft').isDisabled()).toBe(true);
    expect(await page.locator('#approve-why').textContent()).toContain('u hebt het zelf bewerkt');
    await shot(page, 'review-01-submitted');
    await authorCannotApprove();
  });

  it('the approver finds it under Te beoordelen, sees note, warnings and start date, comments and rejects with a reason', async () => {
    approverTab = await openTab(hx, '/');
    const { page } = approverTab;
    await loginInBrowser(hx, page, APPROVER.username, APPROVER.password);
    await page.waitForSelector('#inbox-list');
    expect(await page.locator('#inbox-title').textContent()).toBe('Te beoordelen (1)');
    expect(await page.locator('#inbox-list li').textContent()).toContain(`aangeboden door ${AUTHOR.username}`);
    expect(await page.locator('#inbox-list li').textContent()).toContain('geldig vanaf 01-01-2030');
    await shot(page, 'review-02-inbox');
    await page.click('#inbox-list a');
    await page.waitForSelector('#approve-draft');
    expect(await page.locator('#submission-note').textContent()).toBe(`Toelichting van de indiener: ${NOTE}`);
    expect(await page.locator('#review-valid-from').textContent()).toBe('Geldig vanaf: 01-01-2030');
    // The gate's warnings at submission reach the approver (here: rules no test case reaches).
    await expect.poll(() => page.locator('#submission-warnings li').count()).toBeGreaterThan(0);
    expect(await page.locator('#submission-warnings').textContent()).toMatch(/Geen testgeval bereikt regel \S+ van het concept\./);
    expect(await page.locator('#review-revision').textContent()).toMatch(/U beoordeelt revisie \d+; vastgesteld wordt versie 3 met inhoudshash [0-9a-f]{12}/);
    await shot(page, 'review-03-approver-sees');

    await page.fill('#comment-text', COMMENT);
    await page.click('#comment-post');
    await expect.poll(() => page.locator('#comment-list li').count()).toBe(1);
    expect(await page.locator('#comment-list li').textContent()).toContain(COMMENT);
    await page.fill('#reject-reason', REASON);
    await page.click('#reject-draft');
    await expect.poll(() => page.locator('#appr-state').textContent()).toBe('Status: Concept in bewerking');
    await shot(page, 'review-04-rejected');
    expect(approverTab.errors).toEqual([]);
  });

  it('the author sees the reason on the table and in the register, and the comment; fixes and submits again', async () => {
    const { page } = authorTab;
    await page.goto('/#/');
    await page.waitForSelector(`table.catalogue tr[data-table="${TABLE}"]`);
    expect(await page.locator(`table.catalogue tr[data-table="${TABLE}"] .rejected-note`).textContent()).toBe(`afgewezen: ${REASON}`);
    await shot(page, 'review-05-register-rejected');
    await page.goto(`/#/t/${TABLE}/approval`);
    await page.waitForSelector('#rejection');
    expect(await page.locator('#rejection').textContent()).toContain(`Afgewezen door ${APPROVER.username}`);
    expect(await page.locator('#rejection').textContent()).toContain(REASON);
    expect(await page.locator('#comment-list li').textContent()).toContain(COMMENT);
    await shot(page, 'review-06-author-sees-reason');
    // Not submitted now: nothing to approve, for anyone.
    expect(await page.locator('#approve-draft').count()).toBe(0);

    // The fix, answered in the thread, and the draft submitted again.
    await editNote('Aanspreken, met bron: Landelijke Handhavingsstrategie 2024, tabel 1');
    await page.reload();
    await page.waitForSelector('#comment-text');
    await page.fill('#comment-text', 'Bron toegevoegd in de toelichting van A1.');
    await page.click('#comment-post');
    await expect.poll(() => page.locator('#comment-list li').count()).toBe(2);
    await submitInBrowser(page, `${NOTE}, met bron`);
    expect(await page.locator('#approve-draft').isDisabled()).toBe(true);
    await authorCannotApprove();
    expect(authorTab.errors).toEqual([]);
  });

  it('the approver approves after a confirmation naming version and start date', async () => {
    const { page } = approverTab;
    await page.goto('/#/');
    await page.waitForSelector('#inbox-list');
    await page.click('#inbox-list a');
    await page.waitForSelector('#approve-draft');
    expect(await page.locator('#submission-note').textContent()).toContain('met bron');
    expect(await page.locator('#comment-list li').count()).toBe(2);
    await page.click('#approve-draft');
    await page.waitForSelector('.confirm-form');
    expect(await page.locator('.confirm-form p').textContent()).toBe('Versie 3 vaststellen, geldig vanaf 01-01-2030? De impactanalyse is niet uitgevoerd.');
    await shot(page, 'review-07-confirm');
    // Cancelling changes nothing.
    await page.click('.confirm-form button[type=button]');
    await page.waitForSelector('.confirm-form', { state: 'detached' });
    expect((await author<DraftBody>('GET', `/api/v1/tables/${TABLE}/draft`)).data.status).toBe('submitted');
    await page.click('#approve-draft');
    await page.click('.confirm-form button[type=submit]');
    await page.waitForSelector('#approved-message');
    expect(await page.locator('#approved-message').textContent()).toBe('Vastgesteld: versie 3 geldt vanaf 01-01-2030.');
    await shot(page, 'review-08-approved');
    const versions = (await author<{ versions: { version: number; approvedBy: string; author: string }[] }>('GET', `/api/v1/tables/${TABLE}`)).data.versions;
    expect(versions.at(-1)).toMatchObject({ version: 3, approvedBy: APPROVER.username, author: AUTHOR.username });
    expect(approverTab.errors).toEqual([]);
  });
});
