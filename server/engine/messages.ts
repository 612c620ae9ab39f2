// Every problem the engine reports has a stable code and parameters; the English text of `message` (for the API, the
// CLI and the logs) is made here from the code, and the editor makes its Dutch and English texts from the same code
// with its own dictionaries (editor/src/i18n/engine-*.ts). A new problem gets a code here first: the editor's
// dictionaries are typed by ENGINE_MESSAGES' keys, so a missing translation does not compile.
import type { ColumnType } from './types.ts';

export const ENGINE_MESSAGES = {
  // Lexer
  FEEL_UNCLOSED_COMMENT: "expected '*/' to close the comment",
  FEEL_INVALID_ESCAPE: 'invalid \\u escape in string',
  FEEL_UNCLOSED_STRING: "expected '\"' to close the string started at column {start}",
  FEEL_UNEXPECTED_CHARACTER: "unexpected character '{char}'",
  // Parser (a parameter `found` adds FEEL_BUT_FOUND: the token met instead)
  FEEL_BUT_FOUND: " but found '{found}'",
  FEEL_EXPECTED_TOKEN: "expected '{token}'",
  FEEL_EXPECTED_COMMA_OR_END: "expected ',' or the end of the cell",
  FEEL_EXPECTED_COMMA_OR_TOKEN: "expected ',' or '{token}'",
  FEEL_UNEXPECTED_TEXT: 'unexpected text',
  FEEL_TOO_MANY_ITEMS: 'more than {limit} items in one list',
  FEEL_NESTING_TOO_DEEP: 'nested more than {limit} levels deep',
  FEEL_INTERVAL_ENDPOINTS: 'an interval needs two endpoints',
  FEEL_EXPECTED_NAME: 'expected a name',
  FEEL_EXPECTED_TYPE: 'expected a type',
  FEEL_UNKNOWN_TYPE: 'unknown type',
  FEEL_EXPECTED_CONTEXT_KEY: 'expected a context key',
  FEEL_RESERVED_CONTEXT_KEY: "'{name}' is a reserved name and cannot be a context key",
  FEEL_EXPECTED_PARAMETER: 'expected a parameter name',
  FEEL_ONLY_BUILTINS: 'only built-in functions can be called',
  FEEL_NOT_TEMPORAL: '@"{text}" is not a date, time, date-time or duration',
  FEEL_EXPECTED_VALUE: 'expected a value',
  // Compiler: names and calls
  FEEL_UNKNOWN_NAME: "unknown name '{name}'",
  FEEL_UNKNOWN_FUNCTION: "unknown function '{name}'",
  FEEL_ARGUMENT_COUNT_ONE: "'{name}' cannot take {count} argument: expected {forms}",
  FEEL_ARGUMENT_COUNT: "'{name}' cannot take {count} arguments: expected {forms}",
  FEEL_MIXED_ARGUMENTS: "'{name}' takes positional or named arguments, not both",
  FEEL_PARAMETER_TWICE: "parameter '{parameter}' of '{name}' is given twice",
  FEEL_UNKNOWN_PARAMETER: "'{name}' has no parameter '{parameter}': expected {forms}",
  FEEL_PARAMETERS: "'{name}' cannot take the parameters {parameters}: expected {forms}",
  // Table checks
  TABLE_INVALID: 'the table is invalid ({count} problems)',
  TABLE_INVALID_ONE: 'the table is invalid: {path}: {problem}',
  TABLE_VALUE_TYPE: "is not {type}, the column's type",
  TABLE_DUPLICATE_INPUT: "the name '{name}' is used twice",
  TABLE_DUPLICATE_OUTPUT: "the output name '{name}' is used twice",
  TABLE_DUPLICATE_RULE_ID: "the rule id '{id}' is used twice",
  TABLE_AGGREGATION_POLICY: 'an aggregation needs hit policy COLLECT, not {policy}',
  TABLE_AGGREGATION_OUTPUTS: 'an aggregation needs exactly one output column',
  TABLE_SUM_NOT_NUMBER: 'SUM adds numbers: the output must be of type number',
  TABLE_REQUIRES_ITSELF: 'a table cannot require itself',
  TABLE_UNKNOWN_INPUT: "there is no input column '{name}'",
  TABLE_UNKNOWN_OUTPUT: "there is no output column '{name}'",
  TABLE_MISSING_OUTPUT: "no value for output '{name}'",
  TABLE_REQUIRES_CYCLE: 'the tables require each other in a cycle: {cycle}',
  // Decision models: boxed expressions, knowledge models, services (boxed-logic.ts, knowledge-model.ts, decision-service.ts)
  MODEL_INVALID: 'the document is invalid ({count} problems)',
  MODEL_INVALID_ONE: 'the document is invalid: {path}: {problem}',
  BOXED_LATER_ENTRY: "'{name}' is a later entry of this context (at {at}): an entry sees only the entries before it",
  BOXED_DUPLICATE_ENTRY: "the entry name '{name}' is used twice in this context",
  BOXED_UNNAMED_ENTRY: 'only the last entry of a context may go without a name (it is then the result)',
  BOXED_UNKNOWN_KNOWLEDGE: "there is no business knowledge model '{name}' among the required documents",
  BOXED_NOT_A_FUNCTION: "'{name}' is {type}, not a function",
  BOXED_UNKNOWN_PARAMETER: "'{name}' has no parameter '{parameter}': its parameters are {parameters}",
  BOXED_ARGUMENT_COUNT: "'{name}' takes {expected} arguments ({parameters}), not {count}",
  BOXED_TYPE_MISMATCH: 'is {actual}, where {type} is expected',
  BOXED_NAME_TWICE: "the name '{name}' is in scope twice (here and at {at})",
  BOXED_UNKNOWN_REQUIREMENT: "'{id}' is not a document this one can require (no such table, expression, parameter set or knowledge model)",
  BOXED_REQUIRES_CYCLE: 'the documents require each other in a cycle: {cycle}',
  BOXED_UNKNOWN_KIND: "'{kind}' is not a kind of boxed expression",
  BOXED_TOO_DEEP: 'boxed expressions nested more than {limit} levels deep',
  BOXED_TOO_MANY: 'more than {limit} entries in one box',
  BOXED_NOT_A_DECISION: "'{id}' is not a decision (a table or an expression decision)",
  BOXED_OUTPUT_TWICE: "the output '{name}' is given by two output decisions ({first} and {second})",
  LIMIT_KNOWLEDGE_DEPTH: 'business knowledge models would call one another more than {limit} levels deep',
  // The table's shape (JSON Schema)
  SCHEMA_TOO_DEEP: 'is nested more than {limit} levels deep',
  SCHEMA_REQUIRED: "'{field}' is missing",
  SCHEMA_UNKNOWN_FIELD: "unknown field '{field}' (check the spelling)",
  SCHEMA_ENUM: 'must be one of {values}',
  SCHEMA_TYPE_OBJECT: 'must be an object',
  SCHEMA_TYPE_ARRAY: 'must be a list',
  SCHEMA_TYPE_STRING: 'must be a string',
  SCHEMA_TYPE_NUMBER: 'must be a number',
  SCHEMA_TYPE_INTEGER: 'must be an integer',
  SCHEMA_TYPE_BOOLEAN: 'must be a boolean',
  SCHEMA_TYPE_OTHER: 'must be a {jsonType}',
  SCHEMA_DATE: 'must be a date written yyyy-mm-dd',
  SCHEMA_FORMAT: 'must be a {format}',
  SCHEMA_SOURCE_ID: 'a BWB id is BWBR and 7 digits (BWBR0005537, the Awb); a CVDR id is CVDR and digits (CVDR123456)',
  SCHEMA_SOURCE_URL: 'must be a web address starting with https:// or http://',
  SCHEMA_SOURCE_ARTICLE: 'an article is written like 5:31 or 2.25 (digits, letters, . : / -)',
  SCHEMA_SOURCE_PARAGRAPH: 'a paragraph (lid) is a number or letters, like 2',
  SCHEMA_TABLE_ID: 'a table id is at most 8 lowercase words (a-z, 0-9, -) joined by dots, e.g. handhaving.interventiematrix',
  SCHEMA_COLUMN_NAME: 'a column name may hold letters, digits and _ (no other characters)',
  SCHEMA_PATTERN: 'has characters that are not allowed here',
  SCHEMA_TABLE_ID_LENGTH: 'a table id has at most {limit} characters',
  SCHEMA_MAX_LENGTH: 'is longer than {limit} characters',
  SCHEMA_MAX_ITEMS: 'has more than {limit} items',
  SCHEMA_RESERVED_PATH: 'a path may not use __proto__, prototype or constructor as a segment (reserved names)',
  SCHEMA_RESERVED_NAME: "'{name}' is a reserved name (not __proto__, prototype or constructor)",
  SCHEMA_MIN_ITEMS_ONE: 'needs at least {limit} item',
  SCHEMA_MIN_ITEMS: 'needs at least {limit} items',
  SCHEMA_EMPTY: 'must not be empty',
  SCHEMA_MINIMUM: 'must be at least {limit}',
  SCHEMA_DUPLICATE_ITEMS: 'lists the same item twice',
  SCHEMA_FIELD_NOT_USED: "'{field}' is not used in a source reference of this kind",
  SCHEMA_INVALID: 'is not valid',
  // A case's input
  INPUT_NOT_OBJECT: 'the case must be a JSON object with the input values',
  INPUT_MUST_BE_OBJECT: 'must be an object',
  INPUT_INVALID: 'invalid input ({count} problems)',
  INPUT_INVALID_ONE: 'invalid input {path}: {problem}',
  INPUT_REQUIRED: '{name} is required',
  INPUT_WRONG_TYPE: 'must be {type}, got {value}',
  INPUT_NOT_ALLOWED: '{value} is not one of the allowed values: {allowed}',
  INPUT_NOT_ALLOWED_VALUE: '{value} is not one of the allowed values',
  // Hit policies
  HIT_UNIQUE_MULTIPLE: 'UNIQUE table: rules {rules} all match; exactly one may',
  HIT_ANY_DISAGREE: 'ANY table: rules {rules} match with different outputs',
  HIT_RULE_MATCHED: 'rule {rule} matched',
  // Budgets (limits.ts)
  LIMIT_LIST_LENGTH: 'a list would grow to {length} items, more than the {limit} a FEEL list may have',
  LIMIT_STRING_LENGTH: 'a string would grow to {length} characters, more than the {limit} a FEEL string may have',
  LIMIT_DISTINCT_PAIRS: 'distinct values would compare more than {limit} pairs of lists or contexts',
  LIMIT_ITERATION_STEPS: 'nested iterations would run more than {limit} steps, the most one evaluation of a cell may take',
  LIMIT_ITERATIONS: 'an iteration would run more than {limit} times, the most a FEEL list may have',
  LIMIT_REGEX_WORK_ONE: 'a pattern with {repeats} repeating quantifier on {length} characters could backtrack for more than the {limit} steps one match may take',
  LIMIT_REGEX_WORK: 'a pattern with {repeats} repeating quantifiers on {length} characters could backtrack for more than the {limit} steps one match may take',
  LIMIT_OUTPUT_BYTES: 'the output is larger than {limit} bytes as JSON',
  LIMIT_OUTPUT_BYTES_SHORT: 'more than {limit} bytes',
} as const;

export type EngineMessageCode = keyof typeof ENGINE_MESSAGES;
/** Every code the engine can report, in the order above (the editor's dictionary test walks this list). */
export const ENGINE_MESSAGE_CODES = Object.keys(ENGINE_MESSAGES) as EngineMessageCode[];

/** A message's parameters: names, tokens, limits; `type` is a column type, worded by the dictionary's `types`. */
export type MessageParams = Record<string, string | number>;

/** What a problem says, apart from its wording. */
export interface EngineMessage {
  code: EngineMessageCode;
  params: MessageParams;
}

/** One language's wording of every engine message. */
export interface EngineDictionary {
  messages: Record<EngineMessageCode, string>;
  types: Record<ColumnType, string>;
}

export const ENGLISH: EngineDictionary = {
  messages: ENGINE_MESSAGES,
  types: {
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
    date: 'a date (yyyy-mm-dd)',
    time: 'a time (hh:mm:ss)',
    dateTime: 'a date-time (yyyy-mm-ddThh:mm:ss)',
    duration: 'a duration (ISO 8601, e.g. P14D)',
    any: 'a value',
  },
};

export function isEngineMessageCode(code: unknown): code is EngineMessageCode {
  return typeof code === 'string' && Object.hasOwn(ENGINE_MESSAGES, code);
}

/** The text of `code` in `dict` with `{name}` filled in; a `found` parameter adds what was met instead. */
export function renderMessage(dict: EngineDictionary, code: EngineMessageCode, params: MessageParams = {}): string {
  const fill = (template: string): string =>
    template.replace(/\{(\w+)\}/g, (m, name: string) => {
      if (!(name in params)) return m;
      const value = params[name]!;
      return name === 'type' && Object.hasOwn(dict.types, value) ? dict.types[value as ColumnType] : String(value);
    });
  const text = fill(dict.messages[code]);
  return params.found !== undefined && code !== 'FEEL_BUT_FOUND' ? text + fill(dict.messages.FEEL_BUT_FOUND) : text;
}

/** The English text (the `message` of problems and errors). */
export function english(code: EngineMessageCode, params: MessageParams = {}): string {
  return renderMessage(ENGLISH, code, params);
}

/** A problem at `path` with its code, parameters and English message. */
export function problem(path: string, code: EngineMessageCode, params: MessageParams = {}): { path: string; message: string; code: EngineMessageCode; params: MessageParams } {
  return { path, message: english(code, params), code, params };
}
