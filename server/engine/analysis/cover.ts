// Which parts of a box (one set of atoms per column) no rule box covers. Used for gaps (the box is the whole input
// space) and for unreachable rows (the box is the row itself, the rules those that win before it).
//
// Method: recursive splitting, column by column. At one column, cut the box's set at every boundary of the rules'
// sets; pieces covered by the same rules form one group; recurse into the next column with those rules. A group no
// rule covers is an uncovered region. Sub-problems (same column, same rules) recur often and are remembered.
import { complement, EMPTY, intersect, isSubset, sizeOf, SetBuilder, type AtomSet } from './atom-set.ts';

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
  /**
   * Work allowed before giving up (the result is then incomplete): one unit per rule looked at in a step, per
   * boundary sorted and per rule copied into a group.
   */
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
  /** Work spent, in the units of `budget`. */
  work: number;
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
  const memo = new Map<string, { rules: number[]; sub: Sub }>();
  let work = 0;
  let found = 0;
  let aborted = false;
  const stopAfter = opts.stopAfter ?? Infinity;
  if (box.some((s) => s.length === 0)) return { regions: [], count: 0, combinations: 0, complete: true, work: 0 };

  const boxSize = order.map((c) => sizeOf(box[c]!));
  // Combinations of the untouched columns from depth on.
  const suffixCombos: number[] = new Array<number>(columns + 1).fill(1);
  for (let d = columns - 1; d >= 0; d--) suffixCombos[d] = suffixCombos[d + 1]! * boxSize[d]!;
  const suffixBox = (depth: number) => order.slice(depth).map((c) => box[c]!);
  // From which depth on a rule covers every remaining column of the box: a node holding such a rule is covered.
  const fullFrom = rules.map((sets) => {
    let d = columns;
    while (d > 0 && isSubset(box[order[d - 1]!]!, sets[order[d - 1]!]!)) d--;
    return d;
  });
  const runs = problem.runs ?? [];

  const solve = (depth: number, active: number[]): Sub => {
    if (active.length === 0) {
      found++;
      return { count: 1, combinations: suffixCombos[depth]!, regions: found > opts.keep ? [] : [suffixBox(depth)] };
    }
    for (const r of active) if (fullFrom[r]! <= depth) return NONE;
    work += NODE_COST + active.length;
    if (aborted || work > opts.budget || found >= stopAfter) {
      aborted = true;
      return NONE;
    }
    const col = order[depth]!;
    const whole = box[col]!;
    if (depth === columns - 1) return lastColumn(whole, active, runs[col] === true);

    let ha = 0;
    let hb = 0;
    for (const r of active) {
      ha ^= hashA(r);
      hb ^= hashB(r);
    }
    const key = `${depth}:${active.length}:${ha}:${hb}`;
    const known = memo.get(key);
    if (known && known.rules.length === active.length && known.rules.every((r, i) => r === active[i])) {
      found += known.sub.count;
      return known.sub;
    }
    const always: number[] = [];
    const partial: number[] = [];
    for (const r of active) (isSubset(whole, rules[r]![col]!) ? always : partial).push(r);

    let groups: { set: AtomSet; rules: number[] }[];
    if (partial.length === 0) groups = [{ set: whole, rules: active }];
    else {
      groups = split(whole, partial, always, rules, col, runs[col] === true);
      work += 2 * partial.length + groups.length * (GROUP_COST + active.length);
    }

    // Regions are listed in search order, so once `keep` are found no later node's regions are ever shown.
    const listing = found < opts.keep;
    const out: Sub = { count: 0, combinations: 0, regions: [] };
    for (const g of groups) {
      const sub = solve(depth + 1, g.rules);
      out.count += sub.count;
      out.combinations += sizeOf(g.set) * sub.combinations;
      for (const region of listing ? sub.regions : []) {
        if (out.regions.length >= opts.keep) break;
        out.regions.push([g.set, ...region]);
      }
      if (aborted) break;
    }
    if (!aborted && !known) memo.set(key, { rules: active, sub: out });
    return out;
  };

  /** The last column needs no grouping: what the rules' sets leave of the box is uncovered. */
  const lastColumn = (whole: AtomSet, active: number[], byRun: boolean): Sub => {
    const col = order[columns - 1]!;
    const ranges: [number, number][] = [];
    for (const r of active) {
      const s = rules[r]![col]!;
      for (let i = 0; i < s.length; i += 2) ranges.push([s[i]!, s[i + 1]!]);
    }
    ranges.sort((a, b) => a[0] - b[0]);
    const covered = new SetBuilder();
    for (const [lo, hi] of ranges) covered.add(lo, hi);
    const left = intersect(whole, complement(covered.build(), whole[whole.length - 1]! + 1));
    if (left.length === 0) return NONE;
    const pieces: AtomSet[] = byRun ? [] : [left];
    if (byRun) for (let i = 0; i < left.length; i += 2) pieces.push([left[i]!, left[i + 1]!]);
    const listing = found < opts.keep;
    found += pieces.length;
    return { count: pieces.length, combinations: sizeOf(left), regions: listing ? pieces.slice(0, opts.keep).map((p) => [p]) : [] };
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
    work,
  };
}

const NONE: Sub = { count: 0, combinations: 0, regions: [] };
/** Work units for a search step and for a group, on top of the rules they handle. */
const NODE_COST = 16;
const GROUP_COST = 8;

/**
 * Cuts `whole` at every boundary of the partial rules' sets and groups the pieces by the rules covering them.
 * `partial` and `always` are ascending; so are the groups' rule lists (no sorting needed).
 */
function split(whole: AtomSet, partial: number[], always: number[], rules: AtomSet[][], col: number, runs: boolean): { set: AtomSet; rules: number[] }[] {
  // Events as numbers `position * M + code`, code < P: rule partial[code] ends; code ≥ P: rule partial[code - P] starts.
  const P = partial.length;
  const M = 2 * P;
  const keys: number[] = [];
  const flags = new Uint8Array(P);
  for (let i = 0; i < P; i++) {
    const s = intersect(rules[partial[i]!]![col]!, whole);
    for (let k = 0; k < s.length; k += 2) keys.push(s[k]! * M + P + i, (s[k + 1]! + 1) * M + i);
  }
  const events = Float64Array.from(keys).sort();

  // Keyed by the covering rules' count and hashes (53 bits); a collision between two sets of rules is negligible.
  const groups = new Map<number, { set: SetBuilder; rules: number[] }>();
  let count = 0;
  let ha = 0;
  let hb = 0;
  const members = (): number[] => {
    // Merge `always` with the flagged partial rules, both ascending.
    const out: number[] = [];
    let a = 0;
    for (let i = 0; i < P; i++) {
      if (flags[i] === 0) continue;
      const r = partial[i]!;
      while (a < always.length && always[a]! < r) out.push(always[a++]!);
      out.push(r);
    }
    while (a < always.length) out.push(always[a++]!);
    return out;
  };
  const emit = (lo: number, hi: number) => {
    for (let i = 0; i < whole.length; i += 2) {
      const a = Math.max(lo, whole[i]!);
      const b = Math.min(hi, whole[i + 1]!);
      if (a > b) continue;
      const key = ((ha ^ Math.imul(count, 0x9e3779b1)) >>> 0) * 0x200000 + (hb & 0x1fffff);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { set: new SetBuilder(), rules: members() }));
      g.set.add(a, b);
    }
  };
  const end = whole[whole.length - 1]!;
  let pos = whole[0]!;
  let k = 0;
  while (k < events.length) {
    const at = Math.floor(events[k]! / M);
    if (at > pos) {
      emit(pos, Math.min(at - 1, end));
      pos = at;
    }
    while (k < events.length && Math.floor(events[k]! / M) === at) {
      const code = events[k]! - at * M;
      const i = code >= P ? code - P : code;
      const r = partial[i]!;
      if (code >= P) {
        flags[i] = 1;
        count++;
      } else {
        flags[i] = 0;
        count--;
      }
      ha ^= hashA(r);
      hb ^= hashB(r);
      k++;
    }
  }
  if (pos <= end) emit(pos, end);

  const out: { set: AtomSet; rules: number[] }[] = [];
  for (const g of groups.values()) {
    const set = g.set.build();
    if (g.rules.length === 0 && runs) for (let i = 0; i < set.length; i += 2) out.push({ set: [set[i]!, set[i + 1]!], rules: g.rules });
    else out.push({ set, rules: g.rules });
  }
  return out;
}
