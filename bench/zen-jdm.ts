// Converts a Beslis decision table into a GoRules JDM graph (input node → decision table node → output node) for
// @gorules/zen-engine. Enough of the cell language for the benchmark and more: literals, comparisons, intervals,
// comma lists, not(...), null, dates and other inputs' names. What ZEN cannot express is refused with an error rather
// than converted approximately. ZEN has no three-valued logic: for null inputs its answers can differ from FEEL's (the
// benchmark's cases have no nulls, and the benchmark checks every answer before timing).
//
// ZEN's decision table knows two hit policies, `first` and `collect`. FIRST maps to `first`, COLLECT and RULE ORDER to
// `collect`; UNIQUE and ANY map to `first`, which gives the same answer only for tables without overlaps (ZEN does not
// check): the interventiematrix is such a table.
import type { Expr, Test } from '../server/engine/ast.ts';
import { parseExpression, parseUnaryTests } from '../server/engine/parser.ts';
import type { DecisionTable, HitPolicy, InputColumn } from '../server/engine/types.ts';

export interface JdmNode {
  id: string;
  type: string;
  name: string;
  position: { x: number; y: number };
  content: Record<string, unknown>;
}
export interface JdmGraph {
  nodes: JdmNode[];
  edges: { id: string; sourceId: string; targetId: string; type: 'edge' }[];
}

const POLICY: Partial<Record<HitPolicy, 'first' | 'collect'>> = {
  FIRST: 'first',
  UNIQUE: 'first',
  ANY: 'first',
  COLLECT: 'collect',
  'RULE ORDER': 'collect',
};

const NEGATED: Record<string, string> = { '=': '!=', '!=': '==', '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

function unsupported(what: string, text: string): Error {
  return new Error(`ZEN conversion: ${what} in ${JSON.stringify(text)}`);
}

/** A literal in ZEN syntax, or null when the expression is not one. */
function zenLiteral(e: Expr): string | null {
  if (e.t !== 'lit') return null;
  const v = e.value;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  return null;
}

class Converter {
  constructor(private readonly names: readonly string[]) {}

  /** A value: literal, date("…") (compared as ZEN timestamps), or another input by name. */
  private value(e: Expr, text: string): { zen: string; date: boolean } {
    const lit = zenLiteral(e);
    if (lit !== null) return { zen: lit, date: false };
    if (e.t === 'call' && e.fn === 'date' && e.args.length === 1 && e.args[0]!.t === 'lit' && typeof e.args[0]!.value === 'string') {
      return { zen: `date(${JSON.stringify(e.args[0]!.value)})`, date: true };
    }
    if (e.t === 'name' && this.names.includes(e.name) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(e.name)) return { zen: e.name, date: false };
    throw unsupported('a value ZEN cannot express', text);
  }

  /**
   * One positive test as ZEN's own unary form when there is one (`"A"`, `< 5`, `[1..5)`), and as `$` expressions that
   * hold when the test holds (`pos`) and when it fails (`neg`). The `$` forms use no parentheses: ZEN's unary parser
   * refuses `(a or b)` groups, so lists join `pos` with `or` and not(...) joins `neg` with `and`.
   */
  private test(t: Test, text: string, col: InputColumn): { unary: string | null; pos: string; neg: string } {
    const dateColumn = col.type === 'date';
    const subject = dateColumn ? 'date($)' : '$';
    const plain = (e: Expr) => !dateColumn && zenLiteral(e) !== null && zenLiteral(e) !== 'null';
    switch (t.t) {
      case 'expr': {
        const v = this.value(t.e, text);
        return { unary: plain(t.e) ? v.zen : null, pos: `${subject} == ${v.zen}`, neg: `${subject} != ${v.zen}` };
      }
      case 'compare': {
        const v = this.value(t.e, text);
        const op = t.op === '=' ? '==' : t.op;
        const neg = NEGATED[t.op];
        return { unary: plain(t.e) && t.op !== '=' && t.op !== '!=' ? `${t.op} ${v.zen}` : null, pos: `${subject} ${op} ${v.zen}`, neg: `${subject} ${neg} ${v.zen}` };
      }
      case 'range': {
        if (col.type === 'string') throw unsupported('an interval of strings (ZEN has number and date intervals only)', text);
        const lo = this.value(t.low, text);
        const hi = this.value(t.high, text);
        const interval = `${t.lowClosed ? '[' : '('}${lo.zen}..${hi.zen}${t.highClosed ? ']' : ')'}`;
        return { unary: plain(t.low) && plain(t.high) ? interval : null, pos: `${subject} in ${interval}`, neg: `${subject} not in ${interval}` };
      }
    }
  }

  cell(text: string, col: InputColumn): string {
    const ut = parseUnaryTests(text, this.names);
    if (ut.t === 'any') return '';
    const tests = ut.tests.map((t) => this.test(t, text, col));
    if (ut.t === 'tests' && tests.every((t) => t.unary !== null)) return tests.map((t) => t.unary).join(', ');
    return ut.t === 'not' ? tests.map((t) => t.neg).join(' and ') : tests.map((t) => t.pos).join(' or ');
  }

  output(text: string): string {
    const e = parseExpression(text, this.names);
    const lit = zenLiteral(e);
    if (lit !== null) return lit;
    const ok = (x: Expr): boolean =>
      (x.t === 'lit' && typeof x.value === 'number') ||
      (x.t === 'name' && this.names.includes(x.name)) ||
      (x.t === 'arith' && x.op !== '**' && ok(x.l) && ok(x.r)) ||
      (x.t === 'neg' && ok(x.e));
    if (ok(e)) return text; // names and + - * / read the same in ZEN
    throw unsupported('an output ZEN cannot express', text);
  }
}

export function toZenJdm(table: DecisionTable): JdmGraph {
  const policy = POLICY[table.hitPolicy ?? 'UNIQUE'];
  if (!policy || table.aggregation) throw new Error(`ZEN conversion: hit policy ${table.hitPolicy}${table.aggregation ? ` ${table.aggregation}` : ''} has no ZEN equivalent`);
  const c = new Converter(table.inputs.map((i) => i.name));
  const inputs = table.inputs.map((col, i) => {
    if (col.expression !== undefined) throw new Error('ZEN conversion: input expressions are not converted');
    return { id: `in${i}`, name: col.name, field: col.path ?? col.name };
  });
  const outputs = table.outputs.map((o, i) => ({ id: `out${i}`, name: o.name, field: o.name }));
  const rules = table.rules.map((rule) => {
    const row: Record<string, string> = { _id: rule.id };
    table.inputs.forEach((col, i) => (row[`in${i}`] = c.cell(rule.when[col.name] ?? '-', col)));
    table.outputs.forEach((o, i) => (row[`out${i}`] = c.output(rule.then[o.name]!)));
    return row;
  });
  return {
    nodes: [
      { id: 'request', type: 'inputNode', name: 'Request', position: { x: 0, y: 0 }, content: {} },
      {
        id: 'table',
        type: 'decisionTableNode',
        name: table.id,
        position: { x: 300, y: 0 },
        content: { hitPolicy: policy, inputs, outputs, rules, passThrough: false, inputField: null, outputPath: null, executionMode: 'single' },
      },
      { id: 'response', type: 'outputNode', name: 'Response', position: { x: 600, y: 0 }, content: {} },
    ],
    edges: [
      { id: 'e1', sourceId: 'request', targetId: 'table', type: 'edge' },
      { id: 'e2', sourceId: 'table', targetId: 'response', type: 'edge' },
    ],
  };
}
