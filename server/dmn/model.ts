// Evaluates an imported DMN model the DMN way: a decision's result is the bare value of a single-output table, a
// context (with the DMN output names) of a multi-output one, a list for COLLECT / RULE ORDER / OUTPUT ORDER, the
// aggregate for COLLECT with an aggregation; required decisions run first and their results are in scope by name.
import { compileTable, compileTypedExpression, type TextTypeName } from '../engine/index.ts';
import type { ColumnType, CompiledTable, DecisionTable, EvaluationResult, OutputRecord } from '../engine/types.ts';
import type { DmnImport, DmnTableOrigin, LiteralDecision } from './types.ts';

export interface ModelDecision {
  id: string;
  /** The DMN decision (variable) name. */
  name: string;
  kind: 'table' | 'literal';
  requires: string[];
  /** Evaluates with a scope holding the case and the required decisions' results by name (`types`: of its text). */
  run(scope: Record<string, unknown>, types: Record<string, TextTypeName>): Evaluated;
}

/** A decision's DMN value, and for a single-hit table also its output record (Beslis names). */
export interface Evaluated {
  value: unknown;
  /** The FEEL types of the text in `value` that is not a string (JSON Pointer → type), as compileTypedExpression gives. */
  types: Record<string, TextTypeName>;
  record?: OutputRecord | null;
}

function originOf(table: DecisionTable): DmnTableOrigin | undefined {
  return table.meta?.dmn as DmnTableOrigin | undefined;
}

/** The DMN name of a table's decision: its origin's decision name, or else its output name or title. */
export function decisionNameOf(table: DecisionTable): string {
  return originOf(table)?.decisionName ?? (table.outputs.length === 1 ? table.outputs[0]!.name : table.title);
}

/** Turns the engine's evaluation output into the DMN value of the decision. */
export function dmnValueOf(table: DecisionTable, output: EvaluationResult['output']): unknown {
  if (output === null) return null;
  const origin = originOf(table);
  const names = table.outputs.map((o, i) => origin?.outputs[i]?.dmnName ?? o.name);
  const single = table.outputs.length === 1;
  const shape = (rec: OutputRecord) =>
    single ? (rec[table.outputs[0]!.name] ?? null) : Object.fromEntries(table.outputs.map((o, i) => [names[i]!, rec[o.name] ?? null]));
  if (Array.isArray(output)) return output.map(shape);
  if (table.aggregation) return output[table.outputs[0]!.name] ?? null;
  return shape(output);
}

/** The FEEL type of a table output's JSON text, by the column's type (a duration's text says which kind it is). */
function textTypeOf(type: ColumnType, v: unknown): TextTypeName | null {
  if (typeof v !== 'string') return null;
  switch (type) {
    case 'date':
      return 'date';
    case 'time':
      return 'time';
    case 'dateTime':
      return 'date and time';
    case 'duration':
      return /^-?P(?:\d+Y)?(?:\d+M)?$/.test(v) ? 'years and months duration' : 'days and time duration';
    default:
      return null;
  }
}

const pointerKey = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

/** The text types of a table decision's DMN value (dmnValueOf's shapes), read from the output columns' types. */
export function tableTextTypes(table: DecisionTable, output: EvaluationResult['output']): Record<string, TextTypeName> {
  const types: Record<string, TextTypeName> = {};
  if (output === null) return types;
  const origin = originOf(table);
  const cols = table.outputs.map((o, i) => ({ key: o.name, dmn: origin?.outputs[i]?.dmnName ?? o.name, type: o.type }));
  const mark = (type: ColumnType, v: unknown, at: string) => {
    const t = textTypeOf(type, v);
    if (t) types[at] = t;
  };
  const record = (rec: OutputRecord, at: string) => {
    if (cols.length === 1 || table.aggregation) mark(cols[0]!.type, rec[cols[0]!.key], at);
    else for (const c of cols) mark(c.type, rec[c.key], `${at}/${pointerKey(c.dmn)}`);
  };
  if (Array.isArray(output)) output.forEach((rec, i) => record(rec, `/${i}`));
  else record(output, '');
  return types;
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

export class CycleError extends Error {}

export class DmnModel {
  readonly decisions: ModelDecision[];
  private readonly byId = new Map<string, ModelDecision>();
  private readonly byName = new Map<string, ModelDecision>();

  constructor(imported: Pick<DmnImport, 'tables' | 'literalDecisions'>) {
    this.decisions = [
      ...imported.tables.map((t) => tableDecision(t, compileTable(t))),
      ...imported.literalDecisions.map(literalDecision),
    ];
    for (const d of this.decisions) {
      this.byId.set(d.id, d);
      if (!this.byName.has(d.name)) this.byName.set(d.name, d);
    }
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
    for (const req of d.requires) {
      const r = this.byId.get(req);
      if (!r) throw new Error(`decision '${d.name}' requires '${req}', which is not in the model`);
      const result = this.run(req, input, memo, [...path, d.id], inputTypes);
      // DMN: the result is in scope under the decision's name, its types with it (a date handed on stays a date).
      scope[r.name] = result.value;
      const at = `/${pointerKey(r.name)}`;
      for (const k of Object.keys(types)) if (k === at || k.startsWith(`${at}/`)) delete types[k];
      for (const [k, t] of Object.entries(result.types)) types[`${at}${k}`] = t;
      // Beslis (docs/contracts.md): a required table's outputs supply inputs of the same name the case does not give.
      for (const [k, v] of Object.entries(result.record ?? {})) if (!Object.hasOwn(input, k)) fed[k] = v;
    }
    for (const [k, v] of Object.entries(fed)) if (!Object.hasOwn(scope, k) || scope[k] === undefined) scope[k] = v;
    const result = d.run(scope, types);
    memo.set(d.id, result);
    return result;
  }
}
