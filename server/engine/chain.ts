// `requires` chains (docs/contracts.md, table format): the tables a table requires are decided first, on the same
// case, and their outputs fill this table's inputs of the same name that the case does not give. A required table
// whose every such input the case gives is not decided: its output would not be used. One walk for every
// door: the API's evaluate and batch, fixtures, the CLI and the editor. Which version of a required table runs is
// the caller's business (`RequiredTables`), as is what it does with each step (log it, show it).
import { EngineError } from './errors.ts';
import type { CompiledTable, EvaluateOptions, EvaluationResult, JsonValue } from './types.ts';

/** The compiled table for `tableId`, required by `requiredBy` (at `/requires/<index>`); throws when there is none. */
export type RequiredTables = (tableId: string, requiredBy: CompiledTable, index: number) => CompiledTable;

/** The tables require each other in a cycle. */
export class RequiresCycleError extends EngineError {
  readonly code = 'REQUIRES_CYCLE';
}

/** An error met in a required table (not the one asked for): which table, and the error itself. */
export class RequiredTableError extends EngineError {
  readonly code: string;
  constructor(
    readonly error: EngineError,
    readonly table: CompiledTable,
  ) {
    super(`${table.table.id}${table.table.version !== undefined ? ` v${table.table.version}` : ''}: ${error.message}`, error.details);
    this.code = error.code;
  }
}

export interface ChainStep {
  table: CompiledTable;
  /** The case as this table saw it: the case, with the required tables' outputs filled in. */
  input: Record<string, unknown>;
  result: EvaluationResult;
}

export interface ChainResult extends EvaluationResult {
  /** Every table decided, required ones first (depth-first), the one asked for last. */
  steps: ChainStep[];
}

export interface ChainOptions extends EvaluateOptions {
  /** Called after each table is decided, in order (the store logs each one). */
  onStep?: (step: ChainStep) => void;
}

/**
 * The tables to decide, required ones first (depth-first post-order); a cycle is a RequiresCycleError. With `input`,
 * a required table is left out when the case already gives every input of the requiring table it would supply:
 * the case's values win, so its output would not be used (and its own inputs need not be given).
 */
export function chainOrder(top: CompiledTable, required: RequiredTables, input?: Record<string, unknown>): CompiledTable[] {
  // A cycle is refused whatever the case gives: it is a fault of the tables.
  if (input !== undefined) chainOrder(top, required);
  const order: CompiledTable[] = [];
  const done = new Set<string>();
  const visiting: string[] = [];
  const visit = (t: CompiledTable): void => {
    const id = t.table.id;
    if (done.has(id)) return;
    if (visiting.includes(id)) {
      const cycle = [...visiting.slice(visiting.indexOf(id)), id].join(' → ');
      throw new RequiresCycleError({ code: 'TABLE_REQUIRES_CYCLE', params: { cycle } }, [{ path: '/requires', message: cycle }]);
    }
    visiting.push(id);
    (t.table.requires ?? []).forEach((reqId, i) => {
      const r = required(reqId, t, i);
      if (input === undefined || supplies(r, t, input)) visit(r);
    });
    visiting.pop();
    done.add(id);
    order.push(t);
  };
  visit(top);
  return order;
}

/** Whether `r` would fill an input of `t` the case does not give (an input named like one of r's outputs). */
function supplies(r: CompiledTable, t: CompiledTable, input: Record<string, unknown>): boolean {
  if (input === null || typeof input !== 'object') return true;
  const outputs = new Set(r.table.outputs.map((o) => o.name));
  return t.table.inputs.some((col) => col.expression === undefined && outputs.has(col.name) && readAt(input, (col.path ?? col.name).split('.')) === undefined);
}

/**
 * Decides `top` on `input`, deciding the tables it requires first. An engine error of `top` itself is thrown as it
 * is; one of a required table as a RequiredTableError (same code and details, the message names the table).
 */
export function evaluateChain(top: CompiledTable, input: Record<string, unknown>, required: RequiredTables, opts: ChainOptions = {}): ChainResult {
  const order = chainOrder(top, required, input);
  const results = new Map<string, EvaluationResult>();
  const steps: ChainStep[] = [];
  const evaluateOpts: EvaluateOptions = {};
  if (opts.trace) evaluateOpts.trace = true;
  if (opts.types) evaluateOpts.types = true;
  for (const table of order) {
    const fed = feed(table, input, results);
    let result: EvaluationResult;
    try {
      result = table.evaluate(fed, evaluateOpts);
    } catch (err) {
      if (table !== top && err instanceof EngineError) throw new RequiredTableError(err, table);
      throw err;
    }
    results.set(table.table.id, result);
    const step = { table, input: fed, result };
    steps.push(step);
    opts.onStep?.(step);
  }
  const last = steps[steps.length - 1]!.result;
  return { ...last, steps };
}

/**
 * A compiled table that decides its chain when evaluated (itself when it requires nothing): for callers that take
 * a CompiledTable, such as the fixture runner.
 */
export function chainedTable(top: CompiledTable, required: RequiredTables): CompiledTable {
  if (!top.table.requires || top.table.requires.length === 0) return top;
  return {
    table: top.table,
    evaluate: (input, opts) => {
      const { output, matched, trace, types } = evaluateChain(top, input, required, opts);
      return { output, matched, ...(trace ? { trace } : {}), ...(types ? { types } : {}) };
    },
  };
}

/** The case as one table sees it: the outputs of its required tables fill its inputs the case does not give. */
function feed(table: CompiledTable, input: Record<string, unknown>, results: ReadonlyMap<string, EvaluationResult>): Record<string, unknown> {
  const requires = table.table.requires ?? [];
  if (requires.length === 0 || input === null || typeof input !== 'object') return input;
  let fed: Record<string, unknown> | null = null;
  for (const col of table.table.inputs) {
    if (col.expression !== undefined) continue;
    for (const reqId of requires) {
      const r = results.get(reqId);
      if (!r || r.output === null) continue;
      const value = outputValue(r.output, col.name);
      if (value === undefined) continue;
      const path = (col.path ?? col.name).split('.');
      if (readAt(input, path) !== undefined) break;
      fed ??= structuredClone(input);
      writeAt(fed, path, value);
      break;
    }
  }
  return fed ?? input;
}

function outputValue(output: NonNullable<EvaluationResult['output']>, name: string): JsonValue | undefined {
  if (Array.isArray(output)) {
    // A list result (COLLECT, RULE ORDER, OUTPUT ORDER) feeds the list of that output's values, as in DMN.
    if (!output.some((o) => Object.hasOwn(o, name))) return undefined;
    return output.map((o) => o[name] ?? null);
  }
  return Object.hasOwn(output, name) ? output[name] : undefined;
}

function readAt(obj: Record<string, unknown>, path: string[]): unknown {
  let cur: unknown = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, k)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function writeAt(obj: Record<string, unknown>, path: string[], value: unknown): void {
  if (path.some((k) => UNSAFE_KEYS.has(k))) return;
  let cur = obj;
  for (let i = 0; i < path.length - 1; i++) {
    const k = path[i]!;
    const next = cur[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
}
