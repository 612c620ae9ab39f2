// The admin screen (beheer) in real Chromium against a real server: an admin adds a user, changes their roles and
// resets their password (the user then logs in with it in a second browser context and sees no admin link); creates
// an API token whose secret is shown once and works for POST /api/v1/evaluate from node until it is revoked (401); the
// audit trail lists those changes and "Controleer keten" says the chain is intact. Screenshots are looked at by hand.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, axeViolations, loginInBrowser, openTab, shot, startHarness, type Harness, type Tab } from './harness.ts';

const USER = { username: 'bea.jansen', password: 'eerste-wachtwoord-1', newPassword: 'tweede-wachtwoord-2' };
const TOKEN = 'zaaksysteem';
const EVALUATE = { path: '/api/v1/evaluate/handhaving.interventiematrix', body: { input: { gedrag: 'C', gevolgen: 4 } } };
// The first GET /api/v1/me before logging in answers 401: that is how the editor learns it must ask.

let hx: Harness;
let api: ReturnType<typeof apiClient>;
let tab: Tab;
let userTab: Tab | null = null;
let secret = '';

async function evaluateWithToken(token: string): Promise<number> {
  const res = await fetch(`${hx.base}${EVALUATE.path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify(EVALUATE.body),
  });
  await res.text();
  return res.status;
}

beforeAll(async () => {
  hx = await startHarness();
  api = apiClient(hx);
  tab = await openTab(hx, '/');
  await loginInBrowser(hx, tab.page);
}, 120_000);

afterAll(async () => {
  await userTab?.context.close();
  await hx?.close();
});

describe('admin screen', () => {
  it('is linked in the header for an admin and opens on the users tab', async () => {
    const { page } = tab;
    await page.click('#nav-admin');
    await page.waitForSelector('#users-table tbody tr[data-user="admin"]');
    expect(await page.locator('h1').textContent()).toBe('Beheer');
    expect(await page.locator('nav.tabs a[aria-current=page]').textContent()).toBe('Gebruikers');
    expect(await page.locator('#users-table tr[data-user="admin"] .roles').textContent()).toContain('Beheerder');
  });

  it('adds a user with roles editor and approver; a taken name and a short password are shown at their fields', async () => {
    const { page } = tab;
    // Server errors next to the field they are about: 400 for a short password, 409 for a name that is taken.
    await page.fill('#user-new-name', 'kort');
    await page.fill('#user-new-password', 'kort');
    await page.click('#user-new button[type=submit]');
    await expect.poll(() => page.locator('#user-new-password-error').textContent()).toBe('minstens 10 tekens.');
    expect(await page.locator('#user-new-password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#user-new-error').textContent()).toBe('Wachtwoord: minstens 10 tekens.');
    await page.fill('#user-new-name', 'admin');
    await page.fill('#user-new-password', 'lang-genoeg-wachtwoord');
    await page.click('#user-new button[type=submit]');
    await expect.poll(() => page.locator('#user-new-name-error').textContent()).toBe('er is al een gebruiker met deze naam.');
    expect(await page.locator('#user-new-error').textContent()).toBe('Gebruikersnaam: er is al een gebruiker met deze naam.');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('user-new-name');

    await page.fill('#user-new-name', USER.username);
    await page.fill('#user-new-password', USER.password);
    await page.uncheck('#user-new-roles-viewer');
    await page.check('#user-new-roles-editor');
    await page.check('#user-new-roles-approver');
    await page.click('#user-new button[type=submit]');
    const row = page.locator(`#users-table tr[data-user="${USER.username}"]`);
    await row.waitFor();
    expect(await page.locator('#user-new-error').textContent()).toBe('');
    expect(await page.locator('#user-new-password-error').textContent()).toBe('');
    expect(await row.locator('.roles .pill').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.role))).toEqual(['editor', 'approver']);
    expect(await row.locator('.roles').textContent()).toBe('OpstellerVaststeller');
    const { data } = await api<{ users: { username: string; roles: string[] }[] }>('GET', '/api/v1/users');
    expect(data.users.find((u) => u.username === USER.username)?.roles).toEqual(['editor', 'approver']);
    await shot(page, 'admin-01-users');
  });

  it('changes the roles in a dialog, with the keyboard', async () => {
    const { page } = tab;
    const row = page.locator(`#users-table tr[data-user="${USER.username}"]`);
    await row.locator('button[data-action=roles]').focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog.modal');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe(`Rollen van ${USER.username}`);
    expect(await page.locator('#user-edit-roles-editor').isChecked()).toBe(true);
    // Every role unticked is refused before any request, at the field.
    await page.uncheck('#user-edit-roles-editor');
    await page.uncheck('#user-edit-roles-approver');
    await dialog.locator('button[type=submit]').click();
    expect(await page.locator('#user-edit-roles-error').textContent()).toBe('kies minstens één rol.');
    await shot(page, 'admin-06-roles-dialog');
    await page.check('#user-edit-roles-approver');
    expect(await page.locator('#user-edit-roles-error').textContent()).toBe('');
    await page.locator('#user-edit-roles-tester').focus();
    await page.keyboard.press('Space');
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.locator('.roles .pill').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.role))).toEqual(['approver', 'tester']);
    // The focus goes back to the button that opened the dialog.
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.action)).toBe('roles');
    const { data } = await api<{ users: { username: string; roles: string[] }[] }>('GET', '/api/v1/users');
    expect(data.users.find((u) => u.username === USER.username)?.roles).toEqual(['approver', 'tester']);
  });

  it('resets the password: the user logs in with the new one in another browser and sees no admin link', async () => {
    const { page } = tab;
    const row = page.locator(`#users-table tr[data-user="${USER.username}"]`);
    await row.locator('button[data-action=password]').click();
    const dialog = page.locator('dialog.modal');
    await dialog.waitFor();
    await page.fill('#user-reset-password', 'te-kort');
    await dialog.locator('button[type=submit]').click();
    await expect.poll(() => page.locator('#user-reset-password-error').textContent()).toBe('minstens 10 tekens.');
    await page.fill('#user-reset-password', USER.newPassword);
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('.toast').textContent()).toBe(`Het wachtwoord van ${USER.username} is opnieuw ingesteld.`);

    // The old password no longer works; the new one does.
    const old = await fetch(`${hx.base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: USER.username, password: USER.password }) });
    expect(old.status).toBe(401);
    userTab = await openTab(hx, '/');
    await loginInBrowser(hx, userTab.page, USER.username, USER.newPassword);
    expect(await userTab.page.locator('#current-user').textContent()).toContain(USER.username);
    // A password set by an admin is temporary: the editor asks for the user's own before anything else.
    await userTab.page.waitForSelector('#password-form');
    await shot(userTab.page, 'admin-03b-choose-password');
    await userTab.page.fill('#pw-current', USER.newPassword);
    await userTab.page.fill('#pw-new', 'mijn-eigen-wachtwoord');
    await userTab.page.fill('#pw-repeat', 'iets-anders-getypt');
    await userTab.page.click('#pw-submit');
    const pwError = userTab.page.locator('#pw-error');
    await expect.poll(() => pwError.textContent()).toBe('De twee nieuwe wachtwoorden zijn niet gelijk.');
    await userTab.page.fill('#pw-repeat', 'mijn-eigen-wachtwoord');
    await userTab.page.click('#pw-submit');
    await userTab.page.waitForSelector('table.catalogue tbody tr[data-table]');
    expect(await userTab.page.locator('#nav-admin').count()).toBe(0);
    // Opening the admin screen by its address gives a clear message, and no request that could only fail.
    const adminRequests: string[] = [];
    userTab.page.on('request', (r) => {
      if (/\/api\/v1\/(users|tokens|audit)/.test(r.url())) adminRequests.push(r.url());
    });
    await userTab.page.goto('/#/admin/users');
    await userTab.page.waitForSelector('#admin-denied');
    expect(await userTab.page.locator('#admin-denied').textContent()).toContain('Beheer is alleen voor beheerders.');
    expect(await userTab.page.locator('#admin-denied').textContent()).toContain(`U bent aangemeld als ${USER.username} met de rollen Vaststeller, Tester.`);
    await userTab.page.goto('/#/admin/tokens');
    await userTab.page.waitForSelector('#admin-denied');
    await userTab.page.waitForLoadState('networkidle');
    expect(adminRequests).toEqual([]);
    await shot(userTab.page, 'admin-04-denied');
    expect(userTab.errors).toEqual([]);
  });

  it('creates a token with scope evaluate; its secret is shown once and works until it is revoked', async () => {
    const { page } = tab;
    await page.click('nav.tabs a[data-tab=tokens]');
    await page.waitForSelector('#tokens-count:not(:empty)');
    await expect.poll(() => page.locator('#tokens-count').textContent()).toBe('0 tokens, waarvan 0 geldig');
    await page.fill('#token-new-name', TOKEN);
    expect(await page.locator('#token-new-scopes-evaluate').isChecked()).toBe(true);
    expect(await page.locator('#token-new-scopes-fixtures-run').isChecked()).toBe(false);
    await page.click('#token-new button[type=submit]');
    await page.waitForSelector('#token-secret');
    secret = await page.locator('#token-secret').inputValue();
    expect(secret.length).toBeGreaterThan(30);
    expect(await page.locator('#token-secret').getAttribute('readonly')).not.toBeNull();
    expect(await page.locator('#token-secret-warning strong').textContent()).toBe('Kopieer het token nu en bewaar het veilig: het wordt niet nog eens getoond.');
    // The field has the focus with the secret selected, ready to copy.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('token-secret');
    const row = page.locator(`#tokens-table tr[data-name="${TOKEN}"]`);
    await row.waitFor();
    expect(await row.locator('.pill[data-scope]').evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.scope))).toEqual(['evaluate']);
    expect(await row.locator('td').nth(2).textContent()).toBe('nooit');
    // The list never holds the secret.
    expect(await page.locator('#tokens-table').textContent()).not.toContain(secret);
    await shot(page, 'admin-02-tokens-secret');

    expect(await evaluateWithToken(secret)).toBe(200);
    // A second live token with the same name is refused, at the name field.
    await page.fill('#token-new-name', TOKEN);
    await page.click('#token-new button[type=submit]');
    await expect.poll(() => page.locator('#token-new-name-error').textContent()).toBe('er is al een geldig token met deze naam; trek het eerst in of kies een andere naam.');
    expect(await page.locator('#token-secret').count()).toBe(0);
    await page.fill('#token-new-name', '');

    // Revoke, after a confirmation that can be cancelled.
    await row.locator('button[data-action=revoke]').click();
    const dialog = page.locator('dialog.modal');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe(`Token ${TOKEN} intrekken?`);
    // Cancel has the focus: Enter does not revoke by accident.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await evaluateWithToken(secret)).toBe(200);
    await row.locator('button[data-action=revoke]').click();
    await dialog.waitFor();
    await dialog.locator('button[type=submit]').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row.locator('.token-status').textContent()).toMatch(/^ingetrokken op \d{2}-\d{2}-\d{4} \d{2}:\d{2}$/);
    expect(await row.locator('button[data-action=revoke]').count()).toBe(0);
    // Used once before it was revoked: the list shows when.
    expect(await row.locator('td').nth(2).textContent()).toMatch(/^\d{2}-\d{2}-\d{4} \d{2}:\d{2}$/);
    expect(await evaluateWithToken(secret)).toBe(401);
    await shot(page, 'admin-03-tokens-revoked');
  });

  it('shows the audit trail newest first with the user and token changes, and verifies the chain', async () => {
    const { page } = tab;
    await page.click('nav.tabs a[data-tab=audit]');
    await page.waitForSelector('#audit-table tbody tr');
    const actions = await page.locator('#audit-table tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.action));
    // Newest first: the revocation is on top.
    expect(actions[0]).toBe('token.revoked');
    for (const a of ['user.created', 'user.updated', 'token.created', 'token.revoked']) expect(actions).toContain(a);
    const ids = await page.locator('#audit-table tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.id)));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const created = page.locator('#audit-table tbody tr[data-action="user.created"]').first();
    expect(await created.locator('td').nth(2).textContent()).toBe('admin');
    expect(await created.locator('td').nth(3).textContent()).toBe('gebruiker toegevoegduser.created');
    expect(await created.locator('td').nth(4).textContent()).toBe(`gebruiker: ${USER.username} · rollen: Opsteller, Vaststeller · tijdelijk wachtwoord: ja`);
    const revoked = page.locator('#audit-table tbody tr[data-action="token.revoked"]').first();
    expect(await revoked.locator('td').nth(4).textContent()).toContain(`naam: ${TOKEN}`);
    // The secret and the passwords never reach the trail.
    const text = await page.locator('#audit-table').textContent();
    for (const s of [secret, USER.password, USER.newPassword]) expect(text).not.toContain(s);

    await page.click('#audit-verify');
    const result = page.locator('#audit-verify-result [data-result]');
    await result.waitFor();
    expect(await result.getAttribute('data-result')).toBe('intact');
    const { data } = await api<{ entries: { id: number }[] }>('GET', '/api/v1/audit?limit=10000');
    const head = data.entries.at(-1)!.id;
    expect(await result.textContent()).toBe(`De keten is intact: ${data.entries.length} regels gecontroleerd, de nieuwste is nr. ${head}.`);
    expect(await page.locator('#audit-verify-result').getAttribute('aria-live')).toBe('polite');
    await shot(page, 'admin-05-audit');

    // 50 a page: the older ones come on request, still newest first, until all are shown.
    expect(await page.locator('#audit-table tbody tr').count()).toBe(Math.min(50, data.entries.length));
    expect(data.entries.length).toBeGreaterThan(50);
    // A page at a time until all are shown (the seeded rules/ and fixtures/ alone write more than two pages).
    for (let shown = 50; shown < data.entries.length; shown += 50) {
      await page.click('#audit-more');
      await expect.poll(() => page.locator('#audit-table tbody tr').count()).toBe(Math.min(shown + 50, data.entries.length));
    }
    const all = await page.locator('#audit-table tbody tr').evaluateAll((rows) => rows.map((r) => Number((r as HTMLElement).dataset.id)));
    expect(all).toEqual(data.entries.map((e) => e.id).reverse());
    expect(await page.locator('#audit-count').textContent()).toBe(`Alle ${data.entries.length} regels`);
    expect(await page.locator('#audit-more').isHidden()).toBe(true);
  });

  it('removes a user after a confirmation; the admin cannot remove themselves', async () => {
    const { page } = tab;
    await page.click('nav.tabs a[data-tab=users]');
    const row = page.locator(`#users-table tr[data-user="${USER.username}"]`);
    await row.waitFor();
    expect(await page.locator('#users-table tr[data-user="admin"] button[data-action=remove]').isDisabled()).toBe(true);
    await row.locator('button[data-action=remove]').click();
    const dialog = page.locator('dialog.modal');
    await dialog.waitFor();
    expect(await dialog.locator('h2').textContent()).toBe(`Gebruiker ${USER.username} verwijderen?`);
    await dialog.locator('button[type=submit]').click();
    await row.waitFor({ state: 'detached' });
    expect(await page.locator('#users-count').textContent()).toBe('1 gebruiker');
    const { data } = await api<{ users: { username: string }[] }>('GET', '/api/v1/users');
    expect(data.users.map((u) => u.username)).toEqual(['admin']);
    // Removed: their session ended with them.
    await userTab!.page.goto('/#/');
    await userTab!.page.waitForSelector('#login-username');
  });

  it('has no serious accessibility problems on its three tabs (axe, WCAG 2.1 AA)', async () => {
    const { page } = tab;
    const found: Record<string, string[]> = {};
    for (const screen of ['/#/admin/users', '/#/admin/tokens', '/#/admin/audit']) {
      await page.goto(screen);
      await page.waitForSelector('main h2');
      await page.waitForLoadState('networkidle');
      const v = await axeViolations(page);
      if (v.length > 0) found[screen] = v.map((x) => `${x.id}: ${x.help} (${x.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    }
    expect(found).toEqual({});
  });

  it('speaks English too', async () => {
    const { page } = tab;
    await page.goto('/#/admin/users');
    await page.waitForSelector('#users-table tbody tr');
    await page.click('header button[lang=en]');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Administration');
    expect(await page.locator('#nav-admin').textContent()).toBe('Administration');
    expect(await page.locator('nav.tabs a[aria-current=page]').textContent()).toBe('Users');
    await page.click('header button[lang=nl]');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Beheer');
  });

  it('opened every screen without console errors', () => {
    // A refused create (400 short password, 409 taken name) and the first /api/v1/me before logging in are expected.
    const expected = [
      'console: Failed to load resource: the server responded with a status of 400 (Bad Request)',
      'console: Failed to load resource: the server responded with a status of 409 (Conflict)',
    ];
    expect(tab.errors.filter((e) => !expected.includes(e))).toEqual([]);
  });
});
