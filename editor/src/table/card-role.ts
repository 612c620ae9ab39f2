// What the user may do with this table, said before they try: a viewer learns the editor is read-only and why; an
// approver learns that a submitted draft waits for them (with the way to the approval tab), that their own work is
// decided by someone else (four eyes), or, without editor rights, that they read and decide but do not change. An
// editor learns that a submitted draft changes only after it is withdrawn.
import { clear, h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { href } from '../router.ts';
import { currentUser, hasRole } from '../session.ts';
import type { TableSession } from './session.ts';

export type RoleSituation =
  | { kind: 'none' }
  | { kind: 'viewer' }
  | { kind: 'approver-waiting'; by: string; viewOnly: boolean }
  | { kind: 'approver-own' }
  | { kind: 'approver-idle' }
  | { kind: 'submitted' };

/** Which note the table page shows for this user and draft; a published version shown read-only says so itself. */
export function roleSituation(s: TableSession): RoleSituation {
  if (s.readonly) return { kind: 'none' };
  const approver = hasRole('approver') && !currentUser()?.open;
  const draft = s.draft;
  const submitted = Boolean(draft?.revision && draft.status === 'submitted');
  if (!approver) return s.viewOnly ? { kind: 'viewer' } : submitted ? { kind: 'submitted' } : { kind: 'none' };
  const me = currentUser()?.username ?? '';
  if (draft?.revision && draft.status === 'submitted') {
    const own = draft.submittedBy === me || (draft.editors ?? []).includes(me);
    return own ? { kind: 'approver-own' } : { kind: 'approver-waiting', by: draft.submittedBy ?? '?', viewOnly: s.viewOnly };
  }
  return s.viewOnly ? { kind: 'approver-idle' } : { kind: 'none' };
}

export interface RoleNote {
  el: HTMLElement;
  render: () => void;
}

export function roleNote(s: TableSession): RoleNote {
  const el = h('div', { class: 'role-note' });
  let drawn = '';
  const render = (): void => {
    const situation = roleSituation(s);
    const key = JSON.stringify(situation);
    if (key === drawn) return;
    drawn = key;
    const review = (): HTMLElement =>
      h('a', { class: 'button primary', id: 'approver-review-link', href: href({ name: 'table', id: s.id, tab: 'approval' }) }, t('role.approver.review'));
    switch (situation.kind) {
      case 'none':
        return clear(el);
      case 'viewer':
        // Said before anyone tries: a viewer sees the table, with no save to be refused later.
        return clear(el, h('p', { class: 'banner banner-info', id: 'view-only-note' }, t('table.viewOnly.note')));
      case 'approver-waiting':
        return clear(
          el,
          h(
            'div',
            { class: 'banner banner-warn role-banner', id: 'role-note' },
            h('p', null, h('strong', null, t('role.approver.waiting', { name: situation.by }))),
            situation.viewOnly ? h('p', { class: 'small' }, t('role.approver.noEdit')) : null,
            review(),
          ),
        );
      case 'approver-own':
        return clear(el, h('p', { class: 'banner banner-info', id: 'role-note' }, t('role.approver.own')));
      case 'submitted':
        return clear(el, h('p', { class: 'banner banner-info', id: 'role-note' }, t('role.submitted')));
      case 'approver-idle':
        return clear(el, h('p', { class: 'banner banner-info', id: 'role-note' }, t('role.approver.idle')));
    }
  };
  render();
  return { el, render };
}
