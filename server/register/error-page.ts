// The register's answers for an unknown page (404, the same for a table that is not public) and for too many
// requests (429), in the resident's language.
import { href, html, page, texts } from './html.ts';
import type { Lang } from './texts.ts';

export function notFoundPage(lang: Lang): string {
  const t = texts(lang);
  return page({ lang, title: t.notFound, path: '', body: html`<h1>${t.notFound}</h1><p>${t.notFoundText}</p><p><a href="${href(lang)}">${t.back}</a></p>` });
}

export function tooManyPage(lang: Lang, retryAfterSeconds: number): string {
  const t = texts(lang);
  return page({ lang, title: t.tooMany, path: '', body: html`<h1>${t.tooMany}</h1><p>${t.tooManyText(retryAfterSeconds)}</p><p><a href="${href(lang)}">${t.back}</a></p>` });
}
