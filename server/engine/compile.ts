// compileTable (docs/architecture.md, "A table: compiled once"): parses every cell once into closures, indexes an
// equality column, and returns a synchronous evaluator. Every problem in the table is collected and thrown together
// as a TableError.
import type { UnaryTests } from './ast.ts';
import { analyzeTable } from './analysis.ts';
import { buildColumnIndex, type ColumnIndex } from './column-index.ts';
import { CellSyntaxError, InputError, LimitError, TableError } from './errors.ts';
import { compileExpr, compileUnaryTests, isConstant, type ExprFn, type Scope, type TestFn } from './feel.ts';
import { applyHitPolicy, stopsAtFirst, type HitContext } from './hit-policy.ts';
import { coercerFor, makeCaseReader, makeFastReader, makeReader, readComputed, readPath, readValue, type InputReader } from './input.ts';
import { jsonSizeUpTo, MAX_OUTPUT_BYTES } from './limits.ts';
import { parseExpression, parseUnaryTests } from './parser.ts';
import { problem } from './messages.ts';
import { schemaProblems } from './schema.ts';
import type {
  ColumnType,
  CompiledTable,
  DecisionTable,
  EvaluateOptions,
  EvaluationResult,
  HitPolicy,
  OutputRecord,
  Problem,
  RuleTrace,
} from './types.ts';
import { fromJson, textTypes, toJson, type FeelContext, type FeelValue, type TextTypeName } from './values.ts';

interface CompiledRule {
  /** Position in the table's rule list. */
  index: number;
  id: string;
  /** Columns that have a test (`-` cells are left out), and the tests, in column order. */
  columns: number[];
  tests: TestFn[];
  outputs: ExprFn[];
  /** The output record when every then-cell is a constant primitive: copied, never recomputed. */
  template: OutputRecord | null;
}

/** `/name` as a JSON Pointer (RFC 6901) step. */
function pointerStep(name: string): string {
  return `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** One output record, as JSON text too (for matching), with the FEEL types of its texts. */
interface TypedRecord {
  record: OutputRecord;
  json: string;
  types: Record<string, TextTypeName>;
}

/** The types of the record among `records` that `record` is (by its JSON), or undefined. */
function typesOfRecord(records: readonly TypedRecord[], record: OutputRecord): Record<string, TextTypeName> | undefined {
  const json = JSON.stringify(record);
  for (const r of records) if (r.json === json) return r.types;
  return undefined;
}

function cellProblem(path: string, text: string, err: unknown): Problem {
  if (err instanceof CellSyntaxError) {
    return { path, message: `${err.message} in ${JSON.stringify(shortText(text))}`, column: err.column, code: err.messageCode, params: err.params };
  }
  // A constant computed at compile time that breaks a budget (a string or list too long) is the cell's problem.
  if (err instanceof LimitError) return { path, message: err.message, ...(err.messageCode ? { code: err.messageCode, params: err.params } : {}) };
  throw err;
}

/** Cell text quoted in a message: a cell of 100,000 characters is not repeated whole in every problem. */
function shortText(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 200)}…`;
}

/** Allowed values must be of the column's type: a "1" among numbers would never match and hide a typo. */
function checkAllowedValues(table: DecisionTable, problems: Problem[]): void {
  const check = (where: string, column: { type: ColumnType; values?: unknown[] }) => {
    if (column.type === 'any' || !column.values) return;
    const coerce = coercerFor(column.type);
    column.values.forEach((v, j) => {
      if (coerce(v) === undefined) problems.push(problem(`${where}/values/${j}`, 'TABLE_VALUE_TYPE', { type: column.type }));
    });
  };
  table.inputs.forEach((c, i) => check(`/inputs/${i}`, c));
  table.outputs.forEach((c, i) => check(`/outputs/${i}`, c));
}

function checkNames(table: DecisionTable, problems: Problem[]): void {
  const seen = new Map<string, string>();
  table.inputs.forEach((c, i) => {
    if (seen.has(c.name)) problems.push(problem(`/inputs/${i}/name`, 'TABLE_DUPLICATE_INPUT', { name: c.name }));
    seen.set(c.name, `/inputs/${i}`);
  });
  const outs = new Set<string>();
  table.outputs.forEach((c, i) => {
    if (outs.has(c.name)) problems.push(problem(`/outputs/${i}/name`, 'TABLE_DUPLICATE_OUTPUT', { name: c.name }));
    outs.add(c.name);
  });
  const ids = new Set<string>();
  table.rules.forEach((r, i) => {
    if (ids.has(r.id)) problems.push(problem(`/rules/${i}/id`, 'TABLE_DUPLICATE_RULE_ID', { id: r.id }));
    ids.add(r.id);
  });
  checkAllowedValues(table, problems);
  const policy = table.hitPolicy ?? 'UNIQUE';
  if (table.aggregation && policy !== 'COLLECT') {
    problems.push(problem('/aggregation', 'TABLE_AGGREGATION_POLICY', { policy }));
  }
  if (table.aggregation && table.outputs.length !== 1) {
    problems.push(problem('/aggregation', 'TABLE_AGGREGATION_OUTPUTS'));
  }
  if (table.aggregation && table.aggregation !== 'COUNT' && table.outputs[0] && !['number', 'any'].includes(table.outputs[0].type) && table.aggregation === 'SUM') {
    problems.push(problem('/outputs/0/type', 'TABLE_SUM_NOT_NUMBER'));
  }
  if (table.requires?.includes(table.id)) problems.push(problem('/requires', 'TABLE_REQUIRES_ITSELF'));
}

export interface CompileOptions {
  /**
   * Called as the compiler reaches each part (`/rules/17`, then `/analysis` for the uniqueness proof), so a caller
   * that stops a compile taking too long can say where it was.
   */
  onStep?: (path: string) => void;
}

/** Compiles a table; throws TableError listing every problem (shape, names, cells) with its JSON path. */
export function compileTable(input: DecisionTable, opts: CompileOptions = {}): CompiledTable {
  const onStep = opts.onStep;
  const shape = schemaProblems(input);
  if (shape.length > 0) throw new TableError(shape);
  const table = input;
  const problems: Problem[] = [];
  checkNames(table, problems);

  const inputNames = table.inputs.map((c) => c.name);
  const env = { inputs: new Map(inputNames.map((n, i) => [n, i] as const)), strict: true };
  const readers: InputReader[] = table.inputs.map((c, i) => makeReader(c, i));
  const inputExpressions: (ExprFn | null)[] = table.inputs.map((c, i) => {
    if (c.expression === undefined) return null;
    try {
      return compileExpr(parseExpression(c.expression));
    } catch (err) {
      problems.push(cellProblem(`/inputs/${i}/expression`, c.expression, err));
      return null;
    }
  });

  const parsedCells: UnaryTests[][] = [];
  const rules: CompiledRule[] = table.rules.map((rule, r) => {
    onStep?.(`/rules/${r}`);
    const compiled: CompiledRule = { index: r, id: rule.id, columns: [], tests: [], outputs: [], template: {} };
    const row: UnaryTests[] = [];
    for (const key of Object.keys(rule.when)) {
      if (!env.inputs.has(key)) problems.push(problem(`/rules/${r}/when/${key}`, 'TABLE_UNKNOWN_INPUT', { name: key }));
    }
    table.inputs.forEach((col, c) => {
      const text = Object.hasOwn(rule.when, col.name) ? rule.when[col.name]! : '-';
      try {
        const ut = parseUnaryTests(text, inputNames);
        row.push(ut);
        const fn = compileUnaryTests(ut, env);
        if (fn) {
          compiled.columns.push(c);
          compiled.tests.push(fn);
        }
      } catch (err) {
        row.push({ t: 'any' });
        problems.push(cellProblem(`/rules/${r}/when/${col.name}`, text, err));
      }
    });
    parsedCells.push(row);
    for (const key of Object.keys(rule.then)) {
      if (!table.outputs.some((o) => o.name === key)) problems.push(problem(`/rules/${r}/then/${key}`, 'TABLE_UNKNOWN_OUTPUT', { name: key }));
    }
    for (const out of table.outputs) {
      const text = Object.hasOwn(rule.then, out.name) ? rule.then[out.name]! : undefined;
      if (text === undefined) {
        problems.push(problem(`/rules/${r}/then/${out.name}`, 'TABLE_MISSING_OUTPUT', { name: out.name }));
        compiled.outputs.push(() => null);
        compiled.template = null;
        continue;
      }
      try {
        const ast = parseExpression(text, inputNames);
        const fn = compileExpr(ast, env);
        compiled.outputs.push(fn);
        const value = isConstant(ast) ? toJson(fn({ inputs: [], vars: null, q: null })) : undefined;
        if (compiled.template && value !== undefined && (value === null || typeof value !== 'object')) compiled.template[out.name] = value;
        else compiled.template = null;
      } catch (err) {
        problems.push(cellProblem(`/rules/${r}/then/${out.name}`, text, err));
        compiled.outputs.push(() => null);
      }
    }
    return compiled;
  });

  const defaultFns = table.outputs.map((o, i) => {
    if (o.default === undefined) return null;
    try {
      return compileExpr(parseExpression(o.default, inputNames), env);
    } catch (err) {
      problems.push(cellProblem(`/outputs/${i}/default`, o.default, err));
      return null;
    }
  });

  if (problems.length > 0) throw new TableError(problems);
  // A rule found through its literal key in the indexed column needs no second check of that cell.
  const index = buildColumnIndex(parsedCells, table.inputs.length, (r, column, keyed) => {
    const rule = rules[r]!;
    const at = rule.columns.indexOf(column);
    if (!keyed || at < 0) return rule;
    return { ...rule, columns: rule.columns.filter((_, i) => i !== at), tests: rule.tests.filter((_, i) => i !== at) };
  });
  onStep?.('/analysis');
  return new Evaluator(table, readers, inputExpressions, rules, defaultFns, index, provenUnique(table));
}

/** Tables up to this size are analysed at compile time to learn whether UNIQUE may stop at the first match. */
const MAX_RULES_TO_PROVE_UNIQUE = 256;

/**
 * True when static analysis proves, exactly and completely, that no two rules of a UNIQUE table can match the
 * same valid case. Evaluation may then stop at the first match: the answer is the same, found sooner.
 */
function provenUnique(table: DecisionTable): boolean {
  if ((table.hitPolicy ?? 'UNIQUE') !== 'UNIQUE' || table.rules.length > MAX_RULES_TO_PROVE_UNIQUE) return false;
  const report = analyzeTable(table);
  return report.exact && report.complete && !report.findings.some((f) => f.kind === 'overlap' || f.kind === 'syntax');
}

/** An output computed from the case stays within MAX_OUTPUT_BYTES: a 4 MB input repeated 99 times is refused. */
function capped<T>(out: T): T {
  const size = jsonSizeUpTo(out, MAX_OUTPUT_BYTES);
  if (size > MAX_OUTPUT_BYTES) throw new LimitError({ code: 'LIMIT_OUTPUT_BYTES', params: { limit: MAX_OUTPUT_BYTES } }, [problem('/output', 'LIMIT_OUTPUT_BYTES_SHORT', { limit: MAX_OUTPUT_BYTES })]);
  return out;
}

class Evaluator implements CompiledTable {
  private readonly policy: HitPolicy;
  /** Stop at the first match: FIRST, or a UNIQUE table whose analysis proves no two rules can match together. */
  private readonly stopAtFirst: boolean;
  private readonly outputNames: string[];
  private readonly hasDefaults: boolean;
  private readonly ruleIds: string[];
  /** Reads a well-formed case in one go; null for tables with computed inputs, which take the careful path. */
  private readonly readCase: ((obj: Record<string, unknown>) => FeelValue[] | null) | null;
  /** JSON Pointer step and, for a date, time, dateTime or duration column, the reader of its text, per output. */
  private readonly outputTyping: { step: string; read: ((v: string) => FeelValue | undefined) | null }[];

  constructor(
    readonly table: DecisionTable,
    private readonly readers: InputReader[],
    private readonly inputExpressions: (ExprFn | null)[],
    private readonly rules: CompiledRule[],
    private readonly defaultFns: (ExprFn | null)[],
    private readonly index: ColumnIndex<CompiledRule> | null,
    provenUnique: boolean,
  ) {
    this.policy = table.hitPolicy ?? 'UNIQUE';
    this.stopAtFirst = this.policy === 'FIRST' || (this.policy === 'UNIQUE' && provenUnique);
    this.outputNames = table.outputs.map((o) => o.name);
    this.hasDefaults = defaultFns.some((f) => f !== null);
    const aggregatedType = table.aggregation ? table.outputs[0]?.type : undefined;
    this.readAggregated = aggregatedType && ['date', 'time', 'dateTime', 'duration'].includes(aggregatedType) ? coercerFor(aggregatedType) : null;
    this.ruleIds = rules.map((r) => r.id);
    this.readCase = inputExpressions.every((e) => e === null) ? makeCaseReader(readers.map(makeFastReader)) : null;
    this.outputTyping = table.outputs.map((o) => ({
      step: pointerStep(o.name),
      read: ['date', 'time', 'dateTime', 'duration'].includes(o.type) ? (coercerFor(o.type) as (v: string) => FeelValue | undefined) : null,
    }));
  }

  /** Reads and checks the case's input values; all problems are reported together. */
  private readInputs(input: Record<string, unknown>): FeelValue[] {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw InputError.notAnObject();
    }
    if (this.readCase !== null) {
      const values = this.readCase(input);
      if (values !== null) return values;
    }
    const problems: Problem[] = [];
    const values: FeelValue[] = new Array(this.readers.length);
    let caseContext: FeelContext | null = null;
    for (const reader of this.readers) {
      const expr = this.inputExpressions[reader.index];
      if (expr) {
        // A computed input is checked like a read one: its type, its allowed values, whether it may be null.
        caseContext ??= fromJson(input) as FeelContext;
        values[reader.index] = readComputed(reader, expr({ inputs: [], vars: caseContext, q: null }), problems);
        continue;
      }
      values[reader.index] = readValue(reader, readPath(input, reader.path), problems);
    }
    if (problems.length > 0) {
      throw InputError.of(problems);
    }
    return values;
  }

  private outputOf(rule: number, scope: Scope): OutputRecord {
    const template = this.rules[rule]!.template;
    if (template !== null) return { ...template };
    const fns = this.rules[rule]!.outputs;
    const out: OutputRecord = {};
    for (let i = 0; i < fns.length; i++) out[this.outputNames[i]!] = toJson(fns[i]!(scope));
    return capped(out);
  }

  /** A then-cell written as text (`"P2D"`) in a date, time or duration column still aggregates as that type. */
  private aggregatedValue(v: FeelValue): FeelValue {
    if (typeof v !== 'string' || this.readAggregated === null) return v;
    return this.readAggregated(v) ?? v;
  }

  private readonly readAggregated: ((v: string) => FeelValue | undefined) | null;

  private defaults(scope: Scope): OutputRecord | null {
    if (!this.hasDefaults) return null;
    const out: OutputRecord = {};
    this.defaultFns.forEach((f, i) => {
      out[this.outputNames[i]!] = f ? toJson(f(scope)) : null;
    });
    return capped(out);
  }

  private matches(rule: CompiledRule, values: FeelValue[], scope: Scope): boolean {
    const { columns, tests } = rule;
    for (let i = 0; i < tests.length; i++) {
      if (tests[i]!(values[columns[i]!]!, scope) !== true) return false;
    }
    return true;
  }

  evaluate(input: Record<string, unknown>, opts?: EvaluateOptions): EvaluationResult {
    if (opts?.types === true) return this.evaluateTyped(input, opts.trace === true);
    const values = this.readInputs(input);
    const scope: Scope = { inputs: values, vars: null, q: null };
    if (opts?.trace) return this.evaluateTraced(values, scope);
    const candidates = this.index ? this.index.candidates(values[this.index.column]!) : this.rules;
    if (this.policy === 'UNIQUE' || this.policy === 'FIRST') return this.evaluateSingle(candidates, values, scope);
    const matched: number[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const rule = candidates[i]!;
      if (this.matches(rule, values, scope)) matched.push(rule.index);
    }
    return this.result(matched, scope);
  }

  /**
   * evaluate, then the types of the answer's output. They are found apart from the evaluation (the matched rules'
   * outputs computed once more, as FEEL values), so the path every untyped answer takes stays as it is.
   */
  private evaluateTyped(input: Record<string, unknown>, trace: boolean): EvaluationResult {
    const result = this.evaluate(input, trace ? { trace: true } : undefined);
    const typed: EvaluationResult = { output: result.output, matched: result.matched, types: this.typesOf(input, result) };
    if (result.trace) typed.trace = result.trace;
    return typed;
  }

  /** The FEEL types of `result.output`, by JSON Pointer into it. (Plain loops: no closure made per answer.) */
  private typesOf(input: Record<string, unknown>, result: EvaluationResult): Record<string, TextTypeName> {
    const { output } = result;
    if (output === null) return {};
    const scope: Scope = { inputs: this.readInputs(input), vars: null, q: null };
    // The records the answer can hold: each matched rule's, or the defaults when none matched.
    const records: TypedRecord[] = [];
    if (result.matched.length === 0) records.push(this.typedRecord(this.defaultFns, scope));
    for (const id of result.matched) records.push(this.typedRecord(this.rules[this.ruleIds.indexOf(id)]!.outputs, scope));
    // Most answers hold the matched records in matched order (PRIORITY and OUTPUT ORDER rank them: found by text).
    const inOrder = this.policy !== 'PRIORITY' && this.policy !== 'OUTPUT ORDER' && !this.table.aggregation;
    if (Array.isArray(output)) {
      const out: Record<string, TextTypeName> = {};
      for (let i = 0; i < output.length; i++) {
        const types = inOrder ? records[i]?.types : typesOfRecord(records, output[i]!);
        if (types) for (const at in types) out[`/${i}${at}`] = types[at]!;
      }
      return out;
    }
    const own = inOrder ? records[0]!.types : typesOfRecord(records, output);
    if (own) return own;
    // An aggregation's {name: value}: MIN and MAX answer one matched record's value, typed as it was there.
    const out: Record<string, TextTypeName> = {};
    for (const name in output) {
      const step = pointerStep(name);
      const json = JSON.stringify(output[name]);
      for (const r of records) {
        const type = r.types[step];
        if (type !== undefined && JSON.stringify(r.record[name]) === json) {
          out[step] = type;
          break;
        }
      }
    }
    return out;
  }

  /**
   * A record computed from output cells (or defaults), with its types; a text in a date, time, dateTime or duration
   * column counts as that column's type, as the hit policies read it.
   */
  private typedRecord(fns: readonly (ExprFn | null)[], scope: Scope): TypedRecord {
    const record: OutputRecord = {};
    const types: Record<string, TextTypeName> = {};
    for (let i = 0; i < fns.length; i++) {
      const f = fns[i];
      const v = f ? f(scope) : null;
      record[this.outputNames[i]!] = toJson(v);
      const { step, read } = this.outputTyping[i]!;
      const typed = read !== null && typeof v === 'string' ? read(v) : undefined;
      const value = typed ?? v;
      // Only objects (a date, a list, a context…) hold text that is not a string.
      if (value !== null && typeof value === 'object') textTypes(value, step, types);
    }
    return { record, json: this.policy === 'PRIORITY' || this.policy === 'OUTPUT ORDER' || this.table.aggregation ? JSON.stringify(record) : '', types };
  }

  /** UNIQUE and FIRST answer one rule's output: no lists, no hit-policy context on the hot path. */
  private evaluateSingle(candidates: readonly CompiledRule[], values: FeelValue[], scope: Scope): EvaluationResult {
    const first = this.stopAtFirst;
    let found = -1;
    for (let i = 0; i < candidates.length; i++) {
      const rule = candidates[i]!;
      if (this.matches(rule, values, scope)) {
        const r = rule.index;
        if (first) return { output: this.outputOf(r, scope), matched: [rule.id] };
        if (found >= 0) {
          // A UNIQUE violation: collect every matching rule so the error names them all.
          const all = [found, r];
          for (let j = i + 1; j < candidates.length; j++) if (this.matches(candidates[j]!, values, scope)) all.push(candidates[j]!.index);
          return this.result(all, scope);
        }
        found = r;
      }
    }
    if (found < 0) return { output: this.defaults(scope), matched: [] };
    return { output: this.outputOf(found, scope), matched: [this.ruleIds[found]!] };
  }

  private result(matched: number[], scope: Scope, trace?: RuleTrace[]): EvaluationResult {
    const cache = new Map<number, OutputRecord>();
    const ctx: HitContext = {
      policy: this.policy,
      aggregation: this.table.aggregation,
      outputs: this.table.outputs,
      ruleIds: this.ruleIds,
      outputOf: (r) => {
        let out = cache.get(r);
        if (!out) cache.set(r, (out = this.outputOf(r, scope)));
        return out;
      },
      valueOf: (r) => this.aggregatedValue(this.rules[r]!.outputs[0]!(scope)),
      defaults: this.defaults(scope),
    };
    const output = applyHitPolicy(ctx, matched);
    if (Array.isArray(output) && output.length > 1) capped(output);
    const result: EvaluationResult = { output, matched: matched.map((r) => this.rules[r]!.id) };
    if (trace) result.trace = trace;
    return result;
  }

  /** Checks every cell of every rule, so the trace can show why each rule did or did not match. */
  private evaluateTraced(values: FeelValue[], scope: Scope): EvaluationResult {
    const trace: RuleTrace[] = [];
    const matched: number[] = [];
    this.rules.forEach((rule, r) => {
      const source = this.table.rules[r]!;
      const cells = this.table.inputs.map((col, c) => {
        const at = rule.columns.indexOf(c);
        const held = at < 0 ? true : rule.tests[at]!(values[c]!, scope) === true;
        return { name: col.name, text: source.when[col.name] ?? '-', value: toJson(values[c]!), held };
      });
      const ok = cells.every((c) => c.held);
      trace.push({ ruleId: rule.id, index: r, matched: ok, cells });
      if (ok) matched.push(r);
    });
    const selected = stopsAtFirst(this.policy) ? matched.slice(0, 1) : matched;
    return this.result(selected, scope, trace);
  }
}
