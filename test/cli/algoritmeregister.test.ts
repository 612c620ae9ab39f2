// `beslis export --format algoritmeregister`, run as a user runs it on a database imported from files: the JSON keeps
// the publication standard, the terminal names the fields left for the owner, and a table that is not public is refused.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RegisterDocument } from '../../server/algoritmeregister/index.ts';
import { writeRules } from '../algoritmeregister/tables.ts';
import { standardProblems } from '../algoritmeregister/validate.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';
let db = '';

function beslis(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin/beslis.js'), ...args], { encoding: 'utf8', timeout: 60_000, cwd: dir, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'beslis-algoreg-cli-'));
  db = join(dir, 'a.db');
  writeRules(join(dir, 'src'));
  const imported = beslis(['import', join(dir, 'src'), '--db', db]);
  expect(imported.code, imported.err).toBe(0);
}, 60_000);

describe('beslis export --format algoritmeregister', () => {
  it('writes every public decision to --out and lists per entry the fields to complete, required ones first', () => {
    const file = join(dir, 'register.json');
    const r = beslis(['export', '--format', 'algoritmeregister', '--out', file, '--contact', 'algoritmes@enschede.nl', '--db', db]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as RegisterDocument;
    expect(doc.algoritmes.map((e) => e.algoritme)).toEqual(['ander.los', 'proef.boete']);
    for (const entry of doc.algoritmes) expect(standardProblems(entry)).toEqual([]);
    expect(doc.algoritmes[1]!.registratie.contact_email).toBe('algoritmes@enschede.nl');
    expect(r.out).toContain(`wrote ${file}: 2 algoritmes for the Algoritmeregister (Algoritmeregister Publicatiestandaard 1.0, Gemeente Enschede)`);
    expect(r.out).toContain('proef.boete (met proef.ernst): nog in te vullen');
    const lines = r.out.split('\n');
    const first = lines.findIndex((l) => l.startsWith('proef.boete'));
    expect(lines[first + 1]).toMatch(/^ {2}\S+ \([^)]*, verplicht\): /);
    expect(r.out).toContain('  publication_category (Publicatiecategorie, verplicht): ');
    expect(r.out).toContain('  proportionality (Afwegingen): ');
    expect(r.out).not.toContain('contact_email');
  });

  it('writes one table or a domain to standard output as one JSON document, the report on standard error', () => {
    const one = beslis(['export', 'proef.boete', '--format', 'algoritmeregister', '--db', db], { BESLIS_ORGANISATION: 'Gemeente Hengelo' });
    expect(one.code, one.err).toBe(0);
    const doc = JSON.parse(one.out) as RegisterDocument;
    expect(doc.algoritmes).toHaveLength(1);
    expect(doc.algoritmes[0]!.registratie.organization).toBe('Gemeente Hengelo');
    expect(one.err).toContain('contact_email (Contactgegevens, verplicht): geen contactadres ingesteld');
    const domain = beslis(['export', '--domain', 'ander', '--format', 'algoritmeregister', '--db', db]);
    expect((JSON.parse(domain.out) as RegisterDocument).algoritmes.map((e) => e.algoritme)).toEqual(['ander.los']);
  });

  it('refuses a table that is not public, naming it, and a contact the register would not take', () => {
    const r = beslis(['export', 'proef.geheim', '--format', 'algoritmeregister', '--db', db]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain("table 'proef.geheim' is not public");
    const bad = beslis(['export', '--format', 'algoritmeregister', '--contact', 'bel ons', '--db', db]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("the contact 'bel ons' is neither an e-mail address nor an https:// address");
  });

  it('refuses wrong usage with exit code 2', () => {
    expect(beslis(['export', 'proef.boete', '--domain', 'proef', '--format', 'algoritmeregister', '--db', db]).code).toBe(2);
    expect(beslis(['export', 'proef.boete', '--format', 'algoritmeregister', '--version', '1', '--db', db]).code).toBe(2);
    expect(beslis(['export', '--domain', 'proef', '--db', db]).code).toBe(2);
  });

  it('the server reads the same settings: a contact the register would not take stops it at start', () => {
    const serve = beslis(['serve', '--port', '0', '--db', join(dir, 'serve.db')], { BESLIS_ALGORITMEREGISTER_CONTACT: 'bel ons' });
    expect(serve.code).toBe(2);
    expect(serve.err).toContain("beslis serve: the contact 'bel ons' is neither an e-mail address nor an https:// address");
  });
});
