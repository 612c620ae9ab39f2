// The public register as a resident uses it (issue 23 point 3), in real Chromium against a real server loaded from
// rules/ and fixtures/: no login, keyboard only — open /register, Tab to a table, open its try-it form, answer the
// questions, send, read the outcome and its reasoning —, axe clean on every page, in Dutch and in English, and the
// printable view. Screenshots go to test-results/screenshots/register-*.png.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, openTab, shot, startHarness, type Harness, type Tab } from './harness.ts';

let hx: Harness;
let tab: Tab;

beforeAll(async () => {
  hx = await startHarness();
  tab = await openTab(hx, '/register');
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

/** What has the keyboard focus: its tag, text and id. */
async function focused(page: Page): Promise<{ tag: string; text: string; id: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { tag: el?.tagName.toLowerCase() ?? '', text: (el?.textContent ?? '').trim(), id: el?.id ?? '' };
  });
}

/** Presses Tab until the focused element fits, as a keyboard user would; fails after `max` presses. */
async function tabTo(page: Page, fits: (f: { tag: string; text: string; id: string }) => boolean, max = 80): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (fits(await focused(page))) return i;
  }
  throw new Error(`nothing fitting was reached in ${max} presses of Tab; last: ${JSON.stringify(await focused(page))}`);
}

async function expectAxeClean(page: Page): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes).slice(0, 500)}`)).toEqual([]);
}

describe('the public register, as a resident', () => {
  it('shows the tables in force by domain, without logging in, and is axe clean', async () => {
    const { page } = tab;
    expect(page.url()).toBe(`${hx.base}/register`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Openbaar register van beslisregels');
    expect(await page.locator('section.domain h2').first().textContent()).toBe('Handhaving (Landelijke Handhavingsstrategie)');
    expect(await page.locator('ul.tables > li').count()).toBe(29);
    // No login form, no editor: a plain page.
    expect(await page.locator('input[type=password]').count()).toBe(0);
    await shot(page, 'register-index');
    await expectAxeClean(page);
  });

  it('by keyboard only: skip link, a table, its try-it form, an answer with its reasoning', async () => {
    const { page } = tab;
    // The first Tab reaches the skip link; Enter moves on to the content.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toMatchObject({ tag: 'a', text: 'Naar de inhoud' });
    await page.keyboard.press('Enter');
    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Spoedeisende situatie');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/register\/tables\/handhaving\.spoed$/);
    expect(await page.locator('h1').textContent()).toBe('Spoedeisende situatie');
    // The rules in words: no FEEL strings, ranges or comparisons in the cells.
    const cells = (await page.locator('table.rules td').allTextContents()).join(' | ');
    expect(cells).toContain('spoedeisende bestuursdwang zonder voorafgaande last; besluit achteraf op schrift');
    for (const feel of [/"/, /\.\./, />=|<=/]) expect(cells).not.toMatch(feel);
    expect(await page.locator('#h-sources ~ ul.sources a').first().getAttribute('href')).toBe('https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=4:11');
    expect(await page.locator('ol.history li').count()).toBe(3);
    await shot(page, 'register-table');
    await expectAxeClean(page);

    await tabTo(page, (f) => f.tag === 'a' && f.text === 'Probeer het');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/try$/);
    // Each question is a labelled choice: typing the first letter of the answer picks it, as in any select.
    await tabTo(page, (f) => f.tag === 'select' && f.id === 'f-0');
    await page.keyboard.type('nee');
    await page.keyboard.press('Tab');
    await page.keyboard.type('ja');
    await page.keyboard.press('Tab');
    await page.keyboard.type('nee');
    expect(await page.locator('#f-0').inputValue()).toBe('false');
    expect(await page.locator('#f-1').inputValue()).toBe('true');
    expect(await page.locator('#f-2').inputValue()).toBe('false');
    await tabTo(page, (f) => f.tag === 'button' && f.text === 'Bekijk de uitkomst');
    await page.keyboard.press('Enter');
    await page.waitForSelector('section.outcome');
    // The answer is where the browser lands (the form posts to #answer).
    expect(new URL(page.url()).hash).toBe('#answer');
    const outcome = (await page.locator('section.outcome').textContent())!;
    expect(outcome).toContain('Versie 3, geldig vanaf 03-12-2026');
    const reasoning = (await page.locator('pre.explanation').textContent())!;
    expect(reasoning).toContain('Besluit: Spoedeisende situatie, versie 3, geldig vanaf 3 december 2026.');
    expect(reasoning).toContain('omdat');
    expect(reasoning).toContain('Awb, artikel 4:11 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=4:11)');
    // The sources in the reasoning are links a keyboard reaches too.
    expect(await page.locator('pre.explanation a').first().getAttribute('href')).toMatch(/^https:\/\/wetten\.overheid\.nl\//);
    await shot(page, 'register-try-outcome');
    await expectAxeClean(page);
    expect(tab.errors).toEqual([]);
  });

  it('a question left open is named at the top with a link to its field, and the field says why', async () => {
    const { page } = tab;
    await page.goto('/register/tables/handhaving.spoed/try');
    await page.selectOption('#f-0', 'true');
    await page.focus('#f-0');
    await tabTo(page, (f) => f.tag === 'button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.problems');
    const items = await page.locator('.problems li').allTextContents();
    expect(items).toEqual(['Onomkeerbare schade dreigt: vul dit in', 'Voldongen feit dreigt (werk gaande): vul dit in']);
    expect(await page.locator('#f-1').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'register-try-problems');
    await expectAxeClean(page);
  });

  it('in English, and a chain (the ladder asks what the matrix needs) on an earlier date', async () => {
    const { page } = tab;
    await page.goto('/register/tables/handhaving.interventieladder/try?lang=en&date=2026-12-02');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#f-date').inputValue()).toBe('2026-12-02');
    const labels = await page.locator('form.try label').allTextContents();
    // The matrix's questions come first; its outcome (kwadrant) is not asked.
    expect(labels.slice(0, 2)).toEqual(['Gedrag van de overtreder', 'Gevolgen van de overtreding']);
    expect(labels.join('|')).not.toMatch(/Kwadrant/i);
    await page.selectOption('#f-0', 'C');
    await page.selectOption('#f-1', '4');
    const rest = await page.locator('form.try select').count();
    for (let i = 2; i < rest; i++) await page.selectOption(`#f-${i}`, { index: 1 });
    await page.click('button[type=submit]');
    await page.waitForSelector('section.outcome, .problems');
    expect(await page.locator('.problems').count(), (await page.locator('.problems').allTextContents()).join(' ')).toBe(0);
    const reasoning = (await page.locator('pre.explanation').textContent())!;
    expect(reasoning).toContain('This decision was taken in 2 steps');
    // On 2 December 2026 the versions before the public ones decide: the matrix's v1, the ladder's v2.
    expect(reasoning).toContain('Decision: Interventiematrix (Landelijke Handhavingsstrategie), version 1, valid from 1 January 2019.');
    expect(reasoning).toContain('Decision: Interventieladder (bestuursrechtelijk traject), version 2, valid from 1 December 2026.');
    await shot(page, 'register-try-chain-en');
    await expectAxeClean(page);
  });

  it('the printable view prints the table without the site around it', async () => {
    const { page } = tab;
    await page.goto('/register/tables/drank-horeca.boete/print');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('table.rules tbody tr').count()).toBeGreaterThan(10);
    expect(await page.locator('header.site').isVisible()).toBe(false);
    expect(await page.locator('form').count()).toBe(0);
    await shot(page, 'register-print');
    await page.emulateMedia({ media: 'screen' });
    await expectAxeClean(page);
  });

  it('a page that does not exist is a plain 404 page, not the editor', async () => {
    const { page } = tab;
    const r = await page.goto('/register/tables/handhaving.bestaat-niet');
    expect(r?.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Deze pagina bestaat niet');
    await expectAxeClean(page);
  });
});
