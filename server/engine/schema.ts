// Checks a table's shape against rules/schema/decision-table.schema.json and words each problem for a policy advisor.
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import schema from '../../rules/schema/decision-table.schema.json' with { type: 'json' };
import { tooDeepAt } from './json-depth.ts';
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
      return { path: `${path}/${String(p.missingProperty)}`, message: `'${String(p.missingProperty)}' is missing` };
    case 'additionalProperties':
      return {
        path: `${path}/${String(p.additionalProperty)}`,
        message: `unknown field '${String(p.additionalProperty)}' (check the spelling)`,
      };
    case 'enum':
      return { path, message: `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'type':
      return { path, message: `must be ${p.type === 'object' ? 'an object' : p.type === 'array' ? 'a list' : `a ${String(p.type)}`}` };
    case 'format':
      return { path, message: p.format === 'date' ? 'must be a date written yyyy-mm-dd' : `must be a ${String(p.format)}` };
    case 'pattern':
      if (/\/sources\/\d+\/id$/.test(path)) {
        return { path, message: 'a BWB id is BWBR and 7 digits (BWBR0005537, the Awb); a CVDR id is CVDR and digits (CVDR123456)' };
      }
      if (/\/sources\/\d+\/url$/.test(path)) return { path, message: 'must be a web address starting with https:// or http://' };
      if (/\/sources\/\d+\/article$/.test(path)) return { path, message: 'an article is written like 5:31 or 2.25 (digits, letters, . : / -)' };
      if (/\/sources\/\d+\/paragraph$/.test(path)) return { path, message: 'a paragraph (lid) is a number or letters, like 2' };
      if (path === '/id' || path.startsWith('/requires/')) {
        return { path, message: 'a table id is at most 8 lowercase words (a-z, 0-9, -) joined by dots, e.g. handhaving.interventiematrix' };
      }
      if (path.endsWith('/name')) return { path, message: 'a column name may hold letters, digits and _ (no other characters)' };
      return { path, message: `has characters that are not allowed here` };
    case 'maxLength':
      if (path === '/id' || path.startsWith('/requires/')) return { path, message: `a table id has at most ${String(p.limit)} characters` };
      return { path, message: `is longer than ${String(p.limit)} characters` };
    case 'maxItems':
      return { path, message: `has more than ${String(p.limit)} items` };
    case 'not':
      if (path.endsWith('/path')) return { path, message: 'a path may not use __proto__, prototype or constructor as a segment (reserved names)' };
      return { path, message: `'${String(e.data)}' is a reserved name (not __proto__, prototype or constructor)` };
    case 'minItems':
      return { path, message: `needs at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}` };
    case 'minLength':
      return { path, message: 'must not be empty' };
    case 'minimum':
      return { path, message: `must be at least ${String(p.limit)}` };
    case 'uniqueItems':
      return { path, message: 'lists the same item twice' };
    case 'false schema': {
      // A field a source reference of this kind does not have (a URL on a BWB reference, an id on a URL).
      const field = path.slice(path.lastIndexOf('/') + 1);
      return { path, message: `'${field}' is not used in a source reference of this kind` };
    }
    default:
      return { path, message: e.message ?? 'is not valid' };
  }
}

/** A table is at most a few levels deep (rules → rule → when → cell); meta may hold more, but never this much. */
export const MAX_TABLE_DEPTH = 32;

/** Every shape problem at once (not only the first), each with its JSON pointer. */
export function schemaProblems(table: unknown): Problem[] {
  const deep = tooDeepAt(table, MAX_TABLE_DEPTH);
  if (deep !== null) return [{ path: deep, message: `is nested more than ${MAX_TABLE_DEPTH} levels deep` }];
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
