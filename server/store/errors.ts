import type { Problem } from '../engine/types.ts';

/**
 * An expected failure of a store operation. `code` is stable (the API maps it to a status in one place,
 * server/api/errors.ts); `details` locate the problems like the engine's errors do.
 */
export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly details: Problem[];
  /** Extra fields for the error body (e.g. the current revision on a conflict). */
  readonly extra: Record<string, unknown>;
  constructor(code: StoreErrorCode, message: string, details: Problem[] = [], extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.details = details;
    this.extra = extra;
  }
}

export type StoreErrorCode =
  | 'TABLE_NOT_FOUND'
  | 'VERSION_NOT_FOUND'
  | 'NO_VALID_VERSION'
  | 'DRAFT_NOT_FOUND'
  | 'TABLE_EXISTS'
  | 'VERSION_EXISTS'
  | 'STALE_REVISION'
  | 'INVALID_TABLE'
  | 'TABLE_TOO_COSTLY'
  | 'INVALID_FIXTURES'
  | 'REQUIRES_CYCLE'
  | 'IMPORT_CONFLICT'
  | 'EXPORT_CONFLICT'
  | 'INVALID_FILE'
  // users and tokens (./users.ts, ./tokens.ts)
  | 'INVALID_USER'
  | 'USER_EXISTS'
  | 'USER_NOT_FOUND'
  | 'LAST_ADMIN'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXISTS'
  | 'TOKEN_NOT_FOUND'
  // fixtures, the publish gate and impact analysis (issue 5: ./fixtures.ts, ./workflow.ts, ./impact.ts)
  | 'DRAFT_HAS_FIXTURES'
  | 'DRAFT_STATE'
  // four-eyes and the review (issue 16: ./four-eyes.ts, ./workflow.ts)
  | 'DRAFT_SUBMITTED'
  | 'FOUR_EYES'
  | 'PRECONDITION_REQUIRED'
  | 'FORBIDDEN'
  | 'SUBMISSION_BLOCKED'
  | 'LOG_ENTRY_NOT_FOUND'
  // archiving (issue 20: ./archive.ts)
  | 'TABLE_ARCHIVED'
  | 'ARCHIVED'
  | 'ARCHIVE_REQUESTED'
  | 'ARCHIVE_REQUEST_NOT_FOUND';
