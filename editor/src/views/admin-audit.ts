// Admin › audit trail (wijzigingslogboek): the newest entries first, a page at a time, and "Controleer keten", which
// asks the server to recompute the hash chain (GET /api/v1/audit/verify) and says intact or where it breaks.
import { adminApi, type AuditEntry, type AuditVerification } from '../api.ts';
import { append, clear, h } from '../dom.ts';
import { formatDate, formatDateTime, isMessageKey, lang, systemText, t } from '../i18n/index.ts';
import { href } from '../router.ts';
import { roleLabel } from './admin-common.ts';
import { errorText } from './errors.ts';

const PAGE = 50;

/** An action's name on screen, from its code (`draft.saved` → `concept opgeslagen`); a newer server's code as it is. */
function actionText(action: string): string {
  const key = `admin.action.${action}`;
  return isMessageKey(key) ? t(key) : action;
}

/** Who did it: a person's name as it is; the server's own actors (`system`, `anonymous`) in words. */
function actorText(actor: string): string {
  const key = `admin.audit.actor.${actor}`;
  return isMessageKey(key) ? t(key) : actor;
}

/** A detail's field name (`validFrom` → `geldig vanaf`); a field this editor does not know keeps its code. */
function fieldText(field: string): string {
  const key = `admin.audit.field.${field}`;
  return isMessageKey(key) ? t(key) : field;
}

/** A value in a detail: yes/no, roles by their names, the reason of a failed login in words; others as written. */
function valueText(field: string, v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => valueText(field, x)).join(', ');
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('from' in o && 'to' in o) return `${valueText(field, o.from)} → ${valueText(field, o.to)}`;
    return Object.entries(o)
      .map(([k, x]) => `${fieldText(k)} ${valueText(k, x)}`)
      .join(', ');
  }
  if (typeof v === 'boolean') return t(v ? 'common.yes' : 'common.no');
  if (field === 'roles' && typeof v === 'string') return roleLabel(v);
  if (field === 'reason' && typeof v === 'string') {
    const key = `admin.audit.reason.${v.replaceAll(' ', '_')}`;
    if (isMessageKey(key)) return t(key);
    return systemText(v);
  }
  if (field === 'validFrom' && typeof v === 'string') return formatDate(v);
  return String(v);
}

/** The detail in one short line: `name: value` pairs, lists joined, a change as `from → to`. */
function detailText(detail: Record<string, unknown>): string {
  const text = Object.entries(detail)
    .filter(([k]) => k !== 'hash')
    .map(([k, v]) => `${fieldText(k)}: ${valueText(k, v)}`)
    .join(' · ');
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

export function auditPanel(): HTMLElement {
  const status = h('p', { class: 'muted', id: 'audit-count', 'aria-live': 'polite' }, t('common.loading'));
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'data compact admin-table', id: 'audit-table', 'aria-describedby': 'audit-count' },
    h(
      'thead',
      null,
      h('tr', null, [t('admin.audit.col.id'), t('admin.audit.col.when'), t('admin.audit.col.who'), t('admin.audit.col.action'), t('admin.audit.col.what')].map((x, i) => h('th', { scope: 'col', class: i === 0 ? 'num' : undefined }, x))),
    ),
    tbody,
  );
  const more = h('button', { type: 'button', id: 'audit-more', hidden: true, onclick: () => void loadPage() }, t('admin.audit.more'));
  let next: number | null = null;
  let shown = 0;

  const row = (e: AuditEntry): HTMLElement => {
    return h(
      'tr',
      { dataset: { id: String(e.id), action: e.action } },
      h('td', { class: 'num mono small' }, e.id),
      h('td', { class: 'nowrap' }, formatDateTime(e.at)),
      h('td', null, actorText(e.actor)),
      h('td', null, actionText(e.action), h('div', { class: 'muted small mono' }, e.action)),
      h(
        'td',
        { class: 'audit-what' },
        e.tableId ? h('a', { href: href(e.version ? { name: 'table', id: e.tableId, tab: 'grid', version: e.version } : { name: 'table', id: e.tableId, tab: 'grid' }) }, e.tableId, e.version ? ` v${e.version}` : '') : null,
        h('div', { class: 'small' }, detailText(e.detail)),
      ),
    );
  };

  const loadPage = async (): Promise<void> => {
    more.disabled = true;
    try {
      const page = await adminApi.audit(PAGE, next);
      const first = shown === 0;
      append(tbody, page.entries.map(row));
      shown += page.entries.length;
      next = page.next;
      more.hidden = next === null;
      status.textContent = shown === 0 ? t('admin.audit.empty') : t(next === null ? 'admin.audit.shownAll' : 'admin.audit.shown', { n: shown });
      // Keyboard users who asked for more land on the first new entry's link or the button again.
      if (!first && !more.hidden) more.focus();
    } catch (err) {
      status.className = 'form-error';
      status.textContent = errorText(err);
    } finally {
      more.disabled = false;
    }
  };

  const result = h('div', { id: 'audit-verify-result', role: 'status', 'aria-live': 'polite' });
  const verify = h('button', { type: 'button', class: 'primary', id: 'audit-verify', onclick: () => void runVerify() }, t('admin.audit.verify'));
  const runVerify = async (): Promise<void> => {
    verify.disabled = true;
    clear(result, h('p', { class: 'muted' }, t('admin.audit.verifying')));
    try {
      const v: AuditVerification = await adminApi.verifyAudit();
      if (v.ok) {
        clear(result, h('p', { class: 'banner banner-ok', dataset: { result: 'intact' } }, t('admin.audit.intact', { n: v.entries, head: v.head?.id ?? 0 })));
      } else {
        const b = v.broken!;
        const kind = b.kind === 'changed' || b.kind === 'unlinked' || b.kind === 'unreadable' ? t(`admin.audit.kind.${b.kind}`) : b.kind;
        clear(
          result,
          h(
            'div',
            { class: 'banner banner-danger', dataset: { result: 'broken' } },
            h('p', null, h('strong', null, t('admin.audit.broken', { id: b.id, action: actionText(b.entry.action), actor: actorText(b.entry.actor), at: formatDateTime(b.entry.at) }))),
            h('p', null, kind),
            // The server's account of the break is English (for the CLI and the logs); the kind above says it in Dutch.
            lang() === 'en' ? h('p', { class: 'small mono' }, b.message) : null,
          ),
        );
      }
    } catch (err) {
      clear(result, h('p', { class: 'form-error' }, errorText(err)));
    } finally {
      verify.disabled = false;
    }
  };

  void loadPage();
  return h(
    'section',
    { class: 'admin-panel', id: 'admin-audit', 'aria-labelledby': 'admin-audit-title' },
    h('h2', { id: 'admin-audit-title' }, t('admin.tab.audit')),
    h('p', { class: 'muted' }, t('admin.audit.intro')),
    h('div', { class: 'actions' }, verify),
    result,
    status,
    table,
    h('div', { class: 'actions' }, more),
  );
}
