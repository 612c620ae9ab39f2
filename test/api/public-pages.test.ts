// The public register's pages (/register) as a browser gets them from a real server on loopback: plain HTML without
// script or login, Dutch first and English with ?lang=en, a table's rules in words, its history, the printable view,
// the try-it form and its answer; and a table that is not public is the same 404 page as an unknown address.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, testServer, type TestServer } from './helpers.ts';
import { publicSeed } from './public-seed.ts';

let srv: TestServer;
let seed: string;
const get = (path: string) => send(srv.url, 'GET', path, undefined, { accept: 'text/html' });
const post = (path: string, form: Record<string, string>) =>
  send(srv.url, 'POST', path, new URLSearchParams(form).toString(), { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' });
/** The text a reader sees: tags dropped, whitespace folded. */
const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ');

beforeAll(async () => {
  seed = publicSeed();
  srv = await testServer({ seedDir: seed });
}, 60_000);
afterAll(async () => {
  await srv.stop();
  rmSync(seed, { recursive: true, force: true });
});

describe('the register pages', () => {
  it('the front page lists the public tables in force with owner and version, without script, under a strict CSP', async () => {
    const r = await get('/register');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(r.text).toContain('<html lang="nl">');
    expect(r.text).not.toMatch(/<script/i);
    expect(r.text).toContain('href="/register/tables/test.boete"');
    expect(r.text).toContain('href="/register/tables/test.matrix"');
    for (const hidden of ['test.gedrag', 'test.overlap']) expect(r.text).not.toContain(hidden);
    expect(words(r.text)).toContain('Eigenaar Team Test Versie 4, geldig vanaf 01-01-2026');
    const css = await send(srv.url, 'GET', '/register/register.css');
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.text).toContain('@media print');
  });

  it('a table page shows the rules in words, not FEEL, with its version, start date and history', async () => {
    const r = await get('/register/tables/test.overlap');
    expect(r.status).toBe(404);
    const m = await get('/register/tables/test.matrix');
    expect(m.status).toBe(200);
    const text = words(m.text);
    expect(text).toContain('Versie 2 nu geldig');
    expect(text).toContain('Geldig vanaf 01-01-2026');
    // The cell "A" is shown as A, 1 as 1, "waarschuwing" as waarschuwing: no quotes of FEEL strings anywhere in the rules.
    const rules = m.text.slice(m.text.indexOf('<table class="rules">'), m.text.indexOf('</table>'));
    expect(rules).toContain('<th scope="row">M1</th><td class="when">A</td><td class="when">1</td><td class="then">waarschuwing</td>');
    expect(rules).not.toContain('&quot;');
    // It uses test.gedrag, which is not in the register: named, not linked.
    expect(text).toContain('Gebruikt eerst: test.gedrag');
    expect(m.text).not.toContain('href="/register/tables/test.gedrag"');
    expect(text).toContain('Versie 2 , geldig vanaf 01-01-2026 nu geldig');
    expect(text).toContain('Versie 1 , geldig vanaf 01-01-2020 tot en met 31-12-2025');
  });

  it('an earlier version has its own page saying until when it applied; the printable view has the rules but no form or navigation', async () => {
    const v2 = await get('/register/tables/test.boete/versions/2');
    expect(v2.status).toBe(200);
    expect(words(v2.text)).toContain('Geldig tot en met 31-12-2024');
    expect(v2.text).toContain('aria-current="page"');
    expect((await get('/register/tables/test.boete/versions/5')).status).toBe(404);
    const print = await get('/register/tables/test.boete/print');
    expect(print.status).toBe(200);
    expect(print.text).toContain('class="print-view"');
    expect(print.text).toContain('<table class="rules">');
    expect(print.text).not.toContain('<form');
    expect(print.text).not.toContain('Probeer het');
  });

  it('in English with ?lang=en, every link keeping the language', async () => {
    const r = await get('/register/tables/test.boete?lang=en');
    expect(r.text).toContain('<html lang="en">');
    expect(words(r.text)).toContain('Version 4 in force');
    expect(r.text).toContain('href="/register/tables/test.boete/try?lang=en"');
    expect(r.text).toContain('href="/register/tables/test.boete" lang="nl"');
  });

  it('try it: the form asks each input with its allowed values; the answer has the outcome and the reasoning', async () => {
    const form = await get('/register/tables/test.boete/try');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<label for="f-0">categorie</label>');
    expect(form.text).toMatch(/<select id="f-0" name="in_categorie"[^>]*>\s*<option value="">Kies…<\/option>\s*<option value="A">A<\/option><option value="B">B<\/option>/);
    expect(form.text).toContain('<form method="post" action="/register/tables/test.boete/try#answer"');
    const r = await post('/register/tables/test.boete/try', { in_categorie: 'B', in_eerder: '', date: '' });
    expect(r.status, r.text).toBe(200);
    const text = words(r.text);
    expect(text).toContain('Uitkomst Versie 4, geldig vanaf 01-01-2026 boete 240');
    expect(text).toContain('Motivering Besluit: Testboete v3, versie 4, geldig vanaf 1 januari 2026.');
    // The form keeps what was chosen.
    expect(r.text).toContain('<option value="B" selected>B</option>');
  });

  it('try it on an earlier date decides with the version of that day; a missing answer is named at its field', async () => {
    const r = await post('/register/tables/test.boete/try', { in_categorie: 'A', date: '2024-03-01' });
    expect(words(r.text)).toContain('Uitkomst Versie 2, geldig vanaf 01-01-2024 boete 110');
    const missing = await post('/register/tables/test.boete/try', { in_categorie: '', date: '' });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('<a href="#f-0">categorie: vul dit in</a>');
    expect(missing.text).toContain('<span class="error" id="f-0-error">vul dit in</span>');
    expect(missing.text).toContain('aria-invalid="true"');
    const wrong = await post('/register/tables/test.boete/try', { in_categorie: 'A', in_eerder: 'twee keer' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('<a href="#f-1">eerder: vul een getal in</a>');
    // A Dutch decimal comma is read as a number.
    expect((await post('/register/tables/test.boete/try', { in_categorie: 'A', in_eerder: '1,0' })).status).toBe(200);
    const early = await post('/register/tables/test.boete/try', { in_categorie: 'A', date: '2019-01-01' });
    expect(early.status).toBe(404);
    expect(early.text).toContain('Op 01-01-2019 gold er nog geen versie van deze tabel.');
  });

  it('a table that is not public: its page, history, print view and try-it are the 404 page, as for an unknown table', async () => {
    for (const id of ['test.gedrag', 'test.overlap', 'test.nobody']) {
      for (const path of [`/register/tables/${id}`, `/register/tables/${id}/versions/1`, `/register/tables/${id}/print`, `/register/tables/${id}/try`]) {
        const r = await get(path);
        expect(r.status, path).toBe(404);
        expect(r.text).toContain('Deze beslistabel staat niet in het openbaar register');
        expect(r.text).not.toContain('<table');
      }
      const tried = await post(`/register/tables/${id}/try`, { in_houding: 'welwillend', in_x: '1' });
      expect(tried.status).toBe(404);
      expect(tried.text).not.toContain('Motivering');
    }
  });
});
