// The required tables of a `requires` chain read from a rules folder (rules/<a>/<b>/v<N>.json, the files form of the
// store), for `beslis evaluate` on a table file: the version valid on the case date, chosen by the engine's rule.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RequiredTables } from '../engine/chain.ts';
import { compileTable, type CompiledTable, type DecisionTable } from '../engine/index.ts';
import { selectVersion } from '../engine/versions.ts';

/** The rules folder a version file sits in (`rules/handhaving/gedrag/v1.json` → `rules`), or null for another path. */
export function rulesDirOf(tableFile: string): string | null {
  if (!/^v\d+\.json$/.test(basename(tableFile))) return null;
  return dirname(dirname(dirname(tableFile)));
}

export class MissingTableError extends Error {
  readonly code = 'TABLE_NOT_FOUND';
}

/** Required tables from `rulesDir`, each the version valid on `date` (default today in Amsterdam). */
export function requiredFromDir(rulesDir: string, date?: string): RequiredTables {
  const compiled = new Map<string, CompiledTable>();
  return (tableId, by) => {
    const folder = join(rulesDir, ...tableId.split('.'));
    const files = existsSync(folder) ? readdirSync(folder).filter((f) => /^v\d+\.json$/.test(f)) : [];
    const versions = files.map((f) => {
      const table = JSON.parse(readFileSync(join(folder, f), 'utf8')) as DecisionTable;
      return { version: table.version ?? Number(f.slice(1, -5)), validFrom: table.validFrom ?? '0000-01-01', file: join(folder, f), table };
    });
    const chosen = selectVersion(versions, date !== undefined ? { date } : {});
    if (!chosen) {
      throw new MissingTableError(`${by.table.id} requires ${tableId}, but ${folder} holds no version of it valid on ${date ?? 'today'}`);
    }
    let table = compiled.get(chosen.file);
    if (!table) compiled.set(chosen.file, (table = compileTable(chosen.table)));
    return table;
  };
}
