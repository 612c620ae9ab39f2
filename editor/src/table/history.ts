// Versions of a table: valid from, adopted on, author, approver, note; open any version read-only; which version
// applied on a case date, as known on a given day (the two clocks of docs/architecture.md).
import { clear, h } from '../dom.ts';
import { formatDate, formatDateTime, systemText, t, todayIso } from '../i18n/index.ts';
import { href } from '../router.ts';
import { isoValue, temporalField } from '../date-input.ts';
import type { VersionMeta } from '../api.ts';
import { selectVersion } from '../../../server/engine/versions.ts';
import type { TableSession } from './session.ts';

/**
 * The version a case dated `date` gets, considering only versions published by `asOf` (a date: the end of that day in
 * Amsterdam): the engine's rule, as the server applies it.
 */
export function chooseVersion(versions: VersionMeta[], date: string, asOf?: string): VersionMeta | null {
  return selectVersion(versions, { date, ...(asOf ? { asOf } : {}) }) ?? null;
}

export async function historyPanel(s: TableSession): Promise<{ el: HTMLElement }> {
  await s.refreshDetail();
  const versions = [...(s.detail?.versions ?? [])].sort((a, b) => b.version - a.version);
  const current = chooseVersion(versions, todayIso());
  const dateField = temporalField({ id: 'hist-date', value: todayIso() });
  const asOfField = temporalField({ id: 'hist-asof' });
  const date = dateField.input;
  const asOf = asOfField.input;
  const answer = h('p', { 'aria-live': 'polite', id: 'hist-answer' });
  const el = h(
    'section',
    { class: 'card', 'aria-labelledby': 'hist-title' },
    h('h2', { id: 'hist-title' }, t('hist.title')),
    versions.length === 0
      ? h('p', { class: 'muted' }, t('hist.none'))
      : h(
          'table',
          { class: 'data', id: 'hist-table' },
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ...(['hist.version', 'hist.validFrom', 'hist.publishedAt', 'hist.author', 'hist.approver', 'hist.note'] as const).map((k) => h('th', { scope: 'col' }, t(k))),
              h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('hist.open'))),
            ),
          ),
          h(
            'tbody',
            null,
            versions.map((v) =>
              h(
                'tr',
                { class: v.version === s.version ? 'current-row' : undefined },
                h('td', { class: 'num' }, v.version, current?.version === v.version ? h('span', { class: 'pill pill-ok' }, t('hist.current')) : null),
                h('td', null, formatDate(v.validFrom)),
                h('td', null, formatDateTime(v.publishedAt)),
                h('td', null, v.author),
                h('td', null, v.approvedBy ?? ''),
                h('td', null, systemText(v.note ?? '')),
                h('td', null, h('a', { href: href({ name: 'table', id: s.id, tab: 'grid', version: v.version }) }, t('hist.open'))),
              ),
            ),
          ),
        ),
    h('h3', null, t('hist.evalTitle')),
    h(
      'form',
      {
        class: 'inline-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const v = chooseVersion(versions, isoValue(date) || todayIso(), isoValue(asOf) || undefined);
          clear(
            answer,
            v
              ? [t('hist.evalResult', { date: formatDate(isoValue(date) || todayIso()), n: v.version, validFrom: formatDate(v.validFrom) }), ' ', h('a', { href: href({ name: 'table', id: s.id, tab: 'simulate', version: v.version }) }, t('tab.simulate'))]
              : t('hist.evalNone', { date: formatDate(isoValue(date) || todayIso()) }),
          );
        },
      },
      h('label', { for: 'hist-date' }, t('hist.caseDate')),
      dateField.el,
      h('label', { for: 'hist-asof' }, t('hist.asOf')),
      asOfField.el,
      h('button', { type: 'submit' }, t('hist.evalShow')),
    ),
    answer,
  );
  return { el };
}
