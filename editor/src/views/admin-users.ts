// Admin › users: the list (name, roles, created, status), adding a user, changing roles, resetting a password and
// removing a user (after a confirmation). GET/POST /api/v1/users, PATCH/DELETE /api/v1/users/:name.
import { adminApi, ApiError, ROLES, type Role, type UserInfo } from '../api.ts';
import { announce, clear, h, modal } from '../dom.ts';
import { formatDateTime, t, type MessageKey } from '../i18n/index.ts';
import { currentUser, setUser } from '../session.ts';
import { checkboxGroup, clearFieldErrors, confirmDialog, dialogActions, field, roleLabel, setFieldError, showFieldErrors, type FieldTarget } from './admin-common.ts';
import { errorText } from './errors.ts';

const roleHelp = (r: Role): string => t(`admin.roleHelp.${r}` as MessageKey);

export function usersPanel(): HTMLElement {
  const status = h('p', { class: 'muted', id: 'users-count', 'aria-live': 'polite' }, t('common.loading'));
  const tbody = h('tbody');
  let users: UserInfo[] = [];
  const hasLastLogin = (): boolean => users.some((u) => u.lastLoginAt !== undefined);

  const table = h('table', { class: 'data admin-table', id: 'users-table', 'aria-describedby': 'users-count' });

  const render = (): void => {
    const me = currentUser()?.username;
    const heads = [t('admin.users.col.name'), t('admin.users.col.roles'), t('admin.users.col.created'), hasLastLogin() ? t('admin.users.col.lastLogin') : null, t('admin.users.col.status'), t('admin.users.col.actions')];
    clear(
      table,
      h('thead', null, h('tr', null, heads.filter((x) => x !== null).map((x) => h('th', { scope: 'col' }, x)))),
      tbody,
    );
    status.textContent = users.length === 1 ? t('admin.users.countOne') : t('admin.users.count', { n: users.length });
    clear(
      tbody,
      users.map((u) =>
        h(
          'tr',
          { dataset: { user: u.username } },
          h('th', { scope: 'row', class: 'mono' }, u.username, u.username === me ? h('span', { class: 'muted small' }, ` ${t('admin.users.you')}`) : null),
          h('td', { class: 'roles' }, u.roles.map((r) => h('span', { class: 'pill', dataset: { role: r } }, roleLabel(r)))),
          h('td', { class: 'nowrap' }, formatDateTime(u.createdAt)),
          hasLastLogin() ? h('td', { class: 'nowrap' }, formatDateTime(u.lastLoginAt) || t('admin.never')) : null,
          h('td', null, userStatus(u)),
          h(
            'td',
            null,
            h(
              'div',
              { class: 'row-actions' },
            h('button', { type: 'button', class: 'small', dataset: { action: 'roles' }, 'aria-label': t('admin.users.editRolesFor', { name: u.username }), onclick: () => void editRoles(u) }, t('admin.users.editRoles')),
            h('button', { type: 'button', class: 'small', dataset: { action: 'password' }, 'aria-label': t('admin.users.resetFor', { name: u.username }), onclick: () => void resetPassword(u) }, t('admin.users.resetPassword')),
            h(
              'button',
              {
                type: 'button',
                class: 'small danger',
                dataset: { action: 'remove' },
                disabled: u.username === me,
                title: u.username === me ? t('admin.users.notSelf') : undefined,
                'aria-label': t('admin.users.removeFor', { name: u.username }),
                onclick: () => void remove(u),
              },
              t('admin.users.remove'),
            ),
            ),
          ),
        ),
      ),
    );
  };

  const load = async (): Promise<void> => {
    try {
      users = await adminApi.users();
      render();
    } catch (err) {
      status.className = 'form-error';
      status.textContent = errorText(err);
    }
  };

  // --- adding a user ---
  const name = h('input', { name: 'username', autocomplete: 'off', required: true, spellcheck: 'false' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true });
  const nameField = field('user-new-name', t('admin.users.name'), name, t('admin.users.nameHelp'));
  const passwordField = field('user-new-password', t('admin.users.password'), password, t('admin.users.passwordHelp'));
  const roles = checkboxGroup('user-new-roles', t('admin.users.roles'), ROLES, roleLabel, ['viewer'], roleHelp);
  const general = h('div', { class: 'form-error', role: 'alert', id: 'user-new-error' });
  const fields: FieldTarget[] = [
    { path: '/username', label: t('admin.users.name'), error: nameField.error, control: name },
    { path: '/password', label: t('admin.users.password'), error: passwordField.error, control: password },
    { path: '/roles', label: t('admin.users.roles'), error: roles.error, control: roles.el },
  ];
  const submit = h('button', { type: 'submit', class: 'primary' }, t('admin.users.add'));
  const form = h(
    'form',
    {
      class: 'form-stack card admin-form',
      id: 'user-new',
      'aria-labelledby': 'user-new-title',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        clearFieldErrors(fields, general);
        const chosen = roles.selected();
        if (chosen.length === 0) {
          setFieldError(fields[2]!, t('admin.err.rolesNone'), general);
          roles.focus();
          return;
        }
        submit.disabled = true;
        try {
          const user = await adminApi.createUser(name.value.trim(), password.value, chosen);
          form.reset();
          announce(t('admin.users.added', { name: user.username }), 'ok');
          await load();
          name.focus();
        } catch (err) {
          showFieldErrors(err, fields, general, { code: 'USER_EXISTS', path: '/username', message: t('admin.err.nameTaken') });
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h3', { id: 'user-new-title' }, t('admin.users.add')),
    nameField.el,
    passwordField.el,
    roles.el,
    general,
    h('div', null, submit),
  );

  // --- changing roles ---
  const editRoles = async (u: UserInfo): Promise<void> => {
    const updated = await modal<UserInfo>(t('admin.users.rolesOf', { name: u.username }), (close) => {
      const group = checkboxGroup('user-edit-roles', t('admin.users.roles'), ROLES, roleLabel, u.roles, roleHelp);
      const error = h('div', { class: 'form-error', role: 'alert' });
      const targets: FieldTarget[] = [{ path: '/roles', label: t('admin.users.roles'), error: group.error, control: group.el }];
      queueMicrotask(() => group.focus());
      return h(
        'form',
        {
          class: 'form-stack',
          id: 'user-roles-form',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            clearFieldErrors(targets, error);
            const chosen = group.selected();
            if (chosen.length === 0) return setFieldError(targets[0]!, t('admin.err.rolesNone'), error);
            try {
              close(await adminApi.updateUser(u.username, { roles: chosen }));
            } catch (err) {
              if (err instanceof ApiError && err.code === 'LAST_ADMIN') setFieldError(targets[0]!, t('admin.err.lastAdmin'), error);
              else showFieldErrors(err, targets, error);
            }
          },
        },
        group.el,
        error,
        dialogActions(close, t('common.save')),
      );
    });
    if (!updated) return;
    announce(t('admin.users.rolesSaved', { name: u.username }), 'ok');
    const me = currentUser();
    if (me && me.username === u.username) {
      setUser({ ...me, roles: updated.roles });
      if (!updated.roles.includes('admin')) {
        location.hash = '#/';
        return;
      }
    }
    await load();
    focusRow(u.username, 'roles');
  };

  // --- resetting a password ---
  const resetPassword = async (u: UserInfo): Promise<void> => {
    const done = await modal<boolean>(t('admin.users.resetTitle', { name: u.username }), (close) => {
      const input = h('input', { name: 'new-password', type: 'password', autocomplete: 'new-password', required: true });
      const f = field('user-reset-password', t('admin.users.newPassword'), input, t('admin.users.resetHelp', { name: u.username }));
      const error = h('div', { class: 'form-error', role: 'alert' });
      const targets: FieldTarget[] = [{ path: '/password', label: t('admin.users.newPassword'), error: f.error, control: input }];
      queueMicrotask(() => input.focus());
      return h(
        'form',
        {
          class: 'form-stack',
          id: 'user-reset-form',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            try {
              await adminApi.updateUser(u.username, { password: input.value });
              close(true);
            } catch (err) {
              showFieldErrors(err, targets, error);
            }
          },
        },
        f.el,
        error,
        dialogActions(close, t('admin.users.setPassword')),
      );
    });
    if (!done) return;
    announce(t('admin.users.passwordReset', { name: u.username }), 'ok');
    focusRow(u.username, 'password');
  };

  // --- removing a user ---
  const remove = async (u: UserInfo): Promise<void> => {
    const ok = await confirmDialog(t('admin.users.removeTitle', { name: u.username }), t('admin.users.removeConfirm', { name: u.username }), t('admin.users.remove'));
    if (!ok) return;
    try {
      await adminApi.deleteUser(u.username);
      announce(t('admin.users.removed', { name: u.username }), 'ok');
      await load();
      (table.querySelector<HTMLButtonElement>('tbody button') ?? name).focus();
    } catch (err) {
      announce(err instanceof ApiError && err.code === 'LAST_ADMIN' ? t('admin.err.lastAdmin') : errorText(err), 'error');
    }
  };

  const focusRow = (username: string, action: string): void => {
    table.querySelector<HTMLButtonElement>(`tr[data-user="${CSS.escape(username)}"] button[data-action="${action}"]`)?.focus();
  };

  void load();
  return h(
    'section',
    { class: 'admin-panel', id: 'admin-users', 'aria-labelledby': 'admin-users-title' },
    h('h2', { id: 'admin-users-title' }, t('admin.tab.users')),
    h('div', { class: 'split admin-split' }, h('div', { class: 'split-main' }, status, h('div', { class: 'table-scroll' }, table)), form),
  );
}

function userStatus(u: UserInfo): HTMLElement {
  if (u.disabled) return h('span', { class: 'pill pill-danger' }, t('admin.users.status.disabled'));
  if (u.lockedUntil && Date.parse(u.lockedUntil) > Date.now()) return h('span', { class: 'pill pill-editing' }, t('admin.users.status.locked', { until: formatDateTime(u.lockedUntil) }));
  return h('span', { class: 'pill pill-ok' }, t('admin.users.status.active'));
}
