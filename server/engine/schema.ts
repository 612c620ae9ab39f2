// Checks a table's shape against rules/schema/decision-table.schema.json and words each problem for a policy advisor
// (a code from messages.ts, which the editor words in Dutch).
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import schema from '../../rules/schema/decision-table.schema.json' with { type: 'json' };
import { tooDeepAt } from './json-depth.ts';
import { problem, type EngineMessageCode } from './messages.ts';
import type { Problem } from './types.ts';

export const decisionTableSchema = schema;

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
addFormats(ajv, ['date']);
const validate = ajv.compile(schema);

function explain(e: ErrorObject): Problem {
  const p = e.params as Record<string, unknown>;
  const path = e.instancePath || '';
  switch (e.keyword) {
    case 'required':
      return problem(`${path}/${String(p.missingProperty)}`, 'SCHEMA_REQUIRED', { field: String(p.missingProperty) });
    case 'additionalProperties':
      return problem(`${path}/${String(p.additionalProperty)}`, 'SCHEMA_UNKNOWN_FIELD', { field: String(p.additionalProperty) });
    case 'enum':
      return problem(path, 'SCHEMA_ENUM', { values: (p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ') });
    case 'type':
      return problem(path, TYPE_CODES[String(p.type)] ?? 'SCHEMA_TYPE_OTHER', { jsonType: String(p.type) });
    case 'format':
      return p.format === 'date' ? problem(path, 'SCHEMA_DATE') : problem(path, 'SCHEMA_FORMAT', { format: String(p.format) });
    case 'pattern':
      if (/\/sources\/\d+\/id$/.test(path)) return problem(path, 'SCHEMA_SOURCE_ID');
      if (/\/sources\/\d+\/url$/.test(path)) return problem(path, 'SCHEMA_SOURCE_URL');
      if (/\/sources\/\d+\/article$/.test(path)) return problem(path, 'SCHEMA_SOURCE_ARTICLE');
      if (/\/sources\/\d+\/paragraph$/.test(path)) return problem(path, 'SCHEMA_SOURCE_PARAGRAPH');
      if (path === '/id' || path.startsWith('/requires/')) return problem(path, 'SCHEMA_TABLE_ID');
      if (path.endsWith('/name')) return problem(path, 'SCHEMA_COLUMN_NAME');
      return problem(path, 'SCHEMA_PATTERN');
    case 'maxLength':
      if (path === '/id' || path.startsWith('/requires/')) return problem(path, 'SCHEMA_TABLE_ID_LENGTH', { limit: Number(p.limit) });
      return problem(path, 'SCHEMA_MAX_LENGTH', { limit: Number(p.limit) });
    case 'maxItems':
      return problem(path, 'SCHEMA_MAX_ITEMS', { limit: Number(p.limit) });
    case 'not':
      if (path.endsWith('/path')) return problem(path, 'SCHEMA_RESERVED_PATH');
      return problem(path, 'SCHEMA_RESERVED_NAME', { name: String(e.data) });
    case 'minItems':
      return problem(path, p.limit === 1 ? 'SCHEMA_MIN_ITEMS_ONE' : 'SCHEMA_MIN_ITEMS', { limit: Number(p.limit) });
    case 'minLength':
      return problem(path, 'SCHEMA_EMPTY');
    case 'minimum':
      return problem(path, 'SCHEMA_MINIMUM', { limit: Number(p.limit) });
    case 'uniqueItems':
      return problem(path, 'SCHEMA_DUPLICATE_ITEMS');
    case 'false schema':
      // A field a source reference of this kind does not have (a URL on a BWB reference, an id on a URL).
      return problem(path, 'SCHEMA_FIELD_NOT_USED', { field: path.slice(path.lastIndexOf('/') + 1) });
    default:
      // A keyword without its own wording: ajv's English stays in `message` for API clients, the code says "not valid".
      return { ...problem(path, 'SCHEMA_INVALID'), ...(e.message ? { message: e.message } : {}) };
  }
}

const TYPE_CODES: Record<string, EngineMessageCode> = {
  object: 'SCHEMA_TYPE_OBJECT',
  array: 'SCHEMA_TYPE_ARRAY',
  string: 'SCHEMA_TYPE_STRING',
  number: 'SCHEMA_TYPE_NUMBER',
  integer: 'SCHEMA_TYPE_INTEGER',
  boolean: 'SCHEMA_TYPE_BOOLEAN',
};

/** A table is at most a few levels deep (rules → rule → when → cell); meta may hold more, but never this much. */
export const MAX_TABLE_DEPTH = 32;

/** Every shape problem at once (not only the first), each with its JSON pointer. */
export function schemaProblems(table: unknown): Problem[] {
  const deep = tooDeepAt(table, MAX_TABLE_DEPTH);
  if (deep !== null) return [problem(deep, 'SCHEMA_TOO_DEEP', { limit: MAX_TABLE_DEPTH })];
  if (validate(table)) return [];
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const e of validate.errors ?? []) {
    // An `if` failing only says that its `then` did; the `then` errors name the field.
    if (e.keyword === 'if') continue;
    const problem = explain(e);
    const key = `${problem.path}|${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}
