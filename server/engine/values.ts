// FEEL values and their comparison rules. Numbers are JS numbers on the hot path (inputs and literals) and
// decimal.js Decimals once arithmetic has run, so that money sums are exact; both compare as numbers.
import Decimal from 'decimal.js';
import { civilFromDays, daysFromCivil, daysInMonth } from './calendar.ts';
import { isZone, zoneOffsetAt, zoneOffsetForLocal } from './zones.ts';
import type { TextTypeName } from './types.ts';

// DMN numbers are IEEE 754 decimal128: 34 significant digits.
export const Dec = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = InstanceType<typeof Dec>;

// ---------------------------------------------------------------------------------------------------------------
// The calendar. DMN 1.5 (10.3.2.3.6) gives dates years from -999,999,999 to 999,999,999; a date, date-time or
// duration outside the representable range is null, never a malformed string. Days are counted with integer
// arithmetic (no JS Date, whose range ends at year 275,760), so every year of the range is exact.

export const MIN_YEAR = -999_999_999;
export const MAX_YEAR = 999_999_999;
/** Durations beyond this many months or seconds would lose whole units in a double: they are null. */
export const MAX_DURATION_AMOUNT = Number.MAX_SAFE_INTEGER;

export { civilFromDays, daysFromCivil, daysInMonth } from './calendar.ts';

const MIN_DAY = daysFromCivil(MIN_YEAR, 1, 1);
const MAX_DAY = daysFromCivil(MAX_YEAR, 12, 31);

/** A date, or null when it does not exist or lies outside the representable years. */
export function makeDate(year: number, month: number, day: number): FeelDate | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return new FeelDate(year, month, day);
}

/** The date of a day number, or null outside the representable years. */
export function dateFromDay(day: number): FeelDate | null {
  if (!Number.isFinite(day) || day < MIN_DAY || day > MAX_DAY) return null;
  const [y, m, d] = civilFromDays(Math.floor(day));
  return new FeelDate(y, m, d);
}

const NANOS = 1_000_000_000;

/**
 * A date-time from wall-clock seconds since the epoch (a fraction, or `nanos`, gives the part below the second), or
 * null outside what a double holds to the second (about 285 million years either side of 1970, inside the dates'
 * years) or in a zone the tz database does not know. With a zone, the offset is the zone's at that wall-clock time;
 * a time in a spring-forward gap moves on by the gap, as java.time does.
 */
export function makeDateTime(local: number, offset: number | null, nanos = 0, zone: string | null = null): FeelDateTime | null {
  if (!Number.isFinite(local) || Math.abs(local) > Number.MAX_SAFE_INTEGER) return null;
  let whole = Math.floor(local);
  let n = nanos + Math.round((local - whole) * NANOS);
  if (n >= NANOS) {
    whole += Math.floor(n / NANOS);
    n %= NANOS;
  }
  if (zone === null) return new FeelDateTime(whole, offset, n, null);
  const guess = zoneOffsetForLocal(zone, whole);
  if (guess === null) return null;
  const instant = whole - guess;
  const actual = zoneOffsetAt(zone, instant)!;
  return new FeelDateTime(instant + actual, actual, n, zone);
}

/** The date-time in `zone` (or at `offset` when there is none) of an instant: what instant arithmetic gives. */
export function dateTimeAtInstant(instant: number, nanos: number, offset: number | null, zone: string | null): FeelDateTime | null {
  if (zone === null) return makeDateTime(instant + (offset ?? 0), offset, nanos);
  const off = zoneOffsetAt(zone, instant);
  return off === null ? null : makeDateTime(instant + off, off, nanos, zone);
}

/**
 * A time of day. A time in a named zone has no date to read the zone's offset at: it takes the zone's offset on
 * 1970-01-01, so that it still compares (a choice; DMN 1.5 leaves it open), and prints with its zone.
 */
export function makeTime(seconds: number, offset: number | null, zone: string | null = null): FeelTime | null {
  if (!Number.isFinite(seconds)) return null;
  if (zone === null) return new FeelTime(seconds, offset, null);
  const off = zoneOffsetAt(zone, 0);
  return off === null ? null : new FeelTime(seconds, off, zone);
}

/** A duration, or null when its amount is not a finite number a double holds to the unit. */
export function makeDuration(kind: 'dayTime' | 'yearMonth', amount: number): FeelDuration | null {
  if (!Number.isFinite(amount) || Math.abs(amount) > MAX_DURATION_AMOUNT) return null;
  return new FeelDuration(kind, amount);
}

export class FeelDate {
  /** Days since 1970-01-01 (proleptic Gregorian, UTC): makes comparison a number comparison. */
  readonly day: number;
  /** Build through makeDate or dateFromDay, which keep to the representable years. */
  constructor(
    readonly year: number,
    readonly month: number,
    readonly dayOfMonth: number,
  ) {
    this.day = daysFromCivil(year, month, dayOfMonth);
  }
  toString(): string {
    return `${pad(this.year, 4)}-${pad(this.month, 2)}-${pad(this.dayOfMonth, 2)}`;
  }
}

export class FeelTime {
  /**
   * Seconds since midnight, with fractions. `offset` in seconds east of UTC, or null for a local time; `zone` an
   * IANA zone name (its offset then set by makeTime). Build through makeTime when there is a zone.
   */
  constructor(
    readonly seconds: number,
    readonly offset: number | null,
    readonly zone: string | null = null,
  ) {}
  /** Comparable instant: local times compare as if in UTC. */
  get key(): number {
    return this.seconds - (this.offset ?? 0);
  }
  toString(): string {
    const whole = Math.floor(this.seconds);
    return formatClock(whole, Math.round((this.seconds - whole) * NANOS)) + formatZone(this.offset, this.zone);
  }
}

export class FeelDateTime {
  /**
   * `local` is whole seconds since the epoch as if the wall-clock time were UTC, `nanos` the part below the second
   * (kept apart: a double of seconds since 1970 holds only microseconds). `offset` in seconds east of UTC or null
   * for a local date-time; `zone` an IANA name whose offset at this time `offset` is. Build through makeDateTime.
   */
  constructor(
    readonly local: number,
    readonly offset: number | null,
    readonly nanos: number = 0,
    readonly zone: string | null = null,
  ) {}
  /** The instant in whole seconds (a local date-time read as UTC); `nanos` orders equal keys. */
  get key(): number {
    return this.local - (this.offset ?? 0);
  }
  /** Whole seconds since the wall-clock midnight. */
  get secondOfDay(): number {
    return this.local - Math.floor(this.local / 86_400) * 86_400;
  }
  toString(): string {
    const day = Math.floor(this.local / 86_400);
    const [y, m, d] = civilFromDays(day);
    const date = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
    return `${date}T${formatClock(this.local - day * 86_400, this.nanos)}${formatZone(this.offset, this.zone)}`;
  }
}

/** A days-and-time duration (`seconds`) or a years-and-months duration (`months`): FEEL keeps them apart. */
export class FeelDuration {
  constructor(
    readonly kind: 'dayTime' | 'yearMonth',
    readonly amount: number,
  ) {}
  toString(): string {
    const neg = this.amount < 0 ? '-' : '';
    let rest = Math.abs(this.amount);
    if (this.kind === 'yearMonth') {
      const years = Math.floor(rest / 12);
      const months = rest % 12;
      if (rest === 0) return 'P0M';
      return `${neg}P${years ? `${years}Y` : ''}${months ? `${months}M` : ''}`;
    }
    if (rest === 0) return 'PT0S';
    const days = Math.floor(rest / 86_400);
    rest -= days * 86_400;
    const hours = Math.floor(rest / 3600);
    rest -= hours * 3600;
    const minutes = Math.floor(rest / 60);
    const seconds = Math.round((rest - minutes * 60) * 1e9) / 1e9;
    let time = '';
    if (hours) time += `${hours}H`;
    if (minutes) time += `${minutes}M`;
    if (seconds) time += `${seconds}S`;
    return `${neg}P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
  }
}

/** A FEEL range such as `[1..10)`, also the value of a comparison test used as an expression (`< 5`). */
export class FeelRange {
  constructor(
    readonly lowClosed: boolean,
    readonly low: FeelValue | undefined,
    readonly high: FeelValue | undefined,
    readonly highClosed: boolean,
    /** The comparison a range from a comparison test (`(< 10)`) was written as: it equals only the same comparison. */
    readonly op?: '=' | '!=' | '<' | '<=' | '>' | '>=',
  ) {}
}

/** The range a comparison test stands for: `< 10` is everything below 10, `= 10` just 10, `!= 10` all else. */
export function comparisonRange(op: '=' | '!=' | '<' | '<=' | '>' | '>=', v: FeelValue): FeelRange {
  switch (op) {
    case '<':
    case '<=':
      return new FeelRange(false, undefined, v, op === '<=', op);
    case '>':
    case '>=':
      return new FeelRange(op === '>=', v, undefined, false, op);
    default:
      return new FeelRange(true, v, v, true, op);
  }
}

export type FeelValue =
  | null
  | boolean
  | number
  | Dec
  | string
  | FeelDate
  | FeelTime
  | FeelDateTime
  | FeelDuration
  | FeelRange
  | FeelValue[]
  | FeelContext
  | FeelFunction;
export interface FeelContext {
  [key: string]: FeelValue;
}
export type FeelFunction = (...args: FeelValue[]) => FeelValue;

function pad(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width, '0');
  return n < 0 ? `-${s}` : s;
}

/** `hh:mm:ss` with the nanoseconds as a fraction without trailing zeros (a carry to 24:00 stays at 23:59:59.999…). */
function formatClock(wholeSeconds: number, nanos: number): string {
  let whole = wholeSeconds;
  let n = nanos;
  if (n >= NANOS) {
    whole += 1;
    n -= NANOS;
  }
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole - h * 3600) / 60);
  const s = whole - h * 3600 - m * 60;
  const frac = n > 0 ? `.${String(n).padStart(9, '0').replace(/0+$/, '')}` : '';
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${frac}`;
}

function formatZone(offset: number | null, zone: string | null): string {
  if (zone !== null) return `@${zone}`;
  if (offset === null) return '';
  if (offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const seconds = abs % 60;
  return `${sign}${pad(Math.floor(abs / 3600), 2)}:${pad(Math.floor((abs % 3600) / 60), 2)}${seconds ? `:${pad(seconds, 2)}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing the textual forms (used by date()/time()/duration() and by typed inputs).

// XML Schema: a year has four digits, or more without a leading zero (`01211` is not a year).
const DATE_RE = /^(-?(?:[1-9]\d{4,8}|\d{4}))-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2}(?::\d{2})?|@.+)?$/;

export function parseDate(text: string): FeelDate | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** An offset `Z`, `+hh:mm` or `+hh:mm:ss` in seconds, or undefined when out of range (beyond ±14 hours). */
function parseOffset(text: string): number | undefined {
  if (text === 'Z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const [h, m, s] = [Number(text.slice(1, 3)), Number(text.slice(4, 6)), text.length > 6 ? Number(text.slice(7, 9)) : 0];
  if (h > 14 || m > 59 || s > 59 || (h === 14 && (m > 0 || s > 0))) return undefined;
  return sign * (h * 3600 + m * 60 + s);
}

interface Clock {
  /** Whole seconds since midnight; 86,400 for `24:00:00`, the end of the day (XML Schema's reading). */
  seconds: number;
  nanos: number;
  offset: number | null;
  zone: string | null;
}

/** `hh:mm:ss(.f)` with an optional `Z`, offset or `@zone`; null when a part is out of range or the zone unknown. */
function parseClock(text: string): Clock | null {
  const m = TIME_RE.exec(text);
  if (!m) return null;
  const [h, min, s] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const nanos = m[4] ? Number(m[4].slice(1, 10).padEnd(9, '0')) : 0;
  if (h === 24 ? min > 0 || s > 0 || nanos > 0 : h > 23 || min > 59 || s > 59) return null;
  const zoneText = m[5];
  let offset: number | null = null;
  let zone: string | null = null;
  if (zoneText?.startsWith('@')) {
    zone = zoneText.slice(1);
    if (!isZone(zone)) return null;
  } else if (zoneText) {
    const o = parseOffset(zoneText);
    if (o === undefined) return null;
    offset = o;
  }
  return { seconds: h * 3600 + min * 60 + s, nanos, offset, zone };
}

export function parseTime(text: string): FeelTime | null {
  const c = parseClock(text);
  return c && makeTime((c.seconds % 86_400) + c.nanos / NANOS, c.offset, c.zone);
}

export function parseDateTime(text: string): FeelDateTime | null {
  const t = text.indexOf('T');
  if (t < 0) {
    const date = parseDate(text);
    return date ? makeDateTime(date.day * 86_400, null) : null;
  }
  const date = parseDate(text.slice(0, t));
  const clock = parseClock(text.slice(t + 1));
  if (!date || !clock) return null;
  // `T24:00:00` is the next day's midnight: the seconds carry into the day.
  return makeDateTime(date.day * 86_400 + clock.seconds, clock.offset, clock.nanos, clock.zone);
}

// Seconds as XML Schema writes them: `5`, `5.25`, `5.` or `.25`.
const DURATION_RE = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d*)?|\.\d+)S)?)?$/;

export function parseDuration(text: string): FeelDuration | null {
  const m = DURATION_RE.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const sign = m[1] ? -1 : 1;
  const [years, months, days, hours, minutes, seconds] = m.slice(2).map((x) => (x === undefined ? undefined : Number(x)));
  const hasYm = years !== undefined || months !== undefined;
  const hasDt = days !== undefined || hours !== undefined || minutes !== undefined || seconds !== undefined;
  if (hasYm && hasDt) return null; // FEEL has no mixed durations
  if (hasYm) return makeDuration('yearMonth', sign * ((years ?? 0) * 12 + (months ?? 0)) || 0);
  const total = (days ?? 0) * 86_400 + (hours ?? 0) * 3600 + (minutes ?? 0) * 60 + (seconds ?? 0);
  return makeDuration('dayTime', sign * total || 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Kinds, comparison and equality.

export type Kind = 'null' | 'number' | 'string' | 'boolean' | 'date' | 'time' | 'dateTime' | 'ymDuration' | 'dtDuration' | 'range' | 'list' | 'context' | 'function';

export function isNumber(v: unknown): v is number | Dec {
  return typeof v === 'number' || v instanceof Dec;
}

export function kindOf(v: FeelValue): Kind {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'function':
      return 'function';
  }
  if (v instanceof Dec) return 'number';
  if (v instanceof FeelDate) return 'date';
  if (v instanceof FeelDateTime) return 'dateTime';
  if (v instanceof FeelTime) return 'time';
  if (v instanceof FeelDuration) return v.kind === 'yearMonth' ? 'ymDuration' : 'dtDuration';
  if (v instanceof FeelRange) return 'range';
  if (Array.isArray(v)) return 'list';
  return 'context';
}

/** Orders two values of the same comparable kind; null when FEEL says the comparison is undefined. */
export function compare(a: FeelValue, b: FeelValue): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a === null || b === null) return null;
  if (isNumber(a) && isNumber(b)) return new Dec(a).cmp(new Dec(b));
  // A date compares with a date-time as the date-time at midnight (FEEL 1.4+).
  const ka = comparableKey(a);
  const kb = comparableKey(b);
  if (ka === null || kb === null || ka.kind !== kb.kind) return null;
  if (ka.key !== kb.key) return ka.key < kb.key ? -1 : 1;
  return ka.nanos < kb.nanos ? -1 : ka.nanos > kb.nanos ? 1 : 0;
}

function comparableKey(v: FeelValue): { kind: string; key: number; nanos: number } | null {
  if (v instanceof FeelDate) return { kind: 'dateTime', key: v.day * 86_400, nanos: 0 };
  if (v instanceof FeelDateTime) return { kind: 'dateTime', key: v.key, nanos: v.nanos };
  if (v instanceof FeelTime) return { kind: 'time', key: v.key, nanos: 0 };
  if (v instanceof FeelDuration) return { kind: v.kind, key: v.amount, nanos: 0 };
  return null;
}

/** FEEL equality: null equals only null; values of different kinds are not comparable (null). */
export function equals(a: FeelValue, b: FeelValue): boolean | null {
  if (a === b) return true;
  if (a === null || b === null) return false;
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka !== kb && !(ka === 'date' && kb === 'dateTime') && !(ka === 'dateTime' && kb === 'date')) return null;
  switch (ka) {
    case 'number':
      return new Dec(a as number).eq(new Dec(b as number));
    case 'string':
    case 'boolean':
      return false;
    case 'list': {
      const la = a as FeelValue[];
      const lb = b as FeelValue[];
      if (la.length !== lb.length) return false;
      for (let i = 0; i < la.length; i++) if (equals(la[i]!, lb[i]!) !== true) return false;
      return true;
    }
    case 'context': {
      const ca = a as FeelContext;
      const cb = b as FeelContext;
      const keys = Object.keys(ca);
      if (keys.length !== Object.keys(cb).length) return false;
      for (const k of keys) if (!Object.hasOwn(cb, k) || equals(ca[k]!, cb[k]!) !== true) return false;
      return true;
    }
    case 'range': {
      const ra = a as FeelRange;
      const rb = b as FeelRange;
      return (
        ra.op === rb.op &&
        ra.lowClosed === rb.lowClosed &&
        ra.highClosed === rb.highClosed &&
        endpointEquals(ra.low, rb.low) &&
        endpointEquals(ra.high, rb.high)
      );
    }
    case 'function':
      return false;
    default:
      return compare(a, b) === 0;
  }
}

function endpointEquals(a: FeelValue | undefined, b: FeelValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return equals(a, b) === true;
}

/** Whether `v` lies in the range; null when the endpoints do not compare with it. */
export function inRange(v: FeelValue, r: FeelRange): boolean | null {
  if (r.op === '!=') {
    const eq = equals(v, r.low ?? null);
    return eq === null ? null : !eq;
  }
  if (r.low !== undefined) {
    const c = compare(v, r.low);
    if (c === null) return null;
    if (c < 0 || (c === 0 && !r.lowClosed)) return false;
  }
  if (r.high !== undefined) {
    const c = compare(v, r.high);
    if (c === null) return null;
    if (c > 0 || (c === 0 && !r.highClosed)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON ↔ FEEL. JSON carries dates, times and durations as strings; the column type says how to read them.

export function fromJson(v: unknown): FeelValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(fromJson);
  if (typeof v === 'object') {
    const out: FeelContext = {};
    // `__proto__` would set the context's prototype instead of a key: a reserved name, left out.
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (k !== '__proto__') out[k] = fromJson(x);
    return out;
  }
  return null;
}

/** A FEEL context: a plain object (its own keys may be anything, `constructor` and `toString` included). */
export function isContext(v: unknown): v is FeelContext {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export type JsonOut = string | number | boolean | null | JsonOut[] | { [key: string]: JsonOut };

export function toJson(v: FeelValue): JsonOut {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Object.is(v, -0) ? 0 : v;
  if (v instanceof Dec) return v.toNumber();
  if (Array.isArray(v)) return v.map(toJson);
  if (v instanceof FeelDate || v instanceof FeelTime || v instanceof FeelDateTime || v instanceof FeelDuration) return v.toString();
  if (v instanceof FeelRange) return null;
  if (typeof v === 'function') return null;
  const out: { [key: string]: JsonOut } = {};
  for (const [k, x] of Object.entries(v)) out[k] = toJson(x);
  return out;
}

/** The FEEL types JSON shows as text: what a typed answer names beside the value (docs/contracts.md, "FEEL values in JSON"). */
export type { TextTypeName };

/**
 * Where `toJson(v)` holds text that is not a string: JSON Pointer (RFC 6901; `""` for the value itself) → FEEL type,
 * so a date stays distinguishable from a string that reads the same. Plain strings, numbers and the rest are left out.
 */
export function textTypes(v: FeelValue, at = '', out: Record<string, TextTypeName> = {}): Record<string, TextTypeName> {
  if (v instanceof FeelDate) out[at] = 'date';
  else if (v instanceof FeelDateTime) out[at] = 'date and time';
  else if (v instanceof FeelTime) out[at] = 'time';
  else if (v instanceof FeelDuration) out[at] = v.kind === 'dayTime' ? 'days and time duration' : 'years and months duration';
  else if (Array.isArray(v)) v.forEach((x, i) => textTypes(x, `${at}/${i}`, out));
  else if (isContext(v)) for (const [k, x] of Object.entries(v)) textTypes(x, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  return out;
}

const PARSE_TEXT: Record<TextTypeName, (text: string) => FeelValue> = {
  date: parseDate,
  time: parseTime,
  'date and time': parseDateTime,
  'days and time duration': (t) => {
    const d = parseDuration(t);
    return d?.kind === 'dayTime' ? d : null;
  },
  'years and months duration': (t) => {
    const d = parseDuration(t);
    return d?.kind === 'yearMonth' ? d : null;
  },
};

/** fromJson, reading the text at each pointer of `types` (textTypes' map) as that FEEL type (null when it is not one). */
export function fromTypedJson(v: unknown, types: Readonly<Record<string, TextTypeName>>, at = ''): FeelValue {
  const type = types[at];
  if (type !== undefined) return typeof v === 'string' ? PARSE_TEXT[type](v) : null;
  if (Array.isArray(v)) return v.map((x, i) => fromTypedJson(x, types, `${at}/${i}`));
  if (v !== null && typeof v === 'object') {
    const out: FeelContext = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k !== '__proto__') out[k] = fromTypedJson(x, types, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
    return out;
  }
  return fromJson(v);
}
