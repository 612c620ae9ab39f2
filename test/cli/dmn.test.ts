// `beslis import model.dmn` and `beslis export <id> --format dmn`, run as a user runs them, on real database files.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TCK_DIR } from '../../server/cli/commands/tck.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tck = DEFAULT_TCK_DIR;
let dir = '';

function beslis(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/beslis.js'), ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function draftTable(db: string, id: string): { id: string; rules: unknown[] } | null {
  const conn = new Database(db, { readonly: true });
  try {
    const row = conn.prepare('SELECT content FROM drafts WHERE table_id = ?').get(id) as { content: string } | undefined;
    return row ? JSON.parse(row.content) : null;
  } finally {
    conn.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'beslis-dmn-cli-'));
  cpSync(join(root, 'rules'), join(dir, 'src', 'rules'), { recursive: true });
  expect(beslis(['import', join(dir, 'src'), '--db', join(dir, 'a.db')]).code).toBe(0);
});

describe('DMN on the command line', () => {
  it('exports a published table as DMN 1.5 (as the editor does) and imports it into another database as a draft', () => {
    const file = join(dir, 'matrix.dmn');
    const exported = beslis(['export', 'handhaving.interventiematrix', '--format', 'dmn', '--db', join(dir, 'a.db'), '--out', file]);
    expect(exported.code).toBe(0);
    const xml = readFileSync(file, 'utf8');
    expect(xml).toContain('https://www.omg.org/spec/DMN/20230324/MODEL/');
    expect(xml).toContain('<decisionTable');
    // DMN 1.3 on request, for tools that read no newer one; another version is a usage error.
    const old = beslis(['export', 'handhaving.interventiematrix', '--format', 'dmn', '--dmn-version', '1.3', '--db', join(dir, 'a.db')]);
    expect(old.out).toContain('https://www.omg.org/spec/DMN/20191111/MODEL/');
    expect(old.out).not.toContain('20230324');
    const wrong = beslis(['export', 'handhaving.interventiematrix', '--format', 'dmn', '--dmn-version', '1.7', '--db', join(dir, 'a.db')]);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('--dmn-version must be 1.3 or 1.5');

    const imported = beslis(['import', file, '--db', join(dir, 'b.db')]);
    expect(imported.code).toBe(0);
    expect(imported.out).toContain('created   handhaving.interventiematrix');
    const draft = draftTable(join(dir, 'b.db'), 'handhaving.interventiematrix');
    expect(draft?.rules).toHaveLength(16);
  });

  it('writes DMN to standard output and refuses an unknown table or version', () => {
    const out = beslis(['export', 'drank-horeca.boete', '--format', 'dmn', '--version', '1', '--db', join(dir, 'a.db')]);
    expect(out.code).toBe(0);
    expect(out.out.startsWith('<?xml')).toBe(true);
    expect(beslis(['export', 'drank-horeca.boete', '--format', 'dmn', '--version', '9', '--db', join(dir, 'a.db')]).code).toBe(1);
    expect(beslis(['export', 'geen.tabel', '--format', 'dmn', '--db', join(dir, 'a.db')]).err).toContain("table 'geen.tabel' has no published version");
    expect(beslis(['export', 'drank-horeca.boete', '--format', 'pdf', '--db', join(dir, 'a.db')]).code).toBe(2);
  });

  it('refuses a model with elements it cannot keep, naming each, unless --partial', () => {
    const model = join(tck, '0072-feel-in', '0072-feel-in.dmn');
    const refused = beslis(['import', model, '--db', join(dir, 'c.db')]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("error decision '0072-feel-in.null-001-c' (null_001_c): a literal-expression decision");
    expect(refused.out).toContain('nothing imported');
  });
});
