// What the draft changes against the published version in force: the cells whose text differs (by rule id and
// column, so a moved rule is not a change), the rules added and the rules removed. The grid marks the cells and rows
// (colour and a corner mark, and in each cell's accessible name); the grid tab says how many. Pure: no DOM.
import type { DecisionTable, Rule } from '../../../server/engine/types.ts';

export interface DraftChanges {
  /** `ruleId|in:name`, `ruleId|out:name`, `ruleId|note`: cells of kept rules whose text changed. */
  cells: Set<string>;
  /** Ids of rules the draft adds. */
  added: Set<string>;
  /** Ids of rules of the version that the draft no longer has. */
  removed: string[];
}

const whenText = (r: Rule, name: string): string => {
  const v = r.when?.[name];
  return v === undefined || v.trim() === '' ? '-' : v.trim();
};
const thenText = (r: Rule, name: string): string => (r.then?.[name] ?? '').trim();

export function draftChanges(draft: DecisionTable, base: DecisionTable): DraftChanges {
  const before = new Map(base.rules.map((r) => [r.id, r]));
  const ids = new Set(draft.rules.map((r) => r.id));
  const cells = new Set<string>();
  const added = new Set<string>();
  for (const rule of draft.rules) {
    const old = before.get(rule.id);
    if (!old) {
      added.add(rule.id);
      continue;
    }
    for (const col of draft.inputs) if (whenText(rule, col.name) !== whenText(old, col.name)) cells.add(`${rule.id}|in:${col.name}`);
    for (const col of draft.outputs) if (thenText(rule, col.name) !== thenText(old, col.name)) cells.add(`${rule.id}|out:${col.name}`);
    if ((rule.note ?? '').trim() !== (old.note ?? '').trim()) cells.add(`${rule.id}|note`);
  }
  return { cells, added, removed: base.rules.filter((r) => !ids.has(r.id)).map((r) => r.id) };
}
