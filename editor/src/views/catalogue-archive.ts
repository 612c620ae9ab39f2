// The catalogue's part for archiving: archived tables listed apart from the active ones (they still answer earlier
// dates, so they stay findable), and for approvers the archive requests of others waiting for them (four eyes).
import type { TableSummary } from '../api.ts';
import { h } from '../dom.ts';
import { formatDate, t, todayIso } from '../i18n/index.ts';
import { href } from '../router.ts';
import { currentUser, hasRole } from '../session.ts';

/** A table with an approved archive that no later version revived: listed under "Gearchiveerd". */
export function isArchived(s: TableSummary): boolean {
  return Boolean(s.archive);
}

/** The archived tables (section hidden when there are none) and, for approvers, the archive requests waiting. */
export function archiveSections(all: readonly TableSummary[]): HTMLElement {
  const me = currentUser()?.username ?? '';
  const archived = all.filter(isArchived);
  const waiting = hasRole('approver') ? all.filter((s) => s.archiveRequest && s.archiveRequest.requestedBy !== me) : [];
  const today = todayIso();
  return h(
    'div',
    { class: 'archive-sections' },
    waiting.length > 0
      ? h(
          'section',
          { class: 'card inbox', id: 'archive-inbox', 'aria-labelledby': 'archive-inbox-title' },
          h('h2', { id: 'archive-inbox-title' }, `${t('cat.archiveRequests')} (${waiting.length})`),
          h(
            'ul',
            null,
            waiting.map((s) =>
              h(
                'li',
                { dataset: { table: s.id } },
                h('a', { href: href({ name: 'table', id: s.id, tab: 'archive' }) }, t('cat.archiveRequestItem', { title: s.title, date: formatDate(s.archiveRequest!.validFrom), name: s.archiveRequest!.requestedBy })),
              ),
            ),
          ),
        )
      : null,
    archived.length > 0
      ? h(
          'section',
          { class: 'archived-tables', id: 'archived-tables', 'aria-labelledby': 'archived-title' },
          h('h2', { id: 'archived-title' }, `${t('cat.archived')} (${archived.length})`),
          h('p', { class: 'muted' }, t('cat.archivedIntro')),
          h(
            'ul',
            { class: 'archived-list' },
            archived.map((s) =>
              h(
                'li',
                { dataset: { table: s.id } },
                h('a', { href: href({ name: 'table', id: s.id, tab: 'archive' }) }, s.title),
                ' ',
                h('span', { class: 'muted small mono' }, s.id),
                ' ',
                h('span', { class: 'pill pill-archived' }, `${t('cat.archived')} ${t(s.archive!.validFrom <= today ? 'cat.archivedSince' : 'cat.archivedFrom', { date: formatDate(s.archive!.validFrom) })}`),
              ),
            ),
          ),
        )
      : null,
  );
}
