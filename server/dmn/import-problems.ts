// Problem reporting on import: naming the DMN element a problem is about, for logic dmn-moddle could not read and
// for what validateTable refuses in a converted table.
import type { DecisionTable, Problem } from '../engine/types.ts';
import type { RuleOrigin } from './import-table.ts';
import { dmnProblem } from './messages.ts';
import type { DmnTableOrigin, ImportProblem } from './types.ts';

/** The element name of a decision's logic that dmn-moddle could not read (DMN 1.4/1.5 boxed expressions), if any. */
export function unreadLogic(xml: string, decisionId: string): string | undefined {
  const escaped = decisionId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = new RegExp(`<(?:[\\w-]+:)?decision\\b[^>]*\\bid=["']${escaped}["']`).exec(xml);
  if (!start) return undefined;
  const end = xml.indexOf('decision>', start.index + start[0].length);
  const body = xml.slice(start.index + start[0].length, end < 0 ? undefined : end);
  const known = new Set(['variable', 'informationRequirement', 'knowledgeRequirement', 'authorityRequirement', 'description', 'extensionElements', 'question', 'allowedAnswers', 'supportedObjective', 'impactedPerformanceIndicator', 'decisionMaker', 'decisionOwner', 'usingProcess', 'usingTask', 'requiredDecision', 'requiredInput', 'requiredKnowledge', 'requiredAuthority']);
  const depthZero = [...body.matchAll(/<(?:[\w-]+:)?([A-Za-z]\w*)\b/g)].map((m) => m[1]!).find((n) => !known.has(n));
  return depthZero;
}

export const LOGIC_NAMES: Record<string, string> = {
  'dmn:Conditional': 'a boxed conditional (DMN 1.4)',
  'dmn:Filter': 'a boxed filter (DMN 1.4)',
  'dmn:Iterator': 'a boxed iterator (DMN 1.4)',
  'dmn:For': 'a boxed for (DMN 1.4)',
  'dmn:Some': 'a boxed some (DMN 1.4)',
  'dmn:Every': 'a boxed every (DMN 1.4)',
  'dmn:Context': 'a boxed context',
  'dmn:Invocation': 'an invocation (a call of a business knowledge model)',
  'dmn:Relation': 'a relation (a boxed table of values)',
  'dmn:FunctionDefinition': 'a function definition',
  'dmn:List': 'a boxed list',
};

/**
 * Maps an engine problem about a converted table (validateTable's, or the store's checker's, at `/rules/3/when/Age`)
 * to the DMN element it is about; the engine's problem, with its code, is the cause.
 */
export function locate(p: Problem, table: DecisionTable, rules: RuleOrigin[] | null, decision: { id: string; name: string; tableId?: string }): ImportProblem {
  const cause = { message: p.message, ...(p.code === undefined ? {} : { code: p.code, params: p.params ?? {} }) };
  const path = p.path;
  const m = /^\/rules\/(\d+)(?:\/(when|then)\/(.+))?/.exec(path);
  if (m) {
    const rule = table.rules[Number(m[1])];
    const origin = rules?.[Number(m[1])];
    const ruleId = origin?.id ?? rule?.id ?? String(Number(m[1]) + 1);
    if (m[2]) {
      const entryId = origin ? (m[2] === 'when' ? origin.inputEntries : origin.outputEntries).get(m[3]!) : undefined;
      return dmnProblem('error', { element: m[2] === 'when' ? 'inputEntry' : 'outputEntry', id: entryId ?? ruleId, name: decision.name }, 'DMN_CELL', { rule: ruleId, column: m[3]! }, cause);
    }
    return dmnProblem('error', { element: 'rule', id: ruleId, name: decision.name }, 'DMN_RULE', { rule: ruleId }, cause);
  }
  const col = /^\/(inputs|outputs)\/(\d+)/.exec(path);
  if (col) {
    const dmn = (table.meta?.dmn as DmnTableOrigin | undefined)?.[col[1] as 'inputs' | 'outputs'][Number(col[2])];
    return dmnProblem('error', { element: col[1] === 'inputs' ? 'input' : 'output', id: dmn?.id ?? decision.tableId ?? decision.id, name: decision.name }, 'DMN_TABLE', { path }, cause);
  }
  return dmnProblem('error', { element: 'decisionTable', id: decision.tableId ?? decision.id, name: decision.name }, 'DMN_TABLE', { path: path || 'table' }, cause);
}
