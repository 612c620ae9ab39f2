// The comment thread of a draft under review, with a form for authors and approvers (each comment is audited).
import { api } from '../api.ts';
import { clear, h } from '../dom.ts';
import { formatDateTime, t } from '../i18n/index.ts';
import { supports } from '../capabilities.ts';
import { hasRole } from '../session.ts';
import { errorText } from '../views/errors.ts';
import type { TableSession } from './session.ts';

/** The comment thread of the draft, with a form for authors and approvers. */
export function commentsCard(s: TableSession, rerender: () => Promise<void>): HTMLElement | null {
  const draft = s.draft;
  if (!draft?.revision) return null;
  const comments = draft.comments ?? [];
  const text = h('textarea', { id: 'comment-text', rows: '2' });
  const out = h('div', { 'aria-live': 'polite' });
  const canComment = hasRole('editor', 'approver') && supports('post', '/api/v1/tables/{id}/draft/comments');
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'comments-title', id: 'comments' },
    h('h2', { id: 'comments-title' }, t('appr.comments')),
    comments.length === 0
      ? h('p', { class: 'muted' }, t('appr.noComments'))
      : h(
          'ol',
          { class: 'comments', id: 'comment-list' },
          comments.map((c) => h('li', null, h('p', { class: 'muted small' }, t('appr.commentBy', { name: c.author, date: formatDateTime(c.at), revision: c.revision })), h('p', { class: 'comment-text' }, c.text))),
        ),
    canComment
      ? h(
          'form',
          {
            class: 'form-stack',
            onsubmit: async (e: Event) => {
              e.preventDefault();
              if (!text.value.trim()) {
                text.focus();
                return;
              }
              try {
                await api.comment(s.id, text.value.trim());
                await s.reload();
                await rerender();
              } catch (err) {
                clear(out, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
              }
            },
          },
          h('label', { for: 'comment-text' }, t('appr.comment')),
          text,
          h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'comment-post' }, t('appr.addComment'))),
          out,
        )
      : null,
  );
}

