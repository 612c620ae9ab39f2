// What the parts of the FEEL built-in registry (builtins.ts, builtins-strings.ts, builtins-lists.ts) share: reading
// their arguments (a list, a number, a whole number, a string) and the few computations more than one group uses.
import type Decimal from 'decimal.js';
import { LimitError } from './errors.ts';
import { MAX_DECIMAL_SCALE, MAX_LIST_LENGTH, MAX_STRING_LENGTH, MIN_DECIMAL_SCALE } from './limits.ts';
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
  kindOf,
  type FeelContext,
  type FeelValue,
} from './values.ts';

/** Functions over a list also take their items as separate arguments: `sum(1, 2)` = `sum([1, 2])`. */
export function listArg(args: FeelValue[]): FeelValue[] | null {
  if (args.length === 1 && Array.isArray(args[0])) return args[0];
  if (args.length === 1 && args[0] === null) return null;
  return args;
}

export function numbers(args: FeelValue[]): (number | Dec)[] | null {
  const list = listArg(args);
  if (!list || !list.every(isNumber)) return null;
  return list as (number | Dec)[];
}

export function str(v: FeelValue | undefined): string | null {
  return typeof v === 'string' ? v : null;
}

export function int(v: FeelValue | undefined): number | null {
  if (!isNumber(v)) return null;
  const n = new Dec(v);
  return n.isInteger() ? n.toNumber() : null;
}

/**
 * A position, length or scale: a number, its fraction dropped (DMN 1.5 reads `substring("foobar", 3, 3.8)` as
 * length 3, and the TCK holds every runtime to it).
 */
export function whole(v: FeelValue | undefined): number | null {
  return isNumber(v) ? new Dec(v).trunc().toNumber() : null;
}

/** FEEL's singleton-list conversion (10.3.2.9.4): a value where a list is expected is a list of that one value. */
export function asList(v: FeelValue | undefined): FeelValue[] | null {
  if (v === undefined || v === null) return null;
  return Array.isArray(v) ? v : [v];
}

export function isContext(v: FeelValue | undefined): v is FeelContext {
  return v !== null && v !== undefined && typeof v === 'object' && (v as object).constructor === Object;
}

export function extreme(args: FeelValue[], sign: 1 | -1): FeelValue {
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

export function toString(v: FeelValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Dec) return v.toString();
  if (v instanceof FeelDate || v instanceof FeelTime || v instanceof FeelDateTime || v instanceof FeelDuration) return v.toString();
  return null;
}

export function dateOf(v: FeelValue | undefined): FeelDate | null {
  if (v instanceof FeelDate) return v;
  if (!(v instanceof FeelDateTime)) return null;
  return dateFromDay(Math.floor(v.local / 86_400));
}

/** A list a function builds, refused beyond MAX_LIST_LENGTH items (an error, not a server out of memory). */
export function built(list: FeelValue[]): FeelValue[] {
  if (list.length > MAX_LIST_LENGTH) throw new LimitError({ code: 'LIMIT_LIST_LENGTH', params: { length: list.length, limit: MAX_LIST_LENGTH } });
  return list;
}

/** A scale decimal128 can hold (DMN's range); any other scale makes the rounding functions answer null. */
export function scaleOf(v: FeelValue | undefined): number | null {
  const n = whole(v);
  return n !== null && n >= MIN_DECIMAL_SCALE && n <= MAX_DECIMAL_SCALE ? n : null;
}

/** One key per FEEL-equal primitive (1 and 1.0 alike), or null for values compared with equals(). */
export function primitiveKey(v: FeelValue): string | null {
  if (v === null) return 'null';
  if (typeof v === 'string') return `s${v}`;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (isNumber(v)) return `n${new Dec(v).toString()}`;
  return null;
}

export function allBooleans(args: FeelValue[]): (boolean | null)[] | null {
  const list = listArg(args);
  return list && list.every((v) => typeof v === 'boolean' || v === null) ? (list as (boolean | null)[]) : null;
}

/** Two strings, or null: the shape of `contains`, `starts with`, `substring before` and their kin. */
export function strings(args: FeelValue[], fn: (s: string, match: string) => FeelValue): FeelValue {
  const [s, match] = args;
  return typeof s === 'string' && typeof match === 'string' ? fn(s, match) : null;
}

/** A string whose length stays within MAX_STRING_LENGTH (string join, replace). */
export function builtString(s: string): string {
  if (s.length > MAX_STRING_LENGTH) throw new LimitError({ code: 'LIMIT_STRING_LENGTH', params: { length: s.length, limit: MAX_STRING_LENGTH } });
  return s;
}

/** Rounding to a scale in one of decimal.js's modes: the shape of floor/ceiling with a scale and the round functions. */
export function rounding(mode: Decimal.Rounding) {
  return (args: FeelValue[]): FeelValue => {
    const n = args[0];
    const scale = args.length < 2 ? 0 : scaleOf(args[1]);
    if (!isNumber(n) || scale === null) return null;
    return new Dec(n).toDecimalPlaces(scale, mode);
  };
}

/** The optional `flags` of matches/replace: absent or null reads as no flags; anything but a string is invalid. */
export function flagsOf(v: FeelValue | undefined): string | null {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : null;
}

/** A 1-based position into a list of `length` items (negative from the end), as a 0-based index, or null. */
export function positionOf(v: FeelValue | undefined, length: number): number | null {
  const p = whole(v);
  if (p === null || p === 0 || Math.abs(p) > length) return null;
  return p > 0 ? p - 1 : length + p;
}

/** The ISO day of the week (Monday 1 … Sunday 7) of a day number; 1970-01-01 was a Thursday. */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export const DAY_NAMES = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
export const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Whether two values are the same element of FEEL's domain (`is`): same kind, equal, and the same offset. */
export function same(a: FeelValue, b: FeelValue): boolean {
  if (a === null || b === null) return a === b;
  if (kindOf(a) !== kindOf(b)) return false;
  if (a instanceof FeelTime && b instanceof FeelTime) return a.seconds === b.seconds && a.offset === b.offset && a.zone === b.zone;
  if (a instanceof FeelDateTime && b instanceof FeelDateTime) {
    return a.local === b.local && a.nanos === b.nanos && a.offset === b.offset && a.zone === b.zone;
  }
  return equals(a, b) === true;
}

export function median(sorted: Dec[]): Dec {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : sorted[mid - 1]!.plus(sorted[mid]!).div(2);
}

export function sortedNumbers(list: (number | Dec)[]): Dec[] {
  return list.map((v) => new Dec(v)).sort((a, b) => a.cmp(b));
}

/** A FEEL function value's answer as a boolean, or null when it is not one (sort, list replace). */
export function callBoolean(fn: FeelValue, ...args: FeelValue[]): boolean | null {
  if (typeof fn !== 'function') return null;
  const r = fn(...args);
  return typeof r === 'boolean' ? r : null;
}

/** `context put` along a path of keys: each key but the last must name a context. */
export function putPath(ctx: FeelContext, keys: readonly string[], value: FeelValue): FeelContext | null {
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

