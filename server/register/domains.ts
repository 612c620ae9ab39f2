// The domains of the register in the order of the BVTH-beleidsplan (as in rules/README.md, scripts/catalogue.ts);
// a domain not listed follows alphabetically under its own name.
import type { Lang } from './texts.ts';

const DOMAINS: [string, string, string][] = [
  ['handhaving', 'Handhaving (Landelijke Handhavingsstrategie)', 'Enforcement (national enforcement strategy)'],
  ['drank-horeca', 'Drank en horeca (Alcoholwet)', 'Alcohol and catering (Alcohol Act)'],
  ['evenementen', 'Evenementen', 'Events'],
  ['campings', 'Wonen op campings', 'Living on campsites'],
  ['gedogen', 'Gedogen', 'Tolerance'],
  ['vergunningen', 'Vergunningen', 'Permits'],
  ['ruimtelijke-plannen', 'Ruimtelijke plannen', 'Spatial plans'],
  ['toezicht', 'Toezicht', 'Inspection'],
  ['toetsprotocol', 'Toetsprotocol (LTB)', 'Review protocol (LTB)'],
  ['toezichtsprotocol', 'Toezichtsprotocol (iTP)', 'Inspection protocol (iTP)'],
  ['brandveiligheid', 'Brandveiligheid', 'Fire safety'],
  ['onderzoek', 'Onderzoeksprotocol', 'Investigation protocol'],
  ['preventie', 'Preventie', 'Prevention'],
];

export function domainTitle(domain: string, lang: Lang): string {
  const d = DOMAINS.find(([id]) => id === domain);
  return d ? d[lang === 'nl' ? 1 : 2] : domain;
}

/** Sorts domains as the plan does, unknown ones after, alphabetically. */
export function domainOrder(a: string, b: string): number {
  const ia = DOMAINS.findIndex(([id]) => id === a);
  const ib = DOMAINS.findIndex(([id]) => id === b);
  if (ia >= 0 && ib >= 0) return ia - ib;
  if (ia >= 0) return -1;
  if (ib >= 0) return 1;
  return a.localeCompare(b);
}
