// Browser tests drive Debian's Chromium (playwright-core) against a real server: a temp SQLite database loaded from
// rules/ and fixtures/, on a free loopback port, with the editor's production build mounted at `/`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import type { LogLevel } from '../server/api/request-log.ts';
import { startServer, type RunningServer } from '../server/api/server.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const DIST = join(ROOT, 'editor', 'dist');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
export const ADMIN_PASSWORD = 'e2e-admin-password-1';

/** Builds the editor when editor/dist is missing or older than its sources (the same check as `npm start`). */
export function ensureEditorBuilt(): void {
  execFileSync(process.execPath, [join(ROOT, 'editor', 'build-if-stale.js')], { cwd: ROOT, stdio: 'inherit' });
}

export interface Harness {
  server: RunningServer;
  browser: Browser;
  base: string;
  dir: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  ensureEditorBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'beslis-e2e-'));
  const server = await startServer({
    dbFile: join(dir, 'beslis.db'),
    port: 0,
    host: '127.0.0.1',
    seedDir: ROOT,
    adminPassword: ADMIN_PASSWORD,
    say: () => undefined,
    requestLog: { level: (process.env.BESLIS_LOG_LEVEL as LogLevel | undefined) || 'silent' },
    // The editor build, served at `/` as `beslis serve` does.
    editorDir: DIST,
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--lang=nl-NL', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    server,
    browser,
    base: server.url,
    dir,
    async close() {
      await browser.close().catch(() => undefined);
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
}

/** A fresh browser context (its own cookies) at 1280×800, recording console errors. */
export async function openTab(h: Harness, path = '/'): Promise<Tab> {
  const context = await h.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'nl-NL', baseURL: h.base });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  await page.goto(path);
  return { context, page, errors };
}

export async function shot(page: Page, name: string): Promise<string> {
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2.1 A and AA rules) on the page and returns the serious and critical violations. */
export async function axeViolations(page: Page, exclude: string[] = []): Promise<AxeViolation[]> {
  const source = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  // Evaluated through the debugging protocol, so the page's Content-Security-Policy stays as the server sends it.
  await page.evaluate(source);
  const result = await page.evaluate(async (excluded) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const r = await axe.run({ exclude: excluded.map((s) => [s]) }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  }, exclude);
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** True when the server offers a login (its OpenAPI document lists POST /api/v1/auth/login). */
export async function serverHasLogin(h: Harness): Promise<boolean> {
  const res = await fetch(`${h.base}/api/v1/openapi.json`);
  // Paths are relative to the document's server, /api/v1.
  const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
  return Boolean(doc.paths?.['/auth/login']?.post);
}

/** An API client for tests: plain JSON; once the server has a login, it logs in (cookie + X-CSRF-Token on writes). */
export function apiClient(h: Harness, username = 'admin', password = ADMIN_PASSWORD) {
  let cookie = '';
  let csrf = '';
  let ready: Promise<void> | null = null;
  const login = async (): Promise<void> => {
    if (!(await serverHasLogin(h))) return;
    const res = await fetch(`${h.base}/api/v1/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (!res.ok) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
    cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    csrf = ((await res.json()) as { csrfToken?: string }).csrfToken ?? '';
  };
  return async function api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; data: T }> {
    ready ??= login();
    await ready;
    const res = await fetch(`${h.base}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(cookie ? { Cookie: cookie } : {}), ...(csrf && method !== 'GET' ? { 'X-CSRF-Token': csrf } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, data: (await res.json()) as T };
  };
}

/** Logs in through the editor's login screen when the server has one (otherwise the editor works without login). */
export async function loginInBrowser(h: Harness, page: Page, username = 'admin', password = ADMIN_PASSWORD): Promise<void> {
  if (!(await serverHasLogin(h))) return;
  await page.waitForSelector('#login-username');
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('.login-form button[type=submit]');
  await page.waitForSelector('#current-user');
}

/** A harness and a fresh tab logged in (as the admin unless another user is given): how most browser tests begin. */
export async function startLoggedIn(user?: { username: string; password: string }): Promise<{ hx: Harness; tab: Tab }> {
  const hx = await startHarness();
  try {
    const tab = await openTab(hx, '/');
    await loginInBrowser(hx, tab.page, user?.username, user?.password);
    return { hx, tab };
  } catch (err) {
    await hx.close();
    throw err;
  }
}

/**
 * Adds a user as an administrator does (the password is then temporary) and lets the user choose `password` as their
 * own, as their first login asks: afterwards they log in with it like anyone.
 */
export async function addUser(h: Harness, admin: ReturnType<typeof apiClient>, user: { username: string; password: string }, roles: string[]): Promise<void> {
  const temporary = `tijdelijk-${user.password}`;
  const created = await admin('POST', '/api/v1/users', { username: user.username, password: temporary, roles });
  if (created.status !== 201) throw new Error(`adding ${user.username} failed: ${created.status} ${JSON.stringify(created.data)}`);
  const self = apiClient(h, user.username, temporary);
  const changed = await self('POST', '/api/v1/auth/password', { currentPassword: temporary, newPassword: user.password });
  if (changed.status !== 200) throw new Error(`${user.username} could not choose a password: ${changed.status} ${JSON.stringify(changed.data)}`);
}
