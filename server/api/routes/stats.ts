// GET /api/v1/tables/:id/stats?from&to&by=month (issue 5): outcome counts over time from the evaluation log.
import { Router } from 'express';
import { outcomeStats, type Bucket } from '../../store/impact.ts';
import { authorize } from '../actor.ts';
import { errorResponse } from '../openapi-parts.ts';
import type { ApiContext } from '../context.ts';
import { checkRequest, requireTable } from './fixtures.ts';
import { requestPeriod } from './impact.ts';

type Schema = Record<string, unknown>;

const WHEN = { type: 'string', anyOf: [{ format: 'date' }, { format: 'date-time' }] };

export const STATS_SCHEMAS = {
  StatsQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      from: { ...WHEN, description: 'default: 12 months before `to`' },
      to: { ...WHEN, description: 'default: now' },
      by: { enum: ['day', 'month', 'year'], description: 'bucket size (UTC), default month' },
      output: { type: 'string', minLength: 1, description: 'count the values of this output field instead of whole outputs' },
    },
  },
} satisfies Record<string, Schema>;

export function statsRouter(ctx: ApiContext): Router {
  const { store } = ctx;
  const r = Router();
  r.get('/tables/:id/stats', authorize(ctx.access, 'read'), async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const q = { ...req.query } as { from?: string; to?: string; by?: Bucket; output?: string };
    checkRequest(STATS_SCHEMAS.StatsQuery, q, 'the query');
    res.json(await outcomeStats(store, id, requestPeriod(q.from, q.to), q.by ?? 'month', q.output, ctx.logWorker));
  });
  return r;
}

const p = (name: string) => ({ name, in: 'query', schema: (STATS_SCHEMAS.StatsQuery.properties as Record<string, Schema>)[name] });

export const STATS_PATHS: Record<string, Schema> = {
  '/api/v1/tables/{id}/stats': {
    get: {
      tags: ['tables'],
      summary: 'Outcome counts over time (from the evaluation log)',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, p('from'), p('to'), p('by'), p('output')],
      responses: {
        '200': { description: '{total, outcomes: [{key, outcome, count}], buckets: [{period, total, counts: {key: n}}]}', content: { 'application/json': { schema: { type: 'object' } } } },
        '400': errorResponse('Invalid query'),
        '404': errorResponse('Unknown table'),
      },
    },
  },
};
