import type { Problem } from './types.ts';

/** Base of every error the engine throws on purpose. `code` is what the API puts in its error body. */
export abstract class EngineError extends Error {
  abstract readonly code: string;
  readonly details: Problem[];
  constructor(message: string, details: Problem[] = []) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** A table that cannot be compiled: every problem found, each with its JSON path. */
export class TableError extends EngineError {
  readonly code = 'INVALID_TABLE';
  constructor(problems: Problem[]) {
    super(
      problems.length === 1
        ? `the table is invalid: ${problems[0]!.path}: ${problems[0]!.message}`
        : `the table is invalid (${problems.length} problems)`,
      problems,
    );
  }
}

/** A cell (or any FEEL text) that does not parse. `column` is 1-based. */
export class CellSyntaxError extends EngineError {
  readonly code = 'CELL_SYNTAX';
  readonly column: number;
  constructor(message: string, column: number) {
    super(`${message} at column ${column}`);
    this.column = column;
  }
}

/** A case that does not fit the table's inputs (wrong type, not allowed, missing). */
export class InputError extends EngineError {
  readonly code = 'INVALID_INPUT';
}

/** A UNIQUE table with more than one match, or an ANY table whose matches disagree. */
export class HitPolicyError extends EngineError {
  readonly code = 'HIT_POLICY_VIOLATION';
  readonly rules: string[];
  constructor(message: string, rules: string[]) {
    super(message, rules.map((id) => ({ path: `/rules/${id}`, message: `rule ${id} matched` })));
    this.rules = rules;
  }
}

/** An evaluation (or a constant folded at compile time) beyond one of the budgets of limits.ts. */
export class LimitError extends EngineError {
  readonly code = 'LIMIT_EXCEEDED';
}
