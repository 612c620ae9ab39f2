// Admin › API tokens: the list (name, scopes, created, last used, revoked), creating a token — its secret is shown
// once, in a read-only field to copy, with a warning — and revoking one after a confirmation.
// GET/POST /api/v1/tokens, DELETE /api/v1/tokens/:id.
import { adminApi, SCOPES, type TokenInfo } from '../api.ts';
import { announce, clear, h } from '../dom.ts';
import { formatDateTime, t } from '../i18n/index.ts';
import { checkboxGroup, clearFieldErrors, confirmDialog, field, scopeLabel, setFieldError, showFieldErrors, type FieldTarget } from './admin-common.ts';
import { errorText } from './errors.ts';

export function tokensPanel(): HTMLElement {
  const status = h('p', { class: 'muted', id: 'tokens-count', 'aria-live': 'polite' }, t('common.loading'));
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'data admin-table', id: 'tokens-table', 'aria-describedby': 'tokens-count' },
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        [t('admin.tokens.col.name'), t('admin.tokens.col.scopes'), t('admin.tokens.col.created'), t('admin.tokens.col.lastUsed'), t('admin.tokens.col.status'), t('admin.tokens.col.actions')].map((x) => h('th', { scope: 'col' }, x)),
      ),
    ),
    tbody,
  );
  let tokens: TokenInfo[] = [];

  const render = (): void => {
    const live = tokens.filter((x) => !x.revokedAt).length;
    status.textContent = t(tokens.length === 1 ? 'admin.tokens.countOne' : 'admin.tokens.count', { n: tokens.length, live });
    clear(
      tbody,
      tokens.length === 0 ? h('tr', null, h('td', { colspan: '6', class: 'muted' }, t('admin.tokens.empty'))) : null,
      // Live tokens first, newest first; revoked ones after them.
      [...tokens]
        .sort((a, b) => Number(Boolean(a.revokedAt)) - Number(Boolean(b.revokedAt)) || b.id - a.id)
        .map((tk) =>
          h(
            'tr',
            { dataset: { token: String(tk.id), name: tk.name }, class: tk.revokedAt ? 'revoked' : undefined },
            h('th', { scope: 'row' }, tk.name),
            h('td', null, tk.scopes.map((s) => h('span', { class: 'pill', dataset: { scope: s } }, scopeLabel(s)))),
            h('td', null, h('span', { class: 'nowrap' }, formatDateTime(tk.createdAt)), tk.createdBy ? h('div', { class: 'muted small' }, t('admin.tokens.by', { name: tk.createdBy })) : null),
            h('td', { class: 'nowrap' }, tk.lastUsedAt ? formatDateTime(tk.lastUsedAt) : h('span', { class: 'muted' }, t('admin.never'))),
            h(
              'td',
              { class: 'token-status' },
              tk.revokedAt
                ? h('span', { class: 'pill pill-danger' }, t('admin.tokens.revokedOn', { date: formatDateTime(tk.revokedAt) }))
                : h('span', { class: 'pill pill-ok' }, t('admin.tokens.live')),
            ),
            h(
              'td',
              null,
              tk.revokedAt
                ? null
                : h(
                    'button',
                    { type: 'button', class: 'small danger', dataset: { action: 'revoke' }, 'aria-label': t('admin.tokens.revokeFor', { name: tk.name }), onclick: () => void revoke(tk) },
                    t('admin.tokens.revoke'),
                  ),
            ),
          ),
        ),
    );
  };

  const load = async (): Promise<void> => {
    try {
      tokens = await adminApi.tokens();
      render();
    } catch (err) {
      status.className = 'form-error';
      status.textContent = errorText(err);
    }
  };

  // --- creating a token; the secret is shown here once ---
  const secretBox = h('div', { id: 'token-secret-box', 'aria-live': 'polite' });
  const name = h('input', { name: 'token-name', autocomplete: 'off', required: true, spellcheck: 'false' });
  const nameField = field('token-new-name', t('admin.tokens.name'), name, t('admin.tokens.nameHelp'));
  const scopes = checkboxGroup('token-new-scopes', t('admin.tokens.scopes'), SCOPES, scopeLabel, ['evaluate'], (s) => s);
  const general = h('div', { class: 'form-error', role: 'alert', id: 'token-new-error' });
  const fields: FieldTarget[] = [
    { path: '/name', label: t('admin.tokens.name'), error: nameField.error, control: name },
    { path: '/scopes', label: t('admin.tokens.scopes'), error: scopes.error, control: scopes.el },
  ];
  const submit = h('button', { type: 'submit', class: 'primary' }, t('admin.tokens.create'));

  const showSecret = (tokenName: string, secret: string): void => {
    const input = h('input', { id: 'token-secret', class: 'mono secret-input', readOnly: true, value: secret, 'aria-describedby': 'token-secret-warning', spellcheck: 'false', autocomplete: 'off' });
    input.addEventListener('focus', () => input.select());
    const copy = async (): Promise<void> => {
      input.select();
      try {
        await navigator.clipboard.writeText(secret);
        announce(t('admin.tokens.copied'), 'ok');
      } catch {
        announce(t('admin.tokens.copyFailed'), 'error');
      }
    };
    clear(
      secretBox,
      h(
        'div',
        { class: 'banner banner-warn secret-banner', role: 'region', 'aria-labelledby': 'token-secret-title' },
        h('h3', { id: 'token-secret-title' }, t('admin.tokens.secretTitle', { name: tokenName })),
        h('p', { id: 'token-secret-warning', class: 'secret-warning' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), h('strong', null, t('admin.tokens.secretWarning'))),
        h('label', { for: 'token-secret' }, t('admin.tokens.secretLabel')),
        h('div', { class: 'secret-row' }, input, h('button', { type: 'button', id: 'token-copy', onclick: () => void copy() }, t('admin.tokens.copy'))),
        h('p', { class: 'help' }, t('admin.tokens.secretUse')),
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              id: 'token-secret-done',
              onclick: () => {
                clear(secretBox);
                name.focus();
              },
            },
            t('admin.tokens.secretDone'),
          ),
        ),
      ),
    );
    input.focus();
  };

  const form = h(
    'form',
    {
      class: 'form-stack card admin-form',
      id: 'token-new',
      'aria-labelledby': 'token-new-title',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        clearFieldErrors(fields, general);
        clear(secretBox);
        const chosen = scopes.selected();
        if (chosen.length === 0) {
          setFieldError(fields[1]!, t('admin.err.scopesNone'), general);
          scopes.focus();
          return;
        }
        submit.disabled = true;
        try {
          const created = await adminApi.createToken(name.value.trim(), chosen);
          form.reset();
          announce(t('admin.tokens.created', { name: created.name }), 'ok');
          await load();
          showSecret(created.name, created.token);
        } catch (err) {
          showFieldErrors(err, fields, general, { code: 'TOKEN_EXISTS', path: '/name', message: t('admin.err.tokenNameTaken') });
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h3', { id: 'token-new-title' }, t('admin.tokens.create')),
    nameField.el,
    scopes.el,
    general,
    h('div', null, submit),
  );

  const revoke = async (tk: TokenInfo): Promise<void> => {
    const ok = await confirmDialog(t('admin.tokens.revokeTitle', { name: tk.name }), t('admin.tokens.revokeConfirm'), t('admin.tokens.revoke'));
    if (!ok) return;
    try {
      await adminApi.revokeToken(tk.id);
      announce(t('admin.tokens.revoked', { name: tk.name }), 'ok');
      await load();
      (table.querySelector<HTMLButtonElement>('tbody button') ?? name).focus();
    } catch (err) {
      announce(errorText(err), 'error');
    }
  };

  void load();
  return h(
    'section',
    { class: 'admin-panel', id: 'admin-tokens', 'aria-labelledby': 'admin-tokens-title' },
    h('h2', { id: 'admin-tokens-title' }, t('admin.tab.tokens')),
    h('p', { class: 'muted' }, t('admin.tokens.intro')),
    secretBox,
    h('div', { class: 'split admin-split' }, h('div', { class: 'split-main' }, status, h('div', { class: 'table-scroll' }, table)), form),
  );
}
