// Turns parsed FEEL (ast.ts) into closures, once, so evaluation never re-reads text.
// Unary tests return true, false or null (FEEL's "not comparable"); only true makes a rule cell hold.
import { propertyOf } from './properties.ts';
import type { Comparator, Expr, Test, UnaryTests } from './ast.ts';
import { arithmetic, negate } from './arithmetic.ts';
import { builtinValue, isBuiltin, resolveCall } from './builtins.ts';
import { CellSyntaxError, LimitError } from './errors.ts';
import { argumentsAs, FUNCTION_TYPES, instanceOf, type FeelType } from './feel-types.ts';
import { javaFunction, javaMappingOf, JavaRefusal } from './java-emulation.ts';
import { MAX_ITERATION_STEPS, MAX_LIST_LENGTH } from './limits.ts';
import { compare, comparisonRange, dateFromDay, Dec, equals, FeelDate, FeelRange, inRange, isContext, isNumber, type FeelContext, type FeelFunction, type FeelValue } from './values.ts';

/** What a compiled expression reads: the table's input values by column, local variables, and `?`. */
export interface Scope {
  inputs: FeelValue[];
  vars: FeelContext | null;
  q: FeelValue;
}

export type ExprFn = (s: Scope) => FeelValue;
export type TestFn = (v: FeelValue, s: Scope) => boolean | null;

export interface CompileEnv {
  /** Input name → index into `Scope.inputs`. */
  inputs: ReadonlyMap<string, number>;
  /** Unknown names are errors (tables) or read from `Scope.vars` (free expressions). */
  strict: boolean;
  /** A call the registry refuses evaluates to null instead of failing the compile (index.ts, `invalidCalls`). */
  invalidCallsNull?: boolean;
}

const EMPTY_ENV: CompileEnv = { inputs: new Map(), strict: false };

/** Whether an expression reads nothing from the case, so it can be computed once at compile time. */
export function isConstant(e: Expr): boolean {
  switch (e.t) {
    case 'lit':
      return true;
    case 'name':
    case 'input':
    case 'quantified':
    case 'for':
    case 'filter':
    case 'function':
    case 'apply':
      return false;
    case 'instance':
    case 'comparisonRange':
      return isConstant(e.e);
    case 'neg':
      return isConstant(e.e);
    case 'arith':
    case 'compare':
    case 'and':
    case 'or':
      return isConstant(e.l) && isConstant(e.r);
    case 'between':
      return isConstant(e.e) && isConstant(e.low) && isConstant(e.high);
    case 'in':
      return false;
    case 'list':
      return e.items.every(isConstant);
    case 'context':
      return e.entries.every(([, v]) => isConstant(v));
    case 'range':
      return (e.low === null || isConstant(e.low)) && (e.high === null || isConstant(e.high));
    case 'path':
      return isConstant(e.e);
    case 'call':
      // A call of a function value (a context entry, a parameter) depends on the scope; built-ins on their arguments.
      return isBuiltin(e.fn) && e.args.every(isConstant) && (e.named ?? []).every(([, v]) => isConstant(v));
    case 'if':
      return isConstant(e.cond) && isConstant(e.then) && isConstant(e.else);
  }
}

const NO_SCOPE: Scope = { inputs: [], vars: null, q: null };

/** Compiles an expression; constant sub-expressions are evaluated here, once. */
const NO_LOCALS: ReadonlySet<string> = new Set();

export function compileExpr(e: Expr, env: CompileEnv = EMPTY_ENV, locals: ReadonlySet<string> = NO_LOCALS): ExprFn {
  const fn = compileNode(e, env, locals);
  if (e.t !== 'lit' && isConstant(e)) {
    const value = fn(NO_SCOPE);
    return () => value;
  }
  return fn;
}

function bool3(v: FeelValue): boolean | null {
  return typeof v === 'boolean' ? v : null;
}

function compileNode(e: Expr, env: CompileEnv, locals: ReadonlySet<string>): ExprFn {
  const sub = (x: Expr, extra?: Iterable<string>) => compileExpr(x, env, extra ? new Set([...locals, ...extra]) : locals);
  switch (e.t) {
    case 'lit': {
      const v = e.value;
      return () => v;
    }
    case 'input':
      return (s) => s.q;
    case 'name': {
      const name = e.name;
      if (!locals.has(name)) {
        const index = env.inputs.get(name);
        if (index !== undefined) return (s) => s.inputs[index] ?? null;
        if (env.strict) throw new CellSyntaxError('FEEL_UNKNOWN_NAME', { name }, e.column);
      }
      // A name no variable holds may be a built-in, named as a value (`bkm(abs, sqrt)`).
      const builtin = builtinValue(name);
      if (builtin) return (s) => (s.vars && Object.hasOwn(s.vars, name) ? s.vars[name]! : builtin);
      return (s) => (s.vars && Object.hasOwn(s.vars, name) ? s.vars[name]! : null);
    }
    case 'neg': {
      const a = sub(e.e);
      return (s) => negate(a(s));
    }
    case 'arith': {
      const [l, r, op] = [sub(e.l), sub(e.r), e.op];
      return (s) => arithmetic(op, l(s), r(s));
    }
    case 'compare': {
      const [l, r] = [sub(e.l), sub(e.r)];
      return compareFn(e.op, l, r);
    }
    case 'and': {
      const [l, r] = [sub(e.l), sub(e.r)];
      return (s) => {
        const a = bool3(l(s));
        if (a === false) return false;
        const b = bool3(r(s));
        if (b === false) return false;
        return a === true && b === true ? true : null;
      };
    }
    case 'or': {
      const [l, r] = [sub(e.l), sub(e.r)];
      return (s) => {
        const a = bool3(l(s));
        if (a === true) return true;
        const b = bool3(r(s));
        if (b === true) return true;
        return a === false && b === false ? false : null;
      };
    }
    case 'between': {
      const [v, lo, hi] = [sub(e.e), sub(e.low), sub(e.high)];
      return (s) => inRange(v(s), new FeelRange(true, lo(s), hi(s), true));
    }
    case 'in': {
      const v = sub(e.e);
      const test = compileTestList(e.tests, env, locals);
      return (s) => test(v(s), s);
    }
    case 'list': {
      const items = e.items.map((x) => sub(x));
      return (s) => items.map((f) => f(s));
    }
    case 'context': {
      // Later entries may read earlier ones by name, as in a FEEL context.
      const entries: [string, ExprFn][] = [];
      const seen: string[] = [];
      for (const [k, x] of e.entries) {
        // A function entry also sees itself, so it may recurse (its body runs after the entry is set).
        entries.push([k, sub(x, x.t === 'function' ? [...seen, k] : seen)]);
        seen.push(k);
      }
      // A context's keys are distinct (DMN 1.5 10.3.2.6): `{a: 1, a: 2}` is no context, so null.
      if (new Set(seen).size !== seen.length) return () => null;
      return (s) => {
        const out: FeelContext = {};
        const inner: Scope = { inputs: s.inputs, vars: { ...(s.vars ?? {}) }, q: s.q };
        for (const [k, f] of entries) {
          const value = f(inner);
          out[k] = value;
          inner.vars![k] = value;
        }
        return out;
      };
    }
    case 'range': {
      const lo = e.low ? sub(e.low) : null;
      const hi = e.high ? sub(e.high) : null;
      const [lc, hc] = [e.lowClosed, e.highClosed];
      if (e.iteration) return (s) => new FeelRange(lc, lo ? lo(s) : undefined, hi ? hi(s) : undefined, hc);
      return (s) => orderedRange(lc, lo ? lo(s) : undefined, hi ? hi(s) : undefined, hc);
    }
    case 'comparisonRange': {
      const [v, op] = [sub(e.e), e.op];
      return (s) => comparisonRange(op, v(s));
    }
    case 'path': {
      const [target, key] = [sub(e.e), e.key];
      return (s) => pathOf(target(s), key);
    }
    case 'filter':
      return compileFilter(e, env, locals);
    case 'call':
      return compileCall(e, env, locals);
    case 'if': {
      const [c, a, b] = [sub(e.cond), sub(e.then), sub(e.else)];
      return (s) => (c(s) === true ? a(s) : b(s));
    }
    case 'quantified':
    case 'for':
      return compileIteration(e, env, locals);
    case 'function':
      return compileFunction(e, env, locals);
    case 'instance': {
      const [v, type] = [sub(e.e), e.type];
      return (s) => instanceOf(v(s), type);
    }
    case 'apply': {
      const [callee, args] = [sub(e.e), e.args.map((x) => sub(x))];
      return (s) => {
        const fn = callee(s);
        return typeof fn === 'function' ? fn(...args.map((f) => f(s))) : null;
      };
    }
  }
}

/** The parameter names of function values made by function literals, for calls with named arguments. */
const PARAMS = new WeakMap<FeelFunction, readonly string[]>();

/** Names a function value's parameters, so FEEL calls it with named arguments (a DMN BKM or decision service). */
export function nameParameters(fn: FeelFunction, params: readonly string[], types?: FeelType[]): FeelFunction {
  PARAMS.set(fn, params);
  if (types) FUNCTION_TYPES.set(fn, { params: types });
  return fn;
}

/** The parameter names of a function value, when it has them (function literals, nameParameters). */
export function parametersOf(fn: FeelFunction): readonly string[] | undefined {
  return PARAMS.get(fn);
}

function compileFunction(e: Extract<Expr, { t: 'function' }>, env: CompileEnv, locals: ReadonlySet<string>): ExprFn {
  if (e.external) return compileExternal(e, env, locals);
  const params = e.params;
  const declared = { params: e.types };
  const body = compileExpr(e.body, { ...env, strict: false }, new Set([...locals, ...params]));
  const types = e.types;
  return (s) => {
    // A closure: the body sees the scope the literal was evaluated in, and the arguments by name, each converted to
    // its parameter's declared type; an argument that does not conform makes the call null (DMN 1.5 10.3.2.9.4).
    const fn: FeelFunction = (...args) => {
      if (args.length !== params.length) return null; // FEEL: a call with the wrong number of arguments is null
      const typed = argumentsAs(args, types);
      if (typed === null) return null;
      const vars: FeelContext = { ...(s.vars ?? {}) };
      for (let i = 0; i < params.length; i++) vars[params[i]!] = typed[i]!;
      return body({ inputs: s.inputs, vars, q: s.q });
    };
    PARAMS.set(fn, params);
    FUNCTION_TYPES.set(fn, declared);
    return fn;
  };
}

/**
 * `function(a) external {java: {class: …, method signature: …}}`: the emulated Java method (java-emulation.ts) as a
 * function of the literal's parameters. A mapping known when the cell compiles and not emulated is refused then,
 * naming the method; one computed at run time that is not is null, as FEEL's errors are.
 */
function compileExternal(e: Extract<Expr, { t: 'function' }>, env: CompileEnv, locals: ReadonlySet<string>): ExprFn {
  const mapping = compileExpr(e.body, { ...env, strict: false }, locals);
  const arity = e.params.length;
  const resolve = (v: FeelValue): FeelFunction | JavaRefusal | null => {
    const m = javaMappingOf(v, false);
    return m ? javaFunction(m.className, m.signature, arity) : null;
  };
  const types = e.types;
  // Typed parameters convert the arguments first, as for any function literal (DMN 1.5 10.3.2.9.4).
  const named = (java: FeelFunction): FeelFunction => {
    const fn: FeelFunction = (...args) => {
      const typed = argumentsAs(args, types);
      return typed === null ? null : java(...typed);
    };
    PARAMS.set(fn, e.params);
    FUNCTION_TYPES.set(fn, { params: types });
    return fn;
  };
  if (isConstant(e.body)) {
    const known = resolve(mapping({ inputs: [], vars: null, q: null }));
    if (known instanceof JavaRefusal) throw new CellSyntaxError('FEEL_UNKNOWN_FUNCTION', { name: known.method }, e.column);
    if (known === null) throw new CellSyntaxError('FEEL_UNKNOWN_FUNCTION', { name: 'external (a mapping without java: {class, method signature})' }, e.column);
    // One function value per evaluation, as for any function literal.
    return () => named(known);
  }
  return (s) => {
    const fn = resolve(mapping(s));
    return fn === null || fn instanceof JavaRefusal ? null : named(fn);
  };
}

/** A call of a function value held by a name (a context entry, a parameter, a variable), not a built-in. */
function compileValueCall(e: Extract<Expr, { t: 'call' }>, env: CompileEnv, locals: ReadonlySet<string>): ExprFn {
  const callee = compileExpr({ t: 'name', name: e.fn, column: e.column }, { ...env, strict: false }, locals);
  if (e.named) {
    const names = e.named.map(([k]) => k);
    const named = e.named.map(([, x]) => compileExpr(x, env, locals));
    return (s) => {
      const fn = callee(s);
      if (typeof fn !== 'function') return null;
      const params = PARAMS.get(fn);
      if (!params || names.some((n) => !params.includes(n))) return null;
      const args: FeelValue[] = params.map(() => null);
      for (let i = 0; i < names.length; i++) args[params.indexOf(names[i]!)] = named[i]!(s);
      return fn(...args);
    };
  }
  const args = e.args.map((x) => compileExpr(x, env, locals));
  return (s) => {
    const fn = callee(s);
    return typeof fn === 'function' ? fn(...args.map((f) => f(s))) : null;
  };
}

function pathOf(v: FeelValue, key: string): FeelValue {
  if (Array.isArray(v)) return v.map((x) => pathOf(x, key));
  if (isContext(v)) {
    const ctx = v;
    return Object.hasOwn(ctx, key) ? ctx[key]! : null;
  }
  return propertyOf(v, key);
}

function compareFn(op: Comparator, l: ExprFn, r: ExprFn): ExprFn {
  switch (op) {
    case '=':
      return (s) => equals(l(s), r(s));
    case '!=':
      return (s) => {
        const eq = equals(l(s), r(s));
        return eq === null ? null : !eq;
      };
    default: {
      const ok = op === '<' ? (c: number) => c < 0 : op === '<=' ? (c: number) => c <= 0 : op === '>' ? (c: number) => c > 0 : (c: number) => c >= 0;
      return (s) => {
        const c = compare(l(s), r(s));
        return c === null ? null : ok(c);
      };
    }
  }
}

function compileFilter(e: Extract<Expr, { t: 'filter' }>, env: CompileEnv, locals: ReadonlySet<string>): ExprFn {
  const list = compileExpr(e.e, env, locals);
  // A constant number is an index (1-based, negative from the end); anything else filters with `item`.
  if (e.filter.t === 'lit' && typeof e.filter.value === 'number') {
    const n = e.filter.value;
    return (s) => {
      const v = list(s);
      if (!Array.isArray(v)) return n === 1 || n === -1 ? v : null;
      const i = n > 0 ? n - 1 : v.length + n;
      return v[i] ?? null;
    };
  }
  const pred = compileExpr(e.filter, { ...env, strict: false }, new Set([...locals, 'item']));
  return (s) => iterating(() => {
    const raw = list(s);
    const v = Array.isArray(raw) ? raw : [raw];
    const out: FeelValue[] = [];
    for (const item of v) {
      step();
      const vars: FeelContext = { ...(s.vars ?? {}), item };
      if (isContext(item)) Object.assign(vars, item);
      const keep = pred({ inputs: s.inputs, vars, q: s.q });
      if (typeof keep === 'number' && Array.isArray(raw)) return raw[keep > 0 ? keep - 1 : raw.length + keep] ?? null;
      if (keep === true) out.push(item);
    }
    return out;
  });
}

function compileIteration(e: Extract<Expr, { t: 'quantified' | 'for' }>, env: CompileEnv, locals: ReadonlySet<string>): ExprFn {
  const names = e.bindings.map(([n]) => n);
  const sources = e.bindings.map(([n, x], i) => [n, compileExpr(x, env, new Set([...locals, ...names.slice(0, i)]))] as const);
  // `partial`: in a `for`, the results so far (DMN 1.5 10.3.2.14), given only to a body that reads it.
  const withPartial = e.t === 'for' && readsName(e.body, 'partial');
  const body = compileExpr(e.t === 'for' ? e.body : e.satisfies, env, new Set([...locals, ...names, ...(withPartial ? ['partial'] : [])]));
  const combos = (s: Scope): FeelContext[] | null => {
    let acc: FeelContext[] = [{ ...(s.vars ?? {}) }];
    for (const [name, src] of sources) {
      const next: FeelContext[] = [];
      for (const vars of acc) {
        const list = src({ inputs: s.inputs, vars, q: s.q });
        const items = Array.isArray(list) ? list : list instanceof FeelRange ? rangeItems(list) : null;
        if (!items) return null;
        if (next.length + items.length > MAX_LIST_LENGTH) throw tooManyIterations();
        for (const item of items) next.push({ ...vars, [name]: item });
      }
      acc = next;
    }
    return acc;
  };
  if (e.t === 'for') {
    return (s) =>
      iterating(() => {
        const all = combos(s);
        if (!all) return null;
        const out: FeelValue[] = [];
        for (const vars of all) {
          step();
          if (withPartial) {
            // Each copy of the results so far counts against the iteration budget.
            for (let i = 0; i < out.length; i += 1000) step();
            vars.partial = out.slice();
          }
          out.push(body({ inputs: s.inputs, vars, q: s.q }));
        }
        return out;
      });
  }
  const every = e.kind === 'every';
  return (s) =>
    iterating(() => {
      const all = combos(s);
      if (!all) return null;
      for (const vars of all) {
        step();
        const r = body({ inputs: s.inputs, vars, q: s.q });
        if (every && r !== true) return false;
        if (!every && r === true) return true;
      }
      return every;
    });
}

// Iterations nest (`for` in `for`, a filter in `every`): each is held to MAX_LIST_LENGTH, and all of them together,
// from the outermost one in, to MAX_ITERATION_STEPS body evaluations, so no cell multiplies its way to minutes.
let iterationDepth = 0;
let iterationSteps = 0;

function iterating<T>(run: () => T): T {
  if (iterationDepth === 0) iterationSteps = 0;
  iterationDepth++;
  try {
    return run();
  } finally {
    iterationDepth--;
  }
}

function step(): void {
  if (++iterationSteps > MAX_ITERATION_STEPS) {
    throw new LimitError({ code: 'LIMIT_ITERATION_STEPS', params: { limit: MAX_ITERATION_STEPS } });
  }
}

function tooManyIterations(): LimitError {
  return new LimitError({ code: 'LIMIT_ITERATIONS', params: { limit: MAX_LIST_LENGTH } });
}

/** Whether an expression reads `name` anywhere (a walk of its tree). */
function readsName(e: unknown, name: string): boolean {
  if (e === null || typeof e !== 'object') return false;
  if ((e as Expr).t === 'name' && (e as { name: string }).name === name) return true;
  return Object.values(e).some((v) => readsName(v, name));
}

/**
 * A range value: its two ends must be of one type and in order, start <= end (DMN 1.5 10.3.2.7), so `[2..1]` and
 * `[1.."a"]` are null. A missing or null end is not checked (an open end).
 */
function orderedRange(lowClosed: boolean, low: FeelValue | undefined, high: FeelValue | undefined, highClosed: boolean): FeelRange | null {
  if (low !== undefined && low !== null && high !== undefined && high !== null) {
    const c = compare(low, high);
    if (c === null || c > 0) return null;
  }
  return new FeelRange(lowClosed, low, high, highClosed);
}

function rangeItems(r: FeelRange): FeelValue[] | null {
  // A range of dates iterates day by day (DMN 1.5 10.3.2.14), either way.
  if (r.low instanceof FeelDate && r.high instanceof FeelDate) {
    const [a, b] = [r.low.day, r.high.day];
    if (Math.abs(b - a) >= MAX_LIST_LENGTH) throw tooManyIterations();
    const out: FeelValue[] = [];
    const dir = a <= b ? 1 : -1;
    for (let d = a; dir > 0 ? d <= b : d >= b; d += dir) out.push(dateFromDay(d));
    if (!r.lowClosed) out.shift();
    if (!r.highClosed) out.pop();
    return out;
  }
  if (isNumber(r.low) && isNumber(r.high) && (typeof r.low !== 'number' || typeof r.high !== 'number')) {
    const [lo, hi] = [new Dec(r.low), new Dec(r.high)];
    if (!lo.isInteger() || !hi.isInteger()) return null;
    return rangeItems(new FeelRange(r.lowClosed, lo.toNumber(), hi.toNumber(), r.highClosed));
  }
  if (typeof r.low !== 'number' || typeof r.high !== 'number') return null;
  if (Math.abs(r.high - r.low) >= MAX_LIST_LENGTH) throw tooManyIterations();
  const out: number[] = [];
  const step = r.low <= r.high ? 1 : -1;
  for (let i = r.low; step > 0 ? i <= r.high : i >= r.high; i += step) out.push(i);
  return out;
}

function compileCall(e: Extract<Expr, { t: 'call' }>, env: CompileEnv, locals: ReadonlySet<string>): ExprFn {
  // A local name (a context entry, a function's parameter, an iteration variable) may hold a function value, and
  // then shadows a built-in of that name; any other name must be a built-in.
  if (locals.has(e.fn)) return compileValueCall(e, env, locals);
  const call = resolveCall(e.fn, e.args.length, e.named ? e.named.map(([k]) => k) : null, env.invalidCallsNull);
  if ('code' in call) {
    if (env.invalidCallsNull && isBuiltin(e.fn)) return () => null;
    throw new CellSyntaxError(call.code, call.params, e.column);
  }
  const builtin = call.fn;
  if (e.named) {
    const named = e.named.map(([, x]) => compileExpr(x, env, locals));
    const { order, arity } = call;
    return (s) => {
      const args: FeelValue[] = new Array<FeelValue>(arity).fill(null);
      for (let i = 0; i < named.length; i++) args[order![i]!] = named[i]!(s);
      return builtin(args);
    };
  }
  const args = e.args.map((x) => compileExpr(x, env, locals));
  if (args.length === 1) {
    const a = args[0]!;
    return (s) => builtin([a(s)]);
  }
  return (s) => builtin(args.map((f) => f(s)));
}

// ---------------------------------------------------------------------------------------------------------------
// Unary tests.

function usesInput(e: Expr): boolean {
  let found = false;
  const visit = (x: unknown): void => {
    if (found || x === null || typeof x !== 'object') return;
    if ((x as Expr).t === 'input') {
      found = true;
      return;
    }
    for (const v of Object.values(x)) visit(v);
  };
  visit(e);
  return found;
}

/** Membership of `v` in a list of values and ranges: like `list contains`, items of another kind simply differ. */
function inList(v: FeelValue, list: FeelValue[]): boolean {
  for (const item of list) {
    const r = item instanceof FeelRange ? inRange(v, item) : equals(v, item);
    if (r === true) return true;
  }
  return false;
}

/** Compiles one positive unary test; number literals get a fast path because they are most of policy. */
export function compileTest(t: Test, env: CompileEnv, locals: ReadonlySet<string> = NO_LOCALS): TestFn {
  switch (t.t) {
    case 'compare': {
      const rhs = compileExpr(t.e, env, locals);
      if (t.op === '=' || t.op === '!=') {
        const negated = t.op === '!=';
        return (v, s) => {
          const eq = equals(v, rhs(s));
          return eq === null ? null : negated ? !eq : eq;
        };
      }
      const op = t.op;
      const ok = op === '<' ? (c: number) => c < 0 : op === '<=' ? (c: number) => c <= 0 : op === '>' ? (c: number) => c > 0 : (c: number) => c >= 0;
      if (t.e.t === 'lit' && typeof t.e.value === 'number') {
        const k = t.e.value;
        const fast = op === '<' ? (x: number) => x < k : op === '<=' ? (x: number) => x <= k : op === '>' ? (x: number) => x > k : (x: number) => x >= k;
        return (v) => {
          if (typeof v === 'number') return fast(v);
          const c = compare(v, k);
          return c === null ? null : ok(c);
        };
      }
      return (v, s) => {
        const c = compare(v, rhs(s));
        return c === null ? null : ok(c);
      };
    }
    case 'range': {
      const [lo, hi] = [compileExpr(t.low, env, locals), compileExpr(t.high, env, locals)];
      const [lc, hc] = [t.lowClosed, t.highClosed];
      if (t.low.t === 'lit' && typeof t.low.value === 'number' && t.high.t === 'lit' && typeof t.high.value === 'number') {
        const [a, b] = [t.low.value, t.high.value];
        const range = new FeelRange(lc, a, b, hc);
        return (v) => (typeof v === 'number' ? (lc ? v >= a : v > a) && (hc ? v <= b : v < b) : inRange(v, range));
      }
      return (v, s) => inRange(v, new FeelRange(lc, lo(s), hi(s), hc));
    }
    case 'expr': {
      const e = t.e;
      if (e.t === 'lit' && (typeof e.value === 'string' || typeof e.value === 'number' || typeof e.value === 'boolean')) {
        const k = e.value;
        const kType = typeof k;
        // Same primitive type: plain identity. Null input: FEEL equality says false. Other kinds: not comparable.
        return (v) => (v === k ? true : typeof v === kType || v === null ? false : equals(v, k));
      }
      const f = compileExpr(e, env, locals);
      if (usesInput(e)) {
        return (v, s) => {
          const r = f({ inputs: s.inputs, vars: s.vars, q: v });
          return typeof r === 'boolean' ? r : null;
        };
      }
      return (v, s) => {
        const value = f(s);
        // A boolean expression over other inputs (`x > y`) decides by itself unless the input is boolean too.
        if (typeof value === 'boolean' && typeof v !== 'boolean') return value;
        const eq = equals(v, value);
        if (eq === true) return true;
        if (Array.isArray(value)) return inList(v, value);
        if (value instanceof FeelRange) return inRange(v, value);
        return eq;
      };
    }
  }
}

/** A comma list: true if any test holds, false if all fail, null otherwise. */
export function compileTestList(tests: Test[], env: CompileEnv, locals: ReadonlySet<string> = NO_LOCALS): TestFn {
  const fns = tests.map((t) => compileTest(t, env, locals));
  if (fns.length === 1) return fns[0]!;
  return (v, s) => {
    let sawNull = false;
    for (const f of fns) {
      const r = f(v, s);
      if (r === true) return true;
      if (r === null) sawNull = true;
    }
    return sawNull ? null : false;
  };
}

/** A whole when-cell: `-` holds for everything (null included); `not(...)` negates, keeping null as null. */
export function compileUnaryTests(ut: UnaryTests, env: CompileEnv): TestFn | null {
  if (ut.t === 'any') return null;
  const list = compileTestList(ut.tests, env);
  if (ut.t === 'tests') return list;
  return (v, s) => {
    const r = list(v, s);
    return r === null ? null : !r;
  };
}
