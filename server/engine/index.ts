// The engine's public entry point (docs/contracts.md, "The engine's entry point"). Pure TypeScript: runs in Node and
// in the browser.
import { TableError } from './errors.ts';
import { compileExpr, nameParameters, parametersOf } from './feel.ts';
import { coerceTo, type FeelType } from './feel-types.ts';
import { coercerFor } from './input.ts';
import { parseExpression } from './parser.ts';
import { compileTable, type CompileOptions } from './compile.ts';
import type { ColumnType, DecisionTable, Problem } from './types.ts';
import { fromJson, fromTypedJson, isContext, textTypes, toJson, type FeelContext, type FeelValue, type JsonOut, type TextTypeName } from './values.ts';
export type { TextTypeName } from './values.ts';

export { compileTable, type CompileOptions } from './compile.ts';
export { chainedTable, chainOrder, evaluateChain, RequiredTableError, RequiresCycleError, type ChainResult, type ChainStep, type RequiredTables } from './chain.ts';
export { archiveForCase, archiveInForce, chooseVersion, dateInAmsterdam, instantOf, selectVersion, versionForCase, type ArchiveMark, type RunTarget, type VersionInfo, type VersionSelection } from './versions.ts';
export { parseExpression, parseUnaryTests } from './parser.ts';
export { decisionTableSchema, schemaProblems } from './schema.ts';
export { isPublic } from './publicity.ts';
export { cellChoices, feelString, feelToPlain, plainChoices, typedToFeel, valueFeel, type CellColumn, type CellKind, type TruthWords } from './cell-text.ts';
export { compileExpressionDecision, type CompiledExpression, type ModelEvaluateOptions } from './expression-decision.ts';
export { compileKnowledgeModel, type CompiledKnowledgeModel } from './knowledge-model.ts';
export { compileService, type CompiledService, type ServiceDecisions, type ServiceResult } from './decision-service.ts';
export { modelLibrary, type ModelLibrary } from './model-library.ts';
export { asRequired, type RequiredDocument, type RequiredDocuments } from './model-requirements.ts';
export { ModelError, type ModelVersions } from './boxed-logic.ts';
export { analyzeTable, type AnalysisReport, type Finding, type FindingKind, type GapSummary, type Severity } from './analysis.ts';
export * from './errors.ts';
export * from './messages.ts';
export * from './limits.ts';
export type * from './types.ts';
export { argumentsAs, coerceTo, failsType, type FeelType } from './feel-types.ts';
export { HIT_POLICIES, AGGREGATIONS, documentKind, isDecisionTable } from './types.ts';

/** Every problem of a table (shape, names, cells), or an empty list when it compiles. */
export function validateTable(table: unknown, opts: CompileOptions = {}): Problem[] {
  try {
    compileTable(table as DecisionTable, opts);
    return [];
  } catch (err) {
    if (err instanceof TableError) return err.details;
    throw err;
  }
}

export interface ExpressionOptions {
  /** Types of scope variables whose JSON text stands for a date, time or duration. */
  types?: Record<string, ColumnType>;
  /** Names with spaces the expression may use (`Full Name`); single-word names need no mention. */
  names?: readonly string[];
  /**
   * `'null'`: a call the built-in registry does not allow (a wrong number of arguments, an unknown parameter name)
   * evaluates to null, as FEEL specifies (DMN 1.5 10.3.2.13.2); what DMN models get. Default `'error'`: it is a
   * CellSyntaxError when compiled, so whoever writes the expression learns of the mistake at once.
   */
  invalidCalls?: 'error' | 'null';
  /** Named types `instance of` may use beside FEEL's own (a DMN model's item definitions). */
  typeNames?: Readonly<Record<string, FeelType>>;
  /** The declared type of the result: the value is converted to it (coerceTo: singleton lists, or null). */
  resultType?: FeelType;
}

/** A value as JSON with the FEEL types of the text in it that is not a string (JSON Pointer → type; see textTypes). */
export interface TypedJson {
  value: JsonOut;
  types: Record<string, TextTypeName>;
}

/**
 * Compiles a FEEL expression (a DMN literal expression) into a function of a JSON scope returning JSON.
 * Throws CellSyntaxError (with column) when the text does not parse.
 */
export function compileExpression(text: string, opts: ExpressionOptions = {}): (scope?: Record<string, unknown>) => JsonOut {
  const fn = compileFeel(text, opts);
  return (scope) => toJson(fn(scope));
}

/**
 * compileExpression, answering the JSON value together with the FEEL types of its text (a date apart from a string);
 * `types` says the same of the scope's text (`{"/due": "date"}`), so a date handed over stays a date.
 */
export function compileTypedExpression(text: string, opts: ExpressionOptions = {}): (scope?: Record<string, unknown>, types?: Readonly<Record<string, TextTypeName>>) => TypedJson {
  const fn = compileFeel(text, opts);
  return (scope, types) => {
    const value = fn(scope, types);
    return { value: toJson(value), types: textTypes(value) };
  };
}

/**
 * For DMN boxed expressions (server/dmn/boxed.ts), which hand FEEL values on without JSON between (a function, a
 * decimal or a date stays what it is): a FEEL expression compiled into a function of its variables.
 */
export function compileFeelValue(text: string, opts: Omit<ExpressionOptions, 'types'> & { functions?: readonly string[] } = {}): (vars: FeelContext) => FeelValue {
  const env = { inputs: new Map<string, number>(), strict: false, invalidCallsNull: opts.invalidCalls === 'null' };
  // `functions`: names in scope that may hold a function value (a BKM, a context entry), called by name.
  const fn = compileExpr(parseExpression(text, [...(opts.names ?? [])], opts.typeNames), env, new Set(opts.functions ?? []));
  const resultType = opts.resultType;
  return (vars) => {
    const value = fn({ inputs: [], vars, q: null });
    return resultType ? coerceTo(value, resultType) : value;
  };
}

/** What DMN boxed expressions need of FEEL values: their JSON forms both ways, and function values with named parameters. */
export const feelValues = { fromJson, fromTypedJson, toJson, textTypes, coercerFor, nameParameters, parametersOf, isContext };
export type { FeelContext, FeelValue, FeelFunction } from './values.ts';

function compileFeel(text: string, opts: ExpressionOptions): (scope?: Record<string, unknown>, types?: Readonly<Record<string, TextTypeName>>) => FeelValue {
  const env = { inputs: new Map<string, number>(), strict: false, invalidCallsNull: opts.invalidCalls === 'null' };
  const fn = compileExpr(parseExpression(text, [...(opts.names ?? []), ...Object.keys(opts.types ?? {})], opts.typeNames), env);
  const resultType = opts.resultType;
  const coercers = Object.entries(opts.types ?? {}).map(([name, type]) => [name, coercerFor(type)] as const);
  return (scope = {}, types) => {
    const vars = (types && Object.keys(types).length > 0 ? fromTypedJson(scope, types) : fromJson(scope)) as FeelContext;
    for (const [name, coerce] of coercers) {
      if (Object.hasOwn(scope, name)) vars[name] = coerce(scope[name]) ?? null;
    }
    const value = fn({ inputs: [], vars, q: null });
    return resultType ? coerceTo(value, resultType) : value;
  };
}
