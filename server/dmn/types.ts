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
  /** The elements beyond tables and literal decisions, for the in-memory evaluation only (not stored). */
  boxed?: BoxedModel;
}

/**
 * A DMN boxed expression as read from the model (DMN 1.5 chapter 7), for the in-memory evaluation (./boxed.ts).
 * `id` is the DMN element's id; `type` the declared type (typeRef resolved), when one is given.
 */
export type BoxedExpr =
  | { kind: 'literal'; id: string; text: string; type?: FeelType }
  | { kind: 'context'; id: string; type?: FeelType; entries: { id: string; name: string | null; type?: FeelType; value: BoxedExpr }[] }
  | { kind: 'list'; id: string; type?: FeelType; items: BoxedExpr[] }
  | { kind: 'relation'; id: string; type?: FeelType; columns: string[]; rows: BoxedExpr[][] }
  | { kind: 'invocation'; id: string; type?: FeelType; callee: string; bindings: { name: string; value: BoxedExpr | null }[] }
  /** `java`: a function definition of kind Java, its body the mapping context (class, method signature). */
  | { kind: 'function'; id: string; type?: FeelType; params: { name: string; type: FeelType }[]; body: BoxedExpr; java?: true }
  | { kind: 'table'; id: string; table: DecisionTable };

/** A decision whose logic is a boxed expression, or that needs what only the boxed evaluation gives (a BKM, a function). */
export interface BoxedDecision {
  /** A Beslis id (`model.decision`), unique among the model's decisions. */
  id: string;
  dmnId: string;
  name: string;
  logic: BoxedExpr;
  /** The decision has no logic: only a decision service's input decision gives its value. */
  noLogic?: true;
  /** Ids (Beslis) of the required decisions. */
  requires: string[];
  /** DMN ids of the required business knowledge models and decision services. */
  knowledge: string[];
  /** The required input data with their Beslis types (a date's JSON text is read as a date). */
  inputs: { name: string; type: ColumnType | null }[];
  resultType: FeelType;
}

/** A business knowledge model: a function (its encapsulated logic) other elements invoke by name. */
export interface KnowledgeModel {
  dmnId: string;
  name: string;
  logic: Extract<BoxedExpr, { kind: 'function' }> | null;
  knowledge: string[];
  resultType: FeelType;
}

/** A decision service: its output decisions evaluated from its input decisions and input data (DMN 1.5 10.4). */
export interface DecisionService {
  dmnId: string;
  name: string;
  /** Beslis ids of the output decisions, in order. */
  outputs: string[];
  /** Beslis ids of the input decisions: their values are parameters (after the input data), not evaluated. */
  inputDecisions: string[];
  /** The input data's names: the first parameters. */
  inputData: string[];
  /** The parameters' declared types, input data then input decisions (their typeRefs); absent: Any. */
  paramTypes?: FeelType[];
  resultType: FeelType;
}

/**
 * What only the in-memory evaluation of a model uses (the TCK runner): boxed decisions, BKMs, decision services, and
 * the tables and literal decisions left out of `tables` because they need one of those. The store never sees these.
 */
export interface BoxedModel {
  decisions: BoxedDecision[];
  knowledgeModels: KnowledgeModel[];
  services: DecisionService[];
  tables: DecisionTable[];
  literalDecisions: LiteralDecision[];
  typeNames: Record<string, FeelType>;
}
