// Every problem a DMN import reports has a stable code and parameters, as the engine's problems do
// (server/engine/messages.ts): the English `message` (CLI, API, logs) is made here from the code, and the editor words
// the same code in Dutch and English from its own dictionaries (`dmn.problem.<CODE>`; a test checks each code has one).
// A problem that is the engine's own (a cell that does not parse) carries it as `cause`, with the engine's code.
import type { MessageParams } from '../engine/index.ts';
import type { ImportCause, ImportProblem } from './types.ts';

export const DMN_MESSAGES = {
  // The document
  DMN_NOT_DMN: 'not a DMN model: the document declares none of the DMN 1.1–1.5 model namespaces',
  DMN_MIGRATE_FAILED: 'could not migrate the DMN {version} model to DMN 1.3: {detail}',
  DMN_XML_UNREADABLE: 'the XML cannot be read: {detail}',
  DMN_XML_NOT_READ: 'not read: {detail}',
  DMN_TOO_MANY_ELEMENTS: 'the model has more than {limit} XML elements, the most one import reads',
  DMN_NO_TABLES: 'the model has no decision table',
  DMN_TOO_MANY_TABLES: 'the model has {count} decision tables; at most {limit} are taken in at once',
  // The decision requirements graph
  DMN_IMPORTS_MODEL: 'imports another model ({location}): Beslis imports one model at a time',
  DMN_MISSING_DECISION: "requires decision '{required}', which is not in the model",
  DMN_MISSING_INPUT_DATA: "requires input data '{required}', which is not in the model",
  DMN_REQUIRED_FAILED: "requires decision '{required}', which could not be imported",
  DMN_EXTERNAL_REFERENCE: 'refers to an element of another model ({href})',
  DMN_KNOWLEDGE_REQUIREMENT: "decision '{decision}' requires business knowledge model '{required}', which Beslis cannot import; cells calling it will fail",
  DMN_BUSINESS_KNOWLEDGE_MODEL: "business knowledge model '{name}' is a reusable function: Beslis tables cannot define or call functions",
  DMN_DECISION_SERVICE: "decision service '{name}' is not supported: import its decisions and call them by table id",
  DMN_KNOWLEDGE_SOURCE: "knowledge source '{name}' is documentation only and is not imported",
  DMN_UNSUPPORTED_ELEMENT: '{type} is not supported',
  // A decision's logic
  DMN_NO_LOGIC: "decision '{decision}' has no decision logic",
  DMN_UNREAD_LOGIC: "decision '{decision}' is a <{logic}> ({kind}): Beslis imports decision tables and literal expressions only",
  DMN_UNSUPPORTED_LOGIC: "decision '{decision}' is {kind} (<{logic}>): Beslis imports decision tables and literal expressions only",
  DMN_LITERAL_NOT_COMPILED: 'the expression does not compile: {problem}',
  DMN_LITERAL_DECISION: 'a literal-expression decision; Beslis stores decision tables only, so it cannot be kept',
  DMN_BOXED_NOT_READ: "'{decision}' cannot be evaluated in memory either: {detail}",
  // A decision table
  DMN_STRUCTURE_DATES: "'{name}' holds dates, times or durations inside a structure whose names Beslis cannot convert: they are read as text",
  DMN_NO_INPUT_EXPRESSION: 'input {n} has no input expression',
  DMN_INPUT_VALUES: "input values '{values}' are not a list of literals: not imported as allowed values",
  DMN_OUTPUT_UNNAMED: 'output {n} of a multi-output table has no name; called output_{n}',
  DMN_OUTPUT_VALUES: "output values '{values}' are not a list of literals: not imported (the priority order is lost)",
  DMN_NO_OUTPUT: 'the decision table has no output',
  DMN_RULE_ENTRIES: 'rule {rule} has {inputEntries} input and {outputEntries} output entries; the table has {inputs} inputs and {outputs} outputs',
  DMN_HIT_POLICY: "unknown hit policy '{hitPolicy}'",
  DMN_AGGREGATION: "unknown aggregation '{aggregation}'",
  // What the engine refuses in the converted table (the engine's problem is the cause)
  DMN_CELL: 'rule {rule}, {column}: {problem}',
  DMN_RULE: 'rule {rule}: {problem}',
  DMN_TABLE: '{path}: {problem}',
  // Importing into the store
  DMN_REQUIRES_CYCLE: 'the tables would require each other in a cycle: {cycle}',
  DMN_DRAFT_SUBMITTED: 'the draft of {table} is submitted for approval; withdraw it before importing over it',
} as const;

export type DmnMessageCode = keyof typeof DMN_MESSAGES;
export const DMN_MESSAGE_CODES = Object.keys(DMN_MESSAGES) as DmnMessageCode[];

/** The English text of a code; `{problem}` is the cause's message. */
export function dmnEnglish(code: DmnMessageCode, params: MessageParams = {}, cause?: ImportCause): string {
  const all: MessageParams = cause ? { ...params, problem: cause.message } : params;
  return DMN_MESSAGES[code].replace(/\{(\w+)\}/g, (m, name: string) => (name in all ? String(all[name]) : m));
}

/** One problem about `element` (its DMN kind, id and name), with its code, parameters and English message. */
export function dmnProblem(
  severity: ImportProblem['severity'],
  at: { element: string; id: string; name?: string },
  code: DmnMessageCode,
  params: MessageParams = {},
  cause?: ImportCause,
): ImportProblem {
  return {
    severity,
    element: at.element,
    id: at.id,
    ...(at.name === undefined ? {} : { name: at.name }),
    message: dmnEnglish(code, params, cause),
    code,
    params,
    ...(cause ? { cause } : {}),
  };
}
