// Versions of a table: valid from, adopted on, author, approver, note; open any version read-only; which version
// applied on a case date, as known on a given day (the two clocks of docs/architecture.md). An archive is a row of
// the same timeline (from its date, who asked, who approved, why), and the date question honours it as evaluate does;
// a request still waiting for a second person is said above the table.
import { clear, h } from '../dom.ts';
import { formatDate, formatDateTime, systemText, t, todayIso } from '../i18n/index.ts';
import { href } from '../router.ts';
import { isoValue, temporalField } from '../date-input.ts';
import { request, type VersionMeta } from '../api.ts';
import { supports } from '../capabilities.ts';
import { archiveInForce, selectVersion } from '../../../server/engine/versions.ts';
import type { ArchiveMark, ArchiveRequestView } from './archive.ts';
import type { TableSession } from './session.ts';

/**
 * The version a case dated `date` gets, considering only versions published by `asOf` (a date: the end of that day in
 * Amsterdam): the engine's rule, as the server applies it.
 */
export function chooseVersion(versions: VersionMeta[], date: string, asOf?: string): VersionMeta | null {
  return selectVersion(versions, { date, ...(asOf ? { asOf } : {}) }) ?? null;
}

/** The table's archive marks and a waiting request (GET …/archive, readable by everyone who reads the table). */
async function archiveState(id: string): Promise<{ archives: ArchiveMark[]; request: ArchiveRequestView | null }> {
  if (!supports('get', '/api/v1/tables/{id}/archive')) return { archives: [], request: null };
  const { data } = await request<{ archives?: ArchiveMark[]; request?: ArchiveRequestView | null }>('GET', `/api/v1/tables/${encodeURIComponent(id)}/archive`, {
    endpoint: '/api/v1/tables/{id}/archive',
  });
  return { archives: data.archives ?? [], request: data.request ?? null };
}

type Row = { kind: 'version'; v: VersionMeta } | { kind: 'archive'; a: ArchiveMark };

export async function historyPanel(s: TableSession): Promise<{ el: HTMLElement }> {
  const [, archived] = await Promise.all([s.refreshDetail(), archiveState(s.id)]);
  const versions = [...(s.detail?.versions ?? [])].sort((a, b) => b.version - a.version);
  const archives = archived.archives;
  const archivedOn = (date: string, asOf?: string) => archiveInForce(versions, archives, { date, ...(asOf ? { asOf } : {}) });
  const current = archivedOn(todayIso()) ? null : chooseVersion(versions, todayIso());
  // Newest first, by the date each begins; an archive after the version it ends.
  const rows: Row[] = [...versions.map((v): Row => ({ kind: 'version', v })), ...archives.map((a): Row => ({ kind: 'archive', a }))].sort((x, y) => {
    const from = (r: Row) => (r.kind === 'version' ? r.v.validFrom : r.a.validFrom);
    const at = (r: Row) => (r.kind === 'version' ? r.v.publishedAt : r.a.publishedAt) ?? '';
    return from(y).localeCompare(from(x)) || at(y).localeCompare(at(x));
  });
  const pending = archived.request;
  const dateField = temporalField({ id: 'hist-date', value: todayIso() });
  const asOfField = temporalField({ id: 'hist-asof' });
  const date = dateField.input;
  const asOf = asOfField.input;
  const answer = h('p', { 'aria-live': 'polite', id: 'hist-answer' });
  const el = h(
    'section',
    { class: 'card', 'aria-labelledby': 'hist-title' },
    h('h2', { id: 'hist-title' }, t('hist.title')),
    pending
      ? h('p', { class: 'banner banner-info', id: 'hist-archive-request' }, t('hist.archiveRequest', { date: formatDate(pending.validFrom), name: pending.requestedBy, at: formatDateTime(pending.requestedAt) }))
      : null,
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
            rows.map((row) => {
              if (row.kind === 'archive') {
                const a = row.a;
                return h(
                  'tr',
                  { class: 'archive-row', dataset: { archive: a.validFrom } },
                  h('td', null, h('span', { class: 'pill pill-readonly' }, t('hist.archived'))),
                  h('td', null, formatDate(a.validFrom)),
                  h('td', null, formatDateTime(a.publishedAt)),
                  h('td', null, a.requestedBy),
                  h('td', null, a.approvedBy),
                  h('td', null, a.note),
                  h('td', null, h('span', { class: 'muted small' }, t('hist.archiveMeaning'))),
                );
              }
              const v = row.v;
              return h(
                'tr',
                { class: v.version === s.version ? 'current-row' : undefined },
                h('td', { class: 'num' }, v.version, current?.version === v.version ? h('span', { class: 'pill pill-ok' }, t('hist.current')) : null),
                h('td', null, formatDate(v.validFrom)),
                h('td', null, formatDateTime(v.publishedAt)),
                h('td', null, v.author),
                h('td', null, v.approvedBy ?? ''),
                h('td', null, systemText(v.note ?? '')),
                h('td', null, h('a', { href: href({ name: 'table', id: s.id, tab: 'grid', version: v.version }) }, t('hist.open'))),
              );
            }),
          ),
        ),
    h('h3', null, t('hist.evalTitle')),
    h(
      'form',
      {
        class: 'inline-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          const day = isoValue(date) || todayIso();
          const known = isoValue(asOf) || undefined;
          const mark = archivedOn(day, known);
          const v = chooseVersion(versions, day, known);
          clear(
            answer,
            mark
              ? t('hist.evalArchived', { date: formatDate(day), since: formatDate(mark.validFrom) })
              : v
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
