// A business knowledge model (types.ts BusinessKnowledgeModel) compiled once into a FEEL function: its parameters,
// typed, bound by position or by name; its body a boxed expression on those parameters and on what it requires
// (parameter sets, other knowledge models) and its own name, so it may call itself. Decisions invoke it by its
// `name` from an invocation box or a FEEL call; each call is traced, and calls inside one another are held to
// MAX_KNOWLEDGE_CALL_DEPTH.
import { compileLogic, convertTo, feelTypeOf, fits, ModelError, record, type BoxCompile, type NameInfo, type Run, type Signature } from './boxed-logic.ts';
import { LimitError } from './errors.ts';
import { argumentsAs } from './feel-types.ts';
import { nameParameters } from './feel.ts';
import { MAX_KNOWLEDGE_CALL_DEPTH, RESERVED_NAMES } from './limits.ts';
import { problem } from './messages.ts';
import { resolveRequirements, type RequiredDocuments, type RequiredKnowledge } from './model-requirements.ts';
import type { BusinessKnowledgeModel, JsonValue } from './types.ts';
import { toJson, type FeelContext, type FeelFunction, type FeelValue } from './values.ts';

export interface CompiledKnowledgeModel extends RequiredKnowledge {
  readonly model: BusinessKnowledgeModel;
}

/** Compiles a knowledge model; throws ModelError listing every problem with its JSON path. */
export function compileKnowledgeModel(model: BusinessKnowledgeModel, required: RequiredDocuments): CompiledKnowledgeModel {
  const ctx: BoxCompile = { document: model.id, problems: [] };
  const params = Array.isArray(model.parameters) ? model.parameters : [];
  const signature: Signature = { parameters: params.map((p) => ({ name: p.name, type: p.type })), ...(model.resultType ? { resultType: model.resultType } : {}) };
  const own = new Map<string, NameInfo>();
  params.forEach((p, i) => {
    const at = `/parameters/${i}/name`;
    if (own.has(p.name)) ctx.problems.push(problem(at, 'BOXED_NAME_TWICE', { name: p.name, at: own.get(p.name)!.at }));
    else if (RESERVED_NAMES.includes(p.name)) ctx.problems.push(problem(at, 'SCHEMA_RESERVED_NAME', { name: p.name }));
    own.set(p.name, { kind: 'variable', type: p.type, at });
  });
  if (own.has(model.name)) ctx.problems.push(problem('/name', 'BOXED_NAME_TWICE', { name: model.name, at: own.get(model.name)!.at }));
  // Its own name: a knowledge model may call itself (a recursion MAX_KNOWLEDGE_CALL_DEPTH stops).
  own.set(model.name, { kind: 'knowledge', type: 'function', at: '/name', signature });
  const reqs = resolveRequirements(model.requires, required, own, ctx);
  const body = compileLogic(model.body, reqs.scope, '/body', ctx);
  if (model.resultType !== undefined && !fits(body.type, model.resultType)) {
    ctx.problems.push(problem('/body', 'BOXED_TYPE_MISMATCH', { actual: body.type, type: model.resultType }));
  }
  if (ctx.problems.length > 0) throw new ModelError(ctx.problems);
  const names = params.map((p) => p.name);
  const types = params.map((p) => feelTypeOf(p.type));
  const compiled: CompiledKnowledgeModel = {
    id: model.id,
    name: model.name,
    model,
    signature,
    bind(run: Run): FeelFunction {
      const known = run.bound.get(compiled);
      if (known) return known;
      const fn = nameParameters(
        (...args: FeelValue[]) => {
          // FEEL: a call with the wrong number of arguments, or one that does not conform to the types, is null.
          if (args.length !== names.length) return null;
          const typed = argumentsAs(args, types);
          if (typed === null) return null;
          if (run.depth >= MAX_KNOWLEDGE_CALL_DEPTH) throw new LimitError({ code: 'LIMIT_KNOWLEDGE_DEPTH', params: { limit: MAX_KNOWLEDGE_CALL_DEPTH } });
          run.depth++;
          try {
            const vars: FeelContext = {};
            reqs.fill(vars, run);
            vars[model.name] = fn;
            names.forEach((n, i) => (vars[n] = typed[i]!));
            const value = convertTo(body.fn(vars, run), model.resultType);
            if (run.trace) {
              const shown: Record<string, JsonValue> = {};
              names.forEach((n, i) => (shown[n] = toJson(typed[i]!)));
              record(run, { document: model.id, path: '/body', kind: 'call', knowledge: model.name, arguments: shown, value: toJson(value) });
            }
            return value;
          } finally {
            run.depth--;
          }
        },
        names,
        types,
      );
      run.bound.set(compiled, fn);
      return fn;
    },
  };
  return compiled;
}
