// Deciding cases: choose the version on the two clocks, run the compiled table (and the tables it `requires`, first),
// and queue the evaluation for the log. The engine is the one validator of a case's input (INVALID_INPUT naming each
// field); the JSON Schema of a version's input only describes it to clients (GET …/versions/{n}/input-schema).
// Compiled tables are built once per version and cached: versions never change.
import { compileTable } from '../engine/index.ts';
import { EngineError } from '../engine/errors.ts';
import type { CompiledTable, DecisionTable, EvaluationResult, JsonValue, RuleTrace } from '../engine/types.ts';
import { StoreError } from './errors.ts';
import type { EvaluationLog } from './eval-log.ts';
import { inputSchema } from './input-schema.ts';
import { capForLog, inputPaths, pickPaths } from './logged-input.ts';
import { selectVersion, today, type Selection } from './select.ts';
import type { VersionMeta } from './records.ts';
import type { Store } from './store.ts';

export interface EvaluateRequest extends Selection {
  input: Record<string, unknown>;
  trace?: boolean;
  /** Who asked (token name or user), for the log. */
  caller?: string | null;
}

export interface StepResult {
  tableId: string;
  version: number;
  hash: string;
  validFrom: string;
  output: EvaluationResult['output'];
  matched: string[];
  trace?: RuleTrace[];
}

export interface Decision extends StepResult {
  steps?: StepResult[];
}

/** A case the engine refused (INVALID_INPUT), its problems located under `/input`. */
export class CaseError extends EngineError {
  readonly code = 'INVALID_INPUT';
}

/** An engine error met in one table of a chain: says which table and version failed. */
export class StepFailure extends Error {
  constructor(
    readonly error: EngineError,
    readonly tableId: string,
    readonly version: number,
  ) {
    super(`${tableId} v${version}: ${error.message}`);
    this.name = 'StepFailure';
  }
}

interface Prepared {
  key: string;
  meta: VersionMeta;
  table: DecisionTable;
  compiled: CompiledTable;
  /** The input's JSON Schema, made when a client first asks for it. */
  schema?: Record<string, unknown>;
  /** The paths of the case the table reads: what the log keeps of an input. */
  logPaths: string[][];
  /** When it was last used (a counter), for the least-recently-used eviction. */
  lastUse: number;
}

export class Evaluator {
  private readonly cache = new Map<string, Prepared>();
  private readonly byMeta = new WeakMap<VersionMeta, Prepared>();
  private uses = 0;

  constructor(
    private readonly store: Store,
    private readonly log: EvaluationLog | null = null,
    private readonly maxCached = 500,
  ) {}

  /** The version a selection picks, or a StoreError (404) saying why there is none. */
  resolve(tableId: string, sel: Selection): VersionMeta {
    const versions = this.store.listVersions(tableId);
    if (versions.length === 0) {
      if (this.store.tableExists(tableId)) {
        throw new StoreError('NO_VALID_VERSION', `table '${tableId}' has no published version yet`);
      }
      throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
    }
    const v = selectVersion(versions, sel);
    if (v) return v;
    if (sel.version !== undefined) {
      throw new StoreError('VERSION_NOT_FOUND', `table '${tableId}' has no version ${sel.version}`, [], {
        versions: versions.map((x) => x.version),
      });
    }
    const date = sel.date ?? today();
    throw new StoreError(
      'NO_VALID_VERSION',
      `no version of '${tableId}' is valid on ${date}${sel.asOf ? ` as known on ${sel.asOf}` : ''}`,
      [],
      { date, ...(sel.asOf ? { asOf: sel.asOf } : {}) },
    );
  }

  /** The compiled table and input validator of one version (built once, then cached). */
  prepare(meta: VersionMeta): Prepared {
    // The store hands out the same VersionMeta objects until its version list changes, so most requests find
    // their version by object identity; the key (with the content hash) catches the rest.
    let hit = this.byMeta.get(meta);
    if (!hit) {
      hit = this.cache.get(`${meta.tableId}@${meta.version}#${meta.hash}`) ?? this.build(meta);
      this.byMeta.set(meta, hit);
    }
    hit.lastUse = ++this.uses;
    return hit;
  }

  private build(meta: VersionMeta): Prepared {
    const record = this.store.getVersion(meta.tableId, meta.version);
    if (!record) throw new StoreError('VERSION_NOT_FOUND', `table '${meta.tableId}' has no version ${meta.version}`);
    const compiled = compileTable(record.table);
    const key = `${meta.tableId}@${meta.version}#${meta.hash}`;
    const prepared: Prepared = { key, meta, table: record.table, compiled, logPaths: inputPaths(record.table), lastUse: ++this.uses };
    this.cache.set(key, prepared);
    if (this.cache.size > this.maxCached) this.evictLeastRecentlyUsed();
    return prepared;
  }

  /** Drops the version used longest ago (a scan, but only when a new version is built over the limit). */
  private evictLeastRecentlyUsed(): void {
    let oldest: Prepared | undefined;
    for (const p of this.cache.values()) if (!oldest || p.lastUse < oldest.lastUse) oldest = p;
    if (!oldest) return;
    this.cache.delete(oldest.key);
    this.byMeta.delete(oldest.meta);
  }

  /** The JSON Schema of the case for a version (for documentation and clients; the engine does the checking). */
  inputSchemaOf(meta: VersionMeta): Record<string, unknown> {
    const p = this.prepare(meta);
    return (p.schema ??= inputSchema(p.table));
  }

  /**
   * Decides one case. Throws StoreError (unknown table/version, no valid version, a `requires` cycle),
   * CaseError (the engine refused the case's input) or StepFailure wrapping another engine error.
   */
  evaluate(tableId: string, req: EvaluateRequest): Decision {
    const sel: Selection = { date: req.date, asOf: req.asOf };
    const top = this.prepare(this.resolve(tableId, { ...sel, version: req.version }));
    // Most tables stand alone: no chain to walk, no results to feed.
    if (top.table.requires === undefined || top.table.requires.length === 0) return this.run(top, req.input, req, true);
    const results = new Map<string, StepResult>();
    const steps: StepResult[] = [];
    const order = this.chain(top, sel);
    let decision: Decision | undefined;
    for (const step of order) {
      const input = this.feed(step, req.input, results);
      const result = this.run(step, input, req, step === top);
      results.set(step.meta.tableId, result);
      if (step === top) decision = result;
      else steps.push(result);
    }
    if (steps.length > 0) decision!.steps = steps;
    return decision!;
  }

  /** The tables to run, required ones first (depth-first post-order); a cycle is refused. */
  private chain(top: Prepared, sel: Selection): Prepared[] {
    const order: Prepared[] = [];
    const done = new Set<string>();
    const visiting: string[] = [];
    const visit = (p: Prepared) => {
      const id = p.meta.tableId;
      if (done.has(id)) return;
      if (visiting.includes(id)) {
        const cycle = [...visiting.slice(visiting.indexOf(id)), id];
        throw new StoreError('REQUIRES_CYCLE', `the tables require each other in a cycle: ${cycle.join(' → ')}`, [
          { path: '/requires', message: cycle.join(' → ') },
        ]);
      }
      visiting.push(id);
      (p.table.requires ?? []).forEach((reqId, i) => {
        let meta: VersionMeta;
        try {
          meta = this.resolve(reqId, sel);
        } catch (err) {
          if (err instanceof StoreError) {
            throw new StoreError(err.code === 'TABLE_NOT_FOUND' ? 'INVALID_TABLE' : err.code, `${id} requires ${reqId}: ${err.message}`, [
              { path: `/requires/${i}`, message: err.message },
            ]);
          }
          throw err;
        }
        visit(this.prepare(meta));
      });
      visiting.pop();
      done.add(id);
      order.push(p);
    };
    visit(top);
    return order;
  }

  /** The case as one table sees it: the outputs of its required tables fill its inputs the case does not give. */
  private feed(step: Prepared, input: Record<string, unknown>, results: Map<string, StepResult>): Record<string, unknown> {
    const requires = step.table.requires ?? [];
    if (requires.length === 0 || input === null || typeof input !== 'object') return input;
    let fed: Record<string, unknown> | null = null;
    for (const col of step.table.inputs) {
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

  private run(step: Prepared, input: Record<string, unknown>, req: EvaluateRequest, isTop: boolean): StepResult {
    const { meta, compiled } = step;
    let result: EvaluationResult;
    try {
      result = compiled.evaluate(input, { trace: req.trace === true });
    } catch (err) {
      if (err instanceof EngineError) {
        if (err.code === 'INVALID_INPUT') {
          const where = isTop ? '' : ` (for required table ${meta.tableId})`;
          const problems = err.details.map((d) => ({ ...d, path: `/input${d.path}` }));
          const first = problems[0];
          const what = problems.length === 1 && first ? `invalid input ${first.path}: ${first.message}` : `invalid input (${problems.length} problems)`;
          throw new CaseError(`${what}${where}`, problems);
        }
        throw new StepFailure(err, meta.tableId, meta.version);
      }
      throw err;
    }
    const out: StepResult = {
      tableId: meta.tableId,
      version: meta.version,
      hash: meta.hash,
      validFrom: meta.validFrom,
      output: result.output,
      matched: result.matched,
    };
    if (req.trace) out.trace = result.trace ?? [];
    if (this.log?.wants()) {
      this.log.record({
        tableId: meta.tableId,
        version: meta.version,
        hash: meta.hash,
        input: capForLog(pickPaths(input, step.logPaths)),
        output: capForLog(result.output),
        matched: result.matched,
        caseDate: req.date ?? null,
        asOf: req.asOf ?? null,
        caller: req.caller ?? null,
        evaluatedAt: new Date().toISOString(),
      });
    }
    return out;
  }
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
