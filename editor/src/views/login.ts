// Login: POST /api/v1/auth/login {username, password} → session cookie and csrfToken.
import { api } from '../api.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { setUser } from '../session.ts';
import type { View } from '../view.ts';
import { errorText } from './errors.ts';

export function loginView(next?: string): View {
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const message = h('p', { class: 'form-error', role: 'alert', id: 'login-error' });
  const submit = h('button', { type: 'submit', class: 'primary' }, t('login.submit'));
  const form = h(
    'form',
    {
      class: 'login-form card',
      'aria-labelledby': 'login-title',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        message.textContent = '';
        submit.disabled = true;
        submit.textContent = t('login.busy');
        try {
          const me = await api.login(username.value.trim(), password.value);
          if (!me.csrfToken) {
            // Some servers only hand the token out on /api/v1/me.
            try {
              const again = await api.me();
              me.csrfToken = again.csrfToken;
              if (!me.username) me.username = again.username;
              if (me.roles.length === 0) me.roles = again.roles;
            } catch {
              /* keep what the login said */
            }
          }
          setUser(me);
          const target = next && next.startsWith('/') && !next.startsWith('/login') ? `#${next}` : '#/';
          location.hash = target;
          if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
        } catch (err) {
          message.textContent = t('login.failed', { message: errorText(err) });
          password.select();
        } finally {
          submit.disabled = false;
          submit.textContent = t('login.submit');
        }
      },
    },
    h('h1', { id: 'login-title' }, t('login.title')),
    h('p', { class: 'muted' }, t('app.tagline')),
    h('label', { for: 'login-username' }, t('login.username')),
    username,
    h('label', { for: 'login-password' }, t('login.password')),
    password,
    message,
    submit,
  );
  queueMicrotask(() => username.focus());
  return { el: h('div', { class: 'login-page' }, form), title: t('login.title') };
}
