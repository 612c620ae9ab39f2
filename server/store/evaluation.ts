// Deciding cases: choose the version on the two clocks, run the compiled table (and the tables it `requires`, first),
// and queue the evaluation for the log. The engine is the one validator of a case's input (INVALID_INPUT naming each
// field); the JSON Schema of a version's input only describes it to clients (GET …/versions/{n}/input-schema).
// Compiled tables are built once per version and cached: versions never change.
import { compileTable } from '../engine/index.ts';
import { evaluateChain, RequiredTableError, RequiresCycleError, type RequiredTables } from '../engine/chain.ts';
import { EngineError } from '../engine/errors.ts';
import { explainDecision, type Explanation, type ExplainStep } from '../engine/explain.ts';
import type { CompiledTable, DecisionTable, EvaluationResult, RuleTrace } from '../engine/types.ts';
import { StoreError } from './errors.ts';
import type { EvaluationLog } from './eval-log.ts';
import { inputSchema } from './input-schema.ts';
import { capForLog, inputPaths, pickPaths } from './logged-input.ts';
import { chooseVersion } from '../engine/versions.ts';
import { today, type Selection } from './select.ts';
import type { VersionMeta } from './records.ts';
import type { Store } from './store.ts';

export interface EvaluateRequest extends Selection {
  input: Record<string, unknown>;
  trace?: boolean;
  /** Adds the reasoned explanation in Dutch and English (server/engine/explain.ts). */
  explain?: boolean;
  /** Adds `types`: the FEEL type of each text in the output that is not a string (EvaluationResult.types). */
  types?: boolean;
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
  types?: EvaluationResult['types'];
  trace?: RuleTrace[];
}

export interface Decision extends StepResult {
  steps?: StepResult[];
  explanation?: Explanation;
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
    const chosen = chooseVersion(versions, this.store.listArchives(tableId), sel);
    if (chosen && 'archived' in chosen) {
      const since = chosen.archived.validFrom;
      throw new StoreError('TABLE_ARCHIVED', `table '${tableId}' is archived since ${since}: it decides no case dated on or after that day (earlier dates still answer)`, [], {
        archivedFrom: since,
        date: sel.date ?? today(),
      });
    }
    if (chosen) return chosen.version;
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
   * Decides one case. Throws StoreError (unknown table/version, no valid version), a `requires` cycle
   * (REQUIRES_CYCLE), CaseError (the engine refused the case's input) or StepFailure wrapping another engine error.
   */
  evaluate(tableId: string, req: EvaluateRequest): Decision {
    const sel: Selection = { date: req.date, asOf: req.asOf };
    const top = this.prepare(this.resolve(tableId, { ...sel, version: req.version }));
    // The explanation is built from the trace, so an explained evaluation is traced (the trace is shown only when asked).
    const explained: ExplainStep[] | null = req.explain === true ? [] : null;
    // Most tables stand alone: no chain to walk, no results to feed.
    if (top.table.requires === undefined || top.table.requires.length === 0) {
      const decision: Decision = this.run(top, req.input, req, explained);
      if (explained) decision.explanation = explainDecision(explained);
      return decision;
    }
    // A chain: the engine walks it (evaluateChain); the store says which version of each required table runs.
    const prepared = new Map<CompiledTable, Prepared>([[top.compiled, top]]);
    const required = this.requiredTables(sel, (p) => prepared.set(p.compiled, p));
    const results: StepResult[] = [];
    try {
      evaluateChain(top.compiled, req.input, required, {
        trace: req.trace === true || explained !== null,
        types: req.types === true,
        onStep: (step) => results.push(this.stepResult(prepared.get(step.table)!, step.input, step.result, req, explained)),
      });
    } catch (err) {
      if (err instanceof RequiredTableError) throw refusal(err.error, prepared.get(err.table)!.meta, false);
      if (err instanceof EngineError && !(err instanceof RequiresCycleError)) throw refusal(err, top.meta, true);
      throw err;
    }
    const decision: Decision = results.pop()!;
    if (results.length > 0) decision.steps = results;
    if (explained) decision.explanation = explainDecision(explained);
    return decision;
  }

  /**
   * The required tables of a chain on the two clocks of `sel`: the version each one runs with (compiled once, cached),
   * or a StoreError naming the table that requires it. Evaluate and the fixture runs both choose them here.
   */
  requiredTables(sel: Selection, onPrepared?: (p: Prepared) => void): RequiredTables {
    return (reqId, by, i) => {
      const p = this.prepare(this.requiredVersion(reqId, by.table.id, i, sel));
      onPrepared?.(p);
      return p.compiled;
    };
  }

  /** The version of a required table that runs, or a StoreError naming the table that requires it. */
  private requiredVersion(reqId: string, by: string, index: number, sel: Selection): VersionMeta {
    try {
      return this.resolve(reqId, sel);
    } catch (err) {
      if (err instanceof StoreError) {
        throw new StoreError(err.code === 'TABLE_NOT_FOUND' ? 'INVALID_TABLE' : err.code, `${by} requires ${reqId}: ${err.message}`, [
          { path: `/requires/${index}`, message: err.message, code: 'REQUIRED_TABLE_UNAVAILABLE', params: { table: reqId } },
        ]);
      }
      throw err;
    }
  }

  private run(step: Prepared, input: Record<string, unknown>, req: EvaluateRequest, explained: ExplainStep[] | null): StepResult {
    let result: EvaluationResult;
    try {
      result = step.compiled.evaluate(input, { trace: req.trace === true || explained !== null, types: req.types === true });
    } catch (err) {
      if (err instanceof EngineError) throw refusal(err, step.meta, true);
      throw err;
    }
    return this.stepResult(step, input, result, req, explained);
  }

  /** One table's answer, queued for the log. */
  private stepResult(step: Prepared, input: Record<string, unknown>, result: EvaluationResult, req: EvaluateRequest, explained: ExplainStep[] | null = null): StepResult {
    const { meta } = step;
    explained?.push({ table: step.table, version: meta.version, validFrom: meta.validFrom, result });
    const out: StepResult = {
      tableId: meta.tableId,
      version: meta.version,
      hash: meta.hash,
      validFrom: meta.validFrom,
      output: result.output,
      matched: result.matched,
    };
    if (req.types) out.types = result.types ?? {};
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

/** An engine error as the API reports it: a refused input under `/input` (CaseError), anything else with its table. */
function refusal(err: EngineError, meta: VersionMeta, isTop: boolean): Error {
  if (err.code !== 'INVALID_INPUT') return new StepFailure(err, meta.tableId, meta.version);
  const where = isTop ? '' : ` (for required table ${meta.tableId})`;
  const problems = err.details.map((d) => ({ ...d, path: `/input${d.path}` }));
  const first = problems[0];
  const what = problems.length === 1 && first ? `invalid input ${first.path}: ${first.message}` : `invalid input (${problems.length} problems)`;
  return new CaseError(`${what}${where}`, problems);
}
