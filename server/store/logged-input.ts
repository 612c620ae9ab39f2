// What the evaluation log keeps of a case: the values of the table's declared inputs (at their paths), and for a
// computed input the case fields its expression names, so impact analysis can decide the case again. Other keys of
// the case are ignored by the engine and left out of the log: a caller cannot make the log hold what the table
// never reads. A logged input or output larger than MAX_LOGGED_BYTES is replaced by a marker saying so.
import { jsonSizeUpTo } from '../engine/limits.ts';
import { parseExpression } from '../engine/parser.ts';
import type { DecisionTable } from '../engine/types.ts';

/** Bytes (as JSON) of a logged input or output; a larger one is stored as `{"$omitted": <bytes>}`. */
export const MAX_LOGGED_BYTES = 64 * 1024;

export interface Omitted {
  $omitted: string;
}

/** The value itself, or the marker when it is larger than the log keeps. */
export function capForLog<T>(v: T): T | Omitted {
  return jsonSizeUpTo(v, MAX_LOGGED_BYTES) > MAX_LOGGED_BYTES ? { $omitted: `more than ${MAX_LOGGED_BYTES} bytes` } : v;
}

/** Names a FEEL expression reads (first segments), found by walking its syntax tree. */
function namesIn(text: string, known: readonly string[]): string[] {
  const names = new Set<string>();
  const visit = (x: unknown): void => {
    if (x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const v of x) visit(v);
      return;
    }
    const node = x as { t?: string; name?: string };
    if (node.t === 'name' && typeof node.name === 'string') names.add(node.name);
    for (const v of Object.values(x)) visit(v);
  };
  try {
    visit(parseExpression(text, known));
  } catch {
    // A published table's expressions parse; anything else simply logs no extra fields.
  }
  return [...names];
}

/** The dotted paths of the case a table reads (declared inputs, and the fields its computed inputs name). */
export function inputPaths(table: DecisionTable): string[][] {
  const seen = new Set<string>();
  const paths: string[][] = [];
  const add = (dotted: string) => {
    if (seen.has(dotted)) return;
    seen.add(dotted);
    paths.push(dotted.split('.'));
  };
  const known = table.inputs.map((c) => c.name);
  for (const col of table.inputs) {
    if (col.expression !== undefined) for (const n of namesIn(col.expression, known)) add(n);
    else add(col.path ?? col.name);
  }
  return paths;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** A copy of the case with only the given paths (own properties only); absent ones stay absent. */
export function pickPaths(input: unknown, paths: readonly string[][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return out;
  for (const path of paths) {
    if (path.some((k) => UNSAFE_KEYS.has(k))) continue;
    let cur: unknown = input;
    let found = true;
    for (const k of path) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.hasOwn(cur, k)) {
        found = false;
        break;
      }
      cur = (cur as Record<string, unknown>)[k];
    }
    if (!found) continue;
    let at = out;
    for (let i = 0; i < path.length - 1; i++) {
      const k = path[i]!;
      const next = at[k];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) at[k] = {};
      at = at[k] as Record<string, unknown>;
    }
    at[path[path.length - 1]!] = cur;
  }
  return out;
}
