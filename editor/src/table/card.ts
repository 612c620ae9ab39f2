// The table's card, above the grid on every tab: what the table is for (its description), who owns it, when it is
// to be reviewed (marked when that date has passed), how certain its rules are (H vastgesteld, M aannemelijk,
// L illustratief, explained) and its legal basis as links. Those who may edit the draft open the form from here.
import { clear, h } from '../dom.ts';
import { formatDate, lang, t, todayIso } from '../i18n/index.ts';
import type { DecisionTable, SourceRef } from '../../../server/engine/index.ts';
import { sourceText, sourceUrl } from '../../../server/engine/sources.ts';
import { editCard } from './card-form.ts';
import type { TableSession } from './session.ts';

export interface TableCard {
  el: HTMLElement;
  /** Redraws from the working copy (after an edit, a reload, a change in the JSON view). */
  render: () => void;
}

/** True when the review date lies before today: the table should have been looked at again. */
export function reviewPassed(reviewBy: string | undefined, today = todayIso()): boolean {
  return Boolean(reviewBy && reviewBy < today);
}

export function tableCard(s: TableSession, save: () => Promise<void>): TableCard {
  const el = h('section', { class: 'table-card', id: 'table-card', 'aria-label': t('card.label') });
  let drawn = '';

  const render = (): void => {
    const table = s.model.table;
    // A submitted draft is frozen until it is withdrawn or decided (the server refuses every save meanwhile).
    const editable = !s.model.readonly && s.draft?.status !== 'submitted';
    const key = JSON.stringify([editable, table.description, table.meta, table.inputs.map((c) => c.sources), table.outputs.map((c) => c.sources), table.rules.map((r) => r.sources), lang()]);
    if (key === drawn) return;
    drawn = key;
    const meta = table.meta ?? {};
    const passed = reviewPassed(meta.reviewBy);
    const none = (): HTMLElement => h('span', { class: 'muted' }, t('card.notSet'));
    const fact = (id: string, label: string, ...value: (Node | string | null)[]): HTMLElement => h('div', { class: 'card-fact' }, h('dt', null, label), h('dd', { id }, ...value));
    clear(
      el,
      table.description
        ? h('p', { class: 'card-description', id: 'card-description' }, table.description)
        : h('p', { class: 'card-description muted', id: 'card-description' }, t('card.noDescription')),
      h(
        'dl',
        { class: 'card-facts' },
        fact('card-owner-value', t('card.field.owner'), meta.owner ?? none()),
        fact(
          'card-review-value',
          t('card.field.reviewBy'),
          meta.reviewBy ? h('span', { class: passed ? 'overdue' : undefined }, formatDate(meta.reviewBy)) : none(),
          passed ? h('span', { class: 'pill pill-danger', id: 'card-review-passed' }, t('card.reviewPassed')) : null,
        ),
        fact(
          'card-confidence-value',
          t('card.field.confidence'),
          meta.confidence
            ? h('span', null, h('span', { class: `pill pill-confidence-${meta.confidence}` }, t(`card.confidence.${meta.confidence}`)), ' ', h('span', { class: 'muted small' }, t(`card.confidence.${meta.confidence}.explain`)))
            : none(),
        ),
      ),
      sourcesBlock(table),
      !editable ? null : h('button', { type: 'button', class: 'small', id: 'card-edit', onclick: () => void editCard(s, save) }, t('card.edit')),
    );
  };
  render();
  return { el, render };
}

/** One reference as a link that opens beside the editor (the law on wetten.overheid.nl, a regulation, a page). */
function sourceLink(ref: SourceRef): HTMLElement {
  return h('a', { href: sourceUrl(ref), target: '_blank', rel: 'noopener noreferrer' }, sourceText(ref, lang()));
}

/**
 * The table's legal basis: its source text and structured references as links, and, folded away, those its rules and
 * columns cite.
 */
function sourcesBlock(table: DecisionTable): HTMLElement {
  const own = table.meta?.sources ?? [];
  const parts: [string, SourceRef[]][] = [
    ...table.inputs.filter((c) => c.sources?.length).map((c) => [`${t('table.sources.column')} ${c.label ?? c.name}`, c.sources!] as [string, SourceRef[]]),
    ...table.outputs.filter((c) => c.sources?.length).map((c) => [`${t('table.sources.column')} ${c.label ?? c.name}`, c.sources!] as [string, SourceRef[]]),
    ...table.rules.filter((r) => r.sources?.length).map((r) => [`${t('table.sources.rule')} ${r.id}`, r.sources!] as [string, SourceRef[]]),
  ];
  const links = (refs: SourceRef[]): (HTMLElement | string)[] => refs.flatMap((r, i) => (i === 0 ? [sourceLink(r)] : [', ', sourceLink(r)]));
  const text = table.meta?.source ?? '';
  return h(
    'div',
    { class: 'small table-sources', id: 'table-sources' },
    h(
      'p',
      null,
      h('strong', null, `${t('table.sources')}: `),
      !text && own.length === 0 ? h('span', { class: 'muted' }, t('card.notSet')) : text,
      own.length > 0 ? [text ? ' — ' : '', ...links(own)] : [],
    ),
    parts.length > 0
      ? h('details', null, h('summary', null, t('table.sources.more', { count: parts.length })), h('ul', null, parts.map(([label, refs]) => h('li', null, `${label}: `, ...links(refs)))))
      : null,
  );
}
