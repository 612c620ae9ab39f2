// Form widgets for a table's columns, shared by the simulator (a case's inputs) and the test-case form (inputs and
// expected outputs): a select for a column with listed values or a boolean, a dd-mm-jjjj text field for dates and times, a
// number input for numbers, text otherwise. Reading gives the JSON value (undefined for an empty control).
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import type { InputColumn, OutputColumn } from '../../../server/engine/index.ts';
import { isoValue, temporalField, temporalHint } from '../date-input.ts';
import { formatValue } from './values.ts';

export type Column = Pick<InputColumn | OutputColumn, 'name' | 'label' | 'type' | 'values'>;
export type Control = HTMLInputElement | HTMLSelectElement;

export interface ControlOptions {
  /** Keep a value that is not one of the column's choices as an extra option (a test case may use one on purpose). */
  keepOther?: boolean;
  /** Text of the empty choice of a select (default "— kies —"). */
  emptyLabel?: string;
}

/** A widget for one column, showing `value`. */
export function control(col: Column, value: unknown, id: string, opts: ControlOptions = {}): Control {
  const current = value === undefined || value === null ? '' : String(value);
  const empty = opts.emptyLabel ?? t('sim.choose');
  const other = (known: unknown[]): HTMLOptionElement | null =>
    opts.keepOther && value !== undefined && value !== null && !known.some((v) => JSON.stringify(v) === JSON.stringify(value))
      ? h('option', { value: JSON.stringify(value), selected: true }, `${formatValue(value, col)} (${t('fx.form.otherValue')})`)
      : null;
  if (col.values && col.values.length > 0) {
    return h(
      'select',
      { id },
      h('option', { value: '' }, empty),
      col.values.map((v) => h('option', { value: JSON.stringify(v), selected: JSON.stringify(v) === JSON.stringify(value) }, formatValue(v, col))),
      other(col.values),
    );
  }
  if (col.type === 'boolean') {
    return h(
      'select',
      { id },
      h('option', { value: '' }, empty),
      h('option', { value: 'true', selected: value === true }, t('sim.yes')),
      h('option', { value: 'false', selected: value === false }, t('sim.no')),
      other([true, false]),
    );
  }
  const kind = col.type === 'date' || col.type === 'time' || col.type === 'dateTime' ? col.type : null;
  const temporal = kind !== null;
  // A value of another type than the column's (text in a number column) is kept as text.
  if (opts.keepOther && current !== '' && ((col.type === 'number' && typeof value !== 'number') || ((col.type === 'number' || temporal) && typeof value === 'object'))) {
    return h('input', { id, type: 'text', value: JSON.stringify(value), autocomplete: 'off', dataset: { json: '1' } });
  }
  // Dates and times as Dutch people write them (the browser's own pickers follow the browser's language).
  if (kind) return temporalField({ id, kind, value: current }).input;
  return h('input', { id, type: col.type === 'number' ? 'number' : 'text', value: current, step: col.type === 'number' ? 'any' : undefined, autocomplete: 'off' });
}

/** The JSON value of a widget made by `control`; undefined when it is empty. */
export function readControl(col: Column, el: Control): unknown {
  const v = el instanceof HTMLInputElement && el.dataset.temporal ? isoValue(el) : el.value;
  if (v === '') return undefined;
  if (el instanceof HTMLSelectElement) return JSON.parse(v) as unknown;
  if (el.dataset.json) {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }
  if (col.type === 'number') return Number(v);
  return v;
}

/** Puts a value at a dotted path (`melder.type`) of the case. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = obj;
  for (const p of parts.slice(0, -1)) {
    if (typeof o[p] !== 'object' || o[p] === null) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts.at(-1)!] = value;
}

/** Removes the value at a dotted path (and objects left empty on the way). */
export function deletePath(obj: Record<string, unknown>, path: string): void {
  const parts = path.split('.');
  const chain: Record<string, unknown>[] = [obj];
  for (const p of parts.slice(0, -1)) {
    const next = chain.at(-1)![p];
    if (typeof next !== 'object' || next === null) return;
    chain.push(next as Record<string, unknown>);
  }
  delete chain.at(-1)![parts.at(-1)!];
  for (let i = chain.length - 1; i > 0; i--) {
    if (Object.keys(chain[i]!).length > 0) break;
    delete chain[i - 1]![parts[i - 1]!];
  }
}

export function getPath(obj: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, p) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[p] : undefined), obj);
}

/** A labelled field for a column: label (with the technical name and type), then the widget. */
export function columnField(col: Column, c: Control, extra?: Node | null): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: c.id }, col.label ?? col.name, h('span', { class: 'muted small' }, ` (${col.name}, ${t(`type.${col.type}`)})`)),
    c,
    c instanceof HTMLInputElement && c.dataset.temporal ? temporalHint(c) : null,
    extra ?? null,
  );
}
