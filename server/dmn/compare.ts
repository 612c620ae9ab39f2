// Compares an actual decision result (the engine's JSON) with a TCK expected value, by the TCK's typed rules:
// numbers with a small relative tolerance, strings and booleans exactly, dates, times, date-times and durations by
// value (`P1Y` = `P12M`, `Z` = `+00:00`), lists item by item, contexts entry by entry, nil only as null. Given the
// FEEL types of the actual's text (a typed answer: JSON Pointer → type), types are compared too: a date is not a
// string that reads like one, and a string is not a date.
import type { TckValue } from './tck-file.ts';

/** Relative tolerance for numbers: the TCK's decimals are read as doubles on one side. */
export const NUMBER_TOLERANCE = 1e-9;

export function numbersEqual(expected: number, actual: number): boolean {
  if (expected === actual) return true;
  if (!Number.isFinite(expected) || !Number.isFinite(actual)) return false;
  return Math.abs(expected - actual) <= NUMBER_TOLERANCE * Math.max(1, Math.abs(expected));
}

const DATE_RE = /^(-?\d{4,9})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2}|@.+)?$/;

function normDate(s: string): string | null {
  const m = DATE_RE.exec(s.trim());
  return m ? `${Number(m[1])}-${m[2]}-${m[3]}` : null;
}

function normOffset(z: string | undefined): string {
  if (!z) return '';
  if (z === 'Z' || z === '+00:00' || z === '-00:00') return 'Z';
  return z;
}

function normTime(s: string): string | null {
  const m = TIME_RE.exec(s.trim());
  if (!m) return null;
  const seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  return `${Math.round(seconds * 1e6) / 1e6}${normOffset(m[4])}`;
}

function normDateTime(s: string): string | null {
  const t = s.trim();
  const at = t.indexOf('T');
  if (at < 0) {
    const d = normDate(t);
    return d ? `${d}T0` : null;
  }
  const d = normDate(t.slice(0, at));
  const time = normTime(t.slice(at + 1));
  return d && time !== null ? `${d}T${time}` : null;
}

const DURATION_RE = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** `P1Y2M` → `ym:14`, `P1DT2H` → `dt:93600`; zero durations of either kind are equal. */
export function normDuration(s: string): string | null {
  const t = s.trim();
  const m = DURATION_RE.exec(t);
  if (!m || t === 'P' || t.endsWith('T')) return null;
  const sign = m[1] ? -1 : 1;
  const [y, mo, d, h, mi, sec] = m.slice(2).map((x) => (x === undefined ? undefined : Number(x)));
  const ym = y !== undefined || mo !== undefined;
  const dt = d !== undefined || h !== undefined || mi !== undefined || sec !== undefined;
  if (ym && dt) return null;
  if (ym) {
    const months = sign * ((y ?? 0) * 12 + (mo ?? 0));
    return months === 0 ? 'zero' : `ym:${months}`;
  }
  const seconds = sign * ((d ?? 0) * 86400 + (h ?? 0) * 3600 + (mi ?? 0) * 60 + (sec ?? 0));
  return seconds === 0 ? 'zero' : `dt:${Math.round(seconds * 1e6) / 1e6}`;
}

const NORMALISE = { date: normDate, time: normTime, dateTime: normDateTime, duration: normDuration } as const;

function show(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The FEEL types of the text in an actual value, by JSON Pointer (DmnModel.evaluateTyped). */
export type TextTypes = Readonly<Record<string, string>>;

const TEMPORAL_TYPES: Record<'date' | 'time' | 'dateTime' | 'duration', readonly string[]> = {
  date: ['date'],
  time: ['time'],
  dateTime: ['date and time'],
  duration: ['days and time duration', 'years and months duration'],
};

const pointerKey = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Null when `actual` matches `expected`; otherwise where and how they differ. With `types`, the FEEL type of each
 * text must be the expected one. The one allowance: a zoned value (`10:15:00@Europe/Paris`), which XML Schema's
 * types cannot write, is expected as an xsd:string and matches the date, time or date-time that prints as it.
 */
export function compareTck(expected: TckValue, actual: unknown, types?: TextTypes): string | null {
  return compareAt(expected, actual, types, '', '');
}

function compareAt(expected: TckValue, actual: unknown, types: TextTypes | undefined, at: string, pointer: string): string | null {
  const where = at ? `${at}: ` : '';
  const typeOf = types?.[pointer];
  const differ = (what: string) => `${where}expected ${what}, got ${show(actual)}`;
  switch (expected.kind) {
    case 'nil':
      return actual === null || actual === undefined ? null : differ('null');
    case 'number':
      return typeof actual === 'number' && numbersEqual(expected.value, actual) ? null : differ(expected.text);
    case 'string':
      if (actual !== expected.value) return differ(JSON.stringify(expected.value));
      if (typeOf !== undefined && !(expected.value.includes('@') && typeOf !== 'days and time duration' && typeOf !== 'years and months duration')) {
        return `${where}expected the string ${JSON.stringify(expected.value)}, got a ${typeOf}`;
      }
      return null;
    case 'boolean':
      return actual === expected.value ? null : differ(String(expected.value));
    case 'date':
    case 'time':
    case 'dateTime':
    case 'duration': {
      const norm = NORMALISE[expected.kind];
      const want = norm(expected.value);
      if (want === null) return `${where}the expected ${expected.kind} '${expected.value}' cannot be read`;
      if (typeof actual !== 'string' || norm(actual) !== want) return differ(`${expected.kind} ${expected.value}`);
      if (types && !TEMPORAL_TYPES[expected.kind].includes(typeOf ?? '')) return `${where}expected ${expected.kind} ${expected.value}, got ${typeOf ? `a ${typeOf}` : 'a string'} ${show(actual)}`;
      return null;
    }
    case 'list': {
      if (!Array.isArray(actual)) return differ(`a list of ${expected.items.length}`);
      if (actual.length !== expected.items.length) return differ(`a list of ${expected.items.length} items`);
      for (let i = 0; i < actual.length; i++) {
        const d = compareAt(expected.items[i]!, actual[i], types, `${at}[${i + 1}]`, `${pointer}/${i}`);
        if (d) return d;
      }
      return null;
    }
    case 'context': {
      if (!isPlainObject(actual)) return differ(`a context with ${expected.entries.map(([k]) => k).join(', ')}`);
      const keys = new Set(expected.entries.map(([k]) => k));
      const extra = Object.keys(actual).filter((k) => !keys.has(k));
      if (extra.length > 0) return `${where}unexpected entries ${extra.join(', ')} in ${show(actual)}`;
      for (const [k, v] of expected.entries) {
        if (!Object.hasOwn(actual, k) && v.kind !== 'nil') return `${where}missing entry '${k}' in ${show(actual)}`;
        const d = compareAt(v, actual[k], types, at ? `${at}.${k}` : k, `${pointer}/${pointerKey(k)}`);
        if (d) return d;
      }
      return null;
    }
  }
}
