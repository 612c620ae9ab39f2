// One when-cell as a set of atoms of its column's domain. A cell is exact when every test in it compares the input
// with constants; its set is then computed by running the engine's own compiled test on one value per atom, so the
// analysis follows the engine's semantics (null, not(...), values of another kind) by construction.
// A cell that is not exact (it names another input, uses `?`, calls a function, compares text alphabetically, or does
// not parse) gets two sets: `under`, the values for which it certainly holds, and `over`, those for which it may.
import type { Expr, Test, UnaryTests } from '../ast.ts';
import { literalKeys } from '../column-index.ts';
import { compileExpr, compileUnaryTests, type CompileEnv, type Scope } from '../feel.ts';
import { FeelRange, type FeelValue } from '../values.ts';
import { complement, EMPTY, intersect, SetBuilder, union, type AtomSet } from './atom-set.ts';
import type { Domain } from './domain.ts';
import { endpointKey, type DomainPlan } from './plan.ts';

const NO_SCOPE: Scope = { inputs: [], vars: null, q: null };
const ORDERING = new Set(['<', '<=', '>', '>=']);
/** Calls that only spell a literal: `date("2024-01-01")`, `time("12:00:00")`, `duration("P14D")`. */
const LITERAL_CALLS = new Set(['date', 'time', 'date and time', 'duration']);

export type Constant = { value: FeelValue } | { reason: string };

/** The value of an expression built from literals only, or why the analysis does not evaluate it. */
export function constantOf(e: Expr, inputNames: ReadonlySet<string>): Constant {
  const why = nonConstantReason(e, inputNames);
  if (why) return { reason: why };
  try {
    return { value: compileExpr(e)(NO_SCOPE) };
  } catch {
    return { reason: 'uses an expression that fails when evaluated' };
  }
}

function nonConstantReason(e: Expr, inputNames: ReadonlySet<string>): string | null {
  switch (e.t) {
    case 'lit':
      return null;
    case 'name':
      return inputNames.has(e.name) ? `compares with the input '${e.name}'` : `uses the name '${e.name}'`;
    case 'input':
      return "uses '?' (the value under test) in an expression";
    case 'neg':
      return nonConstantReason(e.e, inputNames);
    case 'arith':
      return nonConstantReason(e.l, inputNames) ?? nonConstantReason(e.r, inputNames);
    case 'list':
      for (const item of e.items) {
        const why = nonConstantReason(item, inputNames);
        if (why) return why;
      }
      return null;
    case 'range':
      return (e.low && nonConstantReason(e.low, inputNames)) || (e.high && nonConstantReason(e.high, inputNames)) || null;
    case 'call':
      if (LITERAL_CALLS.has(e.fn) && e.named === null && e.args.every((a) => a.t === 'lit' && (typeof a.value === 'string' || typeof a.value === 'number'))) {
        return null;
      }
      return `calls the function ${e.fn}()`;
    default:
      return 'uses an expression the analysis does not evaluate';
  }
}

function testExprs(t: Test): Expr[] {
  return t.t === 'range' ? [t.low, t.high] : [t.e];
}

/** The constants of a test, or why it has none the analysis can use. */
export function testConstants(t: Test, inputNames: ReadonlySet<string>): FeelValue[] | { reason: string } {
  const out: FeelValue[] = [];
  for (const e of testExprs(t)) {
    const c = constantOf(e, inputNames);
    if ('reason' in c) return c;
    out.push(c.value);
  }
  return out;
}

/** Every scalar inside constants: list items and range endpoints. */
export function leavesOf(values: readonly FeelValue[]): FeelValue[] {
  const out: FeelValue[] = [];
  const visit = (v: FeelValue): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v instanceof FeelRange) {
      if (v.low !== undefined) visit(v.low);
      if (v.high !== undefined) visit(v.high);
    } else out.push(v);
  };
  values.forEach(visit);
  return out;
}

/** The scalars a test compares for equality (not range endpoints): what a value-outside check looks at. */
export function equalityValues(t: Test, values: readonly FeelValue[]): FeelValue[] {
  if (t.t === 'range' || (t.t === 'compare' && ORDERING.has(t.op))) return [];
  const out: FeelValue[] = [];
  const visit = (v: FeelValue): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (!(v instanceof FeelRange)) out.push(v);
  };
  values.forEach(visit);
  return out;
}

/** How a test with constant values fits a domain: exact with its endpoints (line keys or text literals), or not. */
export function classifyTest(t: Test, values: readonly FeelValue[], plan: DomainPlan): { endpoints: (number | string)[] } | { reason: string } {
  switch (plan.kind) {
    case 'finite':
      return { endpoints: [] };
    case 'opaque':
      return { reason: 'tests an input of type any whose cells mix kinds of values' };
    case 'strings': {
      const ordering = t.t === 'range' || (t.t === 'compare' && ORDERING.has(t.op));
      const rangeOfText = values.some((v) => containsTextRange(v));
      if ((ordering && leavesOf(values).some((v) => typeof v === 'string')) || rangeOfText) {
        return { reason: 'compares text alphabetically' };
      }
      return { endpoints: leavesOf(values).filter((v): v is string => typeof v === 'string') };
    }
    case 'line': {
      const endpoints: number[] = [];
      for (const v of leavesOf(values)) {
        const k = endpointKey(plan.line!, v);
        if ('inexact' in k) return { reason: k.inexact };
        if ('key' in k) endpoints.push(k.key);
      }
      return { endpoints };
    }
  }
}

function containsTextRange(v: FeelValue): boolean {
  if (Array.isArray(v)) return v.some(containsTextRange);
  return v instanceof FeelRange && (typeof v.low === 'string' || typeof v.high === 'string');
}

export interface CellSets {
  under: AtomSet;
  over: AtomSet;
}

const ANALYSIS_ENV: CompileEnv = { inputs: new Map(), strict: false };

/**
 * The atoms where a cell built from exact tests holds. On a line, a test only compares with its own endpoints, so its
 * outcome is the same on every atom strictly between two of them: one evaluation per stretch is enough.
 */
export function exactSet(domain: Domain, ut: UnaryTests, endpoints: readonly (number | string)[]): AtomSet {
  if (ut.t === 'any') return domain.full;
  if (ut.t === 'tests' && domain.plan.kind !== 'line') {
    const keys = literalKeys(ut);
    if (keys) {
      const atoms = [...new Set(keys.map((k) => domain.atomOfKey(k)).filter((a) => a >= 0))].sort((a, b) => a - b);
      const out = new SetBuilder();
      for (const a of atoms) out.add(a);
      return out.build();
    }
  }
  const fn = compileUnaryTests(ut, ANALYSIS_ENV)!;
  const holds = (atom: number) => fn(domain.rep(atom), NO_SCOPE) === true;
  const out = new SetBuilder();
  if (domain.plan.kind !== 'line') {
    for (let a = 0; a < domain.atoms.length; a++) if (holds(a)) out.add(a);
    return out.build();
  }
  const own = [...new Set(endpoints.map((k) => domain.atomOfPoint(k as number)).filter((a) => a >= 0))].sort((a, b) => a - b);
  const last = domain.mainEnd - 1;
  let start = 0;
  for (const p of [...own, last + 1]) {
    if (start <= p - 1 && holds(start)) out.add(start, p - 1);
    if (p <= last && holds(p)) out.add(p);
    start = p + 1;
  }
  for (let a = domain.mainEnd; a < domain.atoms.length; a++) if (holds(a)) out.add(a);
  return out.build();
}

/** Whether a test can never hold for an empty (null) input: ordering comparisons and intervals yield null there. */
function failsOnNull(t: Test): boolean {
  return t.t === 'range' || (t.t === 'compare' && ORDERING.has(t.op));
}

/**
 * Under and over sets of a cell whose tests are partly exact. `exactTests` are the tests the analysis can evaluate;
 * the others may hold anywhere, except that ordering tests never hold for an empty input. For `not(...)`, an exact
 * test that holds makes the cell fail, and an ordering test makes it fail on an empty input (null stays null).
 */
export function partialSets(domain: Domain, ut: UnaryTests | null, exactTests: Test[], endpoints: readonly (number | string)[]): CellSets {
  if (ut === null || ut.t === 'any') return { under: EMPTY, over: domain.full };
  const inexact = ut.tests.filter((t) => !exactTests.includes(t));
  const holds = exactTests.length > 0 ? exactSet(domain, { t: 'tests', tests: exactTests }, endpoints) : EMPTY;
  const size = domain.atoms.length;
  const nullSet: AtomSet = domain.nullAtom >= 0 ? [domain.nullAtom, domain.nullAtom] : EMPTY;
  if (ut.t === 'tests') {
    const over = inexact.every(failsOnNull) ? union(holds, complement(nullSet, size)) : domain.full;
    return { under: holds, over };
  }
  const notHolding = complement(holds, size);
  return { under: EMPTY, over: inexact.some(failsOnNull) ? intersect(notHolding, complement(nullSet, size)) : notHolding };
}
