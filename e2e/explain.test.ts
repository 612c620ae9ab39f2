// The editor shows a table's legal basis as links and a decided case's reasoning for a decision letter (issue 23), in
// real Chromium against a real server loaded from rules/ and fixtures/: Dutch first, the English folded away, a copy
// button that puts the text on the clipboard, keyboard-reachable and axe clean.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, shot, startLoggedIn, type Harness, type Tab } from './harness.ts';

let hx: Harness;
let tab: Tab;

beforeAll(async () => {
  ({ hx, tab } = await startLoggedIn());
}, 120_000);

afterAll(async () => {
  await hx?.close();
});

describe('sources and reasoning in the editor', () => {
  it("shows the table's sources as links to wetten.overheid.nl (handhaving.spoed)", async () => {
    const { page } = tab;
    await page.goto('/#/t/handhaving.spoed');
    await page.waitForSelector('#table-sources a');
    const links = page.locator('#table-sources a');
    expect(await links.allTextContents()).toEqual(['Awb, artikel 4:11', 'Awb, artikel 5:31']);
    expect(await links.first().getAttribute('href')).toBe('https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=4:11');
    expect(await links.first().getAttribute('rel')).toBe('noopener noreferrer');
    // The source text stays beside the links.
    expect(await page.locator('#table-sources').textContent()).toContain('Landelijke Handhavingsstrategie (LHS 2014)');
  });

  it('explains a simulated case in plain Dutch, copies it, and has the English at hand', async () => {
    const { page } = tab;
    await page.goto('/#/t/handhaving.spoed/simulate');
    await page.waitForSelector('#sim-in-0');
    for (const [i, option] of [[0, 'ja'], [1, 'nee'], [2, 'nee']] as const) await page.selectOption(`#sim-in-${i}`, { label: option });
    const text = page.locator('#sim-reasoning-text');
    await expect.poll(() => text.textContent()).toContain('omdat acuut gevaar voor veiligheid of gezondheid ja is');
    const nl = (await text.textContent())!;
    expect(nl).toContain('Uitkomst: ');
    expect(nl).toContain('- Awb, artikel 5:31 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=5:31)');
    for (const feel of [/\.\./, />=|<=/, /"/, /\[|\]/]) expect(nl).not.toMatch(feel);
    // The copy button: reached by keyboard, it puts exactly the shown text on the clipboard.
    await tab.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: hx.base });
    await page.focus('#sim-reasoning-copy');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.toast').textContent()).toContain('Motivering gekopieerd.');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(nl);
    await page.locator('.reasoning-other summary').click();
    expect(await page.locator('#sim-reasoning-other').textContent()).toContain('because acuut gevaar voor veiligheid of gezondheid is yes');
    // The server's decision of the same case carries the reasoning with the version that decided and its start date.
    await page.locator('.server-eval summary').click();
    await page.fill('#sim-date', '2026-12-02');
    await page.click('#sim-server');
    await expect.poll(() => page.locator('#sim-server-reasoning-text').textContent()).toContain('Besluit: Spoedeisende situatie, versie 2, geldig vanaf 1 december 2026.');
    const violations = await axeViolations(page);
    expect(violations.map((v) => `${v.id}: ${JSON.stringify(v).slice(0, 600)}`)).toEqual([]);
  });

  it('keeps the reasoning inside the simulator panel at 1280×800: long source addresses wrap, nothing scrolls sideways', async () => {
    const { page } = tab;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/#/');
    await page.waitForSelector('table.catalogue');
    await page.goto('/#/t/handhaving.spoed/simulate');
    await page.waitForSelector('#sim-in-0');
    for (const [i, option] of [[0, 'ja'], [1, 'nee'], [2, 'nee']] as const) await page.selectOption(`#sim-in-${i}`, { label: option });
    const text = page.locator('#sim-reasoning-text');
    // The reasoning names its sources with their addresses: long words without a space to wrap at.
    await expect.poll(() => text.textContent()).toContain('(https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=5:31)');
    await page.locator('#sim-reasoning .reasoning-other summary').click();
    const widths = await page.evaluate(() =>
      ['.split-side', '#sim-reasoning', '#sim-reasoning-text', '#sim-reasoning-other', '#sim-trace'].map((sel) => {
        const el = document.querySelector<HTMLElement>(sel)!;
        return { sel, scroll: el.scrollWidth, client: el.clientWidth };
      }),
    );
    for (const w of widths) expect(w.scroll, w.sel).toBeLessThanOrEqual(w.client);
    const side = (await page.locator('.split-side').boundingBox())!;
    const box = (await text.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(side.x + side.width);
    await text.scrollIntoViewIfNeeded();
    await shot(page, 'explain-01-reasoning-1280');
    await page.locator('#sim-trace').scrollIntoViewIfNeeded();
    await shot(page, 'explain-02-trace-1280');
    expect(await axeViolations(page)).toEqual([]);
  });
});
