// Turning sets of atoms back into what a policy advisor reads: an example input case, the region in words, and the
// then-cells' values on an example.
import type { Expr } from '../ast.ts';
import { parseExpression } from '../parser.ts';
import type { InputColumn, JsonValue } from '../types.ts';
import { equals, type FeelValue } from '../values.ts';
import type { AtomSet } from './atom-set.ts';
import { formatValue } from './domain.ts';
import type { RuleModel, TableModel } from './model.ts';

export interface ExamplePoint {
  /** The case as JSON, nested by each input's `path`. */
  json: Record<string, JsonValue>;
  /** Per column: the atom chosen. */
  atoms: number[];
  /** Per column: the value as the engine sees it. */
  values: FeelValue[];
}

/** The expression's field when it only reads one (`persoon.leeftijd`), else null. */
function fieldOf(e: Expr): string[] | null {
  if (e.t === 'name') return [e.name];
  if (e.t === 'path') {
    const base = fieldOf(e.e);
    return base ? [...base, e.key] : null;
  }
  return null;
}

/**
 * Where a column's value goes in a case: its `path`, its name, or for a computed input the field its expression
 * reads (an input computed any other way is put under its name, which the engine then does not read).
 */
function casePath(col: InputColumn): string[] {
  if (col.expression !== undefined) {
    try {
      return fieldOf(parseExpression(String(col.expression))) ?? [col.name];
    } catch {
      return [col.name];
    }
  }
  return typeof col.path === 'string' && col.path !== '' ? col.path.split('.') : [col.name];
}

/** One case inside a region (one set per column). */
export function examplePoint(model: TableModel, region: readonly AtomSet[]): ExamplePoint {
  const json: Record<string, JsonValue> = {};
  const atoms: number[] = [];
  const values: FeelValue[] = [];
  model.domains.forEach((domain, c) => {
    const atom = domain.pick(region[c]!);
    atoms.push(atom);
    values.push(domain.rep(atom));
    const path = casePath(domain.column);
    let target: Record<string, JsonValue> = json;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) target[key] = {};
      target = target[key] as Record<string, JsonValue>;
    }
    target[path[path.length - 1]!] = domain.json(atom);
  });
  return { json, atoms, values };
}

/** The region in words (`gedrag is "D" and gevolgen is 4`), or null when it is every case. */
export function describeRegion(model: TableModel, region: readonly AtomSet[]): string | null {
  const parts: string[] = [];
  model.domains.forEach((domain, c) => {
    const words = domain.describe(region[c]!);
    if (words !== null) parts.push(`${domain.column.name} is ${words}`);
  });
  return parts.length === 0 ? null : parts.join(' and ');
}

/** `A1`, `A1 and A2`, `A1, A2 and A3`, `A1, A2, … and 7 more`. */
export function listIds(ids: readonly string[], max = 8): string {
  if (ids.length <= 1) return ids[0] ?? '';
  if (ids.length > max) return `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
  return `${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1]}`;
}

/** The value of a rule's then-cell on a case, or undefined when it cannot be known (missing, unreadable, failing). */
export function outputOn(rule: RuleModel, o: number, point: ExamplePoint | null): FeelValue | undefined {
  const cell = rule.outputs[o]!;
  if (cell.value !== undefined) return cell.value;
  if (!cell.fn || !point) return undefined;
  try {
    return cell.fn({ inputs: point.values, vars: null, q: null });
  } catch {
    return undefined;
  }
}

export type Agreement = { same: true } | { same: false; certain: boolean; differences: string[] };

/**
 * Whether two rules give the same outputs. Constant cells and identical texts are compared for every case; other
 * cells are evaluated on the example, and a difference there is certain while equality there is not.
 */
export function compareOutputs(model: TableModel, a: RuleModel, b: RuleModel, point: ExamplePoint | null): Agreement {
  const differences: string[] = [];
  let unknown = false;
  model.outputs.forEach((out, o) => {
    const ca = a.outputs[o]!;
    const cb = b.outputs[o]!;
    if (ca.fn && cb.fn && ca.text!.trim() === cb.text!.trim()) return;
    const va = outputOn(a, o, point);
    const vb = outputOn(b, o, point);
    if (va === undefined || vb === undefined) {
      unknown = true;
      return;
    }
    if (equals(va, vb) === true) {
      if (ca.value === undefined || cb.value === undefined) unknown = true;
      return;
    }
    differences.push(`${out.name} ${formatValue(va)} (rule ${a.id}) versus ${formatValue(vb)} (rule ${b.id})`);
  });
  if (differences.length > 0) return { same: false, certain: true, differences };
  if (unknown) return { same: false, certain: false, differences: [] };
  return { same: true };
}
