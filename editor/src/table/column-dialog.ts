// The column dialog: name, label, type, allowed values, how a number is shown (unit, format), optional / default;
// move and remove.
import { typedToFeel, type ColumnType, type DisplayFormat, type InputColumn, type JsonValue, type OutputColumn } from '../../../server/engine/index.ts';
import { h, modal } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { TableModel } from './model.ts';

const TYPES: ColumnType[] = ['string', 'number', 'boolean', 'date', 'time', 'dateTime', 'duration', 'any'];
const NAME = /^[\p{L}_][\p{L}\p{N}_]*( [\p{L}\p{N}_]+)*$/u;

type Result = { action: 'apply'; col: InputColumn | OutputColumn } | { action: 'remove' } | { action: 'move'; by: -1 | 1 };

function valuesText(values: JsonValue[] | undefined): string {
  return (values ?? []).map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n');
}

function parseValues(text: string, type: ColumnType): JsonValue[] | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return undefined;
  return lines.map((l) => {
    if (type === 'number' && /^-?\d+(\.\d+)?$/.test(l)) return Number(l);
    if (type === 'boolean' && (l === 'true' || l === 'false')) return l === 'true';
    return l;
  });
}

/** Opens the dialog for an existing column (index ≥ 0) or a new one (index -1) and applies the result to the model. */
export async function editColumn(model: TableModel, kind: 'in' | 'out', index: number): Promise<void> {
  const list = kind === 'in' ? model.table.inputs : model.table.outputs;
  const existing = index >= 0 ? list[index] : undefined;
  const title = existing ? `${t(kind === 'in' ? 'col.dialog.input' : 'col.dialog.output')}: ${existing.label ?? existing.name}` : t(kind === 'in' ? 'col.dialog.new.input' : 'col.dialog.new.output');
  const result = await modal<Result>(title, (close) => {
    const name = h('input', { id: 'col-name', value: existing?.name ?? '', required: true, autocomplete: 'off' });
    const label = h('input', { id: 'col-label', value: existing?.label ?? '' });
    const type = h('select', { id: 'col-type' }, ...TYPES.map((ty) => h('option', { value: ty, selected: (existing?.type ?? 'string') === ty }, t(`type.${ty}`))));
    const values = h('textarea', { id: 'col-values', rows: '4', 'aria-describedby': 'col-values-help' });
    values.value = valuesText(existing?.values);
    const unit = h('input', { id: 'col-unit', value: existing?.unit ?? '', maxlength: '40', autocomplete: 'off', 'aria-describedby': 'col-unit-help' });
    const format = h(
      'select',
      { id: 'col-format' },
      h('option', { value: '' }, t('col.format.auto')),
      ...(['money', 'count', 'number'] as const).map((f) => h('option', { value: f, selected: existing?.format === f }, t(`col.format.${f}`))),
    );
    const optional = h('input', { id: 'col-optional', type: 'checkbox', checked: kind === 'in' && Boolean((existing as InputColumn | undefined)?.optional) });
    const dflt = h('input', { id: 'col-default', value: kind === 'out' ? ((existing as OutputColumn | undefined)?.default ?? '') : '' });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const form = h(
      'form',
      {
        class: 'form-grid',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const n = name.value.trim();
          if (!NAME.test(n)) {
            error.textContent = t('col.nameInvalid');
            name.focus();
            return;
          }
          if (list.some((c, i) => c.name === n && i !== index)) {
            error.textContent = t('col.nameTaken');
            name.focus();
            return;
          }
          const ty = type.value as ColumnType;
          const col: InputColumn | OutputColumn = { ...(existing ?? {}), name: n, type: ty };
          if (label.value.trim()) col.label = label.value.trim();
          else delete col.label;
          const vals = parseValues(values.value, ty);
          if (vals) col.values = vals;
          else delete col.values;
          if (unit.value.trim()) col.unit = unit.value.trim();
          else delete col.unit;
          if (format.value) col.format = format.value as DisplayFormat;
          else delete col.format;
          if (kind === 'in') {
            if (optional.checked) (col as InputColumn).optional = true;
            else delete (col as InputColumn).optional;
          } else if (dflt.value.trim()) {
            // As in a cell: plain text as the default of a text column is that text.
            (col as OutputColumn).default = typedToFeel(dflt.value.trim(), 'output', col, model.table.inputs.map((x) => x.name));
          }
          else delete (col as OutputColumn).default;
          close({ action: 'apply', col });
        },
      },
      h('label', { for: 'col-name' }, t('col.name')),
      name,
      h('label', { for: 'col-label' }, t('col.label')),
      label,
      h('label', { for: 'col-type' }, t('col.type')),
      type,
      h('label', { for: 'col-values' }, t('col.values')),
      h('div', null, values, h('p', { class: 'help', id: 'col-values-help' }, t('col.values.help'))),
      h('label', { for: 'col-unit' }, t('col.unit')),
      h('div', null, unit, h('p', { class: 'help', id: 'col-unit-help' }, t('col.unit.help'))),
      h('label', { for: 'col-format' }, t('col.format')),
      format,
      kind === 'in' ? [h('span'), h('label', { class: 'check' }, optional, ' ', t('col.optional'))] : [h('label', { for: 'col-default' }, t('col.default')), dflt],
      error,
      h(
        'div',
        { class: 'dialog-actions' },
        existing
          ? [
              h('button', { type: 'button', disabled: index === 0, onclick: () => close({ action: 'move', by: -1 }) }, '← ', t('col.moveLeft')),
              h('button', { type: 'button', disabled: index === list.length - 1, onclick: () => close({ action: 'move', by: 1 }) }, t('col.moveRight'), ' →'),
              h(
                'button',
                {
                  type: 'button',
                  class: 'danger',
                  disabled: list.length <= 1,
                  title: list.length <= 1 ? t('col.lastInput') : undefined,
                  onclick: () => {
                    if (window.confirm(t('col.removeConfirm', { name: existing.label ?? existing.name }))) close({ action: 'remove' });
                  },
                },
                t('col.remove'),
              ),
            ]
          : null,
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', onclick: () => close(null) }, t('col.cancel')),
        h('button', { type: 'submit', class: 'primary' }, t('col.ok')),
      ),
    );
    queueMicrotask(() => name.focus());
    return form;
  });
  if (!result) return;
  model.update('columns', (tb) => {
    const cols = (kind === 'in' ? tb.inputs : tb.outputs) as (InputColumn | OutputColumn)[];
    if (result.action === 'apply') {
      if (existing) {
        TableModel.renameColumn(tb, kind, existing.name, result.col.name);
        cols[index] = result.col;
      } else cols.push(result.col);
    } else if (result.action === 'remove' && existing) {
      cols.splice(index, 1);
      for (const rule of tb.rules) delete (kind === 'in' ? rule.when : rule.then)[existing.name];
    } else if (result.action === 'move') {
      const [c] = cols.splice(index, 1);
      cols.splice(index + result.by, 0, c!);
    }
  });
}
