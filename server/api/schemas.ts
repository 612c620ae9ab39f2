// The JSON Schemas (2020-12) of the API. The request schemas here are the ones ajv checks requests with,
// and the OpenAPI document (openapi.ts) publishes this very object as its components: one source.
import type { ValidateFunction } from 'ajv/dist/2020.js';
import tableSchemaFile from '../../rules/schema/decision-table.schema.json' with { type: 'json' };
import type { Problem } from '../engine/types.ts';
import { ajvProblems, createAjv } from '../store/input-schema.ts';
import { ACCESS_SCHEMAS } from './access-schemas.ts';
import { ApiError } from './errors.ts';

type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

const DATE = { type: 'string', format: 'date', examples: ['2024-03-01'] };
const TABLE_ID = { type: 'string', pattern: '^[a-z0-9-]+(\\.[a-z0-9-]+)*$', examples: ['handhaving.interventiematrix'] };
export const MAX_BATCH = 10_000;

/** The decision-table schema (rules/schema), re-rooted so its internal references work inside the components. */
function decisionTableComponent(): Schema {
  const text = JSON.stringify(tableSchemaFile).replaceAll('"#/definitions/', '"#/components/schemas/DecisionTable/definitions/');
  const { $schema: _s, $id: _i, ...rest } = JSON.parse(text) as Schema;
  return rest;
}

const selectionProps = {
  date: { ...DATE, description: 'The case date: the version valid on this date decides (default: today, Europe/Amsterdam).' },
  asOf: {
    type: 'string',
    anyOf: [{ format: 'date-time' }, { format: 'date' }],
    description: 'Only versions published at or before this moment (a date alone: the end of that day). "The rules valid on the case date, as known then."',
    examples: ['2024-06-30T12:00:00Z'],
  },
  version: { type: 'integer', minimum: 1, description: 'Pins one version; date and asOf are then ignored.' },
};

/** The `error` member of release 1's error shape, kept inside every problem details body. */
/** A problem's code and parameters (server/engine/messages.ts): what it says apart from its English wording. */
const PROBLEM_CODE_PROPS: Record<string, Schema> = {
  code: {
    type: 'string',
    description: 'Stable code of this problem (the same for every wording); a client words it in its own language from the code and `params`',
    examples: ['FEEL_EXPECTED_TOKEN', 'FEEL_UNKNOWN_NAME', 'INPUT_NOT_ALLOWED'],
  },
  params: {
    type: 'object',
    additionalProperties: { type: ['string', 'number'] },
    description: 'The values the message names, by name (a token, a name, a limit; `found` is the text met instead; `type` a column type)',
    examples: [{ token: ']', found: '10' }],
  },
};

const SCHEMAS_ERROR_MEMBER: Schema = {
  type: 'object',
  required: ['code', 'message', 'details'],
  properties: {
    code: { type: 'string', examples: ['INVALID_INPUT', 'HIT_POLICY_VIOLATION', 'STALE_REVISION'] },
    message: { type: 'string' },
    details: { type: 'array', items: ref('Problem') },
  },
};

export const SCHEMAS: Record<string, Schema> = {
  Problem: {
    type: 'object',
    required: ['path', 'message'],
    properties: {
      path: { type: 'string', description: 'JSON pointer into the request (or the table)' },
      message: { type: 'string', description: 'What is wrong, in English' },
      column: { type: 'integer' },
      ...PROBLEM_CODE_PROPS,
    },
  },
  InvalidParam: {
    type: 'object',
    required: ['name', 'reason'],
    properties: {
      name: { type: 'string', description: 'JSON pointer into the request (or the table)', examples: ['/input/gedrag'] },
      reason: { type: 'string', examples: ['must be one of A, B, C, D'] },
      column: { type: 'integer', description: 'Position in a cell expression, when the problem is inside one' },
      ...PROBLEM_CODE_PROPS,
    },
  },
  Error: {
    type: 'object',
    description:
      'Problem details (RFC 9457), sent as application/problem+json. `code` is stable and decides the status; `invalidParams` names each problem by JSON pointer; ' +
      '`error` repeats the shape of release 1 ({code, message, details} and extra fields such as `revision`), which existing clients read.',
    required: ['type', 'title', 'status', 'detail', 'code', 'invalidParams', 'error'],
    properties: {
      type: { type: 'string', format: 'uri-reference', description: 'The entry for this code on the rendered reference', examples: ['/api/v1/docs#problem-invalid-input'] },
      title: { type: 'string', description: 'The same for every problem of a type', examples: ['Invalid input'] },
      status: { type: 'integer', description: 'The HTTP status of this answer', examples: [400] },
      detail: { type: 'string', description: 'What went wrong with this request', examples: ["/input/gedrag must be one of A, B, C, D"] },
      instance: { type: 'string', format: 'uri-reference', description: 'The path of the request', examples: ['/api/v1/evaluate/handhaving.interventiematrix'] },
      code: { type: 'string', examples: ['INVALID_INPUT', 'HIT_POLICY_VIOLATION', 'STALE_REVISION'] },
      invalidParams: { type: 'array', items: ref('InvalidParam') },
      error: SCHEMAS_ERROR_MEMBER,
    },
  },
  DecisionTable: decisionTableComponent(),
  EvaluateRequest: {
    type: 'object',
    required: ['input'],
    additionalProperties: false,
    properties: {
      input: {
        type: 'object',
        description:
          "The case: the table's input values by name (or nested by an input's path). Other fields are allowed and ignored: they do not change the decision and are not written to the evaluation log (a case may carry what other tables of a chain need).",
      },
      ...selectionProps,
      trace: { type: 'boolean', description: 'Include per-rule trace of which cells held.' },
      explain: {
        type: 'boolean',
        description: 'Add `explanation`: the reasoned decision in plain Dutch and English (outcome, the rule that decided and why, its note, the sources, the version), fit for a decision letter.',
      },
      types: {
        type: 'boolean',
        description:
          'Add `types`: the FEEL type of each text in `output` that is not a string (a date, time, date-time or duration), so `"2024-01-31"` the date is told apart from the string that reads the same.',
      },
    },
  },
  PublicEvaluateRequest: {
    type: 'object',
    required: ['input'],
    additionalProperties: false,
    properties: {
      input: { type: 'object', description: "The case: the table's input values by name (a chain's: the required tables' too). Nothing of it is logged." },
      date: { ...DATE, description: 'The date of the situation: the version of the register valid on it decides (default: today, Europe/Amsterdam).' },
      types: { type: 'boolean', description: 'Add `types`, as on POST /evaluate/{tableId}: the FEEL type of each text in `output` that is not a string.' },
    },
  },
  BatchCase: {
    type: 'object',
    required: ['input'],
    additionalProperties: false,
    properties: {
      input: { type: 'object' },
      ...selectionProps,
      trace: { type: 'boolean' },
      explain: { type: 'boolean' },
      types: { type: 'boolean' },
      ref: { type: ['string', 'number'], description: "The caller's own reference, echoed in the result." },
    },
  },
  BatchRequest: {
    type: 'object',
    required: ['cases'],
    additionalProperties: false,
    properties: {
      cases: {
        type: 'array',
        maxItems: MAX_BATCH,
        items: { type: 'object', description: 'A BatchCase; each case is checked on its own, so one bad case does not fail the batch.' },
      },
      ...selectionProps,
      trace: { type: 'boolean' },
      explain: { type: 'boolean' },
      types: { type: 'boolean' },
    },
    description: 'date, asOf, version, trace, explain and types at the top apply to every case that does not set its own.',
  },
  StepResult: {
    type: 'object',
    required: ['tableId', 'version', 'hash', 'validFrom', 'output', 'matched'],
    properties: {
      tableId: TABLE_ID,
      version: { type: 'integer' },
      hash: { type: 'string', description: 'sha-256 (hex) of the canonical JSON of the version' },
      validFrom: DATE,
      output: { oneOf: [{ type: 'object' }, { type: 'array', items: { type: 'object' } }, { type: 'null' }] },
      matched: { type: 'array', items: { type: 'string' } },
      types: {
        type: 'object',
        additionalProperties: { enum: ['date', 'time', 'date and time', 'days and time duration', 'years and months duration'] },
        description:
          'With `types: true`: the FEEL type of each text in `output` that is not a string, by JSON Pointer (RFC 6901) into `output` (`/frist`; `/0/frist` in a list; `""` for the output itself). A text not named here is a string. A text in a date, time, dateTime or duration column counts as that type.',
        examples: [{ '/frist': 'date', '/termijn': 'days and time duration' }],
      },
      trace: { type: 'array', items: { type: 'object' } },
    },
  },
  EvaluateResponse: {
    allOf: [ref('StepResult')],
    properties: {
      steps: { type: 'array', items: ref('StepResult'), description: 'Tables this one requires, evaluated first.' },
      explanation: {
        type: 'object',
        required: ['nl', 'en'],
        properties: { nl: { type: 'string' }, en: { type: 'string' } },
        description:
          'With `explain: true`: the decision reasoned in plain text, Dutch and English (lines separated by newlines; no FEEL): the outcome, the rule that decided and the conditions that held, the rule\'s note, the sources with their links, the version and its start date; for a chain, each step.',
      },
    },
  },
  BatchResponse: {
    type: 'object',
    required: ['results'],
    properties: {
      results: {
        type: 'array',
        items: {
          oneOf: [ref('EvaluateResponse'), ref('BatchCaseError')],
        },
        description: 'One entry per case, in order: a decision, or {error, status} for a case that failed.',
      },
    },
  },
  BatchCaseError: {
    type: 'object',
    required: ['status', 'error'],
    description: 'A case of a batch that failed: the status it would have had alone, and the error member of the problem details.',
    properties: { ref: {}, status: { type: 'integer', examples: [400] }, error: SCHEMAS_ERROR_MEMBER },
  },
  Health: { type: 'object', required: ['status', 'version'], properties: { status: { const: 'ok' }, version: { type: 'string' } } },
  VersionMeta: {
    type: 'object',
    properties: {
      version: { type: 'integer' },
      validFrom: DATE,
      publishedAt: { type: 'string', format: 'date-time' },
      author: { type: 'string' },
      approvedBy: { type: ['string', 'null'] },
      note: { type: ['string', 'null'] },
      hash: { type: 'string' },
    },
  },
  TableSummary: {
    type: 'object',
    properties: {
      id: TABLE_ID,
      title: { type: 'string' },
      owner: { type: ['string', 'null'] },
      currentVersion: { type: ['integer', 'null'], description: 'The version valid today' },
      validFrom: { type: ['string', 'null'], format: 'date' },
      latestVersion: { type: ['integer', 'null'] },
      reviewBy: { type: ['string', 'null'] },
      draft: { oneOf: [{ type: 'null' }, { type: 'object', properties: { revision: { type: 'integer' }, status: { type: 'string' }, updatedAt: { type: 'string' }, updatedBy: { type: 'string' } } }] },
      archive: {
        description: 'The approved archive that ends the table (null: not archived). inForce: today lies on or after validFrom, so currentVersion is null',
        oneOf: [{ type: 'null' }, { type: 'object', properties: { validFrom: { type: 'string', format: 'date' }, inForce: { type: 'boolean' }, publishedAt: { type: 'string' }, requestedBy: { type: 'string' }, approvedBy: { type: 'string' }, note: { type: 'string' } } }],
      },
      archiveRequest: {
        description: 'A request to archive the table waiting for a second person (null: none)',
        oneOf: [{ type: 'null' }, { type: 'object', properties: { revision: { type: 'integer' }, validFrom: { type: 'string', format: 'date' }, note: { type: 'string' }, requestedAt: { type: 'string' }, requestedBy: { type: 'string' } } }],
      },
    },
  },
  TableDetail: {
    allOf: [ref('TableSummary')],
    properties: {
      description: { type: ['string', 'null'] },
      requires: { type: 'array', items: TABLE_ID },
      versions: { type: 'array', items: ref('VersionMeta') },
    },
  },
  Draft: {
    type: 'object',
    required: ['tableId', 'revision', 'table'],
    properties: {
      tableId: TABLE_ID,
      revision: { type: 'integer', description: '0: no stored draft; this is the newest version, and PUT with If-Match: 0 creates the draft' },
      table: ref('DecisionTable'),
      status: { enum: ['none', 'editing', 'submitted'] },
      baseVersion: { type: ['integer', 'null'] },
      updatedAt: { type: ['string', 'null'] },
      updatedBy: { type: ['string', 'null'] },
      editors: { type: 'array', items: { type: 'string' } },
    },
  },
  CreateTableRequest: {
    type: 'object',
    required: ['table'],
    properties: { table: { type: 'object', description: 'A DecisionTable without version/validFrom; checked by the engine (422 with details).' } },
  },
  SaveDraftRequest: {
    type: 'object',
    required: ['table'],
    properties: {
      table: { type: 'object', description: 'The whole draft table (a DecisionTable); checked by the engine (422 with details under /table).' },
    },
    description: 'Other fields (e.g. the revision from GET) are ignored: the If-Match header carries the revision.',
  },
  DiffQuery: {
    type: 'object',
    properties: {
      from: { type: 'string', pattern: '^([1-9][0-9]*|draft)$', description: 'A version number or "draft" (default: the newest version)' },
      to: { type: 'string', pattern: '^([1-9][0-9]*|draft)$', description: 'A version number or "draft" (default: draft)' },
    },
    additionalProperties: false,
  },
  CellChange: {
    type: 'object',
    properties: { kind: { enum: ['when', 'then', 'note', 'sources'] }, name: { type: 'string' }, from: { type: ['string', 'null'] }, to: { type: ['string', 'null'] } },
  },
  Diff: {
    type: 'object',
    properties: {
      tableId: TABLE_ID,
      from: { type: 'object', properties: { version: { type: ['integer', 'string'] }, hash: { type: 'string' } } },
      to: { type: 'object', properties: { version: { type: ['integer', 'string'] }, hash: { type: 'string' } } },
      fields: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, from: {}, to: {} } } },
      inputs: { type: 'object' },
      outputs: { type: 'object' },
      rules: {
        type: 'object',
        properties: {
          added: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, index: { type: 'integer' }, rule: { type: 'object' } } } },
          removed: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, index: { type: 'integer' }, rule: { type: 'object' } } } },
          changed: {
            type: 'array',
            items: { type: 'object', properties: { id: { type: 'string' }, fromIndex: { type: 'integer' }, toIndex: { type: 'integer' }, cells: { type: 'array', items: ref('CellChange') } } },
          },
          moved: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, fromIndex: { type: 'integer' }, toIndex: { type: 'integer' } } } },
        },
      },
      summary: { type: 'object', properties: { added: { type: 'integer' }, removed: { type: 'integer' }, changed: { type: 'integer' }, moved: { type: 'integer' }, same: { type: 'boolean' } } },
    },
  },
  ...ACCESS_SCHEMAS,
};

const DOC_ID = 'https://beslis.local/api';
const ajv = createAjv();
ajv.addSchema({ $id: DOC_ID, components: { schemas: SCHEMAS } });
const validators = new Map<string, ValidateFunction>();

export function validator(name: string): ValidateFunction {
  let v = validators.get(name);
  if (!v) {
    if (!SCHEMAS[name]) throw new Error(`no schema ${name}`);
    v = ajv.getSchema(`${DOC_ID}#/components/schemas/${name}`)!;
    validators.set(name, v);
  }
  return v;
}

/** Problems of `value` against the named schema, with paths under `prefix`. */
export function check(name: string, value: unknown, prefix = ''): Problem[] {
  const v = validator(name);
  return v(value) ? [] : ajvProblems(v.errors, prefix);
}

/** Throws a 400 naming every problem when the value does not fit. */
export function assertValid(name: string, value: unknown, what = 'the request body', prefix = ''): void {
  if (value === undefined) throw new ApiError('INVALID_REQUEST', `${what} is missing: send JSON with Content-Type: application/json`);
  const problems = check(name, value, prefix);
  if (problems.length > 0) {
    throw new ApiError('INVALID_REQUEST', `${what} is not valid: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`, problems);
  }
}
