// The OpenAPI 3.1 document. Its components are the SCHEMAS object that ajv validates requests with.
import { ACCESS_PATHS, SECURITY_SCHEMES } from './access-schemas.ts';
import { ARCHIVE_PATHS } from './routes/archive.ts';
import { DECISIONS_PATHS } from './routes/decisions.ts';
import { DMN_PATHS } from './routes/dmn.ts';
import { EXCEL_PATHS } from './routes/excel.ts';
import { ALGORITMEREGISTER_PATHS } from './routes/algoritmeregister.ts';
import { FIXTURE_PATHS } from './routes/fixtures.ts';
import { IMPACT_PATHS } from './routes/impact.ts';
import { PUBLIC_PATHS } from './routes/public-api.ts';
import { STATS_PATHS } from './routes/stats.ts';
import { WORKFLOW_PATHS } from './routes/workflow.ts';
import { API_BASE } from './base-path.ts';
import { problemTitle, problemType, STATUS_BY_CODE } from './errors.ts';
import { errorResponse } from './openapi-parts.ts';
import { ref, SCHEMAS } from './schemas.ts';

type Obj = Record<string, unknown>;

const json = (schema: Obj) => ({ 'application/json': { schema } });
const error = errorResponse;
const ok = (name: string, description = 'OK') => ({ description, content: json(ref(name)) });
const tableId = { name: 'tableId', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventiematrix' };
const id = { ...tableId, name: 'id' };
const n = { name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const DESCRIPTION = [
  'Versioned decision tables for public policy. Evaluate responses echo the version and its hash.',
  '',
  '**Errors** are problem details (RFC 9457, `application/problem+json`): `type`, `title`, `status` (the HTTP status), `detail`, `instance`, the stable `code`, ' +
    '`invalidParams` (`name` is the JSON pointer into the request, `reason` what is wrong), and `error` ({code, message, details}: the shape of release 1, kept for its clients). No request gives a 500.',
  '',
  '**Authentication.** Applications send `Authorization: Bearer <token>`; an admin creates the token (`POST /api/v1/tokens` {name, scopes}, the editor\'s admin page, or ' +
    '`beslis tokens create NAME --scope evaluate`); its secret is shown once. People log in with `POST /api/v1/auth/login` {username, password}: the answer sets the session cookie ' +
    '(HttpOnly, SameSite=Strict) and carries `csrfToken`, which every cookie-authenticated write sends as `X-CSRF-Token`. Without either, a guarded operation answers 401.',
  '',
  '**Versions.** The major version is in the path (`/api/v1`); every response carries `API-Version` with the full semantic version. A change that breaks clients gets a new major ' +
    'version beside this one; the old one then answers with `Deprecation` and `Sunset` headers (RFC 9745, RFC 8594) and a `Link` to its successor for at least the announced period.',
  '',
  '**Transport.** Behind a reverse proxy that terminates HTTPS (`--trust-proxy`), the session cookie is Secure and named `__Host-beslis_session`; run it over HTTPS only.',
].join('\n');

const common = { '400': error('Malformed JSON or a request that does not fit its schema (details name each path)'), '413': error('Body too large') };

/** Who answers questions about this API (NL API Design Rules, /core/doc-openapi-contact): set per deployment. */
export interface ApiContact {
  name: string;
  email?: string;
  url?: string;
}

export const DEFAULT_CONTACT: ApiContact = { name: 'The application managers of this Beslis installation' };

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Cookie-authenticated writes also send the CSRF token; a bearer token needs none. */
const WRITE_SECURITY = [{ session: [], csrfToken: [] }, { token: [] }];

/**
 * What holds for every operation alike, filled in once here so no router can forget it: the API-Version header on
 * every answer, 400 on every operation that takes input (a path or query parameter, a header or a body: each can be
 * malformed), 401 and 403 on every operation that needs credentials, and the CSRF token on cookie-authenticated writes.
 */
function completeOperations(paths: Record<string, Obj>): void {
  for (const item of Object.values(paths)) {
    for (const method of METHODS) {
      const op = item[method] as Obj | undefined;
      if (!op) continue;
      const responses = op.responses as Record<string, Obj>;
      const open = Array.isArray(op.security) && op.security.length === 0;
      const takesInput = method !== 'get' && method !== 'delete' ? true : ((op.parameters as unknown[] | undefined)?.length ?? 0) > 0;
      if (takesInput && !responses['400']) {
        responses['400'] = error('INVALID_REQUEST, INVALID_PARAMETER or MALFORMED_JSON: a parameter that cannot be read, or a body that is not JSON or does not fit its schema (invalidParams name each)');
      }
      if (!open) {
        if (!op.security && method !== 'get') op.security = WRITE_SECURITY;
        responses['401'] ??= error('UNAUTHENTICATED: no valid session cookie nor bearer token (WWW-Authenticate: Bearer)');
        responses['403'] ??= error('FORBIDDEN: the role or scope does not allow this; CSRF_TOKEN_INVALID: a cookie-authenticated write without its X-CSRF-Token; PASSWORD_CHANGE_REQUIRED');
      }
      for (const [status, response] of Object.entries(responses)) {
        // A copy: routers share response objects between operations.
        responses[status] = { ...response, headers: { 'API-Version': { $ref: '#/components/headers/API-Version' }, ...(response.headers as Obj | undefined) } };
      }
    }
  }
}

/**
 * The paths relative to the server URL `/api/v1` (the major version in the URI, /core/uri-version); the routers
 * write them in full. A path outside the API (GET /metrics) names its own server.
 */
function relativeToBase(paths: Record<string, Obj>): Record<string, Obj> {
  return Object.fromEntries(
    Object.entries(paths).map(([path, item]) => (path.startsWith(`${API_BASE}/`) ? [path.slice(API_BASE.length), item] : [path, { servers: [{ url: '/' }], ...item }])),
  );
}

export function openApiDocument(version: string, contact: ApiContact = DEFAULT_CONTACT): Obj {
  const doc = buildDocument(version, contact);
  doc.paths = relativeToBase(doc.paths as Record<string, Obj>);
  completeOperations(doc.paths as Record<string, Obj>);
  // Every code with its status, title and type: what the `type` of a problem details answer points to (/api/v1/docs).
  doc['x-problem-types'] = Object.fromEntries(
    Object.entries({ ...STATUS_BY_CODE, NOT_READY: 503 }).map(([code, status]) => [code, { status, title: problemTitle(code), type: problemType(code) }]),
  );
  return doc;
}

function buildDocument(version: string, contact: ApiContact): Obj {
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Beslis API',
      version,
      contact,
      description: DESCRIPTION,
    },
    servers: [{ url: API_BASE, description: 'This server; behind a proxy, the address it is published at (over HTTPS)' }],
    tags: [{ name: 'evaluate' }, { name: 'tables' }, { name: 'drafts' }, { name: 'register', description: 'The public register: open, rate-limited, only tables whose version in force is public' }, { name: 'meta' }, { name: 'access' }],
    // A session cookie (people) or an API token (applications); operations with `security: []` are open.
    security: [{ session: [] }, { token: [] }],
    paths: {
      '/api/v1/health': { get: { tags: ['meta'], summary: 'Liveness and version', security: [], responses: { '200': ok('Health') } } },
      '/api/v1/health/live': {
        get: { tags: ['meta'], summary: 'Liveness: the process answers (restart it when this fails)', security: [], responses: { '200': ok('Health') } },
      },
      '/api/v1/health/ready': {
        get: {
          tags: ['meta'],
          summary: 'Readiness: database reachable, migrations applied, evaluation log writer alive, not shutting down',
          description:
            'Send traffic only while this answers 200. `checks` says per check `ok` or what is wrong; a 503 is a problem details answer (code NOT_READY) with `checks`, `version` and `database` beside its members. ' +
            '`database` is {kind: sqlite or postgres, schemaVersion (null when it did not answer), needs (the schema version this program needs), reachable}; a database that does not answer within 2 s gives 503.',
          security: [],
          responses: {
            '200': { description: 'Ready: {status: "ready", version, checks: {database, migrations, evaluationLog, accepting}, database: {kind, schemaVersion, needs, reachable}}', content: json({ type: 'object' }) },
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
      '/api/v1/evaluate/{tableId}': {
        post: {
          tags: ['evaluate'],
          summary: 'Decide one case',
          description:
            'Chooses the version whose validFrom ≤ date (default today), newest first, among those published by asOf; or the pinned version. ' +
            "The engine checks the input against that version's input columns (type, allowed values, required; a nested `path` is read inside the case): " +
            'a bad field is a 400 INVALID_INPUT whose details name it by JSON path (`/input/gedrag`). GET …/versions/{n}/input-schema describes the same columns as a JSON Schema. ' +
            'Fields of the input that no input of the table reads are ignored, and left out of the evaluation log. ' +
            'Tables with `requires` run their required tables first; their outputs fill inputs the case does not give, and the response lists them in `steps`. ' +
            'With `explain: true` the response adds `explanation: {nl, en}`: the decision reasoned in plain words (no FEEL), for a decision letter.',
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
      '/api/v1/evaluate/{tableId}/batch': {
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
      '/api/v1/tables': {
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
      '/api/v1/tables/{id}': {
        get: { tags: ['tables'], summary: 'Metadata and version list', parameters: [id], responses: { '200': ok('TableDetail'), '404': error('Unknown table') } },
      },
      '/api/v1/tables/{id}/versions': {
        get: {
          tags: ['tables'],
          summary: 'Version list',
          parameters: [id],
          responses: { '200': { description: 'Versions, oldest first', content: json({ type: 'object', properties: { tableId: { type: 'string' }, versions: { type: 'array', items: ref('VersionMeta') } } }) }, '404': error('Unknown table') },
        },
      },
      '/api/v1/tables/{id}/versions/{n}': {
        get: {
          tags: ['tables'],
          summary: 'The immutable JSON of one version (ETag: its hash)',
          parameters: [id, n],
          responses: { '200': ok('DecisionTable'), '400': error('n is not a version number'), '404': error('Unknown table or version') },
        },
      },
      '/api/v1/tables/{id}/versions/{n}/input-schema': {
        get: {
          tags: ['tables'],
          summary: "A JSON Schema describing a case for this version (the engine does the checking, with the same rules)",
          parameters: [id, n],
          responses: { '200': { description: 'JSON Schema 2020-12', content: json({ type: 'object' }) }, '404': error('Unknown table or version') },
        },
      },
      '/api/v1/tables/{id}/draft': {
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
      '/api/v1/tables/{id}/diff': {
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
      ...PUBLIC_PATHS,
      ...EXCEL_PATHS,
      ...ARCHIVE_PATHS,
      ...DECISIONS_PATHS,
      ...DMN_PATHS,
      ...ALGORITMEREGISTER_PATHS,
      '/api/v1/openapi.json': { get: { tags: ['meta'], summary: 'This document', security: [], responses: { '200': { description: 'OpenAPI 3.1' } } } },
      '/api/v1/docs': { get: { tags: ['meta'], summary: 'This document, rendered', security: [], responses: { '200': { description: 'HTML' } } } },
      ...ACCESS_PATHS,
    },
    components: {
      schemas: SCHEMAS,
      securitySchemes: SECURITY_SCHEMES,
      headers: {
        'API-Version': {
          description: 'The full semantic version of the API that answered (the same as info.version); sent with every response.',
          schema: { type: 'string', examples: [version] },
        },
      },
    },
  };
}
