// The API reference at /api/v1/docs in real Chromium: it renders every operation at its full /api/v1 address, the
// worked examples, and the problem types that the `type` of an error answer points to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

describe('the API reference page', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 120_000);
  afterAll(() => h?.close());

  it('renders operations, examples and the problem type an error names, without script errors', async () => {
    const page = await h.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    // An error answer names its type: the page must have an entry at that address.
    const refused = await fetch(`${h.base}/api/v1/tables/nope.nope`);
    const type = ((await refused.json()) as { type: string }).type;
    await page.goto(`${h.base}${type}`);
    await page.locator('#ops details.op').first().waitFor();
    const entry = page.locator(`#${type.split('#')[1]}`);
    expect(await entry.textContent()).toContain('401');
    expect(await page.locator('#ops summary code', { hasText: '/api/v1/evaluate/{tableId}/batch' }).count()).toBe(1);
    expect(await page.locator('#ops summary code', { hasText: /^\/metrics$/ }).count()).toBe(1);
    expect(await page.locator('pre.example').count()).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
