// The register's front page: the tables in force, grouped by domain, each with its title, description and owner.
import type { VersionRecord } from '../store/records.ts';
import { domainOf } from './catalog.ts';
import { domainOrder, domainTitle } from './domains.ts';
import { href, html, page, texts } from './html.ts';
import type { Lang } from './texts.ts';
import { dateText } from './words.ts';

export function indexPage(tables: readonly VersionRecord[], lang: Lang): string {
  const t = texts(lang);
  const byDomain = new Map<string, VersionRecord[]>();
  for (const r of tables) byDomain.set(domainOf(r.tableId), [...(byDomain.get(domainOf(r.tableId)) ?? []), r]);
  const domains = [...byDomain.keys()].sort(domainOrder);
  const body = html`<h1>${t.site}</h1>
<p class="lead">${t.intro}</p>
<p>${t.tables(tables.length)}</p>
${tables.length === 0 ? html`<p>${t.none}</p>` : ''}
${domains.map(
  (d) => html`<section class="domain" aria-labelledby="d-${d}">
<h2 id="d-${d}">${domainTitle(d, lang)}</h2>
<ul class="tables">
${byDomain.get(d)!.map(
  (r) => html`<li>
<h3><a href="${href(lang, `/tables/${r.tableId}`)}">${r.table.title}</a></h3>
${r.table.description ? html`<p>${r.table.description}</p>` : ''}
<dl class="facts">
${r.table.meta?.owner ? html`<div><dt>${t.owner}</dt><dd>${r.table.meta.owner}</dd></div>` : ''}
<div><dt>${t.version}</dt><dd>${r.version}, ${t.validFrom.toLowerCase()} ${dateText(r.validFrom, lang)}</dd></div>
</dl>
</li>`,
)}
</ul>
</section>`,
)}
<p class="api"><a href="/api/v1/public/tables">${t.api}</a></p>`;
  return page({ lang, title: t.siteShort, path: '', body });
}
