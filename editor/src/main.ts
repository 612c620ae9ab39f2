// The editor's entry point: app shell, session, routing and the language switch.
import './styles.css';
import { api, onUnauthenticated } from './api.ts';
import { clear, h } from './dom.ts';
import { lang, onLangChange, setLang, t } from './i18n/index.ts';
import { navigate, parseRoute, type Route } from './router.ts';
import { currentUser, loadSession, openServer, setUser } from './session.ts';
import { installValidationMessages } from './validation.ts';
import type { View } from './view.ts';
import { adminView, isAdmin } from './views/admin.ts';
import { catalogueView } from './views/catalogue.ts';
import { loginView } from './views/login.ts';
import { passwordView } from './views/password.ts';
import { tableView } from './views/table.ts';

const root = document.getElementById('app')!;
installValidationMessages();
let view: View | null = null;
let currentHash = '';
let renderToken = 0;

function header(): HTMLElement {
  const user = currentUser();
  return h(
    'header',
    { class: 'app-header' },
    h('a', { class: 'skip-link', href: '#main', onclick: (e: Event) => (e.preventDefault(), document.getElementById('main')?.focus()) }, t('app.skip')),
    h('a', { class: 'brand', href: '#/' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, '◧'), ' ', t('app.name')),
    user
      ? h(
          'nav',
          { 'aria-label': t('app.name'), class: 'app-nav' },
          h('a', { href: '#/' }, t('nav.catalogue')),
          // Beheer (users, tokens, audit trail): only for the role admin.
          isAdmin() ? h('a', { href: '#/admin/users', id: 'nav-admin' }, t('admin.nav')) : null,
        )
      : null,
    h('span', { class: 'spacer' }),
    user
      ? h('span', { class: 'user', id: 'current-user', title: t('nav.roles', { roles: user.roles.join(', ') }) }, openServer() ? t('nav.open') : t('nav.loggedInAs', { name: user.username }))
      : null,
    h(
      'button',
      { type: 'button', class: 'link-button', lang: lang() === 'nl' ? 'en' : 'nl', 'aria-label': t('lang.switch.label'), onclick: () => setLang(lang() === 'nl' ? 'en' : 'nl') },
      t('lang.switch'),
    ),
    user && !openServer()
      ? h(
          'button',
          {
            type: 'button',
            class: 'link-button',
            onclick: async () => {
              try {
                await api.logout();
              } catch {
                /* the session is gone either way */
              }
              setUser(null);
              navigate({ name: 'login' });
            },
          },
          t('nav.logout'),
        )
      : null,
  );
}

async function render(force = false): Promise<void> {
  const hash = location.hash || '#/';
  if (!force && hash === currentHash) return;
  const route: Route = parseRoute(hash);
  if (!force && view?.update?.(route)) {
    currentHash = hash;
    return;
  }
  if (!force && view?.dirty?.() && !window.confirm(t('table.leave'))) {
    history.replaceState(null, '', currentHash);
    return;
  }
  currentHash = hash;
  const token = ++renderToken;
  if (route.name !== 'login' && !currentUser()) {
    await loadSession();
    if (token !== renderToken) return;
    if (!currentUser()) {
      navigate({ name: 'login', next: hash.replace(/^#/, '') }, true);
      return;
    }
  }
  view?.destroy?.();
  view = null;
  const main = h('main', { id: 'main', tabindex: '-1' });
  clear(root, header(), main);
  let next: View;
  // A temporary password (set by an administrator) opens nothing but the form to choose one's own.
  const mustChange = route.name !== 'login' && currentUser()?.mustChangePassword === true;
  if (mustChange) next = passwordView(() => void render(true));
  else switch (route.name) {
    case 'login':
      next = loginView(route.next);
      break;
    case 'catalogue':
      next = catalogueView();
      break;
    case 'table':
      next = tableView(route);
      break;
    case 'admin':
      next = adminView(route);
      break;
  }
  view = next;
  main.append(next.el);
  document.title = next.title ? `${next.title} — ${t('app.name')}` : `${t('app.name')} — ${t('app.tagline')}`;
}

onUnauthenticated(() => {
  if (!currentUser()) return;
  setUser(null);
  navigate({ name: 'login', next: location.hash.replace(/^#/, '') });
});
onLangChange(() => void render(true));
window.addEventListener('hashchange', () => void render());
window.addEventListener('beforeunload', (e) => {
  if (view?.dirty?.()) e.preventDefault();
});
document.documentElement.lang = lang();
void render(true);
