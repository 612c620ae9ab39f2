// runJsonRulesEngine: runs an exported table with json-rules-engine and applies the table's hit policy to the rules
// that fired, giving the same {output, matched} as the Beslis engine. Nothing here imports the engine: inputs are read
// and checked, outputs computed (decimal.js, as FEEL) and hit policies applied by this module itself, so it is also the
// independent oracle of the differential tests (test/differential). Only exports whose `requiresFeel` is not empty load
// the Beslis FEEL evaluator (feel-fallback.ts).
import Decimal from 'decimal.js';
import { Engine, type Event } from 'json-rules-engine';
import { HitPolicyError, InputError, type Problem } from './errors.ts';
import { CASE_FACT, RULE_EVENT, type ExportedInput, type JsonRulesEngineExport, type JsonValue, type OutputExpr, type RuleEventParams } from './format.ts';
import { canonicalDate, customOperators, dayNumber } from './operators.ts';

type FeelModule = typeof import('./feel-fallback.ts');
type FeelCase = import('./feel-fallback.ts').FeelCase;

/** FEEL numbers: decimal128-like, 34 significant digits, half-even (as the Beslis engine). */
const Dec = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN });
type Dec = InstanceType<typeof Dec>;

export type OutputRecord = Record<string, JsonValue>;
export interface JreResult {
  output: OutputRecord | OutputRecord[] | null;
  /** Ids of the rules that matched, in rule order (FIRST: only the first). */
  matched: string[];
}

// ---- inputs -------------------------------------------------------------------------------------------------------

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  date: 'a date (yyyy-mm-dd)',
};

function readPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** The fact value of a JSON value for a plain column type; undefined when it is not of that type. */
function coerce(type: ExportedInput['type'], v: unknown): JsonValue | undefined {
  switch (type) {
    case 'string':
      return typeof v === 'string' ? v : undefined;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? (Object.is(v, -0) ? 0 : v) : undefined;
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'date':
      return canonicalDate(v) ?? undefined;
    default:
      return undefined;
  }
}

/** FEEL equality of two JSON values, true only when they are equal (same kind, same value, lists and objects deep). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bl = b as unknown[];
    return a.length === bl.length && a.every((x, i) => jsonEquals(x, bl[i]));
  }
  const ka = Object.keys(a);
  const bo = b as Record<string, unknown>;
  return ka.length === Object.keys(bo).length && ka.every((k) => Object.hasOwn(bo, k) && jsonEquals((a as Record<string, unknown>)[k], bo[k]));
}

interface Facts {
  facts: Record<string, JsonValue>;
  /** FEEL values of inputs read or computed by the FEEL evaluator, by column. */
  feelValues: unknown[];
}

/** Reads the case into one fact per input, refusing it (InputError, every problem) as Beslis does. */
function readFacts(exp: JsonRulesEngineExport, input: unknown, feel: FeelModule | null): Facts {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InputError('the case must be a JSON object with the input values', [{ path: '', message: 'must be an object' }]);
  }
  const problems: Problem[] = [];
  const facts: Record<string, JsonValue> = {};
  const feelValues: unknown[] = [];
  exp.inputs.forEach((col, i) => {
    // A computed input is then checked like a read one (type, allowed values, required), as Beslis does.
    const computed = col.expression !== undefined;
    const path = computed ? [col.name] : (col.path ?? col.name).split('.');
    const raw = computed ? needFeel(feel).inputExpression(col.expression!, input as Record<string, unknown>).json : readPath(input, path);
    if (!(col.type in TYPE_WORDS) && col.type !== 'any') {
      const v = needFeel(feel).readInput(col, i, raw, problems);
      facts[col.name] = v.json;
      feelValues[i] = v.feel;
      return;
    }
    const pointer = `/${path.join('/')}`;
    facts[col.name] = null;
    if (raw === undefined || raw === null) {
      if (!col.optional) problems.push({ path: pointer, message: `${col.name} is required` });
      return;
    }
    const v = col.type === 'any' ? (raw as JsonValue) : coerce(col.type, raw);
    if (v === undefined) {
      problems.push({ path: pointer, message: `must be ${TYPE_WORDS[col.type]}, got ${JSON.stringify(raw)}` });
      return;
    }
    facts[col.name] = v;
    if (col.values && !col.values.some((a) => jsonEquals(col.type === 'any' ? a : (coerce(col.type, a) ?? a), v))) {
      problems.push({ path: pointer, message: `${JSON.stringify(raw)} is not one of the allowed values: ${col.values.map((x) => JSON.stringify(x)).join(', ')}` });
    }
  });
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new InputError(problems.length === 1 ? `invalid input ${first.path}: ${first.message}` : `invalid input (${problems.length} problems)`, problems);
  }
  return { facts, feelValues };
}

function needFeel(feel: FeelModule | null): FeelModule {
  if (!feel) throw new Error('this export needs the Beslis FEEL evaluator, but its requiresFeel list is empty');
  return feel;
}

// ---- outputs ------------------------------------------------------------------------------------------------------

type CalcValue = Dec | JsonValue;

function isNum(v: CalcValue): v is number | Dec {
  return typeof v === 'number' || v instanceof Dec;
}

function calc(op: string, args: CalcValue[]): CalcValue {
  if (op === 'neg') {
    const a = args[0]!;
    if (typeof a === 'number') return -a;
    return a instanceof Dec ? a.neg() : null;
  }
  const [a, b] = [args[0]!, args[1]!];
  if (a === null || b === null) return null;
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (!isNum(a) || !isNum(b)) return null;
  const x = new Dec(a);
  switch (op) {
    case '+':
      return x.plus(b);
    case '-':
      return x.minus(b);
    case '*':
      return x.times(b);
    case '/':
      return new Dec(b).isZero() ? null : x.div(b);
    case '**':
      return x.pow(b);
  }
  return null;
}

class OutputEvaluator {
  private feelCase: FeelCase | null = null;
  constructor(
    private readonly prepared: Prepared,
    private readonly facts: Facts,
  ) {}

  private caseOf(): FeelCase {
    const { exp, feel, names } = this.prepared;
    this.feelCase ??= needFeel(feel).caseFact(names, exp.inputs, this.facts.facts, this.facts.feelValues as never[]);
    return this.feelCase;
  }

  private value(e: OutputExpr): CalcValue {
    if (e === null || typeof e !== 'object') return e;
    if ('fact' in e) return this.facts.facts[e.fact] ?? null;
    if ('decimal' in e) return new Dec(e.decimal);
    if ('calc' in e) return calc(e.calc, e.args.map((a) => this.value(a)));
    return needFeel(this.prepared.feel).feelOutput(e.feel, this.caseOf());
  }

  /** An output's exact value where it is a number (a Decimal keeps `10 / 3` exact for a SUM); null otherwise. */
  exactNumber(e: OutputExpr): Dec | null {
    const v = this.value(e ?? null);
    return v instanceof Dec ? v : typeof v === 'number' ? new Dec(v) : null;
  }

  json(e: OutputExpr): JsonValue {
    const v = this.value(e);
    if (v instanceof Dec) return v.toNumber();
    return typeof v === 'number' && Object.is(v, -0) ? 0 : v;
  }

  record(outputs: Record<string, OutputExpr>): OutputRecord {
    const out: OutputRecord = {};
    for (const o of this.prepared.exp.outputs) out[o.name] = this.json(outputs[o.name] ?? null);
    return out;
  }

  defaults(): OutputRecord | null {
    const outs = this.prepared.exp.outputs;
    if (!outs.some((o) => o.default !== undefined)) return null;
    const out: OutputRecord = {};
    for (const o of outs) out[o.name] = o.default === undefined ? null : this.json(o.default);
    return out;
  }
}

// ---- hit policies -------------------------------------------------------------------------------------------------

/**
 * What an aggregated value is: a date when it is one (a date input read out, or text in a date column), otherwise
 * its JSON kind. MIN and MAX compare values of one kind only, as FEEL does: a date and a string do not compare.
 */
type Aggregated = ({ kind: 'date'; day: number; json: JsonValue } | { kind: 'json'; json: JsonValue }) & { exact?: Dec | null };

function aggregated(exp: JsonRulesEngineExport, e: OutputExpr | undefined, json: JsonValue): Aggregated {
  const fromInput = e !== null && typeof e === 'object' && 'fact' in e ? exp.inputs.find((i) => i.name === e.fact)?.type : undefined;
  const type = fromInput ?? exp.outputs[0]!.type;
  const day = type === 'date' && typeof json === 'string' ? dayNumber(json) : null;
  return day === null ? { kind: 'json', json } : { kind: 'date', day, json };
}

function compareAggregated(a: Aggregated, b: Aggregated): number | null {
  if (a.kind === 'date' || b.kind === 'date') return a.kind === 'date' && b.kind === 'date' ? Math.sign(a.day - b.day) : null;
  const [x, y] = [a.json, b.json];
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  return null;
}

function aggregate(aggregation: string, values: Aggregated[]): JsonValue {
  if (aggregation === 'COUNT') return values.length;
  if (values.length === 0) return null;
  if (aggregation === 'SUM') {
    // FEEL adds the rules' numbers as decimals and converts once, at the answer (DMN: sum of the output values).
    if (!values.every((v) => typeof v.json === 'number' && v.exact)) return null;
    return values.reduce((acc, v) => acc.plus(v.exact!), new Dec(0)).toNumber();
  }
  let best = values[0]!;
  for (const v of values.slice(1)) {
    const c = compareAggregated(v, best);
    if (c === null) return null;
    if (aggregation === 'MIN' ? c < 0 : c > 0) best = v;
  }
  return best.json;
}

/** Rank of a record by the outputs' ordered `values` (0 = highest; a value not listed ranks after every listed one). */
function rank(exp: JsonRulesEngineExport, record: OutputRecord): number[] {
  const key: number[] = [];
  for (const o of exp.outputs) {
    if (!o.values) continue;
    const i = o.values.findIndex((v) => jsonEquals(v, record[o.name] ?? null));
    key.push(i < 0 ? o.values.length : i);
  }
  return key;
}

function byRank(a: { key: number[]; index: number }, b: { key: number[]; index: number }): number {
  for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i]! - b.key[i]!;
  return a.index - b.index;
}

function applyHitPolicy(exp: JsonRulesEngineExport, fired: RuleEventParams[], outputs: OutputEvaluator): JreResult {
  const { hitPolicy, aggregation } = exp.table;
  const matched = fired.map((f) => f.ruleId);
  if (fired.length === 0) {
    const defaults = outputs.defaults();
    if (hitPolicy === 'COLLECT' && aggregation) {
      return { output: defaults ?? (aggregation === 'COUNT' ? { [exp.outputs[0]!.name]: 0 } : null), matched };
    }
    const single = hitPolicy === 'UNIQUE' || hitPolicy === 'ANY' || hitPolicy === 'PRIORITY' || hitPolicy === 'FIRST';
    return { output: single ? defaults : defaults ? [defaults] : [], matched };
  }
  const records = fired.map((f) => outputs.record(f.outputs));
  switch (hitPolicy) {
    case 'UNIQUE':
      if (fired.length > 1) throw new HitPolicyError(`UNIQUE table: rules ${matched.join(', ')} all match; exactly one may`, matched);
      return { output: records[0]!, matched };
    case 'FIRST':
      return { output: records[0]!, matched: matched.slice(0, 1) };
    case 'ANY': {
      const differing = fired.filter((_, i) => !exp.outputs.every((o) => jsonEquals(records[0]![o.name] ?? null, records[i]![o.name] ?? null)));
      if (differing.length > 0) {
        const ids = [matched[0]!, ...differing.map((f) => f.ruleId)];
        throw new HitPolicyError(`ANY table: rules ${ids.join(', ')} match with different outputs`, ids);
      }
      return { output: records[0]!, matched };
    }
    case 'PRIORITY':
    case 'OUTPUT ORDER': {
      const ranked = records.map((r, index) => ({ r, index, key: rank(exp, r) })).sort(byRank);
      return { output: hitPolicy === 'PRIORITY' ? ranked[0]!.r : ranked.map((x) => x.r), matched };
    }
    case 'RULE ORDER':
      return { output: records, matched };
    case 'COLLECT': {
      if (!aggregation) return { output: records, matched };
      const name = exp.outputs[0]!.name;
      return { output: { [name]: aggregate(aggregation, records.map((r, i) => ({ ...aggregated(exp, fired[i]!.outputs[name], r[name] ?? null), exact: outputs.exactNumber(fired[i]!.outputs[name] ?? null) }))) }, matched };
    }
  }
}

// ---- running ------------------------------------------------------------------------------------------------------

interface Prepared {
  exp: JsonRulesEngineExport;
  engine: Engine;
  feel: FeelModule | null;
  /** Input names, one array per export: the FEEL evaluator caches compiled cells on it. */
  names: readonly string[];
  /** json-rules-engine keeps one run status per Engine, so runs on the same Engine are queued, never overlapped. */
  tail: Promise<unknown>;
}

const preparedByExport = new WeakMap<JsonRulesEngineExport, Promise<Prepared>>();

async function prepare(exp: JsonRulesEngineExport): Promise<Prepared> {
  const feel = exp.requiresFeel.length > 0 ? await import('./feel-fallback.ts') : null;
  const engine = new Engine([], exp.engineOptions);
  for (const op of exp.operators) {
    const fn = op.module === 'feel' ? (needFeel(feel) as unknown as Record<string, (a: unknown, b: unknown) => boolean>)[op.name] : customOperators[op.name];
    if (!fn) throw new Error(`unknown custom operator '${op.name}'`);
    engine.addOperator(op.name, fn);
  }
  for (const rule of exp.rules) engine.addRule(rule);
  return { exp, engine, feel, names: exp.inputs.map((i) => i.name), tail: Promise.resolve() };
}

/** Builds (once per export object) the json-rules-engine Engine with the rules and custom operators. */
export function engineFor(exp: JsonRulesEngineExport): Promise<Prepared> {
  let p = preparedByExport.get(exp);
  if (!p) {
    p = prepare(exp);
    preparedByExport.set(exp, p);
  }
  return p;
}

/**
 * Evaluates a case with json-rules-engine on an exported table: the same {output, matched} as compileTable(table)
 * .evaluate(case), or the same error (InputError, HitPolicyError — by name and `code`).
 */
export async function runJsonRulesEngine(exp: JsonRulesEngineExport, input: Record<string, unknown>): Promise<JreResult> {
  const prepared = await engineFor(exp);
  const facts = readFacts(exp, input, prepared.feel);
  const runFacts: Record<string, unknown> = { ...facts.facts };
  let outputs: OutputEvaluator | null = null;
  if (prepared.feel) {
    outputs = new OutputEvaluator(prepared, facts);
    runFacts[CASE_FACT] = prepared.feel.caseFact(prepared.names, exp.inputs, facts.facts, facts.feelValues as never[]);
  }
  const run = prepared.tail.then(() => prepared.engine.run(runFacts));
  prepared.tail = run.catch(() => undefined);
  const { events } = await run;
  const fired = (events as Event[])
    .filter((e) => e.type === RULE_EVENT)
    .map((e) => e.params as RuleEventParams)
    .sort((a, b) => a.index - b.index);
  return applyHitPolicy(exp, fired, outputs ?? new OutputEvaluator(prepared, facts));
}
