// FEEL values and their comparison rules. Numbers are JS numbers on the hot path (inputs and literals) and
// decimal.js Decimals once arithmetic has run, so that money sums are exact; both compare as numbers.
import Decimal from 'decimal.js';

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

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The year, month and day of a day number (civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

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

/**
 * A date-time from wall-clock seconds since the epoch, or null outside what a double holds to the second
 * (about 285 million years either side of 1970, inside the dates' years).
 */
export function makeDateTime(local: number, offset: number | null): FeelDateTime | null {
  if (!Number.isFinite(local) || Math.abs(local) > Number.MAX_SAFE_INTEGER) return null;
  return new FeelDateTime(local, offset);
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
  /** Seconds since midnight, with fractions. `offset` in seconds east of UTC, or null for a local time. */
  constructor(
    readonly seconds: number,
    readonly offset: number | null,
  ) {}
  /** Comparable instant: local times compare as if in UTC. */
  get key(): number {
    return this.seconds - (this.offset ?? 0);
  }
  toString(): string {
    return formatClock(this.seconds) + formatOffset(this.offset);
  }
}

export class FeelDateTime {
  /** `local` is seconds since the epoch as if the wall-clock time were UTC. */
  constructor(
    readonly local: number,
    readonly offset: number | null,
  ) {}
  get key(): number {
    return this.local - (this.offset ?? 0);
  }
  toString(): string {
    const day = Math.floor(this.local / 86_400);
    const [y, m, d] = civilFromDays(day);
    const date = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
    return `${date}T${formatClock(this.local - day * 86_400)}${formatOffset(this.offset)}`;
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
  ) {}
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

function formatClock(secondsOfDay: number): string {
  const h = Math.floor(secondsOfDay / 3600);
  const m = Math.floor((secondsOfDay - h * 3600) / 60);
  const s = Math.round((secondsOfDay - h * 3600 - m * 60) * 1e9) / 1e9;
  const whole = Math.floor(s);
  const frac = s - whole;
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(whole, 2)}${frac ? String(frac).slice(1) : ''}`;
}

function formatOffset(offset: number | null): string {
  if (offset === null) return '';
  if (offset === 0) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${sign}${pad(Math.floor(abs / 3600), 2)}:${pad(Math.floor((abs % 3600) / 60), 2)}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing the textual forms (used by date()/time()/duration() and by typed inputs).

const DATE_RE = /^(-?\d{4,9})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2}|@[A-Za-z_/+-]+)?$/;

export function parseDate(text: string): FeelDate | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  return makeDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function parseOffset(text: string | undefined): number | null | undefined {
  if (!text || text.startsWith('@')) return null; // zone names are kept as local times
  if (text === 'Z') return 0;
  const sign = text[0] === '-' ? -1 : 1;
  const h = Number(text.slice(1, 3));
  const m = Number(text.slice(4, 6));
  if (h > 14 || m > 59) return undefined;
  return sign * (h * 3600 + m * 60);
}

export function parseTime(text: string): FeelTime | null {
  const m = TIME_RE.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  const s = Number(m[3]);
  if (h > 23 || min > 59 || s >= 60) return null;
  const offset = parseOffset(m[4]);
  if (offset === undefined) return null;
  return new FeelTime(h * 3600 + min * 60 + s, offset);
}

export function parseDateTime(text: string): FeelDateTime | null {
  const t = text.indexOf('T');
  if (t < 0) {
    const date = parseDate(text);
    return date ? makeDateTime(date.day * 86_400, null) : null;
  }
  const date = parseDate(text.slice(0, t));
  const time = parseTime(text.slice(t + 1));
  if (!date || !time) return null;
  return makeDateTime(date.day * 86_400 + time.seconds, time.offset);
}

const DURATION_RE = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

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
  return ka.key < kb.key ? -1 : ka.key > kb.key ? 1 : 0;
}

function comparableKey(v: FeelValue): { kind: string; key: number } | null {
  if (v instanceof FeelDate) return { kind: 'dateTime', key: v.day * 86_400 };
  if (v instanceof FeelDateTime) return { kind: 'dateTime', key: v.key };
  if (v instanceof FeelTime) return { kind: 'time', key: v.key };
  if (v instanceof FeelDuration) return { kind: v.kind, key: v.amount };
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
