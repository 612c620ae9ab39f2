// The runner's errors. Same names and `code`s as the Beslis engine's (errors.ts there), defined again so the runner
// needs nothing from the engine: a service that embeds an export catches them by `code`.

export interface Problem {
  path: string;
  message: string;
}

/** A case that does not fit the table's inputs (wrong type, not allowed, missing). */
export class InputError extends Error {
  readonly code = 'INVALID_INPUT';
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly details: Problem[],
  ) {
    super(message);
  }
}

/** A UNIQUE table with more than one match, or an ANY table whose matches disagree. */
export class HitPolicyError extends Error {
  readonly code = 'HIT_POLICY_VIOLATION';
  override readonly name = 'HitPolicyError';
  constructor(
    message: string,
    readonly rules: string[],
  ) {
    super(message);
  }
}
