// Changes between two versions, or a version and the draft (GET …/diff): changed cells highlighted, added and
// removed rules, changed properties and columns.
import { api, type CellChange, type TableDiff } from '../api.ts';
import { clear, h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import type { DecisionTable, Rule } from '../../../server/engine/index.ts';
import { errorText } from '../views/errors.ts';
import type { TableSession } from './session.ts';

async function tableAt(s: TableSession, which: string): Promise<DecisionTable | null> {
  if (which === 'draft') return s.draft?.table ?? s.model.table;
  try {
    return await api.version(s.id, Number(which));
  } catch {
    return null;
  }
}

function cellText(rule: Rule, kind: 'when' | 'then', name: string): string {
  const m = kind === 'when' ? rule.when : rule.then;
  return Object.hasOwn(m, name) ? m[name]! : kind === 'when' ? '-' : '';
}

/** Renders a diff as a rules table over the "to" side, with removed rules shown where they were. */
export function renderDiff(diff: TableDiff, to: DecisionTable | null, from: DecisionTable | null): HTMLElement {
  const sum = diff.summary;
  const wrap = h('div', { class: 'diff' });
  wrap.append(h('p', { id: 'diff-summary' }, sum.same ? t('diff.same') : t('diff.summary', { added: sum.added, removed: sum.removed, changed: sum.changed, moved: sum.moved })));
  if (diff.fields?.length) {
    wrap.append(
      h('h3', null, t('diff.fields')),
      h(
        'table',
        { class: 'data compact' },
        h('tbody', null, diff.fields.map((f) => h('tr', null, h('th', { scope: 'row' }, f.field), h('td', { class: 'diff-old' }, JSON.stringify(f.from) ?? ''), h('td', { class: 'diff-new' }, JSON.stringify(f.to) ?? '')))),
      ),
    );
  }
  const colChanges = [diff.inputs, diff.outputs].filter((x) => x && Object.values(x).some((v) => (Array.isArray(v) ? v.length > 0 : Boolean(v))));
  if (colChanges.length > 0) {
    wrap.append(h('h3', null, t('diff.columns')), h('pre', { class: 'mono small diff-columns' }, JSON.stringify({ inputs: diff.inputs, outputs: diff.outputs }, null, 2)));
  }
  const table = to ?? from;
  if (!table) return wrap;
  const changed = new Map(diff.rules.changed.map((c) => [c.id, c.cells]));
  const added = new Set(diff.rules.added.map((a) => a.id));
  const moved = new Set(diff.rules.moved.map((m) => m.id));
  const inputs = table.inputs;
  const outputs = table.outputs;
  type Row = { rule: Rule; state: 'added' | 'removed' | 'changed' | 'moved' | 'same'; cells: CellChange[] };
  const rows: Row[] = (to?.rules ?? []).map((rule) => ({
    rule,
    state: added.has(rule.id) ? 'added' : changed.has(rule.id) ? 'changed' : moved.has(rule.id) ? 'moved' : 'same',
    cells: changed.get(rule.id) ?? [],
  }));
  for (const r of [...diff.rules.removed].sort((a, b) => a.index - b.index)) rows.splice(Math.min(r.index, rows.length), 0, { rule: r.rule, state: 'removed', cells: [] });
  const body = h('tbody');
  let skipped = 0;
  const flush = (): void => {
    if (skipped > 0) body.append(h('tr', { class: 'diff-skip' }, h('td', { colspan: String(inputs.length + outputs.length + 2), class: 'muted small' }, t('diff.unchanged', { n: skipped }))));
    skipped = 0;
  };
  for (const row of rows) {
    if (row.state === 'same') {
      skipped++;
      continue;
    }
    flush();
    const changedCell = (kind: 'when' | 'then' | 'note' | 'sources', name?: string): CellChange | undefined =>
      row.cells.find((c) => c.kind === kind && (kind === 'note' || kind === 'sources' || c.name === name));
    const cell = (kind: 'when' | 'then', name: string): HTMLElement => {
      const c = changedCell(kind, name);
      return h(
        'td',
        { class: c ? 'cell-changed' : undefined },
        c ? [h('del', { class: 'diff-old' }, c.from ?? (kind === 'when' ? '-' : '')), ' ', h('ins', { class: 'diff-new' }, c.to ?? (kind === 'when' ? '-' : ''))] : h('span', { class: 'mono' }, cellText(row.rule, kind, name)),
      );
    };
    const note = changedCell('note');
    // A change of the rule's sources is shown under its note: both are the rule's reasoning.
    const sources = changedCell('sources');
    body.append(
      h(
        'tr',
        { class: `diff-${row.state}`, dataset: { rule: row.rule.id } },
        h('th', { scope: 'row' }, row.rule.id, h('div', { class: 'small' }, t(`diff.${row.state}`))),
        inputs.map((c) => cell('when', c.name)),
        outputs.map((c) => cell('then', c.name)),
        h(
          'td',
          { class: note || sources ? 'cell-changed' : 'small' },
          note ? [h('del', { class: 'diff-old' }, note.from ?? ''), ' ', h('ins', { class: 'diff-new' }, note.to ?? '')] : (row.rule.note ?? ''),
          sources
            ? h('div', { class: 'small diff-sources' }, `${t('table.sources')}: `, h('del', { class: 'diff-old' }, sources.from ?? ''), ' ', h('ins', { class: 'diff-new' }, sources.to ?? ''))
            : null,
        ),
      ),
    );
  }
  flush();
  wrap.append(
    h(
      'div',
      // A scrolling region must be reachable with the keyboard.
      { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('diff.title') },
      h(
        'table',
        { class: 'data compact diff-table', id: 'diff-table' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('grid.rule')), inputs.map((c) => h('th', { scope: 'col', class: 'th-in' }, c.label ?? c.name)), outputs.map((c) => h('th', { scope: 'col', class: 'th-out' }, c.label ?? c.name)), h('th', { scope: 'col' }, t('grid.note')))),
        body,
      ),
    ),
  );
  return wrap;
}

export async function diffPanel(s: TableSession): Promise<{ el: HTMLElement }> {
  if (!s.detail) await s.refreshDetail();
  const versions = s.detail?.versions ?? [];
  const options = (selected: string): HTMLOptionElement[] => [
    ...versions.map((v) => h('option', { value: String(v.version), selected: selected === String(v.version) }, t('diff.version', { n: v.version }))),
    h('option', { value: 'draft', selected: selected === 'draft' }, t('diff.draft')),
  ];
  const last = versions.at(-1);
  const from = h('select', { id: 'diff-from' }, ...options(last ? String(last.version) : 'draft'));
  const to = h('select', { id: 'diff-to' }, ...options('draft'));
  const out = h('div', { 'aria-live': 'polite' });
  const show = async (): Promise<void> => {
    clear(out, h('p', { role: 'status' }, t('common.loading')));
    try {
      const [diff, toTable, fromTable] = await Promise.all([api.diff(s.id, from.value, to.value), tableAt(s, to.value), tableAt(s, from.value)]);
      clear(out, renderDiff(diff, toTable, fromTable));
    } catch (err) {
      clear(out, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
    }
  };
  const el = h(
    'section',
    { class: 'card', 'aria-labelledby': 'diff-title' },
    h('h2', { id: 'diff-title' }, t('diff.title')),
    versions.length === 0 ? h('p', { class: 'muted' }, t('diff.noVersions')) : null,
    h(
      'form',
      { class: 'inline-form', onsubmit: (e: Event) => (e.preventDefault(), void show()) },
      h('label', { for: 'diff-from' }, t('diff.from')),
      from,
      h('label', { for: 'diff-to' }, t('diff.to')),
      to,
      h('button', { type: 'submit', class: 'primary' }, t('diff.show')),
    ),
    s.dirty() ? h('p', { class: 'unsaved' }, '● ', t('appr.unsaved')) : null,
    out,
  );
  if (versions.length > 0) void show();
  return { el };
}
