// Custom json-rules-engine operators for exported Beslis tables. Plain JavaScript with no Beslis imports, so another
// Node service can register them next to the exported rules:
//
//   import { Engine } from 'json-rules-engine';
//   import { customOperators } from './operators.ts';
//   for (const [name, fn] of Object.entries(customOperators)) engine.addOperator(name, fn);
//
// Each operator holds exactly when the FEEL comparison is true. FEEL has three truth values: a comparison with null, or
// between values of different kinds, is null ("not comparable"), and a rule cell only holds on true. So every operator
// here is false when either side is null or of the wrong kind; the exporter pairs each test with the operator for its
// negation so that `not(...)` stays correct for null (a `not(< 5)` cell does not hold for a null input).
//
// The built-in operators `equal`, `notEqual`, `in`, `notIn` are used where they are already exact (facts of a typed
// column are that type or null, dates are canonical ISO strings), and `lessThan(Inclusive)`/`greaterThan(Inclusive)`
// where a number fact meets a number literal (their validator refuses null).

// XML Schema's lexical year, as the engine reads dates (values.ts): four digits, or more without a leading zero.
const ISO_DATE = /^(-?(?:[1-9]\d{4,8}|\d{4}))-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of an ISO `yyyy-mm-dd` date (proleptic Gregorian), or null when it is not one. */
export function dayNumber(v: unknown): number | null {
  if (typeof v !== 'string') return null;
  const m = ISO_DATE.exec(v);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return null;
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day); // setUTCFullYear, unlike Date.UTC, does not move years 0–99 to 1900–1999
  if (d.getUTCDate() !== day) return null; // 2024-02-30 and friends
  return Math.round(d.getTime() / MS_PER_DAY);
}

/** The canonical ISO text of a date (`02024-01-01` and `2024-1-1` are not dates; `-0001-01-01` stays as it is), or null. */
export function canonicalDate(v: unknown): string | null {
  const day = dayNumber(v);
  if (day === null) return null;
  const d = new Date(day * MS_PER_DAY);
  const y = d.getUTCFullYear();
  const year = `${y < 0 ? '-' : ''}${String(Math.abs(y)).padStart(4, '0')}`;
  return `${year}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
}

const num = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
const str = (v: unknown): v is string => typeof v === 'string';

// Numbers (null-safe on both sides: used when the value is another input, which may be null).
export function numberLessThan(a: unknown, b: unknown): boolean {
  return num(a) && num(b) && a < b;
}
export function numberLessThanInclusive(a: unknown, b: unknown): boolean {
  return num(a) && num(b) && a <= b;
}
export function numberGreaterThan(a: unknown, b: unknown): boolean {
  return num(a) && num(b) && a > b;
}
export function numberGreaterThanInclusive(a: unknown, b: unknown): boolean {
  return num(a) && num(b) && a >= b;
}

// Strings, ordered by UTF-16 code units as FEEL (and JavaScript) compare them.
export function stringLessThan(a: unknown, b: unknown): boolean {
  return str(a) && str(b) && a < b;
}
export function stringLessThanInclusive(a: unknown, b: unknown): boolean {
  return str(a) && str(b) && a <= b;
}
export function stringGreaterThan(a: unknown, b: unknown): boolean {
  return str(a) && str(b) && a > b;
}
export function stringGreaterThanInclusive(a: unknown, b: unknown): boolean {
  return str(a) && str(b) && a >= b;
}

// Dates as ISO `yyyy-mm-dd` strings, compared as day numbers (so years beyond 9999 and before 0 order correctly).
function days(a: unknown, b: unknown, ok: (x: number, y: number) => boolean): boolean {
  const x = dayNumber(a);
  const y = dayNumber(b);
  return x !== null && y !== null && ok(x, y);
}
/** FEEL `=`: also true when both sides are null (null equals only null). */
export function dateEqual(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  return days(a, b, (x, y) => x === y);
}
/** FEEL `!=`: also true when exactly one side is null (null equals only null). */
export function dateNotEqual(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return (a === null) !== (b === null);
  return days(a, b, (x, y) => x !== y);
}
export function dateLessThan(a: unknown, b: unknown): boolean {
  return days(a, b, (x, y) => x < y);
}
export function dateLessThanInclusive(a: unknown, b: unknown): boolean {
  return days(a, b, (x, y) => x <= y);
}
export function dateGreaterThan(a: unknown, b: unknown): boolean {
  return days(a, b, (x, y) => x > y);
}
export function dateGreaterThanInclusive(a: unknown, b: unknown): boolean {
  return days(a, b, (x, y) => x >= y);
}

export type OperatorFn = (factValue: unknown, compareTo: unknown) => boolean;

/** Every plain-JS custom operator by its json-rules-engine name. */
export const customOperators: Readonly<Record<string, OperatorFn>> = {
  numberLessThan,
  numberLessThanInclusive,
  numberGreaterThan,
  numberGreaterThanInclusive,
  stringLessThan,
  stringLessThanInclusive,
  stringGreaterThan,
  stringGreaterThanInclusive,
  dateEqual,
  dateNotEqual,
  dateLessThan,
  dateLessThanInclusive,
  dateGreaterThan,
  dateGreaterThanInclusive,
};

const COMPARISON_WORDS: Record<string, string> = {
  LessThan: '<',
  LessThanInclusive: '<=',
  GreaterThan: '>',
  GreaterThanInclusive: '>=',
  Equal: '=',
  NotEqual: '!=',
};

/** A one-line description of a custom operator, for the export's `operators` list. */
export function describeOperator(name: string): string {
  const m = /^(number|string|date)(\w+)$/.exec(name);
  const op = m ? COMPARISON_WORDS[m[2]!] : undefined;
  if (!m || !op) return name;
  const what = m[1] === 'date' ? 'ISO dates (as day numbers)' : `${m[1]}s`;
  const nulls =
    op === '=' ? 'true when both sides are null' : op === '!=' ? 'true when exactly one side is null' : 'false when either side is null or not of that kind';
  return `FEEL ${op} on ${what}; ${nulls}`;
}
