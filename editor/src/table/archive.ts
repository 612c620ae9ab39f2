// The Archiveren tab: ask to archive the table from a date (an editor), approve or reject the request (an approver who
// did not ask: four eyes, checked again by the server), withdraw one's own request, and see an archive in force. An
// archived table keeps answering case dates before the archive date; from that date on it gives no decision.
import { ApiError, request } from '../api.ts';
import { announce, clear, h } from '../dom.ts';
import { formatDate, formatDateTime, problemText as fieldProblemText, t, todayIso, type MessageKey } from '../i18n/index.ts';
import { currentUser, mayApprove, mayEdit } from '../session.ts';
import { confirmDialog } from '../views/admin-common.ts';
import { errorText } from '../views/errors.ts';
import { isoValue, temporalField } from '../date-input.ts';
import type { TableSession } from './session.ts';

export interface ArchiveMark {
  id: number;
  validFrom: string;
  publishedAt: string;
  requestedBy: string;
  approvedBy: string;
  note: string;
}

export interface ArchiveRequestView {
  revision: number;
  validFrom: string;
  note: string;
  requestedAt: string;
  requestedBy: string;
}

interface ArchiveState {
  archive: ArchiveMark | null;
  request: ArchiveRequestView | null;
}

const enc = encodeURIComponent;

const FIELDS: Record<string, MessageKey> = { '/validFrom': 'arch.date', '/note': 'arch.note', '/reason': 'arch.rejectReason' };

/** A refusal in words: the fields the server named with what is wrong with each (its codes), else errorText. */
function problemText(err: unknown): string {
  if (err instanceof ApiError && err.code === 'FOUR_EYES') return t('arch.fourEyes');
  if (err instanceof ApiError && err.details.length > 0 && err.details.every((d) => FIELDS[d.path])) {
    return t('arch.refused', { problems: err.details.map((d) => `${t(FIELDS[d.path]!)}: ${fieldProblemText(d)}`).join('; ') });
  }
  return errorText(err);
}

export async function archivePanel(s: TableSession): Promise<{ el: HTMLElement }> {
  const el = h('section', { class: 'archive-panel', 'aria-labelledby': 'archive-title' });
  const base = `/api/v1/tables/${enc(s.id)}/archive`;

  const render = async (): Promise<void> => {
    const { data } = await request<ArchiveState>('GET', base, { endpoint: '/api/v1/tables/{id}/archive' });
    const me = currentUser()?.username ?? '';
    const error = h('div', { class: 'form-error', role: 'alert', id: 'archive-error' });
    const act = async (fn: () => Promise<unknown>, done: string): Promise<void> => {
      error.textContent = '';
      try {
        await fn();
        announce(done, 'ok');
        await render();
      } catch (err) {
        error.textContent = problemText(err);
      }
    };
    const parts: (HTMLElement | null)[] = [h('h2', { id: 'archive-title' }, t('arch.title')), h('p', { class: 'muted' }, t('arch.intro'))];

    if (data.archive) {
      const a = data.archive;
      const inForce = a.validFrom <= todayIso();
      parts.push(
        h(
          'div',
          { class: 'banner banner-warn', id: 'archive-state', role: 'status' },
          h('p', null, h('strong', null, t(inForce ? 'arch.archivedSince' : 'arch.archivedFrom', { date: formatDate(a.validFrom) }))),
          h('p', null, t('arch.approvedBy', { requester: a.requestedBy, approver: a.approvedBy, date: formatDateTime(a.publishedAt) })),
          h('p', null, h('strong', null, `${t('arch.note')}: `), a.note),
          h('p', { class: 'small' }, t('arch.meaning', { date: formatDate(a.validFrom) })),
        ),
      );
    } else if (data.request) {
      const r = data.request;
      const mine = r.requestedBy === me;
      const reason = h('textarea', { id: 'archive-reject-reason', rows: 2 });
      parts.push(
        h(
          'div',
          { class: 'card', id: 'archive-request' },
          h('h3', null, t('arch.request')),
          h('p', null, t('arch.requestedBy', { name: r.requestedBy, at: formatDateTime(r.requestedAt), date: formatDate(r.validFrom) })),
          h('p', { id: 'archive-request-note' }, h('strong', null, `${t('arch.note')}: `), r.note),
          mine ? h('p', { class: 'muted', id: 'archive-own' }, t('arch.ownRequest')) : null,
          mine
            ? h('button', { type: 'button', id: 'archive-withdraw', onclick: () => void act(() => request('POST', `${base}/withdraw`), t('arch.withdrawn')) }, t('arch.withdraw'))
            : null,
          !mine && !mayApprove() ? h('p', { class: 'muted', id: 'archive-not-approver' }, t('arch.notApprover')) : null,
          mayApprove() && !mine
            ? h(
                'div',
                { class: 'archive-decide' },
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'primary',
                    id: 'archive-approve',
                    onclick: async () => {
                      const ok = await confirmDialog(t('arch.approve'), t('arch.confirm', { title: s.model.table.title, date: formatDate(r.validFrom) }), t('arch.approve'));
                      if (ok) await act(() => request('POST', `${base}/approve`, { body: { revision: r.revision } }), t('arch.approved', { date: formatDate(r.validFrom) }));
                    },
                  },
                  t('arch.approve'),
                ),
                h('label', { for: 'archive-reject-reason' }, t('arch.rejectReason')),
                reason,
                h(
                  'button',
                  {
                    type: 'button',
                    id: 'archive-reject',
                    onclick: () => {
                      if (reason.value.trim() === '') {
                        error.textContent = t('arch.rejectNeedsReason');
                        reason.focus();
                        return;
                      }
                      void act(() => request('POST', `${base}/reject`, { body: { revision: r.revision, reason: reason.value.trim() } }), t('arch.rejected'));
                    },
                  },
                  t('arch.reject'),
                ),
              )
            : null,
        ),
      );
    } else if (mayEdit() && !s.viewOnly) {
      // dd-mm-jjjj, not the browser's picker (issue 20 point 3); a date before today the server refuses with its reason.
      const dateField = temporalField({ id: 'archive-date', required: true });
      const date = dateField.input;
      const note = h('textarea', { id: 'archive-note', rows: 3, required: true });
      parts.push(
        h('h3', null, t('arch.ask')),
        h(
          'form',
          {
            class: 'form-grid card',
            id: 'archive-form',
            onsubmit: (e: Event) => {
              e.preventDefault();
              void act(() => request('POST', base, { body: { validFrom: isoValue(date), note: note.value.trim() } }), t('arch.requested'));
            },
          },
          h('label', { for: 'archive-date' }, t('arch.date')),
          h('div', null, dateField.el, h('p', { class: 'help' }, t('arch.dateHelp'))),
          h('label', { for: 'archive-note' }, t('arch.note')),
          note,
          h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), h('button', { type: 'submit', class: 'primary', id: 'archive-submit' }, t('arch.submit'))),
        ),
      );
    } else {
      parts.push(h('p', { id: 'archive-state' }, t('arch.notArchived')));
      // An approver without the editor role decides on requests but does not make them: said, not a form refused later.
      if (mayApprove()) parts.push(h('p', { class: 'muted', id: 'archive-approver-only' }, t('arch.approverOnly')));
    }
    parts.push(error);
    clear(el, ...parts);
  };

  try {
    await render();
  } catch (err) {
    clear(el, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
  }
  return { el };
}
