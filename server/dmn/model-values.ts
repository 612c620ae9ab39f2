// The DMN values of a decision table's outputs: the bare value of a single-output table, a context (with the DMN
// output names) of a multi-output one, a list for COLLECT / RULE ORDER / OUTPUT ORDER, the aggregate for COLLECT with an
// aggregation; and the FEEL types of the text in them. Shared by the model (./model.ts) and boxed expressions (./boxed.ts).
import type { TextTypeName } from '../engine/index.ts';
import type { ColumnType, DecisionTable, EvaluationResult, OutputRecord } from '../engine/types.ts';
import type { DmnTableOrigin } from './types.ts';

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

export const pointerKey = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');

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

