// The try-it form of a table: which fields a resident fills in, and how the form's text becomes the case the engine
// decides. A table that `requires` others asks what those ask, and not what they decide (their outputs feed it).
// The engine stays the one validator of a case: a field that cannot be read as its type is passed on as typed, so
// the engine's INVALID_INPUT names it.
import type { DecisionTable, InputColumn, JsonValue } from '../engine/types.ts';

export interface Field {
  column: InputColumn;
  /** The table that asks it (for a chain: a required table's title). */
  tableId: string;
  /** The form field's name (and id suffix): the input's name. */
  key: string;
}

/** The fields of a table's form, required tables first; `lookup` gives the version of a required table to ask for. */
export function formFields(table: DecisionTable, lookup: (id: string) => DecisionTable | null, seen = new Set<string>()): Field[] {
  seen.add(table.id);
  const fields: Field[] = [];
  const fed = new Set<string>();
  for (const reqId of table.requires ?? []) {
    const req = seen.has(reqId) ? null : lookup(reqId);
    if (!req) continue;
    for (const o of req.outputs) fed.add(o.name);
    for (const f of formFields(req, lookup, seen)) if (!fields.some((x) => x.key === f.key)) fields.push(f);
  }
  for (const column of table.inputs) {
    // A computed input reads other fields of the case; none of the register's tables has one, so it is not asked.
    if (column.expression !== undefined || fed.has(column.name)) continue;
    if (!fields.some((x) => x.key === column.name)) fields.push({ column, tableId: table.id, key: column.name });
  }
  return fields;
}

/** The form's text for one field as the case value: booleans, numbers (a Dutch comma too), the rest as text. */
export function fieldValue(column: InputColumn, text: string): JsonValue | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (t === '__null') return null;
  if (column.type === 'boolean') {
    if (t === 'true') return true;
    if (t === 'false') return false;
    return t;
  }
  if (column.type === 'number') {
    // 1.360,50 and 1360,5 are Dutch; 1360.5 is read as written.
    const normal = t.includes(',') ? t.replace(/\./g, '').replace(',', '.') : t;
    const n = /^-?\d+(\.\d+)?$/.test(normal) ? Number(normal) : NaN;
    return Number.isFinite(n) ? n : t;
  }
  return t;
}

/** The case from the form's fields (nested where an input has a path). Unknown form keys are ignored. */
export function caseFromForm(fields: readonly Field[], form: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const f of fields) {
    const raw = form[`in_${f.key}`];
    if (typeof raw !== 'string') continue;
    const value = fieldValue(f.column, raw);
    if (value === undefined) continue;
    const path = (f.column.path ?? f.column.name).split('.');
    let at = input;
    for (const segment of path.slice(0, -1)) at = (at[segment] ??= {}) as Record<string, unknown>;
    at[path.at(-1)!] = value;
  }
  return input;
}
