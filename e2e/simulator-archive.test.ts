// The simulator decides a chain as the server does (issue 20): a required table archived from a date gives no
// decision for a case dated on or after it, in the browser's own simulation and on the server alike, while an
// earlier date still decides. Real Chromium against a real server loaded from rules/ and fixtures/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, apiClient, axeViolations, loginInBrowser, openTab, shot, startHarness, type Harness, type Tab } from './harness.ts';

const LADDER = 'handhaving.interventieladder';
const MATRIX = 'handhaving.interventiematrix';
const ARCHIVE_DATE = '2027-01-01';
const ADVISOR = { username: 'adviseur', password: 'adviseur-wachtwoord-1' };
const APPROVER = { username: 'vaststeller', password: 'vaststeller-wachtwoord-1' };
let hx: Harness;
let tab: Tab;

beforeAll(async () => {
  hx = await startHarness();
  const admin = apiClient(hx);
  await addUser(hx, admin, ADVISOR, ['editor']);
  await addUser(hx, admin, APPROVER, ['approver']);
  // The matrix the ladder requires is archived from 1 January 2027: asked by an advisor, approved by another person.
  const asked = await apiClient(hx, ADVISOR.username, ADVISOR.password)<{ revision: number }>('POST', `/api/v1/tables/${MATRIX}/archive`, { validFrom: ARCHIVE_DATE, note: 'Vervangen door de nieuwe handhavingsstrategie' });
  expect(asked.status).toBe(201);
  const approved = await apiClient(hx, APPROVER.username, APPROVER.password)('POST', `/api/v1/tables/${MATRIX}/archive/approve`, { revision: asked.data.revision });
  expect(approved.status, JSON.stringify(approved.data)).toBe(201);
  tab = await openTab(hx, '/');
  await loginInBrowser(hx, tab.page);
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

describe('the simulator and an archived required table', () => {
  it('gives no decision on or after the archive date, as the server, and decides before it', async () => {
    const { page } = tab;
    await page.goto(`/#/t/${LADDER}/simulate`);
    // The chain is fetched when the panel opens: the matrix's own inputs then join the form.
    await page.waitForSelector('#sim-required');
    await page.locator('.server-eval summary').click();
    const error = page.locator('#sim-result .form-error');

    await page.fill('#sim-date', '01-01-2027');
    await page.click('#sim-run');
    await expect.poll(() => error.textContent()).toBe(`Kan niet beslissen: de vereiste tabel ${MATRIX} is gearchiveerd per 01-01-2027 en geeft voor deze datum geen besluit.`);
    // The server refuses the same case for the same reason.
    await page.click('#sim-server');
    await expect.poll(() => page.locator('#sim-server-result').textContent()).toContain('gearchiveerd');
    await shot(page, 'sim-archive-01-refused');
    const v = await axeViolations(page);
    expect(v.map((x) => `${x.id}: ${x.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

    // The day before, the matrix still decides: the chain runs, here and on the server.
    await page.fill('#sim-date', '31-12-2026');
    // The matrix runs again: it asks for its own inputs, no longer refusing as archived.
    await expect.poll(() => error.textContent()).toBe(`Kan niet beslissen: ${MATRIX}: de invoer is niet in orde (2 problemen)`);
    // The ladder's own inputs (the quadrant, input 3, comes from the matrix) and the matrix's.
    for (const id of ['#sim-in-0', '#sim-in-1', '#sim-in-2', '#sim-in-4', '#sim-req-0', '#sim-req-1']) await page.selectOption(id, { index: 1 });
    await expect.poll(async () => ((await error.count()) === 0 ? '' : error.textContent())).toBe('');
    await expect.poll(() => page.locator('#sim-matched').count()).toBe(1);
    await page.click('#sim-server');
    await expect.poll(() => page.locator('#sim-server-result').textContent()).not.toContain('gearchiveerd');
    await shot(page, 'sim-archive-02-before');
    // GET …/archive answers 404 for a table that was never archived (the library reads that as none); nothing else.
    expect(tab.errors.filter((e) => !e.includes('status of 404'))).toEqual([]);
  });
});
