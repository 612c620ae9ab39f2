// The list built-ins of FEEL (DMN 1.5 10.3.4.4), one part of the one built-in registry (builtins.ts spreads
// LIST_BUILTINS into it).
import { LimitError } from './errors.ts';
import { MAX_ITERATION_STEPS } from './limits.ts';
import type { BuiltinEntry } from './builtin-entry.ts';
import { compare, equals, type FeelValue } from './values.ts';
import { asList, built, callBoolean, int, positionOf, primitiveKey, whole } from './builtin-args.ts';

export const LIST_BUILTINS: Record<string, BuiltinEntry> = {
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
      return LIST_BUILTINS['distinct values']!.fn([built((args as FeelValue[][]).flat(1))]);
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

};
