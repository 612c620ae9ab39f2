// The admin screen (beheer, for administrators): users, API tokens and the audit trail, one tab each
// (#/admin/users, #/admin/tokens, #/admin/audit). Only for the role admin: anyone else gets a message and the
// screen makes no requests (they could only answer 403).
import { h, clear } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { href, type AdminTab, type Route } from '../router.ts';
import { currentUser, openServer } from '../session.ts';
import type { View } from '../view.ts';
import { auditPanel } from './admin-audit.ts';
import { roleLabel } from './admin-common.ts';
import { tokensPanel } from './admin-tokens.ts';
import { usersPanel } from './admin-users.ts';

const TABS: { key: AdminTab; label: () => string }[] = [
  { key: 'users', label: () => t('admin.tab.users') },
  { key: 'tokens', label: () => t('admin.tab.tokens') },
  { key: 'audit', label: () => t('admin.tab.audit') },
];

/** True when the logged-in user may use the admin screen. */
export function isAdmin(): boolean {
  const me = currentUser();
  return Boolean(me && !openServer() && me.roles.includes('admin'));
}

export function adminView(route: Extract<Route, { name: 'admin' }>): View {
  const title = h('h1', { id: 'admin-title' }, t('admin.title'));
  if (!isAdmin()) {
    const me = currentUser();
    return {
      title: t('admin.title'),
      el: h(
        'section',
        { class: 'page admin-page', 'aria-labelledby': 'admin-title' },
        title,
        h(
          'div',
          { class: 'banner banner-danger', role: 'alert', id: 'admin-denied' },
          h('p', null, h('strong', null, t('admin.denied'))),
          h('p', null, openServer() || !me ? t('admin.deniedOpen') : t('admin.deniedRoles', { name: me.username, roles: me.roles.map(roleLabel).join(', ') || '—' })),
          h('p', null, h('a', { href: href({ name: 'catalogue' }) }, t('admin.backToCatalogue'))),
        ),
      ),
    };
  }

  const nav = h('nav', { class: 'tabs', 'aria-label': t('admin.tabs') });
  const body = h('div', { class: 'tab-body', id: 'admin-body' });
  let current: AdminTab | null = null;

  const show = (tab: AdminTab): void => {
    clear(
      nav,
      TABS.map((x) => h('a', { class: x.key === tab ? 'tab active' : 'tab', href: href({ name: 'admin', tab: x.key }), 'aria-current': x.key === tab ? 'page' : undefined, dataset: { tab: x.key } }, x.label())),
    );
    if (tab === current) return;
    current = tab;
    clear(body, tab === 'users' ? usersPanel() : tab === 'tokens' ? tokensPanel() : auditPanel());
  };
  show(route.tab);

  return {
    title: t('admin.title'),
    el: h('section', { class: 'page admin-page', 'aria-labelledby': 'admin-title' }, h('div', { class: 'page-title' }, title), h('p', { class: 'muted' }, t('admin.intro')), nav, body),
    // Another tab of the admin screen: swap the panel in place (the header and the page stay).
    update: (next: Route) => {
      if (next.name !== 'admin') return false;
      show(next.tab);
      document.title = `${t('admin.title')} — ${TABS.find((x) => x.key === next.tab)!.label()} — ${t('app.name')}`;
      return true;
    },
  };
}
