// Which parts of a box (one set of atoms per column) no rule box covers. Used for gaps (the box is the whole input
// space) and for unreachable rows (the box is the row itself, the rules those that win before it).
//
// Method: recursive splitting, column by column. At one column, cut the box's set at every boundary of the rules'
// sets; pieces covered by the same rules form one group; recurse into the next column with those rules. A group no
// rule covers is an uncovered region. Sub-problems (same column, same rules) recur often and are remembered.
import { EMPTY, intersect, isSubset, sizeOf, SetBuilder, type AtomSet } from './atom-set.ts';

export interface CoverProblem {
  /** Per column: the part of the column to cover. */
  box: AtomSet[];
  /** Per rule: per column, the rule's set (callers pass only rules that meet the box). */
  rules: AtomSet[][];
  /** Column order for splitting (most selective first). */
  order: number[];
  /** Per column: every atom is one value (so combinations can be counted). */
  finite: boolean[];
  /** Per column: report an uncovered part run by run (lines: each interval separately) instead of as one set. */
  runs?: boolean[];
}

export interface CoverOptions {
  /** How many uncovered regions to return (the count goes on). */
  keep: number;
  /** Stop as soon as this many regions are found (1: "is anything uncovered?"). */
  stopAfter?: number;
  /** Maximum search steps before giving up (the result is then incomplete). */
  budget: number;
}

export interface CoverResult {
  /** Uncovered regions: per column, a set of atoms. */
  regions: AtomSet[][];
  /** Disjoint uncovered regions in this decomposition. */
  count: number;
  /** Uncovered atom combinations when every column is finite, else null. */
  combinations: number | null;
  complete: boolean;
  steps: number;
}

interface Sub {
  count: number;
  combinations: number;
  /** Uncovered regions over the columns order[depth…], in that order. */
  regions: AtomSet[][];
}

// Zobrist-style keys: a piece's covering rules are identified by two 32-bit hashes of the rule indices.
function hashA(i: number): number {
  let x = (i + 1) * 0x9e3779b1;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  return x >>> 0;
}
function hashB(i: number): number {
  let x = (i + 7) * 0xc2b2ae35;
  x ^= x >>> 15;
  x = Math.imul(x, 0x27d4eb2f);
  x ^= x >>> 16;
  return x >>> 0;
}

export function findUncovered(problem: CoverProblem, opts: CoverOptions): CoverResult {
  const { box, rules, order } = problem;
  const columns = order.length;
  const memo = new Map<string, Sub>();
  let steps = 0;
  let found = 0;
  let aborted = false;
  const stopAfter = opts.stopAfter ?? Infinity;
  if (box.some((s) => s.length === 0)) return { regions: [], count: 0, combinations: 0, complete: true, steps: 0 };

  const boxSize = order.map((c) => sizeOf(box[c]!));
  // Combinations of the untouched columns from depth on.
  const suffixCombos: number[] = new Array<number>(columns + 1).fill(1);
  for (let d = columns - 1; d >= 0; d--) suffixCombos[d] = suffixCombos[d + 1]! * boxSize[d]!;
  const suffixBox = (depth: number) => order.slice(depth).map((c) => box[c]!);

  const solve = (depth: number, active: number[]): Sub => {
    if (active.length === 0) {
      found++;
      return { count: 1, combinations: suffixCombos[depth]!, regions: [suffixBox(depth)] };
    }
    if (depth === columns) return { count: 0, combinations: 0, regions: [] };
    if (aborted || ++steps > opts.budget || found >= stopAfter) {
      aborted = true;
      return { count: 0, combinations: 0, regions: [] };
    }
    const key = depth + ':' + active.join(',');
    const known = memo.get(key);
    if (known) {
      found += known.count;
      return known;
    }
    const col = order[depth]!;
    const whole = box[col]!;
    const always: number[] = [];
    const partial: number[] = [];
    for (const r of active) (isSubset(whole, rules[r]![col]!) ? always : partial).push(r);

    let groups: { set: AtomSet; rules: number[] }[];
    if (partial.length === 0) groups = [{ set: whole, rules: active }];
    else groups = split(whole, partial, always, rules, col, problem.runs?.[col] === true);

    const out: Sub = { count: 0, combinations: 0, regions: [] };
    for (const g of groups) {
      const sub = solve(depth + 1, g.rules);
      out.count += sub.count;
      out.combinations += sizeOf(g.set) * sub.combinations;
      for (const region of sub.regions) {
        if (out.regions.length >= opts.keep) break;
        out.regions.push([g.set, ...region]);
      }
      if (aborted) break;
    }
    if (!aborted) memo.set(key, out);
    return out;
  };

  const top = solve(0, rules.map((_, i) => i));
  const regions = top.regions.map((region) => {
    const byColumn: AtomSet[] = new Array<AtomSet>(box.length).fill(EMPTY);
    order.forEach((c, d) => (byColumn[c] = region[d]!));
    return byColumn;
  });
  return {
    regions,
    count: top.count,
    combinations: problem.finite.every(Boolean) ? top.combinations : null,
    complete: !aborted,
    steps,
  };
}

/** Cuts `whole` at every boundary of the partial rules' sets and groups the pieces by the rules covering them. */
function split(whole: AtomSet, partial: number[], always: number[], rules: AtomSet[][], col: number, runs: boolean): { set: AtomSet; rules: number[] }[] {
  // Events: +rule at a range start, -rule after a range end.
  const events: number[] = []; // pairs (position, signed rule index + 1)
  for (const r of partial) {
    const s = intersect(rules[r]![col]!, whole);
    for (let i = 0; i < s.length; i += 2) events.push(s[i]!, r + 1, s[i + 1]! + 1, -(r + 1));
  }
  const order = new Int32Array(events.length / 2).map((_, i) => i);
  order.sort((a, b) => events[2 * a]! - events[2 * b]!);

  const groups = new Map<string, { set: SetBuilder; rules: number[] | null; members: Set<number> | null }>();
  const activeSet = new Set<number>();
  let ha = 0;
  let hb = 0;
  const emit = (lo: number, hi: number) => {
    // Pieces of `whole` between two cuts.
    for (let i = 0; i < whole.length; i += 2) {
      const a = Math.max(lo, whole[i]!);
      const b = Math.min(hi, whole[i + 1]!);
      if (a > b) continue;
      const key = `${activeSet.size}:${ha}:${hb}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { set: new SetBuilder(), rules: null, members: new Set(activeSet) }));
      g.set.add(a, b);
    }
  };
  const start = whole[0]!;
  const end = whole[whole.length - 1]!;
  let pos = start;
  let k = 0;
  while (k < order.length) {
    const at = events[2 * order[k]!]!;
    if (at > pos) {
      emit(pos, Math.min(at - 1, end));
      pos = at;
    }
    while (k < order.length && events[2 * order[k]!]! === at) {
      const signed = events[2 * order[k]! + 1]!;
      const r = Math.abs(signed) - 1;
      if (signed > 0) activeSet.add(r);
      else activeSet.delete(r);
      ha ^= hashA(r);
      hb ^= hashB(r);
      k++;
    }
  }
  if (pos <= end) emit(pos, end);

  const out: { set: AtomSet; rules: number[] }[] = [];
  for (const g of groups.values()) {
    const members = [...always, ...g.members!].sort((a, b) => a - b);
    const set = g.set.build();
    if (members.length === 0 && runs) for (let i = 0; i < set.length; i += 2) out.push({ set: [set[i]!, set[i + 1]!], rules: members });
    else out.push({ set, rules: members });
  }
  return out;
}
