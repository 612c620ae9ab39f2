// Static analysis of a decision table (docs/architecture.md): cells that do not parse, values outside an input's or output's
// `values`, UNIQUE overlaps and ANY conflicts with an example case, gaps with example cases, and rules a FIRST or
// PRIORITY table never uses. Works from the table JSON alone, so a half-edited draft that does not compile can be
// analysed too; pure TypeScript, for the server and the browser editor.
//
// Method (see analysis/): each input column is a domain cut into atoms (domain.ts); each cell is a set of atoms
// (cells.ts), each rule a box of sets. Overlap: boxes meet in every column (overlap.ts). Gaps and unreachable rows:
// recursive splitting column by column (cover.ts). Cells the analysis cannot evaluate (other inputs, `?`, function
// calls, text ordering) get an under- and an over-approximation: findings that rest on them say `exact: false`.
import { inexactFindings, inputValueFindings, neverMatchFindings, outputValueFindings } from './analysis/checks.ts';
import { gapFindings } from './analysis/gaps.ts';
import { buildModel } from './analysis/model.ts';
import { meetingPairs, pairFindings, splitOrder } from './analysis/overlap.ts';
import { unreachableRules } from './analysis/reach.ts';
import type { AnalysisReport, Finding, GapSummary } from './analysis/types.ts';
import type { DecisionTable } from './types.ts';

export type { AnalysisReport, Finding, FindingKind, GapSummary, Severity } from './analysis/types.ts';

/** A table-wide note that a check stopped at its budget. */
function notice(kind: Finding['kind'], code: 'PAIRS_INCOMPLETE' | 'REACH_INCOMPLETE', message: string): Finding {
  return { kind, severity: 'info', rules: [], path: '/rules', message, exact: false, code };
}

export function analyzeTable(table: DecisionTable): AnalysisReport {
  const model = buildModel(table);
  const policy = model.policy;
  const findings: Finding[] = [...model.findings, ...inputValueFindings(model), ...outputValueFindings(model), ...inexactFindings(model), ...neverMatchFindings(model)];

  const live = model.rules.filter((r) => !r.empty);
  const order = splitOrder(model, live);
  let complete = true;

  const needPairs = policy === 'UNIQUE' || policy === 'ANY' || policy === 'FIRST' || policy === 'PRIORITY';
  const pairs = needPairs ? meetingPairs(model, live, order) : { pairs: [], complete: true };
  if (!pairs.complete) {
    complete = false;
    findings.push(notice(policy === 'ANY' ? 'conflict' : policy === 'UNIQUE' ? 'overlap' : 'unreachable', 'PAIRS_INCOMPLETE', 'Not every pair of rules could be compared: the table is large for this check, so some problems may be missing.'));
  }
  if (policy === 'UNIQUE' || policy === 'ANY') findings.push(...pairFindings(model, pairs.pairs, pairs.complete));
  if (policy === 'FIRST' || policy === 'PRIORITY') {
    const reach = unreachableRules(model, live, pairs.pairs, order);
    findings.push(...reach.findings);
    if (!reach.complete) {
      complete = false;
      findings.push(notice('unreachable', 'REACH_INCOMPLETE', 'Not every rule could be checked for being reachable: the table is large for this check, so some unused rules may be missing.'));
    }
  }

  let gaps: GapSummary | null = null;
  const hasDefault = model.outputs.some((o) => o.default !== undefined);
  if (needPairs && !hasDefault) {
    const result = gapFindings(model, live, order);
    findings.push(...result.findings);
    gaps = result.summary;
    if (!gaps.complete) complete = false;
  }

  const exact = model.rules.every((r) => r.exact);
  return { tableId: typeof table.id === 'string' ? table.id : '', hitPolicy: policy, findings, exact, complete, gaps };
}
