// Structured source references (docs/contracts.md, "Source references"): a table (`meta.sources`), a rule and a column
// (`sources`) can cite the law or local regulation they carry out. A BWB id names a national regulation on
// wetten.overheid.nl, a CVDR id a local one on lokaleregelgeving.overheid.nl; the links are the Juriconnect form
// (`jci1.3:c:<id>&artikel=…`), which wetten.overheid.nl resolves to the article in the version in force, so a
// reference stays valid when the regulation's structure (chapters, sections) is renumbered around the article.

import type { SourceRef } from './types.ts';

export type { SourceRef };

export type Lang = 'nl' | 'en';

/** The address of a reference: Juriconnect for BWB, the CVDR page for a local regulation, the URL itself. */
export function sourceUrl(ref: SourceRef): string {
  switch (ref.kind) {
    case 'bwb': {
      const article = ref.article ? `&artikel=${encodeURIComponent(ref.article).replace(/%3A/gi, ':')}` : '';
      const paragraph = ref.article && ref.paragraph ? `&lid=${encodeURIComponent(ref.paragraph)}` : '';
      return `https://wetten.overheid.nl/jci1.3:c:${ref.id}${article}${paragraph}`;
    }
    case 'cvdr':
      return `https://lokaleregelgeving.overheid.nl/${ref.id}`;
    case 'url':
      return ref.url;
  }
}

/** A reference in words: "Awb, artikel 5:31 lid 2" / "Awb, article 5:31(2)"; the id when there is no title. */
export function sourceText(ref: SourceRef, lang: Lang): string {
  if (ref.kind === 'url') return ref.title ?? ref.url;
  const name = ref.title ?? ref.id;
  if (!ref.article) return name;
  const paragraph = ref.kind === 'bwb' && ref.paragraph ? ref.paragraph : '';
  if (lang === 'nl') return `${name}, artikel ${ref.article}${paragraph ? ` lid ${paragraph}` : ''}`;
  return `${name}, article ${ref.article}${paragraph ? `(${paragraph})` : ''}`;
}

/** A reference as text with its address, for plain text such as a decision letter. */
export function sourceLine(ref: SourceRef, lang: Lang): string {
  const text = sourceText(ref, lang);
  const url = sourceUrl(ref);
  return text === url ? url : `${text} (${url})`;
}
