// The table card's structured sources as a small list: each row a kind (BWB, CVDR or URL), the id or address, the
// article (and for BWB the paragraph) and a label, with the link it makes shown as soon as the row is valid. Checked
// as the schema says (rules/schema/decision-table.schema.json, sourceRef), in words that name the row and the field.
import { clear, h } from '../dom.ts';
import { lang, t, type MessageKey } from '../i18n/index.ts';
import type { SourceRef } from '../../../server/engine/index.ts';
import { sourceText, sourceUrl } from '../../../server/engine/sources.ts';

/** The schema's limit on references per table (sources: maxItems). */
export const MAX_SOURCES = 100;

type Kind = SourceRef['kind'];

/** One row as typed: every field a text, the kind deciding which count. */
export interface SourceDraft {
  kind: Kind;
  /** The BWB or CVDR id, or the URL. */
  target: string;
  article: string;
  paragraph: string;
  title: string;
}

const ID_PATTERN: Record<Kind, RegExp> = {
  bwb: /^BWBR[0-9]{7}$/,
  cvdr: /^CVDR[0-9]{1,10}(_[0-9]{1,4})?$/,
  url: /^https?:\/\/[^\s]+$/,
};

export function draftOf(ref: SourceRef): SourceDraft {
  return {
    kind: ref.kind,
    target: ref.kind === 'url' ? ref.url : ref.id,
    article: ref.kind === 'url' ? '' : (ref.article ?? ''),
    paragraph: ref.kind === 'bwb' ? (ref.paragraph ?? '') : '',
    title: ref.title ?? '',
  };
}

/** The reference a row makes, or the message key of the first thing wrong with it (field and message). */
export function refOf(d: SourceDraft): { ref: SourceRef } | { field: 'target' | 'article' | 'paragraph' | 'title'; problem: MessageKey } {
  const target = d.target.trim();
  const article = d.article.trim();
  const paragraph = d.paragraph.trim();
  const title = d.title.trim();
  if (!target) return { field: 'target', problem: d.kind === 'url' ? 'card.src.urlMissing' : 'card.src.idMissing' };
  if (!ID_PATTERN[d.kind].test(target) || (d.kind === 'url' && target.length > 2000)) return { field: 'target', problem: `card.src.bad.${d.kind}` };
  if (article && (article.length > 100 || !/^[0-9A-Za-z.:/ -]+$/.test(article))) return { field: 'article', problem: 'card.src.badArticle' };
  if (paragraph && (paragraph.length > 20 || !/^[0-9A-Za-z]+$/.test(paragraph))) return { field: 'paragraph', problem: 'card.src.badParagraph' };
  if (paragraph && !article) return { field: 'paragraph', problem: 'card.src.paragraphNeedsArticle' };
  if (title.length > 500) return { field: 'title', problem: 'card.src.longTitle' };
  const label = title ? { title } : {};
  if (d.kind === 'url') return { ref: { kind: 'url', url: target, ...label } };
  if (d.kind === 'cvdr') return { ref: { kind: 'cvdr', id: target, ...(article ? { article } : {}), ...label } };
  return { ref: { kind: 'bwb', id: target, ...(article ? { article } : {}), ...(paragraph ? { paragraph } : {}), ...label } };
}

export interface SourcesEditor {
  el: HTMLElement;
  /** The references, or false after marking the rows that are wrong (the first one focused). */
  read: () => SourceRef[] | false;
}

export function sourcesEditor(initial: SourceRef[]): SourcesEditor {
  const rows: SourceDraft[] = initial.map(draftOf);
  const list = h('ol', { class: 'card-sources-list', id: 'card-sources-list' });
  const addButton = h('button', { type: 'button', id: 'card-source-add' }, t('card.src.add'));
  let shownProblems = false;

  const render = (focus?: { row: number; field: string }): void => {
    clear(
      list,
      rows.map((d, i) => {
        const n = i + 1;
        const id = (f: string) => `card-src-${i}-${f}`;
        const result = refOf(d);
        const problem = shownProblems && 'problem' in result ? result : null;
        const field = (f: 'target' | 'article' | 'paragraph' | 'title', label: MessageKey, value: string, attrs: Record<string, unknown> = {}) =>
          h(
            'span',
            { class: 'card-src-field' },
            h('label', { for: id(f) }, t(label)),
            h('input', {
              id: id(f),
              value,
              autocomplete: 'off',
              'aria-invalid': problem?.field === f ? 'true' : undefined,
              'aria-describedby': problem?.field === f ? id('problem') : undefined,
              oninput: (e: Event) => {
                d[f] = (e.target as HTMLInputElement).value;
                updateLink();
              },
              ...attrs,
            }),
          );
        const kind = h(
          'select',
          {
            id: id('kind'),
            onchange: () => {
              d.kind = kind.value as Kind;
              render({ row: i, field: 'kind' });
            },
          },
          (['bwb', 'cvdr', 'url'] as const).map((k) => h('option', { value: k, selected: d.kind === k }, t(`card.src.kind.${k}`))),
        );
        const link = h('span', { class: 'card-src-link small' });
        const updateLink = (): void => {
          const r = refOf(d);
          clear(link, 'ref' in r ? h('a', { href: sourceUrl(r.ref), target: '_blank', rel: 'noopener noreferrer' }, sourceText(r.ref, lang())) : '');
        };
        updateLink();
        return h(
          'li',
          { class: 'card-src-row', 'aria-label': t('card.src.row', { n }) },
          h('span', { class: 'card-src-field' }, h('label', { for: id('kind') }, t('card.src.kind')), kind),
          field('target', d.kind === 'url' ? 'card.src.url' : 'card.src.id', d.target, { class: 'mono', placeholder: d.kind === 'bwb' ? 'BWBR0005537' : d.kind === 'cvdr' ? 'CVDR123456' : 'https://' }),
          d.kind === 'url' ? null : field('article', 'card.src.article', d.article, { size: '8' }),
          d.kind === 'bwb' ? field('paragraph', 'card.src.paragraph', d.paragraph, { size: '4' }) : null,
          field('title', 'card.src.title', d.title),
          h(
            'button',
            {
              type: 'button',
              class: 'small danger',
              'aria-label': t('card.src.removeRow', { n }),
              onclick: () => {
                rows.splice(i, 1);
                render();
                addButton.focus();
              },
            },
            t('card.src.remove'),
          ),
          link,
          problem ? h('p', { class: 'form-error small card-src-problem', id: id('problem') }, t('card.src.problem', { n, problem: t(problem.problem) })) : null,
        );
      }),
    );
    addButton.disabled = rows.length >= MAX_SOURCES;
    if (focus) document.getElementById(`card-src-${focus.row}-${focus.field}`)?.focus();
  };

  addButton.addEventListener('click', () => {
    rows.push({ kind: 'bwb', target: '', article: '', paragraph: '', title: '' });
    render({ row: rows.length - 1, field: 'kind' });
  });
  render();

  return {
    el: h('div', { class: 'card-sources-editor' }, list, addButton),
    read: () => {
      const results = rows.map(refOf);
      const bad = results.findIndex((r) => 'problem' in r);
      if (bad < 0) {
        shownProblems = false;
        return results.map((r) => (r as { ref: SourceRef }).ref);
      }
      shownProblems = true;
      const first = results[bad] as { field: string };
      render({ row: bad, field: first.field });
      return false;
    },
  };
}
