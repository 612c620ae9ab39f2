// The heavy half of impact analysis and outcome statistics: streaming a table's evaluation log and deciding every
// logged case again with the draft, or counting outcomes. It needs only a database connection and the engine, so it
// runs in a worker thread on its own connection (worker-tasks.ts) while the request thread keeps answering; with an
// in-memory database it runs inline. The replay and the counting are fed row by row (Replay, OutcomeCounter), from
// SQLite here and from PostgreSQL's cursor in log-replay-postgres.ts, so both databases give the same answers. Memory stays flat: rows are streamed, the
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

export type Row = [id: number, version: number, input: string, output: string | null, matched: string, caseDate: string | null, evaluatedAt: string];

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

/** The query of the rows a replay reads (both databases), oldest first: table, from, to. */
export const REPLAY_ROWS_SQL = 'SELECT id, version, input, output, matched, case_date, evaluated_at FROM evaluation_log WHERE table_id = ? AND evaluated_at >= ? AND evaluated_at <= ? ORDER BY id';

/**
 * The replay of one period, fed row by row (from SQLite's iterator or PostgreSQL's cursor pages): memory stays flat
 * whatever the number of rows, since it keeps only counts, capped groups with a few examples and a capped memo.
 */
export class Replay {
  private readonly table: CompiledTable;
  private readonly memoSize: number;
  private readonly memo = new Map<string, Outcome>();
  private readonly groups = new Map<string, ImpactGroup>();
  private readonly byVersion: Record<string, number> = {};
  private evaluated = 0;
  private changed = 0;
  private otherRules = 0;
  private skipped = 0;
  private ungrouped = 0;

  constructor(private readonly req: ReplayRequest) {
    this.table = compileTable({ ...stripPublication(req.table), ...(req.validFrom ? { validFrom: req.validFrom } : {}) } as DecisionTable);
    this.memoSize = req.memo ?? DEFAULT_MEMO;
  }

  add(row: Row): void {
    const [id, version, inputJson, outputJson, matchedJson, caseDate, evaluatedAt] = row;
    this.evaluated++;
    this.byVersion[version] = (this.byVersion[version] ?? 0) + 1;
    if (inputJson.startsWith(OMITTED) || (outputJson !== null && outputJson.startsWith(OMITTED))) {
      this.skipped++;
      return;
    }
    let after = this.memoSize > 0 ? this.memo.get(inputJson) : undefined;
    if (!after) {
      after = decide(this.table, JSON.parse(inputJson));
      if (this.memoSize > 0 && this.memo.size < this.memoSize) this.memo.set(inputJson, after);
    }
    const loggedOut = outputJson ?? 'null';
    // The common case, the same outcome by the same rules, is found by comparing the texts: nothing parsed.
    if (after.outJson !== null && after.outJson === loggedOut) {
      if (after.matchedJson !== matchedJson) this.otherRules++;
      return;
    }
    const before = JSON.parse(loggedOut) as unknown;
    if (after.outJson !== null && sameValue(before ?? null, after.outcome ?? null)) {
      if (canonicalJson(JSON.parse(matchedJson)) !== canonicalJson(after.matched)) this.otherRules++;
      return;
    }
    this.changed++;
    const to = after.outcome;
    const key = `${canonicalJson(before)}→${canonicalJson(isErrorOutcome(to) ? { error: { code: to.error.code } } : to)}`;
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= MAX_IMPACT_GROUPS) {
        this.ungrouped++;
        return;
      }
      g = { from: before, to, count: 0, examples: [] };
      this.groups.set(key, g);
    }
    g.count++;
    if (g.examples.length < this.req.examples) {
      g.examples.push({ logId: id, input: JSON.parse(inputJson), caseDate, evaluatedAt, version, matchedBefore: JSON.parse(matchedJson) as string[], matchedAfter: after.matched });
    }
  }

  result(): ReplayResult {
    const sorted = [...this.groups.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1)).map(([, g]) => g);
    return { evaluated: this.evaluated, changed: this.changed, otherRules: this.otherRules, skipped: this.skipped, ungrouped: this.ungrouped, byVersion: this.byVersion, groups: sorted };
  }
}

/** Decides every logged evaluation of the period again with the draft, streaming the rows out of SQLite. */
export function replayLog(db: Database.Database, req: ReplayRequest): ReplayResult {
  const replay = new Replay(req);
  const rows = db.prepare(REPLAY_ROWS_SQL).raw().iterate(req.tableId, req.period.from, req.period.to) as IterableIterator<Row>;
  for (const row of rows) replay.add(row);
  return replay.result();
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

/**
 * The query of the stats (both databases): counts per UTC hour and logged output; table, from, to. Each hour goes to
 * its Amsterdam date afterwards: Amsterdam is a whole number of hours from UTC, so every hour falls on one Amsterdam day.
 */
export const STATS_HOURS_SQL = `SELECT substr(evaluated_at, 1, 13) AS hour, output, COUNT(*) AS n FROM evaluation_log
       WHERE table_id = ? AND evaluated_at >= ? AND evaluated_at <= ? GROUP BY hour, output`;

/** Folds the hourly counts of STATS_HOURS_SQL into the report's buckets and outcomes. */
export class OutcomeCounter {
  private readonly width: number;
  private readonly buckets = new Map<string, { period: string; total: number; counts: Record<string, number> }>();
  private readonly outcomes = new Map<string, { key: string; outcome: unknown; count: number }>();
  private readonly periodOf = new Map<string, string>();
  private total = 0;

  constructor(private readonly req: StatsRequest) {
    const { period: p, by } = req;
    this.width = WIDTH[by];
    const first = dateInAmsterdam(new Date(p.from)).slice(0, this.width);
    const last = dateInAmsterdam(new Date(p.to)).slice(0, this.width);
    for (let cur = first, i = 0; cur <= last && i < 5000; cur = nextPeriod(cur, by), i++) this.buckets.set(cur, { period: cur, total: 0, counts: {} });
  }

  add(h: { hour: string; output: string | null; n: number }): void {
    const output = this.req.output;
    let period = this.periodOf.get(h.hour);
    if (period === undefined) {
      period = dateInAmsterdam(new Date(`${h.hour}:00:00Z`)).slice(0, this.width);
      this.periodOf.set(h.hour, period);
    }
    const full = h.output === null ? null : (JSON.parse(h.output) as unknown);
    const outcome =
      output === undefined ? full : Array.isArray(full) ? full.map((o) => (o as Record<string, unknown>)[output] ?? null) : ((full as Record<string, unknown> | null)?.[output] ?? null);
    const key = canonicalJson(outcome);
    let b = this.buckets.get(period);
    if (!b) {
      b = { period, total: 0, counts: {} };
      this.buckets.set(period, b);
    }
    b.counts[key] = (b.counts[key] ?? 0) + h.n;
    b.total += h.n;
    this.total += h.n;
    const o = this.outcomes.get(key) ?? { key, outcome, count: 0 };
    o.count += h.n;
    this.outcomes.set(key, o);
  }

  report(): StatsReport {
    const { tableId, period, by, output } = this.req;
    return {
      tableId,
      period,
      by,
      ...(output !== undefined ? { output } : {}),
      total: this.total,
      outcomes: [...this.outcomes.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1)),
      buckets: [...this.buckets.values()].sort((a, b) => (a.period < b.period ? -1 : 1)),
    };
  }
}

/** Outcome counts of a table's logged evaluations per day, month or year (in Amsterdam, like the period), for charts. */
export function countOutcomes(db: Database.Database, req: StatsRequest): StatsReport {
  const counter = new OutcomeCounter(req);
  const hours = db.prepare(STATS_HOURS_SQL).iterate(req.tableId, req.period.from, req.period.to) as IterableIterator<{ hour: string; output: string | null; n: number }>;
  for (const h of hours) counter.add(h);
  return counter.report();
}
