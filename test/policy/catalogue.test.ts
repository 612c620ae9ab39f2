// rules/README.md is generated from the tables (scripts/catalogue.ts); this fails when someone changes a table and
// forgets `npm run catalogue`, or edits the register by hand.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTables, renderCatalogue } from '../../scripts/catalogue.ts';
import { ROOT } from './policy-files.ts';

describe('rules/README.md (beleidsregister)', () => {
  const committed = readFileSync(join(ROOT, 'rules', 'README.md'), 'utf8');

  it('is up to date with the tables (run `npm run catalogue` after changing rules/)', () => {
    expect(committed).toBe(renderCatalogue(ROOT));
  });

  it('lists every table with its owner, confidence, review date and versions', () => {
    const tables = readTables(ROOT);
    expect(tables.size).toBeGreaterThan(0);
    for (const [id, versions] of tables) {
      const t = versions[versions.length - 1]!;
      const row = committed.split('\n').find((l) => l.startsWith(`| \`${id}\` |`));
      expect(row, id).toBeDefined();
      expect(row).toContain(t.meta!.owner!);
      expect(row).toContain(`| ${t.meta!.confidence} (`);
      const [y, m, d] = t.meta!.reviewBy!.split('-');
      expect(row).toContain(`| ${d}-${m}-${y} |`);
      for (const v of versions) expect(row).toContain(`v${v.version} vanaf`);
    }
    expect(committed).toContain('v1 vanaf 01-01-2013; v2 vanaf 01-01-2024');
  });

  describe('detects a change', () => {
    const dir = mkdtempSync(join(tmpdir(), 'beslis-catalogue-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a changed owner in a table gives a different register', () => {
      cpSync(join(ROOT, 'rules'), join(dir, 'rules'), { recursive: true });
      expect(renderCatalogue(dir)).toBe(committed);
      // The register shows the newest version's owner: change it in the newest version of a table.
      const file = join(dir, 'rules', 'handhaving', 'gevolgen', 'v2.json');
      const table = JSON.parse(readFileSync(file, 'utf8'));
      table.meta.owner = 'Iemand anders';
      writeFileSync(file, JSON.stringify(table));
      const changed = renderCatalogue(dir);
      expect(changed).not.toBe(committed);
      expect(changed).toContain('Iemand anders');
    });
  });
});
