// Reads a case's values for a table's input columns and turns them into FEEL values, checking types and allowed values.
import { ENGLISH, problem } from './messages.ts';
import type { ColumnType, InputColumn, JsonValue, Problem } from './types.ts';
import {
  equals,
  FeelDate,
  FeelDateTime,
  FeelDuration,
  FeelTime,
  fromJson,
  isNumber,
  toJson,
  parseDate,
  parseDateTime,
  parseDuration,
  parseTime,
  type FeelValue,
} from './values.ts';

export type Coercer = (raw: unknown) => FeelValue | undefined;

const TYPE_WORDS: Record<ColumnType, string> = ENGLISH.types;

export function describeType(type: ColumnType): string {
  return TYPE_WORDS[type];
}

/** Returns a converter from JSON to FEEL for a column type; `undefined` from it means "wrong type". */
export function coercerFor(type: ColumnType): Coercer {
  switch (type) {
    case 'string':
      return (v) => (typeof v === 'string' ? v : undefined);
    case 'number':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : undefined);
    case 'date':
      return (v) => (typeof v === 'string' ? (parseDate(v) ?? undefined) : undefined);
    case 'time':
      return (v) => (typeof v === 'string' ? (parseTime(v) ?? undefined) : undefined);
    case 'dateTime':
      return (v) => (typeof v === 'string' ? (parseDateTime(v) ?? undefined) : undefined);
    case 'duration':
      return (v) => (typeof v === 'string' ? (parseDuration(v) ?? undefined) : undefined);
    case 'any':
      return (v) => (typeof v === 'number' && !Number.isFinite(v) ? undefined : fromJson(v));
  }
}

/** Reads `a.b.c` from a case. Own properties only, so `__proto__` and friends never leak in. */
export function readPath(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

export interface InputReader {
  column: InputColumn;
  index: number;
  /** Where problems with this input are reported (`/gedrag` or `/melder/type`). */
  pointer: string;
  path: string[];
  coerce: Coercer;
  /** Allowed values as FEEL values, with a fast set for primitives. */
  allowed: { values: FeelValue[]; primitives: Set<unknown> } | null;
}

export function makeReader(column: InputColumn, index: number): InputReader {
  const path = (column.path ?? column.name).split('.');
  const coerce = coercerFor(column.type);
  let allowed: InputReader['allowed'] = null;
  if (column.values && column.values.length > 0) {
    const values = column.values.map((v) => coerce(v) ?? fromJson(v));
    allowed = { values, primitives: new Set(values.filter((v) => v === null || typeof v !== 'object')) };
  }
  return { column, index, pointer: `/${path.join('/')}`, path, coerce, allowed };
}

export function isAllowed(reader: InputReader, v: FeelValue): boolean {
  const allowed = reader.allowed;
  if (!allowed || v === null) return true;
  if (allowed.primitives.has(v)) return true;
  if (typeof v !== 'object') return false;
  return allowed.values.some((a) => equals(a, v) === true);
}

/** Converts one raw case value, pushing a problem when it does not fit the column. */
export function readValue(reader: InputReader, raw: unknown, problems: Problem[]): FeelValue {
  const { column, pointer } = reader;
  if (raw === undefined || raw === null) {
    if (!column.optional) problems.push(problem(pointer, 'INPUT_REQUIRED', { name: column.label ?? column.name }));
    return null;
  }
  const v = reader.coerce(raw);
  if (v === undefined) {
    problems.push(problem(pointer, 'INPUT_WRONG_TYPE', { type: column.type, value: JSON.stringify(raw) }));
    return null;
  }
  if (!isAllowed(reader, v)) {
    const list = (column.values as JsonValue[]).map((x) => JSON.stringify(x)).join(', ');
    problems.push(problem(pointer, 'INPUT_NOT_ALLOWED', { value: JSON.stringify(raw), allowed: list }));
  }
  return v;
}

/**
 * Checks a computed input's FEEL value. A value already of the column's kind is kept as it is (an `any` column
 * keeps contexts with dates inside); text standing for a date, time or duration is read as one.
 */
export function readComputed(reader: InputReader, v: FeelValue, problems: Problem[]): FeelValue {
  const type = reader.column.type;
  const fits =
    v === null ||
    type === 'any' ||
    (type === 'number' && isNumber(v)) ||
    (type === 'date' && v instanceof FeelDate) ||
    (type === 'time' && v instanceof FeelTime) ||
    (type === 'dateTime' && v instanceof FeelDateTime) ||
    (type === 'duration' && v instanceof FeelDuration);
  if (!fits) return readValue(reader, toJson(v), problems);
  if (v === null && !reader.column.optional) {
    problems.push(problem(reader.pointer, 'INPUT_REQUIRED', { name: reader.column.label ?? reader.column.name }));
  } else if (v !== null && !isAllowed(reader, v)) {
    problems.push(problem(reader.pointer, 'INPUT_NOT_ALLOWED_VALUE', { value: JSON.stringify(toJson(v)) }));
  }
  return v;
}

/** Returned by a fast reader when a value needs the careful path (which then reports every problem). */
export const NEEDS_CHECK: unique symbol = Symbol('needs check');

/**
 * A reader specialised for the common case (a top-level field of a primitive type): no path walk, no closures
 * over generic coercion. Anything unusual returns NEEDS_CHECK and the caller falls back to readValue.
 */
export function makeFastReader(reader: InputReader): (obj: Record<string, unknown>) => FeelValue | typeof NEEDS_CHECK {
  const { column, path, allowed } = reader;
  const key = path[0]!;
  // Names such as `constructor` exist on every object's prototype: read those as own properties only.
  const inherited = path.length > 1 || key in Object.prototype;
  const optional = column.optional === true;
  const primitives = allowed?.primitives ?? null;
  const onlyPrimitives = allowed ? allowed.values.every((v) => v === null || typeof v !== 'object') : true;
  const expected = column.type === 'string' || column.type === 'number' || column.type === 'boolean' ? column.type : null;
  if (inherited || !expected || !onlyPrimitives) {
    return (obj) => {
      const raw = readPath(obj, path);
      if (raw === undefined || raw === null) return optional ? null : NEEDS_CHECK;
      const v = reader.coerce(raw);
      return v === undefined || !isAllowed(reader, v) ? NEEDS_CHECK : v;
    };
  }
  // One closure per type and allowed-value shape, so every check inside is a constant the JIT can fold.
  const absent = optional ? null : NEEDS_CHECK;
  const list = primitives === null ? null : [...primitives];
  // A short list is faster to scan with === than to hash; a long one goes through the Set.
  const allowedTest: ((v: unknown) => boolean) | null =
    list === null ? null : list.length <= 8 ? (v) => list.includes(v) : (v) => primitives!.has(v);
  switch (expected) {
    case 'string':
      return allowedTest === null
        ? (obj) => {
            const raw = obj[key];
            return typeof raw === 'string' ? raw : raw === undefined || raw === null ? absent : NEEDS_CHECK;
          }
        : (obj) => {
            const raw = obj[key];
            if (typeof raw === 'string') return allowedTest(raw) ? raw : NEEDS_CHECK;
            return raw === undefined || raw === null ? absent : NEEDS_CHECK;
          };
    case 'number':
      return (obj) => {
        const raw = obj[key];
        if (typeof raw === 'number') return Number.isFinite(raw) && (allowedTest === null || allowedTest(raw)) ? raw : NEEDS_CHECK;
        return raw === undefined || raw === null ? absent : NEEDS_CHECK;
      };
    case 'boolean':
      return (obj) => {
        const raw = obj[key];
        if (typeof raw === 'boolean') return allowedTest === null || allowedTest(raw) ? raw : NEEDS_CHECK;
        return raw === undefined || raw === null ? absent : NEEDS_CHECK;
      };
  }
}

type FastReader = (obj: Record<string, unknown>) => FeelValue | typeof NEEDS_CHECK;

/**
 * Reads all inputs of a case through their fast readers; null when any needs the careful path. Tables of up to
 * four inputs (most policy) get an unrolled reader: no loop, and the array is built as a literal.
 */
export function makeCaseReader(readers: readonly FastReader[]): (obj: Record<string, unknown>) => FeelValue[] | null {
  switch (readers.length) {
    case 1: {
      const [r0] = readers as [FastReader];
      return (obj) => {
        const a = r0(obj);
        return a === NEEDS_CHECK ? null : [a];
      };
    }
    case 2: {
      const [r0, r1] = readers as [FastReader, FastReader];
      return (obj) => {
        const a = r0(obj);
        if (a === NEEDS_CHECK) return null;
        const b = r1(obj);
        return b === NEEDS_CHECK ? null : [a, b];
      };
    }
    case 3: {
      const [r0, r1, r2] = readers as [FastReader, FastReader, FastReader];
      return (obj) => {
        const a = r0(obj);
        if (a === NEEDS_CHECK) return null;
        const b = r1(obj);
        if (b === NEEDS_CHECK) return null;
        const c = r2(obj);
        return c === NEEDS_CHECK ? null : [a, b, c];
      };
    }
    default:
      return (obj) => {
        const values: FeelValue[] = [];
        for (let i = 0; i < readers.length; i++) {
          const v = readers[i]!(obj);
          if (v === NEEDS_CHECK) return null;
          values.push(v);
        }
        return values;
      };
  }
}
