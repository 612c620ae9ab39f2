// Plain server-rendered HTML for the register: escaping, the page frame, and links that keep the chosen language.
// No script anywhere (the Content-Security-Policy stays as strict as helmet makes it); one stylesheet with print rules.
import { TEXTS, type Lang, type Texts } from './texts.ts';

/** A piece of HTML that is already safe (escaped or written here). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  return esc(part);
}

/** A template whose interpolations are escaped unless they are Html (lists of parts are joined). */
export function html(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0]!;
  parts.forEach((p, i) => (out += render(p) + strings[i + 1]!));
  return new Html(out);
}

export const REGISTER_BASE = '/register';

/** A register address with the language kept (Dutch is the default and needs no parameter). */
export function href(lang: Lang, path = '', query: Record<string, string> = {}): string {
  const q = new URLSearchParams(query);
  if (lang === 'en') q.set('lang', 'en');
  const s = q.toString();
  return `${REGISTER_BASE}${path}${s ? `?${s}` : ''}`;
}

export function texts(lang: Lang): Texts {
  return TEXTS[lang] as Texts;
}

export interface PageOptions {
  lang: Lang;
  title: string;
  /** The same page in the other language. */
  path: string;
  query?: Record<string, string>;
  body: Html;
  /** The print view: no navigation, a print button-free page that prints as shown. */
  print?: boolean;
}

export function page(o: PageOptions): string {
  const t = texts(o.lang);
  const other: Lang = o.lang === 'nl' ? 'en' : 'nl';
  const doc = html`<!doctype html>
<html lang="${o.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title} · ${t.site}</title>
<link rel="stylesheet" href="${REGISTER_BASE}/register.css">
</head>
<body${o.print ? new Html(' class="print-view"') : ''}>
<a class="skip" href="#main">${t.skip}</a>
<header class="site">
<a class="site-name" href="${href(o.lang)}">${t.site}</a>
<nav aria-label="${o.lang === 'nl' ? 'Taal' : 'Language'}"><a href="${href(other, o.path, o.query)}" lang="${other}" hreflang="${other}" title="${t.otherLangLabel}">${t.otherLang}</a></nav>
</header>
<main id="main" tabindex="-1">
${o.body}
</main>
<footer class="site">
<p>${t.privacy}</p>
</footer>
</body>
</html>
`;
  return doc.text;
}
