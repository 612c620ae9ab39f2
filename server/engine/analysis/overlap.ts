// Pairs of rules that can match the same case: UNIQUE overlaps and ANY conflicts. Two rules overlap when their sets
// meet in every column; the example is one value from each column's intersection.
import { intersect, intersects, sizeOf, type AtomSet } from './atom-set.ts';
import { compareOutputs, describeRegion, examplePoint } from './examples.ts';
import { quoteCell } from './domain.ts';
import type { RuleModel, TableModel } from './model.ts';
import type { Finding } from './types.ts';

export interface Pairs {
  /** Pairs [i, j] (rule indices, i < j) whose over-boxes meet in every column. */
  pairs: [number, number][];
  complete: boolean;
}

/** At most this many overlap or conflict findings; the rest are counted in one more finding. */
export const MAX_PAIR_FINDINGS = 100;
const MAX_PAIR_CHECKS = 2_000_000;

/**
 * Every pair of live rules whose over-boxes meet. Sweeps the most selective column: rules are sorted by the first atom
 * of their set there and compared only with rules whose span starts before theirs ends.
 */
export function meetingPairs(model: TableModel, live: readonly RuleModel[], order: readonly number[]): Pairs {
  const pairs: [number, number][] = [];
  const sweep = order[0];
  if (sweep === undefined) {
    for (let a = 0; a < live.length; a++) for (let b = a + 1; b < live.length; b++) pairs.push([live[a]!.index, live[b]!.index]);
    return { pairs, complete: true };
  }
  const span = live.map((r) => {
    const s = r.over[sweep]!;
    return { rule: r, lo: s[0]!, hi: s[s.length - 1]! };
  });
  span.sort((x, y) => x.lo - y.lo || x.rule.index - y.rule.index);
  const columns = model.domains.length;
  let checks = 0;
  for (let a = 0; a < span.length; a++) {
    const x = span[a]!;
    for (let b = a + 1; b < span.length && span[b]!.lo <= x.hi; b++) {
      if (++checks > MAX_PAIR_CHECKS) return { pairs, complete: false };
      const y = span[b]!;
      let meet = true;
      for (let c = 0; c < columns && meet; c++) meet = intersects(x.rule.over[c]!, y.rule.over[c]!);
      if (meet) pairs.push(x.rule.index < y.rule.index ? [x.rule.index, y.rule.index] : [y.rule.index, x.rule.index]);
    }
  }
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return { pairs, complete: true };
}

function meetAll(a: readonly AtomSet[], b: readonly AtomSet[]): AtomSet[] | null {
  const out: AtomSet[] = [];
  for (let c = 0; c < a.length; c++) {
    const s = intersect(a[c]!, b[c]!);
    if (s.length === 0) return null;
    out.push(s);
  }
  return out;
}

/** The inexact cells of two rules, for messages: `rule X, bedrag: "> drempel"`. */
export function inexactCells(model: TableModel, rules: readonly RuleModel[]): string {
  const cells = rules.flatMap((r) => r.cells.filter((c) => !c.exact).map((c) => `rule ${r.id}, ${model.domains[c.column]!.column.name}: ${quoteCell(c.text)}`));
  return cells.length > 5 ? `${cells.slice(0, 5).join('; ')}; and ${cells.length - 5} more` : cells.join('; ');
}

/** UNIQUE overlaps and ANY conflicts among the meeting pairs. */
export function pairFindings(model: TableModel, pairs: readonly [number, number][], allPairs = true): Finding[] {
  const policy = model.policy;
  const findings: Finding[] = [];
  let dropped = 0;
  for (const [i, j] of pairs) {
    const a = model.rules[i]!;
    const b = model.rules[j]!;
    const certainRegion = meetAll(a.under, b.under);
    const region = certainRegion ?? meetAll(a.over, b.over);
    if (!region) continue;
    const certain = certainRegion !== null;
    if (findings.length >= MAX_PAIR_FINDINGS) {
      // Past the cap only count: no example, no words.
      if (policy === 'UNIQUE' || !compareOutputs(model, a, b, null).same) dropped++;
      continue;
    }
    const point = examplePoint(model, region);
    const where = describeRegion(model, region);
    const when = where === null ? 'every case' : `when ${where}`;
    const maybeWhen = where === null ? 'the same case' : `when ${where}`;
    const ids = [a.id, b.id];
    let finding: Finding | null = null;
    if (policy === 'UNIQUE') {
      finding = certain
        ? {
            kind: 'overlap',
            severity: 'error',
            rules: ids,
            path: b.path,
            message: `Rules ${a.id} and ${b.id} both match ${when}. In a UNIQUE table at most one rule may match a case: make the rules exclude each other, or choose another hit policy.`,
            example: point.json,
            exact: true,
          }
        : {
            kind: 'overlap',
            severity: 'warning',
            rules: ids,
            path: b.path,
            message: `Rules ${a.id} and ${b.id} may both match ${maybeWhen}, depending on cells the analysis cannot check exactly (${inexactCells(model, [a, b])}). Try the example case.`,
            example: point.json,
            exact: false,
          };
    } else if (policy === 'ANY') {
      const agreement = compareOutputs(model, a, b, point);
      if (agreement.same) continue;
      const exact = certain && agreement.certain;
      const differ = agreement.differences.length > 0 ? `give different outcomes: ${agreement.differences.join('; ')}` : 'may give different outcomes';
      const match = certain ? `both match ${when}` : `may both match ${maybeWhen}`;
      finding = {
        kind: 'conflict',
        severity: exact ? 'error' : 'warning',
        rules: ids,
        path: b.path,
        message: `Rules ${a.id} and ${b.id} ${match} and ${differ}. In an ANY table rules that match the same case must agree.${
          exact ? '' : ` The analysis cannot check this exactly (${inexactCells(model, [a, b]) || 'outputs computed from the inputs'}).`
        }`,
        example: point.json,
        exact,
      };
    }
    if (finding) findings.push(finding);
  }
  if (dropped > 0) {
    const kind = policy === 'ANY' ? 'conflict' : 'overlap';
    findings.push({
      kind,
      severity: 'info',
      rules: [],
      path: '/rules',
      message: `${allPairs ? '' : 'At least '}${dropped} more pairs of rules ${kind === 'overlap' ? 'overlap' : 'conflict'}; only the first ${MAX_PAIR_FINDINGS} are listed.`,
      code: 'PAIRS_MORE',
      params: { count: dropped, listed: MAX_PAIR_FINDINGS, atLeast: allPairs ? 0 : 1 },
    });
  }
  return findings;
}

/** Columns from most to least selective: the average share of a column's atoms a rule's cell takes. */
export function splitOrder(model: TableModel, live: readonly RuleModel[]): number[] {
  const share = model.domains.map((d, c) => {
    if (live.length === 0) return 1;
    let sum = 0;
    for (const r of live) sum += sizeOf(r.over[c]!) / d.atoms.length;
    return sum / live.length;
  });
  return model.domains.map((_, c) => c).sort((x, y) => share[x]! - share[y]! || x - y);
}
