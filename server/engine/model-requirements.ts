// The names a decision-model document has in scope through its `requires` (docs/contracts.md, "Names in scope"):
// a required decision's outputs, a required parameter set's parameters, a required knowledge model by its `name`.
// Resolved once when the document compiles (an unknown id or a name given twice is a problem naming the place), and
// filled in for each evaluation: parameters from the set's version the evaluation uses (never from the case), a
// knowledge model as a function value, a decision's result from the case the chain has fed.
import type { BoxCompile, BoxedScope, KnowledgeFunction, NameInfo, Run, Signature, StaticType } from './boxed-logic.ts';
import { fromJsonAs } from './boxed-logic.ts';
import { RESERVED_NAMES } from './limits.ts';
import { problem } from './messages.ts';
import type { ColumnType, InputColumn, ParameterSet, PolicyDocument } from './types.ts';
import { isDecisionTable } from './types.ts';
import type { FeelContext } from './values.ts';

/** A knowledge model as a required document: its id, name and signature, and its function for one evaluation. */
export interface RequiredKnowledge extends KnowledgeFunction {
  readonly name: string;
  readonly signature: Signature;
}

/** What a required id stands for, as far as compiling the requiring document goes. */
export type RequiredDocument =
  /** A table or an expression decision: its outputs are names whose values the chain feeds from its result. */
  | { kind: 'decision'; id: string; outputs: readonly { name: string; type: StaticType }[] }
  | { kind: 'parameters'; set: ParameterSet }
  | { kind: 'knowledge'; model: RequiredKnowledge };

/** The document `requires[index]` names (`id`), in the version the compile checks against; undefined: none. */
export type RequiredDocuments = (id: string, index: number) => RequiredDocument | undefined;

const COLLECTING = ['COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];

/** A table, an expression decision or a parameter set as a required document (knowledge models compile first). */
export function asRequired(doc: PolicyDocument): RequiredDocument | undefined {
  if (isDecisionTable(doc)) {
    // A table that collects gives a list of each output's values (chain.ts outputValue); an aggregation one number.
    const collects = COLLECTING.includes(doc.hitPolicy ?? 'UNIQUE') && !doc.aggregation;
    return { kind: 'decision', id: doc.id, outputs: doc.outputs.map((o) => ({ name: o.name, type: collects ? 'list' : o.type })) };
  }
  if (doc.kind === 'expression') return { kind: 'decision', id: doc.id, outputs: [{ name: doc.output.name, type: doc.output.type }] };
  if (doc.kind === 'parameters') return { kind: 'parameters', set: doc };
  return undefined;
}

export interface Requirements {
  scope: BoxedScope;
  /** Ids of the required decisions (tables and expressions), in `requires` order: what the chain decides first. */
  decisions: string[];
  /** The names of the required decisions' outputs with their types: read from the (fed) case. */
  decided: { name: string; type: StaticType }[];
  /** Puts the parameters and knowledge models in scope into `vars` for one evaluation. */
  fill(vars: FeelContext, run: Run): void;
}

/**
 * The scope of a document: `own` names first (its inputs, a knowledge model's parameters), then what `requires`
 * brings. Problems go to `ctx`: an id that is no document (at `/requires/i`), a name in scope twice.
 */
export function resolveRequirements(requires: readonly string[] | undefined, resolve: RequiredDocuments, own: ReadonlyMap<string, NameInfo>, ctx: BoxCompile): Requirements {
  const scope = new Map(own);
  const decisions: string[] = [];
  const decided: { name: string; type: StaticType }[] = [];
  const sets: { set: ParameterSet; names: { name: string; type: ColumnType }[] }[] = [];
  const knowledge: RequiredKnowledge[] = [];
  const declare = (name: string, info: NameInfo) => {
    const before = scope.get(name);
    if (before) ctx.problems.push(problem(info.at, 'BOXED_NAME_TWICE', { name, at: before.at }));
    else if (RESERVED_NAMES.includes(name)) ctx.problems.push(problem(info.at, 'SCHEMA_RESERVED_NAME', { name }));
    else scope.set(name, info);
  };
  (requires ?? []).forEach((id, i) => {
    const at = `/requires/${i}`;
    const doc = resolve(id, i);
    if (!doc) {
      ctx.problems.push(problem(at, 'BOXED_UNKNOWN_REQUIREMENT', { id }));
      return;
    }
    if (doc.kind === 'decision') {
      decisions.push(doc.id);
      for (const o of doc.outputs) {
        declare(o.name, { kind: 'decision', type: o.type, at });
        decided.push(o);
      }
    } else if (doc.kind === 'parameters') {
      const names = doc.set.parameters.map((p) => ({ name: p.name, type: p.type }));
      for (const p of names) declare(p.name, { kind: 'parameter', type: p.type, at });
      sets.push({ set: doc.set, names });
    } else {
      declare(doc.model.name, { kind: 'knowledge', type: 'function', at, signature: doc.model.signature });
      knowledge.push(doc.model);
    }
  });
  return {
    scope,
    decisions,
    decided,
    fill: (vars, run) => {
      for (const { set, names } of sets) {
        // The set's version this evaluation uses (valid on the case date); its values are read by the declared types.
        const used = run.versions.parameterSet?.(set.id) ?? set;
        for (const { name, type } of names) {
          const p = used.parameters.find((q) => q.name === name);
          vars[name] = p === undefined ? null : fromJsonAs(p.value, type);
        }
      }
      for (const k of knowledge) vars[k.name] = (run.versions.knowledgeModel?.(k.id) ?? k).bind(run);
    },
  };
}

/** The inputs of a document as names in scope. */
export function inputNames(inputs: readonly InputColumn[]): Map<string, NameInfo> {
  const out = new Map<string, NameInfo>();
  inputs.forEach((c, i) => {
    if (!out.has(c.name)) out.set(c.name, { kind: 'input', type: c.type, at: `/inputs/${i}/name` });
  });
  return out;
}
