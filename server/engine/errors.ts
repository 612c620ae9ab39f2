import { english, problem, type EngineMessage, type EngineMessageCode, type MessageParams } from './messages.ts';
import type { Problem } from './types.ts';

/**
 * Base of every error the engine throws on purpose. `code` is what the API puts in its error body; `messageCode` and
 * `params` say what the message says (server/engine/messages.ts), so the editor can word it in Dutch.
 */
export abstract class EngineError extends Error {
  abstract readonly code: string;
  readonly details: Problem[];
  readonly messageCode: EngineMessageCode | undefined;
  readonly params: MessageParams;
  constructor(message: string | EngineMessage, details: Problem[] = []) {
    super(typeof message === 'string' ? message : english(message.code, message.params));
    this.name = new.target.name;
    this.details = details;
    this.messageCode = typeof message === 'string' ? undefined : message.code;
    this.params = typeof message === 'string' ? {} : message.params;
  }
}

/** A table that cannot be compiled: every problem found, each with its JSON path. */
export class TableError extends EngineError {
  readonly code = 'INVALID_TABLE';
  constructor(problems: Problem[]) {
    super(
      problems.length === 1
        ? { code: 'TABLE_INVALID_ONE', params: { path: problems[0]!.path, problem: problems[0]!.message } }
        : { code: 'TABLE_INVALID', params: { count: problems.length } },
      problems,
    );
  }
}

/** A cell (or any FEEL text) that does not parse. `column` is 1-based. */
export class CellSyntaxError extends EngineError {
  readonly code = 'CELL_SYNTAX';
  readonly column: number;
  constructor(code: EngineMessageCode, params: MessageParams, column: number) {
    super({ code, params });
    this.message = `${this.message} at column ${column}`;
    this.column = column;
  }
}

/** A case that does not fit the table's inputs (wrong type, not allowed, missing). */
export class InputError extends EngineError {
  readonly code = 'INVALID_INPUT';

  /** Every problem of one case at once. */
  static of(problems: Problem[]): InputError {
    const first = problems[0]!;
    return new InputError(
      problems.length === 1
        ? { code: 'INPUT_INVALID_ONE', params: { path: first.path, problem: first.message } }
        : { code: 'INPUT_INVALID', params: { count: problems.length } },
      problems,
    );
  }

  /** A case that is not a JSON object at all. */
  static notAnObject(): InputError {
    return new InputError({ code: 'INPUT_NOT_OBJECT', params: {} }, [problem('', 'INPUT_MUST_BE_OBJECT')]);
  }
}

/** A UNIQUE table with more than one match, or an ANY table whose matches disagree. */
export class HitPolicyError extends EngineError {
  readonly code = 'HIT_POLICY_VIOLATION';
  readonly rules: string[];
  constructor(code: 'HIT_UNIQUE_MULTIPLE' | 'HIT_ANY_DISAGREE', rules: string[]) {
    super({ code, params: { rules: rules.join(', ') } }, rules.map((id) => problem(`/rules/${id}`, 'HIT_RULE_MATCHED', { rule: id })));
    this.rules = rules;
  }
}

/** An evaluation (or a constant folded at compile time) beyond one of the budgets of limits.ts. */
export class LimitError extends EngineError {
  readonly code = 'LIMIT_EXCEEDED';
}
