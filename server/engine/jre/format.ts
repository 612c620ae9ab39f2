// The shape of a Beslis table exported for json-rules-engine (v7). Everything here is plain JSON: it can be written to a
// file, sent over the wire and read back. Only the custom operators are code; they live in operators.ts (and, for cells
// that need the Beslis FEEL evaluator, in feel-fallback.ts) and are exported there as named functions.
import type { RuleProperties } from 'json-rules-engine';

export const EXPORT_FORMAT = 'beslis/json-rules-engine@1';
/** The event type every exported rule fires; `params` is a RuleEventParams. */
export const RULE_EVENT = 'beslis.rule';
/** The fact holding the whole case, present only when a cell or output needs the Beslis FEEL evaluator. */
export const CASE_FACT = '$case';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type ColumnType = 'string' | 'number' | 'boolean' | 'date' | 'time' | 'dateTime' | 'duration' | 'any';
export type HitPolicy = 'UNIQUE' | 'ANY' | 'PRIORITY' | 'FIRST' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

/**
 * An output value, computed by the runner from the facts after a rule fired:
 * - a JSON primitive: the value itself;
 * - `{fact}`: an input's value (dates as ISO `yyyy-mm-dd`);
 * - `{calc, args}`: decimal-exact arithmetic (decimal.js, 34 digits, half-even, as FEEL), null if any operand is null,
 *   `+` also joins two strings, `/` by zero is null;
 * - `{decimal}`: a number literal that a double cannot hold exactly (only inside `calc`);
 * - `{feel}`: FEEL text that only the Beslis FEEL evaluator computes (listed in `requiresFeel`).
 */
export type OutputExpr =
  | string
  | number
  | boolean
  | null
  | { fact: string }
  | { calc: '+' | '-' | '*' | '/' | '**' | 'neg'; args: OutputExpr[] }
  | { decimal: string }
  | { feel: string };

export interface ExportedInput {
  name: string;
  type: ColumnType;
  /** Dotted path into the case (default: the name). The runner reads it into the fact named `name`. */
  path?: string;
  optional?: boolean;
  /** Allowed values: a case value outside them is refused (InputError), as by Beslis. */
  values?: JsonValue[];
  /** A FEEL input expression (needs the Beslis FEEL evaluator). */
  expression?: string;
}

export interface ExportedOutput {
  name: string;
  type: ColumnType;
  /** Ordered allowed values: the priority for PRIORITY and OUTPUT ORDER (first = highest). */
  values?: JsonValue[];
  /** The value used when no rule matched. */
  default?: OutputExpr;
}

export interface RuleEventParams {
  ruleId: string;
  /** Position of the rule in the table: the order FIRST, RULE ORDER and COLLECT use, and the tie-break elsewhere. */
  index: number;
  outputs: Record<string, OutputExpr>;
}

export interface CustomOperatorInfo {
  name: string;
  description: string;
  /** Where the implementation is: `operators` (plain JS) or `feel` (needs the Beslis FEEL evaluator). */
  module: 'operators' | 'feel';
}

export interface FeelRequirement {
  /** JSON pointer into the table: `/rules/3/when/gedrag`, `/rules/3/then/boete`, `/inputs/1`, `/outputs/0/default`. */
  path: string;
  text: string;
  reason: string;
}

export interface JsonRulesEngineExport {
  format: typeof EXPORT_FORMAT;
  table: { id: string; version?: number; title: string; hitPolicy: HitPolicy; aggregation?: Aggregation };
  inputs: ExportedInput[];
  outputs: ExportedOutput[];
  /** One json-rules-engine rule per table rule, in table order; all at the same priority (order is in event.params). */
  rules: RuleProperties[];
  /** The custom operators the rules use; the runner registers them (operators.ts, feel-fallback.ts). */
  operators: CustomOperatorInfo[];
  /** Options the json-rules-engine Engine must be built with. */
  engineOptions: { allowUndefinedFacts: boolean };
  /** Cells, outputs and inputs that need the Beslis FEEL evaluator. Empty: the export runs with json-rules-engine alone. */
  requiresFeel: FeelRequirement[];
}
