// A decision whose logic is a boxed expression (types.ts ExpressionDecision), compiled once into something the
// `requires` chain (chain.ts) runs as it runs a compiled table: `table` is the decision as the chain sees one (its
// id, version, the decisions it requires, its inputs and the names those decisions feed, its one output), and
// evaluate(case) answers `{output: {[output.name]: value}, matched: []}`, with the logic's steps when traced.
import { compileLogic, convertTo, fits, ModelError, newRun, type BoxCompile, type ModelVersions } from './boxed-logic.ts';
import { InputError, LimitError } from './errors.ts';
import { makeReader, readPath, readValue, type InputReader } from './input.ts';
import { jsonSizeUpTo, MAX_OUTPUT_BYTES } from './limits.ts';
import { problem } from './messages.ts';
import { inputNames, resolveRequirements, type RequiredDocuments } from './model-requirements.ts';
import type { CompiledTable, DecisionTable, EvaluateOptions, EvaluationResult, ExpressionDecision, InputColumn, Problem } from './types.ts';
import { fromJson, textTypes, toJson, type FeelContext, type FeelValue } from './values.ts';

export interface ModelEvaluateOptions extends EvaluateOptions, ModelVersions {}

export interface CompiledExpression extends CompiledTable {
  readonly document: ExpressionDecision;
  evaluate(input: Record<string, unknown>, opts?: ModelEvaluateOptions): EvaluationResult;
}

/** Compiles an expression decision; throws ModelError listing every problem (names, types, shapes) with its JSON path. */
export function compileExpressionDecision(doc: ExpressionDecision, required: RequiredDocuments): CompiledExpression {
  const ctx: BoxCompile = { document: doc.id, problems: [] };
  const inputs: InputColumn[] = Array.isArray(doc.inputs) ? doc.inputs : [];
  inputs.forEach((c, i) => {
    if (inputs.findIndex((d) => d.name === c.name) < i) ctx.problems.push(problem(`/inputs/${i}/name`, 'TABLE_DUPLICATE_INPUT', { name: c.name }));
  });
  if (doc.requires?.includes(doc.id)) ctx.problems.push(problem('/requires', 'TABLE_REQUIRES_ITSELF'));
  const reqs = resolveRequirements(doc.requires, required, inputNames(inputs), ctx);
  const logic = compileLogic(doc.logic, reqs.scope, '/logic', ctx);
  const output = doc.output;
  if (output && !fits(logic.type, output.type)) ctx.problems.push(problem('/logic', 'BOXED_TYPE_MISMATCH', { actual: logic.type, type: output.type }));
  if (ctx.problems.length > 0) throw new ModelError(ctx.problems);

  const readers: InputReader[] = inputs.map((c, i) => makeReader(c, i));
  // The names the required decisions feed are inputs the chain fills (an input of the decision's own wins).
  const fed = reqs.decided.filter((d) => !inputs.some((c) => c.name === d.name));
  const fedReaders = fed.map((d, i) => makeReader({ name: d.name, type: d.type === 'list' || d.type === 'context' || d.type === 'function' ? 'any' : d.type, optional: true }, inputs.length + i));
  const table: DecisionTable = {
    id: doc.id,
    ...(doc.version !== undefined ? { version: doc.version } : {}),
    ...(doc.validFrom !== undefined ? { validFrom: doc.validFrom } : {}),
    title: doc.title,
    inputs: [...inputs, ...fedReaders.map((r) => r.column)],
    outputs: [output],
    rules: [],
    ...(reqs.decisions.length > 0 ? { requires: reqs.decisions } : {}),
  };
  const step = `/${output.name.replace(/~/g, '~0').replace(/\//g, '~1')}`;

  return {
    table,
    document: doc,
    evaluate(input: Record<string, unknown>, opts: ModelEvaluateOptions = {}): EvaluationResult {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) throw InputError.notAnObject();
      const problems: Problem[] = [];
      const vars: FeelContext = {};
      for (const r of readers) vars[r.column.name] = readValue(r, readPath(input, r.path), problems);
      for (const r of fedReaders) vars[r.column.name] = r.column.type === 'any' ? fromJson(readPath(input, r.path)) : readValue(r, readPath(input, r.path), problems);
      if (problems.length > 0) throw InputError.of(problems);
      const run = newRun(opts.trace === true, opts);
      reqs.fill(vars, run);
      const value: FeelValue = convertTo(logic.fn(vars, run), output.type);
      const out = { [output.name]: toJson(value) };
      if (jsonSizeUpTo(out, MAX_OUTPUT_BYTES) > MAX_OUTPUT_BYTES) {
        throw new LimitError({ code: 'LIMIT_OUTPUT_BYTES', params: { limit: MAX_OUTPUT_BYTES } }, [problem('/output', 'LIMIT_OUTPUT_BYTES_SHORT', { limit: MAX_OUTPUT_BYTES })]);
      }
      const result: EvaluationResult = { output: out, matched: [] };
      if (opts.trace) {
        result.trace = [];
        result.logic = run.trace ?? [];
        if (run.truncated) result.logicTruncated = true;
      }
      if (opts.types) result.types = textTypes(value, step);
      return result;
    },
  };
}
