// Evaluates an imported DMN model the DMN way: a decision's result is the bare value of a single-output table, a
// context (with the DMN output names) of a multi-output one, a list for COLLECT / RULE ORDER / OUTPUT ORDER, the
// aggregate for COLLECT with an aggregation; required decisions run first and their results are in scope by name.
// Boxed decisions (./boxed.ts) see the required decisions' FEEL values as they are (a function stays a function),
// the business knowledge models and decision services they require as functions (DMN 1.5 10.4).
import { coerceTo, compileTable, compileTypedExpression, failsType, feelValues, type FeelContext, type FeelFunction, type FeelType, type FeelValue, type TextTypeName } from '../engine/index.ts';
import type { CompiledTable, DecisionTable, OutputRecord } from '../engine/types.ts';
import { compileBoxed, type Closure } from './boxed.ts';
import { decisionNameOf, dmnValueOf, pointerKey, tableTextTypes } from './model-values.ts';
import type { BoxedDecision, DecisionService, DmnImport, KnowledgeModel, LiteralDecision } from './types.ts';

export { decisionNameOf, dmnValueOf, tableTextTypes } from './model-values.ts';

export interface ModelDecision {
  id: string;
  /** The DMN decision (variable) name. */
  name: string;
  kind: 'table' | 'literal' | 'boxed' | 'service';
  requires: string[];
  /**
   * Evaluates with a scope holding the case and the required decisions' results by name (`types`: of its text;
   * `natives`: the FEEL values of the required decisions that gave them).
   */
  run(scope: Record<string, unknown>, types: Record<string, TextTypeName>, natives: FeelContext): Evaluated;
}

/** A decision's DMN value, and for a single-hit table also its output record (Beslis names). */
export interface Evaluated {
  value: unknown;
  /** The FEEL types of the text in `value` that is not a string (JSON Pointer → type), as compileTypedExpression gives. */
  types: Record<string, TextTypeName>;
  record?: OutputRecord | null;
  /** The FEEL value itself, for a boxed decision (what JSON cannot hold: a function, a decimal's digits). */
  native?: FeelValue;
}

function tableDecision(table: DecisionTable, compiled: CompiledTable): ModelDecision {
  return {
    id: table.id,
    name: decisionNameOf(table),
    kind: 'table',
    requires: table.requires ?? [],
    run: (scope) => {
      const { output } = compiled.evaluate(scope);
      return {
        value: dmnValueOf(table, output),
        types: tableTextTypes(table, output),
        record: output === null || Array.isArray(output) ? null : output,
      };
    },
  };
}

function literalDecision(d: LiteralDecision): ModelDecision {
  const fn = compileTypedExpression(d.expression, { types: d.types, names: d.names, invalidCalls: 'null', typeNames: d.typeNames, resultType: d.resultType });
  return { id: d.id, name: d.name, kind: 'literal', requires: d.requires, run: (scope, types) => fn(scope, types) };
}

function evaluatedOf(v: FeelValue): Evaluated {
  return { value: feelValues.toJson(v), types: feelValues.textTypes(v), native: v };
}

const ANY: FeelType = { k: 'Any' };

export class CycleError extends Error {}

export class DmnModel {
  readonly decisions: ModelDecision[];
  private readonly byId = new Map<string, ModelDecision>();
  private readonly byName = new Map<string, ModelDecision>();
  /** BKMs and decision services by DMN id: their names and function values. */
  private readonly knowledge = new Map<string, { name: string; value: FeelFunction }>();
  private readonly services = new Map<string, DecisionService>();
  /** Every decision's DMN name by Beslis id, known before any is compiled (services and boxed decisions name others). */
  private readonly decisionNames = new Map<string, string>();

  /**
   * `imports`: the models this one imports (DMN 1.5 6.3.3), each under its import's name as a context of the
   * imported model's business knowledge models and decision services (DmnModel.knowledgeContext), so a boxed
   * decision reads `myimport.Say Hello(…)`.
   */
  constructor(
    imported: Pick<DmnImport, 'tables' | 'literalDecisions' | 'boxed'>,
    private readonly imports: Readonly<Record<string, FeelContext>> = {},
  ) {
    const boxed = imported.boxed;
    for (const t of [...imported.tables, ...(boxed?.tables ?? [])]) this.decisionNames.set(t.id, decisionNameOf(t));
    for (const d of [...imported.literalDecisions, ...(boxed?.literalDecisions ?? []), ...(boxed?.decisions ?? [])]) this.decisionNames.set(d.id, d.name);
    this.decisions = [
      ...[...imported.tables, ...(boxed?.tables ?? [])].map((t) => tableDecision(t, compileTable(t))),
      ...[...imported.literalDecisions, ...(boxed?.literalDecisions ?? [])].map(literalDecision),
    ];
    if (boxed) {
      for (const s of boxed.services) {
        this.services.set(s.dmnId, s);
        this.knowledge.set(s.dmnId, { name: s.name, value: this.serviceFunction(s) });
      }
      this.buildKnowledgeModels(boxed.knowledgeModels, boxed.typeNames);
      for (const d of boxed.decisions) this.decisions.push(this.boxedDecision(d, boxed.typeNames));
      for (const s of boxed.services) this.decisions.push(this.serviceDecision(s));
    }
    for (const d of this.decisions) {
      this.byId.set(d.id, d);
      if (!this.byName.has(d.name)) this.byName.set(d.name, d);
    }
  }

  /** Every BKM becomes a function value once; its body sees the BKMs and services it requires (itself too, for recursion). */
  private buildKnowledgeModels(models: KnowledgeModel[], typeNames: Record<string, FeelType>): void {
    const nameOf = new Map(models.map((m) => [m.dmnId, m.name] as const));
    for (const [id, k] of this.knowledge) nameOf.set(id, k.name);
    const pending: { km: KnowledgeModel; vars: FeelContext }[] = [];
    for (const km of models) {
      const vars: FeelContext = {};
      let value: FeelFunction;
      if (km.logic) {
        const names = [...km.knowledge.map((k) => nameOf.get(k) ?? k), km.name];
        let make: Closure;
        try {
          make = compileBoxed(km.logic, { names, typeNames });
        } catch (err) {
          const message = `business knowledge model '${km.name}': ${(err as Error).message}`;
          make = () => () => {
            throw new Error(message, { cause: err });
          };
        }
        const fn = make(vars) as FeelFunction;
        const resultType = km.resultType;
        value = feelValues.nameParameters(
          (...args: FeelValue[]) => coerceTo(fn(...args), resultType),
          km.logic.params.map((p) => p.name),
          km.logic.params.map((p) => p.type),
        );
      } else {
        value = feelValues.nameParameters(() => null, []);
      }
      this.knowledge.set(km.dmnId, { name: km.name, value });
      pending.push({ km, vars });
    }
    // The scopes are filled after every function exists, so BKMs may require each other in any order.
    for (const { km, vars } of pending) {
      for (const k of km.knowledge) {
        const known = this.knowledge.get(k);
        if (known) vars[known.name] = known.value;
      }
      vars[km.name] = this.knowledge.get(km.dmnId)!.value;
    }
  }


  private boxedDecision(d: BoxedDecision, typeNames: Record<string, FeelType>): ModelDecision {
    const knowledgeNames = d.knowledge.map((k) => this.knowledge.get(k)?.name ?? k);
    // An import's name, and the names inside it (`Say Hello` has a space the parser must know).
    const importNames = Object.entries(this.imports).flatMap(([name, ctx]) => [name, ...Object.keys(ctx)]);
    const names = [...d.inputs.map((i) => i.name), ...knowledgeNames, ...this.requiredNames(d), ...importNames];
    // A decision that does not compile fails when it is evaluated, naming itself; the rest of the model still runs.
    let fn: Closure;
    try {
      if (d.noLogic) throw new Error('it has no decision logic: its value can only be given, as an input decision of a decision service');
      fn = compileBoxed(d.logic, { names, typeNames });
    } catch (err) {
      const message = `decision '${d.name}': ${(err as Error).message}`;
      fn = () => {
        throw new Error(message, { cause: err });
      };
    }
    const coercers = d.inputs.filter((i) => i.type !== null).map((i) => [i.name, feelValues.coercerFor(i.type!)] as const);
    const resultType = d.resultType;
    return {
      id: d.id,
      name: d.name,
      kind: 'boxed',
      requires: d.requires,
      run: (scope, types, natives) => {
        const vars = (Object.keys(types).length > 0 ? feelValues.fromTypedJson(scope, types) : feelValues.fromJson(scope)) as FeelContext;
        for (const [name, coerce] of coercers) if (Object.hasOwn(scope, name) && !types[`/${pointerKey(name)}`]) vars[name] = coerce(scope[name]) ?? null;
        Object.assign(vars, natives);
        for (const [name, ctx] of Object.entries(this.imports)) if (!Object.hasOwn(vars, name)) vars[name] = ctx;
        for (const k of d.knowledge) {
          const known = this.knowledge.get(k);
          if (known) vars[known.name] = known.value;
        }
        return evaluatedOf(coerceTo(fn(vars), resultType));
      },
    };
  }

  private requiredNames(d: BoxedDecision): string[] {
    return d.requires.map((r) => this.nameOfDecision(r));
  }

  /**
   * A decision service's parameters: its input data, then its input decisions, each in document order, with their
   * declared types. DMN 1.5 10.4 makes a service invocable as a function of its input data and input decisions; the
   * order is the TCK's (0085 011: `decisionService_011("A", "B", "C", "D")` binds the two input data first, though
   * the XML lists the input decisions first), as no text of the specification at hand spells it out.
   */
  private serviceParams(s: DecisionService): { name: string; type: FeelType }[] {
    const names = [...s.inputData, ...s.inputDecisions.map((id) => this.nameOfDecision(id))];
    return names.map((name, i) => ({ name, type: s.paramTypes?.[i] ?? ANY }));
  }

  /** A decision service as a function; an argument that does not conform to its parameter's type makes the call null. */
  private serviceFunction(s: DecisionService): FeelFunction {
    const params = this.serviceParams(s);
    return feelValues.nameParameters(
      (...args: FeelValue[]) => {
        if (args.length !== params.length) return null;
        if (params.some((p, i) => failsType(args[i] ?? null, p.type))) return null;
        const given: FeelContext = {};
        params.forEach((p, i) => (given[p.name] = args[i] ?? null));
        return this.invokeService(s, given);
      },
      params.map((p) => p.name),
      params.map((p) => p.type),
    );
  }

  private nameOfDecision(id: string): string {
    return this.decisionNames.get(id) ?? id;
  }

  /** Runs a service's output decisions with its parameters given by name: one output is its value, more a context. */
  private invokeService(s: DecisionService, raw: FeelContext): FeelValue {
    // Each parameter converted to its declared type (DMN 1.5 10.3.2.9.4: the TCK's 0082 decisionService_002_b
    // passes ["foo"] for a string input, which the service reads as "foo").
    const given: FeelContext = { ...raw };
    for (const p of this.serviceParams(s)) if (Object.hasOwn(given, p.name)) given[p.name] = coerceTo(given[p.name]!, p.type);
    const input = feelValues.toJson(given) as Record<string, unknown>;
    const inputTypes = feelValues.textTypes(given);
    const memo = new Map<string, Evaluated>();
    for (const id of s.inputDecisions) {
      const name = this.nameOfDecision(id);
      memo.set(id, evaluatedOf(Object.hasOwn(given, name) ? given[name]! : null));
    }
    const values = s.outputs.map((id) => {
      const r = this.run(id, input, memo, [`service:${s.dmnId}`], inputTypes);
      return r.native !== undefined ? r.native : feelValues.fromTypedJson(r.value, r.types);
    });
    const out: FeelValue =
      s.outputs.length === 1 ? values[0]! : Object.fromEntries(s.outputs.map((id, i) => [this.nameOfDecision(id), values[i]!] as const));
    return coerceTo(out, s.resultType);
  }

  /** A decision service evaluated by name for a case, as a decision: its inputs are read from the case. */
  private serviceDecision(s: DecisionService): ModelDecision {
    return {
      id: `service:${s.dmnId}`,
      name: s.name,
      kind: 'service',
      requires: [],
      run: (scope, types) => {
        const vars = (Object.keys(types).length > 0 ? feelValues.fromTypedJson(scope, types) : feelValues.fromJson(scope)) as FeelContext;
        const given: FeelContext = {};
        for (const id of s.inputDecisions) {
          const name = this.nameOfDecision(id);
          if (Object.hasOwn(vars, name)) given[name] = vars[name]!;
        }
        for (const name of s.inputData) given[name] = Object.hasOwn(vars, name) ? vars[name]! : null;
        return evaluatedOf(this.invokeService(s, given));
      },
    };
  }

  /** The output decisions' values of a service for a case (the TCK's `decisionService` test type), by decision name. */
  evaluateService(name: string, input: Record<string, unknown>, inputTypes: Record<string, TextTypeName> = {}): Map<string, Evaluated> {
    const s = [...this.services.values()].find((x) => x.name === name);
    if (!s) throw new Error(`there is no decision service '${name}' in the model`);
    const vars = (Object.keys(inputTypes).length > 0 ? feelValues.fromTypedJson(input, inputTypes) : feelValues.fromJson(input)) as FeelContext;
    const given: FeelContext = {};
    for (const id of s.inputDecisions) {
      const n = this.nameOfDecision(id);
      given[n] = Object.hasOwn(vars, n) ? vars[n]! : null;
    }
    for (const n of s.inputData) given[n] = Object.hasOwn(vars, n) ? vars[n]! : null;
    const value = this.invokeService(s, given);
    const out = new Map<string, Evaluated>();
    if (s.outputs.length === 1) out.set(this.nameOfDecision(s.outputs[0]!), evaluatedOf(value));
    else for (const id of s.outputs) out.set(this.nameOfDecision(id), evaluatedOf(feelValues.isContext(value) ? (value[this.nameOfDecision(id)] ?? null) : null));
    return out;
  }

  /** The model's business knowledge models and decision services as function values by name, for a model importing it. */
  knowledgeContext(): FeelContext {
    return Object.fromEntries([...this.knowledge.values()].map((k) => [k.name, k.value] as const));
  }

  find(nameOrId: string): ModelDecision | undefined {
    return this.byName.get(nameOrId) ?? this.byId.get(nameOrId);
  }

  /**
   * Evaluates one decision for a case (input data by DMN name, JSON values). `memo` shares the results of required
   * decisions between several decisions of one case. Errors of the engine (a hit-policy violation, a bad input)
   * are thrown.
   */
  evaluate(nameOrId: string, input: Record<string, unknown>, memo: Map<string, Evaluated> = new Map()): unknown {
    return this.run(nameOrId, input, memo, []).value;
  }

  /**
   * evaluate, with the FEEL types of the text in the value that is not a string (a date apart from a string);
   * `inputTypes` says the same of the case's text (`{"/due": "date"}`), for inputs whose typeRef does not.
   */
  evaluateTyped(
    nameOrId: string,
    input: Record<string, unknown>,
    memo: Map<string, Evaluated> = new Map(),
    inputTypes: Record<string, TextTypeName> = {},
  ): Pick<Evaluated, 'value' | 'types'> {
    const { value, types } = this.run(nameOrId, input, memo, [], inputTypes);
    return { value, types };
  }

  private run(nameOrId: string, input: Record<string, unknown>, memo: Map<string, Evaluated>, path: string[], inputTypes: Record<string, TextTypeName> = {}): Evaluated {
    const d = this.find(nameOrId);
    if (!d) throw new Error(`there is no decision '${nameOrId}' in the model`);
    const known = memo.get(d.id);
    if (known) return known;
    if (path.includes(d.id)) throw new CycleError(`decisions require each other: ${[...path, d.id].join(' → ')}`);
    const scope: Record<string, unknown> = { ...input };
    const types: Record<string, TextTypeName> = { ...inputTypes };
    const fed: Record<string, unknown> = {};
    const natives: FeelContext = {};
    for (const req of d.requires) {
      const r = this.byId.get(req);
      if (!r) throw new Error(`decision '${d.name}' requires '${req}', which is not in the model`);
      const result = this.run(req, input, memo, [...path, d.id], inputTypes);
      // DMN: the result is in scope under the decision's name, its types with it (a date handed on stays a date).
      scope[r.name] = result.value;
      if (result.native !== undefined) natives[r.name] = result.native;
      const at = `/${pointerKey(r.name)}`;
      for (const k of Object.keys(types)) if (k === at || k.startsWith(`${at}/`)) delete types[k];
      for (const [k, t] of Object.entries(result.types)) types[`${at}${k}`] = t;
      // Beslis (docs/contracts.md): a required table's outputs supply inputs of the same name the case does not give.
      for (const [k, v] of Object.entries(result.record ?? {})) if (!Object.hasOwn(input, k)) fed[k] = v;
    }
    for (const [k, v] of Object.entries(fed)) if (!Object.hasOwn(scope, k) || scope[k] === undefined) scope[k] = v;
    const result = d.run(scope, types, natives);
    memo.set(d.id, result);
    return result;
  }
}
