// Input cases no rule covers, for the single-hit policies when no output has a default. Certain gaps are the regions
// no rule may cover (over-boxes); when some cells are inexact, regions that only those cells might cover are reported
// as possible gaps (exact: false).
import { has } from './atom-set.ts';
import { findUncovered } from './cover.ts';
import { describeRegion, examplePoint, listIds } from './examples.ts';
import type { RuleModel, TableModel } from './model.ts';
import { inexactCells } from './overlap.ts';
import type { Finding, GapSummary } from './types.ts';

export const MAX_GAP_EXAMPLES = 10;
/** Work (see CoverOptions.budget, some 10–25 ns a unit) for the gap search, and for the search for possible gaps. */
const GAP_BUDGET = 10_000_000;
const POSSIBLE_GAP_BUDGET = 4_000_000;

export function gapFindings(model: TableModel, live: readonly RuleModel[], order: number[]): { findings: Finding[]; summary: GapSummary } {
  const box = model.domains.map((d) => d.full);
  const finite = model.domains.map((d) => d.isFinite);
  const runs = model.domains.map((d) => d.plan.kind === 'line');
  const certain = findUncovered({ box, rules: live.map((r) => r.over), order, finite, runs }, { keep: MAX_GAP_EXAMPLES, budget: GAP_BUDGET });
  const findings: Finding[] = certain.regions.map((region) => {
    const where = describeRegion(model, region);
    return {
      kind: 'gap',
      severity: 'warning',
      rules: [],
      path: '/rules',
      message:
        where === null
          ? 'No rule can match any case. Add rules, or give the outputs a default.'
          : `No rule covers the cases where ${where}. Add a rule for them, or give the outputs a default.`,
      example: examplePoint(model, region).json,
      exact: true,
    };
  });
  const listed = findings.length;
  if (!certain.complete) {
    findings.push({
      kind: 'gap',
      severity: 'info',
      rules: [],
      path: '/rules',
      message: `The search for gaps stopped early, as the table is large for it: at least ${certain.count} uncovered regions${
        listed > 0 ? `, of which the first ${listed} are listed` : ''
      }; there may be more.`,
      exact: false,
      code: 'GAPS_INCOMPLETE',
      params: { count: certain.count, listed },
    });
  } else if (certain.count > listed) {
    findings.push({
      kind: 'gap',
      severity: 'info',
      rules: [],
      path: '/rules',
      message: `${certain.count} uncovered regions in total${certain.combinations !== null ? ` (${certain.combinations} input combinations)` : ''}; the first ${listed} are listed.`,
      exact: true,
      code: 'GAPS_TOTAL',
      params: { count: certain.count, listed, ...(certain.combinations !== null ? { combinations: certain.combinations } : {}) },
    });
  }

  if (live.some((r) => !r.exact)) {
    const possible = findUncovered({ box, rules: live.map((r) => r.under), order, finite, runs }, { keep: MAX_GAP_EXAMPLES, budget: POSSIBLE_GAP_BUDGET });
    for (const region of possible.regions) {
      const point = examplePoint(model, region);
      const maybe = live.filter((r) => r.over.every((s, c) => has(s, point.atoms[c]!)));
      if (maybe.length === 0) continue; // certainly uncovered: among the certain gaps already
      const where = describeRegion(model, region);
      findings.push({
        kind: 'gap',
        severity: 'info',
        rules: maybe.map((r) => r.id),
        path: '/rules',
        message: `${where === null ? 'Some cases' : `The cases where ${where}`} may not be covered: only ${maybe.length === 1 ? 'rule' : 'rules'} ${listIds(
          maybe.map((r) => r.id),
        )} might match them, through cells the analysis cannot check exactly (${inexactCells(model, maybe)}). Try the example case.`,
        example: point.json,
        exact: false,
      });
    }
  }
  return {
    findings,
    summary: { regions: certain.count, combinations: certain.combinations, complete: certain.complete },
  };
}
