// The fixture file's validation (the case format is a contract: docs/contracts.md): the JSON Schema
// in fixtures/schema/, the table id and unique case names. Its own module because the Store checks every set it keeps
// and the fixture runner builds on the Store: both import this, and this imports neither.
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import schemaFile from '../../fixtures/schema/fixture-suite.schema.json' with { type: 'json' };
import type { Problem } from '../engine/types.ts';
import { StoreError } from './errors.ts';
import { ajvProblems, createAjv } from './input-schema.ts';
import type { FixtureSet } from './records.ts';

export const FIXTURE_SCHEMA = schemaFile as Record<string, unknown>;

let validateSuite: ValidateFunction | undefined;

/** Every problem of a fixture file (JSON Schema, the table id, unique case names), located by JSON pointer. */
export function fixtureProblems(value: unknown, tableId?: string, prefix = ''): Problem[] {
  validateSuite ??= createAjv().compile(FIXTURE_SCHEMA);
  if (!validateSuite(value)) {
    // `if` only says its `then` failed; the `then` error itself names the missing field.
    const errors = (validateSuite.errors ?? []).filter((e) => e.keyword !== 'if').map((e: ErrorObject) =>
      e.keyword === 'false schema' ? { ...e, message: 'must not be given together with expectError' } : e,
    );
    return ajvProblems(errors, prefix);
  }
  const suite = value as FixtureSet;
  const problems: Problem[] = [];
  if (tableId !== undefined && suite.table !== tableId) problems.push({ path: `${prefix}/table`, message: `must be '${tableId}', found '${suite.table}'` });
  const seen = new Map<string, number>();
  suite.cases.forEach((c, i) => {
    const name = c.name as string;
    const first = seen.get(name);
    if (first !== undefined) {
      problems.push({ path: `${prefix}/cases/${i}/name`, message: `'${name}' is also the name of case ${first}: reports, diffs and JUnit name cases by it` });
    } else seen.set(name, i);
  });
  return problems;
}

/** The value as a fixture set, or INVALID_FIXTURES (422) naming every problem. */
export function assertFixtures(value: unknown, tableId?: string, prefix = ''): FixtureSet {
  const problems = fixtureProblems(value, tableId, prefix);
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new StoreError(
      'INVALID_FIXTURES',
      problems.length === 1 ? `the fixtures are not valid: ${first.path || '/'} ${first.message}` : `the fixtures are not valid (${problems.length} problems; first: ${first.path || '/'} ${first.message})`,
      problems,
    );
  }
  return value as FixtureSet;
}
