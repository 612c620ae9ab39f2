// The OpenAPI 3.1 document. Its components are the SCHEMAS object that ajv validates requests with.
import { ACCESS_PATHS, SECURITY_SCHEMES } from './access-schemas.ts';
import { FIXTURE_PATHS } from './routes/fixtures.ts';
import { IMPACT_PATHS } from './routes/impact.ts';
import { STATS_PATHS } from './routes/stats.ts';
import { WORKFLOW_PATHS } from './routes/workflow.ts';
import { errorResponse } from './openapi-parts.ts';
import { ref, SCHEMAS } from './schemas.ts';

type Obj = Record<string, unknown>;

const json = (schema: Obj) => ({ 'application/json': { schema } });
const error = errorResponse;
const ok = (name: string, description = 'OK') => ({ description, content: json(ref(name)) });
const tableId = { name: 'tableId', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventiematrix' };
const id = { ...tableId, name: 'id' };
const n = { name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const common = { '400': error('Malformed JSON or a request that does not fit its schema (details name each path)'), '413': error('Body too large') };

export function openApiDocument(version: string): Obj {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Beslis API',
      version,
      description:
        'Versioned decision tables for public policy. Errors always have the shape {"error": {"code", "message", "details"}}; ' +
        'no request gives a 5xx. Evaluate responses echo the version and its hash.',
    },
    servers: [{ url: '/' }],
    tags: [{ name: 'evaluate' }, { name: 'tables' }, { name: 'drafts' }, { name: 'meta' }, { name: 'access' }],
    // A session cookie (people) or an API token (applications); operations with `security: []` are open.
    security: [{ session: [] }, { token: [] }],
    paths: {
      '/api/health': { get: { tags: ['meta'], summary: 'Liveness and version', security: [], responses: { '200': ok('Health') } } },
      '/api/health/live': {
        get: { tags: ['meta'], summary: 'Liveness: the process answers (restart it when this fails)', security: [], responses: { '200': ok('Health') } },
      },
      '/api/health/ready': {
        get: {
          tags: ['meta'],
          summary: 'Readiness: database reachable, migrations applied, evaluation log writer alive, not shutting down',
          description: 'Send traffic only while this answers 200. `checks` says per check `ok` or what is wrong; a 503 is a problem details answer (code NOT_READY) with `checks` and `version` beside its members.',
          security: [],
          responses: {
            '200': { description: 'Ready: {status: "ready", version, checks: {database, migrations, evaluationLog, accepting}}', content: json({ type: 'object' }) },
            '503': error('Not ready (Retry-After): NOT_READY, with `checks` (per check `ok` or what is wrong) and `version`'),
          },
        },
      },
      '/metrics': {
        get: {
          tags: ['meta'],
          summary: 'Metrics in the Prometheus text format (admin, or a token with scope metrics)',
          description:
            'Requests by route pattern and status, evaluate latency per table, evaluations by table and version, the evaluation log\'s queue and lag, ' +
            'fixture runs, publish gate outcomes, logins, database size, and the process (memory, CPU, event loop). Under --workers, the sum over all workers.',
          'x-permission': 'metrics',
          responses: {
            '200': { description: 'The Prometheus text exposition format 0.0.4', content: { 'text/plain': { schema: { type: 'string' } } } },
            '401': error('No credentials'),
            '403': error('Not an admin, nor a token with scope metrics'),
          },
        },
      },
      '/api/evaluate/{tableId}': {
        post: {
          tags: ['evaluate'],
          summary: 'Decide one case',
          description:
            'Chooses the version whose validFrom ≤ date (default today), newest first, among those published by asOf; or the pinned version. ' +
            "The engine checks the input against that version's input columns (type, allowed values, required; a nested `path` is read inside the case): " +
            'a bad field is a 400 INVALID_INPUT whose details name it by JSON path (`/input/gedrag`). GET …/versions/{n}/input-schema describes the same columns as a JSON Schema. ' +
            'Fields of the input that no input of the table reads are ignored, and left out of the evaluation log. ' +
            'Tables with `requires` run their required tables first; their outputs fill inputs the case does not give, and the response lists them in `steps`.',
          parameters: [tableId],
          requestBody: { required: true, content: json(ref('EvaluateRequest')) },
          responses: {
            '200': ok('EvaluateResponse', 'The decision'),
            ...common,
            '404': error('Unknown table, unknown pinned version, or no version valid on the date'),
            '413': error('PAYLOAD_TOO_LARGE (the body), or RESPONSE_TOO_LARGE: with trace, the answer would pass 32 MB'),
            '422': error('HIT_POLICY_VIOLATION (details name the rules), or a result beyond a limit (LIMIT_EXCEEDED: a FEEL string over 1 MB, a list over 100,000 items, an output over 1 MB)'),
          },
        },
      },
      '/api/evaluate/{tableId}/batch': {
        post: {
          tags: ['evaluate'],
          summary: 'Decide many cases',
          description: 'One result per case, in order. A case that fails gets {status, error} in its own slot; the others are answered.',
          parameters: [tableId],
          requestBody: { required: true, content: json(ref('BatchRequest')) },
          responses: {
            '200': ok('BatchResponse'),
            ...common,
            '404': error('Unknown table'),
            '413': error('PAYLOAD_TOO_LARGE (the body), or RESPONSE_TOO_LARGE: the answers would pass 32 MB (details name the case reached); send fewer cases'),
          },
        },
      },
      '/api/tables': {
        get: {
          tags: ['tables'],
          summary: 'Catalogue',
          responses: { '200': { description: 'All tables', content: json({ type: 'object', properties: { tables: { type: 'array', items: ref('TableSummary') } } }) } },
        },
        post: {
          tags: ['tables'],
          summary: 'Create a table (as a draft, revision 1)',
          requestBody: { required: true, content: json(ref('CreateTableRequest')) },
          responses: { '201': ok('Draft', 'Created'), ...common, '409': error('A table with this id exists'), '422': error('INVALID_TABLE: the table is not valid (details under /table); TABLE_TOO_COSTLY: checking it took longer than the 2 s budget (details name the rule)') },
        },
      },
      '/api/tables/{id}': {
        get: { tags: ['tables'], summary: 'Metadata and version list', parameters: [id], responses: { '200': ok('TableDetail'), '404': error('Unknown table') } },
      },
      '/api/tables/{id}/versions': {
        get: {
          tags: ['tables'],
          summary: 'Version list',
          parameters: [id],
          responses: { '200': { description: 'Versions, oldest first', content: json({ type: 'object', properties: { tableId: { type: 'string' }, versions: { type: 'array', items: ref('VersionMeta') } } }) }, '404': error('Unknown table') },
        },
      },
      '/api/tables/{id}/versions/{n}': {
        get: {
          tags: ['tables'],
          summary: 'The immutable JSON of one version (ETag: its hash)',
          parameters: [id, n],
          responses: { '200': ok('DecisionTable'), '400': error('n is not a version number'), '404': error('Unknown table or version') },
        },
      },
      '/api/tables/{id}/versions/{n}/input-schema': {
        get: {
          tags: ['tables'],
          summary: "A JSON Schema describing a case for this version (the engine does the checking, with the same rules)",
          parameters: [id, n],
          responses: { '200': { description: 'JSON Schema 2020-12', content: json({ type: 'object' }) }, '404': error('Unknown table or version') },
        },
      },
      '/api/tables/{id}/draft': {
        get: {
          tags: ['drafts'],
          summary: 'The draft (revision 0: none stored, based on the newest version)',
          parameters: [id],
          responses: { '200': ok('Draft'), '404': error('Unknown table') },
        },
        put: {
          tags: ['drafts'],
          summary: 'Save the draft',
          description: 'If-Match carries the revision that was edited (0 creates the draft). A stale revision is a 409 with the current revision; nothing is overwritten.',
          parameters: [id, { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, example: '"3"' }],
          requestBody: { required: true, content: json(ref('SaveDraftRequest')) },
          responses: {
            '200': ok('Draft', 'Saved; revision is one higher'),
            ...common,
            '404': error('Unknown table'),
            '409': error('STALE_REVISION: someone saved meanwhile (error.revision is the current revision)'),
            '422': error('INVALID_TABLE: the table is not valid (details under /table); TABLE_TOO_COSTLY: checking it took longer than the 2 s budget (details name the rule)'),
            '428': error('If-Match is missing'),
          },
        },
        delete: {
          tags: ['drafts'],
          summary: 'Discard the draft (not while submitted: withdraw it first); a table that has no version goes with it',
          parameters: [id, { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, description: 'the draft revision you saw' }],
          responses: {
            '200': { description: '{tableId, discarded, tableRemoved}', content: json({ type: 'object' }) },
            '404': error('Unknown table or no draft'),
            '409': error('DRAFT_SUBMITTED, or a stale revision'),
            '428': error('If-Match is missing'),
          },
        },
      },
      '/api/tables/{id}/diff': {
        get: {
          tags: ['drafts'],
          summary: 'Rule-level diff between two versions, or a version and the draft',
          parameters: [
            id,
            { name: 'from', in: 'query', schema: (SCHEMAS.DiffQuery!.properties as Obj).from },
            { name: 'to', in: 'query', schema: (SCHEMAS.DiffQuery!.properties as Obj).to },
          ],
          responses: { '200': ok('Diff'), '400': error('from/to are not a version or "draft"'), '404': error('Unknown table or version') },
        },
      },
      // Fixtures, the publish gate, impact analysis and outcome statistics (issue 5).
      ...FIXTURE_PATHS,
      ...WORKFLOW_PATHS,
      ...IMPACT_PATHS,
      ...STATS_PATHS,
      '/api/openapi.json': { get: { tags: ['meta'], summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } },
      '/api/docs': { get: { tags: ['meta'], summary: 'This document, rendered', security: [], responses: { '200': { description: 'HTML' } } } },
      ...ACCESS_PATHS,
    },
    components: { schemas: SCHEMAS, securitySchemes: SECURITY_SCHEMES },
  };
}
