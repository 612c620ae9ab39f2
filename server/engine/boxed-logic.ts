// Compiles a boxed expression of a decision model (types.ts BoxedLogic; DMN 1.5 chapter 7) once into closures over
// FEEL values. Every name a box uses is resolved when it compiles, against the names in scope (the document's inputs,
// required decisions' results, required parameter sets' names, required knowledge models, earlier context entries,
// iteration variables and function parameters), and what can be known of types then is checked then: an invocation's
// bindings against the knowledge model's parameters, a declared type against what a box gives. Each problem names
// its place by a JSON path into the document (`/logic/entries/2/value/text`) and a code (messages.ts).
// The DMN side (server/dmn/boxed.ts, for the TCK runner) compiles DMN's own boxed expressions, leniently as DMN
// asks; this one is for documents Beslis stores, where a mistake is refused when the document is saved.
import type { Expr } from './ast.ts';
import { compileTable } from './compile.ts';
import { CellSyntaxError, EngineError, LimitError, TableError } from './errors.ts';
import { compileExpr, nameParameters, parametersOf } from './feel.ts';
import { argumentsAs, coerceTo, type FeelType } from './feel-types.ts';
import { coercerFor } from './input.ts';
import { MAX_BOXED_DEPTH, MAX_BOXED_ENTRIES, MAX_ITERATION_STEPS, MAX_LOGIC_TRACE_STEPS, RESERVED_NAMES } from './limits.ts';
import { problem, type EngineMessageCode, type MessageParams } from './messages.ts';
import { parseExpression } from './parser.ts';
import type { BoxedLogic, ColumnType, DecisionTable, JsonValue, LogicStep, ParameterSet, Problem } from './types.ts';
import { FeelDate, FeelDateTime, FeelDuration, FeelTime, isContext, isNumber, toJson, type FeelContext, type FeelFunction, type FeelValue } from './values.ts';

/** What compile time knows of a value's type: a column type (`any`: not known), or a list, context or function. */
export type StaticType = ColumnType | 'list' | 'context' | 'function';

/** The parameters and result of a function in scope (a business knowledge model), for checking calls of it. */
export interface Signature {
  parameters: readonly { name: string; type: ColumnType }[];
  resultType?: ColumnType;
}

/** Where a name in scope comes from. */
export type NameKind = 'input' | 'decision' | 'parameter' | 'knowledge' | 'entry' | 'variable';

export interface NameInfo {
  kind: NameKind;
  type: StaticType;
  /** Where the name is declared (`/inputs/0`, `/requires/2`), for a message about a name given twice. */
  at: string;
  signature?: Signature;
}

export type BoxedScope = ReadonlyMap<string, NameInfo>;

/** One evaluation: its trace (null when none is asked for), the depth of knowledge model calls, the steps iterated. */
export interface Run {
  trace: LogicStep[] | null;
  /** The trace had more than MAX_LOGIC_TRACE_STEPS steps: the later ones are left out. */
  truncated: boolean;
  depth: number;
  steps: number;
  /** The function values of knowledge models for this evaluation (each made once, on first use). */
  bound: Map<KnowledgeFunction, FeelFunction>;
  versions: ModelVersions;
}

/** A knowledge model as a function value for one evaluation (knowledge-model.ts). */
export interface KnowledgeFunction {
  readonly id: string;
  bind(run: Run): FeelFunction;
}

/**
 * Which version of a required parameter set or knowledge model an evaluation uses (the caller's choice: the one
 * valid on the case date); without an answer, the version the document was compiled against.
 */
export interface ModelVersions {
  parameterSet?: (id: string) => ParameterSet | undefined;
  knowledgeModel?: (id: string) => KnowledgeFunction | undefined;
}

export function newRun(trace: boolean, versions: ModelVersions = {}): Run {
  return { trace: trace ? [] : null, truncated: false, depth: 0, steps: 0, bound: new Map(), versions };
}

export function record(run: Run, step: LogicStep): void {
  if (run.trace === null) return;
  if (run.trace.length >= MAX_LOGIC_TRACE_STEPS) run.truncated = true;
  else run.trace.push(step);
}

export type Closure = (vars: FeelContext, run: Run) => FeelValue;

export interface CompiledBox {
  fn: Closure;
  type: StaticType;
}

/** A document of a decision model that cannot be compiled: every problem, each with its JSON path. */
export class ModelError extends EngineError {
  // The code tables use, so every client that handles an invalid table handles these as well (422 with details).
  readonly code = 'INVALID_TABLE';
  constructor(problems: Problem[]) {
    super(
      problems.length === 1
        ? { code: 'MODEL_INVALID_ONE', params: { path: problems[0]!.path, problem: problems[0]!.message } }
        : { code: 'MODEL_INVALID', params: { count: problems.length } },
      problems,
    );
  }
}

/** What one compile of a document collects: its problems, the names of later context entries, its id. */
export interface BoxCompile {
  document: string;
  problems: Problem[];
}

interface Place {
  path: string;
  depth: number;
  /** Names of the entries after the one being compiled, in each enclosing context, with their paths. */
  later: ReadonlyMap<string, string>;
}

const STRICT = { inputs: new Map<string, number>(), strict: true };

export function feelTypeOf(type: ColumnType | undefined): FeelType {
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'date':
    case 'time':
      return { k: type };
    case 'dateTime':
      return { k: 'date and time' };
    default:
      // `duration` covers both FEEL durations; `any` anything.
      return { k: 'Any' };
  }
}

/** Whether a value of static type `actual` may stand where `declared` is asked for. */
export function fits(actual: StaticType, declared: ColumnType | undefined): boolean {
  return declared === undefined || declared === 'any' || actual === 'any' || actual === declared;
}

/** A value converted to a declared column type (a duration must be one; a wrong type gives null, as in DMN). */
export function convertTo(v: FeelValue, type: ColumnType | undefined): FeelValue {
  if (type === undefined || type === 'any' || v === null) return v;
  if (type === 'duration') return v instanceof FeelDuration ? v : Array.isArray(v) && v.length === 1 && v[0] instanceof FeelDuration ? v[0] : null;
  return coerceTo(v, feelTypeOf(type));
}

/** A JSON value read as a FEEL value of a column type (a parameter's value, a case's field); null when it is not one. */
export function fromJsonAs(v: unknown, type: ColumnType): FeelValue {
  return coercerFor(type)(v) ?? null;
}

function add(ctx: BoxCompile, path: string, code: EngineMessageCode, params: MessageParams = {}): void {
  ctx.problems.push(problem(path, code, params));
}

const NULL_BOX: CompiledBox = { fn: () => null, type: 'any' };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Compiles `logic` at `path` of the document, on the names in `scope`; problems go to `ctx` (never thrown). */
export function compileLogic(logic: BoxedLogic, scope: BoxedScope, path: string, ctx: BoxCompile): CompiledBox {
  return compileAt(logic, scope, { path, depth: 0, later: new Map() }, ctx);
}

function compileAt(logic: BoxedLogic, scope: BoxedScope, at: Place, ctx: BoxCompile): CompiledBox {
  if (at.depth >= MAX_BOXED_DEPTH) {
    add(ctx, at.path, 'BOXED_TOO_DEEP', { limit: MAX_BOXED_DEPTH });
    return NULL_BOX;
  }
  if (!isObject(logic)) {
    add(ctx, at.path, 'SCHEMA_TYPE_OBJECT');
    return NULL_BOX;
  }
  const inner = (x: BoxedLogic, step: string, s: BoxedScope = scope): CompiledBox => compileAt(x, s, { path: `${at.path}/${step}`, depth: at.depth + 1, later: at.later }, ctx);
  const list = <T>(v: T[] | undefined, field: string): T[] => {
    if (!Array.isArray(v)) {
      add(ctx, `${at.path}/${field}`, 'SCHEMA_TYPE_ARRAY');
      return [];
    }
    if (v.length > MAX_BOXED_ENTRIES) {
      add(ctx, `${at.path}/${field}`, 'BOXED_TOO_MANY', { limit: MAX_BOXED_ENTRIES });
      return [];
    }
    return v;
  };
  switch (logic.kind) {
    case 'literal':
      return compileLiteral(logic.text, scope, at, ctx);
    case 'context':
      return compileContext(logic, scope, at, ctx);
    case 'list': {
      const items = list(logic.items, 'items').map((x, i) => inner(x, `items/${i}`).fn);
      return { fn: (vars, run) => items.map((f) => f(vars, run)), type: 'list' };
    }
    case 'relation': {
      const columns = list(logic.columns, 'columns');
      const seen = new Set<string>();
      columns.forEach((c, i) => {
        if (seen.has(c)) add(ctx, `${at.path}/columns/${i}`, 'BOXED_DUPLICATE_ENTRY', { name: c });
        if (RESERVED_NAMES.includes(c)) add(ctx, `${at.path}/columns/${i}`, 'SCHEMA_RESERVED_NAME', { name: c });
        seen.add(c);
      });
      const rows = list(logic.rows, 'rows').map((row, r) => {
        if (!Array.isArray(row) || row.length !== columns.length) {
          add(ctx, `${at.path}/rows/${r}`, 'SCHEMA_MIN_ITEMS', { limit: columns.length });
          return [];
        }
        return row.map((x, c) => inner(x, `rows/${r}/${c}`).fn);
      });
      return {
        fn: (vars, run) =>
          rows.map((row) => {
            const out: FeelContext = {};
            columns.forEach((c, i) => (out[c] = row[i] ? row[i](vars, run) : null));
            return out;
          }),
        type: 'list',
      };
    }
    case 'invocation':
      return compileInvocation(logic, scope, at, ctx);
    case 'conditional': {
      const cond = inner(logic.if, 'if');
      if (!fits(cond.type, 'boolean')) add(ctx, `${at.path}/if`, 'BOXED_TYPE_MISMATCH', { actual: cond.type, type: 'boolean' });
      const [then, otherwise] = [inner(logic.then, 'then'), inner(logic.else, 'else')];
      const document = ctx.document;
      const path = at.path;
      return {
        fn: (vars, run) => {
          const yes = cond.fn(vars, run) === true;
          const value = yes ? then.fn(vars, run) : otherwise.fn(vars, run);
          if (run.trace) record(run, { document, path, kind: 'conditional', name: yes ? 'then' : 'else', value: toJson(value) });
          return value;
        },
        type: then.type === otherwise.type ? then.type : 'any',
      };
    }
    case 'filter': {
      const source = inner(logic.in, 'in');
      const itemScope = new Map(scope);
      itemScope.set('item', { kind: 'variable', type: 'any', at: `${at.path}/in` });
      // The columns of a relation filtered are names in the match too, as a FEEL filter reads an item's keys.
      if (isObject(logic.in) && logic.in.kind === 'relation' && Array.isArray(logic.in.columns)) {
        for (const c of logic.in.columns) if (!itemScope.has(c)) itemScope.set(c, { kind: 'variable', type: 'any', at: `${at.path}/in` });
      }
      const match = inner(logic.match, 'match', itemScope);
      if (!fits(match.type, 'boolean')) add(ctx, `${at.path}/match`, 'BOXED_TYPE_MISMATCH', { actual: match.type, type: 'boolean' });
      return {
        fn: (vars, run) => {
          const items = asList(source.fn(vars, run));
          if (items === null) return null;
          const out: FeelValue[] = [];
          for (const item of items) {
            step(run);
            const local: FeelContext = { ...vars, item };
            if (isContext(item)) Object.assign(local, item);
            if (match.fn(local, run) === true) out.push(item);
          }
          return out;
        },
        type: 'list',
      };
    }
    case 'for':
    case 'some':
    case 'every': {
      const variable = logic.variable;
      const source = inner(logic.in, 'in');
      if (typeof variable !== 'string' || variable === '') add(ctx, `${at.path}/variable`, 'SCHEMA_EMPTY');
      const bodyScope = new Map(scope);
      bodyScope.set(variable, { kind: 'variable', type: 'any', at: `${at.path}/variable` });
      if (logic.kind === 'for') {
        const body = inner(logic.return, 'return', bodyScope);
        return {
          fn: (vars, run) => {
            const items = asList(source.fn(vars, run));
            if (items === null) return null;
            return items.map((item) => {
              step(run);
              return body.fn({ ...vars, [variable]: item }, run);
            });
          },
          type: 'list',
        };
      }
      const test = inner(logic.satisfies, 'satisfies', bodyScope);
      if (!fits(test.type, 'boolean')) add(ctx, `${at.path}/satisfies`, 'BOXED_TYPE_MISMATCH', { actual: test.type, type: 'boolean' });
      const every = logic.kind === 'every';
      return {
        fn: (vars, run) => {
          const items = asList(source.fn(vars, run));
          if (items === null) return null;
          for (const item of items) {
            step(run);
            const r = test.fn({ ...vars, [variable]: item }, run);
            if (every && r !== true) return false;
            if (!every && r === true) return true;
          }
          return every;
        },
        type: 'boolean',
      };
    }
    case 'function': {
      const params = list(logic.parameters, 'parameters');
      const bodyScope = new Map(scope);
      params.forEach((p, i) => {
        if (RESERVED_NAMES.includes(p.name)) add(ctx, `${at.path}/parameters/${i}/name`, 'SCHEMA_RESERVED_NAME', { name: p.name });
        bodyScope.set(p.name, { kind: 'variable', type: p.type, at: `${at.path}/parameters/${i}` });
      });
      const body = inner(logic.body, 'body', bodyScope);
      const names = params.map((p) => p.name);
      const types = params.map((p) => feelTypeOf(p.type));
      return {
        fn: (vars, run) =>
          nameParameters(
            (...args: FeelValue[]) => {
              if (args.length !== names.length) return null;
              const typed = argumentsAs(args, types);
              if (typed === null) return null;
              const local: FeelContext = { ...vars };
              names.forEach((n, i) => (local[n] = typed[i]!));
              return body.fn(local, run);
            },
            names,
            types,
          ),
        type: 'function',
      };
    }
    case 'table':
      return compileBoxedTable(logic, scope, at, ctx);
    default: {
      add(ctx, `${at.path}/kind`, 'BOXED_UNKNOWN_KIND', { kind: String((logic as { kind?: unknown }).kind) });
      return NULL_BOX;
    }
  }
}

function asList(v: FeelValue): FeelValue[] | null {
  if (Array.isArray(v)) return v;
  return v === null ? null : [v];
}

/** Each body evaluation of a filter, for, some or every counts against MAX_ITERATION_STEPS for the whole evaluation. */
function step(run: Run): void {
  if (++run.steps > MAX_ITERATION_STEPS) throw new LimitError({ code: 'LIMIT_ITERATION_STEPS', params: { limit: MAX_ITERATION_STEPS } });
}

function compileLiteral(text: string, scope: BoxedScope, at: Place, ctx: BoxCompile): CompiledBox {
  const path = `${at.path}/text`;
  if (typeof text !== 'string') {
    add(ctx, path, 'SCHEMA_TYPE_STRING');
    return NULL_BOX;
  }
  try {
    const ast = parseExpression(text, [...scope.keys()]);
    const before = ctx.problems.length;
    checkCalls(ast, scope, path, ctx);
    if (ctx.problems.length > before) return NULL_BOX;
    // Strict: a name that is not in scope is an error now (FEEL_UNKNOWN_NAME), not a null later.
    const fn = compileExpr(ast, STRICT, new Set(scope.keys()));
    return { fn: (vars) => fn({ inputs: [], vars, q: null }), type: typeOfExpr(ast, scope) };
  } catch (err) {
    if (err instanceof CellSyntaxError) {
      const name = err.params.name;
      const later = err.messageCode === 'FEEL_UNKNOWN_NAME' && typeof name === 'string' ? at.later.get(name) : undefined;
      if (later !== undefined) ctx.problems.push({ ...problem(path, 'BOXED_LATER_ENTRY', { name: name!, at: later }), column: err.column });
      else ctx.problems.push({ path, message: err.message, column: err.column, ...(err.messageCode ? { code: err.messageCode, params: err.params } : {}) });
      return NULL_BOX;
    }
    if (err instanceof LimitError) {
      ctx.problems.push({ path, message: err.message, ...(err.messageCode ? { code: err.messageCode, params: err.params } : {}) });
      return NULL_BOX;
    }
    throw err;
  }
}

/** Calls of knowledge models in FEEL text: the arguments must fit the parameters, by number, name and type. */
function checkCalls(e: unknown, scope: BoxedScope, path: string, ctx: BoxCompile): void {
  if (e === null || typeof e !== 'object') return;
  if (Array.isArray(e)) {
    for (const x of e) checkCalls(x, scope, path, ctx);
    return;
  }
  const node = e as Expr;
  if (node.t === 'call') {
    const info = scope.get(node.fn);
    if (info && info.type !== 'function' && info.type !== 'any') {
      ctx.problems.push({ ...problem(path, 'BOXED_NOT_A_FUNCTION', { name: node.fn, type: info.type }), column: node.column });
    } else if (info?.signature) {
      const sig = info.signature;
      const names = sig.parameters.map((p) => p.name);
      const list = names.join(', ');
      if (node.named) {
        for (const [k, x] of node.named) {
          const p = sig.parameters.find((q) => q.name === k);
          if (!p) ctx.problems.push({ ...problem(path, 'BOXED_UNKNOWN_PARAMETER', { name: node.fn, parameter: k, parameters: list }), column: node.column });
          else checkArgument(x, p.type, scope, path, ctx);
        }
      } else if (node.args.length !== names.length) {
        ctx.problems.push({ ...problem(path, 'BOXED_ARGUMENT_COUNT', { name: node.fn, expected: names.length, parameters: list, count: node.args.length }), column: node.column });
      } else {
        node.args.forEach((x, i) => checkArgument(x, sig.parameters[i]!.type, scope, path, ctx));
      }
    }
  }
  for (const v of Object.values(node)) if (v !== null && typeof v === 'object') checkCalls(v, scope, path, ctx);
}

function checkArgument(x: Expr, type: ColumnType, scope: BoxedScope, path: string, ctx: BoxCompile): void {
  const actual = typeOfExpr(x, scope);
  if (!fits(actual, type)) ctx.problems.push({ ...problem(path, 'BOXED_TYPE_MISMATCH', { actual, type }), column: x.column });
}

/** What compile time can tell of an expression's type ('any' when it cannot). */
function typeOfExpr(e: Expr, scope: BoxedScope): StaticType {
  switch (e.t) {
    case 'lit':
      return typeOfValue(e.value);
    case 'name':
      return scope.get(e.name)?.type ?? 'any';
    case 'arith':
      return typeOfExpr(e.l, scope) === 'number' && typeOfExpr(e.r, scope) === 'number' ? 'number' : 'any';
    case 'neg':
      return typeOfExpr(e.e, scope) === 'number' ? 'number' : 'any';
    case 'compare':
    case 'and':
    case 'or':
    case 'between':
    case 'in':
    case 'instance':
    case 'quantified':
      return 'boolean';
    case 'list':
    case 'for':
      return 'list';
    case 'filter':
      return e.filter.t === 'lit' && typeof e.filter.value === 'number' ? 'any' : 'list';
    case 'context':
      return 'context';
    case 'function':
      return 'function';
    case 'call':
      return scope.get(e.fn)?.signature?.resultType ?? 'any';
    case 'if': {
      const [a, b] = [typeOfExpr(e.then, scope), typeOfExpr(e.else, scope)];
      return a === b ? a : 'any';
    }
    default:
      return 'any';
  }
}

function typeOfValue(v: FeelValue): StaticType {
  if (isNumber(v)) return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof FeelDate) return 'date';
  if (v instanceof FeelDateTime) return 'dateTime';
  if (v instanceof FeelTime) return 'time';
  if (v instanceof FeelDuration) return 'duration';
  return 'any';
}

function compileContext(logic: Extract<BoxedLogic, { kind: 'context' }>, scope: BoxedScope, at: Place, ctx: BoxCompile): CompiledBox {
  const entries = logic.entries;
  if (!Array.isArray(entries)) {
    add(ctx, `${at.path}/entries`, 'SCHEMA_TYPE_ARRAY');
    return NULL_BOX;
  }
  if (entries.length > MAX_BOXED_ENTRIES) {
    add(ctx, `${at.path}/entries`, 'BOXED_TOO_MANY', { limit: MAX_BOXED_ENTRIES });
    return NULL_BOX;
  }
  const local = new Map(scope);
  const own = new Map<string, number>();
  const compiled: { name: string | undefined; fn: Closure; type: ColumnType | undefined }[] = [];
  const document = ctx.document;
  let resultType: StaticType = 'context';
  entries.forEach((entry, i) => {
    const path = `${at.path}/entries/${i}`;
    if (!isObject(entry)) {
      add(ctx, path, 'SCHEMA_TYPE_OBJECT');
      return;
    }
    const name = entry.name;
    const last = i === entries.length - 1;
    if (name === undefined && !last) add(ctx, `${path}/name`, 'BOXED_UNNAMED_ENTRY');
    if (name !== undefined) {
      if (own.has(name)) add(ctx, `${path}/name`, 'BOXED_DUPLICATE_ENTRY', { name });
      if (RESERVED_NAMES.includes(name)) add(ctx, `${path}/name`, 'SCHEMA_RESERVED_NAME', { name });
    }
    // The entries after this one, each enclosing context's included: named only to say why a name is not known.
    const later = new Map(at.later);
    for (let j = entries.length - 1; j > i; j--) {
      const n = (entries[j] as { name?: unknown } | null)?.name;
      if (typeof n === 'string' && !local.has(n)) later.set(n, `${at.path}/entries/${j}`);
    }
    const box = compileAt(entry.value, local, { path: `${path}/value`, depth: at.depth + 1, later }, ctx);
    if (entry.type !== undefined && !fits(box.type, entry.type)) add(ctx, `${path}/value`, 'BOXED_TYPE_MISMATCH', { actual: box.type, type: entry.type });
    const type = entry.type !== undefined && entry.type !== 'any' ? entry.type : box.type;
    compiled.push({ name, fn: box.fn, type: entry.type });
    if (name !== undefined) {
      own.set(name, i);
      local.set(name, { kind: 'entry', type, at: path });
    } else if (last) {
      resultType = type;
    }
  });
  const path = at.path;
  return {
    fn: (vars, run) => {
      const scopeVars: FeelContext = { ...vars };
      const out: FeelContext = {};
      for (let i = 0; i < compiled.length; i++) {
        const { name, fn, type } = compiled[i]!;
        const value = convertTo(fn(scopeVars, run), type);
        if (run.trace) record(run, { document, path: `${path}/entries/${i}`, kind: 'context', ...(name !== undefined ? { name } : {}), value: toJson(value) });
        if (name === undefined) return value;
        out[name] = value;
        scopeVars[name] = value;
      }
      return out;
    },
    type: resultType,
  };
}

function compileInvocation(logic: Extract<BoxedLogic, { kind: 'invocation' }>, scope: BoxedScope, at: Place, ctx: BoxCompile): CompiledBox {
  const name = logic.bkm;
  const info = typeof name === 'string' ? scope.get(name) : undefined;
  if (!info) {
    add(ctx, `${at.path}/bkm`, 'BOXED_UNKNOWN_KNOWLEDGE', { name: String(name) });
    return NULL_BOX;
  }
  if (info.type !== 'function' && info.type !== 'any') {
    add(ctx, `${at.path}/bkm`, 'BOXED_NOT_A_FUNCTION', { name, type: info.type });
    return NULL_BOX;
  }
  const given = isObject(logic.bindings) ? Object.entries(logic.bindings) : [];
  if (!isObject(logic.bindings)) add(ctx, `${at.path}/bindings`, 'SCHEMA_TYPE_OBJECT');
  if (given.length > MAX_BOXED_ENTRIES) {
    add(ctx, `${at.path}/bindings`, 'BOXED_TOO_MANY', { limit: MAX_BOXED_ENTRIES });
    return NULL_BOX;
  }
  const sig = info.signature;
  const bindings = given.map(([param, value]) => {
    const box = compileAt(value, scope, { path: `${at.path}/bindings/${pointerKey(param)}`, depth: at.depth + 1, later: at.later }, ctx);
    if (sig) {
      const p = sig.parameters.find((q) => q.name === param);
      if (!p) add(ctx, `${at.path}/bindings/${pointerKey(param)}`, 'BOXED_UNKNOWN_PARAMETER', { name, parameter: param, parameters: sig.parameters.map((q) => q.name).join(', ') });
      else if (!fits(box.type, p.type)) add(ctx, `${at.path}/bindings/${pointerKey(param)}`, 'BOXED_TYPE_MISMATCH', { actual: box.type, type: p.type });
    }
    return { param, fn: box.fn };
  });
  const document = ctx.document;
  const path = at.path;
  return {
    fn: (vars, run) => {
      const fn = vars[name];
      if (typeof fn !== 'function') return null;
      const params = parametersOf(fn) ?? sig?.parameters.map((p) => p.name);
      if (!params) return null;
      // DMN 1.5 10.4: bindings give the parameters by name; a parameter without a binding is null.
      const args: FeelValue[] = params.map(() => null);
      const shown: Record<string, JsonValue> = {};
      for (const b of bindings) {
        const i = params.indexOf(b.param);
        if (i < 0) return null;
        args[i] = b.fn(vars, run);
        if (run.trace) shown[b.param] = toJson(args[i]!);
      }
      const value = fn(...args);
      if (run.trace) record(run, { document, path, kind: 'invocation', knowledge: name, arguments: shown, value: toJson(value) });
      return value;
    },
    type: sig?.resultType ?? 'any',
  };
}

function pointerKey(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A decision table inside a box, on the names in scope: each input column reads the name in scope it is called by
 * (or computes its expression). Its result is the single output's value, or a context of the outputs; a list for
 * the hit policies that collect.
 */
function compileBoxedTable(logic: Extract<BoxedLogic, { kind: 'table' }>, scope: BoxedScope, at: Place, ctx: BoxCompile): CompiledBox {
  const table: DecisionTable = {
    id: 'boxed.table',
    title: 'boxed table',
    ...(logic.hitPolicy ? { hitPolicy: logic.hitPolicy } : {}),
    ...(logic.aggregation ? { aggregation: logic.aggregation } : {}),
    inputs: logic.inputs,
    outputs: logic.outputs,
    rules: logic.rules,
  };
  if (!Array.isArray(logic.inputs) || !Array.isArray(logic.outputs)) {
    add(ctx, at.path, 'SCHEMA_TYPE_ARRAY');
    return NULL_BOX;
  }
  let ok = true;
  logic.inputs.forEach((c, i) => {
    if (!isObject(c) || c.expression !== undefined) return;
    const head = (c.path ?? c.name).split('.')[0]!;
    if (!scope.has(head)) {
      add(ctx, `${at.path}/inputs/${i}/${c.path !== undefined ? 'path' : 'name'}`, 'FEEL_UNKNOWN_NAME', { name: head });
      ok = false;
    }
  });
  let compiled;
  try {
    compiled = compileTable(table);
  } catch (err) {
    if (!(err instanceof TableError)) throw err;
    for (const p of err.details) ctx.problems.push({ ...p, path: `${at.path}${p.path}` });
    return NULL_BOX;
  }
  if (!ok) return NULL_BOX;
  const heads = [...new Set(logic.inputs.filter((c) => c.expression === undefined).map((c) => (c.path ?? c.name).split('.')[0]!))];
  const outputs = logic.outputs;
  const single = outputs.length === 1;
  const readers = outputs.map((o) => (['date', 'time', 'dateTime', 'duration'].includes(o.type) ? coercerFor(o.type) : null));
  const read = (record: Record<string, JsonValue>): FeelValue => {
    const out: FeelContext = {};
    outputs.forEach((o, i) => {
      const v = record[o.name] ?? null;
      out[o.name] = readers[i] && typeof v === 'string' ? (readers[i]!(v) ?? null) : fromJsonValue(v);
    });
    return single ? out[outputs[0]!.name]! : out;
  };
  const aggregated = logic.aggregation !== undefined;
  const collects = ['COLLECT', 'RULE ORDER', 'OUTPUT ORDER'].includes(logic.hitPolicy ?? 'UNIQUE') && !aggregated;
  return {
    fn: (vars) => {
      const caseJson: Record<string, unknown> = {};
      for (const h of heads) if (Object.hasOwn(vars, h)) caseJson[h] = toJson(vars[h]!);
      const { output } = compiled.evaluate(caseJson);
      if (output === null) return null;
      if (Array.isArray(output)) return output.map(read);
      if (aggregated) return fromJsonValue(Object.values(output)[0] ?? null);
      return read(output);
    },
    type: collects ? 'list' : aggregated ? 'number' : single ? outputs[0]!.type : 'context',
  };
}

function fromJsonValue(v: JsonValue): FeelValue {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(fromJsonValue);
  const out: FeelContext = {};
  for (const [k, x] of Object.entries(v)) if (k !== '__proto__') out[k] = fromJsonValue(x);
  return out;
}
