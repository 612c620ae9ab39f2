// How the analysis sees one input column, decided from its definition (type, values, optional) and, for `any` and
// `duration` inputs, from the constants its cells use; and where a constant lands on a column that is a line.
import { coercerFor } from '../input.ts';
import type { InputColumn } from '../types.ts';
import { Dec, equals, FeelDate, FeelDateTime, FeelDuration, FeelRange, FeelTime, isNumber, type FeelValue } from '../values.ts';

export type LineKind = 'number' | 'date' | 'time' | 'dateTime' | 'ymDuration' | 'dtDuration';

export interface DomainPlan {
  kind: 'finite' | 'strings' | 'line' | 'opaque';
  line: LineKind | null;
  nullable: boolean;
  /** The values of a finite domain (coerced to the column type, without null); opaque: a value for examples. */
  values: FeelValue[];
  /**
   * An input of type `any` without `values` whose cells use one kind of value can still be given a value of another
   * kind: this stands for those (a number among texts, a text among numbers).
   */
  foreign?: FeelValue;
  /** A finite domain of a computed input: a value of the same kind outside the list (the engine does not refuse it). */
  outside?: FeelValue;
}

/** Where a constant used in a cell fits in a line domain: a key on the line, no place (wrong kind), or a reason to give up. */
export type EndpointKey = { key: number } | { skip: true } | { inexact: string };

function isPrimitiveKind(v: FeelValue): boolean {
  return v === null || typeof v !== 'object' || v instanceof FeelDate || v instanceof FeelTime || v instanceof FeelDateTime || v instanceof FeelDuration || v instanceof Dec;
}

/**
 * Chooses the domain of a column from its definition and, for `any` and `duration`, the constants its cells use.
 * A computed input (`expression`) is checked by the engine like a read one, so it has the same domain.
 */
export function planDomain(column: InputColumn, constants: readonly FeelValue[]): DomainPlan {
  return planDeclared(column, constants);
}

function planDeclared(column: InputColumn, constants: readonly FeelValue[]): DomainPlan {
  const nullable = column.optional === true;
  const type = column.type;
  if (Array.isArray(column.values) && column.values.length > 0) {
    const coerce = type === 'any' ? null : coercerFor(type);
    const values: FeelValue[] = [];
    for (const raw of column.values) {
      if (raw === null) continue;
      const v = coerce ? coerce(raw) : (raw as FeelValue);
      if (v === undefined || !isPrimitiveKind(v)) continue;
      if (!values.some((x) => equals(x, v) === true)) values.push(v);
    }
    if (values.length > 0) return { kind: 'finite', line: null, nullable, values };
  }
  switch (type) {
    case 'boolean':
      return { kind: 'finite', line: null, nullable, values: [true, false] };
    case 'string':
      return { kind: 'strings', line: null, nullable, values: [] };
    case 'number':
    case 'date':
    case 'time':
    case 'dateTime':
      return { kind: 'line', line: type, nullable, values: [] };
    case 'duration': {
      const yearMonth = constants.some((v) => v instanceof FeelDuration && v.kind === 'yearMonth');
      const dayTime = constants.some((v) => v instanceof FeelDuration && v.kind === 'dayTime');
      return { kind: 'line', line: yearMonth && !dayTime ? 'ymDuration' : 'dtDuration', nullable, values: [] };
    }
    case 'any':
    default:
      return planAny(constants, nullable);
  }
}

function planAny(constants: readonly FeelValue[], nullable: boolean): DomainPlan {
  const kinds = new Set<string>();
  const leaves = (v: FeelValue): void => {
    if (v === null) return;
    if (Array.isArray(v)) v.forEach(leaves);
    else if (v instanceof FeelRange) [v.low, v.high].forEach((x) => x !== undefined && leaves(x));
    else if (typeof v === 'string') kinds.add('string');
    else if (isNumber(v)) kinds.add('number');
    else if (typeof v === 'boolean') kinds.add('boolean');
    else if (v instanceof FeelDate) kinds.add('date');
    else kinds.add('other');
  };
  constants.forEach(leaves);
  const only = kinds.size === 1 ? [...kinds][0] : null;
  if (only === 'string') return { kind: 'strings', line: null, nullable, values: [], foreign: 0 };
  if (only === 'number' || only === 'date') return { kind: 'line', line: only, nullable, values: [], foreign: 'anders' };
  if (only === 'boolean') return { kind: 'finite', line: null, nullable, values: [true, false], foreign: 'anders' };
  // No analysis, but an example still needs a value: the first constant the cells use.
  const first = constants.flatMap((v) => (Array.isArray(v) ? v : [v])).find((v) => v !== null && isPrimitiveKind(v));
  return { kind: 'opaque', line: null, nullable: true, values: first === undefined ? [] : [first] };
}

/** The key of a constant on a line domain. */
export function endpointKey(line: LineKind, v: FeelValue): EndpointKey {
  switch (line) {
    case 'number':
      if (typeof v === 'number') return { key: v };
      if (v instanceof Dec) {
        const n = v.toNumber();
        return new Dec(n).eq(v) ? { key: n } : { inexact: `uses the number ${v.toString()}, which has more digits than the analysis keeps` };
      }
      return { skip: true };
    case 'date':
      if (v instanceof FeelDate) return { key: v.day };
      if (v instanceof FeelDateTime) return { inexact: 'compares a date with a date and time' };
      return { skip: true };
    case 'dateTime':
      if (v instanceof FeelDate) return { key: v.day * 86_400 };
      if (v instanceof FeelDateTime) return { key: v.key };
      return { skip: true };
    case 'time':
      return v instanceof FeelTime ? { key: v.key } : { skip: true };
    case 'ymDuration':
      return v instanceof FeelDuration && v.kind === 'yearMonth' ? { key: v.amount } : { skip: true };
    case 'dtDuration':
      return v instanceof FeelDuration && v.kind === 'dayTime' ? { key: v.amount } : { skip: true };
  }
}

/** The name of the kind of values a column takes, for messages ("a number"). */
export function typeWords(column: InputColumn): string {
  const words: Record<string, string> = {
    string: 'text',
    number: 'numbers',
    boolean: 'true or false',
    date: 'dates',
    time: 'times',
    dateTime: 'dates with a time',
    duration: 'durations',
  };
  return words[column.type] ?? 'values';
}

/** Whether a constant is of a kind the column can hold (null always fits: it is the empty value). */
export function fitsType(column: InputColumn, v: FeelValue): boolean {
  if (v === null) return true;
  switch (column.type) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return isNumber(v);
    case 'boolean':
      return typeof v === 'boolean';
    case 'date':
    case 'dateTime':
      return v instanceof FeelDate || v instanceof FeelDateTime;
    case 'time':
      return v instanceof FeelTime;
    case 'duration':
      return v instanceof FeelDuration;
    default:
      return true;
  }
}
