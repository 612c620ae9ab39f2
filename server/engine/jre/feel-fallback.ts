// The part of an export that needs the Beslis FEEL evaluator: cells and outputs json-rules-engine operators cannot
// express (listed in the export's `requiresFeel`), inputs of type time/dateTime/duration and input expressions.
// runner.ts loads this module only when an export lists such features, so a plain export runs without Beslis.
import type { InputColumn } from '../types.ts';
import { compileExpr, compileUnaryTests, type ExprFn, type Scope, type TestFn } from '../feel.ts';
import { coercerFor, makeReader, readValue } from '../input.ts';
import { parseExpression, parseUnaryTests } from '../parser.ts';
import { fromJson, toJson, type FeelContext, type FeelValue } from '../values.ts';
import type { Problem } from './errors.ts';
import type { ExportedInput, JsonValue } from './format.ts';

/** The `$case` fact: the case's input values as FEEL values, by column, and the column names. */
export interface FeelCase {
  names: readonly string[];
  values: FeelValue[];
}

interface Compiled {
  env: { inputs: Map<string, number>; strict: boolean };
  tests: Map<string, TestFn | null>;
  exprs: Map<string, ExprFn>;
}

const compiledByNames = new WeakMap<readonly string[], Compiled>();

function compiledFor(names: readonly string[]): Compiled {
  let c = compiledByNames.get(names);
  if (!c) {
    c = { env: { inputs: new Map(names.map((n, i) => [n, i] as const)), strict: true }, tests: new Map(), exprs: new Map() };
    compiledByNames.set(names, c);
  }
  return c;
}

function scopeOf(fc: FeelCase): Scope {
  return { inputs: fc.values, vars: null, q: null };
}

/** Reads and checks a time, date-time, duration or `any` input as Beslis does; the JSON form goes into the fact. */
export function readInput(input: ExportedInput, index: number, raw: unknown, problems: Problem[]): { json: JsonValue; feel: FeelValue } {
  const feel = readValue(makeReader(input as InputColumn, index), raw, problems);
  return { json: toJson(feel) as JsonValue, feel };
}

/** Computes an input expression (DMN input expression) over the whole case. */
export function inputExpression(text: string, caseJson: Record<string, unknown>): { json: JsonValue; feel: FeelValue } {
  const fn = compileExpr(parseExpression(text));
  const feel = fn({ inputs: [], vars: fromJson(caseJson) as FeelContext, q: null });
  return { json: toJson(feel) as JsonValue, feel };
}

/** Builds the `$case` fact. `feelValues[i]`, when given, is the FEEL value read for input i (non-JSON types). */
export function caseFact(names: readonly string[], inputs: readonly ExportedInput[], facts: Record<string, JsonValue>, feelValues: (FeelValue | undefined)[]): FeelCase {
  const values = inputs.map((input, i) => {
    const known = feelValues[i];
    if (known !== undefined) return known;
    const json = facts[input.name] ?? null;
    return json === null ? null : (coercerFor(input.type)(json) ?? null);
  });
  return { names, values };
}

/** The `feelUnaryTest` operator: value `{input, test}` names the column (by index) and carries the cell's FEEL text. */
export function feelUnaryTest(fact: unknown, value: unknown): boolean {
  const fc = fact as FeelCase;
  const { input, test } = value as { input: number; test: string };
  const c = compiledFor(fc.names);
  let fn = c.tests.get(test);
  if (fn === undefined) {
    fn = compileUnaryTests(parseUnaryTests(test, fc.names), c.env);
    c.tests.set(test, fn);
  }
  return fn === null || fn(fc.values[input] ?? null, scopeOf(fc)) === true;
}

/** The `{feel}` output: evaluates FEEL text over the case and returns JSON. */
export function feelOutput(text: string, fc: FeelCase): JsonValue {
  const c = compiledFor(fc.names);
  let fn = c.exprs.get(text);
  if (!fn) {
    fn = compileExpr(parseExpression(text, fc.names), c.env);
    c.exprs.set(text, fn);
  }
  return toJson(fn(scopeOf(fc))) as JsonValue;
}
