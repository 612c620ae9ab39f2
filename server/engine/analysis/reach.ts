// Rules that never decide the outcome. FIRST: every case a rule matches is matched by an earlier rule. PRIORITY:
// every case it matches is also matched by a rule that outranks it (an output of higher priority, or the same
// priority and earlier, as the engine breaks ties). Both are a cover question: is the rule's box inside the union of
// the boxes of the rules that win over it?
import { fromJson, equals, type FeelValue } from '../values.ts';
import { intersect, intersects, type AtomSet } from './atom-set.ts';
import { findUncovered } from './cover.ts';
import { listIds } from './examples.ts';
import type { RuleModel, TableModel } from './model.ts';
import { inexactCells } from './overlap.ts';
import type { Finding } from './types.ts';

/** Work (see CoverOptions.budget) one rule's cover check may take. */
const RULE_BUDGET = 1_000_000;
/** Work all cover checks together may take (some 10–25 ns a unit). */
const TOTAL_BUDGET = 10_000_000;

/** Rank of a rule under PRIORITY (lower wins), or null when a priority output is not a constant. */
function priorityRank(model: TableModel, rule: RuleModel): number[] | null {
  const rank: number[] = [];
  for (let o = 0; o < model.outputs.length; o++) {
    const values = model.outputs[o]!.values;
    if (!Array.isArray(values) || values.length === 0) continue;
    const v = rule.outputs[o]!.value;
    if (v === undefined) return null;
    const i = values.findIndex((allowed) => equals(fromJson(allowed), v as FeelValue) === true);
    rank.push(i < 0 ? values.length : i);
  }
  return rank;
}

type Outranks = 'yes' | 'no' | 'maybe';

export interface ReachResult {
  findings: Finding[];
  complete: boolean;
}

export function unreachableRules(model: TableModel, live: readonly RuleModel[], pairs: readonly [number, number][], order: number[]): ReachResult {
  const policy = model.policy;
  const ranks = new Map<number, number[] | null>();
  if (policy === 'PRIORITY') for (const r of live) ranks.set(r.index, priorityRank(model, r));
  const outranks = (i: number, k: number): Outranks => {
    if (policy === 'FIRST') return i < k ? 'yes' : 'no';
    const a = ranks.get(i);
    const b = ranks.get(k);
    if (!a || !b) return 'maybe';
    for (let x = 0; x < a.length; x++) if (a[x] !== b[x]) return a[x]! < b[x]! ? 'yes' : 'no';
    return i < k ? 'yes' : 'no';
  };
  const neighbours = new Map<number, number[]>();
  for (const [i, j] of pairs) {
    (neighbours.get(i) ?? neighbours.set(i, []).get(i)!).push(j);
    (neighbours.get(j) ?? neighbours.set(j, []).get(j)!).push(i);
  }
  const finite = model.domains.map((d) => d.isFinite);
  const findings: Finding[] = [];
  let budget = TOTAL_BUDGET;
  let complete = true;

  const covered = (box: AtomSet[], coverers: readonly AtomSet[][]): boolean | null => {
    if (coverers.length === 0) return false;
    const result = findUncovered(
      { box, rules: coverers.map((sets) => sets.map((s, c) => intersect(s, box[c]!))), order, finite },
      { keep: 0, stopAfter: 1, budget: Math.min(RULE_BUDGET, budget) },
    );
    budget -= result.work;
    if (result.count > 0) return false;
    return result.complete ? true : null;
  };

  for (const k of live) {
    if (budget <= 0) {
      complete = false;
      break;
    }
    const near = (neighbours.get(k.index) ?? []).sort((a, b) => a - b).map((i) => model.rules[i]!);
    const sure = near.filter((i) => outranks(i.index, k.index) === 'yes' && k.over.every((s, c) => intersects(s, i.under[c]!)));
    const certain = covered(k.over, sure.map((i) => i.under));
    if (certain === null) complete = false;
    if (certain) {
      findings.push(message(model, k, sure, true));
      continue;
    }
    const unsure = !k.exact || near.some((i) => !i.exact || outranks(i.index, k.index) === 'maybe');
    if (!unsure || k.under.some((s) => s.length === 0)) continue;
    const maybe = near.filter((i) => outranks(i.index, k.index) !== 'no' && k.under.every((s, c) => intersects(s, i.over[c]!)));
    const possible = covered(k.under, maybe.map((i) => i.over));
    if (possible === null) complete = false;
    if (possible) findings.push(message(model, k, maybe, false));
  }
  return { findings, complete };
}

function message(model: TableModel, k: RuleModel, by: readonly RuleModel[], exact: boolean): Finding {
  const ids = by.map((r) => r.id);
  const text =
    model.policy === 'FIRST'
      ? `Rule ${k.id} ${exact ? 'is never used' : 'may never be used'}: every case it matches is matched first by ${ids.length === 1 ? 'the earlier rule' : 'earlier rules'} ${listIds(ids)}. In a FIRST table the first matching rule wins: remove rule ${k.id}, or move it up.`
      : `Rule ${k.id} ${exact ? 'never decides' : 'may never decide'} the outcome: every case it matches is also matched by ${listIds(ids)}, which ${ids.length === 1 ? 'outranks' : 'outrank'} it under PRIORITY (an output of higher priority, or the same priority and an earlier row).`;
  return {
    kind: 'unreachable',
    severity: exact ? 'warning' : 'info',
    rules: [k.id, ...ids],
    path: k.path,
    message: exact ? text : `${text} This depends on cells the analysis cannot check exactly (${inexactCells(model, [k, ...by]) || 'outputs computed from the inputs'}).`,
    exact,
  };
}
