// A table's parts as a resident reads them: cells in words (the explanation's wording), values, dates and sources.
// FEEL is shown only where no plain rendering exists (a calculation), marked as such.
import { inputCellWords, outputCellWords, valueWords } from '../engine/explain.ts';
import { sourceText, sourceUrl } from '../engine/sources.ts';
import type { DecisionTable, InputColumn, JsonValue, OutputColumn, SourceRef } from '../engine/types.ts';
import { html, Html, texts } from './html.ts';
import type { Lang } from './texts.ts';

/** `yyyy-mm-dd` as dd-mm-jjjj (Dutch) or the ISO date (English readers get the unambiguous form). */
export function dateText(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return lang === 'nl' ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}

export function labelOf(c: { name: string; label?: string }): string {
  return c.label ?? c.name.replace(/_/g, ' ');
}

/** A value for a column: amounts in euro, a unit after a number, else the explanation's words. */
export function valueText(v: JsonValue, c: Pick<OutputColumn, 'type' | 'unit' | 'format'>, lang: Lang): string {
  if (typeof v === 'number' && (c.unit === 'EUR' || c.format === 'money')) {
    return new Intl.NumberFormat(lang === 'nl' ? 'nl-NL' : 'en-GB', { style: 'currency', currency: 'EUR' }).format(v);
  }
  const words = valueWords(v, c.type, lang);
  return typeof v === 'number' && c.unit ? `${words} ${c.unit}` : words;
}

/** An input cell: words, or the cell's text marked as a calculation. */
export function inputCell(text: string | undefined, column: InputColumn, table: DecisionTable, lang: Lang): Html {
  const words = inputCellWords(text ?? '-', column.type, table, lang);
  if (words === null) return html`<code title="${texts(lang).formula}">${text}</code>`;
  // A dash, as in the editor's grid, so a row's conditions stand out; screen readers hear the words.
  if ((text ?? '-').trim() === '-' || (text ?? '').trim() === '') return html`<span class="any"><span aria-hidden="true">–</span><span class="sr">${words}</span></span>`;
  return html`${words}`;
}

export function outputCell(text: string | undefined, column: OutputColumn, table: DecisionTable, lang: Lang): Html {
  if (text === undefined) return html`<span class="any">–</span>`;
  const words = outputCellWords(text, column.type, table, lang);
  if (words === null) return html`<code title="${texts(lang).formula}">${text}</code>`;
  return html`${words}`;
}

export function sourceLinks(refs: readonly SourceRef[], lang: Lang): Html {
  return html`${refs.map(
    (r) => html`<li><a href="${sourceUrl(r)}" rel="noopener noreferrer">${sourceText(r, lang)}</a></li>`,
  )}`;
}

/** Every structured source a table cites (the table's, its columns' and its rules'), each once. */
export function allSources(table: DecisionTable): SourceRef[] {
  const refs = [...(table.meta?.sources ?? []), ...table.inputs.flatMap((c) => c.sources ?? []), ...table.outputs.flatMap((c) => c.sources ?? []), ...table.rules.flatMap((r) => r.sources ?? [])];
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = sourceUrl(r);
    return !seen.has(key) && (seen.add(key), true);
  });
}
