// docs/ names files so a reader can find the code behind every statement: each name must still be there. A renamed
// or removed file fails here, with the document and the name, until the docs are changed with it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const DOCS = join(ROOT, 'docs');

/** Every file name of the code (server/, editor/src/, bin/), for names the docs give without their folder. */
function codeFileNames(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      if (e.isDirectory()) walk(join(dir, e.name));
      else names.add(e.name);
    }
  };
  for (const d of ['server', 'editor/src', 'bin']) walk(join(ROOT, d));
  return names;
}

/** The code spans of a markdown text that look like a file or folder name: `a/b.ts`, `compile.ts`, `test/tck/`. */
function namedFiles(markdown: string): string[] {
  const spans = [...markdown.matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!);
  return spans.filter((s) => /^[\w.-]+(\/[\w.-]+)*\/?$/.test(s) && (/\.(ts|js|json|md)$/.test(s) || s.endsWith('/')) && !s.startsWith('.'));
}

describe('docs/', () => {
  const files = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
  const known = codeFileNames();

  it('has the architecture and the contracts', () => {
    expect(files).toEqual(expect.arrayContaining(['architecture.md', 'contracts.md']));
  });

  for (const file of files) {
    it(`${file} names only files that exist`, () => {
      const text = readFileSync(join(DOCS, file), 'utf8');
      const names = namedFiles(text);
      // The two maps of the code name many files; a document that names none is not checked by this test at all.
      if (file === 'architecture.md' || file === 'contracts.md') expect(names.length).toBeGreaterThan(10);
      const missing = names.filter((n) => {
        // A name with a folder is a path from the repository root; one without is a file somewhere in the code.
        // Patterns like rules/<a>/<b>/v<N>.json have no backticked form here (the <> are not matched above).
        if (n.includes('/')) return !existsSync(join(ROOT, n));
        return !known.has(n) && !existsSync(join(ROOT, n)) && !existsSync(join(DOCS, n));
      });
      expect(missing, `${file} names files that do not exist`).toEqual([]);
    });
  }

  it('is what the code cites: no file points at a design document outside the repository', () => {
    const citing: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) {
          if (!['node_modules', 'dist', 'tck', 'peers', 'data'].includes(e.name)) walk(p);
        } else if (/\.(ts|js|json|md)$/.test(e.name) && p !== import.meta.filename) {
          const text = readFileSync(p, 'utf8');
          // The words are split so this file does not cite them itself.
          if (['DESIGN ' + '\u00a7', '../' + 'shared/', '/work' + '/'].some((w) => text.includes(w))) citing.push(relative(ROOT, p));
        }
      }
    };
    for (const d of ['server', 'editor/src', 'test', 'e2e', 'bench', 'scripts', 'bin', 'docs', 'rules/schema', 'fixtures/schema']) walk(join(ROOT, d));
    for (const f of ['README.md', 'rules/README.md', 'bench/README.md']) {
      if (['DESIGN ' + '\u00a7', '../' + 'shared/', '/work' + '/'].some((w) => readFileSync(join(ROOT, f), 'utf8').includes(w))) citing.push(f);
    }
    expect(citing, 'cite docs/architecture.md or docs/contracts.md instead').toEqual([]);
  });

  it('the README links to both', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const f of ['docs/architecture.md', 'docs/contracts.md']) expect(readme).toContain(`](${f})`);
    expect(basename(DOCS)).toBe('docs');
  });
});
