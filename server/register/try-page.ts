// The try-it form of a table and, after it is sent, the outcome with the public explanation. A plain form that POSTs
// (so a case's values never travel in an address, a browser history or a log line), one labelled control per input:
// a choice for allowed values and yes/no, a date field for dates, text otherwise.
import type { DecisionTable, InputColumn, JsonValue, OutputRecord } from '../engine/types.ts';
import type { Field } from './form.ts';
import { href, html, Html, page, texts } from './html.ts';
import type { Lang } from './texts.ts';
import { dateText, labelOf, valueText } from './words.ts';

export interface TryOutcome {
  version: number;
  validFrom: string;
  output: OutputRecord | OutputRecord[] | null;
  explanation: string;
}

export interface TryPageData {
  table: DecisionTable;
  fields: readonly Field[];
  /** What was sent (form field → text), to fill the form again. */
  sent: Record<string, string>;
  outcome?: TryOutcome;
  /** Problems by form key ('' for the whole case, 'date' for the date). */
  problems?: { key: string; message: string; reason?: string }[];
}

export function tryPage(d: TryPageData, lang: Lang): string {
  const t = texts(lang);
  const id = d.table.id;
  const problems = d.problems ?? [];
  const problemOf = (key: string) => {
    const p = problems.find((x) => x.key === key);
    return p ? (p.reason ?? p.message) : undefined;
  };
  const dateProblem = problemOf('date');
  const body = html`<p class="crumbs"><a href="${href(lang, `/tables/${id}`)}">${t.backToTable}</a></p>
<h1>${t.tryIt}: ${d.table.title}</h1>
<p class="lead">${t.tryIntro}</p>
${
  problems.length
    ? html`<div class="problems" role="alert" id="answer" tabindex="-1"><h2>${t.problems}</h2><ul>${problems.map((p) => {
        const field = d.fields.findIndex((f) => f.key === p.key);
        const target = p.key === 'date' ? 'f-date' : field >= 0 ? `f-${field}` : null;
        return html`<li>${target ? html`<a href="#${target}">${p.message}</a>` : p.message}</li>`;
      })}</ul></div>`
    : ''
}
<form method="post" action="${href(lang, `/tables/${id}/try`)}#answer" class="try" novalidate>
${d.fields.map((f, i) => control(f, i, d.sent[`in_${f.key}`] ?? '', problemOf(f.key), lang))}
<div class="field">
<label for="f-date">${t.date}</label>
<span class="hint" id="f-date-hint">${t.dateHint}</span>
${dateProblem ? html`<span class="error" id="f-date-error">${dateProblem}</span>` : ''}
<input type="date" id="f-date" name="date" value="${d.sent.date ?? ''}" aria-describedby="f-date-hint${dateProblem ? ' f-date-error' : ''}"${dateProblem ? new Html(' aria-invalid="true"') : ''}>
</div>
<p><button type="submit">${t.submit}</button></p>
</form>
${d.outcome ? outcomeSection(d.table, d.outcome, lang) : ''}`;
  return page({ lang, title: `${t.tryIt}: ${d.table.title}`, path: `/tables/${id}/try`, body });
}

function control(f: Field, i: number, value: string, problem: string | undefined, lang: Lang): Html {
  const t = texts(lang);
  const c = f.column;
  const fid = `f-${i}`;
  const name = `in_${f.key}`;
  const describedBy = [c.description ? `${fid}-hint` : '', problem ? `${fid}-error` : ''].filter(Boolean).join(' ');
  const aria = new Html(`${describedBy ? ` aria-describedby="${describedBy}"` : ''}${problem ? ' aria-invalid="true"' : ''}${c.optional ? '' : ' required'}`);
  const hint = c.description ? html`<span class="hint" id="${fid}-hint">${c.description}</span>` : '';
  const error = problem ? html`<span class="error" id="${fid}-error">${problem}</span>` : '';
  const choices = choicesOf(c, lang);
  let input: Html;
  if (choices) {
    input = html`<select id="${fid}" name="${name}"${aria}>
<option value="">${t.choose}</option>
${choices.map(([v, label]) => html`<option value="${v}"${v === value ? new Html(' selected') : ''}>${label}</option>`)}
${c.optional ? html`<option value="__null"${value === '__null' ? new Html(' selected') : ''}>${t.empty}</option>` : ''}
</select>`;
  } else if (c.type === 'date') {
    input = html`<input type="date" id="${fid}" name="${name}" value="${value}"${aria}>`;
  } else {
    const mode = c.type === 'number' ? new Html(' inputmode="decimal"') : '';
    input = html`<input type="text" id="${fid}" name="${name}" value="${value}"${mode}${aria}>`;
  }
  const unit = c.unit && c.unit !== 'EUR' ? ` (${c.unit})` : c.unit === 'EUR' ? ' (€)' : '';
  return html`<div class="field${problem ? ' invalid' : ''}">
<label for="${fid}">${labelOf(c)}${unit}</label>
${hint}${error}${input}
</div>`;
}

/** The choices of a field: its allowed values, or yes/no for a boolean; null for free text. */
function choicesOf(c: InputColumn, lang: Lang): [string, string][] | null {
  const t = texts(lang);
  if (c.type === 'boolean') return [['true', t.yes], ['false', t.no]];
  if (c.values?.length) return c.values.map((v) => [typeof v === 'string' ? v : JSON.stringify(v), valueText(v, c, lang)]);
  return null;
}

function outcomeSection(table: DecisionTable, o: TryOutcome, lang: Lang): Html {
  const t = texts(lang);
  const records = o.output === null ? [] : Array.isArray(o.output) ? o.output : [o.output];
  return html`<section class="outcome" aria-labelledby="h-outcome" id="answer" tabindex="-1">
<h2 id="h-outcome">${t.result}</h2>
<p>${t.version} ${o.version}, ${t.validFrom.toLowerCase()} ${dateText(o.validFrom, lang)}</p>
${records.map(
  (r) => html`<dl class="facts result">${Object.entries(r).map(([k, v]) => {
    const col = table.outputs.find((x) => x.name === k);
    return html`<div><dt>${col ? labelOf(col) : k}</dt><dd>${col ? valueText(v as JsonValue, col, lang) : String(v)}</dd></div>`;
  })}</dl>`,
)}
<h2 id="h-explanation">${t.explanation}</h2>
<pre class="explanation">${linked(o.explanation)}</pre>
</section>`;
}

/** The explanation's text with its addresses (the sources' links) as links. */
function linked(text: string): Html {
  const parts = text.split(/(https:\/\/[^\s)]+)/);
  return html`${parts.map((p, i) => (i % 2 === 1 ? html`<a href="${p}" rel="noopener noreferrer">${p}</a>` : p))}`;
}
