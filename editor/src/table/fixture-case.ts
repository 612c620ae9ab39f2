// One test case of the Testgevallen panel as a list item: its name, verdict and date, its input in one line, expected
// vs actual (a table when it failed), the error and the matched rules, and the edit, duplicate and delete buttons.
import type { FixtureCase } from '../api.ts';
import { h } from '../dom.ts';
import { formatDate, t } from '../i18n/index.ts';
import { comparison, inputLine, type CaseOutcome } from './fixtures-state.ts';
import type { TableSession } from './session.ts';

export interface CaseActions {
  edit(index: number): void;
  duplicate(index: number): void;
  remove(index: number, name: string): void;
}

export function caseItem(s: TableSession, c: FixtureCase, i: number, o: CaseOutcome | null, actions: CaseActions): HTMLElement {
  const name = c.name ?? `#${i + 1}`;
  const rows = comparison(s, c, o);
  const failed = o !== null && !o.pass;
  return h(
    'li',
    { class: `fx-case${o ? (o.pass ? ' fx-pass' : ' fx-fail') : ''}`, dataset: { case: String(i) } },
    h(
      'div',
      { class: 'fx-case-head' },
      h('strong', { class: 'fx-case-name', tabindex: '-1' }, name),
      o ? h('span', { class: `pill ${o.pass ? 'pill-ok' : 'pill-danger'} fx-verdict` }, o.pass ? t('fx.passed') : t('fx.failed')) : null,
      c.date ? h('span', { class: 'muted small' }, formatDate(c.date)) : null,
    ),
    c.note ? h('p', { class: 'muted small fx-case-note' }, String(c.note)) : null,
    h('p', { class: 'small fx-case-input' }, h('span', { class: 'muted' }, `${t('fx.input')}: `), inputLine(s, c)),
    rows.length === 0
      ? h('p', { class: 'muted small' }, t('fx.nothingChecked'))
      : failed
        ? h(
            'table',
            { class: 'data compact fx-compare' },
            h('caption', { class: 'sr-only' }, t('fx.compareCaption', { name })),
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('fx.col.outcome')), h('th', { scope: 'col' }, t('fx.expect')), h('th', { scope: 'col' }, t('fx.actual')))),
            h(
              'tbody',
              null,
              rows.map((r) =>
                h(
                  'tr',
                  { class: r.same ? undefined : 'fx-mismatch' },
                  h('th', { scope: 'row' }, r.field),
                  h('td', { class: 'fx-expected' }, r.expected),
                  h('td', { class: 'fx-actual' }, r.actual, r.same ? null : h('span', { class: 'sr-only' }, ` (${t('fx.mismatch')})`), r.same ? null : h('span', { 'aria-hidden': 'true' }, ' ✗')),
                ),
              ),
            ),
          )
        : h('p', { class: 'small fx-case-expect' }, h('span', { class: 'muted' }, `${t('fx.expect')}: `), rows.map((r) => `${r.field}: ${r.expected}`).join(' · ')),
    o && o.error && !c.expectError ? h('p', { class: 'small form-error' }, o.error) : null,
    o && o.matched.length > 0 ? h('p', { class: 'muted small' }, t('fx.matched', { rules: o.matched.join(', ') })) : null,
    s.model.readonly
      ? null
      : h(
          'div',
          { class: 'fx-case-actions' },
          h('button', { type: 'button', class: 'small fx-edit', onclick: () => actions.edit(i), 'aria-label': `${t('fx.edit')}: ${name}` }, t('fx.edit')),
          h('button', { type: 'button', class: 'small fx-duplicate', onclick: () => actions.duplicate(i), 'aria-label': `${t('fx.duplicate')}: ${name}` }, t('fx.duplicate')),
          h(
            'button',
            {
              type: 'button',
              class: 'small danger fx-delete',
              'aria-label': `${t('fx.delete')}: ${name}`,
              onclick: () => actions.remove(i, name),
            },
            t('fx.delete'),
          ),
        ),
  );
}
