// The logged decisions of one table (the Besluiten view; docs/api.md, "Logged decisions"): a page of the evaluation
// log, newest first, filtered by period, version, matched rule, outcome text and input text, and one decision opened
// with its trace and explanation. The log keeps input, output and matched rules, not the trace; the trace is made
// again by deciding the logged input with the logged version (versions never change, so it is the trace of then).
//
// Cost is bounded: a page reads at most DECISIONS_SCAN_ROWS log rows of the table (through the (table_id, id)
// index, newest first). When the filters leave the page short after that many rows, the answer says so (`next` to
// go on from there), so a search over a large log is a sequence of bounded requests, never one long one.
import { EngineError } from '../engine/errors.ts';
import { explainDecision, type Explanation } from '../engine/explain.ts';
import type { RuleTrace } from '../engine/types.ts';
import { instantOf } from '../engine/versions.ts';
import { StoreError } from './errors.ts';
import type { Evaluator } from './evaluation.ts';
import type { EvaluationLogRow } from './records.ts';
import type { Param } from './sql.ts';
import type { Store } from './store.ts';

/** Decisions on one page at most (and the default). */
export const DECISIONS_PAGE_MAX = 100;
export const DECISIONS_PAGE_DEFAULT = 25;
/** Log rows one page request reads at most. */
export const DECISIONS_SCAN_ROWS = 20_000;
/** Longest search text. */
export const DECISIONS_SEARCH_MAX = 200;

export interface DecisionQuery {
  /** Evaluated at or after (a date alone: its start in Amsterdam). */
  from?: string;
  /** Evaluated at or before (a date alone: its end in Amsterdam). */
  to?: string;
  version?: number;
  /** Only decisions in which this rule matched. */
  rule?: string;
  /** Text the logged output contains (as JSON, e.g. a value). */
  outcome?: string;
  /** Text the logged input contains (a value or a field name). */
  q?: string;
  /** Go on below this log id (the `next` of the previous page). */
  before?: number;
  limit?: number;
}

/** A row of the evaluation log as written (records.ts), with its id and without the table it belongs to. */
export type LoggedDecision = { id: number } & Omit<EvaluationLogRow, 'tableId'>;

export interface DecisionPage {
  tableId: string;
  decisions: LoggedDecision[];
  /** Pass as `before` for the next page; null: nothing older matches. */
  next: number | null;
  /** True when the page is short because the scan limit was reached (more may match further back). */
  scanLimited: boolean;
  limit: number;
}

interface Row {
  id: number;
  version: number;
  hash: string;
  input: string;
  output: string | null;
  matched: string;
  case_date: string | null;
  as_of: string | null;
  caller: string | null;
  evaluated_at: string;
}

function toDecision(r: Row): LoggedDecision {
  return {
    id: r.id,
    version: r.version,
    hash: r.hash,
    input: JSON.parse(r.input) as unknown,
    output: r.output === null ? null : (JSON.parse(r.output) as unknown),
    matched: JSON.parse(r.matched) as string[],
    caseDate: r.case_date,
    asOf: r.as_of,
    caller: r.caller,
    evaluatedAt: r.evaluated_at,
  };
}

/** `%text%` for LIKE, with the wildcards of the text itself escaped. */
function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One page of the table's logged decisions, newest first. */
export async function listDecisions(store: Store, tableId: string, query: DecisionQuery): Promise<DecisionPage> {
  if (!store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
  const limit = Math.min(Math.max(1, query.limit ?? DECISIONS_PAGE_DEFAULT), DECISIONS_PAGE_MAX);
  const from = query.from === undefined ? undefined : new Date(instantOf(query.from, 'start')).toISOString();
  const to = query.to === undefined ? undefined : new Date(instantOf(query.to, 'end')).toISOString();
  let start = query.before ?? Number.MAX_SAFE_INTEGER;
  if (to !== undefined) {
    // Start the scan at the newest row of the period (one step down the (table_id, evaluated_at) index).
    const last = (await store.value('SELECT id FROM evaluation_log WHERE table_id = ? AND evaluated_at <= ? ORDER BY evaluated_at DESC, id DESC LIMIT 1', tableId, to)) as number | undefined;
    if (last === undefined) return { tableId, decisions: [], next: null, scanLimited: false, limit };
    start = Math.min(start, last + 1);
  }
  const where: string[] = [];
  const params: Param[] = [];
  const filter = (sql: string, value: Param) => {
    where.push(sql);
    params.push(value);
  };
  if (from !== undefined) filter('evaluated_at >= ?', from);
  if (to !== undefined) filter('evaluated_at <= ?', to);
  if (query.version !== undefined) filter('version = ?', query.version);
  // SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's ILIKE does so for every letter.
  const like = store.dialect === 'postgres' ? 'ILIKE' : 'LIKE';
  if (query.rule !== undefined) filter(`matched ${like} ? ESCAPE '\\'`, contains(JSON.stringify(query.rule)));
  if (query.outcome !== undefined) filter(`output ${like} ? ESCAPE '\\'`, contains(query.outcome));
  if (query.q !== undefined) filter(`input ${like} ? ESCAPE '\\'`, contains(query.q));
  // The window: the newest DECISIONS_SCAN_ROWS rows below `start` (an index-only walk); the filters run inside it.
  const window = (await store.get(`SELECT MIN(id) AS low, COUNT(*) AS n FROM (SELECT id FROM evaluation_log WHERE table_id = ? AND id < ? ORDER BY id DESC LIMIT ${DECISIONS_SCAN_ROWS}) AS scan`, tableId, start)) as { low: number | null; n: number };
  if (window.low === null) return { tableId, decisions: [], next: null, scanLimited: false, limit };
  const sql = `SELECT * FROM evaluation_log WHERE table_id = ? AND id < ? AND id >= ?${where.map((w) => ` AND ${w}`).join('')} ORDER BY id DESC LIMIT ?`;
  const rows = (await store.all(sql, tableId, start, window.low, ...params, limit + 1)) as Row[];
  const page = rows.slice(0, limit).map(toDecision);
  if (rows.length > limit) return { tableId, decisions: page, next: page.at(-1)!.id, scanLimited: false, limit };
  // A short page: the log is exhausted, or the window was full and older rows remain to be searched.
  if (window.n < DECISIONS_SCAN_ROWS) return { tableId, decisions: page, next: null, scanLimited: false, limit };
  if (from !== undefined) {
    // The window reaches back before the period: nothing older can match.
    const oldest = (await store.value('SELECT evaluated_at FROM evaluation_log WHERE id = ?', window.low)) as string;
    if (oldest < from) return { tableId, decisions: page, next: null, scanLimited: false, limit };
  }
  return { tableId, decisions: page, next: window.low, scanLimited: true, limit };
}

export interface DecisionDetail extends LoggedDecision {
  tableId: string;
  /** The rules' cells as they held for this input, made again with the logged version; null when it cannot be. */
  trace: RuleTrace[] | null;
  explanation: Explanation | null;
  /** Why there is no trace (an input too large to have been logged, or the version refused it now). */
  traceProblem: string | null;
  /** The input columns of the logged version (label or name), in the order of the trace's cells. */
  columns: string[];
}

/** One logged decision with its trace and explanation, made again from the logged input and version. */
export async function decisionDetail(store: Store, evaluator: Evaluator, tableId: string, logId: number): Promise<DecisionDetail> {
  const row = (await store.get('SELECT * FROM evaluation_log WHERE id = ? AND table_id = ?', logId, tableId)) as Row | undefined;
  if (!row) throw new StoreError('LOG_ENTRY_NOT_FOUND', `table '${tableId}' has no logged decision ${logId}`);
  const d = toDecision(row);
  const base = { tableId, ...d, columns: [] as string[] };
  const input = d.input as Record<string, unknown>;
  if (input !== null && typeof input === 'object' && '$omitted' in input) {
    return { ...base, trace: null, explanation: null, traceProblem: 'the input was too large to be logged, so the decision cannot be made again' };
  }
  const meta = store.listVersions(tableId).find((v) => v.version === d.version);
  if (!meta || meta.hash !== d.hash) return { ...base, trace: null, explanation: null, traceProblem: `version ${d.version} with the logged hash is not in this store` };
  const prepared = evaluator.prepare(meta);
  base.columns = prepared.table.inputs.map((c) => c.label ?? c.name);
  try {
    const result = prepared.compiled.evaluate(input, { trace: true });
    const explanation = explainDecision([{ table: prepared.table, version: meta.version, validFrom: meta.validFrom, result }]);
    return { ...base, trace: result.trace ?? [], explanation, traceProblem: null };
  } catch (err) {
    if (err instanceof EngineError) return { ...base, trace: null, explanation: null, traceProblem: err.message };
    throw err;
  }
}
