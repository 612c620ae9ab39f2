// A JSON Schema (2020-12) describing the case of one table version, derived from its input columns, for clients
// (GET …/versions/{n}/input-schema). It does not check cases: the engine does, with its own messages naming each field.
// (The ajv helpers below serve the request bodies and fixture files, which are checked here.)
//
// - Each input is read at its `path` (dotted, nested objects) or its `name`; computed inputs (`expression`) are skipped.
// - string/number/boolean get their JSON type and, with `values`, an enum. date gets `format: date`.
//   time, dateTime and duration are strings whose exact syntax the engine checks (it accepts exactly what FEEL does).
// - An input is required unless `optional: true`; optional inputs also accept null.
// - Other fields are ALLOWED (additionalProperties: true): a case system sends its whole case, and tables in a
//   `requires` chain read different fields of the same case. Only what the table reads is described.
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { DecisionTable, InputColumn, Problem } from '../engine/types.ts';

type Schema = Record<string, unknown>;

// ajv-formats is CommonJS; under Node's ESM loader the default import is the module object in some setups.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
  addFormats(ajv, ['date', 'date-time', 'time', 'duration', 'uri']);
  return ajv;
}

function columnSchema(col: InputColumn): Schema {
  const s: Schema = {};
  if (col.label) s.title = col.label;
  if (col.description) s.description = col.description;
  const nullable = col.optional === true;
  const withNull = (t: string) => (nullable ? [t, 'null'] : t);
  switch (col.type) {
    case 'string':
    case 'number':
    case 'boolean':
      s.type = withNull(col.type);
      if (col.values && col.values.length > 0) s.enum = nullable ? [...col.values, null] : [...col.values];
      break;
    case 'date':
      // `format` only applies to strings, so null passes when the type allows it.
      s.type = withNull('string');
      s.format = 'date';
      break;
    case 'time':
    case 'dateTime':
    case 'duration':
      s.type = withNull('string');
      s['x-beslis-type'] = col.type;
      break;
    case 'any':
    default:
      if (!nullable) s.not = { type: 'null' };
      break;
  }
  return s;
}

export function inputSchema(table: DecisionTable): Schema {
  const root: Schema = { type: 'object', properties: {}, required: [], additionalProperties: true };
  for (const col of table.inputs ?? []) {
    if (col.expression !== undefined) continue;
    const path = (col.path ?? col.name).split('.');
    let node = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i]!;
      const props = node.properties as Record<string, Schema>;
      const required = node.required as string[];
      const last = i === path.length - 1;
      if (!col.optional && !required.includes(key)) required.push(key);
      if (last) {
        props[key] = columnSchema(col);
      } else {
        props[key] ??= { type: 'object', properties: {}, required: [], additionalProperties: true };
        node = props[key];
      }
    }
  }
  return root;
}

/** Turns ajv errors into problems located by JSON pointer, under `prefix` (e.g. `/input`). */
export function ajvProblems(errors: readonly ErrorObject[] | null | undefined, prefix = ''): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    const p = e.params as Record<string, unknown>;
    let path = prefix + e.instancePath;
    let message: string;
    // A code (and its params) per keyword, so the editor words the problem itself; the English stays for API clients.
    let code = 'INVALID';
    let params: Record<string, string | number> | undefined;
    switch (e.keyword) {
      case 'required':
        path += `/${String(p.missingProperty)}`;
        message = 'is required';
        code = 'REQUIRED';
        break;
      case 'type':
        message = `must be ${String(p.type).replace(',', ' or ')}`;
        code = 'TYPE';
        params = { type: String(p.type) };
        break;
      case 'enum':
        message = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        code = 'ONE_OF';
        params = { choices: (p.allowedValues as unknown[]).map((v) => String(v)).join(', ') };
        break;
      case 'format':
        message = p.format === 'date' ? 'must be a date written yyyy-mm-dd' : `must be a ${String(p.format)}`;
        code = p.format === 'date' ? 'DATE_FORMAT' : 'INVALID';
        break;
      case 'additionalProperties':
        path += `/${String(p.additionalProperty)}`;
        message = 'is not a known field';
        code = 'UNKNOWN_FIELD';
        break;
      case 'not':
        message = 'must not be null';
        code = 'REQUIRED';
        break;
      case 'anyOf':
      case 'oneOf':
        // The branches' own errors say more; skip the summary.
        continue;
      case 'minLength':
        message = e.message ?? 'is too short';
        code = Number(p.limit) <= 1 ? 'REQUIRED' : 'TOO_SHORT';
        params = { limit: Number(p.limit) };
        break;
      case 'maxLength':
        message = e.message ?? 'is too long';
        code = 'TOO_LONG';
        params = { limit: Number(p.limit) };
        break;
      case 'pattern':
        message = e.message ?? 'is not valid';
        code = 'PATTERN';
        break;
      default:
        message = e.message ?? 'is not valid';
    }
    const key = `${path}|${message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ path, message, code, ...(params ? { params } : {}) });
    }
  }
  return out;
}

