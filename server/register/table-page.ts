// A table's page in the register (and its printable view): what it decides and needs, its rules in words, its
// sources as links, its version and start date, and its history.
import type { DecisionTable } from '../engine/types.ts';
import type { VersionMeta, VersionRecord } from '../store/records.ts';
import { validUntil } from './catalog.ts';
import { href, html, Html, page, texts } from './html.ts';
import type { Lang } from './texts.ts';
import { allSources, dateText, inputCell, labelOf, outputCell, sourceLinks, valueText } from './words.ts';

export interface TablePageData {
  record: VersionRecord;
  /** The versions the register shows, newest first. */
  history: readonly VersionMeta[];
  /** The version in force today. */
  inForce: number;
  /** Titles of the tables this one requires, by id (those in the register). */
  required: ReadonlyMap<string, string>;
  print?: boolean;
}

export function tablePage(d: TablePageData, lang: Lang): string {
  const t = texts(lang);
  const { record, history } = d;
  const table = record.table;
  const meta = table.meta ?? {};
  const isCurrent = record.version === d.inForce;
  const base = `/tables/${record.tableId}`;
  const path = d.print ? `${base}/print` : isCurrent ? base : `${base}/versions/${record.version}`;
  const until = validUntil(history, record);
  const policy = t.hitPolicies[table.hitPolicy ?? 'UNIQUE'] ?? table.hitPolicy;
  const aggregation = table.aggregation ? `, ${t.aggregations[table.aggregation] ?? table.aggregation}` : '';
  const sources = allSources(table);
  const confidence = meta.confidence ? t.confidenceWords[meta.confidence] : null;
  const body = html`${d.print ? '' : html`<p class="crumbs"><a href="${href(lang)}">${t.back}</a></p>`}
<h1>${table.title}</h1>
${table.description ? html`<p class="lead">${table.description}</p>` : ''}
<dl class="facts">
${meta.owner ? html`<div><dt>${t.owner}</dt><dd>${meta.owner}</dd></div>` : ''}
<div><dt>${t.version}</dt><dd>${record.version}${isCurrent ? html` <span class="badge">${t.inForce}</span>` : ''}</dd></div>
<div><dt>${t.validFrom}</dt><dd>${dateText(record.validFrom, lang)}</dd></div>
${until ? html`<div><dt>${t.validUntil}</dt><dd>${dateText(until, lang)}</dd></div>` : ''}
<div><dt>${t.hitPolicy}</dt><dd>${policy}${aggregation}</dd></div>
${meta.reviewBy ? html`<div><dt>${t.reviewBy}</dt><dd>${dateText(meta.reviewBy, lang)}</dd></div>` : ''}
${confidence ? html`<div><dt>${t.confidence}</dt><dd>${confidence}</dd></div>` : ''}
</dl>
${
  d.print
    ? ''
    : html`<p class="actions"><a class="button" href="${href(lang, `${base}/try`, isCurrent ? {} : { date: record.validFrom })}">${t.tryIt}</a>
<a href="${href(lang, `${base}/print`)}">${t.printable}</a></p>`
}
${
  table.requires?.length
    ? html`<p>${t.uses}: ${table.requires.map((id, i) => html`${i > 0 ? ', ' : ''}${d.required.has(id) && !d.print ? html`<a href="${href(lang, `/tables/${id}`)}">${d.required.get(id)}</a>` : d.required.get(id) ?? id}`)}</p>`
    : ''
}
${
  meta.source || sources.length
    ? html`<section aria-labelledby="h-sources"><h2 id="h-sources">${t.sources}</h2>
${meta.source ? html`<p>${meta.source}</p>` : ''}
${sources.length ? html`<ul class="sources">${sourceLinks(sources, lang)}</ul>` : ''}
</section>`
    : ''
}
<section aria-labelledby="h-asks"><h2 id="h-asks">${t.asks}</h2>
<dl class="columns">${table.inputs.map((c) => columnEntry(c, lang, c.optional === true))}</dl>
</section>
<section aria-labelledby="h-decides"><h2 id="h-decides">${t.decides}</h2>
<dl class="columns">${table.outputs.map((c) => columnEntry(c, lang, false))}</dl>
</section>
<section aria-labelledby="h-rules"><h2 id="h-rules">${t.rules}</h2>
<p>${t.rulesIntro}</p>
${rulesTable(table, lang)}
</section>
${d.print ? '' : historySection(d, lang)}`;
  return page({ lang, title: table.title, path, body, print: d.print });
}

function columnEntry(c: DecisionTable['inputs'][number] | DecisionTable['outputs'][number], lang: Lang, optional: boolean): Html {
  const t = texts(lang);
  const kind = c.values?.length ? `${t.allowed}: ${c.values.map((v) => valueText(v, c, lang)).join(', ')}` : t.kinds[c.type as keyof typeof t.kinds];
  const values = kind ? html` <span class="values">(${kind})</span>` : '';
  return html`<div><dt>${labelOf(c)}</dt><dd>${c.description ?? ''}${values}${optional ? html` <span class="values">(${t.optional})</span>` : ''}</dd></div>`;
}

function rulesTable(table: DecisionTable, lang: Lang): Html {
  const t = texts(lang);
  const hasNotes = table.rules.some((r) => r.note);
  return html`<div class="scroll" role="region" aria-label="${t.rules}" tabindex="0">
<table class="rules">
<caption>${table.title}: ${t.rules.toLowerCase()}</caption>
<thead>
<tr><td></td><th scope="colgroup" colspan="${table.inputs.length}" class="when">${t.when}</th><th scope="colgroup" colspan="${table.outputs.length}" class="then">${t.then}</th>${hasNotes ? html`<td></td>` : ''}</tr>
<tr><th scope="col">${t.rule}</th>${table.inputs.map((c) => html`<th scope="col" class="when">${labelOf(c)}</th>`)}${table.outputs.map((c) => html`<th scope="col" class="then">${labelOf(c)}</th>`)}${hasNotes ? html`<th scope="col">${t.note}</th>` : ''}</tr>
</thead>
<tbody>
${table.rules.map(
  (r) => html`<tr><th scope="row">${r.id}</th>${table.inputs.map((c) => html`<td class="when">${inputCell(r.when[c.name], c, table, lang)}</td>`)}${table.outputs.map((c) => html`<td class="then">${outputCell(r.then[c.name], c, table, lang)}</td>`)}${hasNotes ? html`<td class="note">${r.note ?? ''}</td>` : ''}</tr>`,
)}
</tbody>
</table>
</div>`;
}

function historySection(d: TablePageData, lang: Lang): Html {
  const t = texts(lang);
  const id = d.record.tableId;
  return html`<section aria-labelledby="h-history"><h2 id="h-history">${t.history}</h2>
<p>${t.historyIntro}</p>
<ol class="history" reversed>
${d.history.map((v) => {
  const until = validUntil(d.history, v);
  const link = v.version === d.inForce ? href(lang, `/tables/${id}`) : href(lang, `/tables/${id}/versions/${v.version}`);
  const when = `${t.validFrom.toLowerCase()} ${dateText(v.validFrom, lang)}${until ? ` ${lang === 'nl' ? 'tot en met' : 'up to and including'} ${dateText(until, lang)}` : ''}`;
  const state = v.version === d.inForce ? html` <span class="badge">${t.inForce}</span>` : v.version > d.inForce ? html` <span class="badge upcoming">${t.upcoming}</span>` : '';
  const current = v.version === d.record.version ? html` aria-current="page"` : '';
  return html`<li><a href="${link}"${current}>${t.version} ${v.version}</a>, ${when}${state}</li>`;
})}
</ol>
</section>`;
}
