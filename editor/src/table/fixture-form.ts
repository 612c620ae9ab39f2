// The form of one test case (fixture; docs/contracts.md) for policy advisors: name, description and case date; the inputs
// built from the table's input columns (the simulator's widgets, input-form.ts); the expected outcome per output
// column ("not checked", a value, or empty/null), a list of expected rows for hit policies that give a list (no rows:
// no rule matches), or an expected error code. JSON editing stays available as the advanced option.
import type { FixtureCase } from '../api.ts';
import { clear, h, modal } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { firstInvalidTemporal, isoValue, temporalField } from '../date-input.ts';
import type { DecisionTable, OutputColumn } from '../../../server/engine/index.ts';
import { columnField, control, deletePath, getPath, readControl, setPath, type Control } from './input-form.ts';

/** Error codes a case may expect (datalist suggestions; any code is accepted). */
const ERROR_CODES = ['INVALID_INPUT', 'HIT_POLICY_VIOLATION', 'LIMIT_EXCEEDED', 'NO_VALID_VERSION'];

/** True when the table's output is a list of rows (COLLECT without aggregation, RULE ORDER, OUTPUT ORDER). */
export function listOutput(table: DecisionTable): boolean {
  const hp = table.hitPolicy ?? 'UNIQUE';
  return hp === 'RULE ORDER' || hp === 'OUTPUT ORDER' || (hp === 'COLLECT' && !table.aggregation);
}

/** The outputs a case's expectation names: the table's, or for COLLECT with aggregation the single aggregated one. */
function outputColumns(table: DecisionTable): OutputColumn[] {
  if (table.hitPolicy === 'COLLECT' && table.aggregation && table.outputs.length === 1) {
    const o = table.outputs[0]!;
    return [{ ...o, type: 'number', values: table.aggregation === 'COUNT' ? undefined : o.values }];
  }
  return table.outputs;
}

/** A new case: no inputs given, nothing checked yet. */
export function blankCase(table: DecisionTable): FixtureCase {
  return { name: '', input: {}, expect: listOutput(table) ? [] : {} };
}

/** The widget for one expected output field: a select with "not checked" and "empty (null)", or an input with a null box. */
function expectField(col: OutputColumn, value: unknown, id: string): { el: HTMLElement; read: () => { set: boolean; value?: unknown } } {
  const isSelect = (col.values && col.values.length > 0) || col.type === 'boolean';
  if (isSelect) {
    const c = control(col, value === null ? undefined : value, id, { keepOther: true, emptyLabel: t('fx.form.notChecked') }) as HTMLSelectElement;
    c.append(h('option', { value: 'null', selected: value === null }, t('fx.form.null')));
    return { el: columnField(col, c), read: () => (c.value === '' ? { set: false } : { set: true, value: c.value === 'null' ? null : readControl(col, c) }) };
  }
  const c = control(col, value === null ? undefined : value, id, { keepOther: true });
  const nullBox = h('input', { type: 'checkbox', id: `${id}-null`, checked: value === null });
  const sync = (): void => {
    c.disabled = nullBox.checked;
  };
  nullBox.addEventListener('change', sync);
  sync();
  return {
    el: columnField(col, c, h('label', { class: 'check small', for: `${id}-null` }, nullBox, ' ', t('fx.form.expectNull'))),
    read: () => {
      if (nullBox.checked) return { set: true, value: null };
      const v = readControl(col, c);
      return v === undefined ? { set: false } : { set: true, value: v };
    },
  };
}

/** The expectation fields of one output row; `read` gives the named fields only. */
function expectRow(cols: OutputColumn[], row: Record<string, unknown>, prefix: string): { el: HTMLElement[]; read: () => Record<string, unknown> } {
  const fields = cols.map((col, i) => ({ col, f: expectField(col, Object.hasOwn(row, col.name) ? row[col.name] : undefined, `${prefix}-${i}`) }));
  // Fields of the expectation that are no output column (kept as they are, e.g. after a column was renamed).
  const extra = Object.fromEntries(Object.entries(row).filter(([k]) => !cols.some((c) => c.name === k)));
  return {
    el: fields.map((x) => x.f.el),
    read: () => {
      const out: Record<string, unknown> = { ...extra };
      for (const { col, f } of fields) {
        const r = f.read();
        if (r.set) out[col.name] = r.value;
      }
      return out;
    },
  };
}

/**
 * Opens the form for a case (a copy is edited); resolves with the new case, or null when cancelled. `taken` are the
 * names of the other cases (names are unique within a set).
 */
export function editCaseForm(table: DecisionTable, title: string, start: FixtureCase, taken: string[]): Promise<FixtureCase | null> {
  return modal<FixtureCase>(title, (close) => {
    let current: FixtureCase = structuredClone(start);
    const body = h('div', { class: 'fx-form-body' });
    const error = h('p', { class: 'form-error', role: 'alert', id: 'fx-form-error' });
    const area = h('textarea', { id: 'fx-case-json', rows: '14', class: 'mono', spellcheck: 'false', 'aria-label': t('fx.form.advanced') });
    const advanced = h('details', { class: 'fx-advanced', id: 'fx-form-advanced' }, h('summary', null, t('fx.form.advanced')), area);
    let read: () => FixtureCase = () => current;

    const build = (): void => {
      const inputs = table.inputs.filter((c) => c.expression === undefined);
      const inputControls: { path: string; col: (typeof inputs)[number]; c: Control }[] = [];
      const name = h('input', { id: 'fx-f-name', required: true, value: current.name ?? '', autocomplete: 'off' });
      const note = h('textarea', { id: 'fx-f-note', rows: '2' });
      note.value = typeof current.note === 'string' ? current.note : '';
      const dateField = temporalField({ id: 'fx-f-date', value: current.date ?? '', describedBy: 'fx-f-date-hint' });
      const date = dateField.input;
      const inputFields = inputs.map((col, i) => {
        const path = col.path ?? col.name;
        const c = control(col, getPath(current.input ?? {}, path), `fx-in-${i}`, { keepOther: true, emptyLabel: t('fx.form.notGiven') });
        inputControls.push({ path, col, c });
        return columnField(col, c);
      });

      // The expectation: an outcome (fields, or rows for a list) or an error code.
      const isError = current.expectError !== undefined;
      const kindOut = h('input', { type: 'radio', name: 'fx-kind', id: 'fx-kind-output', value: 'output', checked: !isError });
      const kindErr = h('input', { type: 'radio', name: 'fx-kind', id: 'fx-kind-error', value: 'error', checked: isError });
      const code = h('input', { id: 'fx-f-error', list: 'fx-error-codes', value: current.expectError ?? '', autocomplete: 'off', spellcheck: 'false' });
      const cols = outputColumns(table);
      const outBox = h('div', { class: 'fx-expect-output' });
      const errBox = h('div', { class: 'field fx-expect-error' }, h('label', { for: 'fx-f-error' }, t('fx.form.errorCode')), code, h('datalist', { id: 'fx-error-codes' }, ERROR_CODES.map((x) => h('option', { value: x }))));
      let readOutput: () => FixtureCase['expect'];
      if (listOutput(table)) {
        const rows: { el: HTMLElement; read: () => Record<string, unknown> }[] = [];
        const list = h('div', { class: 'fx-rows' });
        const addRow = (row: Record<string, unknown>): void => {
          const n = rows.length + 1;
          const r = expectRow(cols, row, `fx-out-${n - 1}`);
          const entry = {
            el: h('fieldset', { class: 'fx-row' }, h('legend', null, t('fx.form.row', { n })), r.el, h('button', { type: 'button', class: 'small', onclick: () => removeRow(entry) }, t('fx.form.removeRow', { n }))),
            read: r.read,
          };
          rows.push(entry);
          renderRows();
        };
        const removeRow = (entry: (typeof rows)[number]): void => {
          const at = rows.indexOf(entry);
          // Rebuild from the values read, so the rows keep their numbers and ids.
          const values = rows.map((x) => x.read());
          values.splice(at, 1);
          rows.length = 0;
          values.forEach((v) => addRow(v));
          renderRows();
          (list.querySelector('button') ?? addButton).focus();
        };
        const addButton = h('button', { type: 'button', id: 'fx-add-row', onclick: () => addRow({}) }, t('fx.form.addRow'));
        const renderRows = (): void => clear(list, rows.length === 0 ? h('p', { class: 'muted small' }, t('fx.form.noRows')) : rows.map((x) => x.el));
        (Array.isArray(current.expect) ? current.expect : current.expect ? [current.expect] : []).forEach((r) => addRow(r as Record<string, unknown>));
        renderRows();
        clear(outBox, h('p', { class: 'muted small' }, t('fx.form.listHint')), list, addButton);
        readOutput = () => rows.map((x) => x.read());
      } else {
        const expect = current.expect && !Array.isArray(current.expect) ? current.expect : {};
        const r = expectRow(cols, expect, 'fx-out');
        clear(outBox, h('p', { class: 'muted small' }, t('fx.form.singleHint')), r.el);
        readOutput = r.read;
      }
      const syncKind = (): void => {
        outBox.hidden = kindErr.checked;
        errBox.hidden = !kindErr.checked;
      };
      kindOut.addEventListener('change', syncKind);
      kindErr.addEventListener('change', syncKind);
      syncKind();

      clear(
        body,
        h(
          'fieldset',
          { class: 'fx-fieldset' },
          h('legend', null, t('fx.form.case')),
          h('div', { class: 'field' }, h('label', { for: 'fx-f-name' }, t('fx.name')), name),
          h('div', { class: 'field' }, h('label', { for: 'fx-f-note' }, t('fx.form.note')), note),
          h('div', { class: 'field' }, h('label', { for: 'fx-f-date' }, t('fx.form.date')), dateField.el, h('span', { class: 'muted small', id: 'fx-f-date-hint' }, t('fx.form.dateHint'))),
        ),
        h('fieldset', { class: 'fx-fieldset fx-inputs' }, h('legend', null, t('fx.input')), inputFields),
        h(
          'fieldset',
          { class: 'fx-fieldset fx-expect' },
          h('legend', null, t('fx.form.expected')),
          h('div', { class: 'fx-kind', role: 'radiogroup', 'aria-label': t('fx.form.expected') }, h('label', { class: 'check' }, kindOut, ' ', t('fx.form.kindOutput')), h('label', { class: 'check' }, kindErr, ' ', t('fx.form.kindError'))),
          outBox,
          errBox,
        ),
      );
      queueMicrotask(() => name.focus());

      read = () => {
        const next: FixtureCase = { ...structuredClone(current), name: name.value.trim(), input: structuredClone(current.input ?? {}) };
        for (const { path, col, c } of inputControls) {
          const v = readControl(col, c);
          if (v === undefined) deletePath(next.input, path);
          else setPath(next.input, path, v);
        }
        if (note.value.trim()) next.note = note.value.trim();
        else delete next.note;
        if (isoValue(date)) next.date = isoValue(date);
        else delete next.date;
        if (kindErr.checked) {
          delete next.expect;
          next.expectError = code.value.trim();
        } else {
          delete next.expectError;
          next.expect = readOutput();
        }
        return next;
      };
    };

    // Opening the JSON shows the form's case; closing it takes the JSON back into the form.
    advanced.addEventListener('toggle', () => {
      error.textContent = '';
      if (advanced.open) {
        current = read();
        area.value = JSON.stringify(current, null, 2);
        body.hidden = true;
        area.focus();
      } else {
        const parsed = parseJson(area.value);
        if (typeof parsed === 'string') {
          error.textContent = parsed;
          advanced.open = true;
          return;
        }
        current = parsed;
        body.hidden = false;
        build();
      }
    });

    const submit = (e: Event): void => {
      e.preventDefault();
      error.textContent = '';
      let next: FixtureCase;
      if (advanced.open) {
        const parsed = parseJson(area.value);
        if (typeof parsed === 'string') {
          error.textContent = parsed;
          return;
        }
        next = parsed;
      } else {
        const wrong = firstInvalidTemporal(body);
        if (wrong) {
          error.textContent = wrong.validationMessage;
          wrong.focus();
          return;
        }
        next = read();
      }
      const problem = caseProblem(next, taken);
      if (problem) {
        error.textContent = problem;
        if (!advanced.open) (body.querySelector<HTMLElement>(problem === t('fx.form.errorRequired') ? '#fx-f-error' : '#fx-f-name'))?.focus();
        return;
      }
      close(next);
    };

    build();
    return h(
      'form',
      { class: 'form-stack fx-form', id: 'fx-form', onsubmit: submit, novalidate: true },
      body,
      advanced,
      error,
      h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), h('button', { type: 'button', onclick: () => close(null) }, t('common.cancel')), h('button', { type: 'submit', class: 'primary', id: 'fx-f-apply' }, t('fx.form.apply'))),
    );
  });
}

function parseJson(text: string): FixtureCase | string {
  try {
    const v = JSON.parse(text) as FixtureCase;
    if (!v || typeof v !== 'object' || Array.isArray(v) || typeof v.input !== 'object' || v.input === null) throw new Error('"input": {…}');
    return v;
  } catch (err) {
    return t('fx.jsonInvalid', { message: err instanceof Error ? err.message : String(err) });
  }
}

function caseProblem(c: FixtureCase, taken: string[]): string | null {
  const name = typeof c.name === 'string' ? c.name.trim() : '';
  if (!name) return t('fx.form.nameRequired');
  if (taken.includes(name)) return t('fx.form.nameTaken', { name });
  if (c.expectError !== undefined && !/^[A-Z][A-Z0-9_]*$/.test(c.expectError)) return t('fx.form.errorRequired');
  return null;
}
