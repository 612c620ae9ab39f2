// toJsonRulesEngine: a Beslis decision table as a json-rules-engine rule set, so other Node services can embed a policy
// and the differential tests have an independent oracle (docs/architecture.md). One json-rules-engine rule per table
// rule; its conditions check every non-`-` cell.
//
// Cells map onto operators as follows (T is the column's type, facts of a typed column are of that type or null):
//   literal / `= k`      → equal k            (dates: dateEqual)           `!= k` → notEqual k (dates: dateNotEqual)
//   `< k` `<= k` …       → lessThan … (number literals), numberLessThan … (another input), string…/date… otherwise
//   `[a..b]` `(a..b)` …  → all of the two endpoint comparisons
//   `"A","B"`            → in ["A","B"] (literals) or any of the tests
//   `not(...)`           → notIn [...] (literals) or all of the tests' negations
//   `null`               → equal null
//   another input's name → a `{fact: name}` value reference (same type), with the FEEL rule that a boolean input
//                          named in a non-boolean column decides by itself
// FEEL is three-valued and a cell holds only on true, so every test is exported with both its "holds" and its "fails"
// form: `not(< 5)` becomes `greaterThanInclusive 5`, which (like FEEL) is not met by a null input.
//
// Anything else — a cell comparing values of different kinds, functions, `?`, time/date-time/duration columns, input
// expressions, FEEL in outputs beyond arithmetic — is carried as FEEL text for the `feelUnaryTest` operator and the
// `{feel}` output, and listed in `requiresFeel`: such an export needs the Beslis FEEL evaluator (feel-fallback.ts).
import type { RuleProperties, TopLevelCondition } from 'json-rules-engine';
import type { Expr, Test, UnaryTests } from '../ast.ts';
import { compileTable } from '../compile.ts';
import { parseExpression, parseUnaryTests } from '../parser.ts';
import type { DecisionTable, InputColumn } from '../types.ts';
import { Dec } from '../values.ts';
import {
  CASE_FACT,
  EXPORT_FORMAT,
  RULE_EVENT,
  type CustomOperatorInfo,
  type ExportedInput,
  type ExportedOutput,
  type FeelRequirement,
  type JsonRulesEngineExport,
  type JsonValue,
  type OutputExpr,
  type RuleEventParams,
} from './format.ts';
import { canonicalDate, customOperators, describeOperator } from './operators.ts';

export const FEEL_TEST_OPERATOR = 'feelUnaryTest';

type NativeType = 'string' | 'number' | 'boolean' | 'date';
type Ordering = '<' | '<=' | '>' | '>=';

type Cond = { fact: string; operator: string; value: unknown } | { all: Cond[] } | { any: Cond[] };
interface TestConds {
  /** Met exactly when the FEEL test is true. */
  holds: Cond;
  /** Met exactly when the FEEL test is false (not when it is null). */
  fails: Cond;
}

type Operand =
  | { kind: 'lit'; type: NativeType | 'null'; value: JsonValue }
  | { kind: 'ref'; type: NativeType; name: string };

const BUILTIN_ORDERING: Record<Ordering, string> = {
  '<': 'lessThan',
  '<=': 'lessThanInclusive',
  '>': 'greaterThan',
  '>=': 'greaterThanInclusive',
};
const CUSTOM_ORDERING: Record<Ordering, string> = {
  '<': 'LessThan',
  '<=': 'LessThanInclusive',
  '>': 'GreaterThan',
  '>=': 'GreaterThanInclusive',
};
const NEGATED: Record<Ordering, Ordering> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

const NOT_NATIVE = 'FEEL beyond literals, comparisons, intervals, lists, not(), null and input names of the same type';

function nativeType(col: InputColumn): NativeType | null {
  if (col.expression !== undefined) return null;
  return col.type === 'string' || col.type === 'number' || col.type === 'boolean' || col.type === 'date' ? col.type : null;
}

class Exporter {
  private readonly columns: Map<string, InputColumn>;
  private readonly inputNames: string[];
  readonly usedOperators = new Set<string>();
  readonly requiresFeel: FeelRequirement[] = [];

  constructor(private readonly table: DecisionTable) {
    this.columns = new Map(table.inputs.map((c) => [c.name, c]));
    this.inputNames = table.inputs.map((c) => c.name);
  }

  private op(fact: string, operator: string, value: unknown): Cond {
    if (Object.hasOwn(customOperators, operator)) this.usedOperators.add(operator);
    return { fact, operator, value };
  }

  private operand(e: Expr): Operand | null {
    if (e.t === 'lit') {
      const v = e.value;
      if (v === null) return { kind: 'lit', type: 'null', value: null };
      if (typeof v === 'string') return { kind: 'lit', type: 'string', value: v };
      if (typeof v === 'boolean') return { kind: 'lit', type: 'boolean', value: v };
      if (typeof v === 'number') return { kind: 'lit', type: 'number', value: v };
      return null; // a Decimal literal: a double would not hold it exactly
    }
    if (e.t === 'call' && e.fn === 'date' && e.named === null && e.args.length === 1) {
      const arg = e.args[0]!;
      const iso = arg.t === 'lit' && typeof arg.value === 'string' ? canonicalDate(arg.value) : null;
      return iso === null ? null : { kind: 'lit', type: 'date', value: iso };
    }
    if (e.t === 'name') {
      const col = this.columns.get(e.name);
      const type = col ? nativeType(col) : null;
      return col && type ? { kind: 'ref', type, name: col.name } : null;
    }
    return null;
  }

  private value(o: Operand): unknown {
    return o.kind === 'lit' ? o.value : { fact: o.name };
  }

  /** FEEL `=` (or `!=` when negated) between the fact and an operand; null when the kinds differ. */
  private equality(fact: string, type: NativeType, o: Operand, negated: boolean): Cond | null {
    if (o.type === 'null') return this.op(fact, negated ? 'notEqual' : 'equal', null);
    if (o.type !== type) return null;
    if (type === 'date') return this.op(fact, negated ? 'dateNotEqual' : 'dateEqual', this.value(o));
    return this.op(fact, negated ? 'notEqual' : 'equal', this.value(o));
  }

  /** A FEEL ordering between the fact and an operand of the same type; null when FEEL never orders them. */
  private ordering(fact: string, type: NativeType, op: Ordering, o: Operand): Cond | null {
    if (o.type !== type || type === 'boolean') return null;
    if (type === 'number' && o.kind === 'lit') return this.op(fact, BUILTIN_ORDERING[op], o.value);
    return this.op(fact, `${type}${CUSTOM_ORDERING[op]}`, this.value(o));
  }

  private eqConds(fact: string, type: NativeType, o: Operand | null): TestConds | null {
    if (!o) return null;
    const holds = this.equality(fact, type, o, false);
    const fails = this.equality(fact, type, o, true);
    return holds && fails ? { holds, fails } : null;
  }

  private test(t: Test, fact: string, type: NativeType): TestConds | null {
    switch (t.t) {
      case 'compare': {
        const o = this.operand(t.e);
        if (!o) return null;
        if (t.op === '=' || t.op === '!=') {
          const c = this.eqConds(fact, type, o);
          return c && (t.op === '=' ? c : { holds: c.fails, fails: c.holds });
        }
        const holds = this.ordering(fact, type, t.op, o);
        const fails = this.ordering(fact, type, NEGATED[t.op], o);
        return holds && fails ? { holds, fails } : null;
      }
      case 'range': {
        const lo = this.operand(t.low);
        const hi = this.operand(t.high);
        if (!lo || !hi) return null;
        const lowOp: Ordering = t.lowClosed ? '>=' : '>';
        const highOp: Ordering = t.highClosed ? '<=' : '<';
        const lowOk = this.ordering(fact, type, lowOp, lo);
        const lowFails = this.ordering(fact, type, NEGATED[lowOp], lo);
        const highOk = this.ordering(fact, type, highOp, hi);
        const highFails = this.ordering(fact, type, NEGATED[highOp], hi);
        if (!lowOk || !lowFails || !highOk || !highFails) return null;
        // FEEL checks the low end first: a null low end makes the test null even when the value is above the high end.
        const fails: Cond = lo.kind === 'lit' ? { any: [lowFails, highFails] } : { any: [lowFails, { all: [lowOk, highFails] }] };
        return { holds: { all: [lowOk, highOk] }, fails };
      }
      case 'expr': {
        const e = t.e;
        if (e.t !== 'name') return this.eqConds(fact, type, this.operand(e));
        const ref = this.operand(e);
        if (!ref || ref.kind !== 'ref') return null;
        if (ref.type !== 'boolean') return ref.type === type ? this.eqConds(fact, type, ref) : null;
        // A boolean input named in a cell decides by itself unless the tested value is a boolean too (Beslis, feel.ts).
        const refIs = (v: boolean | null) => this.op(ref.name, 'equal', v);
        if (type !== 'boolean') {
          return {
            holds: { any: [refIs(true), { all: [refIs(null), this.op(fact, 'equal', null)] }] },
            fails: { any: [refIs(false), { all: [refIs(null), this.op(fact, 'notEqual', null)] }] },
          };
        }
        return {
          holds: { any: [this.op(fact, 'equal', { fact: ref.name }), { all: [this.op(fact, 'equal', null), refIs(true)] }] },
          fails: {
            any: [
              { all: [this.op(fact, 'notEqual', null), this.op(fact, 'notEqual', { fact: ref.name })] },
              { all: [this.op(fact, 'equal', null), refIs(false)] },
            ],
          },
        };
      }
    }
  }

  /** The literal a test compares for equality (`"A"`, `= 5`, `null`), when it is one of a type `in` can use. */
  private plainLiteral(t: Test, type: NativeType): { value: JsonValue } | null {
    if (type === 'date') return null;
    const e = t.t === 'expr' ? t.e : t.t === 'compare' && t.op === '=' ? t.e : null;
    if (!e || e.t !== 'lit') return null;
    const o = this.operand(e);
    return o && o.kind === 'lit' && (o.type === type || o.type === 'null') ? { value: o.value } : null;
  }

  /** The condition for one when-cell; null when it needs the Beslis FEEL evaluator. */
  cell(ut: UnaryTests, col: InputColumn): Cond | null {
    if (ut.t === 'any') throw new Error('a `-` cell has no condition');
    const type = nativeType(col);
    if (!type) return null;
    const literals = ut.tests.map((t) => this.plainLiteral(t, type));
    if (ut.tests.length > 1 && literals.every((l) => l !== null)) {
      return this.op(col.name, ut.t === 'not' ? 'notIn' : 'in', literals.map((l) => l!.value));
    }
    const conds = ut.tests.map((t) => this.test(t, col.name, type));
    if (conds.some((c) => c === null)) return null;
    const list = conds as TestConds[];
    if (ut.t === 'not') return list.length === 1 ? list[0]!.fails : { all: list.map((c) => c.fails) };
    return list.length === 1 ? list[0]!.holds : { any: list.map((c) => c.holds) };
  }

  /** An output expression without FEEL, with its static type; null when it needs the Beslis FEEL evaluator. */
  private output(e: Expr, inCalc: boolean): { expr: OutputExpr; type: NativeType | 'null' | 'other' } | null {
    switch (e.t) {
      case 'lit': {
        const v = e.value;
        if (v === null || typeof v === 'string' || typeof v === 'boolean') return { expr: v, type: v === null ? 'null' : (typeof v as NativeType) };
        if (typeof v === 'number') return { expr: Object.is(v, -0) ? 0 : v, type: 'number' };
        if (v instanceof Dec) return { expr: inCalc ? { decimal: v.toString() } : v.toNumber(), type: 'number' };
        return null;
      }
      case 'call': {
        const o = this.operand(e);
        return o && o.kind === 'lit' && o.type === 'date' && !inCalc ? { expr: o.value as string, type: 'date' } : null;
      }
      case 'name': {
        const col = this.columns.get(e.name);
        if (!col || col.expression !== undefined) return null;
        const type = nativeType(col);
        if (type) return { expr: { fact: col.name }, type };
        return col.type === 'any' && !inCalc ? { expr: { fact: col.name }, type: 'other' } : null;
      }
      case 'neg': {
        const a = this.output(e.e, true);
        return a && (a.type === 'number' || a.type === 'null') ? { expr: { calc: 'neg', args: [a.expr] }, type: 'number' } : null;
      }
      case 'arith': {
        const l = this.output(e.l, true);
        const r = this.output(e.r, true);
        if (!l || !r) return null;
        const numeric = (x: { type: string }) => x.type === 'number' || x.type === 'null';
        if (numeric(l) && numeric(r)) return { expr: { calc: e.op, args: [l.expr, r.expr] }, type: 'number' };
        if (e.op === '+' && l.type === 'string' && r.type === 'string') return { expr: { calc: '+', args: [l.expr, r.expr] }, type: 'string' };
        return null;
      }
      default:
        return null;
    }
  }

  outputExpr(text: string, path: string): OutputExpr {
    const native = this.output(parseExpression(text, this.inputNames), false);
    if (native) return native.expr;
    this.requiresFeel.push({ path, text, reason: 'FEEL beyond literals, input names and arithmetic on numbers' });
    return { feel: text };
  }

  rule(r: number): RuleProperties {
    const rule = this.table.rules[r]!;
    const all: Cond[] = [];
    this.table.inputs.forEach((col, c) => {
      if (!Object.hasOwn(rule.when, col.name)) return;
      const text = rule.when[col.name]!;
      const ut = parseUnaryTests(text, this.inputNames);
      if (ut.t === 'any') return;
      const cond = this.cell(ut, col);
      if (cond) {
        all.push(cond);
        return;
      }
      const type = nativeType(col);
      const reason = type ? NOT_NATIVE : col.expression !== undefined ? `input '${col.name}' is a FEEL expression` : `input '${col.name}' is of type ${col.type}`;
      this.requiresFeel.push({ path: `/rules/${r}/when/${col.name}`, text, reason });
      all.push({ fact: CASE_FACT, operator: FEEL_TEST_OPERATOR, value: { input: c, test: text } });
    });
    const outputs: Record<string, OutputExpr> = {};
    for (const out of this.table.outputs) outputs[out.name] = this.outputExpr(rule.then[out.name]!, `/rules/${r}/then/${out.name}`);
    const params: RuleEventParams = { ruleId: rule.id, index: r, outputs };
    return { name: rule.id, priority: 1, conditions: { all } as TopLevelCondition, event: { type: RULE_EVENT, params: { ...params } } };
  }
}

/**
 * Exports a table as a json-rules-engine rule set. Throws the engine's TableError (every problem) when the table does
 * not compile. Run the result with runJsonRulesEngine (runner.ts), or register `customOperators` and the rules in your
 * own Engine and apply the hit policy yourself (see README in this folder).
 */
export function toJsonRulesEngine(table: DecisionTable): JsonRulesEngineExport {
  compileTable(table);
  const ex = new Exporter(table);
  const inputs: ExportedInput[] = table.inputs.map((c, i) => {
    const out: ExportedInput = { name: c.name, type: c.type };
    if (c.path !== undefined) out.path = c.path;
    if (c.optional) out.optional = true;
    if (c.values && c.values.length > 0) out.values = c.values;
    if (c.expression !== undefined) {
      out.expression = c.expression;
      ex.requiresFeel.push({ path: `/inputs/${i}`, text: c.expression, reason: 'an input computed by a FEEL expression' });
    } else if (!nativeType(c) && c.type !== 'any') {
      ex.requiresFeel.push({ path: `/inputs/${i}`, text: c.name, reason: `reading a ${c.type} needs the FEEL value types` });
    }
    return out;
  });
  const rules = table.rules.map((_, r) => ex.rule(r));
  const outputs: ExportedOutput[] = table.outputs.map((o, i) => {
    const out: ExportedOutput = { name: o.name, type: o.type };
    if (o.values && o.values.length > 0) out.values = o.values;
    if (o.default !== undefined) out.default = ex.outputExpr(o.default, `/outputs/${i}/default`);
    return out;
  });
  const operators: CustomOperatorInfo[] = [...ex.usedOperators].sort().map((name) => ({ name, description: describeOperator(name), module: 'operators' }));
  if (rules.some((r) => JSON.stringify(r.conditions).includes(`"${FEEL_TEST_OPERATOR}"`))) {
    operators.push({
      name: FEEL_TEST_OPERATOR,
      description: `evaluates the FEEL unary test in value.test for input number value.input against the '${CASE_FACT}' fact, with the Beslis FEEL evaluator`,
      module: 'feel',
    });
  }
  const tableInfo: JsonRulesEngineExport['table'] = { id: table.id, title: table.title, hitPolicy: table.hitPolicy ?? 'UNIQUE' };
  if (table.version !== undefined) tableInfo.version = table.version;
  if (table.aggregation !== undefined) tableInfo.aggregation = table.aggregation;
  return {
    format: EXPORT_FORMAT,
    table: tableInfo,
    inputs,
    outputs,
    rules,
    operators,
    engineOptions: { allowUndefinedFacts: true },
    requiresFeel: ex.requiresFeel,
  };
}
