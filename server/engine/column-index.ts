// An equality index on one input column, so a large table checks only the rules that can match a value
// instead of every row. Rules whose cell is not a plain list of literals are always candidates.
import type { Expr, UnaryTests } from './ast.ts';
import { compileExpr } from './feel.ts';
import { FeelDate, type FeelValue } from './values.ts';

export interface ColumnIndex<T> {
  column: number;
  /** The rules (in rule order) that may match the value, as made by `make`. */
  candidates(v: FeelValue): readonly T[];
}

type Key = string | number | boolean;

/** The index key of a value; null when the value is not indexable (it then only meets the fallback rules). */
export function keyOf(v: FeelValue): Key | null {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof FeelDate) return `date:${v.day}`;
  return null;
}

function constantKey(e: Expr): Key | null {
  if (e.t === 'lit') return keyOf(e.value);
  if (e.t === 'call' && e.fn === 'date' && e.args.length === 1 && e.args[0]!.t === 'lit') {
    return keyOf(compileExpr(e)({ inputs: [], vars: null, q: null }));
  }
  return null;
}

/** The literal keys a cell accepts, or null when the cell is anything else (`-`, `< 5`, `not(…)`, a name). */
export function literalKeys(ut: UnaryTests): Key[] | null {
  if (ut.t !== 'tests') return null;
  const keys: Key[] = [];
  for (const test of ut.tests) {
    if (test.t !== 'expr') return null;
    const k = constantKey(test.e);
    if (k === null) return null;
    keys.push(k);
  }
  return keys;
}

const MIN_RULES_FOR_INDEX = 8;

/**
 * Picks the column where the most rules are literal equalities and indexes it. `cells[r][c]` is the parsed
 * when-cell of rule r, column c. `make(rule, column, keyed)` gives what a candidate list holds; `keyed` says the
 * rule was found through its literal key, so its cell in the indexed column needs no second check.
 * Returns null when no column pays off.
 */
export function buildColumnIndex<T>(
  cells: UnaryTests[][],
  columnCount: number,
  make: (rule: number, column: number, keyed: boolean) => T,
): ColumnIndex<T> | null {
  const ruleCount = cells.length;
  if (ruleCount < MIN_RULES_FOR_INDEX) return null;
  let best: { column: number; keyed: (Key[] | null)[]; score: number } | null = null;
  for (let c = 0; c < columnCount; c++) {
    const keyed = cells.map((row) => literalKeys(row[c]!));
    const indexable = keyed.filter((k) => k !== null).length;
    const distinct = new Set(keyed.flatMap((k) => k ?? [])).size;
    if (distinct < 2) continue;
    // Fewer fallback rules and more distinct keys mean fewer candidates per lookup.
    const score = indexable * Math.log2(distinct + 1);
    if (!best || score > best.score) best = { column: c, keyed, score };
  }
  if (!best || best.keyed.filter((k) => k !== null).length < ruleCount / 2) return null;

  const fallback: number[] = [];
  const byKey = new Map<Key, number[]>();
  best.keyed.forEach((keys, rule) => {
    if (keys === null) {
      fallback.push(rule);
      return;
    }
    for (const k of new Set(keys)) {
      let list = byKey.get(k);
      if (!list) byKey.set(k, (list = []));
      list.push(rule);
    }
  });
  const column = best.column;
  const keyedRule = new Map<number, T>();
  const fallbackRule = new Map<number, T>();
  const keyedOf = (r: number) => keyedRule.get(r) ?? keyedRule.set(r, make(r, column, true)).get(r)!;
  const fallbackOf = (r: number) => fallbackRule.get(r) ?? fallbackRule.set(r, make(r, column, false)).get(r)!;
  const merged = new Map<Key, readonly T[]>();
  for (const [k, rules] of byKey) {
    const ordered = [...rules.map((r) => [r, true] as const), ...fallback.map((r) => [r, false] as const)].sort((a, b) => a[0] - b[0]);
    merged.set(k, ordered.map(([r, keyed]) => (keyed ? keyedOf(r) : fallbackOf(r))));
  }
  const rest = fallback.map(fallbackOf);
  return {
    column,
    candidates(v) {
      const k = keyOf(v);
      return (k === null ? undefined : merged.get(k)) ?? rest;
    },
  };
}
