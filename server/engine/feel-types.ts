// FEEL's type language (DMN 1.5 10.3.2.9 and the grammar's `type` rule), for `instance of`: the built-in types,
// `list<T>`, `range<T>`, `context<k: T, …>` and `function<T, …> -> R`, and whether a value conforms to one.
import { FeelDate, FeelDateTime, FeelDuration, FeelRange, FeelTime, isContext, isNumber, makeDateTime, type FeelFunction, type FeelValue } from './values.ts';

export type FeelType =
  | { k: 'Any' }
  | { k: 'Null' }
  | { k: 'number' | 'string' | 'boolean' | 'date' | 'time' | 'date and time' | 'days and time duration' | 'years and months duration' }
  | { k: 'list'; of: FeelType }
  | { k: 'range'; of: FeelType }
  | { k: 'context'; entries: [string, FeelType][] }
  | { k: 'function'; params: FeelType[]; result: FeelType };

/** The type names the grammar knows, multi-word ones included (the parser reads the longest). */
export const NAMED_TYPES = ['Any', 'Null', 'number', 'string', 'boolean', 'date', 'time', 'date and time', 'days and time duration', 'years and months duration'] as const;

/** What a function literal declared (its parameters' types, Any where none was written), for `instance of function<…>`. */
export const FUNCTION_TYPES = new WeakMap<FeelFunction, { params: FeelType[] }>();

function primitiveOf(v: FeelValue): FeelType['k'] | null {
  if (isNumber(v)) return 'number';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (v instanceof FeelDate) return 'date';
  if (v instanceof FeelDateTime) return 'date and time';
  if (v instanceof FeelTime) return 'time';
  if (v instanceof FeelDuration) return v.kind === 'dayTime' ? 'days and time duration' : 'years and months duration';
  return null;
}

/** `v instance of t`. null is an instance of Null only (DMN 1.5: `null instance of Any` is false). */
export function instanceOf(v: FeelValue, t: FeelType): boolean {
  if (v === null) return t.k === 'Null';
  switch (t.k) {
    case 'Any':
      return true;
    case 'Null':
      return false;
    case 'list':
      return Array.isArray(v) && v.every((x) => x === null || instanceOf(x, t.of));
    case 'range':
      return v instanceof FeelRange && [v.low, v.high].every((x) => x === undefined || x === null || instanceOf(x, t.of));
    case 'context':
      return isContext(v) && t.entries.every(([key, type]) => Object.hasOwn(v, key) && (v[key] === null || instanceOf(v[key]!, type)));
    case 'function': {
      if (typeof v !== 'function') return false;
      const declared = FUNCTION_TYPES.get(v);
      if (!declared) return true; // a built-in passed as a value: nothing to check it by
      // Parameters are contravariant: each type the caller may pass must conform to what the function declared.
      return declared.params.length === t.params.length && t.params.every((p, i) => conforms(p, declared.params[i]!));
    }
    default:
      return primitiveOf(v) === t.k;
  }
}

/** Whether type `a` conforms to (is a subtype of) `b`. */
export function conforms(a: FeelType, b: FeelType): boolean {
  if (b.k === 'Any' || a.k === 'Null') return true;
  if (a.k !== b.k) return false;
  switch (b.k) {
    case 'list':
    case 'range':
      return conforms((a as typeof b).of, b.of);
    case 'context': {
      const entries = new Map((a as typeof b).entries);
      return b.entries.every(([key, type]) => entries.has(key) && conforms(entries.get(key)!, type));
    }
    case 'function': {
      const f = a as typeof b;
      return f.params.length === b.params.length && b.params.every((p, i) => conforms(p, f.params[i]!)) && conforms(f.result, b.result);
    }
    default:
      return true;
  }
}

/**
 * A value converted to a declared type, as DMN 1.5 (10.3.2.9.4, "Type conversions") converts a decision's result, a
 * parameter or an input: a value that conforms stays; a singleton list becomes its item where the type is not a list
 * ("from singleton list"), an item a singleton list where it is one ("to singleton list"); a date becomes its midnight
 * in UTC where a date and time is declared; anything else that does not conform is null. Each conversion is applied
 * once, not repeatedly: `[[10]]` declared a number is null, not 10 (the TCK's 0082 invoke_005 reads it so too).
 */
export function coerceTo(v: FeelValue, t: FeelType): FeelValue {
  if (v === null) return null;
  const direct = conformed(v, t);
  if (direct !== null) return direct;
  if (t.k === 'list' && !Array.isArray(v)) {
    const item = conformed(v, t.of);
    return item === null ? null : [item];
  }
  if (t.k !== 'list' && Array.isArray(v) && v.length === 1 && v[0] !== null) return conformed(v[0]!, t);
  return null;
}

/** `v` as an instance of `t` without a list conversion: itself when it conforms, a date as a date and time; else null. */
function conformed(v: FeelValue, t: FeelType): FeelValue {
  if (t.k === 'Any' || instanceOf(v, t)) return v;
  if (t.k === 'date and time' && v instanceof FeelDate) return makeDateTime(v.day * 86_400, 0);
  return null;
}

/**
 * Whether an argument fails its parameter's type: it is not null and converts to null (DMN 1.5 10.3.2.9.4; a
 * function invoked with such an argument gives null, as the TCK's 0082 and 0085 007 expect).
 */
export function failsType(v: FeelValue, t: FeelType): boolean {
  return v !== null && t.k !== 'Any' && coerceTo(v, t) === null;
}

/**
 * The arguments of a call converted to its parameters' types (an argument without a type as given), or null when
 * one does not conform even so: a call of a typed function is then null (DMN 1.5 10.3.2.9.4).
 */
export function argumentsAs(args: readonly FeelValue[], types: readonly (FeelType | undefined)[]): FeelValue[] | null {
  const out: FeelValue[] = new Array(args.length);
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? null;
    const t = types[i];
    if (t === undefined) out[i] = a;
    else if (failsType(a, t)) return null;
    else out[i] = coerceTo(a, t);
  }
  return out;
}
