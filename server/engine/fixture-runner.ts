// Runs a fixture suite (docs/contracts.md) against compiled tables and reports per case and per table version.
// Pure: no Node APIs and nothing outside server/engine, so the editor runs the same code in the browser.
// The caller decides which table a case runs against: `resolve(date, asOf)` returns the CompiledTable (a draft,
// a pinned version, or the version `versionForCase` in versions.ts chooses).
import { RequiredTableError } from './chain.ts';
import { EngineError } from './errors.ts';
import type { MessageParams } from './messages.ts';
import type { CompiledTable, JsonValue, OutputRecord, Problem } from './types.ts';
import { Dec } from './values.ts';

export interface FixtureCase {
  name: string;
  input: Record<string, unknown>;
  /** Expected output: named fields of a single output, or the whole list for list outputs. */
  expect?: Record<string, unknown> | Record<string, unknown>[];
  /** Expected error code instead of an output (`INVALID_INPUT`, `HIT_POLICY_VIOLATION`, …). */
  expectError?: string;
  /** Case date `yyyy-mm-dd`: selects the version valid then. */
  date?: string;
  /** Only versions published by then. */
  asOf?: string;
  note?: string;
  [key: string]: unknown;
}

export interface FixtureSuite {
  table: string;
  cases: FixtureCase[];
  [key: string]: unknown;
}

/** Returns the compiled table a case runs against; may throw (for instance when no version is valid on the date). */
export type TableResolver = (caseDate?: string, asOf?: string) => CompiledTable;

export interface Mismatch {
  /** Output field, or `[i]` / `[i].field` for list outputs, or `` for the output as a whole. */
  field: string;
  expected: unknown;
  actual: unknown;
}

export interface CaseReport {
  name: string;
  pass: boolean;
  /** The case's `expect`, or `{error: code}` for `expectError`. */
  expected: unknown;
  /** The output produced, or null when evaluation threw. */
  actual: JsonValue | OutputRecord | OutputRecord[] | null;
  /** Rule ids that matched, in rule order (empty when evaluation threw). */
  matched: string[];
  /** The error thrown while resolving or evaluating, if any. */
  error?: CaseError;
  /** Why the case failed, in one line. */
  message?: string;
  mismatches?: Mismatch[];
  /** The table version the case ran against (undefined for a draft without a version). */
  version?: number;
  date?: string;
  asOf?: string;
}

export interface TableCoverage {
  tableId: string;
  /** Undefined for a draft. */
  version?: number;
  /** Every rule id of that table version, in rule order. */
  rules: string[];
  /** Rule ids that at least one case matched. */
  reached: string[];
  /** Rule ids that no case matched. */
  unreached: string[];
}

export interface SuiteReport {
  table: string;
  cases: CaseReport[];
  /** One entry per table version that cases ran against, ordered by version. */
  coverage: TableCoverage[];
  totals: { cases: number; passed: number; failed: number; rules: number; unreached: number };
}

// ---------------------------------------------------------------------------------------------
// Comparison

/** A number (JS number or Decimal) as a canonical decimal string, so 1177.50 and 1177.5, or -0 and 0, compare equal. */
function numericText(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? new Dec(v).toFixed() : String(v);
  if (v instanceof Dec) return v.toFixed();
  return undefined;
}

/** Deep equality of JSON-like values with numbers compared as normalised decimals. */
export function sameValue(expected: unknown, actual: unknown): boolean {
  const en = numericText(expected);
  const an = numericText(actual);
  if (en !== undefined || an !== undefined) return en !== undefined && en === an;
  if (expected === null || actual === null || typeof expected !== 'object' || typeof actual !== 'object') {
    return expected === actual;
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) return false;
  if (Array.isArray(expected)) {
    const a = actual as unknown[];
    return expected.length === a.length && expected.every((v, i) => sameValue(v, a[i]));
  }
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const keys = new Set([...Object.keys(e), ...Object.keys(a)].filter((k) => e[k] !== undefined || a[k] !== undefined));
  for (const k of keys) {
    if (!Object.hasOwn(e, k) || !Object.hasOwn(a, k)) return false;
    if (!sameValue(e[k], a[k])) return false;
  }
  return true;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Compares an `expect` with an output: named fields for a single output, the whole list for list outputs. */
export function compareExpectation(expect: unknown, output: unknown): Mismatch[] {
  if (Array.isArray(expect)) {
    if (!Array.isArray(output)) return [{ field: '', expected: expect, actual: output }];
    const out: Mismatch[] = [];
    if (expect.length !== output.length) out.push({ field: 'length', expected: expect.length, actual: output.length });
    const n = Math.max(expect.length, output.length);
    for (let i = 0; i < n; i++) {
      if (!sameValue(expect[i], output[i])) out.push({ field: `[${i}]`, expected: expect[i], actual: output[i] });
    }
    return out;
  }
  if (!isRecord(expect)) return [{ field: '', expected: expect, actual: output }];
  if (!isRecord(output)) return [{ field: '', expected: expect, actual: output }];
  const out: Mismatch[] = [];
  for (const [field, want] of Object.entries(expect)) {
    const got = Object.hasOwn(output, field) ? output[field] : undefined;
    if (!sameValue(want, got)) out.push({ field, expected: want, actual: got });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running

/**
 * An error as a report carries it: the API code and the English message, and for an engine error what its message
 * says (`messageCode`, `params`, the per-field `details`; messages.ts), from which the editor words it in Dutch.
 */
export interface CaseError {
  code: string;
  message: string;
  messageCode?: string;
  params?: MessageParams;
  details?: Problem[];
  /** The required table (of a `requires` chain) the error was met in. */
  requiredTable?: string;
}

function errorOf(err: unknown): CaseError {
  if (err instanceof RequiredTableError) return { ...errorOf(err.error), code: err.code, message: err.message, requiredTable: err.table.table.id };
  if (err instanceof EngineError) {
    return {
      code: err.code,
      message: err.message,
      ...(err.messageCode ? { messageCode: err.messageCode, params: err.params } : {}),
      ...(err.details.length > 0 ? { details: err.details } : {}),
    };
  }
  if (err !== null && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : 'INTERNAL_ERROR';
    return { code, message: typeof e.message === 'string' ? e.message : String(err) };
  }
  return { code: 'INTERNAL_ERROR', message: String(err) };
}

function show(v: unknown): string {
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

function describeMismatches(ms: Mismatch[]): string {
  return ms.map((m) => `${m.field || 'output'}: expected ${show(m.expected)}, got ${show(m.actual)}`).join('; ');
}

interface CoverageAcc {
  tableId: string;
  version?: number;
  rules: string[];
  reached: Set<string>;
}

function caseProblem(c: unknown): string | null {
  if (!isRecord(c)) return 'a case must be an object';
  if (!isRecord(c.input)) return 'the case has no input object';
  const hasExpect = c.expect !== undefined;
  const hasError = c.expectError !== undefined;
  if (hasExpect && hasError) return 'a case names either expect or expectError, not both';
  if (!hasExpect && !hasError) return 'the case has neither expect nor expectError';
  if (hasError && typeof c.expectError !== 'string') return 'expectError must be an error code';
  if (hasExpect && !isRecord(c.expect) && !Array.isArray(c.expect)) return 'expect must be an object, or a list for list outputs';
  if (c.date !== undefined && typeof c.date !== 'string') return 'date must be a yyyy-mm-dd string';
  if (c.asOf !== undefined && typeof c.asOf !== 'string') return 'asOf must be a string';
  return null;
}

/** Runs one case. Exported for callers that run cases one by one (e.g. one test per case). */
export function runFixtureCase(c: FixtureCase, resolve: TableResolver, index = 0): { report: CaseReport; table?: CompiledTable } {
  const name = isRecord(c) && typeof c.name === 'string' && c.name !== '' ? c.name : `case ${index + 1}`;
  const problem = caseProblem(c);
  const expected = isRecord(c) ? (c.expectError !== undefined ? { error: c.expectError } : c.expect) : undefined;
  const base = { name, expected, actual: null, matched: [] as string[] };
  if (problem) {
    return { report: { ...base, pass: false, error: { code: 'INVALID_FIXTURE', message: problem }, message: problem } };
  }
  const dated = { ...(c.date !== undefined ? { date: c.date } : {}), ...(c.asOf !== undefined ? { asOf: c.asOf } : {}) };

  let table: CompiledTable;
  try {
    table = resolve(c.date, c.asOf);
  } catch (err) {
    const error = errorOf(err);
    // A case may expect that no table answers it (TABLE_ARCHIVED after the archive date, NO_VALID_VERSION before the first).
    if (c.expectError !== undefined && error.code === c.expectError) return { report: { ...base, ...dated, pass: true, error } };
    return { report: { ...base, ...dated, pass: false, error, message: `no table to run against: ${error.message}` } };
  }
  const version = table.table.version;
  const at = { ...dated, ...(version !== undefined ? { version } : {}) };

  let result;
  try {
    result = table.evaluate(c.input);
  } catch (err) {
    const error = errorOf(err);
    if (c.expectError !== undefined) {
      const pass = error.code === c.expectError;
      return {
        table,
        report: { ...base, ...at, pass, error, ...(pass ? {} : { message: `expected error ${c.expectError}, got ${error.code}: ${error.message}` }) },
      };
    }
    return { table, report: { ...base, ...at, pass: false, error, message: `evaluation failed with ${error.code}: ${error.message}` } };
  }

  const actual = result.output;
  const matched = [...result.matched];
  if (c.expectError !== undefined) {
    return {
      table,
      report: { ...base, ...at, actual, matched, pass: false, message: `expected error ${c.expectError}, got output ${show(actual)}` },
    };
  }
  const mismatches = compareExpectation(c.expect, actual);
  const pass = mismatches.length === 0;
  return {
    table,
    report: { ...base, ...at, actual, matched, pass, ...(pass ? {} : { mismatches, message: describeMismatches(mismatches) }) },
  };
}

/**
 * Runs every case of a suite. Each case is evaluated against `resolve(case.date, case.asOf)`; the report gives per case
 * pass/fail, expected vs actual and the matched rules, and per table version the rules no case reached.
 */
export function runFixtureSuite(suite: FixtureSuite, resolve: TableResolver): SuiteReport {
  const cases: CaseReport[] = [];
  const coverage = new Map<string, CoverageAcc>();
  const list: unknown[] = Array.isArray(suite?.cases) ? suite.cases : [];
  list.forEach((c, i) => {
    const { report, table } = runFixtureCase(c as FixtureCase, resolve, i);
    cases.push(report);
    if (!table) return;
    const t = table.table;
    const key = `${t.id}@${t.version ?? 'draft'}`;
    let acc = coverage.get(key);
    if (!acc) {
      acc = { tableId: t.id, ...(t.version !== undefined ? { version: t.version } : {}), rules: t.rules.map((r) => r.id), reached: new Set() };
      coverage.set(key, acc);
    }
    for (const id of report.matched) acc.reached.add(id);
  });
  const cov: TableCoverage[] = [...coverage.values()]
    .sort((a, b) => (a.version ?? Infinity) - (b.version ?? Infinity))
    .map((a) => ({
      tableId: a.tableId,
      ...(a.version !== undefined ? { version: a.version } : {}),
      rules: a.rules,
      reached: a.rules.filter((id) => a.reached.has(id)),
      unreached: a.rules.filter((id) => !a.reached.has(id)),
    }));
  const passed = cases.filter((c) => c.pass).length;
  return {
    table: typeof suite?.table === 'string' ? suite.table : '',
    cases,
    coverage: cov,
    totals: {
      cases: cases.length,
      passed,
      failed: cases.length - passed,
      rules: cov.reduce((n, c) => n + c.rules.length, 0),
      unreached: cov.reduce((n, c) => n + c.unreached.length, 0),
    },
  };
}
