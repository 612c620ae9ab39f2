// GET/POST /api/v1/public/…: the public register's API (issue 23 point 3). Open to anyone without credentials (it
// never reads a cookie or token), rate-limited per client address, and it shows only what the register shows
// (server/register/catalog.ts): a table not in the register is 404, like an unknown one.
import { Router, type RequestHandler } from 'express';
import { Register } from '../../register/catalog.ts';
import { detailOf, historyEntry, notInRegister, PublicDecider, summaryOf } from '../../register/decide.ts';
import { PUBLIC_EVALUATION_LIMIT, PUBLIC_READ_LIMIT, RateLimiter } from '../../register/rate-limit.ts';
import { StoreError } from '../../store/errors.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../openapi-parts.ts';
import { assertValid } from '../schemas.ts';

/** What the register's pages and its API share: one view of what is public, one decider, one pair of limits. */
export interface PublicRegister {
  register: Register;
  decider: PublicDecider;
  reads: RateLimiter;
  evaluations: RateLimiter;
}

export function publicRegister(ctx: ApiContext, limits: { reads?: RateLimiter; evaluations?: RateLimiter } = {}): PublicRegister {
  const register = new Register(ctx.store);
  return {
    register,
    decider: new PublicDecider(ctx.store, register),
    reads: limits.reads ?? new RateLimiter(PUBLIC_READ_LIMIT),
    evaluations: limits.evaluations ?? new RateLimiter(PUBLIC_EVALUATION_LIMIT),
  };
}

/** The client's address as express reads it (the proxy's client with --trust-proxy), the key of its bucket. */
export function clientOf(req: { ip?: string; socket: { remoteAddress?: string } }): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function limited(limiter: RateLimiter): RequestHandler {
  return (req, res, next) => {
    const verdict = limiter.take(clientOf(req));
    if (verdict.allowed) return next();
    res.set('Retry-After', String(verdict.retryAfterSeconds));
    next(
      new ApiError('RATE_LIMITED', `too many requests from this address: at most ${limiter.limit.burst} at once and ${limiter.limit.perMinute} a minute; try again in ${verdict.retryAfterSeconds} s`, [], {
        retryAfter: verdict.retryAfterSeconds,
      }),
    );
  };
}

interface PublicEvaluateBody {
  input: Record<string, unknown>;
  date?: string;
  types?: boolean;
}

export function publicApiRouter(ctx: ApiContext, pub: PublicRegister): Router {
  const r = Router();
  const reads = limited(pub.reads);
  const evaluations = limited(pub.evaluations);
  const { register } = pub;

  r.get('/public/tables', reads, (_req, res) => {
    res.json({ today: register.today(), tables: register.tables().map(summaryOf) });
  });

  r.get('/public/tables/:id', reads, (req, res) => {
    const id = req.params.id as string;
    const record = register.inForce(id);
    const history = register.history(id);
    if (!record || !history) throw notInRegister(id);
    res.json(detailOf(record, history, record.version));
  });

  r.get('/public/tables/:id/versions', reads, (req, res) => {
    const id = req.params.id as string;
    const record = register.inForce(id);
    const history = register.history(id);
    if (!record || !history) throw notInRegister(id);
    res.json({ tableId: id, versions: history.map((v) => historyEntry(history, v, record.version)) });
  });

  r.get('/public/tables/:id/versions/:n', reads, (req, res) => {
    const id = req.params.id as string;
    const n = Number(req.params.n);
    if (!Number.isInteger(n) || n < 1) throw new ApiError('INVALID_PARAMETER', 'the version must be a whole number from 1', [{ path: '/n', message: 'must be a whole number from 1' }]);
    const current = register.inForce(id);
    const history = register.history(id);
    if (!current || !history) throw notInRegister(id);
    const record = register.version(id, n);
    if (!record) throw new StoreError('VERSION_NOT_FOUND', `the public register has no version ${n} of '${id}'`, [], { versions: history.map((v) => v.version) });
    res.json(detailOf(record, history, current.version));
  });

  r.post('/public/tables/:id/evaluate', evaluations, (req, res) => {
    assertValid('PublicEvaluateRequest', req.body);
    const body = req.body as PublicEvaluateBody;
    const decision = pub.decider.decide(req.params.id as string, body.input, body.date, body.types === true);
    ctx.metrics?.evaluated(decision.tableId, decision.version);
    res.json(decision);
  });

  return r;
}

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.spoed' };
const okJson = (description: string, schema: Record<string, unknown> = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const notFound = errorResponse('TABLE_NOT_FOUND: no such table in the public register (a table that is not public is not there either)');
const tooMany = { ...errorResponse('RATE_LIMITED: too many requests from this address (Retry-After says when to try again)'), headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } } };
const summary = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    domain: { type: 'string' },
    title: { type: 'string' },
    description: { type: ['string', 'null'] },
    owner: { type: ['string', 'null'] },
    version: { type: 'integer' },
    validFrom: { type: 'string', format: 'date' },
    reviewBy: { type: ['string', 'null'] },
    confidence: { type: ['string', 'null'], enum: ['H', 'M', 'L', null] },
    links: { type: 'object', properties: { page: { type: 'string' }, self: { type: 'string' } } },
  },
};

export const PUBLIC_PATHS: Record<string, Record<string, unknown>> = {
  '/api/v1/public/tables': {
    get: {
      tags: ['register'],
      summary: 'The public register: every table whose version in force today is public, with its title, description and owner',
      security: [],
      responses: { '200': okJson('{today, tables: [summary]}', { type: 'object', properties: { today: { type: 'string', format: 'date' }, tables: { type: 'array', items: summary } } }), '429': tooMany },
    },
  },
  '/api/v1/public/tables/{id}': {
    get: {
      tags: ['register'],
      summary: 'A table of the register: its version in force as published, its sources with links, and its history',
      security: [],
      parameters: [idParam],
      responses: { '200': okJson('The summary with validUntil, inForce, hash, sources [{…reference, text, url}], table (the published JSON) and history'), '404': notFound, '429': tooMany },
    },
  },
  '/api/v1/public/tables/{id}/versions': {
    get: {
      tags: ['register'],
      summary: 'The history of a table in the register: every version that is or was in force (and a later one that is public), newest first',
      security: [],
      parameters: [idParam],
      responses: { '200': okJson('{tableId, versions: [{version, validFrom, validUntil, inForce, publishedAt, hash}]}'), '404': notFound, '429': tooMany },
    },
  },
  '/api/v1/public/tables/{id}/versions/{n}': {
    get: {
      tags: ['register'],
      summary: 'One version of the history, as the detail of the table',
      security: [],
      parameters: [idParam, { name: 'n', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }],
      responses: { '200': okJson('As GET /public/tables/{id}, for this version'), '404': errorResponse('TABLE_NOT_FOUND, or VERSION_NOT_FOUND: not a version the register shows'), '429': tooMany },
    },
  },
  '/api/v1/public/tables/{id}/evaluate': {
    post: {
      tags: ['register'],
      summary: 'Try a case: the decision of the version valid on the date (default today) with the public explanation. Nothing of the case is logged',
      security: [],
      parameters: [idParam],
      requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/PublicEvaluateRequest' } } } },
      responses: {
        '200': okJson('{tableId, version, hash, validFrom, output, matched, types?, steps?, explanation: {nl, en}}'),
        '400': errorResponse('INVALID_REQUEST (the body) or INVALID_INPUT (the case; invalidParams name each field under /input)'),
        '404': errorResponse('TABLE_NOT_FOUND (not in the register, or it needs a table that is not), or NO_VALID_VERSION (none valid on the date)'),
        '413': errorResponse('Body too large'),
        '422': errorResponse('HIT_POLICY_VIOLATION or LIMIT_EXCEEDED met while deciding'),
        '429': tooMany,
      },
    },
  },
};
