// The decision-table format and the engine's result shapes (docs/contracts.md).
// These types are shared by the engine, the store, the API, the DMN interop and the editor.

/** The FEEL type of a JSON text that is not a string ("FEEL values in JSON" in docs/contracts.md). */
export type TextTypeName = 'date' | 'time' | 'date and time' | 'days and time duration' | 'years and months duration';

export type HitPolicy = 'UNIQUE' | 'ANY' | 'PRIORITY' | 'FIRST' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';
export type ColumnType = 'string' | 'number' | 'boolean' | 'date' | 'time' | 'dateTime' | 'duration' | 'any';

export const HIT_POLICIES: readonly HitPolicy[] = ['UNIQUE', 'ANY', 'PRIORITY', 'FIRST', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];
export const AGGREGATIONS: readonly Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];

/** A value as it appears in JSON: allowed values of a column, inputs of a case, outputs of a decision. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * One source a table, rule or column cites (server/engine/sources.ts makes the links): a national regulation by its
 * BWB id (`BWBR0005537`, the Awb), a local one by its CVDR id, or any web page. `title` is how a reader knows it.
 */
export type SourceRef =
  | { kind: 'bwb'; id: string; article?: string; paragraph?: string; title?: string }
  | { kind: 'cvdr'; id: string; article?: string; title?: string }
  | { kind: 'url'; url: string; title?: string };

/** How a number of a column is shown (the `format` of a column); the engine never looks at it. */
export type DisplayFormat = 'money' | 'count' | 'number';

export interface InputColumn {
  name: string;
  label?: string;
  type: ColumnType;
  /** Allowed values (DMN input values). A case value outside this list is refused. */
  values?: JsonValue[];
  /** Allows null or an absent value. */
  optional?: boolean;
  /** Dotted path into the case, read instead of `name` (e.g. `melder.type`). */
  path?: string;
  /** A FEEL expression computed from the case instead of reading a field (DMN input expression). */
  expression?: string;
  description?: string;
  sources?: SourceRef[];
  /** For display only: `EUR` shows a number as an amount in euro, another word follows the number (`14 dagen`). */
  unit?: string;
  /** For display only: an amount (`money`), a count (`count`, never shown as money) or a plain number. */
  format?: DisplayFormat;
}

export interface OutputColumn {
  name: string;
  label?: string;
  type: ColumnType;
  /** Ordered allowed values: the priority for PRIORITY and OUTPUT ORDER (first = highest). */
  values?: JsonValue[];
  /** FEEL text, like a `then` cell, used when no rule matches. */
  default?: string;
  description?: string;
  sources?: SourceRef[];
  /** For display only: `EUR` shows a number as an amount in euro, another word follows the number (`14 dagen`). */
  unit?: string;
  /** For display only: an amount (`money`), a count (`count`, never shown as money) or a plain number. */
  format?: DisplayFormat;
}

export interface Rule {
  id: string;
  /** input name → S-FEEL unary test; a missing key means `-`. */
  when: Record<string, string>;
  /** output name → FEEL expression. */
  then: Record<string, string>;
  note?: string;
  /** What this rule carries out (an article of a law, a local regulation). */
  sources?: SourceRef[];
}

export interface TableMeta {
  owner?: string;
  source?: string;
  /** The table's sources as structured references, beside the `source` text. */
  sources?: SourceRef[];
  confidence?: 'H' | 'M' | 'L';
  reviewBy?: string;
  /** In the public register (/register) while this version is in force; opt-in, changed by a new version. */
  public?: boolean;
  [key: string]: unknown;
}

export interface DecisionTable {
  /** Absent or `table`: a decision table (every file before decision models has none). */
  kind?: 'table';
  id: string;
  version?: number;
  validFrom?: string;
  title: string;
  description?: string;
  hitPolicy?: HitPolicy;
  aggregation?: Aggregation;
  inputs: InputColumn[];
  outputs: OutputColumn[];
  rules: Rule[];
  /** Ids of tables evaluated first; their outputs feed this table's inputs of the same name. */
  requires?: string[];
  meta?: TableMeta;
}

// Decision models (docs/contracts.md, "Decision models"): besides tables, the catalogue keeps parameter sets,
// decisions whose logic is a boxed expression, business knowledge models and decision services. Each is one JSON
// document with an id, versions (`version`, `validFrom`), a draft, four-eyes publishing, fixtures and the audit
// trail, stored and versioned exactly as a table is; `kind` tells them apart.

/** A named policy value (an amount, a term, a factor) that tables and expressions use by its name. */
export interface Parameter {
  /** The name cells and expressions use (`boete_A_klein`); unique in its set and among the names in scope. */
  name: string;
  label?: string;
  type: ColumnType;
  /** The value in JSON ("FEEL values in JSON": a date as `"2024-01-01"` with type `date`); a context is an object. */
  value: JsonValue;
  description?: string;
  sources?: SourceRef[];
  /** For display only, as for a column. */
  unit?: string;
  format?: DisplayFormat;
}

/**
 * A parameter set: named values with their own validity. An indexation is one new version of the set; every table or
 * expression that requires the set uses, on a case, the values of the set's version valid on the case date. A case
 * never overrides a parameter: parameters are not inputs.
 */
export interface ParameterSet {
  kind: 'parameters';
  id: string;
  version?: number;
  validFrom?: string;
  title: string;
  description?: string;
  parameters: Parameter[];
  meta?: TableMeta;
}

/**
 * A boxed expression in JSON (DMN 1.5 chapter 7; the 1.4/1.5 boxed conditional, filter, for, some and every as
 * their own kinds). Every name in scope may be used: the document's inputs, the results of required decisions, the
 * parameters of required sets, the business knowledge models it requires (by their `name`) and, in a context, its
 * earlier entries.
 */
export type BoxedLogic =
  | { kind: 'literal'; text: string }
  /** Entries in order, each seeing the earlier ones; a last entry without `name` is the result, else the context is. */
  | { kind: 'context'; entries: { name?: string; type?: ColumnType; value: BoxedLogic }[] }
  | { kind: 'list'; items: BoxedLogic[] }
  | { kind: 'relation'; columns: string[]; rows: BoxedLogic[][] }
  /** Invokes a required business knowledge model by its `name`, binding its parameters by name. */
  | { kind: 'invocation'; bkm: string; bindings: Record<string, BoxedLogic> }
  | { kind: 'conditional'; if: BoxedLogic; then: BoxedLogic; else: BoxedLogic }
  | { kind: 'filter'; in: BoxedLogic; match: BoxedLogic }
  | { kind: 'for'; variable: string; in: BoxedLogic; return: BoxedLogic }
  | { kind: 'some' | 'every'; variable: string; in: BoxedLogic; satisfies: BoxedLogic }
  | { kind: 'function'; parameters: { name: string; type: ColumnType }[]; body: BoxedLogic }
  /** A decision table inside an expression (a BKM's body, a context entry), on the names in scope. */
  | { kind: 'table'; hitPolicy?: HitPolicy; aggregation?: Aggregation; inputs: InputColumn[]; outputs: OutputColumn[]; rules: Rule[] };

/** A decision whose logic is a boxed expression (a computed amount, a context of results). */
export interface ExpressionDecision {
  kind: 'expression';
  id: string;
  version?: number;
  validFrom?: string;
  title: string;
  description?: string;
  /** The input data it reads from the case, as a table's inputs (name, type, optional, path; no expression). */
  inputs: InputColumn[];
  /** The result's name (what requiring documents call it) and type. */
  output: OutputColumn;
  logic: BoxedLogic;
  /** Documents decided or read first: tables, expressions, parameter sets, business knowledge models. */
  requires?: string[];
  meta?: TableMeta;
}

/** A business knowledge model: a function (parameters and a body) that decisions invoke by its `name`. */
export interface BusinessKnowledgeModel {
  kind: 'bkm';
  id: string;
  version?: number;
  validFrom?: string;
  title: string;
  description?: string;
  /** The name invocations and FEEL calls use (`boete(categorie, werknemers)`). */
  name: string;
  parameters: { name: string; type: ColumnType; label?: string; description?: string }[];
  resultType?: ColumnType;
  body: BoxedLogic;
  /** Parameter sets and other business knowledge models its body uses. */
  requires?: string[];
  meta?: TableMeta;
}

/** A decision service: its output decisions evaluated from its inputs (DMN 1.5 10.4), evaluable by its id. */
export interface DecisionServiceDefinition {
  kind: 'service';
  id: string;
  version?: number;
  validFrom?: string;
  title: string;
  description?: string;
  /** Ids of the decisions whose results the service returns, in order. */
  outputs: string[];
  /** Ids of decisions whose values the caller gives instead of their being decided. */
  inputDecisions?: string[];
  /** The input data the caller gives. */
  inputs: InputColumn[];
  meta?: TableMeta;
}

/** Every kind of document the catalogue keeps. A document without `kind` is a decision table. */
export type PolicyDocument = DecisionTable | ParameterSet | ExpressionDecision | BusinessKnowledgeModel | DecisionServiceDefinition;
export type DocumentKind = 'table' | 'parameters' | 'expression' | 'bkm' | 'service';

/** One problem with a table, a cell or an input, located by a JSON path (`/rules/3/when/gedrag`). */
export interface Problem {
  path: string;
  message: string;
  /** 1-based column inside a cell's text, for cell parse errors. */
  column?: number;
  /** What the problem is, apart from its wording (server/engine/messages.ts); the editor words it from this. */
  code?: string;
  /** The values the message names (a token, a name, a limit), by the names its wording uses. */
  params?: Record<string, string | number>;
}

export interface CellTrace {
  /** Input (for a condition) or output (for a conclusion) name. */
  name: string;
  /** The cell's text (`-` for a missing condition). */
  text: string;
  /** The value read from the case (conditions) or produced (conclusions). */
  value: JsonValue | undefined;
  /** Whether the condition held; conclusions are always `true`. */
  held: boolean;
}

export interface RuleTrace {
  ruleId: string;
  index: number;
  matched: boolean;
  /** Every condition in column order, `-` cells included (they always hold). */
  cells: CellTrace[];
}

export type OutputRecord = Record<string, JsonValue>;

/** One step of an evaluation's logic trace (an expression decision's): what a box gave, what an invocation was given. */
export interface LogicStep {
  /** The document the box belongs to (a knowledge model's id for the steps inside one). */
  document: string;
  /** JSON Pointer of the box in that document (`/logic/entries/1/value`). */
  path: string;
  kind: BoxedLogic['kind'] | 'call';
  /** A context entry's name; for a conditional, the branch taken (`then` or `else`). */
  name?: string;
  /** The knowledge model invoked (by its name) and the arguments it was given, by parameter name. */
  knowledge?: string;
  arguments?: Record<string, JsonValue>;
  value: JsonValue;
}

export interface EvaluationResult {
  /** One object (UNIQUE, ANY, PRIORITY, FIRST), a list (COLLECT, RULE ORDER, OUTPUT ORDER), `{out: n}` (aggregation), or null. */
  output: OutputRecord | OutputRecord[] | null;
  /** Ids of the rules that matched, in rule order. */
  matched: string[];
  trace?: RuleTrace[];
  /**
   * With `types: true`: the FEEL type of each text in `output` that is not a string, by JSON Pointer into `output`
   * (`""` the output itself, `/frist`, `/0/frist` in a list): `date`, `time`, `date and time`, `days and time
   * duration` or `years and months duration` (textTypes). A text in a date, time, dateTime or duration column is
   * read as that column's type, as the hit policies read it.
   */
  types?: Record<string, TextTypeName>;
  /** With `trace: true`, for a decision whose logic is a boxed expression: its steps in the order they were done. */
  logic?: LogicStep[];
  /** The logic trace was longer than MAX_LOGIC_TRACE_STEPS: the later steps are left out. */
  logicTruncated?: true;
}

export interface EvaluateOptions {
  trace?: boolean;
  /** Add `types` to the result (a little work per answer, so only when asked). */
  types?: boolean;
}

export interface CompiledTable {
  readonly table: DecisionTable;
  evaluate(input: Record<string, unknown>, opts?: EvaluateOptions): EvaluationResult;
}

/** The kind of a stored document (`table` when it has no `kind`, as every table before decision models). */
export function documentKind(doc: PolicyDocument): DocumentKind {
  return doc.kind ?? 'table';
}

export function isDecisionTable(doc: PolicyDocument): doc is DecisionTable {
  return doc.kind === undefined || doc.kind === 'table';
}
