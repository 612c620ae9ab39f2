// One place that turns every failure into the JSON error shape of docs/contracts.md and a fitting status.
// Engine errors, store errors and request errors carry a stable `code`; the table below gives its status.
// Anything unknown becomes a 500 with a generic message (its stack goes to the server log, never to the client).
import type { ErrorRequestHandler, RequestHandler } from 'express';
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

export interface ErrorBody {
  error: { code: string; message: string; details: Problem[]; [key: string]: unknown };
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
  const make = (code: string, message: string, details: Problem[] = [], extra: Record<string, unknown> = {}) => ({
    status: STATUS_BY_CODE[code] ?? 500,
    body: { error: { code, message, details, ...extra } },
  });
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
  if (status === 503) console.error(`beslis: ${req.method} ${req.originalUrl}: the database was busy (${(err as { code?: string }).code}); answered 503`);
  else if (status >= 500) console.error(`beslis: ${req.method} ${req.originalUrl} failed:`, err);
  if (res.headersSent) {
    next(err);
    return;
  }
  // RFC 9110: a 401 names how to authenticate (Bearer, not Basic: no browser password dialog).
  if (status === 401) res.set('WWW-Authenticate', 'Bearer realm="beslis"');
  if (status === 503) res.set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
  res.status(status).json(body);
};

export const notFound: RequestHandler = (req, _res, next) => {
  next(new ApiError('NOT_FOUND', `no such endpoint: ${req.method} ${req.baseUrl}${req.path}`));
};
