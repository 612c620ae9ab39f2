// Pieces the three admin tabs share: role and scope names, a group of checkboxes, and showing a server error next
// to the field it is about (the API's details name the JSON path: /username, /password, /roles, /name, /scopes).
import { ApiError, type Role, type Scope } from '../api.ts';
import { clear, h, modal } from '../dom.ts';
import { problemText as fieldProblemText, t, type MessageKey, type MessageParams } from '../i18n/index.ts';
import { errorText } from './errors.ts';

export function roleLabel(role: string): string {
  const key = `admin.role.${role}` as MessageKey;
  return key in ROLE_KEYS ? t(key) : role;
}

export function scopeLabel(scope: string): string {
  if (scope === 'evaluate') return t('admin.scope.evaluate');
  if (scope === 'fixtures:run') return t('admin.scope.fixturesRun');
  if (scope === 'metrics') return t('admin.scope.metrics');
  return scope;
}

const ROLE_KEYS: Record<string, true> = {
  'admin.role.viewer': true,
  'admin.role.editor': true,
  'admin.role.approver': true,
  'admin.role.tester': true,
  'admin.role.admin': true,
};

/** A fieldset of checkboxes (one per value), with a legend and a place for its error. */
export function checkboxGroup<V extends Role | Scope>(
  id: string,
  legend: string,
  values: readonly V[],
  label: (v: V) => string,
  checked: readonly V[] = [],
  help?: (v: V) => string,
): { el: HTMLFieldSetElement; selected: () => V[]; error: HTMLElement; focus: () => void } {
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  const boxes = values.map((v) => {
    const box = h('input', { type: 'checkbox', id: `${id}-${v.replace(':', '-')}`, name: id, value: v, checked: checked.includes(v) });
    box.defaultChecked = checked.includes(v); // form.reset() goes back to these
    return box;
  });
  const el = h(
    'fieldset',
    { class: 'check-group', id, 'aria-describedby': `${id}-error` },
    h('legend', null, legend),
    boxes.map((box, i) =>
      h(
        'label',
        { class: 'check', for: box.id },
        box,
        h('span', { class: 'check-text' }, label(values[i]!), help ? h('span', { class: 'muted small' }, help(values[i]!)) : null),
      ),
    ),
    error,
  );
  el.addEventListener('change', () => {
    error.textContent = '';
    el.removeAttribute('aria-invalid');
  });
  return { el, selected: () => values.filter((_, i) => boxes[i]!.checked), error, focus: () => boxes[0]?.focus() };
}

/** A labelled input with its help text and its own error line (aria-describedby points at both). */
export function field(id: string, label: string, input: HTMLInputElement, help?: string): { el: HTMLElement; error: HTMLElement } {
  const error = h('p', { class: 'field-error', id: `${id}-error` });
  input.id = id;
  input.setAttribute('aria-describedby', help ? `${id}-help ${id}-error` : `${id}-error`);
  // Typing again clears the field's old complaint (the next submit checks anew).
  input.addEventListener('input', () => {
    error.textContent = '';
    input.removeAttribute('aria-invalid');
  });
  const el = h('div', { class: 'field' }, h('label', { for: id }, label), input, help ? h('p', { class: 'help', id: `${id}-help` }, help) : null, error);
  return { el, error };
}

export interface FieldTarget {
  /** The JSON path the API uses for this field, e.g. '/password'. */
  path: string;
  label: string;
  error: HTMLElement;
  /** The control to mark invalid and focus. */
  control: HTMLElement;
}

/** Clears the errors of a form's fields. */
export function clearFieldErrors(fields: FieldTarget[], general: HTMLElement): void {
  for (const f of fields) {
    f.error.textContent = '';
    f.control.removeAttribute('aria-invalid');
  }
  general.textContent = '';
}

/** Sets one field's error (client-side checks use it too). */
export function setFieldError(f: FieldTarget, message: string, general: HTMLElement): void {
  f.error.textContent = message;
  f.control.setAttribute('aria-invalid', 'true');
  general.classList.add('sr-only');
  general.textContent = t('admin.err.field', { field: f.label, message });
}

/**
 * Shows a failed request next to the fields it names: the details' paths, or for a name that is taken (409) the
 * name field. The form-level line (an alert) repeats it with the field's name, so a screen reader hears it once.
 */
export function showFieldErrors(err: unknown, fields: FieldTarget[], general: HTMLElement, taken?: { code: string; path: string; message: string }): void {
  clearFieldErrors(fields, general);
  const lines: string[] = [];
  let first: FieldTarget | null = null;
  const mark = (f: FieldTarget, message: string): void => {
    f.error.textContent = f.error.textContent ? `${f.error.textContent} ${message}` : message;
    f.control.setAttribute('aria-invalid', 'true');
    lines.push(t('admin.err.field', { field: f.label, message }));
    first ??= f;
  };
  if (err instanceof ApiError) {
    if (taken && err.code === taken.code) {
      const f = fields.find((x) => x.path === taken.path);
      if (f) mark(f, taken.message);
    }
    for (const d of err.details) {
      const f = fields.find((x) => d.path === x.path || d.path.startsWith(`${x.path}/`));
      if (f) mark(f, problemText(d));
    }
  }
  general.classList.toggle('sr-only', lines.length > 0);
  if (lines.length === 0) lines.push(errorText(err));
  clear(general, lines.length === 1 ? lines[0]! : h('ul', null, lines.map((l) => h('li', null, l))));
  (first as FieldTarget | null)?.control.focus();
}

/**
 * A field's problem in the form's words, from its code (the server's English message is for API clients): the admin
 * forms have their own sentences for the usual ones, any other code is worded from `problem.<CODE>`.
 */
function problemText(d: { path: string; message: string; code?: string; params?: MessageParams }): string {
  const limit = String(d.params?.limit ?? '');
  switch (d.code) {
    case 'TOO_SHORT':
      return d.path === '/password' ? t('admin.err.passwordShort', { min: limit }) : fieldProblemText(d);
    case 'TOO_LONG':
      return d.path === '/password' ? t('admin.err.passwordLong', { max: limit }) : fieldProblemText(d);
    case 'USERNAME_FORMAT':
      return t('admin.err.usernameInvalid');
    case 'PATTERN':
      // The request's schema holds the same patterns as the store (USERNAME_PATTERN, TOKEN_NAME_PATTERN).
      return d.path === '/username' ? t('admin.err.usernameInvalid') : d.path === '/name' ? t('admin.err.tokenNameInvalid') : fieldProblemText(d);
    case 'RESERVED':
      return t('admin.err.usernameReserved');
    case 'TOKEN_NAME_FORMAT':
      return t('admin.err.tokenNameInvalid');
    case 'ROLES_NONE':
      return t('admin.err.rolesNone');
    case 'SCOPES_NONE':
      return t('admin.err.scopesNone');
    default:
      return fieldProblemText(d);
  }
}

/** Cancel and a primary submit button, for the forms inside modal(). */
export function dialogActions(close: (v: null) => void, label: string, danger = false): HTMLElement {
  return h(
    'div',
    { class: 'dialog-actions' },
    h('span', { class: 'spacer' }),
    h('button', { type: 'button', onclick: () => close(null) }, t('common.cancel')),
    h('button', { type: 'submit', class: danger ? 'primary danger-primary' : 'primary' }, label),
  );
}

/** A yes/no question in a dialog; resolves true only when the (danger) button is chosen. */
export function confirmDialog(title: string, text: string, confirm: string, danger = true): Promise<boolean> {
  return modal<boolean>(title, (close) => {
    const form = h(
      'form',
      {
        class: 'form-stack confirm-form',
        onsubmit: (e: Event) => {
          e.preventDefault();
          close(true);
        },
      },
      h('p', null, text),
      dialogActions(close, confirm, danger),
    );
    // The safe choice has the focus: Enter does not remove anything by accident.
    queueMicrotask(() => form.querySelector<HTMLButtonElement>('button[type=button]')?.focus());
    return form;
  }).then((v) => v === true);
}
