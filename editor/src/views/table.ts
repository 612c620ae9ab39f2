// One table: header with save state, the hit policy, tabs for the grid, JSON, simulator, fixtures, diff, history,
// approval and statistics. The working copy lives in a TableSession, so switching tabs keeps unsaved work.
import { ApiError } from '../api.ts';
import { announce, clear, h } from '../dom.ts';
import { formatDate, lang, t, type MessageKey } from '../i18n/index.ts';
import { describeFinding } from '../table/analysis.ts';
import { href, type Route } from '../router.ts';
import { HIT_POLICIES, AGGREGATIONS, type Aggregation, type HitPolicy } from '../../../server/engine/index.ts';
import { describePath } from '../table/checks.ts';
import { editColumn } from '../table/column-dialog.ts';
import { sessionFor, type TableSession } from '../table/session.ts';
import type { View } from '../view.ts';
import { errorText } from './errors.ts';

type Panel = { el: HTMLElement; destroy?: () => void };
type PanelFactory = (s: TableSession) => Panel | Promise<Panel>;

const TABS: { key: string; label: MessageKey; readonly: boolean; load: () => Promise<PanelFactory> }[] = [
  { key: 'grid', label: 'tab.grid', readonly: true, load: async () => gridPanel },
  { key: 'json', label: 'tab.json', readonly: true, load: async () => (await import('../table/json-view.ts')).jsonPanel },
  { key: 'simulate', label: 'tab.simulate', readonly: true, load: async () => (await import('../table/simulator.ts')).simulatorPanel },
  { key: 'fixtures', label: 'tab.fixtures', readonly: false, load: async () => (await import('../table/fixtures.ts')).fixturesPanel },
  { key: 'diff', label: 'tab.diff', readonly: false, load: async () => (await import('../table/diff.ts')).diffPanel },
  { key: 'history', label: 'tab.history', readonly: true, load: async () => (await import('../table/history.ts')).historyPanel },
  { key: 'approval', label: 'tab.approval', readonly: false, load: async () => (await import('../table/approval.ts')).approvalPanel },
  { key: 'stats', label: 'tab.stats', readonly: true, load: async () => (await import('../table/stats.ts')).statsPanel },
];

export function tableView(route: Extract<Route, { name: 'table' }>): View {
  const el = h('section', { class: 'page table-page' }, h('p', { role: 'status' }, t('common.loading')));
  let session: TableSession | null = null;
  let tab = route.tab;
  let panel: Panel | null = null;
  let unlisten: (() => void) | null = null;
  let destroyed = false;
  const tabBody = h('section', { class: 'tab-body', id: 'tab-body' });
  const tabNav = h('nav', { class: 'tabs', 'aria-label': t('tab.nav') });
  const stateLine = h('div', { class: 'state-line', 'aria-live': 'polite' });
  const banner = h('div', { class: 'banner banner-danger', role: 'alert', hidden: true });
  const saveButton = h('button', { type: 'button', class: 'primary', id: 'save-draft', title: 'Ctrl+S' }, t('table.save'));
  const reloadButton = h('button', { type: 'button', id: 'reload-draft' }, t('table.reload'));
  const titleEl = h('h1', { id: 'table-title' });
  const policy = h('select', { id: 'hit-policy' });
  const aggregation = h('select', { id: 'aggregation' });
  const aggregationLabel = h('label', { for: 'aggregation' }, t('table.aggregation'));

  const renderState = (): void => {
    const s = session;
    if (!s) return;
    titleEl.textContent = s.model.table.title;
    const errors = [...s.check.cells.values()].reduce((n, row) => n + [...row.values()].filter((p) => p.severity === 'error').length, 0) + s.check.table.length;
    const parts: (Node | string)[] = [];
    if (s.readonly) parts.push(h('span', { class: 'pill pill-readonly' }, t('table.readonly', { n: s.version! })));
    else {
      parts.push(h('span', { class: 'pill' }, t('table.draft')));
      parts.push(
        s.revision > 0 ? t('table.revision', { n: s.revision }) : t('table.noDraft', { n: s.draft?.baseVersion ?? s.model.table.version ?? '–' }),
      );
      if (s.draft?.status === 'submitted') parts.push(h('span', { class: 'pill pill-submitted' }, t('cat.state.submitted')));
      parts.push(s.dirty() ? h('span', { class: 'unsaved', id: 'unsaved' }, '● ', t('table.unsaved')) : h('span', { class: 'muted' }, t('table.allSaved')));
    }
    parts.push(
      errors > 0
        ? h('a', { class: 'pill pill-danger', href: href({ name: 'table', id: s.id, tab: 'grid', version: s.version }), id: 'problem-count' }, t('table.problems', { n: errors }))
        : h('span', { class: 'pill pill-ok', id: 'problem-count' }, t('table.noProblems')),
    );
    clear(stateLine, ...parts.flatMap((p, i) => (i === 0 ? [p] : [' · ', p])));
    saveButton.disabled = s.readonly || !s.dirty();
    const hp = s.model.table.hitPolicy ?? 'UNIQUE';
    if (policy.value !== hp) policy.value = hp;
    aggregation.value = s.model.table.aggregation ?? '';
    aggregation.disabled = s.readonly || hp !== 'COLLECT';
    // Aggregation only means something for COLLECT: keep the bar short otherwise.
    aggregation.hidden = hp !== 'COLLECT';
    aggregationLabel.hidden = hp !== 'COLLECT';
    if (s.conflict) {
      banner.hidden = false;
      clear(
        banner,
        h('p', null, h('strong', null, t('table.conflict'))),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', onclick: () => void doReload() }, t('table.reload')),
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                const blob = new Blob([JSON.stringify(s.model.table, null, 2)], { type: 'application/json' });
                const a = h('a', { href: URL.createObjectURL(blob), download: `${s.id}.concept.json` });
                a.click();
                URL.revokeObjectURL(a.href);
              },
            },
            t('table.conflict.keep'),
          ),
        ),
      );
    } else if (!banner.dataset.sticky) banner.hidden = true;
  };

  const doSave = async (): Promise<void> => {
    const s = session;
    if (!s || s.readonly || !s.dirty()) return;
    if (!s.check.valid) {
      // The server refuses an invalid table (422): say so before sending.
      banner.hidden = false;
      banner.dataset.sticky = '1';
      clear(banner, h('p', null, t('table.invalidSave')));
      announce(t('table.invalidSave'), 'error');
      return;
    }
    delete banner.dataset.sticky;
    saveButton.disabled = true;
    saveButton.textContent = t('table.saving');
    try {
      const d = await s.save();
      announce(t('table.saved', { n: d.revision }), 'ok');
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) announce(t('table.conflictShort'), 'error');
      else {
        banner.hidden = false;
        banner.dataset.sticky = '1';
        clear(
          banner,
          h('p', null, errorText(err)),
          err instanceof ApiError && err.details.length > 0
            ? h('ul', null, err.details.map((d) => h('li', null, `${describePath(d.path.replace(/^\/table/, ''), s.model.table)}: ${d.message}`)))
            : null,
        );
      }
    } finally {
      saveButton.textContent = t('table.save');
      renderState();
    }
  };

  const doReload = async (): Promise<void> => {
    const s = session;
    if (!s || s.readonly) return;
    if (s.dirty() && !s.conflict && !window.confirm(t('table.leave'))) return;
    try {
      await s.reload();
      delete banner.dataset.sticky;
      banner.hidden = true;
      renderState();
    } catch (err) {
      announce(errorText(err), 'error');
    }
  };

  const renderTabs = (): void => {
    const s = session!;
    clear(
      tabNav,
      TABS.filter((x) => !s.readonly || x.readonly).map((x) =>
        h(
          'a',
          {
            id: `tab-${x.key}`,
            href: href({ name: 'table', id: s.id, tab: x.key, version: s.version }),
            'aria-current': x.key === tab ? 'page' : undefined,
            class: x.key === tab ? 'tab active' : 'tab',
          },
          t(x.label),
        ),
      ),
    );
  };

  const showTab = async (): Promise<void> => {
    const s = session!;
    panel?.destroy?.();
    panel = null;
    renderTabs();
    const def = TABS.find((x) => x.key === tab && (!s.readonly || x.readonly)) ?? TABS[0]!;
    tabBody.setAttribute('aria-labelledby', `tab-${def.key}`);
    clear(tabBody, h('p', { role: 'status' }, t('common.loading')));
    try {
      const factory = await def.load();
      const p = await factory(s);
      if (destroyed || def.key !== tab) {
        p.destroy?.();
        return;
      }
      panel = p;
      clear(tabBody, p.el);
    } catch (err) {
      clear(tabBody, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
    }
  };

  const build = (s: TableSession): void => {
    session = s;
    for (const p of HIT_POLICIES) policy.append(h('option', { value: p }, `${t(`hp.${p}`)} (${p})`));
    aggregation.append(h('option', { value: '' }, t('table.aggregation.none')), ...AGGREGATIONS.map((a) => h('option', { value: a }, a)));
    policy.disabled = s.readonly;
    policy.addEventListener('change', () =>
      s.model.update('meta', (tb) => {
        tb.hitPolicy = policy.value as HitPolicy;
        if (tb.hitPolicy !== 'COLLECT') delete tb.aggregation;
      }),
    );
    aggregation.addEventListener('change', () =>
      s.model.update('meta', (tb) => {
        if (aggregation.value) tb.aggregation = aggregation.value as Aggregation;
        else delete tb.aggregation;
      }),
    );
    saveButton.addEventListener('click', () => void doSave());
    reloadButton.addEventListener('click', () => void doReload());
    s.onEditColumn = (kind, index) => void editColumn(s.model, kind, index);
    unlisten = s.onUpdate(renderState);
    const meta = s.model.table.meta;
    clear(
      el,
      h(
        'div',
        { class: 'table-header' },
        h('nav', { class: 'crumbs', 'aria-label': t('nav.catalogue') }, h('a', { href: '#/' }, t('nav.catalogue')), ' › ', s.id.split('.')[0]),
        titleEl,
        h(
          'p',
          { class: 'muted small table-meta' },
          h('span', { class: 'mono' }, s.id),
          meta?.owner ? ` · ${t('cat.col.owner')}: ${meta.owner}` : '',
          meta?.reviewBy ? ` · ${t('cat.col.reviewBy')}: ${formatDate(meta.reviewBy)}` : '',
        ),
        h(
          'div',
          { class: 'table-bar' },
          stateLine,
          h('span', { class: 'spacer' }),
          h('label', { for: 'hit-policy' }, t('table.hitPolicy')),
          policy,
          aggregationLabel,
          aggregation,
          s.readonly
            ? h('a', { class: 'button', href: href({ name: 'table', id: s.id, tab: 'grid' }) }, t('table.backToDraft'))
            : [reloadButton, saveButton],
        ),
      ),
      banner,
      tabNav,
      tabBody,
    );
    renderState();
    void showTab();
  };

  const onKey = (e: KeyboardEvent): void => {
    if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
      e.preventDefault();
      void doSave();
    }
  };
  document.addEventListener('keydown', onKey);

  sessionFor(route.id, route.version)
    .then((s) => {
      if (!destroyed) build(s);
    })
    .catch((err: unknown) => clear(el, h('h1', null, route.id), h('p', { class: 'form-error', role: 'alert' }, errorText(err))));

  return {
    el,
    title: route.id,
    dirty: () => Boolean(session?.dirty() || session?.fixturesDirty()),
    update: (next) => {
      if (next.name !== 'table' || next.id !== route.id || next.version !== route.version || !session) return false;
      if (next.tab !== tab) {
        tab = next.tab;
        void showTab();
      }
      return true;
    },
    destroy: () => {
      destroyed = true;
      panel?.destroy?.();
      unlisten?.();
      document.removeEventListener('keydown', onKey);
    },
  };
}

/** The grid tab: row and column tools, the grid, and the list of problems and analysis findings. */
function gridPanel(s: TableSession): Panel {
  const problems = h('div', { class: 'problems', id: 'problems' });
  const renderProblems = (): void => {
    const items: HTMLElement[] = [];
    s.check.cells.forEach((row, r) => {
      const rule = s.model.table.rules[r];
      row.forEach((p, key) => {
        if (p.severity !== 'error') return;
        const colName = key === 'id' ? t('grid.ruleId') : key === 'note' ? t('grid.note') : key.slice(key.indexOf(':') + 1);
        items.push(
          h(
            'li',
            { class: 'problem-error' },
            h('button', { type: 'button', class: 'link-button', onclick: () => s.grid.focusRule(rule?.id ?? '', key) }, `${t('grid.rule')} ${rule?.id ?? r + 1}, ${colName}`),
            `: ${p.message}`,
          ),
        );
      });
    });
    for (const p of s.check.table) items.push(h('li', { class: 'problem-error' }, `${describePath(p.path, s.model.table)}: ${p.message}`));
    const findings: HTMLElement[] = [];
    const a = s.analysis;
    if (a && 'report' in a) {
      for (const f of a.report.findings) {
        if (!['overlap', 'conflict', 'gap', 'unreachable'].includes(f.kind)) continue;
        const kindKey: MessageKey = f.kind === 'gap' ? 'analysis.gap' : f.kind === 'unreachable' ? 'analysis.unreachable' : 'analysis.overlap';
        findings.push(
          h(
            'li',
            { class: `finding finding-${f.kind}` },
            h('strong', null, t(kindKey)),
            f.rules[0] ? [' ', h('button', { type: 'button', class: 'link-button', onclick: () => s.grid.focusRule(f.rules[0]!) }, f.rules.join(' ↔ '))] : null,
            `: ${lang() === 'en' ? f.message : (describeFinding(f)?.message ?? f.message)}`,
          ),
        );
      }
    }
    clear(
      problems,
      items.length > 0 ? [h('h2', null, t('analysis.problems')), h('ul', null, items)] : null,
      h('h2', null, t('analysis.title'), s.analysisPending && a !== null ? h('span', { class: 'muted small', id: 'analysis-pending' }, ` — ${t('analysis.pending')}`) : null),
      a === null
        ? h('p', { class: 'muted' }, t('common.loading'))
        : 'error' in a
            ? h('p', { class: 'muted' }, a.error)
            : findings.length > 0
              ? h('ul', null, findings)
              : h('p', { class: 'muted' }, t('analysis.none')),
    );
  };
  const unlisten = s.onUpdate(renderProblems);
  renderProblems();
  return {
    el: h('div', { class: 'grid-tab' }, rowToolbar(s), s.grid.el, problems),
    destroy: unlisten,
  };
}

/** Buttons for rows and columns; they act on the active row. Shortcuts are in the titles. */
/** Search in the rules (Enter: next match) and the number of rules, kept up to date. */
function findAndCount(s: TableSession): HTMLElement[] {
  const box = h('input', { type: 'search', id: 'grid-find', class: 'grid-find', placeholder: t('grid.find'), 'aria-label': t('grid.find'), 'aria-describedby': 'grid-find-result' });
  const result = h('span', { class: 'muted small', id: 'grid-find-result', 'aria-live': 'polite' });
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      const hit = s.grid.findNext(box.value);
      result.textContent = box.value.trim() ? (hit ? t('grid.found', { rule: hit.rule, column: hit.column }) : t('grid.notFound')) : '';
    } else if (e.key === 'Escape' && box.value === '') {
      s.grid.focusCell(s.grid.activeRow(), 1);
    }
  });
  const count = h('span', { class: 'muted small', id: 'rule-count' }, t('grid.rows', { n: s.model.table.rules.length }));
  const off = s.onUpdate(() => {
    if (!count.isConnected) return off();
    count.textContent = t('grid.rows', { n: s.model.table.rules.length });
  });
  return [h('span', { class: 'spacer' }), box, result, count];
}

export function rowToolbar(s: TableSession): HTMLElement {
  if (s.readonly) return h('div', { class: 'toolbar' }, ...findAndCount(s));
  const m = s.model;
  const at = (): number => s.grid.activeRow();
  // Short visible labels; the full words are the accessible name and the tooltip.
  const button = (label: MessageKey, onclick: () => void, keys?: string): HTMLButtonElement =>
    h(
      'button',
      { type: 'button', onclick, 'aria-label': t(label), title: keys ? `${t(label)} (${keys})` : t(label)},
      t(`grid.short.${label.slice('grid.'.length)}` as MessageKey),
    );
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': t('grid.label'), 'aria-controls': 'rules-grid' },
    button('grid.addRow', () => {
      m.insertRule(m.table.rules.length);
      s.grid.focusCell(m.table.rules.length - 1, 1);
    }),
    button('grid.insertRow', () => {
      m.insertRule(Math.max(0, at()));
      s.grid.focusCell(Math.max(0, at()), 1);
    }, 'Insert'),
    button('grid.duplicateRow', () => {
      if (m.table.rules.length === 0) return;
      m.duplicateRule(at());
      s.grid.focusCell(at() + 1, 1);
    }, 'Ctrl+D'),
    button('grid.deleteRow', () => {
      const r = at();
      const rule = m.table.rules[r];
      if (!rule) return;
      m.deleteRules(r, r);
      announce(t('grid.deleted', { id: rule.id }));
      s.grid.focusCell(Math.min(r, m.table.rules.length - 1), 1);
    }, 'Ctrl+Delete'),
    button('grid.moveUp', () => {
      const r = at();
      if (r > 0) {
        m.moveRule(r, r - 1);
        s.grid.focusCell(r - 1, 1);
      }
    }, 'Alt+↑'),
    button('grid.moveDown', () => {
      const r = at();
      if (r < m.table.rules.length - 1) {
        m.moveRule(r, r + 1);
        s.grid.focusCell(r + 1, 1);
      }
    }, 'Alt+↓'),
    h('span', { class: 'sep', 'aria-hidden': 'true' }),
    button('grid.addInput', () => void editColumn(m, 'in', -1)),
    button('grid.addOutput', () => void editColumn(m, 'out', -1)),
    ...findAndCount(s),
  );
}
