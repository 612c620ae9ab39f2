// The simulator's state and logic, without the DOM: deciding a case in the browser with the engine (the compiled
// working copy reused until the table changes), what the grid marks for the result, which rules the explanation
// shows, and the test case a decided case becomes. simulator.ts wires the panel; simulator-view.ts draws it.
import { compileTable, EngineError, type CompiledTable, type EvaluationResult, type JsonValue, type RuleTrace } from '../../../server/engine/index.ts';
import { evaluateChain, type RequiredTables } from '../../../server/engine/chain.ts';
import { explainDecision, type Explanation } from '../../../server/engine/explain.ts';
import type { FixtureState, TableSession } from './session.ts';

/** The last case decided: its input and either the engine's result or the engine's refusal. */
export interface Simulation {
  input: Record<string, unknown>;
  result: EvaluationResult | null;
  error: EngineError | null;
  /** The reasoned decision in Dutch and English (server/engine/explain.ts), each step of a chain. */
  explanation?: Explanation;
}

// The compiled working copy, reused until the table changes (the model bumps its generation on every change).
let compiledFor: { session: TableSession; generation: number; compiled: CompiledTable } | null = null;

function compiled(s: TableSession): CompiledTable {
  if (!compiledFor || compiledFor.session !== s || compiledFor.generation !== s.model.generation) {
    compiledFor = { session: s, generation: s.model.generation, compiled: compileTable(structuredClone(s.model.table)) };
  }
  return compiledFor.compiled;
}

/**
 * Decides `input` with the session's working copy. An engine refusal (invalid input, a hit-policy violation, a table
 * that does not compile) is part of the result; anything else is a bug and is thrown.
 */
export function simulate(s: TableSession, input: Record<string, unknown>, required: RequiredTables | null = null): Simulation {
  let result: EvaluationResult | null = null;
  let error: EngineError | null = null;
  let explanation: Explanation | undefined;
  try {
    // A table with `requires` decides its chain first, as the server does (the engine's walk).
    const top = compiled(s);
    const steps = required ? evaluateChain(top, input, required, { trace: true }).steps : [{ table: top, result: top.evaluate(input, { trace: true }) }];
    const last = steps.at(-1)!.result;
    result = { output: last.output, matched: last.matched, trace: last.trace ?? [] };
    // A required table runs as the version the library chose; the working copy has no version yet.
    explanation = explainDecision(steps.map((st) => ({ table: st.table.table, result: st.result })));
  } catch (err) {
    if (err instanceof EngineError) error = err;
    else throw err;
  }
  return explanation ? { input, result, error, explanation } : { input, result, error };
}

/**
 * Puts the simulation's marks on the session (the matched rules, or the rules a hit-policy violation names; the
 * conditions that held in matched rules) and returns the rule to bring into view, if any.
 */
export function markSimulation(s: TableSession, sim: Simulation): string | undefined {
  const { result, error } = sim;
  s.matched = new Set(result?.matched ?? (error && 'rules' in error ? (error as EngineError & { rules: string[] }).rules : []));
  s.traceMarks = new Map();
  for (const rt of result?.trace ?? []) {
    if (!rt.matched) continue;
    rt.cells.forEach((c) => s.traceMarks.set(`${rt.ruleId}|in:${c.name}`, 'held'));
  }
  return result?.matched[0] ?? [...s.matched][0];
}

/**
 * The rules the explanation shows, in rule order: every matched rule, then the near misses (the rules that failed on
 * the fewest cells) up to five in all, so the advisor sees what was almost chosen.
 */
export function shownTrace(trace: RuleTrace[]): RuleTrace[] {
  const matched = trace.filter((x) => x.matched);
  const near = trace
    .filter((x) => !x.matched)
    .map((x) => ({ x, failed: x.cells.filter((c) => !c.held).length }))
    .sort((a, b) => a.failed - b.failed || a.x.index - b.x.index)
    .slice(0, Math.max(0, 5 - matched.length))
    .map((a) => a.x);
  return [...matched, ...near].sort((a, b) => a.index - b.index);
}

type FixtureCase = FixtureState['set']['cases'][number];

/** The test case the simulation becomes: its input, and the output it gave or the error code it met. */
export function caseFromSimulation(sim: Simulation, name: string): FixtureCase {
  const c: Record<string, unknown> = { name, input: structuredClone(sim.input) };
  if (sim.error) c.expectError = sim.error.code;
  else c.expect = (sim.result?.output ?? {}) as JsonValue;
  return c as FixtureCase;
}

/** Saving under an existing case's name replaces that case (its expectation follows the draft); otherwise a new case. */
export function putCase(state: FixtureState, c: FixtureCase): void {
  const at = state.set.cases.findIndex((x) => x.name === c.name);
  if (at >= 0) state.set.cases[at] = c;
  else state.set.cases.push(c);
}
