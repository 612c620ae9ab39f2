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
