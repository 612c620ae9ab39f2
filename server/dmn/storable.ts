// What of a DMN import Beslis can keep: its decision tables. A literal-expression decision runs in the TCK runner
// but has no place in the store, so an import into the store (the CLI's `beslis import`, the editor's upload)
// refuses it by name, as it refuses a model without tables or with more tables than one import takes in.
import type { DecisionTable } from '../engine/types.ts';
import { dmnProblem } from './messages.ts';
import type { DmnImport, DmnTableOrigin, ImportProblem } from './types.ts';

/** Decision tables one import into the store takes in at most. */
export const MAX_STORED_DMN_TABLES = 200;

/** The DMN decision a converted table came from (its id and name), for naming it in problems. */
export function decisionOf(table: DecisionTable): { id: string; name: string; tableId?: string } {
  const origin = table.meta?.dmn as DmnTableOrigin | undefined;
  return { id: origin?.decisionId ?? table.id, name: origin?.decisionName ?? table.title, ...(origin?.tableId ? { tableId: origin.tableId } : {}) };
}

/** The import's problems plus the refusals of the store: literal decisions, no table, too many tables. */
export function storableProblems(result: DmnImport, maxTables = MAX_STORED_DMN_TABLES): ImportProblem[] {
  const problems = [...result.problems];
  for (const lit of result.literalDecisions) {
    problems.push(dmnProblem('error', { element: 'decision', id: lit.id, name: lit.name }, 'DMN_LITERAL_DECISION'));
  }
  // A literal decision that calls a BKM or reads a boxed one is evaluated in memory only (`boxed`): refused as one too.
  // Every other element of `boxed` is refused by the import's own problems (a boxed context, a BKM, a service).
  const refused = new Set(result.problems.filter((p) => p.severity === 'error').map((p) => p.id));
  for (const d of result.boxed?.decisions ?? []) {
    if (d.logic.kind === 'literal' && !refused.has(d.dmnId)) problems.push(dmnProblem('error', { element: 'decision', id: d.id, name: d.name }, 'DMN_LITERAL_DECISION'));
  }
  if (result.tables.length === 0 && !problems.some((p) => p.severity === 'error')) {
    problems.push(dmnProblem('error', { element: 'definitions', id: result.model.id }, 'DMN_NO_TABLES'));
  }
  if (result.tables.length > maxTables) {
    problems.push(dmnProblem('error', { element: 'definitions', id: result.model.id }, 'DMN_TOO_MANY_TABLES', { count: result.tables.length, limit: maxTables }));
  }
  return problems;
}
