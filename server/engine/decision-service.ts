// A decision service (types.ts DecisionServiceDefinition; DMN 1.5 10.4): its output decisions decided on the inputs
// the caller gives, each with the `requires` chain it needs (chain.ts), except the input decisions, whose values the
// caller gives by their output names instead of their being decided. Which version of each decision runs is the
// caller's business (`decisions`, asked on every evaluation), as for a chain.
import { evaluateChain, type ChainStep, type RequiredTables } from './chain.ts';
import { InputError } from './errors.ts';
import { makeReader, readPath, readValue } from './input.ts';
import { problem } from './messages.ts';
import { ModelError } from './boxed-logic.ts';
import type { CompiledTable, DecisionServiceDefinition, DecisionTable, EvaluateOptions, EvaluationResult, InputColumn, JsonValue, OutputColumn, OutputRecord, Problem } from './types.ts';

/** The compiled decision for `id` (a table or an expression decision), or undefined when there is none. */
export type ServiceDecisions = (id: string) => CompiledTable | undefined;

export interface ServiceResult extends EvaluationResult {
  output: OutputRecord;
  /** Every decision decided, in order (a decision several outputs require, once). */
  steps: ChainStep[];
}

export interface CompiledService {
  readonly document: DecisionServiceDefinition;
  /** The service as a table is seen: its inputs (the input data, then the input decisions' outputs) and outputs. */
  readonly table: DecisionTable;
  evaluate(input: Record<string, unknown>, opts?: EvaluateOptions): ServiceResult;
}

/**
 * Compiles a service against the decisions as `decisions` answers now (each output and input decision must be
 * one, and no two outputs may share a name); throws ModelError naming each problem's place.
 */
export function compileService(doc: DecisionServiceDefinition, decisions: ServiceDecisions): CompiledService {
  const problems: Problem[] = [];
  const outputs: OutputColumn[] = [];
  const givenBy = new Map<string, string>();
  const given: InputColumn[] = [];
  const inputDecisions = doc.inputDecisions ?? [];
  inputDecisions.forEach((id, i) => {
    const d = decisions(id);
    if (!d) problems.push(problem(`/inputDecisions/${i}`, 'BOXED_NOT_A_DECISION', { id }));
    else for (const o of d.table.outputs) given.push({ name: o.name, type: o.type });
  });
  doc.outputs.forEach((id, i) => {
    const d = decisions(id);
    if (!d) {
      problems.push(problem(`/outputs/${i}`, 'BOXED_NOT_A_DECISION', { id }));
      return;
    }
    for (const o of d.table.outputs) {
      const first = givenBy.get(o.name);
      if (first !== undefined) problems.push(problem(`/outputs/${i}`, 'BOXED_OUTPUT_TWICE', { name: o.name, first, second: id }));
      givenBy.set(o.name, id);
      outputs.push(o);
    }
  });
  const inputs = [...doc.inputs, ...given.filter((g) => !doc.inputs.some((c) => c.name === g.name))];
  inputs.forEach((c, i) => {
    if (inputs.findIndex((d) => d.name === c.name) < i) problems.push(problem(`/inputs/${i}/name`, 'TABLE_DUPLICATE_INPUT', { name: c.name }));
  });
  if (problems.length > 0) throw new ModelError(problems);
  const readers = inputs.map((c, i) => makeReader(c, i));
  const table: DecisionTable = { id: doc.id, title: doc.title, inputs, outputs, rules: [] };
  const outputIds = doc.outputs;

  return {
    document: doc,
    table,
    evaluate(input: Record<string, unknown>, opts: EvaluateOptions = {}): ServiceResult {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) throw InputError.notAnObject();
      const inputProblems: Problem[] = [];
      for (const r of readers) readValue(r, readPath(input, r.path), inputProblems);
      if (inputProblems.length > 0) throw InputError.of(inputProblems);
      // One result per decision in this evaluation: a decision two outputs require is decided once.
      const results = new Map<string, EvaluationResult>();
      const memo = new Map<string, CompiledTable>();
      const steps: ChainStep[] = [];
      const once = (id: string, compiled: CompiledTable): CompiledTable => {
        let m = memo.get(id);
        if (!m) {
          m = {
            table: compiled.table,
            evaluate: (inp, o) => {
              const known = results.get(id);
              if (known) return known;
              const r = compiled.evaluate(inp, o);
              results.set(id, r);
              return r;
            },
          };
          memo.set(id, m);
        }
        return m;
      };
      const givenDecision = (id: string, compiled: CompiledTable): CompiledTable => ({
        table: compiled.table,
        // An input decision is not decided: its outputs are what the caller gave.
        evaluate: () => {
          const out: OutputRecord = {};
          for (const o of compiled.table.outputs) out[o.name] = (readPath(input, [o.name]) ?? null) as JsonValue;
          return { output: out, matched: [] };
        },
      });
      const lookUp = (id: string): CompiledTable => {
        const d = decisions(id);
        if (!d) throw new ModelError([problem('/outputs', 'BOXED_NOT_A_DECISION', { id })]);
        return inputDecisions.includes(id) ? once(id, givenDecision(id, d)) : once(id, d);
      };
      const required: RequiredTables = (id) => lookUp(id);
      const output: OutputRecord = {};
      for (const id of outputIds) {
        const top = lookUp(id);
        const done = new Set(results.keys());
        const result = evaluateChain(top, input, required, {
          ...opts,
          onStep: (s) => {
            if (!done.has(s.table.table.id)) steps.push(s);
            done.add(s.table.table.id);
          },
        });
        for (const o of top.table.outputs) output[o.name] = outputValue(result.output, o.name);
      }
      const answer: ServiceResult = { output, matched: [], steps };
      if (opts.trace) answer.trace = [];
      return answer;
    },
  };
}

function outputValue(output: EvaluationResult['output'], name: string): JsonValue {
  if (output === null) return null;
  if (Array.isArray(output)) return output.map((o) => o[name] ?? null);
  return Object.hasOwn(output, name) ? output[name]! : null;
}

