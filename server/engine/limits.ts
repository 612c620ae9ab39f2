// Budgets instead of hopes: the sizes no real policy reaches but a hostile or broken table or case might. Each is
// named in the README with its value; a table beyond one is an INVALID_TABLE (422) naming the field, an evaluation
// beyond one a LIMIT_EXCEEDED (422).

/** Characters in a table id (segments and dots). */
export const MAX_TABLE_ID_LENGTH = 100;
/** Dot-separated segments in a table id (`rules/<a>/<b>/…` holds one folder per segment). */
export const MAX_TABLE_ID_SEGMENTS = 8;
/** Names a table may not use for columns, nor as segments of an input path: they belong to every JS object. */
export const RESERVED_NAMES: readonly string[] = ['__proto__', 'prototype', 'constructor'];
/** Characters in one cell (a when- or then-cell, a default or an input expression). */
export const MAX_CELL_LENGTH = 100_000;
/** Items of one list literal, tests of one comma list, arguments of one call, entries of one context. */
export const MAX_LIST_ITEMS = 10_000;
/** Rules of one table. */
export const MAX_RULES = 50_000;
/** Input columns, and output columns, of one table. */
export const MAX_COLUMNS = 500;
/** Characters of a string FEEL produces (1 MB); a longer result is a LIMIT_EXCEEDED error. */
export const MAX_STRING_LENGTH = 1_000_000;
/** Items of a list FEEL produces (`for`, `append`, `concatenate`, `flatten`, a range iterated). */
export const MAX_LIST_LENGTH = 100_000;
/**
 * Body evaluations of nested iterations (`for`, `some`, `every`, filters) counted from the outermost one in, and
 * comparisons of `distinct values` among values that are not strings, numbers or booleans.
 */
export const MAX_ITERATION_STEPS = 1_000_000;
/**
 * The work one `matches`, `replace` or `split` may do, as the input's length raised to one more than the number of
 * repeating quantifiers in the pattern (the worst case of a backtracking match whose repeated parts do not nest):
 * `a.*b` takes inputs up to 10,000 characters, `^(.*?)d(.*)$` up to 464.
 */
export const MAX_REGEX_WORK = 100_000_000;
/** Bytes (as JSON) of one evaluation's output record; a larger one is a LIMIT_EXCEEDED error. */
export const MAX_OUTPUT_BYTES = 1_000_000;
/** Scale accepted by decimal() and the rounding functions: DMN's decimal128 exponent range. */
export const MIN_DECIMAL_SCALE = -6111;
export const MAX_DECIMAL_SCALE = 6176;

/**
 * The size of a value as JSON, counted up to `cap` (then `cap + 1`): a walk that stops early, so checking a
 * small output costs next to nothing and a huge one is never serialised to be measured.
 */
export function jsonSizeUpTo(value: unknown, cap: number): number {
  let size = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || v === undefined) size += 4;
    else if (typeof v === 'string') size += v.length + 2;
    else if (typeof v === 'number') size += 24;
    else if (typeof v === 'boolean') size += 5;
    else if (Array.isArray(v)) {
      size += 2 + v.length;
      if (size > cap) return cap + 1;
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
    } else if (typeof v === 'object') {
      const keys = Object.keys(v);
      size += 2 + keys.length * 4;
      if (size > cap) return cap + 1;
      for (const k of keys) {
        size += k.length;
        stack.push((v as Record<string, unknown>)[k]);
      }
    }
    if (size > cap) return cap + 1;
  }
  return size;
}

// Decision models (boxed-logic.ts, knowledge-model.ts): the sizes of a boxed expression and of one evaluation of it.
/** Boxes nested in one another (a context in a list in a context…), counted from the document's logic or body. */
export const MAX_BOXED_DEPTH = 32;
/** Entries of one context, items of one list, rows of one relation, bindings of one invocation. */
export const MAX_BOXED_ENTRIES = 1_000;
/** Calls of business knowledge models inside one another in one evaluation (a model that calls itself included). */
export const MAX_KNOWLEDGE_CALL_DEPTH = 64;
/** Steps one evaluation's logic trace records (context entries, invocations, calls); later ones are left out. */
export const MAX_LOGIC_TRACE_STEPS = 10_000;
