// The logged decisions of a table (the editor's Besluiten tab; docs/api.md, "Logged decisions"): a bounded page of
// the evaluation log with filters, and one decision with its trace and explanation made again from the logged
// input. The log holds case data, so reading it takes the permission that already shows logged cases (impact:
// editors and approvers).
import { Router } from 'express';
import { decisionDetail, DECISIONS_PAGE_DEFAULT, DECISIONS_PAGE_MAX, DECISIONS_SEARCH_MAX, listDecisions, type DecisionQuery } from '../../store/decisions.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../openapi-parts.ts';
import { checkRequest, requireTable } from './fixtures.ts';

type Schema = Record<string, unknown>;

const WHEN = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] };
const TEXT = { type: 'string', minLength: 1, maxLength: DECISIONS_SEARCH_MAX };
const WHOLE = { type: 'string', pattern: '^[1-9][0-9]{0,14}$' };

export const DECISIONS_SCHEMAS = {
  DecisionsQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      from: { ...WHEN, description: 'evaluated at or after (a date: its start in Europe/Amsterdam)' },
      to: { ...WHEN, description: 'evaluated at or before (a date: its end in Europe/Amsterdam)' },
      version: { ...WHOLE, description: 'only decisions by this version' },
      rule: { ...TEXT, description: 'only decisions in which this rule (id) matched' },
      outcome: { ...TEXT, description: 'text the logged output contains, e.g. a value' },
      q: { ...TEXT, description: 'text the logged input contains (a value or field name)' },
      before: { ...WHOLE, description: 'the `next` of the previous page' },
      limit: { type: 'string', pattern: '^[1-9][0-9]{0,2}$', description: `decisions per page, 1–${DECISIONS_PAGE_MAX} (default ${DECISIONS_PAGE_DEFAULT})` },
    },
  },
} satisfies Record<string, Schema>;

export function decisionsRouter(ctx: ApiContext): Router {
  const { store, evaluator } = ctx;
  const r = Router();
  const allowed = authorize(ctx.access, 'impact');

  r.get('/tables/:id/decisions', allowed, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const q = { ...req.query } as Record<string, string>;
    checkRequest(DECISIONS_SCHEMAS.DecisionsQuery, q, 'the query');
    const limit = q.limit === undefined ? undefined : Number(q.limit);
    if (limit !== undefined && limit > DECISIONS_PAGE_MAX) {
      throw new ApiError('INVALID_PARAMETER', `limit is at most ${DECISIONS_PAGE_MAX}, not ${limit}`, [{ path: '/limit', message: `must be at most ${DECISIONS_PAGE_MAX}` }]);
    }
    const query: DecisionQuery = {
      ...(q.from !== undefined ? { from: q.from } : {}),
      ...(q.to !== undefined ? { to: q.to } : {}),
      ...(q.version !== undefined ? { version: Number(q.version) } : {}),
      ...(q.rule !== undefined ? { rule: q.rule } : {}),
      ...(q.outcome !== undefined ? { outcome: q.outcome } : {}),
      ...(q.q !== undefined ? { q: q.q } : {}),
      ...(q.before !== undefined ? { before: Number(q.before) } : {}),
      ...(limit !== undefined ? { limit } : {}),
    };
    // What the log keeps decides what can be found: say so beside the page.
    const log = ctx.log ? { mode: ctx.log.mode, sampleRate: ctx.log.mode === 'sample' ? ctx.log.sampleRate : undefined, retentionDays: ctx.log.retentionDays } : { mode: 'off' };
    res.json({ ...(await listDecisions(store, id, query)), log });
  });

  r.get('/tables/:id/decisions/:logId', allowed, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const raw = req.params.logId as string;
    if (!/^[1-9][0-9]{0,14}$/.test(raw)) throw new ApiError('INVALID_PARAMETER', `a decision is named by its log id, a whole number, not '${raw}'`, [{ path: '/logId', message: 'must be a positive integer' }]);
    res.json((await decisionDetail(store, evaluator, id, Number(raw))));
  });

  return r;
}

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventiematrix' };
const p = (name: string) => ({ name, in: 'query', schema: (DECISIONS_SCHEMAS.DecisionsQuery.properties as Record<string, Schema>)[name] });

export const DECISIONS_PATHS: Record<string, Schema> = {
  '/api/v1/tables/{id}/decisions': {
    get: {
      tags: ['tables'],
      summary: 'The logged decisions of the table, newest first, a bounded page with filters',
      description:
        'Reads at most 20,000 log rows per request: when the filters leave the page short after that, scanLimited is true and next goes on further back. ' +
        'log says what the server keeps (mode off, sample or all; retention). Editors and approvers (the log holds case data).',
      parameters: [idParam, p('from'), p('to'), p('version'), p('rule'), p('outcome'), p('q'), p('before'), p('limit')],
      responses: {
        '200': { description: '{tableId, decisions: [{id, version, hash, input, output, matched, caseDate, asOf, caller, evaluatedAt}], next, scanLimited, limit, log}', content: { 'application/json': { schema: { type: 'object' } } } },
        '400': errorResponse('Invalid query (a limit over 100, text over 200 characters)'),
        '404': errorResponse('Unknown table'),
      },
    },
  },
  '/api/v1/tables/{id}/decisions/{logId}': {
    get: {
      tags: ['tables'],
      summary: 'One logged decision with its trace and explanation (made again from the logged input and version)',
      parameters: [idParam, { name: 'logId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      responses: {
        '200': { description: '{…the logged decision, trace, explanation: {nl, en}, traceProblem}', content: { 'application/json': { schema: { type: 'object' } } } },
        '400': errorResponse('logId is not a whole number'),
        '404': errorResponse('Unknown table or decision'),
      },
    },
  },
};
