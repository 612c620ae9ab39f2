// The FEEL built-in functions Beslis supports, in one registry: the parser takes its multi-word names (and multi-word
// parameter names) from here, the compiler its named parameters and argument checks. Adding a DMN built-in is one
// entry in BUILTINS (or in its parts: builtins-strings.ts, builtins-lists.ts, builtins-ranges.ts, which share the argument
// readers of builtin-args.ts). Each body returns null on argument values it cannot use, as FEEL does.
import { arithmetic } from './arithmetic.ts';
import type { EngineMessage } from './messages.ts';
import type { Builtin, BuiltinEntry } from './builtin-entry.ts';
import { RANGE_BUILTINS } from './builtins-ranges.ts';
import {
  civilFromDays,
  dateFromDay,
  daysFromCivil,
  Dec,
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelTime,
  isNumber,
  makeDateTime,
  makeDuration,
  parseDate,
  parseDateTime,
  parseDuration,
  parseTime,
  type FeelContext,
  type FeelFunction,
  type FeelValue,
} from './values.ts';
import {
  allBooleans,
  dateOf,
  DAY_NAMES,
  extreme,
  int,
  isContext,
  isoWeekday,
  listArg,
  median,
  MONTH_NAMES,
  numbers,
  putPath,
  rounding,
  same,
  scaleOf,
  sortedNumbers,
  str,
  toString,
} from './builtin-args.ts';
import { LIST_BUILTINS } from './builtins-lists.ts';
import { STRING_BUILTINS } from './builtins-strings.ts';

const BUILTINS: Record<string, BuiltinEntry> = {
  // ---- conversion ------------------------------------------------------------------------------------------------
  date: { scalar: true,
    forms: ['from', 'year, month, day'],
    fn(args) {
      if (args.length === 3) {
        const [y, m, d] = args.map(int);
        if (y === null || m === null || d === null || y === undefined || m === undefined || d === undefined) return null;
        return parseDate(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
      }
      const a = args[0];
      if (a instanceof FeelDate || a instanceof FeelDateTime) return dateOf(a);
      const s = str(a);
      return s === null ? null : parseDate(s);
    },
  },
  time: { scalar: true,
    forms: ['from', 'hour, minute, second, offset?'],
    fn(args) {
      if (args.length >= 3) {
        const [h, m] = [int(args[0]), int(args[1])];
        const s = args[2];
        // Out-of-range parts give null (DMN 1.5, 10.3.4.1), not a clock reading 25:61.
        if (h === null || m === null || !isNumber(s) || h < 0 || h > 23 || m < 0 || m > 59 || new Dec(s).lt(0) || new Dec(s).gte(60)) return null;
        const offset = args[3] instanceof FeelDuration && args[3].kind === 'dayTime' ? args[3].amount : null;
        return new FeelTime(h * 3600 + m * 60 + new Dec(s).toNumber(), offset);
      }
      const a = args[0];
      if (a instanceof FeelTime) return a;
      if (a instanceof FeelDateTime) return new FeelTime(a.secondOfDay + a.nanos / 1e9, a.offset, a.zone);
      if (a instanceof FeelDate) return new FeelTime(0, 0);
      const s = str(a);
      return s === null ? null : parseTime(s);
    },
  },
  'date and time': { scalar: true,
    forms: ['from', 'date, time'],
    fn(args) {
      if (args.length === 2) {
        const [d, t] = args;
        if (!(t instanceof FeelTime)) return null;
        const day = d instanceof FeelDate ? d.day : d instanceof FeelDateTime ? Math.floor(d.local / 86_400) : null;
        if (day === null) return null;
        // The time's fraction goes in as nanoseconds: added to seconds since 1970 it would lose its last digits.
        const whole = Math.floor(t.seconds);
        return makeDateTime(day * 86_400 + whole, t.zone === null ? t.offset : null, Math.round((t.seconds - whole) * 1e9), t.zone);
      }
      const a = args[0];
      if (a instanceof FeelDateTime) return a;
      if (a instanceof FeelDate) return makeDateTime(a.day * 86_400, null);
      const s = str(a);
      return s === null ? null : parseDateTime(s);
    },
  },
  duration: { scalar: true,
    forms: ['from'],
    fn(args) {
      const s = str(args[0]);
      return s === null ? null : parseDuration(s);
    },
  },
  'years and months duration': { scalar: true,
    forms: ['from, to'],
    fn(args) {
      const a = dateOf(args[0]);
      const b = dateOf(args[1]);
      if (!a || !b) return null;
      let months = (b.year - a.year) * 12 + (b.month - a.month);
      if (months > 0 && b.dayOfMonth < a.dayOfMonth) months--;
      if (months < 0 && b.dayOfMonth > a.dayOfMonth) months++;
      return makeDuration('yearMonth', months);
    },
  },
  number: { scalar: true,
    forms: ['from', 'from, grouping separator, decimal separator'],
    fn(args) {
      let s = str(args[0]);
      if (s === null) return null;
      if (args.length > 1) {
        // DMN 1.5 10.3.4.1: a grouping separator is a space, comma or period (or null), a decimal separator a comma
        // or period (or null), and the two differ.
        const [group, dec] = [args[1] ?? null, args[2] ?? null];
        if ((group !== null && group !== ' ' && group !== ',' && group !== '.') || (dec !== null && dec !== ',' && dec !== '.')) return null;
        if (group !== null && group === dec) return null;
        if (group !== null) s = s.split(group).join('');
        if (dec !== null && dec !== '.') {
          if (s.includes('.')) return null;
          s = s.split(dec).join('.');
        }
      }
      if (!/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())) return null;
      return new Dec(s.trim());
    },
  },
  string: { forms: ['from'], fn: (args) => toString(args[0] ?? null) },

  // ---- boolean ---------------------------------------------------------------------------------------------------
  not: { scalar: true, forms: ['negand'], fn: (args) => (typeof args[0] === 'boolean' ? !args[0] : null) },
  all: {
    forms: ['list', 'b, ...b'],
    fn(args) {
      const list = allBooleans(args);
      if (!list) return null;
      if (list.includes(false)) return false;
      return list.includes(null) ? null : true;
    },
  },
  any: {
    forms: ['list', 'b, ...b'],
    fn(args) {
      const list = allBooleans(args);
      if (!list) return null;
      if (list.includes(true)) return true;
      return list.includes(null) ? null : false;
    },
  },

  // ---- numbers ---------------------------------------------------------------------------------------------------
  count: {
    forms: ['list', '...item'],
    fn(args) {
      const list = listArg(args);
      return list ? list.length : null;
    },
  },
  sum: {
    forms: ['list', 'n, ...n'],
    fn(args) {
      const list = numbers(args);
      // "the sum of numbers, or null if list is empty": sum([]) = null (DMN 1.5 Table 75).
      if (!list || list.length === 0) return null;
      return list.reduce<Dec>((acc, v) => acc.plus(v), new Dec(0));
    },
  },
  mean: {
    forms: ['list', 'n, ...n'],
    fn(args) {
      const list = numbers(args);
      if (!list || list.length === 0) return null;
      return list.reduce<Dec>((acc, v) => acc.plus(v), new Dec(0)).div(list.length);
    },
  },
  min: { forms: ['list', 'c, ...c'], fn: (args) => extreme(args, -1) },
  max: { forms: ['list', 'c, ...c'], fn: (args) => extreme(args, 1) },
  abs: { scalar: true,
    forms: ['n'],
    fn(args) {
      const v = args[0];
      if (isNumber(v)) return new Dec(v).abs();
      if (v instanceof FeelDuration) return new FeelDuration(v.kind, Math.abs(v.amount));
      return null;
    },
  },
  floor: { scalar: true, forms: ['n, scale?'], fn: rounding(Dec.ROUND_FLOOR) },
  ceiling: { scalar: true, forms: ['n, scale?'], fn: rounding(Dec.ROUND_CEIL) },
  'round up': { scalar: true, forms: ['n, scale'], fn: rounding(Dec.ROUND_UP) },
  'round down': { scalar: true, forms: ['n, scale'], fn: rounding(Dec.ROUND_DOWN) },
  'round half down': { scalar: true, forms: ['n, scale'], fn: rounding(Dec.ROUND_HALF_DOWN) },
  decimal: { scalar: true,
    forms: ['n, scale'],
    fn(args) {
      const [n, scale] = [args[0], scaleOf(args[1])];
      if (!isNumber(n) || scale === null) return null;
      return new Dec(n).toDecimalPlaces(scale, Dec.ROUND_HALF_EVEN);
    },
  },
  'round half up': { scalar: true,
    forms: ['n, scale'],
    fn(args) {
      const [n, scale] = [args[0], scaleOf(args[1])];
      if (!isNumber(n) || scale === null) return null;
      return new Dec(n).toDecimalPlaces(scale, Dec.ROUND_HALF_UP);
    },
  },
  modulo: { scalar: true,
    forms: ['dividend, divisor'],
    fn(args) {
      const [a, b] = args;
      if (!isNumber(a) || !isNumber(b) || new Dec(b).isZero()) return null;
      const x = new Dec(a);
      const y = new Dec(b);
      return x.minus(y.times(x.div(y).floor()));
    },
  },
  exp: { scalar: true, forms: ['number'], fn: (args) => (isNumber(args[0]) ? new Dec(args[0]).exp() : null) },
  log: { scalar: true, forms: ['number'], fn: (args) => (isNumber(args[0]) && new Dec(args[0]).gt(0) ? new Dec(args[0]).ln() : null) },
  odd: { scalar: true, forms: ['number'], fn: (args) => (int(args[0]) === null ? null : Math.abs(int(args[0])! % 2) === 1) },
  even: { scalar: true, forms: ['number'], fn: (args) => (int(args[0]) === null ? null : int(args[0])! % 2 === 0) },
  product: {
    forms: ['list', '...n'],
    fn(args) {
      const list = numbers(args);
      if (!list || list.length === 0) return null;
      return list.reduce<Dec>((acc, v) => acc.times(v), new Dec(1));
    },
  },
  median: {
    forms: ['list', '...n'],
    fn(args) {
      const list = numbers(args);
      return list && list.length > 0 ? median(sortedNumbers(list)) : null;
    },
  },
  stddev: {
    forms: ['list', '...n'],
    fn(args) {
      // The sample standard deviation (n - 1), as the specification's examples give.
      const list = numbers(args);
      if (!list || list.length < 2) return null;
      const xs = list.map((v) => new Dec(v));
      const mean = xs.reduce((acc, v) => acc.plus(v), new Dec(0)).div(xs.length);
      const squares = xs.reduce((acc, v) => acc.plus(v.minus(mean).pow(2)), new Dec(0));
      return squares.div(xs.length - 1).sqrt();
    },
  },
  mode: {
    forms: ['list', '...n'],
    fn(args) {
      const list = numbers(args);
      if (!list) return null;
      const counts = new Map<string, { n: Dec; count: number }>();
      for (const v of list) {
        const n = new Dec(v);
        const key = n.toString();
        const seen = counts.get(key);
        if (seen) seen.count++;
        else counts.set(key, { n, count: 1 });
      }
      const most = Math.max(0, ...[...counts.values()].map((c) => c.count));
      return [...counts.values()].filter((c) => c.count === most).map((c) => c.n).sort((a, b) => a.cmp(b));
    },
  },
  sqrt: { scalar: true, forms: ['number'], fn: (args) => (isNumber(args[0]) && new Dec(args[0]).gte(0) ? new Dec(args[0]).sqrt() : null) },

  ...STRING_BUILTINS,
  ...LIST_BUILTINS,
  // ---- contexts --------------------------------------------------------------------------------------------------
  'get value': {
    forms: ['m, key'],
    fn(args) {
      const [ctx, key] = args;
      if (typeof key !== 'string' || !isContext(ctx)) return null;
      return Object.hasOwn(ctx, key) ? ctx[key]! : null;
    },
  },
  'get entries': {
    forms: ['m'],
    fn(args) {
      const ctx = args[0];
      return isContext(ctx) ? Object.entries(ctx).map(([key, value]): FeelContext => ({ key, value })) : null;
    },
  },
  'context put': {
    forms: ['context, key, value', 'context, keys, value'],
    // Named `key:` is the one-key form: a key is a string (a list of one string is that string), never a path.
    named: {
      0: (args) => {
        const key = Array.isArray(args[1]) && args[1].length === 1 ? args[1][0] : args[1];
        return typeof key === 'string' ? BUILTINS['context put']!.fn([args[0] ?? null, key, args[2] ?? null]) : null;
      },
    },
    fn(args) {
      const [ctx, key, value] = [args[0], args[1], args[2] ?? null];
      if (!isContext(ctx)) return null;
      if (typeof key === 'string') return putPath(ctx, [key], value);
      if (Array.isArray(key) && key.length > 0 && key.every((k) => typeof k === 'string')) return putPath(ctx, key as string[], value);
      return null;
    },
  },
  'context merge': {
    forms: ['contexts'],
    fn(args) {
      const list = args[0];
      if (!Array.isArray(list) || !list.every(isContext)) return null;
      return Object.assign({}, ...(list as FeelContext[])) as FeelContext;
    },
  },
  context: {
    forms: ['entries'],
    fn(args) {
      const list = Array.isArray(args[0]) ? args[0] : isContext(args[0]) ? [args[0]] : null;
      if (!list) return null;
      const out: FeelContext = {};
      for (const entry of list) {
        if (!isContext(entry) || typeof entry.key !== 'string' || !Object.hasOwn(entry, 'value')) return null;
        if (Object.hasOwn(out, entry.key)) return null;
        out[entry.key] = entry.value!;
      }
      return out;
    },
  },

  // ---- date and time ---------------------------------------------------------------------------------------------
  'day of year': { scalar: true,
    forms: ['date'],
    fn(args) {
      const d = dateOf(args[0]);
      return d ? d.day - daysFromCivil(d.year, 1, 1) + 1 : null;
    },
  },
  'day of week': { scalar: true,
    forms: ['date'],
    fn(args) {
      const d = dateOf(args[0]);
      return d ? DAY_NAMES[isoWeekday(d.day) - 1]! : null;
    },
  },
  'month of year': { scalar: true,
    forms: ['date'],
    fn(args) {
      const d = dateOf(args[0]);
      return d ? MONTH_NAMES[d.month - 1]! : null;
    },
  },
  'week of year': { scalar: true,
    forms: ['date'],
    fn(args) {
      // ISO 8601: the week holding the year's first Thursday is week 1.
      const d = dateOf(args[0]);
      if (!d) return null;
      const thursday = d.day - isoWeekday(d.day) + 4;
      const [year] = civilFromDays(thursday);
      return Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1;
    },
  },
  // The clock in UTC: the server's zone is no part of a decision.
  now: { forms: [''], fn: () => makeDateTime(Date.now() / 1000, 0) },
  today: { forms: [''], fn: () => dateFromDay(Math.floor(Date.now() / 86_400_000)) },
  is: { forms: ['value1, value2'], fn: (args) => same(args[0] ?? null, args[1] ?? null) },
  ...RANGE_BUILTINS,
};

// ---- what the parser and the compiler derive from the registry ------------------------------------------------------

interface Param {
  readonly name: string;
  readonly optional: boolean;
  readonly rest: boolean;
}

interface Form {
  readonly params: readonly Param[];
  /** How many arguments the form needs, and takes at most (Infinity with a rest parameter). */
  readonly min: number;
  readonly max: number;
  readonly text: string;
}

function parseForm(text: string): Form {
  const params = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p): Param => ({ name: p.replace(/^\.\.\./, '').replace(/\?$/, ''), optional: p.endsWith('?'), rest: p.startsWith('...') }));
  const min = params.filter((p) => !p.optional && !p.rest).length;
  const max = params.some((p) => p.rest) ? Infinity : params.length;
  return { params, min, max, text };
}

const FORMS: ReadonlyMap<string, readonly Form[]> = new Map(Object.entries(BUILTINS).map(([name, b]) => [name, b.forms.map(parseForm)]));

/** A body that unwraps singleton-list arguments first (BuiltinEntry.scalar); no copy when there is none. */
function unwrapping(fn: Builtin): Builtin {
  return (args) => {
    let out: FeelValue[] | null = null;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (Array.isArray(a) && a.length === 1) (out ??= args.slice())[i] = a[0]!;
    }
    return fn(out ?? args);
  };
}

/** The body each call gets: the entry's, unwrapping singleton lists for a scalar one. */
const BODIES: ReadonlyMap<string, Builtin> = new Map(Object.entries(BUILTINS).map(([name, b]) => [name, b.scalar ? unwrapping(b.fn) : b.fn]));

/** Whether `name` is a built-in function. */
export function isBuiltin(name: string): boolean {
  return Object.hasOwn(BUILTINS, name);
}

/**
 * A built-in named as a value (`bkm(abs, sqrt)`, DMN 1.5 10.3.2.13.1: a built-in function is a function value like
 * any other): called positionally, checked against its forms at each call (a wrong count is null), one per name.
 */
export function builtinValue(name: string): FeelFunction | null {
  if (!isBuiltin(name)) return null;
  let fn = VALUES.get(name);
  if (!fn) {
    fn = (...args: FeelValue[]) => {
      const call = resolveCall(name, args.length, null);
      return 'code' in call ? null : call.fn(args);
    };
    VALUES.set(name, fn);
  }
  return fn;
}

const VALUES = new Map<string, FeelFunction>();

/** The names of every built-in. */
export const BUILTIN_NAMES: readonly string[] = Object.keys(BUILTINS);

/**
 * Names with spaces the parser must read as one name: the built-ins' (`date and time`) and their parameters'
 * (`substring(string: "abc", start position: 2)`).
 */
export const MULTIWORD_NAMES: readonly string[] = [
  ...new Set([...FORMS].flatMap(([name, forms]) => [name, ...forms.flatMap((f) => f.params.map((p) => p.name))]).filter((n) => n.includes(' '))),
];

/**
 * A call, checked against the registry when a cell is compiled: the body to call and, for named arguments, where
 * each one goes among the positional ones.
 */
export interface ResolvedCall {
  readonly fn: Builtin;
  /** For named arguments: the positional index of each, in the order written; null for positional arguments. */
  readonly order: readonly number[] | null;
  /** How many positional arguments the body gets (named calls: up to the last parameter given). */
  readonly arity: number;
}

/** The ways `name` can be called, `round(n) | round(n, scale)`: a list with no words, the same in every language. */
function describeForms(name: string, forms: readonly Form[]): string {
  return forms.map((f) => `${name}(${f.text})`).join(' | ');
}

/**
 * Checks a call of `name` with `positional` arguments, or with the `named` parameter names, and returns how to
 * call it, or the message of the cell error that explains what is wrong.
 */
export function resolveCall(name: string, positional: number, named: readonly string[] | null, bindUnsupplied = false): ResolvedCall | EngineMessage {
  const entry = Object.hasOwn(BUILTINS, name) ? BUILTINS[name]! : undefined;
  const forms = FORMS.get(name);
  const body = BODIES.get(name);
  if (!entry || !forms || !body) return { code: 'FEEL_UNKNOWN_FUNCTION', params: { name } };
  if (named === null) {
    if (forms.some((f) => positional >= f.min && positional <= f.max)) return { fn: body, order: null, arity: positional };
    return { code: positional === 1 ? 'FEEL_ARGUMENT_COUNT_ONE' : 'FEEL_ARGUMENT_COUNT', params: { name, count: positional, forms: describeForms(name, forms) } };
  }
  if (positional > 0) return { code: 'FEEL_MIXED_ARGUMENTS', params: { name } };
  const repeated = named.find((n, i) => named.indexOf(n) !== i);
  if (repeated !== undefined) return { code: 'FEEL_PARAMETER_TWICE', params: { name, parameter: repeated } };
  // The form that has every name given, preferring one that needs no other. With bindUnsupplied, parameters not
  // given are bound to null (DMN 1.5 10.3.2.13.5: "If named, unsupplied parameters are bound to null"), so
  // is(value1: x) = is(x, null); without, leaving out a required one is the writer's mistake to be told of.
  let fallback: ResolvedCall | null = null;
  for (const [index, form] of forms.entries()) {
    if (form.params.some((p) => p.rest)) continue;
    const order = named.map((n) => form.params.findIndex((p) => p.name === n));
    if (order.includes(-1)) continue;
    const fn = entry.named?.[index] ?? body;
    const missing = form.params.filter((p, i) => !p.optional && !order.includes(i));
    if (missing.length === 0) return { fn, order, arity: Math.max(0, ...order.map((i) => i + 1)) };
    fallback ??= { fn, order, arity: form.params.length };
  }
  if (fallback && bindUnsupplied) return fallback;
  const unknown = named.find((n) => !forms.some((f) => f.params.some((p) => p.name === n)));
  if (unknown !== undefined) return { code: 'FEEL_UNKNOWN_PARAMETER', params: { name, parameter: unknown, forms: describeForms(name, forms) } };
  return { code: 'FEEL_PARAMETERS', params: { name, parameters: named.join(', '), forms: describeForms(name, forms) } };
}

export { arithmetic };
