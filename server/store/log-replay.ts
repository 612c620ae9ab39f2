// The heavy half of impact analysis and outcome statistics: streaming a table's evaluation log out of SQLite and
// deciding every logged case again with the draft, or counting outcomes. It needs only a database connection and
// the engine, so it runs in a worker thread on its own read-only connection (worker-tasks.ts) while the request
// thread keeps answering; with an in-memory database it runs inline. Memory stays flat: rows are streamed, the
// groups are capped, and each group keeps a few examples.
import type Database from 'better-sqlite3';
import { compileTable } from '../engine/compile.ts';
import { EngineError } from '../engine/errors.ts';
import { sameValue } from '../engine/fixture-runner.ts';
import type { CompiledTable, DecisionTable } from '../engine/types.ts';
import { dateInAmsterdam } from '../engine/versions.ts';
import { canonicalJson } from './canonical.ts';
import { stripPublication } from './records.ts';

export interface Period {
  from: string;
  to: string;
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

export interface ReplayResult {
  evaluated: number;
  changed: number;
  /** Same outcome, but decided by other rules. */
  otherRules: number;
  /** Logged rows whose input or output was too large to keep (`$omitted`): not replayed, not counted as changed. */
  skipped: number;
  /** Changed evaluations beyond the first MAX_IMPACT_GROUPS groups: counted in `changed`, not grouped. */
  ungrouped: number;
  byVersion: Record<string, number>;
  /** Most frequent first. */
  groups: ImpactGroup[];
}

export interface ReplayRequest {
  tableId: string;
  period: Period;
  /** The draft's table and the validFrom it is checked with. */
  table: DecisionTable;
  validFrom?: string;
  examples: number;
  /** Distinct inputs whose outcome is remembered (a log repeats the same cases); 0 decides every row afresh. */
  memo?: number;
}

/** Distinct old → new outcome pairs kept as groups; more are counted in `ungrouped`. */
export const MAX_IMPACT_GROUPS = 1_000;
const DEFAULT_MEMO = 50_000;

type Row = [id: number, version: number, input: string, output: string | null, matched: string, caseDate: string | null, evaluatedAt: string];

interface Outcome {
  outcome: unknown;
  matched: string[];
  /** The outcome and matched rules as the log writes them (JSON.stringify), to compare without parsing the row. */
  outJson: string | null;
  matchedJson: string;
}

function decide(table: CompiledTable, input: unknown): Outcome {
  try {
    const r = table.evaluate(input as Record<string, unknown>);
    return { outcome: r.output, matched: r.matched, outJson: JSON.stringify(r.output), matchedJson: JSON.stringify(r.matched) };
  } catch (err) {
    if (err instanceof EngineError) return { outcome: { error: { code: err.code, message: err.message } }, matched: [], outJson: null, matchedJson: '[]' };
    throw err;
  }
}

function isErrorOutcome(v: unknown): v is { error: { code: string } } {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'error' in v && Object.keys(v).length === 1;
}

const OMITTED = '{"$omitted":';

/** Decides every logged evaluation of the period again with the draft, streaming the rows. */
export function replayLog(db: Database.Database, req: ReplayRequest): ReplayResult {
  const table = compileTable({ ...stripPublication(req.table), ...(req.validFrom ? { validFrom: req.validFrom } : {}) } as DecisionTable);
  const memoSize = req.memo ?? DEFAULT_MEMO;
  const memo = new Map<string, Outcome>();
  const groups = new Map<string, ImpactGroup>();
  const byVersion: Record<string, number> = {};
  let evaluated = 0;
  let changed = 0;
  let otherRules = 0;
  let skipped = 0;
  let ungrouped = 0;
  const rows = db
    .prepare('SELECT id, version, input, output, matched, case_date, evaluated_at FROM evaluation_log WHERE table_id = ? AND evaluated_at >= ? AND evaluated_at <= ? ORDER BY id')
    .raw()
    .iterate(req.tableId, req.period.from, req.period.to) as IterableIterator<Row>;
  for (const row of rows) {
    const [id, version, inputJson, outputJson, matchedJson, caseDate, evaluatedAt] = row;
    evaluated++;
    byVersion[version] = (byVersion[version] ?? 0) + 1;
    if (inputJson.startsWith(OMITTED) || (outputJson !== null && outputJson.startsWith(OMITTED))) {
      skipped++;
      continue;
    }
    let after = memoSize > 0 ? memo.get(inputJson) : undefined;
    if (!after) {
      after = decide(table, JSON.parse(inputJson));
      if (memoSize > 0 && memo.size < memoSize) memo.set(inputJson, after);
    }
    const loggedOut = outputJson ?? 'null';
    // The common case, the same outcome by the same rules, is found by comparing the texts: nothing parsed.
    if (after.outJson !== null && after.outJson === loggedOut) {
      if (after.matchedJson !== matchedJson) otherRules++;
      continue;
    }
    const before = JSON.parse(loggedOut) as unknown;
    if (after.outJson !== null && sameValue(before ?? null, after.outcome ?? null)) {
      if (canonicalJson(JSON.parse(matchedJson)) !== canonicalJson(after.matched)) otherRules++;
      continue;
    }
    changed++;
    const to = after.outcome;
    const key = `${canonicalJson(before)}→${canonicalJson(isErrorOutcome(to) ? { error: { code: to.error.code } } : to)}`;
    let g = groups.get(key);
    if (!g) {
      if (groups.size >= MAX_IMPACT_GROUPS) {
        ungrouped++;
        continue;
      }
      g = { from: before, to, count: 0, examples: [] };
      groups.set(key, g);
    }
    g.count++;
    if (g.examples.length < req.examples) {
      g.examples.push({ logId: id, input: JSON.parse(inputJson), caseDate, evaluatedAt, version, matchedBefore: JSON.parse(matchedJson) as string[], matchedAfter: after.matched });
    }
  }
  const sorted = [...groups.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1)).map(([, g]) => g);
  return { evaluated, changed, otherRules, skipped, ungrouped, byVersion, groups: sorted };
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

export interface StatsRequest {
  tableId: string;
  period: Period;
  by: Bucket;
  output?: string;
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
export function countOutcomes(db: Database.Database, req: StatsRequest): StatsReport {
  const { tableId, period: p, by, output } = req;
  const width = WIDTH[by];
  // Grouped per UTC hour by SQLite, then each hour to its Amsterdam date: Amsterdam is a whole number of hours
  // from UTC, so every hour falls on one Amsterdam day.
  const hours = db
    .prepare(
      `SELECT substr(evaluated_at, 1, 13) AS hour, output, COUNT(*) AS n FROM evaluation_log
       WHERE table_id = ? AND evaluated_at >= ? AND evaluated_at <= ? GROUP BY hour, output`,
    )
    .iterate(tableId, p.from, p.to) as IterableIterator<{ hour: string; output: string | null; n: number }>;
  const buckets = new Map<string, { period: string; total: number; counts: Record<string, number> }>();
  const first = dateInAmsterdam(new Date(p.from)).slice(0, width);
  const last = dateInAmsterdam(new Date(p.to)).slice(0, width);
  for (let cur = first, i = 0; cur <= last && i < 5000; cur = nextPeriod(cur, by), i++) buckets.set(cur, { period: cur, total: 0, counts: {} });
  const outcomes = new Map<string, { key: string; outcome: unknown; count: number }>();
  const periodOf = new Map<string, string>();
  let total = 0;
  for (const h of hours) {
    let period = periodOf.get(h.hour);
    if (period === undefined) {
      period = dateInAmsterdam(new Date(`${h.hour}:00:00Z`)).slice(0, width);
      periodOf.set(h.hour, period);
    }
    const full = h.output === null ? null : (JSON.parse(h.output) as unknown);
    const outcome =
      output === undefined ? full : Array.isArray(full) ? full.map((o) => (o as Record<string, unknown>)[output] ?? null) : ((full as Record<string, unknown> | null)?.[output] ?? null);
    const key = canonicalJson(outcome);
    let b = buckets.get(period);
    if (!b) {
      b = { period, total: 0, counts: {} };
      buckets.set(period, b);
    }
    b.counts[key] = (b.counts[key] ?? 0) + h.n;
    b.total += h.n;
    total += h.n;
    const o = outcomes.get(key) ?? { key, outcome, count: 0 };
    o.count += h.n;
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
