// Impact analysis and outcome statistics over the evaluation log (issue 5).
//
// Impact: every logged evaluation of a table in a period is decided again by the draft; an evaluation "changes" when
// the draft's outcome differs from the logged one (or the draft refuses the case). Changes are grouped by
// old → new outcome, with counts and a few example cases. The logged input is what the table itself saw (for a
// `requires` chain: with the required tables' outputs filled in), so the draft alone can replay it.
// Fixtures whose outcome the draft changes are listed too (against the newest version, per case).
//
// Periods are ISO timestamps compared with the log's `evaluated_at` (UTC). A date alone for `from` means the start of
// that day in Amsterdam, for `to` the end of it: the engine's one rule for dates (server/engine/versions.ts), which
// fixtures and asOf follow too.
import { EngineError } from '../engine/errors.ts';
import type { Problem } from '../engine/types.ts';
import { dateInAmsterdam, instantOf } from '../engine/versions.ts';
import type { EngineWorker } from './engine-worker.ts';
import { WorkerTaskError } from './engine-worker.ts';
import { StoreError } from './errors.ts';
import type { Evaluator } from './evaluation.ts';
import { fixturesFor, runSuite, sameOutcome, type TargetedCaseReport } from './fixtures.ts';
import { countOutcomes, replayLog, type Bucket, type ImpactGroup, type Period, type ReplayRequest, type ReplayResult, type StatsReport, type StatsRequest } from './log-replay.ts';
import { countOutcomesPostgres, postgresUrlOf, replayLogPostgres } from './log-replay-postgres.ts';
import type { Store } from './store.ts';

export type { Bucket, ImpactExample, ImpactGroup, Period, StatsReport } from './log-replay.ts';

function instant(text: string, end: boolean, path: string): string {
  let t: number;
  try {
    t = instantOf(text, end ? 'end' : 'start');
  } catch {
    t = NaN;
  }
  if (Number.isNaN(t)) throw new StoreError('INVALID_TABLE', `${path.slice(1)} must be a date (yyyy-mm-dd) or an ISO timestamp, not '${text}'`, [{ path, message: 'must be a date or timestamp', code: 'DATE_OR_TIMESTAMP' }]);
  return new Date(t).toISOString();
}

/** The period asked for; default: the 12 months up to now. */
export function period(from: string | undefined, to: string | undefined, now: Date = new Date()): Period {
  const end = to ? instant(to, true, '/to') : now.toISOString();
  let start: string;
  if (from) start = instant(from, false, '/from');
  else {
    const d = new Date(end);
    d.setUTCFullYear(d.getUTCFullYear() - 1);
    start = d.toISOString();
  }
  if (start > end) throw new StoreError('INVALID_TABLE', `the period starts (${start}) after it ends (${end})`, [{ path: '/from', message: 'must not be after to', code: 'PERIOD_ORDER' }]);
  return { from: start, to: end };
}

export interface FixtureImpact {
  name: string;
  date?: string;
  expected: unknown;
  before: { ranAgainst?: 'draft' | number; outcome: unknown; matched: string[]; pass: boolean };
  after: { ranAgainst?: 'draft' | number; outcome: unknown; matched: string[]; pass: boolean };
}

export interface ImpactReport {
  tableId: string;
  revision: number;
  period: Period;
  evaluated: number;
  changed: number;
  unchanged: number;
  /** Same outcome, but decided by other rules. */
  otherRules: number;
  /** Rows too large to have been logged whole (`$omitted`): not replayed. */
  skipped: number;
  /** Changed evaluations beyond the first 1,000 groups: counted, not grouped. */
  ungrouped: number;
  /** Logged evaluations per version that decided them. */
  byVersion: Record<string, number>;
  /** Most frequent first. */
  groups: ImpactGroup[];
  fixtures: FixtureImpact[];
  ms: number;
}

function caseOutcome(c: TargetedCaseReport): unknown {
  return c.error ? { error: { code: c.error.code } } : c.actual;
}

/** An engine error met in the worker (the draft does not compile), with its code and details kept. */
class RemoteEngineError extends EngineError {
  constructor(
    readonly code: string,
    message: string,
    details: Problem[],
  ) {
    super(message, details);
  }
}

/** Runs a log task in the worker thread (a file database, or PostgreSQL with a connection of its own), or inline (an in-memory one). */
async function offThread<T>(store: Store, worker: EngineWorker | null, task: 'replay' | 'stats', req: unknown, inline: () => T | Promise<T>, postgres: (url: string) => Promise<T>): Promise<T> {
  const url = postgresUrlOf(store);
  // PostgreSQL without a worker: paged from a cursor, each page awaited, so the request thread answers in between.
  if (url && !worker) return postgres(url);
  if (!worker || store.file === ':memory:') return inline();
  try {
    return await worker.run<T>(url ? `${task}-postgres` : task, url ? { url, req } : { file: store.file, req });
  } catch (err) {
    if (err instanceof WorkerTaskError && err.failure.code) {
      throw new RemoteEngineError(err.failure.code, err.failure.message ?? 'the draft failed', (err.failure.details as Problem[] | undefined) ?? []);
    }
    throw err;
  }
}

/**
 * Replays the logged evaluations of `period` against the stored draft: in the worker thread (when given), which
 * streams the log on its own connection, so the request thread keeps serving meanwhile.
 */
export async function draftImpact(
  store: Store,
  evaluator: Evaluator,
  tableId: string,
  p: Period,
  opts: { examples?: number; worker?: EngineWorker | null; memo?: number } = {},
): Promise<ImpactReport> {
  const started = performance.now();
  if (!store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
  const draft = await store.getDraft(tableId);
  if (!draft) throw new StoreError('DRAFT_NOT_FOUND', `table '${tableId}' has no draft: there is nothing to compare the logged evaluations with`);
  const req: ReplayRequest = {
    tableId,
    period: p,
    table: draft.table,
    ...(draft.validFrom ? { validFrom: draft.validFrom } : {}),
    examples: opts.examples ?? 5,
    ...(opts.memo !== undefined ? { memo: opts.memo } : {}),
  };
  const replay = await offThread<ReplayResult>(store, opts.worker ?? null, 'replay', req, () => replayLog(store.db, req), (url) => replayLogPostgres(url, req));
  const { evaluated, changed, otherRules, skipped, ungrouped, byVersion, groups: sorted } = replay;

  // Fixtures: each case under the newest version (dated ones: the version valid then) and under the draft.
  const { set, source } = await fixturesFor(store, tableId, draft);
  const fixtures: FixtureImpact[] = [];
  if (store.listVersions(tableId).length > 0) {
    const before = runSuite(store, evaluator, tableId, set, { kind: 'newest' }, source);
    const after = runSuite(store, evaluator, tableId, set, { kind: 'draft', table: draft.table, validFrom: draft.validFrom ?? dateInAmsterdam(new Date()) }, source);
    after.cases.forEach((a, i) => {
      const b = before.cases[i]!;
      if (sameOutcome(caseOutcome(b), caseOutcome(a))) return;
      fixtures.push({
        name: a.name,
        ...(a.date ? { date: a.date } : {}),
        expected: a.expected,
        before: { ...(b.ranAgainst !== undefined ? { ranAgainst: b.ranAgainst } : {}), outcome: caseOutcome(b), matched: b.matched, pass: b.pass },
        after: { ...(a.ranAgainst !== undefined ? { ranAgainst: a.ranAgainst } : {}), outcome: caseOutcome(a), matched: a.matched, pass: a.pass },
      });
    });
  }
  return {
    tableId,
    revision: draft.revision,
    period: p,
    evaluated,
    changed,
    unchanged: evaluated - changed - skipped,
    otherRules,
    skipped,
    ungrouped,
    byVersion,
    groups: sorted,
    fixtures,
    ms: performance.now() - started,
  };
}

/** Outcome counts of a table's logged evaluations per day, month or year (in Amsterdam), counted off the request thread. */
export function outcomeStats(store: Store, tableId: string, p: Period, by: Bucket = 'month', output?: string, worker: EngineWorker | null = null): Promise<StatsReport> {
  if (!store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
  const req: StatsRequest = { tableId, period: p, by, ...(output !== undefined ? { output } : {}) };
  return offThread<StatsReport>(store, worker, 'stats', req, () => countOutcomes(store.db, req), (url) => countOutcomesPostgres(url, req));
}
