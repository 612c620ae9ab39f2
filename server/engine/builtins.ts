// The FEEL built-in functions Beslis supports, in one registry: the parser takes its multi-word names (and multi-word
// parameter names) from here, the compiler its named parameters and argument checks. Adding a DMN built-in is one
// entry in BUILTINS. Each body returns null on argument values it cannot use, as FEEL does.
import { arithmetic } from './arithmetic.ts';
import { LimitError } from './errors.ts';
import { MAX_DECIMAL_SCALE, MAX_ITERATION_STEPS, MAX_LIST_LENGTH, MIN_DECIMAL_SCALE } from './limits.ts';
import {
  compare,
  dateFromDay,
  Dec,
  equals,
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
  type FeelValue,
} from './values.ts';

export type Builtin = (args: FeelValue[]) => FeelValue;

/**
 * A built-in: the parameter lists of its forms, written as in the DMN specification (`'string, start position,
 * length?'`: `?` marks a parameter that may be left out, `...` one that takes the rest, zero or more), and its body,
 * which gets the arguments in the order of the form that was called.
 */
interface BuiltinEntry {
  readonly forms: readonly string[];
  readonly fn: Builtin;
}

/** Functions over a list also take their items as separate arguments: `sum(1, 2)` = `sum([1, 2])`. */
function listArg(args: FeelValue[]): FeelValue[] | null {
  if (args.length === 1 && Array.isArray(args[0])) return args[0];
  if (args.length === 1 && args[0] === null) return null;
  return args;
}

function numbers(args: FeelValue[]): (number | Dec)[] | null {
  const list = listArg(args);
  if (!list || !list.every(isNumber)) return null;
  return list as (number | Dec)[];
}

function str(v: FeelValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

function int(v: FeelValue | undefined): number | null {
  if (!isNumber(v)) return null;
  const n = new Dec(v);
  return n.isInteger() ? n.toNumber() : null;
}

function isContext(v: FeelValue | undefined): v is FeelContext {
  return v !== null && v !== undefined && typeof v === 'object' && (v as object).constructor === Object;
}

function extreme(args: FeelValue[], sign: 1 | -1): FeelValue {
  const list = listArg(args);
  if (!list || list.length === 0) return null;
  let best: FeelValue = list[0]!;
  for (const v of list.slice(1)) {
    const c = compare(v, best);
    if (c === null) return null;
    if (c * sign > 0) best = v;
  }
  return best;
}

function toString(v: FeelValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Dec) return v.toString();
  if (v instanceof FeelDate || v instanceof FeelTime || v instanceof FeelDateTime || v instanceof FeelDuration) return v.toString();
  return null;
}

function dateOf(v: FeelValue | undefined): FeelDate | null {
  if (v instanceof FeelDate) return v;
  if (!(v instanceof FeelDateTime)) return null;
  return dateFromDay(Math.floor(v.local / 86_400));
}

/** A list a function builds, refused beyond MAX_LIST_LENGTH items (an error, not a server out of memory). */
function built(list: FeelValue[]): FeelValue[] {
  if (list.length > MAX_LIST_LENGTH) throw new LimitError(`a list would grow to ${list.length} items, more than the ${MAX_LIST_LENGTH} a FEEL list may have`);
  return list;
}

/** A scale decimal128 can hold (DMN's range); any other scale makes the rounding functions answer null. */
function scaleOf(v: FeelValue | undefined): number | null {
  const n = int(v);
  return n !== null && n >= MIN_DECIMAL_SCALE && n <= MAX_DECIMAL_SCALE ? n : null;
}

/** One key per FEEL-equal primitive (1 and 1.0 alike), or null for values compared with equals(). */
function primitiveKey(v: FeelValue): string | null {
  if (v === null) return 'null';
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (isNumber(v)) return `n${new Dec(v).toString()}`;
  return null;
}

function allBooleans(args: FeelValue[]): (boolean | null)[] | null {
  const list = listArg(args);
  return list && list.every((v) => typeof v === 'boolean' || v === null) ? (list as (boolean | null)[]) : null;
}

/** Two strings, or null: the shape of `contains`, `starts with`, `substring before` and their kin. */
function strings(args: FeelValue[], fn: (s: string, match: string) => FeelValue): FeelValue {
  const [s, match] = args;
  return typeof s === 'string' && typeof match === 'string' ? fn(s, match) : null;
}

const BUILTINS: Record<string, BuiltinEntry> = {
  // ---- conversion ------------------------------------------------------------------------------------------------
  date: {
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
  time: {
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
      if (a instanceof FeelDateTime) {
        const day = Math.floor(a.local / 86_400);
        return new FeelTime(a.local - day * 86_400, a.offset);
      }
      if (a instanceof FeelDate) return new FeelTime(0, 0);
      const s = str(a);
      return s === null ? null : parseTime(s);
    },
  },
  'date and time': {
    forms: ['from', 'date, time'],
    fn(args) {
      if (args.length === 2) {
        const [d, t] = args;
        if (!(t instanceof FeelTime)) return null;
        if (d instanceof FeelDate) return makeDateTime(d.day * 86_400 + t.seconds, t.offset);
        if (d instanceof FeelDateTime) return makeDateTime(Math.floor(d.local / 86_400) * 86_400 + t.seconds, t.offset);
        return null;
      }
      const a = args[0];
      if (a instanceof FeelDateTime) return a;
      if (a instanceof FeelDate) return makeDateTime(a.day * 86_400, null);
      const s = str(a);
      return s === null ? null : parseDateTime(s);
    },
  },
  duration: {
    forms: ['from'],
    fn(args) {
      const s = str(args[0]);
      return s === null ? null : parseDuration(s);
    },
  },
  'years and months duration': {
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
  number: {
    forms: ['from'],
    fn(args) {
      const s = str(args[0]);
      if (s === null || !/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())) return null;
      return new Dec(s.trim());
    },
  },
  string: { forms: ['from'], fn: (args) => toString(args[0] ?? null) },

  // ---- boolean ---------------------------------------------------------------------------------------------------
  not: { forms: ['negand'], fn: (args) => (typeof args[0] === 'boolean' ? !args[0] : null) },
  all: {
    forms: ['list', '...b'],
    fn(args) {
      const list = allBooleans(args);
      if (!list) return null;
      if (list.includes(false)) return false;
      return list.includes(null) ? null : true;
    },
  },
  any: {
    forms: ['list', '...b'],
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
    forms: ['list', '...n'],
    fn(args) {
      const list = numbers(args);
      if (!list) return null;
      return list.reduce<Dec>((acc, v) => acc.plus(v), new Dec(0));
    },
  },
  mean: {
    forms: ['list', '...n'],
    fn(args) {
      const list = numbers(args);
      if (!list || list.length === 0) return null;
      return list.reduce<Dec>((acc, v) => acc.plus(v), new Dec(0)).div(list.length);
    },
  },
  min: { forms: ['list', '...c'], fn: (args) => extreme(args, -1) },
  max: { forms: ['list', '...c'], fn: (args) => extreme(args, 1) },
  abs: {
    forms: ['n'],
    fn(args) {
      const v = args[0];
      if (isNumber(v)) return new Dec(v).abs();
      if (v instanceof FeelDuration) return new FeelDuration(v.kind, Math.abs(v.amount));
      return null;
    },
  },
  floor: { forms: ['n'], fn: (args) => (isNumber(args[0]) ? new Dec(args[0]).floor() : null) },
  ceiling: { forms: ['n'], fn: (args) => (isNumber(args[0]) ? new Dec(args[0]).ceil() : null) },
  decimal: {
    forms: ['n, scale'],
    fn(args) {
      const [n, scale] = [args[0], scaleOf(args[1])];
      if (!isNumber(n) || scale === null) return null;
      return new Dec(n).toDecimalPlaces(scale, Dec.ROUND_HALF_EVEN);
    },
  },
  'round half up': {
    forms: ['n, scale'],
    fn(args) {
      const [n, scale] = [args[0], scaleOf(args[1])];
      if (!isNumber(n) || scale === null) return null;
      return new Dec(n).toDecimalPlaces(scale, Dec.ROUND_HALF_UP);
    },
  },
  modulo: {
    forms: ['dividend, divisor'],
    fn(args) {
      const [a, b] = args;
      if (!isNumber(a) || !isNumber(b) || new Dec(b).isZero()) return null;
      const x = new Dec(a);
      const y = new Dec(b);
      return x.minus(y.times(x.div(y).floor()));
    },
  },
  sqrt: { forms: ['number'], fn: (args) => (isNumber(args[0]) && new Dec(args[0]).gte(0) ? new Dec(args[0]).sqrt() : null) },

  // ---- strings ---------------------------------------------------------------------------------------------------
  'string length': { forms: ['string'], fn: (args) => (typeof args[0] === 'string' ? [...args[0]].length : null) },
  'upper case': { forms: ['string'], fn: (args) => (typeof args[0] === 'string' ? args[0].toUpperCase() : null) },
  'lower case': { forms: ['string'], fn: (args) => (typeof args[0] === 'string' ? args[0].toLowerCase() : null) },
  contains: { forms: ['string, match'], fn: (args) => strings(args, (s, m) => s.includes(m)) },
  'starts with': { forms: ['string, match'], fn: (args) => strings(args, (s, m) => s.startsWith(m)) },
  'ends with': { forms: ['string, match'], fn: (args) => strings(args, (s, m) => s.endsWith(m)) },
  substring: {
    forms: ['string, start position, length?'],
    fn(args) {
      const s = str(args[0]);
      const start = int(args[1]);
      const length = args[2] === undefined ? undefined : int(args[2]);
      if (s === null || start === null || length === null || start === 0) return null;
      const chars = [...s];
      const from = start > 0 ? start - 1 : chars.length + start;
      return chars.slice(from, length === undefined ? undefined : from + length).join('');
    },
  },
  'substring before': {
    forms: ['string, match'],
    fn: (args) => strings(args, (s, m) => (s.includes(m) ? s.slice(0, s.indexOf(m)) : '')),
  },
  'substring after': {
    forms: ['string, match'],
    fn: (args) => strings(args, (s, m) => (s.includes(m) ? s.slice(s.indexOf(m) + m.length) : '')),
  },

  // ---- lists -----------------------------------------------------------------------------------------------------
  'list contains': {
    forms: ['list, element'],
    fn(args) {
      const [list, item] = args;
      if (!Array.isArray(list)) return null;
      return list.some((v) => equals(v, item ?? null) === true);
    },
  },
  append: {
    forms: ['list, ...item'],
    fn(args) {
      const [list, ...items] = args;
      return Array.isArray(list) ? built([...list, ...items]) : null;
    },
  },
  concatenate: { forms: ['...list'], fn: (args) => (args.every(Array.isArray) ? built((args as FeelValue[][]).flat(1)) : null) },
  'insert before': {
    forms: ['list, position, newItem'],
    fn(args) {
      const [list, position, item] = [args[0], int(args[1]), args[2] ?? null];
      if (!Array.isArray(list) || position === null || position === 0 || Math.abs(position) > list.length) return null;
      const at = position > 0 ? position - 1 : list.length + position;
      return [...list.slice(0, at), item, ...list.slice(at)];
    },
  },
  flatten: {
    forms: ['list'],
    fn(args) {
      const flat = (v: FeelValue): FeelValue[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
      return Array.isArray(args[0]) ? built(flat(args[0])) : null;
    },
  },
  reverse: { forms: ['list'], fn: (args) => (Array.isArray(args[0]) ? [...args[0]].reverse() : null) },
  'distinct values': {
    forms: ['list'],
    fn(args) {
      if (!Array.isArray(args[0])) return null;
      // Strings, numbers, booleans and null are found by key (linear); other values compare with the others met.
      const seen = new Set<string>();
      const others: FeelValue[] = [];
      const out: FeelValue[] = [];
      let comparisons = 0;
      for (const v of args[0]) {
        const key = primitiveKey(v);
        if (key !== null) {
          if (seen.has(key)) continue;
          seen.add(key);
        } else {
          comparisons += others.length;
          if (comparisons > MAX_ITERATION_STEPS) {
            throw new LimitError(`distinct values would compare more than ${MAX_ITERATION_STEPS} pairs of lists or contexts`);
          }
          if (others.some((o) => equals(o, v) === true)) continue;
          others.push(v);
        }
        out.push(v);
      }
      return out;
    },
  },
  'index of': {
    forms: ['list, match'],
    fn(args) {
      const [list, item] = args;
      if (!Array.isArray(list)) return null;
      return list.flatMap((v, i) => (equals(v, item ?? null) === true ? [i + 1] : []));
    },
  },

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

function describeForms(name: string, forms: readonly Form[]): string {
  return forms.map((f) => `${name}(${f.text})`).join(' or ');
}

/**
 * Checks a call of `name` with `positional` arguments, or with the `named` parameter names, and returns how to
 * call it, or the message of the cell error that explains what is wrong.
 */
export function resolveCall(name: string, positional: number, named: readonly string[] | null): ResolvedCall | string {
  const entry = Object.hasOwn(BUILTINS, name) ? BUILTINS[name]! : undefined;
  const forms = FORMS.get(name);
  if (!entry || !forms) return `unknown function '${name}'`;
  if (named === null) {
    if (forms.some((f) => positional >= f.min && positional <= f.max)) return { fn: entry.fn, order: null, arity: positional };
    const s = positional === 1 ? '' : 's';
    return `'${name}' cannot take ${positional} argument${s}: expected ${describeForms(name, forms)}`;
  }
  if (positional > 0) return `'${name}' takes positional or named arguments, not both`;
  const repeated = named.find((n, i) => named.indexOf(n) !== i);
  if (repeated !== undefined) return `parameter '${repeated}' of '${name}' is given twice`;
  for (const form of forms) {
    if (form.params.some((p) => p.rest)) continue;
    const order = named.map((n) => form.params.findIndex((p) => p.name === n));
    if (order.includes(-1)) continue;
    const missing = form.params.filter((p, i) => !p.optional && !order.includes(i));
    if (missing.length > 0) continue;
    return { fn: entry.fn, order, arity: Math.max(0, ...order.map((i) => i + 1)) };
  }
  const unknown = named.find((n) => !forms.some((f) => f.params.some((p) => p.name === n)));
  if (unknown !== undefined) return `'${name}' has no parameter '${unknown}': expected ${describeForms(name, forms)}`;
  return `'${name}' cannot take the parameters ${named.join(', ')}: expected ${describeForms(name, forms)}`;
}

export { arithmetic };
