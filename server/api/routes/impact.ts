// POST /api/v1/tables/:id/draft/impact (issue 5): the logged evaluations of a period decided again by the draft.
import { Router } from 'express';
import { StoreError } from '../../store/errors.ts';
import { draftImpact, period, type Period } from '../../store/impact.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../openapi-parts.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { checkRequest, requireTable } from './fixtures.ts';

type Schema = Record<string, unknown>;

const WHEN = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] };

export const IMPACT_SCHEMAS = {
  ImpactRequest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      from: { ...WHEN, description: 'Start of the period (a date: its start, UTC); default 12 months before `to`' },
      to: { ...WHEN, description: 'End of the period (a date: its end, UTC); default now' },
      examples: { type: 'integer', minimum: 0, maximum: 100, description: 'Example cases per group (default 5)' },
    },
  },
} satisfies Record<string, Schema>;

/** The period of a request; a malformed or reversed one is a 400 naming the field. */
export function requestPeriod(from: string | undefined, to: string | undefined): Period {
  try {
    return period(from, to);
  } catch (err) {
    if (err instanceof StoreError) throw new ApiError('INVALID_PARAMETER', err.message, err.details);
    throw err;
  }
}

export function impactRouter(ctx: ApiContext): Router {
  const { store, evaluator } = ctx;
  const r = Router();
  r.post('/tables/:id/draft/impact', authorize(ctx.access, 'impact'), async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const body = (req.body ?? {}) as { from?: string; to?: string; examples?: number };
    checkRequest(IMPACT_SCHEMAS.ImpactRequest, body);
    // The replay streams the log in the log worker thread: this thread keeps answering evaluations meanwhile.
    const report = await draftImpact(store, evaluator, id, requestPeriod(body.from, body.to), { worker: ctx.logWorker, ...(body.examples !== undefined ? { examples: body.examples } : {}) });
    res.json(report);
  });
  return r;
}

export const IMPACT_PATHS: Record<string, Schema> = {
  '/api/v1/tables/{id}/draft/impact': {
    post: {
      tags: ['drafts'],
      summary: 'Replay logged evaluations against the draft: how many change, grouped by old → new outcome with examples, and the fixtures whose outcome changes',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: false, content: { 'application/json': { schema: IMPACT_SCHEMAS.ImpactRequest } } },
      responses: {
        '200': { description: '{evaluated, changed, unchanged, otherRules, skipped (rows logged too large to replay), ungrouped (changes beyond 1,000 groups), byVersion, groups: [{from, to, count, examples}], fixtures}; the log is replayed in a worker thread', content: { 'application/json': { schema: { type: 'object' } } } },
        '400': errorResponse('Invalid period'),
        '404': errorResponse('Unknown table or no draft'),
      },
    },
  },
};
