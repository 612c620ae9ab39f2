// One place that turns every failure into a problem details answer (RFC 9457, application/problem+json) with a fitting
// status; docs/contracts.md has its shape. Engine errors, store errors and request errors carry a stable `code`; the
// table below gives its status. Anything unknown becomes a 500 with a generic message (its stack goes to the server
// log, never to the client).
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { API_BASE } from './base-path.ts';
import { pathOf } from './request-log.ts';
import { EngineError } from '../engine/errors.ts';
import type { Problem } from '../engine/types.ts';
import { StoreError } from '../store/errors.ts';
import { StepFailure } from '../store/evaluation.ts';

export const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  INVALID_REQUEST: 400,
  MALFORMED_JSON: 400,
  INVALID_INPUT: 400,
  INVALID_PARAMETER: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  FOUR_EYES: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  CSRF_TOKEN_INVALID: 403,
  INVALID_CREDENTIALS: 401,
  TOO_MANY_ATTEMPTS: 429,
  RATE_LIMITED: 429,
  USER_EXISTS: 409,
  TOKEN_EXISTS: 409,
  INVALID_USER: 400,
  INVALID_TOKEN: 400,
  USER_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  LAST_ADMIN: 409,
  NOT_FOUND: 404,
  TABLE_NOT_FOUND: 404,
  VERSION_NOT_FOUND: 404,
  NO_VALID_VERSION: 404,
  DRAFT_NOT_FOUND: 404,
  LOG_ENTRY_NOT_FOUND: 404,
  TABLE_ARCHIVED: 404,
  ARCHIVE_REQUEST_NOT_FOUND: 404,
  ARCHIVED: 409,
  ARCHIVE_REQUESTED: 409,
  TABLE_EXISTS: 409,
  VERSION_EXISTS: 409,
  STALE_REVISION: 409,
  DRAFT_STATE: 409,
  DRAFT_SUBMITTED: 409,
  DRAFT_HAS_FIXTURES: 409,
  IMPORT_CONFLICT: 409,
  EXPORT_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RESPONSE_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_TABLE: 422,
  CELL_SYNTAX: 422,
  INVALID_FIXTURES: 422,
  SUBMISSION_BLOCKED: 422,
  INVALID_FILE: 422,
  NOT_PUBLIC: 422,
  REQUIRES_CYCLE: 422,
  HIT_POLICY_VIOLATION: 422,
  LIMIT_EXCEEDED: 422,
  TABLE_TOO_COSTLY: 422,
  PRECONDITION_REQUIRED: 428,
  INTERNAL: 500,
  DATABASE_BUSY: 503,
};

/** A failure raised by a route on purpose. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details: Problem[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The error member every answer had before problem details: kept as it was, so no client loses what it reads. */
export interface ErrorMember {
  code: string;
  message: string;
  details: Problem[];
  [key: string]: unknown;
}

/** One per-field problem in the NL API Design Rules' style: `name` is the JSON pointer into the request (or table). */
export interface InvalidParam {
  name: string;
  reason: string;
  column?: number;
  /** The problem's code and parameters (server/engine/messages.ts), for clients that word it themselves. */
  code?: string;
  params?: Record<string, string | number>;
}

/**
 * RFC 9457 problem details. `type` is a URI reference per code (the docs page's entry for it), `title` is the same
 * for every problem of that type, `detail` says what went wrong with this request, `instance` is the request's path.
 * `code` and `invalidParams` are extension members; `error` repeats the shape of release 1 (code, message, details and
 * any extra fields such as `revision`), which clients of that release read.
 */
export interface ErrorBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  invalidParams: InvalidParam[];
  error: ErrorMember;
  [key: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The `type` of a code: the entry on the rendered reference that explains it. */
export function problemType(code: string): string {
  return `${API_BASE}/docs#problem-${code.toLowerCase().replaceAll('_', '-')}`;
}

/** INVALID_INPUT → "Invalid input": one title per type, as RFC 9457 asks (the detail varies, the title does not). */
export function problemTitle(code: string): string {
  const words = code.toLowerCase().replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Extension members are copied to the top level too, except where a name of RFC 9457 or ours would be overwritten. */
const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'invalidParams', 'error']);

function invalidParam(d: Problem): InvalidParam {
  return {
    name: d.path,
    reason: d.message,
    ...(d.column === undefined ? {} : { column: d.column }),
    ...(d.code === undefined ? {} : { code: d.code, params: d.params ?? {} }),
  };
}

/** The problem details body for a code, a message, its per-field problems and extra fields. */
export function problemBody(status: number, code: string, message: string, details: Problem[] = [], extra: Record<string, unknown> = {}): ErrorBody {
  const top = Object.fromEntries(Object.entries(extra).filter(([k]) => !RESERVED.has(k)));
  return {
    type: problemType(code),
    title: problemTitle(code),
    status,
    detail: message,
    code,
    invalidParams: details.map(invalidParam),
    ...top,
    error: { code, message, details, ...extra },
  };
}

/** Body-parser and router errors carry `type`/`status`; these are the ones a client can cause. */
function httpErrorCode(err: { type?: string; status?: number; statusCode?: number }): string | null {
  switch (err.type) {
    case 'entity.too.large':
      return 'PAYLOAD_TOO_LARGE';
    case 'entity.parse.failed':
      return 'MALFORMED_JSON';
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return 'UNSUPPORTED_MEDIA_TYPE';
  }
  const status = err.status ?? err.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return 'PAYLOAD_TOO_LARGE';
    if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
    if (status === 404) return 'NOT_FOUND';
    return 'INVALID_REQUEST';
  }
  return null;
}

const CLIENT_MESSAGES: Record<string, string> = {
  PAYLOAD_TOO_LARGE: 'the request body is larger than the server accepts',
  MALFORMED_JSON: 'the request body is not valid JSON',
  UNSUPPORTED_MEDIA_TYPE: 'the request body must be JSON in UTF-8',
  NOT_FOUND: 'not found',
  INVALID_REQUEST: 'the request is not valid',
};

/** Seconds a client waits before trying again after DATABASE_BUSY. */
export const BUSY_RETRY_AFTER_SECONDS = 1;

/**
 * SQLite's "database is locked" (SQLITE_BUSY and its variants): another connection held the write lock longer than
 * the busy timeout. Nothing was written; the client may simply try again.
 */
export function isDatabaseBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED');
}

/** The status and JSON body for any thrown value. */
export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  const make = (code: string, message: string, details: Problem[] = [], extra: Record<string, unknown> = {}) => {
    const status = STATUS_BY_CODE[code] ?? 500;
    return { status, body: problemBody(status, code, message, details, extra) };
  };
  if (err instanceof ApiError) return make(err.code, err.message, err.details, err.extra);
  if (err instanceof StoreError) return make(err.code, err.message, err.details, err.extra);
  if (err instanceof StepFailure) return make(err.error.code, err.message, err.error.details, { tableId: err.tableId, version: err.version });
  if (err instanceof EngineError) return make(err.code, err.message, err.details);
  if (isDatabaseBusy(err)) {
    return make('DATABASE_BUSY', 'the database is busy with another change; nothing was changed, try again in a moment', [], { retryAfter: BUSY_RETRY_AFTER_SECONDS });
  }
  if (err && typeof err === 'object') {
    const code = httpErrorCode(err as { type?: string; status?: number });
    if (code) {
      const e = err as { message?: string; expose?: boolean; type?: string };
      // Parser messages name the position of the syntax error: useful and safe to show.
      const message = code === 'MALFORMED_JSON' && e.message ? `the request body is not valid JSON: ${e.message}` : CLIENT_MESSAGES[code]!;
      return make(code, message);
    }
  }
  return make('INTERNAL', 'internal error; the server log has the details');
}

export const errorHandler: ErrorRequestHandler = (err, req, res, next) => {
  const { status, body } = toErrorResponse(err);
  // The request id ties the line to the request log's; the path goes without its query string, cut to a bounded length.
  const where = `${req.method} ${pathOf(req.originalUrl)} [request ${req.id ?? '-'}]`;
  if (status === 503) console.error(`beslis: ${where}: the database was busy (${(err as { code?: string }).code}); answered 503`);
  else if (status >= 500) console.error(`beslis: ${where} failed:`, err);
  if (res.headersSent) {
    next(err);
    return;
  }
  // RFC 9110: a 401 names how to authenticate (Bearer, not Basic: no browser password dialog).
  if (status === 401) res.set('WWW-Authenticate', 'Bearer realm="beslis"');
  if (status === 503) res.set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
  sendProblem(req, res.status(status), body);
};

/** Sends a problem details body as application/problem+json, with the request's path as its `instance`. */
export function sendProblem(req: Request, res: import('express').Response, body: ErrorBody): void {
  body.instance = req.originalUrl.split('?')[0];
  res.type(PROBLEM_CONTENT_TYPE).json(body);
}

export const notFound: RequestHandler = (req, _res, next) => {
  const path = `${req.baseUrl}${req.path}`;
  // The unversioned paths of release 1 are gone; a client still calling them is told where the API is now.
  const moved = path.startsWith('/api/') && !path.startsWith(`${API_BASE}/`) ? ` (the API is under ${API_BASE})` : '';
  next(new ApiError('NOT_FOUND', `no such endpoint: ${req.method} ${path}${moved}`));
};
