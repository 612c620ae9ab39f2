// The table card's form: title, description, owner, the legal basis in words and as references, the review date and
// the confidence. It changes the working copy of the draft and saves it the way the grid does (the header's save:
// the revision is sent, a newer draft gives the conflict banner and nothing is overwritten).
import { clear, h, modal } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import { schemaProblems, type DecisionTable, type TableMeta } from '../../../server/engine/index.ts';
import { parseDate, temporalField } from '../date-input.ts';
import { sourcesEditor } from './card-sources.ts';
import type { TableSession } from './session.ts';

export const CONFIDENCES = ['H', 'M', 'L'] as const;

/** What the form gives: the card's fields as the table holds them (absent when left empty). */
export interface CardFields {
  title: string;
  description?: string;
  meta: Pick<TableMeta, 'owner' | 'source' | 'sources' | 'confidence' | 'reviewBy'>;
}

/** The table with the card's fields put in; other meta (such as public) stays as it was. */
export function withCard(table: DecisionTable, card: CardFields): DecisionTable {
  const next = structuredClone(table);
  next.title = card.title;
  if (card.description) next.description = card.description;
  else delete next.description;
  const meta: TableMeta = { ...(next.meta ?? {}) };
  for (const key of ['owner', 'source', 'sources', 'confidence', 'reviewBy'] as const) {
    const value = card.meta[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete meta[key];
    else meta[key] = value as never;
  }
  if (Object.keys(meta).length > 0) next.meta = meta;
  else delete next.meta;
  return next;
}

/** Opens the form; on "apply" the working copy gets the fields and `save` runs. */
export async function editCard(s: TableSession, save: () => Promise<void>): Promise<void> {
  const table = s.model.table;
  const meta = table.meta ?? {};
  const applied = await modal<CardFields>(t('card.edit.title'), (close) => {
    const title = h('input', { id: 'card-title', required: true, value: table.title, autocomplete: 'off' });
    const description = h('textarea', { id: 'card-description-input', rows: '3' });
    description.value = table.description ?? '';
    const owner = h('input', { id: 'card-owner', value: meta.owner ?? '', autocomplete: 'organization' });
    const source = h('textarea', { id: 'card-source', rows: '2' });
    source.value = meta.source ?? '';
    const sources = sourcesEditor(meta.sources ?? []);
    const reviewField = temporalField({ id: 'card-review-by', value: meta.reviewBy, describedBy: 'card-review-by-help' });
    const reviewBy = reviewField.input;
    const confidence = h(
      'select',
      { id: 'card-confidence', 'aria-describedby': 'card-confidence-help' },
      h('option', { value: '' }, t('card.confidence.none')),
      CONFIDENCES.map((c) => h('option', { value: c, selected: meta.confidence === c }, t(`card.confidence.${c}`))),
    );
    const confidenceHelp = h('p', { class: 'help', id: 'card-confidence-help' });
    const showConfidence = (): void => {
      confidenceHelp.textContent = confidence.value ? t(`card.confidence.${confidence.value as 'H' | 'M' | 'L'}.explain`) : t('card.confidence.none.explain');
    };
    confidence.addEventListener('change', showConfidence);
    showConfidence();
    const error = h('div', { class: 'form-error', role: 'alert', id: 'card-error' });
    queueMicrotask(() => title.focus());

    const fail = (field: HTMLElement | null, key: MessageKey, params: Record<string, string> = {}): void => {
      clear(error, h('p', null, t(key, params)));
      if (field) {
        field.setAttribute('aria-invalid', 'true');
        field.focus();
      }
    };

    return h(
      'form',
      {
        class: 'form-grid card-form',
        novalidate: true,
        onsubmit: (e: Event) => {
          e.preventDefault();
          clear(error);
          for (const f of [title, reviewBy]) f.removeAttribute('aria-invalid');
          if (!title.value.trim()) return fail(title, 'card.error.title');
          const date = parseDate(reviewBy.value);
          if ('invalid' in date) return fail(reviewBy, 'card.error.date', { text: reviewBy.value.trim() });
          const refs = sources.read();
          if (refs === false) return fail(null, 'card.error.sources');
          const fields: CardFields = {
            title: title.value.trim(),
            description: description.value.trim() || undefined,
            meta: {
              owner: owner.value.trim() || undefined,
              source: source.value.trim() || undefined,
              sources: refs,
              confidence: (confidence.value || undefined) as CardFields['meta']['confidence'],
              reviewBy: 'iso' in date ? date.iso : undefined,
            },
          };
          // The schema has the last word (lengths, formats): what it refuses is named here, before anything is sent.
          const problems = schemaProblems(withCard(table, fields)).filter((p) => /^\/(title|description|meta)\b/.test(p.path));
          if (problems.length > 0) {
            clear(error, h('p', null, t('card.error.schema')), h('ul', null, problems.map((p) => h('li', null, `${p.path}: ${p.message}`))));
            return;
          }
          close(fields);
        },
      },
      h('label', { for: 'card-title' }, t('card.field.title')),
      title,
      h('label', { for: 'card-description-input' }, t('card.field.description')),
      description,
      h('label', { for: 'card-owner' }, t('card.field.owner')),
      owner,
      h('label', { for: 'card-review-by' }, t('card.field.reviewBy')),
      h('div', null, reviewField.el, h('p', { class: 'help', id: 'card-review-by-help' }, t('card.field.reviewBy.help'))),
      h('label', { for: 'card-confidence' }, t('card.field.confidence')),
      h('div', null, confidence, confidenceHelp),
      h('label', { for: 'card-source' }, t('card.field.source')),
      source,
      h('fieldset', { class: 'span-all card-sources-fieldset' }, h('legend', null, t('card.field.sources')), h('p', { class: 'help' }, t('card.field.sources.help')), sources.el),
      error,
      h(
        'div',
        { class: 'dialog-actions' },
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', onclick: () => close(null) }, t('common.cancel')),
        h('button', { type: 'submit', class: 'primary', id: 'card-apply' }, t('card.edit.apply')),
      ),
    );
  });
  if (!applied) return;
  s.model.update('meta', (tb) => {
    const next = withCard(tb, applied);
    tb.title = next.title;
    if (next.description === undefined) delete tb.description;
    else tb.description = next.description;
    if (next.meta === undefined) delete tb.meta;
    else tb.meta = next.meta;
  });
  // The checks run debounced after a change; the save must judge the table as it now is.
  s.runChecks();
  await save();
}
