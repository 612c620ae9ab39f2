// The table page's header: title, crumbs and meta, the state line (draft or read-only version, revision, unsaved
// work, problems), the hit policy and aggregation, save and reload, the banner for a refused save or a conflict, and
// the table's sources as links (those of its rules and columns folded away).
// What it shows comes from headerState (table-state.ts); this file draws it and runs save and reload.
import { ApiError } from '../api.ts';
import { announce, clear, h } from '../dom.ts';
import { formatDate, lang, problemText, t } from '../i18n/index.ts';
import { href } from '../router.ts';
import { HIT_POLICIES, AGGREGATIONS, type Aggregation, type DecisionTable, type HitPolicy, type SourceRef } from '../../../server/engine/index.ts';
import { sourceText, sourceUrl } from '../../../server/engine/sources.ts';
import { describePath } from '../table/checks.ts';
import { excelControls } from '../table/excel.ts';
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
  const policy = h('select', { id: 'hit-policy' });
  const aggregation = h('select', { id: 'aggregation' });
  const aggregationLabel = h('label', { for: 'aggregation' }, t('table.aggregation'));

  const render = (): void => {
    const st = headerState(s);
    titleEl.textContent = st.title;
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
    aggregation.hidden = st.hitPolicy !== 'COLLECT';
    aggregationLabel.hidden = st.hitPolicy !== 'COLLECT';
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

  const save = async (): Promise<void> => {
    if (s.model.readonly || !s.dirty()) return;
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

  const meta = s.model.table.meta;
  const el = h(
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
    sourcesBlock(s.model.table),
    h(
      'div',
      { class: 'table-bar' },
      stateLine,
      h('span', { class: 'spacer' }),
      h('label', { for: 'hit-policy' }, t('table.hitPolicy')),
      policy,
      aggregationLabel,
      aggregation,
      excelControls(s, save),
      s.viewOnly ? null : s.readonly ? h('a', { class: 'button', href: href({ name: 'table', id: s.id, tab: 'grid' }) }, t('table.backToDraft')) : [reloadButton, saveButton],
    ),
    // Said before anyone tries: a viewer sees the table, with no save to be refused later.
    s.viewOnly ? h('p', { class: 'banner banner-info', id: 'view-only-note' }, t('table.viewOnly.note')) : null,
  );
  return { el, banner, render, save };
}

/** One reference as a link that opens beside the editor (the law on wetten.overheid.nl, a regulation, a page). */
function sourceLink(ref: SourceRef): HTMLElement {
  return h('a', { href: sourceUrl(ref), target: '_blank', rel: 'noopener noreferrer' }, sourceText(ref, lang()));
}

/**
 * The table's legal basis: its source text and structured references as links, and, folded away, those its rules and
 * columns cite. Nothing when the table cites nothing.
 */
function sourcesBlock(table: DecisionTable): HTMLElement | null {
  const own = table.meta?.sources ?? [];
  const parts: [string, SourceRef[]][] = [
    ...table.inputs.filter((c) => c.sources?.length).map((c) => [`${t('table.sources.column')} ${c.label ?? c.name}`, c.sources!] as [string, SourceRef[]]),
    ...table.outputs.filter((c) => c.sources?.length).map((c) => [`${t('table.sources.column')} ${c.label ?? c.name}`, c.sources!] as [string, SourceRef[]]),
    ...table.rules.filter((r) => r.sources?.length).map((r) => [`${t('table.sources.rule')} ${r.id}`, r.sources!] as [string, SourceRef[]]),
  ];
  if (!table.meta?.source && own.length === 0 && parts.length === 0) return null;
  const links = (refs: SourceRef[]): (HTMLElement | string)[] => refs.flatMap((r, i) => (i === 0 ? [sourceLink(r)] : [', ', sourceLink(r)]));
  return h(
    'div',
    { class: 'small table-sources', id: 'table-sources' },
    h('p', null, h('strong', null, `${t('table.sources')}: `), table.meta?.source ?? '', own.length > 0 ? [table.meta?.source ? ' — ' : '', ...links(own)] : []),
    parts.length > 0
      ? h('details', null, h('summary', null, t('table.sources.more', { count: parts.length })), h('ul', null, parts.map(([label, refs]) => h('li', null, `${label}: `, ...links(refs)))))
      : null,
  );
}
