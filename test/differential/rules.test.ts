// Every published table under rules/ (rules/<a>/<b>/v<n>.json), found when the tests run: the compiled engine and the
// json-rules-engine export must agree on generated cases and on the cases of the table's fixtures.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { DecisionTable } from '../../server/engine/types.ts';
import { casesFor } from './cases.ts';
import { compare } from './harness.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function files(dir: string, match: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => match(f.split(/[\\/]/).pop()!))
    .map((f) => join(dir, f))
    .sort();
}

const tables = files(join(root, 'rules'), (name) => /^v\d+\.json$/.test(name));

/** Cases from fixtures/<a>/<b>.json (`{table, cases: [{input}]}`), by table id. */
function fixtureCases(): Map<string, Record<string, unknown>[]> {
  const byTable = new Map<string, Record<string, unknown>[]>();
  for (const file of files(join(root, 'fixtures'), (name) => name.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { table?: unknown; cases?: { input?: unknown }[] };
    if (typeof doc.table !== 'string' || !Array.isArray(doc.cases)) continue;
    const list = byTable.get(doc.table) ?? [];
    for (const c of doc.cases) if (c.input && typeof c.input === 'object') list.push(c.input as Record<string, unknown>);
    byTable.set(doc.table, list);
  }
  return byTable;
}

describe('tables under rules/', () => {
  it(`finds the published tables (${tables.length} now)`, () => {
    // Zero is allowed while rules/ is being written; the hand-written and generated tables run regardless.
    for (const f of tables) expect(relative(root, f)).toMatch(/^rules\/[a-z0-9-]+\/[a-z0-9-]+\/v\d+\.json$/);
  });

  const fixtures = fixtureCases();
  for (const file of tables) {
    it(`${relative(root, file)}: compiled engine and json-rules-engine agree`, async () => {
      const table = JSON.parse(readFileSync(file, 'utf8')) as DecisionTable;
      const cases = [...casesFor(table), ...(fixtures.get(table.id) ?? [])];
      const { mismatches, kinds, exported } = await compare(table, cases);
      expect(mismatches.slice(0, 5)).toEqual([]);
      // The cases reach the rules, not only the input checks.
      expect(kinds.match ?? 0).toBeGreaterThan(0);
      expect(exported.rules).toHaveLength(table.rules.length);
    });
  }
});
