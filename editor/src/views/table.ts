// One table: the header (table-header.ts: save state, the hit policy, save and reload) and tabs for the grid, JSON,
// simulator, fixtures, diff, history, approval, statistics, the logged decisions (Besluiten) and archiving, each panel loaded when first opened. The working copy
// lives in a TableSession, so switching tabs keeps unsaved work.
import { clear, h } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { href, type Route } from '../router.ts';
import { editColumn } from '../table/column-dialog.ts';
import { gridPanel } from '../table/grid-panel.ts';
import { sessionFor, type TableSession } from '../table/session.ts';
import { mayApprove, mayEdit, mayReviewDraft, mayTest } from '../session.ts';
import type { View } from '../view.ts';
import { errorText } from './errors.ts';
import { tableHeader, type TableHeader } from './table-header.ts';

type Panel = { el: HTMLElement; destroy?: () => void };
type PanelFactory = (s: TableSession) => Panel | Promise<Panel>;

// `allowed`: a tab whose data the user's roles do not let them read is not offered (the fixtures need tester or
// editor), rather than opening onto a refusal; archiving is for who may ask (editor) or decide (approver), so a viewer
// does not meet a tab of buttons they may not press (the history tab shows an archive to everyone); the logged
// decisions are for editors and approvers (the server's permission impact).
const TABS: { key: string; label: MessageKey; readonly: boolean; allowed?: () => boolean; load: () => Promise<PanelFactory> }[] = [
  { key: 'grid', label: 'tab.grid', readonly: true, load: async () => gridPanel },
  { key: 'json', label: 'tab.json', readonly: true, load: async () => (await import('../table/json-view.ts')).jsonPanel },
  { key: 'simulate', label: 'tab.simulate', readonly: true, load: async () => (await import('../table/simulator.ts')).simulatorPanel },
  { key: 'fixtures', label: 'tab.fixtures', readonly: false, allowed: mayTest, load: async () => (await import('../table/fixtures.ts')).fixturesPanel },
  { key: 'diff', label: 'tab.diff', readonly: false, load: async () => (await import('../table/diff.ts')).diffPanel },
  { key: 'history', label: 'tab.history', readonly: true, load: async () => (await import('../table/history.ts')).historyPanel },
  { key: 'approval', label: 'tab.approval', readonly: false, load: async () => (await import('../table/approval.ts')).approvalPanel },
  { key: 'stats', label: 'tab.stats', readonly: true, load: async () => (await import('../table/stats.ts')).statsPanel },
  { key: 'decisions', label: 'tab.decisions', readonly: true, allowed: mayReviewDraft, load: async () => (await import('../table/decisions.ts')).decisionsPanel },
  { key: 'archive', label: 'tab.archive', readonly: false, allowed: () => mayEdit() || mayApprove(), load: async () => (await import('../table/archive.ts')).archivePanel },
];

function offered(x: (typeof TABS)[number], s: TableSession): boolean {
  return (!s.readonly || x.readonly) && (x.allowed?.() ?? true);
}

export function tableView(route: Extract<Route, { name: 'table' }>): View {
  const el = h('section', { class: 'page table-page' }, h('p', { role: 'status' }, t('common.loading')));
  let session: TableSession | null = null;
  let header: TableHeader | null = null;
  let tab = route.tab;
  let panel: Panel | null = null;
  let unlisten: (() => void) | null = null;
  let destroyed = false;
  const tabBody = h('section', { class: 'tab-body', id: 'tab-body' });
  const tabNav = h('nav', { class: 'tabs', 'aria-label': t('tab.nav') });

  const renderTabs = (): void => {
    const s = session!;
    clear(
      tabNav,
      TABS.filter((x) => offered(x, s)).map((x) =>
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
    const def = TABS.find((x) => x.key === tab && offered(x, s)) ?? TABS[0]!;
    if (def.key !== tab) {
      // A tab not offered here (a link into it, or a tab this user may not open) shows the grid, and says so in the address.
      tab = def.key;
      history.replaceState(null, '', href({ name: 'table', id: s.id, tab, version: s.version }));
    }
    renderTabs();
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
    header = tableHeader(s);
    s.onEditColumn = (kind, index) => void editColumn(s.model, kind, index);
    unlisten = s.onUpdate(header.render);
    clear(el, header.el, header.banner, tabNav, tabBody);
    header.render();
    void showTab();
  };

  const onKey = (e: KeyboardEvent): void => {
    if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
      e.preventDefault();
      void header?.save();
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
