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
import { dateInAmsterdam, instantOf } from '../engine/versions.ts';
import type { CompiledTable } from '../engine/types.ts';
import { canonicalJson } from './canonical.ts';
import { StoreError } from './errors.ts';
import type { Evaluator } from './evaluation.ts';
import { compileDraft, fixturesFor, runSuite, sameOutcome, type TargetedCaseReport } from './fixtures.ts';
import type { Store } from './store.ts';

export interface Period {
  from: string;
  to: string;
}

function instant(text: string, end: boolean, path: string): string {
  let t: number;
  try {
    t = instantOf(text, end ? 'end' : 'start');
  } catch {
    t = NaN;
  }
  if (Number.isNaN(t)) throw new StoreError('INVALID_TABLE', `${path.slice(1)} must be a date (yyyy-mm-dd) or an ISO timestamp, not '${text}'`, [{ path, message: 'must be a date or timestamp' }]);
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
  if (start > end) throw new StoreError('INVALID_TABLE', `the period starts (${start}) after it ends (${end})`, [{ path: '/from', message: 'must not be after to' }]);
  return { from: start, to: end };
}

interface LogRow {
  id: number;
  version: number;
  input: string;
  output: string | null;
  matched: string;
  case_date: string | null;
  evaluated_at: string;
}

export interface ImpactExample {
  logId: number;
  input: unknown;
  caseDate: string | null;
  evaluatedAt: string;
  version: number;
  matchedBefore: string[];
  matchedAfter: string[];
}

export interface ImpactGroup {
  /** The logged outcome. */
  from: unknown;
  /** The draft's outcome, or `{error: {code, message}}` when the draft refuses the case. */
  to: unknown;
  count: number;
  examples: ImpactExample[];
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
  /** Logged evaluations per version that decided them. */
  byVersion: Record<string, number>;
  /** Most frequent first. */
  groups: ImpactGroup[];
  fixtures: FixtureImpact[];
  ms: number;
}

function outcomeOf(table: CompiledTable, input: unknown): { outcome: unknown; matched: string[] } {
  try {
    const r = table.evaluate(input as Record<string, unknown>);
    return { outcome: r.output, matched: r.matched };
  } catch (err) {
    if (err instanceof EngineError) return { outcome: { error: { code: err.code, message: err.message } }, matched: [] };
    throw err;
  }
}

function caseOutcome(c: TargetedCaseReport): unknown {
  return c.error ? { error: { code: c.error.code } } : c.actual;
}

/** Replays the logged evaluations of `period` against the stored draft. */
export function draftImpact(store: Store, evaluator: Evaluator, tableId: string, p: Period, opts: { examples?: number } = {}): ImpactReport {
  const started = performance.now();
  if (!store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
  const draft = store.getDraft(tableId);
  if (!draft) throw new StoreError('DRAFT_NOT_FOUND', `table '${tableId}' has no draft: there is nothing to compare the logged evaluations with`);
  const maxExamples = opts.examples ?? 5;
  const table = compileDraft(draft.table, draft.validFrom ?? undefined);
  const groups = new Map<string, ImpactGroup>();
  const byVersion: Record<string, number> = {};
  let evaluated = 0;
  let changed = 0;
  let otherRules = 0;
  const rows = store.db
    .prepare('SELECT id, version, input, output, matched, case_date, evaluated_at FROM evaluation_log WHERE table_id = ? AND evaluated_at >= ? AND evaluated_at <= ? ORDER BY id')
    .iterate(tableId, p.from, p.to) as IterableIterator<LogRow>;
  for (const row of rows) {
    evaluated++;
    byVersion[row.version] = (byVersion[row.version] ?? 0) + 1;
    const input = JSON.parse(row.input) as unknown;
    const before = row.output === null ? null : (JSON.parse(row.output) as unknown);
    const matchedBefore = JSON.parse(row.matched) as string[];
    const after = outcomeOf(table, input);
    if (sameOutcome(before, after.outcome)) {
      if (canonicalJson(matchedBefore) !== canonicalJson(after.matched)) otherRules++;
      continue;
    }
    changed++;
    const to = after.outcome;
    const key = `${canonicalJson(before)}→${canonicalJson(isErrorOutcome(to) ? { error: { code: to.error.code } } : to)}`;
    let g = groups.get(key);
    if (!g) {
      g = { from: before, to, count: 0, examples: [] };
      groups.set(key, g);
    }
    g.count++;
    if (g.examples.length < maxExamples) {
      g.examples.push({ logId: row.id, input, caseDate: row.case_date, evaluatedAt: row.evaluated_at, version: row.version, matchedBefore, matchedAfter: after.matched });
    }
  }
  const sorted = [...groups.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1)).map(([, g]) => g);

  // Fixtures: each case under the newest version (dated ones: the version valid then) and under the draft.
  const { set, source } = fixturesFor(store, tableId, draft);
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
    unchanged: evaluated - changed,
    otherRules,
    byVersion,
    groups: sorted,
    fixtures,
    ms: performance.now() - started,
  };
}

function isErrorOutcome(v: unknown): v is { error: { code: string } } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'error' in v && Object.keys(v).length === 1;
}

// ---------------------------------------------------------------------------------------------
// Outcome statistics

export type Bucket = 'day' | 'month' | 'year';

export interface StatsReport {
  tableId: string;
  period: Period;
  by: Bucket;
  /** The output field the outcomes are counted by (absent: the whole output). */
  output?: string;
  total: number;
  /** Every outcome met, most frequent first; `key` is its canonical JSON (the key of `counts`). */
  outcomes: { key: string; outcome: unknown; count: number }[];
  /** One bucket per period step from `from` to `to` (empty ones included), oldest first. */
  buckets: { period: string; total: number; counts: Record<string, number> }[];
}

const WIDTH: Record<Bucket, number> = { day: 10, month: 7, year: 4 };

function nextPeriod(p: string, by: Bucket): string {
  if (by === 'year') return String(Number(p) + 1).padStart(4, '0');
  if (by === 'month') {
    const [y, m] = p.split('-').map(Number) as [number, number];
    return m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
  }
  return new Date(Date.parse(`${p}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Outcome counts of a table's logged evaluations per day, month or year (in Amsterdam, like the period), for charts. */
export function outcomeStats(store: Store, tableId: string, p: Period, by: Bucket = 'month', output?: string): StatsReport {
  if (!store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
  const width = WIDTH[by];
  // Grouped per UTC hour by SQLite, then each hour to its Amsterdam date: Amsterdam is a whole number of hours
  // from UTC, so every hour falls on one Amsterdam day.
  const hours = store.db
    .prepare(
      `SELECT substr(evaluated_at, 1, 13) AS hour, output, COUNT(*) AS n FROM evaluation_log
       WHERE table_id = ? AND evaluated_at >= ? AND evaluated_at <= ? GROUP BY hour, output`,
    )
    .all(tableId, p.from, p.to) as { hour: string; output: string | null; n: number }[];
  const rows = hours.map((h) => ({ period: dateInAmsterdam(new Date(`${h.hour}:00:00Z`)).slice(0, width), output: h.output, n: h.n }));
  const buckets = new Map<string, { period: string; total: number; counts: Record<string, number> }>();
  const first = dateInAmsterdam(new Date(p.from)).slice(0, width);
  const last = dateInAmsterdam(new Date(p.to)).slice(0, width);
  for (let cur = first, i = 0; cur <= last && i < 5000; cur = nextPeriod(cur, by), i++) buckets.set(cur, { period: cur, total: 0, counts: {} });
  const outcomes = new Map<string, { key: string; outcome: unknown; count: number }>();
  let total = 0;
  for (const r of rows) {
    const full = r.output === null ? null : (JSON.parse(r.output) as unknown);
    const outcome =
      output === undefined ? full : Array.isArray(full) ? full.map((o) => (o as Record<string, unknown>)[output] ?? null) : ((full as Record<string, unknown> | null)?.[output] ?? null);
    const key = canonicalJson(outcome);
    let b = buckets.get(r.period);
    if (!b) {
      b = { period: r.period, total: 0, counts: {} };
      buckets.set(r.period, b);
    }
    b.counts[key] = (b.counts[key] ?? 0) + r.n;
    b.total += r.n;
    total += r.n;
    const o = outcomes.get(key) ?? { key, outcome, count: 0 };
    o.count += r.n;
    outcomes.set(key, o);
  }
  return {
    tableId,
    period: p,
    by,
    ...(output !== undefined ? { output } : {}),
    total,
    outcomes: [...outcomes.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)),
    buckets: [...buckets.values()].sort((a, b) => (a.period < b.period ? -1 : 1)),
  };
}
