// Reads the policy as files (rules/ and fixtures/: docs/contracts.md) for the policy tests and the catalogue.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTable } from '../../server/engine/index.ts';
import type { FixtureSuite, TableResolver } from '../../server/engine/fixture-runner.ts';
import { chainedTable, type RequiredTables } from '../../server/engine/chain.ts';
import { selectVersion, versionForCase } from '../../server/engine/versions.ts';
import type { CompiledTable, DecisionTable } from '../../server/engine/types.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

/** Path relative to the repository, with forward slashes. */
export function rel(path: string): string {
  return relative(ROOT, path).split(sep).join('/');
}

export interface VersionFile {
  file: string;
  table: DecisionTable;
}

/** Every published version file under rules/<a>/<b>/v<N>.json (rules/schema is not a table). */
export function versionFiles(root = ROOT): VersionFile[] {
  return walk(join(root, 'rules'))
    .filter((f) => /\/v\d+\.json$/.test(rel(f)) && !rel(f).startsWith('rules/schema/'))
    .map((file) => ({ file, table: JSON.parse(readFileSync(file, 'utf8')) as DecisionTable }));
}

/** Version files grouped by table id, each group ordered by version. */
export function tablesById(root = ROOT): Map<string, VersionFile[]> {
  const byId = new Map<string, VersionFile[]>();
  for (const v of versionFiles(root)) {
    const list = byId.get(v.table.id) ?? [];
    list.push(v);
    byId.set(v.table.id, list);
  }
  for (const list of byId.values()) list.sort((a, b) => (a.table.version ?? 0) - (b.table.version ?? 0));
  return byId;
}

export interface FixtureFile {
  file: string;
  suite: FixtureSuite;
}

export function fixtureFiles(root = ROOT): FixtureFile[] {
  return walk(join(root, 'fixtures'))
    .filter((f) => f.endsWith('.json') && !rel(f).startsWith('fixtures/schema/'))
    .map((file) => ({ file, suite: JSON.parse(readFileSync(file, 'utf8')) as FixtureSuite }));
}

/** publishedAt and friends per version, from rules/<a>/<b>/published.json when the store exported one (it is optional). */
function publications(versionFile: string): Record<string, { publishedAt?: string }> {
  const file = join(dirname(versionFile), 'published.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, { publishedAt?: string }>) : {};
}

function versionInfos(versions: VersionFile[]) {
  return versions.map((v) => {
    const publishedAt = publications(v.file)[String(v.table.version)]?.publishedAt;
    return { version: v.table.version ?? 0, validFrom: v.table.validFrom ?? '', ...(publishedAt ? { publishedAt } : {}) };
  });
}

const compiledFiles = new Map<string, CompiledTable>();

function compiledFile(v: VersionFile): CompiledTable {
  let t = compiledFiles.get(v.file);
  if (!t) compiledFiles.set(v.file, (t = compileTable(v.table)));
  return t;
}

/**
 * A resolver over a table's version files: the case date (default today) and asOf choose the version
 * (docs/architecture.md). With `all` (every table's files), a table with `requires` runs its chain as the store does,
 * each required table the version chosen on the case's clocks.
 */
export function fileResolver(versions: VersionFile[], all?: Map<string, VersionFile[]>): TableResolver {
  const compiled = new Map<number, CompiledTable>();
  const infos = versionInfos(versions);
  const required = (date?: string, asOf?: string): RequiredTables => (reqId, by) => {
    const files = all?.get(reqId) ?? [];
    const v = selectVersion(versionInfos(files), { ...(date !== undefined ? { date } : {}), ...(asOf !== undefined ? { asOf } : {}) });
    const file = v && files.find((f) => f.table.version === v.version);
    if (!file) throw Object.assign(new Error(`${by.table.id} requires ${reqId}: no version valid on ${date ?? 'today'}`), { code: 'NO_VALID_VERSION' });
    return compiledFile(file);
  };
  const chained = (table: CompiledTable, date?: string, asOf?: string) => (all ? chainedTable(table, required(date, asOf)) : table);
  return (date, asOf) => {
    // Undated cases run against the newest version (docs/contracts.md), as `beslis fixtures run` does; dated ones on two clocks.
    const chosen = versionForCase(infos, { kind: 'newest' }, date, asOf);
    if (!chosen || chosen === 'draft') {
      const id = versions[0]?.table.id ?? '?';
      throw Object.assign(new Error(`no version of ${id} is valid on ${date ?? 'today'}${asOf ? ` as known on ${asOf}` : ''}`), { code: 'NO_VERSION' });
    }
    let table = compiled.get(chosen.version);
    if (!table) {
      table = compileTable(versions.find((v) => v.table.version === chosen.version)!.table);
      compiled.set(chosen.version, table);
    }
    return chained(table, date, asOf);
  };
}
