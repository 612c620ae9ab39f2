// The table page's header: title and crumbs, the table's card (table/card.ts: description, owner, review date,
// confidence, sources), the state line (draft or read-only version, revision, unsaved work, problems), the hit policy
// and aggregation, save and reload, what the user's roles let them do (table/card-role.ts), and the banner for a
// refused save or a conflict.
// What it shows comes from headerState (table-state.ts); this file draws it and runs save and reload.
import { ApiError } from '../api.ts';
import { announce, clear, h } from '../dom.ts';
import { saveBlob } from '../download.ts';
import { problemText, t } from '../i18n/index.ts';
import { href } from '../router.ts';
import { HIT_POLICIES, AGGREGATIONS, type Aggregation, type HitPolicy } from '../../../server/engine/index.ts';
import { tableCard } from '../table/card.ts';
import { roleNote } from '../table/card-role.ts';
import { describePath } from '../table/checks.ts';
import { excelControls } from '../table/excel.ts';
import { algoritmeregisterButton } from '../table/algoritmeregister.ts';
import { dmnDownloadButton } from '../table/dmn.ts';
import type { TableSession } from '../table/session.ts';
import { errorText } from './errors.ts';
import { headerState } from './table-state.ts';

export interface TableHeader {
  /** Crumbs, title, meta and the bar with the state line, hit policy and buttons. */
  el: HTMLElement;
  /** The banner below the header: an invalid or refused save, or a conflict with a newer draft. */
  banner: HTMLElement;
  /** Redraws from the session (call on every session update). */
  render: () => void;
  /** Saves the draft if there is unsaved work (the save button and Ctrl+S). */
  save: () => Promise<void>;
}

export function tableHeader(s: TableSession): TableHeader {
  const stateLine = h('div', { class: 'state-line', 'aria-live': 'polite' });
  const banner = h('div', { class: 'banner banner-danger', role: 'alert', hidden: true });
  const saveButton = h('button', { type: 'button', class: 'primary', id: 'save-draft', title: 'Ctrl+S' }, t('table.save'));
  const reloadButton = h('button', { type: 'button', id: 'reload-draft' }, t('table.reload'));
  const titleEl = h('h1', { id: 'table-title' });
  let card: ReturnType<typeof tableCard> | null = null;
  let role: ReturnType<typeof roleNote> | null = null;
  const policy = h('select', { id: 'hit-policy' });
  const aggregation = h('select', { id: 'aggregation' });
  const aggregationLabel = h('label', { for: 'aggregation' }, t('table.aggregation'));
  const aggregationPair = h('span', { class: 'tool-pair' }, aggregationLabel, aggregation);

  const render = (): void => {
    const st = headerState(s);
    titleEl.textContent = st.title;
    card?.render();
    role?.render();
    const parts: (Node | string)[] = [];
    if (st.draft === null) parts.push(h('span', { class: 'pill pill-readonly' }, t('table.readonly', { n: st.readonlyVersion! })));
    else {
      parts.push(h('span', { class: 'pill' }, t('table.draft')));
      parts.push(st.draft.revision > 0 ? t('table.revision', { n: st.draft.revision }) : t('table.noDraft', { n: st.draft.base }));
      if (st.draft.submitted) parts.push(h('span', { class: 'pill pill-submitted' }, t('cat.state.submitted')));
      if (st.viewOnly) parts.push(h('span', { class: 'pill pill-readonly', id: 'view-only-pill' }, t('table.viewOnly')));
      else parts.push(st.draft.dirty ? h('span', { class: 'unsaved', id: 'unsaved' }, '● ', t('table.unsaved')) : h('span', { class: 'muted' }, t('table.allSaved')));
    }
    parts.push(
      st.errors > 0
        ? h('a', { class: 'pill pill-danger', href: href({ name: 'table', id: s.id, tab: 'grid', version: s.version }), id: 'problem-count' }, t('table.problems', { n: st.errors }))
        : h('span', { class: 'pill pill-ok', id: 'problem-count' }, t('table.noProblems')),
    );
    clear(stateLine, ...parts.flatMap((p, i) => (i === 0 ? [p] : [' · ', p])));
    saveButton.disabled = !st.canSave;
    if (policy.value !== st.hitPolicy) policy.value = st.hitPolicy;
    aggregation.value = st.aggregation;
    aggregation.disabled = s.model.readonly || st.hitPolicy !== 'COLLECT';
    // Aggregation only means something for COLLECT: keep the bar short otherwise.
    aggregationPair.hidden = st.hitPolicy !== 'COLLECT';
    if (st.conflict) {
      banner.hidden = false;
      clear(
        banner,
        h('p', null, h('strong', null, t('table.conflict'))),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', onclick: () => void reload() }, t('table.reload')),
          h(
            'button',
            {
              type: 'button',
              onclick: () => {
                saveBlob(new Blob([JSON.stringify(s.model.table, null, 2)], { type: 'application/json' }), `${s.id}.concept.json`);
              },
            },
            t('table.conflict.keep'),
          ),
        ),
      );
    } else if (!banner.dataset.sticky) banner.hidden = true;
  };

  const save = async (): Promise<void> => {
    if (s.model.readonly || !s.dirty()) return;
    if (s.draft?.status === 'submitted') {
      // Said here rather than by a refused request: the draft waits for its approver and changes after a withdrawal.
      banner.hidden = false;
      banner.dataset.sticky = '1';
      clear(banner, h('p', null, t('role.submitted')));
      announce(t('role.submitted'), 'error');
      return;
    }
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
      if (err instanceof ApiError && err.status === 409 && err.code !== 'DRAFT_SUBMITTED') announce(t('table.conflictShort'), 'error');
      else {
        banner.hidden = false;
        banner.dataset.sticky = '1';
        clear(
          banner,
          h('p', null, errorText(err)),
          err instanceof ApiError && err.details.length > 0
            ? h('ul', null, err.details.map((d) => h('li', null, `${describePath(d.path.replace(/^\/table/, ''), s.model.table)}: ${problemText(d)}`)))
            : null,
        );
      }
    } finally {
      saveButton.textContent = t('table.save');
      render();
    }
  };

  const reload = async (): Promise<void> => {
    if (s.model.readonly) return;
    if (s.dirty() && !s.conflict && !window.confirm(t('table.leave'))) return;
    try {
      await s.reload();
      delete banner.dataset.sticky;
      banner.hidden = true;
      render();
    } catch (err) {
      announce(errorText(err), 'error');
    }
  };

  for (const p of HIT_POLICIES) policy.append(h('option', { value: p }, `${t(`hp.${p}`)} (${p})`));
  aggregation.append(h('option', { value: '' }, t('table.aggregation.none')), ...AGGREGATIONS.map((a) => h('option', { value: a }, a)));
  policy.disabled = s.model.readonly;
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
  saveButton.addEventListener('click', () => void save());
  reloadButton.addEventListener('click', () => void reload());

  card = tableCard(s, save);
  role = roleNote(s);
  const el = h(
    'div',
    { class: 'table-header' },
    h('nav', { class: 'crumbs', 'aria-label': t('nav.catalogue') }, h('a', { href: '#/' }, t('nav.catalogue')), ' › ', s.id.split('.')[0]),
    titleEl,
    h('p', { class: 'muted small table-meta mono' }, s.id),
    card.el,
    // Three groups: the state line, the tools (hit policy, Excel, Algoritmeregister) and saving. The tools take the
    // room left between the other two and wrap inside it, so at 1280px saving stays on the state line's row however
    // long its pills get, instead of dropping alone onto a row of its own (styles.css, .table-bar).
    h(
      'div',
      { class: 'table-bar' },
      stateLine,
      h(
        'div',
        { class: 'table-tools' },
        h('span', { class: 'tool-pair' }, h('label', { for: 'hit-policy' }, t('table.hitPolicy')), policy),
        aggregationPair,
        excelControls(s, save),
        dmnDownloadButton(s),
        algoritmeregisterButton(s),
      ),
      s.viewOnly
        ? null
        : h('div', { class: 'table-save' }, s.readonly ? h('a', { class: 'button', href: href({ name: 'table', id: s.id, tab: 'grid' }) }, t('table.backToDraft')) : [reloadButton, saveButton]),
    ),
    role.el,
  );
  return { el, banner, render, save };
}
