// Running a table's test cases in the browser exactly as the server does: the engine's fixture runner
// (runFixtureCase), the engine's choice of version per case (versionForCase: case dates and asOf honoured, the working
// copy standing in for the draft or the version on screen), and `requires` chains walked by the engine
// (chainedTable). The versions a run needs are fetched from the API first, then every case runs synchronously.
import { api, ApiError, request, type FixtureCase, type VersionMeta } from '../api.ts';
import { chainedTable, type RequiredTables } from '../../../server/engine/chain.ts';
import { runFixtureCase, type CaseReport, type TableResolver } from '../../../server/engine/fixture-runner.ts';
import { compileTable, EngineError, type CompiledTable, type DecisionTable } from '../../../server/engine/index.ts';
import { archiveForCase, chooseVersion, versionForCase, type ArchiveMark, type RunTarget } from '../../../server/engine/versions.ts';
import { supports } from '../capabilities.ts';
import { todayIso } from '../i18n/index.ts';
import type { TableSession } from './session.ts';

/** Thrown by the resolver when a run needs a version not fetched yet; the run is repeated once it is. */
class NotLoaded extends Error {
  constructor(
    readonly tableId: string,
    readonly version?: number,
  ) {
    super(`${tableId}${version !== undefined ? ` v${version}` : ''} is not loaded yet`);
  }
}

function engineLikeError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** The published versions and compiled tables of the tables a run reads, fetched once per session. */
export class VersionLibrary {
  /** Forgets the version list of a table (a version may have been published since), so the next run asks again. */
  forget(tableId: string): void {
    this.metas.delete(tableId);
  }

  /** Whether the versions of a table are known. */
  has(tableId: string, version?: number): boolean {
    return version === undefined ? this.metas.has(tableId) : this.tables.has(`${tableId}@${version}`);
  }

  /** The archive marks of a table (GET …/archive), loaded with its versions: an archived table answers no later date. */
  archives(tableId: string): readonly ArchiveMark[] {
    return this.archiveMarks.get(tableId) ?? [];
  }

  private readonly metas = new Map<string, VersionMeta[] | null>();
  private readonly archiveMarks = new Map<string, ArchiveMark[]>();
  private readonly tables = new Map<string, CompiledTable | null>();

  /** The versions of a table (null: the table does not exist), or NotLoaded. */
  versions(tableId: string): VersionMeta[] | null {
    if (!this.metas.has(tableId)) throw new NotLoaded(tableId);
    return this.metas.get(tableId)!;
  }

  /** A compiled version, or NotLoaded. */
  table(tableId: string, version: number): CompiledTable {
    const key = `${tableId}@${version}`;
    if (!this.tables.has(key)) throw new NotLoaded(tableId, version);
    const t = this.tables.get(key);
    if (!t) throw engineLikeError('VERSION_NOT_FOUND', `table '${tableId}' has no version ${version}`);
    return t;
  }

  private async loadArchives(tableId: string): Promise<ArchiveMark[]> {
    if (!supports('get', '/api/v1/tables/{id}/archive')) return [];
    try {
      const { data } = await request<{ archives?: ArchiveMark[] }>('GET', `/api/v1/tables/${encodeURIComponent(tableId)}/archive`, { endpoint: '/api/v1/tables/{id}/archive' });
      return data.archives ?? [];
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return [];
      throw err;
    }
  }

  async load(need: NotLoaded): Promise<void> {
    if (need.version === undefined) {
      try {
        const [detail, archives] = await Promise.all([api.table(need.tableId), this.loadArchives(need.tableId)]);
        this.archiveMarks.set(need.tableId, archives);
        this.metas.set(need.tableId, [...detail.versions].sort((a, b) => a.version - b.version));
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 404)) throw err;
        this.metas.set(need.tableId, null);
      }
      return;
    }
    const key = `${need.tableId}@${need.version}`;
    try {
      this.tables.set(key, compileTable(await api.version(need.tableId, need.version)));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 404)) throw err;
      this.tables.set(key, null);
    }
  }
}

/** What the cases run against, as the server's Run does for this session (see `serverTarget`). */
export interface LocalTarget {
  run: RunTarget;
  /** The version the working copy stands for (the newest, or the one on screen); undefined for a draft. */
  workingVersion?: number;
}

/** The server's target name for this session's Run: the version on screen, the stored draft, or the newest version. */
export function serverTarget(s: TableSession): string {
  return s.readonly ? String(s.version) : s.revision > 0 ? 'draft' : 'newest';
}

function localTarget(s: TableSession, versions: readonly VersionMeta[]): LocalTarget {
  if (s.readonly && s.version !== undefined) return { run: { kind: 'version', version: s.version }, workingVersion: s.version };
  if (s.revision > 0) return { run: { kind: 'draft', validFrom: s.draft?.validFrom ?? todayIso() } };
  const newest = versions.reduce<number | undefined>((n, v) => (n === undefined || v.version > n ? v.version : n), undefined);
  // Without a stored draft the working copy is the newest version (as the server runs it); with none, a new draft.
  return newest === undefined ? { run: { kind: 'draft', validFrom: todayIso() } } : { run: { kind: 'newest' }, workingVersion: newest };
}

function noVersion(tableId: string, date?: string, asOf?: string): Error {
  return engineLikeError(
    'NO_VALID_VERSION',
    date === undefined && asOf === undefined ? `table '${tableId}' has no published version` : `no version of '${tableId}' is valid on ${date ?? 'today'}${asOf ? ` as known on ${asOf}` : ''}`,
  );
}

/** As the server refuses a case dated on or after the archive date (server/store/fixtures.ts). */
function archivedError(tableId: string, since: string): Error {
  return engineLikeError('TABLE_ARCHIVED', `table '${tableId}' is archived since ${since}: it decides no case dated on or after that day (earlier dates still answer)`);
}

function resolver(s: TableSession, lib: VersionLibrary, working: CompiledTable): TableResolver {
  return (date, asOf) => {
    const versions = lib.versions(s.id) ?? [];
    const target = localTarget(s, versions);
    const archived = archiveForCase(versions, lib.archives(s.id), target.run, date, asOf);
    if (archived) throw archivedError(s.id, archived.validFrom);
    const chosen = versionForCase(versions, target.run, date, asOf);
    if (chosen === undefined) throw noVersion(s.id, date, asOf);
    const table = chosen === 'draft' || chosen.version === target.workingVersion ? working : lib.table(s.id, chosen.version);
    const required: RequiredTables = (reqId, by) => {
      const list = lib.versions(reqId);
      if (list === null) throw engineLikeError('INVALID_TABLE', `${by.table.id} requires ${reqId}: unknown table '${reqId}'`);
      const pick = chooseVersion(list, lib.archives(reqId), { ...(date !== undefined ? { date } : {}), ...(asOf !== undefined ? { asOf } : {}) });
      if (pick && 'archived' in pick) throw engineLikeError('TABLE_ARCHIVED', `${by.table.id} requires ${reqId}: ${archivedError(reqId, pick.archived.validFrom).message}`);
      const v = pick?.version;
      if (!v) throw engineLikeError('NO_VALID_VERSION', `${by.table.id} requires ${reqId}: ${noVersion(reqId, date ?? todayIso(), asOf).message}`);
      return lib.table(reqId, v.version);
    };
    return chainedTable(table, required);
  };
}

function missing(errors: unknown[]): NotLoaded[] {
  const out = new Map<string, NotLoaded>();
  for (const e of errors) if (e instanceof NotLoaded) out.set(`${e.tableId}@${e.version ?? ''}`, e);
  return [...out.values()];
}

/**
 * Runs the cases against the working copy (`compiled`) as the server would: fetches what the run needs (the
 * table's versions, the versions dated cases choose, the tables a chain requires), then runs every case with the
 * engine. `onProgress` is told after each step of cases (a large set keeps the page responsive).
 */
export async function runCasesLikeServer(
  s: TableSession,
  lib: VersionLibrary,
  compiled: CompiledTable,
  cases: FixtureCase[],
  onProgress?: (done: number, total: number) => void,
): Promise<CaseReport[]> {
  const STEP = 25;
  for (let round = 0; ; round++) {
    const thrown: unknown[] = [];
    const resolve = resolver(s, lib, compiled);
    const watching: TableResolver = (date, asOf) => {
      try {
        const table = resolve(date, asOf);
        return { table: table.table, evaluate: (input, opts) => watch(() => table.evaluate(input, opts), thrown) };
      } catch (err) {
        thrown.push(err);
        throw err;
      }
    };
    const reports: CaseReport[] = [];
    for (let i = 0; i < cases.length; i += STEP) {
      cases.slice(i, i + STEP).forEach((c, j) => reports.push(runFixtureCase(c as never, watching, i + j).report));
      onProgress?.(reports.length, cases.length);
      if (i + STEP < cases.length) await new Promise((r) => setTimeout(r, 0));
    }
    const needs = missing(thrown);
    if (needs.length === 0 || round >= 8) return reports;
    for (const need of needs) await lib.load(need);
  }
}

function watch<T>(fn: () => T, thrown: unknown[]): T {
  try {
    return fn();
  } catch (err) {
    thrown.push(err);
    throw err;
  }
}

/** Versions fetched for runs and simulations, kept per open table. */
const libraries = new WeakMap<TableSession, VersionLibrary>();

export function libraryOf(s: TableSession): VersionLibrary {
  let lib = libraries.get(s);
  if (!lib) libraries.set(s, (lib = new VersionLibrary()));
  return lib;
}

/** A required table the simulator has not fetched yet (it is fetched when the panel opens). */
class RequiredTableLoading extends EngineError {
  readonly code = 'REQUIRED_TABLE_LOADING';
}

/** A required table archived before the case's date: as the server, the simulation gives no decision then. */
export class RequiredTableArchived extends EngineError {
  readonly code = 'TABLE_ARCHIVED';
  constructor(
    readonly tableId: string,
    readonly since: string,
    by: string,
  ) {
    super(`${by} requires ${tableId}: ${archivedError(tableId, since).message}`);
  }
}

/** Fetches every table `table` requires (and theirs), each the version valid on `date` (none for an archived one). */
export async function preloadRequired(table: DecisionTable, lib: VersionLibrary, date: string): Promise<void> {
  const seen = new Set<string>();
  const visit = async (t: DecisionTable): Promise<void> => {
    for (const reqId of t.requires ?? []) {
      if (seen.has(reqId)) continue;
      seen.add(reqId);
      if (!lib.has(reqId)) await lib.load(new NotLoaded(reqId));
      const pick = chooseVersion(lib.versions(reqId) ?? [], lib.archives(reqId), { date });
      const v = pick && 'version' in pick ? pick.version : undefined;
      if (!v) continue;
      if (!lib.has(reqId, v.version)) await lib.load(new NotLoaded(reqId, v.version));
      if (lib.has(reqId, v.version)) {
        try {
          await visit(lib.table(reqId, v.version).table);
        } catch {
          /* a version that does not exist: the simulation says so when it runs */
        }
      }
    }
  };
  await visit(table);
}

/** The required tables of a simulation on `date`, from what `preloadRequired` fetched; as the server chooses them. */
export function requiredFromLibrary(lib: VersionLibrary, date: string, asOf?: string): RequiredTables {
  return (reqId, by) => {
    if (!lib.has(reqId)) throw new RequiredTableLoading(`${by.table.id} requires ${reqId}, which is still being fetched`);
    const list = lib.versions(reqId);
    if (list === null) throw new RequiredTableLoading(`${by.table.id} requires ${reqId}: unknown table '${reqId}'`);
    // The table's archives count, as on the server and in fixture runs (chooseVersion, as the resolver above).
    const pick = chooseVersion(list, lib.archives(reqId), { date, ...(asOf ? { asOf } : {}) });
    if (pick && 'archived' in pick) throw new RequiredTableArchived(reqId, pick.archived.validFrom, by.table.id);
    const v = pick?.version;
    if (!v) throw new RequiredTableLoading(`${by.table.id} requires ${reqId}: ${noVersion(reqId, date, asOf).message}`);
    if (!lib.has(reqId, v.version)) throw new RequiredTableLoading(`${by.table.id} requires ${reqId} v${v.version}, which is still being fetched`);
    return lib.table(reqId, v.version);
  };
}

/**
 * The input columns of the tables `table` requires (and theirs) that the table itself does not have: what a case
 * must also give for the chain to run, in chain order. Only from what `preloadRequired` fetched.
 */
export function requiredInputs(table: DecisionTable, required: RequiredTables): DecisionTable['inputs'] {
  const own = new Set(table.inputs.map((c) => c.path ?? c.name));
  const out: DecisionTable['inputs'] = [];
  const seen = new Set<string>();
  const top = { table } as CompiledTable;
  const visit = (t: DecisionTable, by: CompiledTable): void => {
    for (const [i, reqId] of (t.requires ?? []).entries()) {
      if (seen.has(reqId)) continue;
      seen.add(reqId);
      let req: CompiledTable;
      try {
        req = required(reqId, by, i);
      } catch {
        continue;
      }
      visit(req.table, req);
      for (const col of req.table.inputs) {
        const key = col.path ?? col.name;
        if (col.expression !== undefined || own.has(key)) continue;
        own.add(key);
        out.push(col);
      }
    }
  };
  visit(table, top);
  return out;
}
