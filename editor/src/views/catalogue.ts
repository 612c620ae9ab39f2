// The policy register: every table with domain, title, current version, valid from, owner, review date (overdue in
// red) and draft state (with the reason when a draft was rejected); search and filters (domain, owner, draft state,
// review date passed; each choice with its count), kept in the address (#/?domain=…&owner=…&overdue=1) so a filtered
// register can be bookmarked, shared and returned to. For approvers, "Te beoordelen" lists the drafts submitted by
// others that wait for them.
import { api, ApiError, type TableSummary } from '../api.ts';
import { clear, h, modal } from '../dom.ts';
import { currentUser, hasRole } from '../session.ts';
import { formatDate, formatDateTime, problemText, t, todayIso, type MessageKey } from '../i18n/index.ts';
import { href, navigate, parseRoute } from '../router.ts';
import type { View } from '../view.ts';
import { archiveSections, isArchived } from './catalogue-archive.ts';
import { domainDmnButton } from '../table/dmn.ts';
import { dmnImportButton } from './dmn-import.ts';
import { errorText } from './errors.ts';

/** The owner filter's value for a table: its owner, or NO_OWNER for a table without one. */
const NO_OWNER = '-';
function ownerKey(s: TableSummary): string {
  return s.owner?.trim() || NO_OWNER;
}

interface Filters {
  q: string;
  domain: string;
  owner: string;
  state: string;
  overdue: boolean;
}

/** The register's filters from the address: #/?q=…&domain=…&owner=…&state=…&overdue=1. */
export function readFilters(hash = location.hash): Filters {
  const at = hash.indexOf('?');
  const p = new URLSearchParams(at >= 0 ? hash.slice(at + 1) : '');
  return { q: p.get('q') ?? '', domain: p.get('domain') ?? '', owner: p.get('owner') ?? '', state: p.get('state') ?? '', overdue: p.get('overdue') === '1' };
}

/** Puts the filters in the address without a new history entry (each keystroke is not a step back). */
function writeFilters(f: Filters): void {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.domain) p.set('domain', f.domain);
  if (f.owner) p.set('owner', f.owner);
  if (f.state) p.set('state', f.state);
  if (f.overdue) p.set('overdue', '1');
  const query = p.toString();
  const target = query ? `#/?${query}` : '#/';
  // A list that arrives after the user went on to a table must not pull the address back to the register.
  if (parseRoute(location.hash).name !== 'catalogue') return;
  if (location.hash !== target && !(target === '#/' && location.hash === '')) history.replaceState(null, '', target);
}

function draftState(s: TableSummary): 'none' | 'editing' | 'submitted' {
  const status = s.draft?.status;
  if (!s.draft || status === 'none') return 'none';
  return status === 'submitted' ? 'submitted' : 'editing';
}

export function catalogueView(): View {
  const search = h('input', { id: 'cat-search', type: 'search', placeholder: t('cat.search.placeholder'), autocomplete: 'off' });
  const domain = h('select', { id: 'cat-domain' }, h('option', { value: '' }, t('cat.domain.all')));
  const state = h(
    'select',
    { id: 'cat-state' },
    h('option', { value: '' }, t('cat.state.all')),
    h('option', { value: 'none' }, t('cat.state.none')),
    h('option', { value: 'editing' }, t('cat.state.editing')),
    h('option', { value: 'submitted' }, t('cat.state.submitted')),
  );
  const owner = h('select', { id: 'cat-owner' });
  const overdue = h('input', { id: 'cat-overdue', type: 'checkbox' });
  const overdueLabel = h('span', null, t('cat.overdueOnly'));
  const reset = h('button', { type: 'button', id: 'cat-reset', class: 'small' }, t('cat.reset'));
  // The domain chosen in the filter, as one DMN model.
  const domainDmn = domainDmnButton(() => domain.value);
  const count = h('p', { class: 'muted', 'aria-live': 'polite', id: 'cat-count' });
  const tbody = h('tbody');
  // Sortable columns: a button in each header, aria-sort on the sorted one.
  type SortKey = 'domain' | 'title' | 'version' | 'validFrom' | 'owner' | 'reviewBy' | 'draft';
  let sort: { key: SortKey; dir: 1 | -1 } = { key: 'domain', dir: 1 };
  const sortValue = (s: TableSummary, key: SortKey): string | number => {
    switch (key) {
      case 'domain':
        return s.id;
      case 'title':
        return s.title.toLowerCase();
      case 'version':
        return s.currentVersion ?? s.latestVersion ?? 0;
      case 'validFrom':
        return s.validFrom ?? '';
      case 'owner':
        return (s.owner ?? '').toLowerCase();
      case 'reviewBy':
        return s.reviewBy ?? '9999';
      case 'draft':
        return draftState(s);
    }
  };
  const headRow = h('tr');
  const headers: [SortKey, MessageKey, string?][] = [
    ['domain', 'cat.col.domain'],
    ['title', 'cat.col.title'],
    ['version', 'cat.col.version', 'num'],
    ['validFrom', 'cat.col.validFrom'],
    ['owner', 'cat.col.owner'],
    ['reviewBy', 'cat.col.reviewBy'],
    ['draft', 'cat.col.draft'],
  ];
  const renderHead = (): void => {
    clear(
      headRow,
      headers.map(([key, label, cls]) =>
        h(
          'th',
          { scope: 'col', class: cls, 'aria-sort': sort.key === key ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined },
          h(
            'button',
            {
              type: 'button',
              class: 'sort-button',
              onclick: () => {
                sort = sort.key === key ? { key, dir: sort.dir === 1 ? -1 : 1 } : { key, dir: 1 };
                renderHead();
                apply();
              },
            },
            t(label),
            h('span', { 'aria-hidden': 'true', class: 'sort-mark' }, sort.key === key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''),
          ),
        ),
      ),
    );
  };
  renderHead();
  const table = h('table', { class: 'data catalogue', 'aria-describedby': 'cat-count' }, h('thead', null, headRow), tbody);
  const status = h('div', { role: 'status' }, t('common.loading'));
  const inbox = h('section', { class: 'card inbox', id: 'inbox', 'aria-labelledby': 'inbox-title', hidden: true });
  let all: TableSummary[] = [];
  /** Approvers: the submitted drafts that others wrote (four eyes: one's own never waits for oneself). */
  const renderInbox = (): void => {
    const me = currentUser()?.username ?? '';
    if (!hasRole('approver')) return;
    const waiting = all.filter((s) => draftState(s) === 'submitted' && s.draft?.submittedBy !== me && !(s.draft?.editors ?? []).includes(me));
    inbox.hidden = false;
    clear(
      inbox,
      h('h2', { id: 'inbox-title' }, `${t('cat.inbox')} (${waiting.length})`),
      waiting.length === 0
        ? h('p', { class: 'muted' }, t('cat.inboxEmpty'))
        : h(
            'ul',
            { id: 'inbox-list' },
            waiting.map((s) =>
              h(
                'li',
                { dataset: { table: s.id } },
                h(
                  'a',
                  { href: href({ name: 'table', id: s.id, tab: 'approval' }) },
                  t('cat.inboxItem', { title: s.title, name: s.draft?.submittedBy ?? '?', date: formatDateTime(s.draft?.submittedAt ?? null), validFrom: formatDate(s.draft?.validFrom ?? null) }),
                ),
              ),
            ),
          ),
    );
  };
  const today = todayIso();
  // Archived tables and archive requests (catalogue-archive.ts), filled when the list arrives.
  const archived = h('div', { id: 'archive-part' });

  const apply = (): void => {
    const q = search.value.trim().toLowerCase();
    writeFilters({ q: search.value.trim(), domain: domain.value, owner: owner.value, state: state.value, overdue: overdue.checked });
    reset.hidden = !(search.value.trim() || domain.value || owner.value || state.value || overdue.checked);
    domainDmn.hidden = !domain.value;
    domainDmn.title = t('dmn.download.domain.title', { domain: domain.value });
    const rows = all.filter((s) => {
      if (isArchived(s)) return false;
      if (domain.value && s.id.split('.')[0] !== domain.value) return false;
      if (owner.value && ownerKey(s) !== owner.value) return false;
      if (state.value && draftState(s) !== state.value) return false;
      if (overdue.checked && !(s.reviewBy && s.reviewBy < today)) return false;
      if (q && !`${s.id} ${s.title} ${s.owner ?? ''}`.toLowerCase().includes(q)) return false;
      return true;
    });
    rows.sort((a, b) => {
      const x = sortValue(a, sort.key);
      const y = sortValue(b, sort.key);
      return (x < y ? -1 : x > y ? 1 : a.id.localeCompare(b.id)) * sort.dir;
    });
    count.textContent = t('cat.count', { shown: rows.length, total: all.length });
    clear(
      tbody,
      rows.length === 0 ? h('tr', null, h('td', { colspan: '7', class: 'muted' }, t('cat.empty'))) : null,
      rows.map((s) => {
        const st = draftState(s);
        const late = Boolean(s.reviewBy && s.reviewBy < today);
        return h(
          'tr',
          { dataset: { table: s.id } },
          h('td', null, s.id.split('.')[0]),
          h('td', null, h('a', { href: href({ name: 'table', id: s.id, tab: 'grid' }) }, s.title), h('div', { class: 'muted small mono' }, s.id)),
          h('td', { class: 'num' }, s.currentVersion ?? s.latestVersion ?? t('cat.none')),
          h('td', null, formatDate(s.validFrom) || t('cat.none')),
          h('td', null, s.owner ?? t('cat.none')),
          h(
            'td',
            { class: late ? 'overdue' : undefined },
            formatDate(s.reviewBy) || t('cat.none'),
            late ? h('span', { class: 'pill pill-danger' }, t('cat.overdue')) : null,
          ),
          h(
            'td',
            null,
            st === 'none' ? h('span', { class: 'muted' }, t('cat.none')) : h('span', { class: `pill pill-${st}` }, t(st === 'editing' ? 'cat.state.editing' : 'cat.state.submitted')),
            s.draft?.updatedBy && st !== 'none' ? h('div', { class: 'muted small' }, t('cat.draftBy', { name: s.draft.updatedBy })) : null,
            st === 'editing' && s.draft?.rejection ? h('div', { class: 'small rejected-note' }, t('cat.rejected', { reason: s.draft.rejection.reason })) : null,
          ),
        );
      }),
    );
  };

  for (const el of [search, domain, owner, state, overdue]) el.addEventListener('input', apply);
  reset.addEventListener('click', () => {
    search.value = '';
    domain.value = owner.value = state.value = '';
    overdue.checked = false;
    apply();
    search.focus();
  });

  const el = h(
    'section',
    { class: 'page catalogue-page', 'aria-labelledby': 'cat-title' },
    h(
      'div',
      { class: 'page-title' },
      h('h1', { id: 'cat-title' }, t('cat.title')),
      hasRole('editor')
        ? h(
            'span',
            { class: 'page-actions' },
            // One table read in: open it; several: the register again, now with their drafts.
            dmnImportButton((ids) => (ids.length === 1 ? navigate({ name: 'table', id: ids[0]!, tab: 'grid' }) : load())),
            h('button', { type: 'button', class: 'primary', id: 'new-table', onclick: () => void newTable() }, t('cat.new')),
          )
        : null,
    ),
    h('p', { class: 'muted' }, t('cat.intro')),
    h(
      'div',
      { class: 'filters', role: 'search' },
      h('span', { class: 'filter' }, h('label', { for: 'cat-search' }, t('cat.search')), search),
      h('span', { class: 'filter' }, h('label', { for: 'cat-domain' }, t('cat.domain')), domain),
      h('span', { class: 'filter' }, h('label', { for: 'cat-owner' }, t('cat.owner')), owner),
      h('span', { class: 'filter' }, h('label', { for: 'cat-state' }, t('cat.state')), state),
      h('label', { class: 'check' }, overdue, ' ', overdueLabel),
      reset,
      domainDmn,
    ),
    inbox,
    count,
    status,
    table,
    archived,
  );

  /** A new table: id and title; it starts as a draft with one input, one output and one rule to fill in. */
  const newTable = async (): Promise<void> => {
    await modal<boolean>(t('cat.new'), (close) => {
      const id = h('input', { id: 'new-id', required: true, placeholder: 'handhaving.nieuwe-tabel', pattern: '[a-z0-9\\-]+(\\.[a-z0-9\\-]+)*', 'aria-describedby': 'new-id-help' });
      const title = h('input', { id: 'new-title', required: true });
      const error = h('div', { class: 'form-error', role: 'alert' });
      queueMicrotask(() => id.focus());
      return h(
        'form',
        {
          class: 'form-grid',
          onsubmit: async (e: Event) => {
            e.preventDefault();
            const tableId = id.value.trim();
            try {
              await api.createTable({
                id: tableId,
                title: title.value.trim(),
                hitPolicy: 'UNIQUE',
                inputs: [{ name: 'invoer', type: 'string' }],
                outputs: [{ name: 'uitkomst', type: 'string' }],
                rules: [{ id: 'R1', when: {}, then: { uitkomst: '""' } }],
              });
              close(true);
              navigate({ name: 'table', id: tableId, tab: 'grid' });
            } catch (err) {
              clear(error, h('p', null, errorText(err)), err instanceof ApiError ? h('ul', null, err.details.map((d) => h('li', null, `${d.path}: ${problemText(d)}`))) : null);
            }
          },
        },
        h('label', { for: 'new-id' }, t('cat.new.id')),
        h('div', null, id, h('p', { class: 'help', id: 'new-id-help' }, t('cat.new.idHelp'))),
        h('label', { for: 'new-title' }, t('cat.new.title')),
        title,
        error,
        h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), h('button', { type: 'button', onclick: () => close(null) }, t('common.cancel')), h('button', { type: 'submit', class: 'primary' }, t('cat.new.create'))),
      );
    });
  };

  const load = (): void => {
    api
      .tables()
      .then((list) => {
        all = [...list].sort((a, b) => a.id.localeCompare(b.id));
        while (domain.options.length > 1) domain.remove(1);
        owner.replaceChildren();
        const tally = (key: (s: TableSummary) => string): Map<string, number> => {
          const m = new Map<string, number>();
          for (const s of all) m.set(key(s), (m.get(key(s)) ?? 0) + 1);
          return new Map([...m].sort(([a], [b]) => (a === NO_OWNER ? 1 : b === NO_OWNER ? -1 : a.localeCompare(b, 'nl'))));
        };
        for (const [d, n] of tally((s) => s.id.split('.')[0]!)) domain.append(h('option', { value: d }, t('cat.domain.option', { name: d, n })));
        owner.append(h('option', { value: '' }, t('cat.owner.all', { n: all.length })));
        for (const [o, n] of tally(ownerKey)) owner.append(h('option', { value: o }, t('cat.domain.option', { name: o === NO_OWNER ? t('cat.owner.none') : o, n })));
        overdueLabel.textContent = t('cat.overdueCount', { n: all.filter((s) => s.reviewBy && s.reviewBy < today).length });
        // The address may name a filter the register no longer has (an owner renamed): then that filter is off.
        const f = readFilters();
        search.value = f.q;
        for (const [select, value] of [[domain, f.domain], [owner, f.owner], [state, f.state]] as const) {
          select.value = value;
          if (select.value !== value) select.value = '';
        }
        overdue.checked = f.overdue;
        status.remove();
        renderInbox();
        apply();
        clear(archived, archiveSections(all));
      })
      .catch((err: unknown) => {
        status.className = 'form-error';
        status.textContent = errorText(err);
      });
  };
  load();

  queueMicrotask(() => search.focus());
  return { el, title: t('cat.title') };
}
