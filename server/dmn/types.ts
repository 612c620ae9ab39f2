// What a DMN import produces, besides Beslis decision tables (server/engine/types.ts).
import type { FeelType, MessageParams } from '../engine/index.ts';
import type { DmnMessageCode } from './messages.ts';
import type { ColumnType, DecisionTable } from '../engine/types.ts';

/** One element of a DMN model that could not be imported (error) or was imported with a loss (warning). */
export interface ImportProblem {
  severity: 'error' | 'warning';
  /** The DMN element kind: `decision`, `businessKnowledgeModel`, `inputEntry`, `inputValues`, `xml`… */
  element: string;
  /** The element's DMN id ('' when it has none). */
  id: string;
  /** The element's DMN name, when it has one. */
  name?: string;
  /** In English, made from `code` and `params` (./messages.ts). */
  message: string;
  /** What the problem is, apart from its wording: the editor words it in Dutch or English from this. */
  code: DmnMessageCode;
  params: MessageParams;
  /** The engine's own problem behind this one (a cell that does not parse), with the engine's code when it has one. */
  cause?: ImportCause;
}

/** An engine problem inside an import problem (`{problem}` in the wording). */
export interface ImportCause {
  message: string;
  code?: string;
  params?: MessageParams;
}

/** Where a Beslis table came from in the DMN model: kept in `table.meta.dmn` so export and the TCK runner can map back. */
export interface DmnTableOrigin {
  model: string;
  namespace: string;
  decisionId: string;
  /** The decision's (variable) name: what other decisions and test files call its result. */
  decisionName: string;
  /** The decisionTable element's id. */
  tableId?: string;
  /** Per input column, in order. `hidden`: not a DMN input clause but a name the cells read from the decision's requirements. */
  inputs: { id?: string; dmnName?: string; typeRef?: string; hidden?: boolean }[];
  /** Per output column, in order: the DMN output name (the Beslis name may have been made valid). */
  outputs: { id?: string; dmnName: string; typeRef?: string }[];
}

/** A decision whose logic is a FEEL literal expression: evaluated with the engine's compileExpression. */
export interface LiteralDecision {
  /** A Beslis id (`model.decision`), unique among the model's tables and literal decisions. */
  id: string;
  /** The decision's (variable) name. */
  name: string;
  title: string;
  description?: string;
  expression: string;
  /** The decision's result type as far as Beslis types go. */
  type: ColumnType;
  /** Ids of the decisions (tables or literal decisions) evaluated first; their results are in scope by name. */
  requires: string[];
  /** Names in scope whose JSON text stands for a date, time or duration (input data and required decisions). */
  types: Record<string, ColumnType>;
  /** Every name in scope (input data and required decisions, of any type): names with spaces parse as one name. */
  names?: string[];
  /** The decision's declared result type (its variable's typeRef, item definitions resolved): the result is converted to it. */
  resultType?: FeelType;
  /** The model's item definitions as FEEL types, for `instance of` (shared by the model's literal decisions). */
  typeNames?: Record<string, FeelType>;
  meta: { source: string; dmn: { model: string; namespace: string; decisionId: string; decisionName: string } };
}

export interface DmnImport {
  /** One table per decision table, in document order, each with `meta.dmn` (DmnTableOrigin). */
  tables: DecisionTable[];
  literalDecisions: LiteralDecision[];
  /** Everything that was not imported, or imported with a loss, element by element. */
  problems: ImportProblem[];
  model: { name: string; namespace: string; id: string; dmnVersion: string };
}
