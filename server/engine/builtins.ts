// The FEEL built-in functions Beslis supports, in one registry: the parser takes its multi-word names (and multi-word
// parameter names) from here, the compiler its named parameters and argument checks. Adding a DMN built-in is one
// entry in BUILTINS. Each body returns null on argument values it cannot use, as FEEL does.
import type Decimal from 'decimal.js';
import { arithmetic } from './arithmetic.ts';
import { LimitError } from './errors.ts';
import type { EngineMessage } from './messages.ts';
import { MAX_DECIMAL_SCALE, MAX_ITERATION_STEPS, MAX_LIST_LENGTH, MAX_STRING_LENGTH, MIN_DECIMAL_SCALE } from './limits.ts';
import type { Builtin, BuiltinEntry } from './builtin-entry.ts';
import { RANGE_BUILTINS } from './builtins-ranges.ts';
import { checkWork, replacementOf, xpathRegex } from './regex.ts';
import {
  compare,
  civilFromDays,
  dateFromDay,
  daysFromCivil,
  Dec,
  equals,
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelTime,
  isNumber,
  kindOf,
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

/**
 * A position, length or scale: a number, its fraction dropped (DMN 1.5 reads `substring("foobar", 3, 3.8)` as
 * length 3, and the TCK holds every runtime to it).
 */
function whole(v: FeelValue | undefined): number | null {
  return isNumber(v) ? new Dec(v).trunc().toNumber() : null;
}

/** FEEL's singleton-list conversion (10.3.2.9.4): a value where a list is expected is a list of that one value. */
function asList(v: FeelValue | undefined): FeelValue[] | null {
  if (v === undefined || v === null) return null;
  return Array.isArray(v) ? v : [v];
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
  if (list.length > MAX_LIST_LENGTH) throw new LimitError({ code: 'LIMIT_LIST_LENGTH', params: { length: list.length, limit: MAX_LIST_LENGTH } });
  return list;
}

/** A scale decimal128 can hold (DMN's range); any other scale makes the rounding functions answer null. */
function scaleOf(v: FeelValue | undefined): number | null {
  const n = whole(v);
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


/** A string whose length stays within MAX_STRING_LENGTH (string join, replace). */
function builtString(s: string): string {
  if (s.length > MAX_STRING_LENGTH) throw new LimitError({ code: 'LIMIT_STRING_LENGTH', params: { length: s.length, limit: MAX_STRING_LENGTH } });
  return s;
}

/** Rounding to a scale in one of decimal.js's modes: the shape of floor/ceiling with a scale and the round functions. */
function rounding(mode: Decimal.Rounding) {
  return (args: FeelValue[]): FeelValue => {
    const n = args[0];
    const scale = args.length < 2 ? 0 : scaleOf(args[1]);
    if (!isNumber(n) || scale === null) return null;
    return new Dec(n).toDecimalPlaces(scale, mode);
  };
}

/** The optional `flags` of matches/replace: absent or null reads as no flags; anything but a string is invalid. */
function flagsOf(v: FeelValue | undefined): string | null {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : null;
}

/** A 1-based position into a list of `length` items (negative from the end), as a 0-based index, or null. */
function positionOf(v: FeelValue | undefined, length: number): number | null {
  const p = whole(v);
  if (p === null || p === 0 || Math.abs(p) > length) return null;
  return p > 0 ? p - 1 : length + p;
}

/** The ISO day of the week (Monday 1 … Sunday 7) of a day number; 1970-01-01 was a Thursday. */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Whether two values are the same element of FEEL's domain (`is`): same kind, equal, and the same offset. */
function same(a: FeelValue, b: FeelValue): boolean {
  if (a === null || b === null) return a === b;
  if (kindOf(a) !== kindOf(b)) return false;
  if (a instanceof FeelTime && b instanceof FeelTime) return a.seconds === b.seconds && a.offset === b.offset && a.zone === b.zone;
  if (a instanceof FeelDateTime && b instanceof FeelDateTime) {
    return a.local === b.local && a.nanos === b.nanos && a.offset === b.offset && a.zone === b.zone;
  }
  return equals(a, b) === true;
}

function median(sorted: Dec[]): Dec {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : sorted[mid - 1]!.plus(sorted[mid]!).div(2);
}

function sortedNumbers(list: (number | Dec)[]): Dec[] {
  return list.map((v) => new Dec(v)).sort((a, b) => a.cmp(b));
}

/** A FEEL function value's answer as a boolean, or null when it is not one (sort, list replace). */
function callBoolean(fn: FeelValue, ...args: FeelValue[]): boolean | null {
  if (typeof fn !== 'function') return null;
  const r = fn(...args);
  return typeof r === 'boolean' ? r : null;
}

/** `context put` along a path of keys: each key but the last must name a context. */
function putPath(ctx: FeelContext, keys: readonly string[], value: FeelValue): FeelContext | null {
  const [key, ...rest] = keys;
  if (key === undefined) return null;
  let inner: FeelValue = value;
  if (rest.length > 0) {
    const current = Object.hasOwn(ctx, key) ? ctx[key]! : null;
    if (!isContext(current)) return null;
    inner = putPath(current, rest, value);
    if (inner === null) return null;
  }
  const out: FeelContext = { ...ctx };
  out[key] = inner;
  return out;
}

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

  // ---- strings ---------------------------------------------------------------------------------------------------
  'string length': { scalar: true, forms: ['string'], fn: (args) => (typeof args[0] === 'string' ? [...args[0]].length : null) },
  'upper case': { scalar: true, forms: ['string'], fn: (args) => (typeof args[0] === 'string' ? args[0].toUpperCase() : null) },
  'lower case': { scalar: true, forms: ['string'], fn: (args) => (typeof args[0] === 'string' ? args[0].toLowerCase() : null) },
  contains: { scalar: true, forms: ['string, match'], fn: (args) => strings(args, (s, m) => s.includes(m)) },
  'starts with': { scalar: true, forms: ['string, match'], fn: (args) => strings(args, (s, m) => s.startsWith(m)) },
  'ends with': { scalar: true, forms: ['string, match'], fn: (args) => strings(args, (s, m) => s.endsWith(m)) },
  substring: { scalar: true,
    forms: ['string, start position, length?'],
    fn(args) {
      const s = str(args[0]);
      const start = whole(args[1]);
      const length = args[2] === undefined ? undefined : whole(args[2]);
      if (s === null || start === null || length === null || start === 0) return null;
      const chars = [...s];
      const from = start > 0 ? start - 1 : chars.length + start;
      return chars.slice(from, length === undefined ? undefined : from + length).join('');
    },
  },
  'substring before': { scalar: true,
    forms: ['string, match'],
    fn: (args) => strings(args, (s, m) => (s.includes(m) ? s.slice(0, s.indexOf(m)) : '')),
  },
  'substring after': { scalar: true,
    forms: ['string, match'],
    fn: (args) => strings(args, (s, m) => (s.includes(m) ? s.slice(s.indexOf(m) + m.length) : '')),
  },

  matches: { scalar: true,
    forms: ['input, pattern, flags?'],
    fn(args) {
      const [input, pattern, flags] = [str(args[0]), str(args[1]), flagsOf(args[2])];
      if (input === null || pattern === null || flags === null) return null;
      const regex = xpathRegex(pattern, flags);
      if (!regex) return null;
      checkWork(regex, input);
      return regex.re.test(input);
    },
  },
  replace: { scalar: true,
    forms: ['input, pattern, replacement, flags?'],
    fn(args) {
      const [input, pattern, replacement, flags] = [str(args[0]), str(args[1]), str(args[2]), flagsOf(args[3])];
      if (input === null || pattern === null || replacement === null || flags === null) return null;
      const regex = xpathRegex(pattern, flags, true);
      // XPath 3.1 (FORX0003): a pattern that matches the empty string is an error.
      if (!regex || ''.replace(regex.re, 'x') !== '') return null;
      checkWork(regex, input);
      const re = regex.re;
      const groups = new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')!.length - 1;
      const replace = replacementOf(replacement, groups);
      if (!replace) return null;
      return builtString(input.replace(re, (match: string, ...rest: unknown[]) => replace(match, rest.slice(0, groups) as (string | undefined)[])));
    },
  },
  split: { scalar: true,
    forms: ['string, delimiter'],
    fn(args) {
      const [s, delimiter] = [str(args[0]), str(args[1])];
      if (s === null || delimiter === null) return null;
      const regex = xpathRegex(delimiter, '', true);
      if (!regex || ''.replace(regex.re, 'x') !== '') return null;
      checkWork(regex, s);
      const out: string[] = [];
      let from = 0;
      for (const m of s.matchAll(regex.re)) {
        out.push(s.slice(from, m.index));
        from = m.index + m[0].length;
      }
      out.push(s.slice(from));
      return built(out);
    },
  },
  'string join': {
    forms: ['list, delimiter?'],
    fn(args) {
      const [list, delimiter] = [asList(args[0]), args[1] ?? null];
      if (!list || (delimiter !== null && typeof delimiter !== 'string')) return null;
      if (!list.every((v) => v === null || typeof v === 'string')) return null;
      return builtString(list.filter((v) => v !== null).join(delimiter ?? ''));
    },
  },

  // ---- lists -----------------------------------------------------------------------------------------------------
  sublist: {
    forms: ['list, start position, length?'],
    fn(args) {
      const list = asList(args[0]);
      if (!list) return null;
      const from = positionOf(args[1], list.length);
      const length = args[2] === undefined ? list.length : whole(args[2]);
      if (from === null || length === null || length < 0 || (args[2] !== undefined && from + length > list.length)) return null;
      return list.slice(from, from + length);
    },
  },
  remove: {
    forms: ['list, position'],
    fn(args) {
      const list = asList(args[0]);
      if (!list) return null;
      const at = positionOf(args[1], list.length);
      return at === null ? null : [...list.slice(0, at), ...list.slice(at + 1)];
    },
  },
  'list replace': {
    forms: ['list, position, newItem', 'list, match, newItem'],
    fn(args) {
      const [list, where, item] = [asList(args[0]), args[1], args[2] ?? null];
      if (!list) return null;
      if (typeof where === 'function') {
        const out: FeelValue[] = [];
        for (const v of list) {
          const hit = callBoolean(where, v, item);
          if (hit === null) return null;
          out.push(hit ? item : v);
        }
        return out;
      }
      const at = positionOf(where, list.length);
      if (at === null) return null;
      const out = [...list];
      out[at] = item;
      return out;
    },
  },
  union: {
    forms: ['...list'],
    fn(args) {
      if (!args.every(Array.isArray)) return null;
      return BUILTINS['distinct values']!.fn([built((args as FeelValue[][]).flat(1))]);
    },
  },
  sort: {
    forms: ['list, precedes?'],
    fn(args) {
      const [list, precedes] = [args[0], args[1]];
      if (!Array.isArray(list)) return null;
      let failed = false;
      const order = (a: FeelValue, b: FeelValue): number => {
        if (failed) return 0;
        if (precedes === undefined || precedes === null) {
          const c = compare(a, b);
          if (c === null) failed = true;
          return c ?? 0;
        }
        const before = callBoolean(precedes, a, b);
        if (before === null) {
          failed = true;
          return 0;
        }
        if (before) return -1;
        return callBoolean(precedes, b, a) === true ? 1 : 0;
      };
      // Array.prototype.sort is a stable merge sort in V8: n log n calls of `precedes`.
      const out = [...list].sort(order);
      return failed ? null : out;
    },
  },
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
            throw new LimitError({ code: 'LIMIT_DISTINCT_PAIRS', params: { limit: MAX_ITERATION_STEPS } });
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
