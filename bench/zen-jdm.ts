// Converts a Beslis decision table into a GoRules JDM graph (input node → decision table node → output node) for
// @gorules/zen-engine. Enough of the cell language for the benchmark and more: literals, comparisons, intervals,
// comma lists, not(...), null, dates and other inputs' names. What ZEN cannot express the same way is refused with an
// error rather than converted approximately.
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

  /** One positive test: ZEN's own unary form when there is one (`"A"`, `< 5`, `[1..5)`), and the `$` form. */
  private test(t: Test, text: string, dateColumn: boolean): { unary: string | null; dollar: string } {
    const subject = dateColumn ? 'date($)' : '$';
    switch (t.t) {
      case 'expr': {
        const v = this.value(t.e, text);
        const plain = zenLiteral(t.e);
        return { unary: plain !== null && plain !== 'null' && !dateColumn ? plain : null, dollar: `${subject} == ${v.zen}` };
      }
      case 'compare': {
        const v = this.value(t.e, text);
        const op = t.op === '=' ? '==' : t.op;
        const plain = zenLiteral(t.e) !== null && zenLiteral(t.e) !== 'null' && !dateColumn;
        return { unary: plain && t.op !== '=' && t.op !== '!=' ? `${t.op} ${v.zen}` : null, dollar: `${subject} ${op} ${v.zen}` };
      }
      case 'range': {
        const lo = this.value(t.low, text);
        const hi = this.value(t.high, text);
        const dollar = `${subject} ${t.lowClosed ? '>=' : '>'} ${lo.zen} and ${subject} ${t.highClosed ? '<=' : '<'} ${hi.zen}`;
        const plain = zenLiteral(t.low) !== null && zenLiteral(t.high) !== null && !dateColumn;
        return { unary: plain ? `${t.lowClosed ? '[' : '('}${lo.zen}..${hi.zen}${t.highClosed ? ']' : ')'}` : null, dollar };
      }
    }
  }

  cell(text: string, col: InputColumn): string {
    const ut = parseUnaryTests(text, this.names);
    if (ut.t === 'any') return '';
    const tests = ut.tests.map((t) => this.test(t, text, col.type === 'date'));
    if (ut.t === 'tests' && tests.every((t) => t.unary !== null)) return tests.map((t) => t.unary).join(', ');
    const any = tests.map((t) => `(${t.dollar})`).join(' or ');
    return ut.t === 'not' ? `not(${any})` : any;
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
