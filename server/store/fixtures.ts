// Fixtures in the store (docs/contracts.md): running a table's suite against the draft, a version or the newest
// version, case-level fixture diffs, fixture changes inside a draft, and recording a logged or just-evaluated case as
// a fixture. Checking a fixture file is fixture-validation.ts.
//
// One runner: every door (vitest over the files, the CLI, the API, the publish gate) runs cases with the engine's
// `runFixtureCase`/`runFixtureSuite`; this module only decides which compiled table a case runs against.
// A table with `requires` runs its chain (the engine's `chainedTable`): the required tables fill the inputs a case
// does not give, as in evaluate, the CLI and the editor; inputs the case gives win.
import { chainedTable } from '../engine/chain.ts';
import { compileTable } from '../engine/index.ts';
import { runFixtureSuite, sameValue, type CaseReport, type FixtureCase, type FixtureSuite, type SuiteReport, type TableResolver } from '../engine/fixture-runner.ts';
import { archiveForCase, dateInAmsterdam, versionForCase, type RunTarget } from '../engine/versions.ts';
import type { CompiledTable, DecisionTable } from '../engine/types.ts';
import { canonicalJson } from './canonical.ts';
import { StoreError } from './errors.ts';
import type { Evaluator } from './evaluation.ts';
import { assertFixtures } from './fixture-validation.ts';
import { stripPublication, type DraftRecord, type FixtureSet, type VersionMeta } from './records.ts';
import type { Store } from './store.ts';

// ---------------------------------------------------------------------------------------------
// Targets and resolvers

/** What the cases run against (see the engine's `RunTarget`, which also decides per case); a draft with its table. */
export type FixtureTarget = Exclude<RunTarget, { kind: 'draft' }> | { kind: 'draft'; table: DecisionTable; validFrom: string };

export type TargetName = 'newest' | 'draft' | number;

/** How a report names the table a case ran against. */
export function targetName(t: FixtureTarget): TargetName {
  return t.kind === 'version' ? t.version : t.kind;
}

/** Parses `draft`, `newest` or a version number (the CLI's --target and the API's ?target=). */
export function parseTarget(text: string | undefined): TargetName | null {
  if (text === undefined || text === '' || text === 'newest') return 'newest';
  if (text === 'draft') return 'draft';
  return /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : null;
}

function noVersion(tableId: string, date?: string, asOf?: string): StoreError {
  return new StoreError(
    'NO_VALID_VERSION',
    date === undefined && asOf === undefined
      ? `table '${tableId}' has no published version`
      : `no version of '${tableId}' is valid on ${date ?? 'today'}${asOf ? ` as known on ${asOf}` : ''}`,
  );
}

/** The refusal evaluate gives for a case dated on or after the table's archive date (server/store/evaluation.ts). */
function archivedError(tableId: string, since: string, date: string): StoreError {
  return new StoreError('TABLE_ARCHIVED', `table '${tableId}' is archived since ${since}: it decides no case dated on or after that day (earlier dates still answer)`, [], {
    archivedFrom: since,
    date,
  });
}

/** Compiles the draft table as it would be published from `validFrom` (version unknown yet). */
export function compileDraft(table: DecisionTable, validFrom?: string): CompiledTable {
  return compileTable({ ...stripPublication(table), ...(validFrom ? { validFrom } : {}) } as DecisionTable);
}

/** A resolver over the store's versions (compiled once each, through the evaluator's cache) and the target. */
export function storeResolver(store: Store, evaluator: Evaluator, tableId: string, target: FixtureTarget): TableResolver {
  const all = store.listVersions(tableId);
  if (target.kind === 'version' && !all.some((v) => v.version === target.version)) {
    throw new StoreError('VERSION_NOT_FOUND', `table '${tableId}' has no version ${target.version}`);
  }
  let draft: CompiledTable | undefined;
  const draftTable = () => (draft ??= compileDraft((target as { table: DecisionTable }).table, (target as { validFrom: string }).validFrom));
  const version = (meta: VersionMeta | undefined, date?: string, asOf?: string) => {
    if (!meta) throw noVersion(tableId, date, asOf);
    return evaluator.prepare(meta).compiled;
  };
  const archives = store.listArchives(tableId);
  const now = new Date(store.clockMs());
  return (date, asOf) => {
    // An archived table answers no case dated on or after its archive date, in a fixture run as in evaluate.
    const archived = archiveForCase(all, archives, target, date, asOf, now);
    if (archived) throw archivedError(tableId, archived.validFrom, date ?? dateInAmsterdam(now));
    const chosen = versionForCase(all, target, date, asOf);
    const table = chosen === 'draft' ? draftTable() : version(chosen, date, asOf);
    // A table with `requires` runs its chain, the required tables chosen on the case's clocks (as evaluate does).
    return chainedTable(table, evaluator.requiredTables({ ...(date !== undefined ? { date } : {}), ...(asOf !== undefined ? { asOf } : {}) }));
  };
}

// ---------------------------------------------------------------------------------------------
// Running

export interface TargetedCaseReport extends CaseReport {
  /** Position of the case in its suite. */
  index: number;
  /** What the case ran against: the draft or a version number (absent when no table could be chosen). */
  ranAgainst?: 'draft' | number;
}

export interface FixtureRunReport extends Omit<SuiteReport, 'cases'> {
  tableId: string;
  target: TargetName;
  /** Whether the cases are the table's fixture set or the draft's own (changed inside the draft). */
  source: 'table' | 'draft';
  cases: TargetedCaseReport[];
  /** Milliseconds spent running the cases. */
  ms: number;
}

/** The fixture set a target runs: the draft's own set for the draft (when it changed the fixtures), else the table's. */
export async function fixturesFor(store: Store, tableId: string, draft: DraftRecord | null): Promise<{ set: FixtureSet; source: 'table' | 'draft' }> {
  if (draft?.fixtures) return { set: draft.fixtures, source: 'draft' };
  return { set: (await store.getFixtures(tableId))?.fixtures ?? { table: tableId, cases: [] }, source: 'table' };
}

/** Runs a suite with the resolver of `target` and marks every case with what it ran against. */
export function runSuite(store: Store, evaluator: Evaluator, tableId: string, set: FixtureSet, target: FixtureTarget, source: 'table' | 'draft'): FixtureRunReport {
  const started = performance.now();
  let resolve: TableResolver;
  try {
    resolve = storeResolver(store, evaluator, tableId, target);
  } catch (err) {
    resolve = () => {
      throw err;
    };
  }
  const report = runFixtureSuite(set as FixtureSuite, resolve);
  const cases = report.cases.map((c, index): TargetedCaseReport => {
    const ran = c.error?.code === 'INVALID_FIXTURE' || (c.error && c.message?.startsWith('no table to run against')) ? undefined : (c.version ?? 'draft');
    return { ...c, index, ...(ran !== undefined ? { ranAgainst: ran } : {}) };
  });
  return { ...report, tableId, target: targetName(target), source, cases, ms: performance.now() - started };
}

/** The target for a table by name; `draft` without a stored draft is DRAFT_NOT_FOUND. */
export async function resolveTarget(store: Store, tableId: string, name: TargetName, draftValidFrom?: string): Promise<{ target: FixtureTarget; draft: DraftRecord | null }> {
  if (!store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
  const draft = await store.getDraft(tableId);
  if (name === 'draft') {
    if (!draft) throw new StoreError('DRAFT_NOT_FOUND', `table '${tableId}' has no draft`);
    return { target: { kind: 'draft', table: draft.table, validFrom: draftValidFrom ?? draft.validFrom ?? dateInAmsterdam(new Date()) }, draft };
  }
  if (name === 'newest') return { target: { kind: 'newest' }, draft: null };
  if (!store.listVersions(tableId).some((v) => v.version === name)) throw new StoreError('VERSION_NOT_FOUND', `table '${tableId}' has no version ${name}`);
  return { target: { kind: 'version', version: name }, draft: null };
}

/** Runs one table's fixtures against a target: the draft's set for `draft`, the table's otherwise. */
export async function runTableFixtures(store: Store, evaluator: Evaluator, tableId: string, name: TargetName, opts: { validFrom?: string } = {}): Promise<FixtureRunReport> {
  const { target, draft } = await resolveTarget(store, tableId, name, opts.validFrom);
  const { set, source } = await fixturesFor(store, tableId, target.kind === 'draft' ? draft : null);
  return runSuite(store, evaluator, tableId, set, target, source);
}

export interface AllFixturesReport {
  target: 'newest' | 'draft';
  suites: FixtureRunReport[];
  totals: { suites: number; cases: number; passed: number; failed: number; rules: number; unreached: number };
  ms: number;
}

/**
 * Runs every table's fixtures (tables without fixtures are left out). With `draft`, tables that have a draft run
 * against it (and its own fixture set); the others against their newest version.
 */
export async function runAllFixtures(
  store: Store,
  evaluator: Evaluator,
  name: 'newest' | 'draft' = 'newest',
  opts: { tables?: string[]; onSuite?: (done: number, total: number, report: FixtureRunReport) => void } = {},
): Promise<AllFixturesReport> {
  const started = performance.now();
  const ids: string[] = [];
  for (const id of opts.tables ?? store.tableIds()) {
    if ((await store.getFixtures(id)) !== null || (await store.getDraft(id))?.fixtures) ids.push(id);
  }
  const suites: FixtureRunReport[] = [];
  for (const id of ids) {
    const useDraft = name === 'draft' && (await store.getDraft(id)) !== null;
    const report = await runTableFixtures(store, evaluator, id, useDraft ? 'draft' : 'newest');
    suites.push(report);
    opts.onSuite?.(suites.length, ids.length, report);
  }
  const sum = (f: (s: FixtureRunReport) => number) => suites.reduce((n, s) => n + f(s), 0);
  return {
    target: name,
    suites,
    totals: {
      suites: suites.length,
      cases: sum((s) => s.totals.cases),
      passed: sum((s) => s.totals.passed),
      failed: sum((s) => s.totals.failed),
      rules: sum((s) => s.totals.rules),
      unreached: sum((s) => s.totals.unreached),
    },
    ms: performance.now() - started,
  };
}

// ---------------------------------------------------------------------------------------------
// Fixture changes (for the draft's diff and the audit trail)

export interface FixtureChanges {
  added: FixtureCase[];
  removed: FixtureCase[];
  /** Cases with the same name whose content changed; `fields` lists the keys that differ (expect, input, date, …). */
  changed: { name: string; fields: string[]; from: FixtureCase; to: FixtureCase }[];
  same: boolean;
}

/** Case-level diff by case name (names are unique within a valid set). */
export function diffFixtures(from: FixtureSet | null, to: FixtureSet | null): FixtureChanges {
  const a = (from?.cases ?? []) as FixtureCase[];
  const b = (to?.cases ?? []) as FixtureCase[];
  const byName = new Map(a.map((c) => [c.name, c]));
  const names = new Set(b.map((c) => c.name));
  const added = b.filter((c) => !byName.has(c.name));
  const removed = a.filter((c) => !names.has(c.name));
  const changed: FixtureChanges['changed'] = [];
  for (const c of b) {
    const old = byName.get(c.name);
    if (!old) continue;
    const keys = [...new Set([...Object.keys(old), ...Object.keys(c)])];
    const fields = keys.filter((k) => canonicalJson(old[k] ?? null) !== canonicalJson(c[k] ?? null));
    if (fields.length > 0) changed.push({ name: c.name, fields, from: old, to: c });
  }
  return { added, removed, changed, same: added.length + removed.length + changed.length === 0 };
}

/** A short summary of changes for the audit trail: case names per kind, and expectation changes in full. */
export function changeSummary(ch: FixtureChanges): Record<string, unknown> {
  return {
    added: ch.added.map((c) => c.name),
    removed: ch.removed.map((c) => c.name),
    changed: ch.changed.map((c) => ({
      name: c.name,
      fields: c.fields,
      ...(c.fields.includes('expect') || c.fields.includes('expectError')
        ? { expectFrom: c.from.expect ?? { error: c.from.expectError }, expectTo: c.to.expect ?? { error: c.to.expectError } }
        : {}),
    })),
  };
}

/** The reasons given for the fixture changes of the current draft, oldest first (from the audit trail). */
export async function draftFixtureReasons(store: Store, tableId: string): Promise<{ at: string; actor: string; reason: string; revision: number }[]> {
  const draft = await store.getDraft(tableId);
  if (!draft) return [];
  return (await store
    .auditEntries(tableId))
    .filter((e) => e.action === 'draft.fixtures.changed' && e.at >= draft.createdAt)
    .map((e) => ({ at: e.at, actor: e.actor, reason: String(e.detail.reason ?? ''), revision: Number(e.detail.revision) }));
}

export interface FixtureChangeRecord {
  at: string;
  actor: string;
  /** How the change was made: the route, or the command. */
  route: string;
  reason: string;
  /** Whether it changed the table's own set or the draft's. */
  into: 'table' | 'draft';
  added: string[];
  removed: string[];
  changed: { name: string; fields: string[]; expectFrom?: unknown; expectTo?: unknown }[];
}

/**
 * Every change of the table's fixtures since its last published version (or since it was created), oldest first:
 * who, by which route, why and what. The approval report shows them, so an expectation rewritten beside the draft
 * (PUT …/fixtures) is seen as well as one changed inside it.
 */
export async function fixtureChangesSinceVersion(store: Store, tableId: string): Promise<FixtureChangeRecord[]> {
  const since = store.listVersions(tableId).at(-1)?.publishedAt ?? '';
  const names = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  return (await store
    .auditEntries(tableId))
    // The first load of an empty database (actor 'import') is where the history starts, not a change.
    .filter((e) => e.at >= since && e.actor !== 'import' && (e.action === 'fixtures.changed' || e.action === 'draft.fixtures.changed' || e.action === 'fixtures.imported'))
    .map((e) => {
      const d = e.detail;
      const summary = (e.action === 'draft.fixtures.changed' ? d.sinceLastSave : d) as { added?: unknown; removed?: unknown; changed?: unknown } | undefined;
      return {
        at: e.at,
        actor: e.actor,
        route: typeof d.route === 'string' ? d.route : e.action === 'fixtures.imported' ? 'beslis import' : 'PUT /api/v1/tables/:id/fixtures',
        reason: typeof d.reason === 'string' ? d.reason : '',
        into: e.action === 'draft.fixtures.changed' ? 'draft' : 'table',
        added: names(summary?.added),
        removed: names(summary?.removed),
        changed: Array.isArray(summary?.changed) ? (summary.changed as FixtureChangeRecord['changed']) : [],
      } satisfies FixtureChangeRecord;
    });
}

/** The fixture part of the draft's diff: what approving would change in the table's fixture set, and why. */
export async function draftFixtureDiff(store: Store, tableId: string) {
  const draft = await store.getDraft(tableId);
  const table = (await store.getFixtures(tableId))?.fixtures ?? null;
  if (!draft?.fixtures) return { source: 'table' as const, ...diffFixtures(table, table), reasons: [] };
  return { source: 'draft' as const, ...diffFixtures(table, draft.fixtures), reasons: (await draftFixtureReasons(store, tableId)) };
}

// ---------------------------------------------------------------------------------------------
// Writing fixtures

/**
 * Replaces the table's fixture set (outside any draft). Refused while the draft holds its own fixture set: approving
 * the draft replaces the set, and a change made beside it would be lost; change the draft's set instead.
 */
export async function putTableFixtures(store: Store, tableId: string, value: unknown, actor: string, expectedRevision: number | undefined, change: { reason: string; route: string }) {
  const set = assertFixtures(value, tableId);
  const reason = change.reason.trim();
  if (reason === '') throw new StoreError('INVALID_FIXTURES', 'say why the fixtures change (reason): the approver of the next version sees it', [{ path: '/reason', message: 'must not be empty', code: 'REQUIRED' }]);
  return store.transaction(async () => {
    if (!store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
    const draft = await store.getDraft(tableId);
    // The expectations are part of what the approver reviews: they do not change under a submitted draft either.
    if (draft?.status === 'submitted') {
      throw new StoreError('DRAFT_SUBMITTED', `the draft of ${tableId} is submitted for approval; its fixtures cannot change while it is reviewed (withdraw it first)`, [], { revision: draft.revision });
    }
    if (draft?.fixtures) {
      throw new StoreError(
        'DRAFT_HAS_FIXTURES',
        `the draft of ${tableId} changes its fixtures; change them in the draft (PUT /api/v1/tables/${tableId}/draft/fixtures), so the change is reviewed with it`,
      );
    }
    const before = (await store.getFixtures(tableId))?.fixtures ?? null;
    const changes = diffFixtures(before, set);
    const record = await store.putFixtures(tableId, set, actor, expectedRevision, 'fixtures.saved');
    if (!changes.same) {
      await store.appendAudit({ actor, action: 'fixtures.changed', tableId, version: null, detail: { revision: record.revision, reason, route: change.route, ...changeSummary(changes) } });
    }
    return { record, changes };
  });
}

/**
 * Sets the draft's own fixture set (the expectation changes a policy change intends), with a reason. `expectedRevision`
 * is the draft revision (0: no stored draft yet; one is made from the newest version). The save counts as an edit of
 * the draft: the revision goes up, its status returns to editing, and the actor becomes one of its editors (four-eyes).
 * A set equal to the table's clears the draft's own set.
 */
export async function saveDraftFixtures(store: Store, tableId: string, value: unknown, reason: string, expectedRevision: number, actor: string): Promise<{ draft: DraftRecord; changes: FixtureChanges }> {
  const set = assertFixtures(value, tableId);
  if (reason.trim() === '') throw new StoreError('INVALID_FIXTURES', 'say why the fixtures change (reason)', [{ path: '/reason', message: 'must not be empty', code: 'REQUIRED' }]);
  return store.transaction(async () => {
    if (!store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
    const current = await store.getDraft(tableId);
    const base = current?.table ?? store.newestVersion(tableId)?.table;
    if (!base) throw new StoreError('DRAFT_NOT_FOUND', `table '${tableId}' has neither a draft nor a version`);
    const tableSet = (await store.getFixtures(tableId))?.fixtures ?? null;
    const changes = diffFixtures(tableSet, set);
    const previous = diffFixtures(current?.fixtures ?? tableSet, set);
    const summary = changeSummary(changes);
    const saved = await store.saveDraft(tableId, base, expectedRevision, actor, { fixtures: summary });
    await store.setDraftFixtures(tableId, changes.same ? null : set);
    await store.appendAudit({
      actor,
      action: 'draft.fixtures.changed',
      tableId,
      version: null,
      detail: { revision: saved.revision, reason: reason.trim(), route: 'PUT /api/v1/tables/:id/draft/fixtures', sinceLastSave: changeSummary(previous), againstTable: summary },
    });
    return { draft: (await store.getDraft(tableId))!, changes };
  });
}

// ---------------------------------------------------------------------------------------------
// Record as fixture

export interface RecordSource {
  /** An evaluation_log row id. */
  logId?: number;
  /** Or a case to decide now. */
  input?: Record<string, unknown>;
  date?: string;
  asOf?: string;
  version?: number;
}

export interface RecordOptions {
  name?: string;
  note?: string;
  /** Leave the date out, so the case runs against every new target (default: keep the case date). */
  undated?: boolean;
  /** Where the case goes: the draft's fixture set (default; part of the draft, reviewed with it) or the table's. */
  into?: 'draft' | 'table';
  /** Draft revision (into draft) or fixture revision (into table) the caller saw; absent: no check. */
  expectedRevision?: number;
}

interface LogRow {
  id: number;
  table_id: string;
  version: number;
  input: string;
  output: string | null;
  matched: string;
  case_date: string | null;
  as_of: string | null;
  evaluated_at: string;
}

export async function logRow(store: Store, id: number): Promise<LogRow | undefined> {
  return (await store.get('SELECT * FROM evaluation_log WHERE id = ?', id)) as LogRow | undefined;
}

/** Builds the fixture case for a logged evaluation or a case decided now (with the version that decides it). */
export async function caseFromSource(store: Store, evaluator: Evaluator, tableId: string, src: RecordSource, opts: RecordOptions): Promise<FixtureCase> {
  let input: Record<string, unknown>;
  let output: unknown;
  let date: string | undefined;
  let asOf: string | undefined;
  let note: string;
  if (src.logId !== undefined) {
    const row = await logRow(store, src.logId);
    if (!row || row.table_id !== tableId) throw new StoreError('LOG_ENTRY_NOT_FOUND', `table '${tableId}' has no logged evaluation ${src.logId}`);
    input = JSON.parse(row.input) as Record<string, unknown>;
    output = row.output === null ? null : JSON.parse(row.output);
    // A case logged without a date was decided on the day it was evaluated.
    date = row.case_date ?? dateInAmsterdam(new Date(row.evaluated_at));
    asOf = row.as_of ?? undefined;
    note = `recorded from logged evaluation ${row.id} (version ${row.version}, ${row.evaluated_at})`;
  } else {
    if (!src.input) throw new StoreError('INVALID_FIXTURES', 'give a logId or an input', [{ path: '/input', message: 'is required without logId', code: 'INPUT_OR_LOG' }]);
    const meta = evaluator.resolve(tableId, { date: src.date, asOf: src.asOf, version: src.version });
    const result = evaluator.prepare(meta).compiled.evaluate(src.input);
    input = src.input;
    output = result.output;
    date = src.date;
    asOf = src.asOf;
    note = `recorded from a case decided by version ${meta.version} on ${new Date().toISOString()}`;
  }
  if (output === null || typeof output !== 'object') {
    throw new StoreError('INVALID_FIXTURES', 'no rule matched this case and the table has no defaults: a fixture needs an outcome to expect', [
      { path: '/output', message: 'is null', code: 'NO_OUTCOME' },
    ]);
  }
  const c: FixtureCase = {
    name: opts.name ?? (src.logId !== undefined ? `Vastgelegd: evaluatie ${src.logId}` : `Vastgelegd: ${canonicalJson(input).slice(0, 80)}`),
    input,
    expect: output as FixtureCase['expect'],
    ...(!opts.undated && date ? { date } : {}),
    ...(!opts.undated && asOf ? { asOf } : {}),
    note: opts.note ?? note,
  };
  return c;
}

/** Appends a recorded case to the draft's fixture set (default) or the table's. */
export async function recordFixture(store: Store, evaluator: Evaluator, tableId: string, src: RecordSource, opts: RecordOptions, actor: string) {
  if (!store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
  const c = await caseFromSource(store, evaluator, tableId, src, opts);
  const into = opts.into ?? 'draft';
  return store.transaction(async () => {
    const draft = await store.getDraft(tableId);
    if (into === 'table') {
      const set = (await store.getFixtures(tableId))?.fixtures ?? { table: tableId, cases: [] };
      const { record } = (await putTableFixtures(store, tableId, { ...set, cases: [...set.cases, c] }, actor, opts.expectedRevision, {
        reason: `recorded as fixture: ${c.name}`,
        route: 'POST /api/v1/tables/:id/fixtures/record',
      }));
      return { into, case: c, revision: record.revision };
    }
    const { set } = await fixturesFor(store, tableId, draft);
    const result = await saveDraftFixtures(store, tableId, { ...set, cases: [...set.cases, c] }, `recorded as fixture: ${c.name}`, opts.expectedRevision ?? draft?.revision ?? 0, actor);
    return { into, case: c, revision: result.draft.revision };
  });
}

/** Whether two outcomes (outputs or error objects) are the same. */
export function sameOutcome(a: unknown, b: unknown): boolean {
  return sameValue(a ?? null, b ?? null);
}
