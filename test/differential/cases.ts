// Cases for a table nobody wrote cases for: every input takes the values its cells and `values` mention, the values
// next to them (5 → 4, 5, 6; a date → the day before and after), null, a missing value, and a value of the wrong
// type. Small tables get every combination, large ones a fixed pseudo-random sample, so runs are repeatable.
import type { Expr, Test } from '../../server/engine/ast.ts';
import { parseUnaryTests } from '../../server/engine/parser.ts';
import type { DecisionTable, InputColumn } from '../../server/engine/types.ts';
import { canonicalDate, dayNumber } from '../../server/engine/jre/operators.ts';
import { prng } from '../prng.ts';

const ABSENT = Symbol('absent');
type Candidate = unknown;


function isoOfDay(day: number): string {
  return canonicalDate(new Date(day * 86_400_000).toISOString().slice(0, 10))!;
}

/** Literal values a cell mentions: strings, numbers, booleans, and dates written as date("…"). */
function literals(e: unknown, out: unknown[]): void {
  if (e === null || typeof e !== 'object') return;
  const x = e as Expr;
  if (x.t === 'lit' && (typeof x.value === 'string' || typeof x.value === 'number' || typeof x.value === 'boolean')) out.push(x.value);
  if (x.t === 'call' && x.fn === 'date' && x.args.length === 1 && x.args[0]!.t === 'lit' && typeof x.args[0]!.value === 'string') {
    out.push({ date: x.args[0]!.value });
    return;
  }
  for (const v of Object.values(e)) {
    if (Array.isArray(v)) v.forEach((i) => literals(i, out));
    else literals(v, out);
  }
}

function cellValues(table: DecisionTable, col: InputColumn): unknown[] {
  const names = table.inputs.map((c) => c.name);
  const out: unknown[] = [];
  for (const rule of table.rules) {
    const text = rule.when[col.name];
    if (text === undefined) continue;
    const ut = parseUnaryTests(text, names);
    if (ut.t !== 'any') ut.tests.forEach((t: Test) => literals(t, out));
  }
  return out;
}

/** The values to try for one input, valid ones first. */
export function candidates(table: DecisionTable, col: InputColumn): { valid: Candidate[]; invalid: Candidate[] } {
  const set = new Set<Candidate>();
  const add = (v: Candidate) => set.add(v);
  for (const v of col.values ?? []) add(v);
  const mentioned = cellValues(table, col);
  switch (col.type) {
    case 'number':
      for (const v of mentioned) if (typeof v === 'number') [v - 1, v, v + 1, v + 0.5].forEach(add);
      if (!col.values) [0, -1, 1e6].forEach(add);
      break;
    case 'string':
      for (const v of mentioned) if (typeof v === 'string') add(v);
      if (!col.values) add('iets anders');
      break;
    case 'boolean':
      [true, false].forEach(add);
      break;
    case 'date':
      for (const v of mentioned) {
        const day = typeof v === 'object' && v !== null && 'date' in v ? dayNumber((v as { date: string }).date) : null;
        if (day !== null) [day - 1, day, day + 1].forEach((d) => add(isoOfDay(d)));
      }
      if (!col.values) add('2024-06-15');
      break;
    default:
      mentioned.forEach(add);
  }
  // Values outside the allowed ones (when the column restricts them) only belong with the invalid cases.
  const valid = [...set].filter((v) => !col.values || col.values.some((a) => a === v));
  const invalid: Candidate[] = [...set].filter((v) => !valid.includes(v));
  if (col.optional) valid.push(null, ABSENT);
  else invalid.push(ABSENT, null);
  const wrongType: Record<string, Candidate> = { number: '1', string: 1, boolean: 'true', date: '2024-13-01' };
  if (col.type in wrongType) invalid.push(wrongType[col.type]);
  if (col.values && col.type === 'string') invalid.push('niet toegestaan');
  return { valid, invalid };
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  if (value === ABSENT) return;
  const keys = path.split('.');
  let cur = obj;
  for (const k of keys.slice(0, -1)) {
    if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[keys[keys.length - 1]!] = value;
}

function caseOf(cols: InputColumn[], values: Candidate[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  cols.forEach((c, i) => setPath(input, c.path ?? c.name, values[i]));
  return input;
}

/**
 * Cases for a table: every combination of valid values when there are at most `limit`, otherwise `limit` sampled
 * ones; then, for a sample of those, each input in turn set to each of its invalid values.
 */
export function casesFor(table: DecisionTable, limit = 1500, seed = 1): Record<string, unknown>[] {
  const cols = table.inputs.filter((c) => c.expression === undefined);
  const cands = cols.map((c) => candidates(table, c));
  const random = prng(seed);
  const total = cands.reduce((n, c) => n * c.valid.length, 1);
  const rows: Candidate[][] = [];
  if (total <= limit) {
    const walk = (i: number, acc: Candidate[]) => {
      if (i === cols.length) return void rows.push(acc);
      for (const v of cands[i]!.valid) walk(i + 1, [...acc, v]);
    };
    walk(0, []);
  } else {
    for (let n = 0; n < limit; n++) rows.push(cands.map((c) => c.valid[Math.floor(random() * c.valid.length)]));
  }
  const cases = rows.map((r) => caseOf(cols, r));
  for (let n = 0; n < Math.min(rows.length, 20); n++) {
    const base = rows[Math.floor(random() * rows.length)]!;
    cols.forEach((_, i) => {
      for (const bad of cands[i]!.invalid) cases.push(caseOf(cols, base.map((v, j) => (j === i ? bad : v))));
    });
  }
  return cases;
}
