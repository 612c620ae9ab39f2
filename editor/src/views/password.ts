// Choosing one's own password (POST /api/v1/auth/password). Shown instead of any other screen while the password is
// temporary (set by an administrator): the server answers everything else with 403 PASSWORD_CHANGE_REQUIRED.
import { api } from '../api.ts';
import { announce, h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { setUser } from '../session.ts';
import type { View } from '../view.ts';
import { fieldsErrorText } from './errors.ts';

export function passwordView(done: () => void): View {
  const field = (id: string, autocomplete: string) => h('input', { id, name: id, type: 'password', autocomplete, required: true });
  const current = field('pw-current', 'current-password');
  const next = field('pw-new', 'new-password');
  const repeat = field('pw-repeat', 'new-password');
  const message = h('p', { class: 'form-error', role: 'alert', id: 'pw-error' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'pw-submit' }, t('pw.submit'));
  const form = h(
    'form',
    {
      class: 'login-form card',
      id: 'password-form',
      'aria-labelledby': 'pw-title',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        message.textContent = '';
        if (next.value !== repeat.value) {
          message.textContent = t('pw.differ');
          repeat.focus();
          return;
        }
        submit.disabled = true;
        try {
          setUser(await api.changePassword(current.value, next.value));
          announce(t('pw.changed'), 'ok');
          done();
        } catch (err) {
          // The store names the new password /password, the route /newPassword.
          const labels = { '/currentPassword': t('pw.field.current'), '/newPassword': t('pw.field.new'), '/password': t('pw.field.new') };
          message.textContent = fieldsErrorText(err, labels, (problems) => t('pw.refused', { problems }));
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h1', { id: 'pw-title' }, t('pw.title')),
    h('p', { class: 'muted' }, t('pw.explain')),
    h('label', { for: 'pw-current' }, t('pw.current')),
    current,
    h('label', { for: 'pw-new' }, t('pw.new')),
    next,
    h('label', { for: 'pw-repeat' }, t('pw.repeat')),
    repeat,
    message,
    submit,
  );
  queueMicrotask(() => current.focus());
  return { el: h('div', { class: 'login-page' }, form), title: t('pw.title') };
}
