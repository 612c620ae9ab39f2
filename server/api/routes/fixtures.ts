// Fixture sets and runs (docs/contracts.md): GET/PUT a table's fixtures, the draft's own fixture changes
// (with a reason), record a logged or just-decided case as a fixture, and run one suite or all of them.
import { Router, type Request, type Response } from 'express';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { junitXml } from '../../store/fixture-reports.ts';
import { assertFixtures, FIXTURE_SCHEMA } from '../../store/fixture-validation.ts';
import {
  fixturesFor,
  parseTarget,
  putTableFixtures,
  recordFixture,
  runAllFixtures,
  runTableFixtures,
  saveDraftFixtures,
  type AllFixturesReport,
  type RecordOptions,
  type RecordSource,
} from '../../store/fixtures.ts';
import { StoreError } from '../../store/errors.ts';
import { ajvProblems, createAjv } from '../../store/input-schema.ts';
import type { Store } from '../../store/store.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../openapi-parts.ts';

type Schema = Record<string, unknown>;

const ajv = createAjv();
const compiled = new Map<Schema, ValidateFunction>();

/** Throws 400 INVALID_REQUEST naming every problem (paths under `prefix`) when `value` does not fit `schema`. */
export function checkRequest(schema: Schema, value: unknown, what = 'the request body', prefix = ''): void {
  if (value === undefined) throw new ApiError('INVALID_REQUEST', `${what} is missing: send JSON with Content-Type: application/json`);
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  if (v(value)) return;
  const problems = ajvProblems(v.errors, prefix);
  throw new ApiError('INVALID_REQUEST', `${what} is not valid: ${problems.map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`, problems);
}

/** The revision in If-Match (`3`, `"3"`, `W/"3"`); undefined without the header unless it is required. */
export function ifMatch(req: Request, required: boolean): number | undefined {
  const header = req.get('If-Match');
  if (header === undefined || header.trim() === '') {
    if (required) throw new ApiError('PRECONDITION_REQUIRED', 'send If-Match with the draft revision you edited (0 when there is no stored draft yet)');
    return undefined;
  }
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw new ApiError('INVALID_REQUEST', `If-Match must be a revision number, not '${header}'`, [{ path: '/headers/if-match', message: 'must be a revision number' }]);
  return Number(m[1]);
}

export function requireTable(store: Store, id: string): void {
  if (!store.tableExists(id)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${id}'`);
}

const DATE = { type: 'string', format: 'date' };

export const REQUEST_SCHEMAS = {
  RunQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      target: { type: 'string', pattern: '^(newest|draft|[1-9][0-9]{0,8})$', description: 'newest (default), draft, or a version number' },
      validFrom: { ...DATE, description: 'With target=draft: cases dated on or after this run against the draft (default: its submitted validFrom, or today)' },
      reporter: { enum: ['json', 'junit'], description: 'json (default) or junit (JUnit XML)' },
    },
  },
  RunAllQuery: {
    type: 'object',
    additionalProperties: false,
    properties: { target: { enum: ['newest', 'draft'] }, reporter: { enum: ['json', 'junit'] } },
  },
  GetFixturesQuery: { type: 'object', additionalProperties: false, properties: { target: { enum: ['table', 'draft'] } } },
  TableFixturesRequest: {
    type: 'object',
    required: ['fixtures', 'reason'],
    additionalProperties: false,
    properties: {
      fixtures: { type: 'object', description: "The table's whole fixture set (FixtureSuite); checked with its JSON Schema (422 with paths under /fixtures)" },
      reason: { type: 'string', minLength: 1, pattern: '\\S', description: 'Why the expectations change: the approver of the next version sees it, with who made the change' },
    },
  },
  DraftFixturesRequest: {
    type: 'object',
    required: ['fixtures', 'reason'],
    additionalProperties: false,
    properties: {
      fixtures: { type: 'object', description: 'The whole fixture set the draft runs (FixtureSuite); checked with its JSON Schema (422 with paths under /fixtures)' },
      reason: { type: 'string', minLength: 1, description: 'Why the expectations change: shown in the diff and the audit trail' },
    },
  },
  RecordRequest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      logId: { type: 'integer', minimum: 1, description: 'A logged evaluation of this table' },
      input: { type: 'object', description: 'Or a case to decide now (with date/asOf/version as for evaluate)' },
      date: DATE,
      asOf: { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] },
      version: { type: 'integer', minimum: 1 },
      name: { type: 'string', minLength: 1 },
      note: { type: 'string' },
      undated: { type: 'boolean', description: 'Leave the case date out: the case then runs against every new draft' },
    },
    oneOf: [{ required: ['logId'] }, { required: ['input'] }],
  },
} satisfies Record<string, Schema>;

function sendRunReport(res: Response, report: AllFixturesReport, one: boolean, reporter: string | undefined, ctx: ApiContext): void {
  ctx.metrics?.fixtureRun(report.totals.failed);
  if (reporter === 'junit') {
    res.type('application/xml').send(junitXml(report));
    return;
  }
  res.json(one ? report.suites[0] : report);
}

export function fixturesRouter(ctx: ApiContext): Router {
  const { store, evaluator } = ctx;
  const r = Router();
  const test = authorize(ctx.access, 'test');
  const edit = authorize(ctx.access, 'edit');
  const run = authorize(ctx.access, 'fixtures:run');

  r.get('/tables/:id/fixtures', test, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(REQUEST_SCHEMAS.GetFixturesQuery, { ...req.query }, 'the query');
    const stored = (await store.getFixtures(id));
    if (req.query.target === 'draft') {
      const draft = (await store.getDraft(id));
      const { set, source } = (await fixturesFor(store, id, draft));
      const revision = draft?.revision ?? 0;
      res.set('ETag', `"${revision}"`).json({ tableId: id, target: 'draft', source, revision, fixtures: set });
      return;
    }
    const revision = stored?.revision ?? 0;
    res.set('ETag', `"${revision}"`).json({
      tableId: id,
      target: 'table',
      revision,
      fixtures: stored?.fixtures ?? { table: id, cases: [] },
      hash: stored?.hash ?? null,
      updatedAt: stored?.updatedAt ?? null,
      updatedBy: stored?.updatedBy ?? null,
      draftHasFixtures: Boolean((await store.getDraft(id))?.fixtures),
    });
  });

  r.put('/tables/:id/fixtures', test, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(REQUEST_SCHEMAS.TableFixturesRequest, req.body);
    const body = req.body as { fixtures: unknown; reason: string };
    assertFixtures(body.fixtures, id, '/fixtures');
    const { record, changes } = (await putTableFixtures(store, id, body.fixtures, req.actor.name, ifMatch(req, false), { reason: body.reason, route: 'PUT /api/v1/tables/:id/fixtures' }));
    res.set('ETag', `"${record.revision}"`).json({ tableId: id, revision: record.revision, hash: record.hash, changes });
  });

  r.put('/tables/:id/draft/fixtures', edit, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const expected = ifMatch(req, true)!;
    checkRequest(REQUEST_SCHEMAS.DraftFixturesRequest, req.body);
    const body = req.body as { fixtures: unknown; reason: string };
    assertFixtures(body.fixtures, id, '/fixtures');
    const { draft, changes } = (await saveDraftFixtures(store, id, body.fixtures, body.reason, expected, req.actor.name));
    res.set('ETag', `"${draft.revision}"`).json({ tableId: id, revision: draft.revision, status: draft.status, source: draft.fixtures ? 'draft' : 'table', changes });
  });

  const record = (into: 'draft' | 'table') => async (req: Request, res: Response) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(REQUEST_SCHEMAS.RecordRequest, req.body);
    const b = req.body as RecordSource & Omit<RecordOptions, 'into' | 'expectedRevision'>;
    const expectedRevision = ifMatch(req, false);
    const result = (await recordFixture(
      store,
      evaluator,
      id,
      { logId: b.logId, input: b.input, date: b.date, asOf: b.asOf, version: b.version },
      { name: b.name, note: b.note, undated: b.undated, into, ...(expectedRevision !== undefined ? { expectedRevision } : {}) },
      req.actor.name,
    ));
    res.status(201).set('ETag', `"${result.revision}"`).json({ tableId: id, ...result });
  };
  r.post('/tables/:id/draft/fixtures/record', edit, record('draft'));
  r.post('/tables/:id/fixtures/record', test, record('table'));

  r.post('/tables/:id/fixtures/run', run, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(REQUEST_SCHEMAS.RunQuery, { ...req.query }, 'the query');
    const q = req.query as { target?: string; validFrom?: string; reporter?: string };
    const target = parseTarget(q.target)!;
    const started = performance.now();
    const one = (await runTableFixtures(store, evaluator, id, target, q.validFrom ? { validFrom: q.validFrom } : {}));
    const t = one.totals;
    const all: AllFixturesReport = {
      target: target === 'draft' ? 'draft' : 'newest',
      suites: [one],
      totals: { suites: 1, cases: t.cases, passed: t.passed, failed: t.failed, rules: t.rules, unreached: t.unreached },
      ms: performance.now() - started,
    };
    sendRunReport(res, all, true, q.reporter, ctx);
  });

  r.post('/fixtures/run', run, async (req, res) => {
    checkRequest(REQUEST_SCHEMAS.RunAllQuery, { ...req.query }, 'the query');
    const q = req.query as { target?: 'newest' | 'draft'; reporter?: string };
    sendRunReport(res, (await runAllFixtures(store, evaluator, q.target ?? 'newest')), false, q.reporter, ctx);
  });

  return r;
}

// ---------------------------------------------------------------------------------------------
// OpenAPI (merged into the document by ../openapi.ts)

const json = (schema: Schema) => ({ 'application/json': { schema } });
const err = errorResponse;
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventiematrix' };
const q = (name: string, schema: Schema, description?: string) => ({ name, in: 'query', schema, ...(description ? { description } : {}) });
const ifMatchHeader = (required: boolean, description: string) => ({ name: 'If-Match', in: 'header', required, schema: { type: 'string' }, description });
const runReport = { description: 'The report: per case pass/fail, expected vs actual, matched rules and what it ran against; per table version the rules no case reaches', content: { ...json({ type: 'object' }), 'application/xml': { schema: { type: 'string' } } } };

/** The fixture schema with its case definition inlined (no `$ref`s, so it stands anywhere in the OpenAPI document). */
const FIXTURE_SUITE_SCHEMA: Schema = (() => {
  const { $schema: _s, $id: _i, $defs, ...rest } = structuredClone(FIXTURE_SCHEMA) as Schema & { $defs: { case: Schema }; properties: { cases: Schema } };
  rest.properties.cases = { ...rest.properties.cases, items: $defs.case };
  return rest;
})();

export const FIXTURE_PATHS: Record<string, Schema> = {
  '/api/v1/tables/{id}/fixtures': {
    get: {
      tags: ['fixtures'],
      summary: "The table's fixture set (ETag: its revision), or with target=draft the set the draft runs",
      parameters: [id, q('target', REQUEST_SCHEMAS.GetFixturesQuery.properties.target)],
      responses: { '200': { description: '{tableId, revision, fixtures}', content: json({ type: 'object' }) }, '404': err('Unknown table') },
    },
    put: {
      tags: ['fixtures'],
      summary: "Replace the table's fixture set, with a reason ({fixtures, reason}; the set is checked with the fixture JSON Schema: 422 with paths)",
      description:
        'If-Match (optional) is the fixture revision from GET. Refused (409 DRAFT_HAS_FIXTURES) while the draft changes the fixtures: change them in the draft; and (409 DRAFT_SUBMITTED) while a draft is submitted. The approval report of the next version lists the change with who made it, this route and the reason.',
      parameters: [id, ifMatchHeader(false, 'fixture revision')],
      requestBody: { required: true, content: json({ ...REQUEST_SCHEMAS.TableFixturesRequest, properties: { ...REQUEST_SCHEMAS.TableFixturesRequest.properties, fixtures: FIXTURE_SUITE_SCHEMA } }) },
      responses: { '200': { description: 'Saved: {revision, changes}', content: json({ type: 'object' }) }, '404': err('Unknown table'), '409': err('Stale revision, or the draft holds the fixtures'), '422': err('INVALID_FIXTURES (details name each path)') },
    },
  },
  '/api/v1/tables/{id}/draft/fixtures': {
    put: {
      tags: ['fixtures', 'drafts'],
      summary: "Change the fixtures inside the draft, with a reason (intended outcome changes); approving makes them the table's",
      description: 'If-Match is the draft revision (0: no stored draft yet). Counts as an edit of the draft (four-eyes).',
      parameters: [id, ifMatchHeader(true, 'draft revision')],
      requestBody: { required: true, content: json(REQUEST_SCHEMAS.DraftFixturesRequest) },
      responses: { '200': { description: '{revision, changes}', content: json({ type: 'object' }) }, '400': err('Invalid request'), '409': err('STALE_REVISION'), '422': err('INVALID_FIXTURES'), '428': err('If-Match missing') },
    },
  },
  '/api/v1/tables/{id}/draft/fixtures/record': {
    post: {
      tags: ['fixtures', 'drafts'],
      summary: "Record a logged evaluation (logId) or a case decided now (input) as a fixture case of the draft",
      parameters: [id, ifMatchHeader(false, 'draft revision')],
      requestBody: { required: true, content: json(REQUEST_SCHEMAS.RecordRequest) },
      responses: { '201': { description: '{case, revision}', content: json({ type: 'object' }) }, '404': err('Unknown table or log entry'), '422': err('No outcome to expect, or a duplicate case name') },
    },
  },
  '/api/v1/tables/{id}/fixtures/record': {
    post: {
      tags: ['fixtures'],
      summary: "Record a logged evaluation (logId) or a case decided now (input) as a fixture case of the table's set",
      parameters: [id, ifMatchHeader(false, 'fixture revision')],
      requestBody: { required: true, content: json(REQUEST_SCHEMAS.RecordRequest) },
      responses: { '201': { description: '{case, revision}', content: json({ type: 'object' }) }, '404': err('Unknown table or log entry'), '409': err('The draft holds the fixtures'), '422': err('No outcome to expect, or a duplicate case name') },
    },
  },
  '/api/v1/tables/{id}/fixtures/run': {
    post: {
      tags: ['fixtures'],
      summary: "Run the table's fixtures against the newest version, a version, or the draft (with the draft's fixture changes)",
      parameters: [
        id,
        q('target', REQUEST_SCHEMAS.RunQuery.properties.target),
        q('validFrom', REQUEST_SCHEMAS.RunQuery.properties.validFrom),
        q('reporter', REQUEST_SCHEMAS.RunQuery.properties.reporter),
      ],
      responses: { '200': runReport, '400': err('Bad target'), '404': err('Unknown table, version or draft') },
    },
  },
  '/api/v1/fixtures/run': {
    post: {
      tags: ['fixtures'],
      summary: 'Run every suite (target=draft: tables with a draft run against it)',
      parameters: [q('target', REQUEST_SCHEMAS.RunAllQuery.properties.target), q('reporter', REQUEST_SCHEMAS.RunAllQuery.properties.reporter)],
      responses: { '200': runReport, '400': err('Bad target') },
    },
  },
};
