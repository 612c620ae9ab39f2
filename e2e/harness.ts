// Browser tests drive Debian's Chromium (playwright-core) against a real server: a temp SQLite database loaded from
// rules/ and fixtures/, on a free loopback port, with the editor's production build mounted at `/`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../server/api/server.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const DIST = join(ROOT, 'editor', 'dist');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
export const ADMIN_PASSWORD = 'e2e-admin-password-1';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the editor when editor/dist is missing or older than its sources (or the engine it bundles). */
export function ensureEditorBuilt(): void {
  const index = join(DIST, 'index.html');
  const sources = Math.max(newestMtime(join(ROOT, 'editor', 'src')), statSync(join(ROOT, 'editor', 'index.html')).mtimeMs, newestMtime(join(ROOT, 'server', 'engine')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
    cwd: ROOT,
    stdio: 'inherit',
    // vite.config.ts builds from editor/ unless it runs under vitest (which sets VITEST).
    env: { ...process.env, VITEST: '' },
  });
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
