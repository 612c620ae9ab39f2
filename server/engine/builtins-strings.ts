// The string built-ins of FEEL (DMN 1.5 10.3.4.3), one part of the one built-in registry (builtins.ts spreads
// STRING_BUILTINS into it).
import type { BuiltinEntry } from './builtin-entry.ts';
import { checkWork, replacementOf, xpathRegex } from './regex.ts';
import { asList, built, builtString, flagsOf, str, strings, whole } from './builtin-args.ts';

export const STRING_BUILTINS: Record<string, BuiltinEntry> = {
  // ---- strings ---------------------------------------------------------------------------------------------------
  'string length': { scalar: true, forms: ['string'], fn: (args) => (typeof args[0] === 'string' ? [...args[0]].length : null) },
  'upper case': { scalar: true, forms: ['string'], fn: (args) => (typeof args[0] === 'string' ? args[0].toUpperCase() : null) },
  'lower case': { scalar: true, forms: ['string'], fn: (args) => (typeof args[0] === 'string' ? args[0].toLowerCase() : null) },
  contains: { scalar: true, forms: ['string, match'], fn: (args) => strings(args, (s, m) => s.includes(m)) },
  'starts with': { scalar: true, forms: ['string, match'], fn: (args) => strings(args, (s, m) => s.startsWith(m)) },
  'ends with': { scalar: true, forms: ['string, match'], fn: (args) => strings(args, (s, m) => s.endsWith(m)) },
  substring: { scalar: true,
    forms: ['string, start position, length?'],
    fn(args) {
      const s = str(args[0]);
      const start = whole(args[1]);
      const length = args[2] === undefined ? undefined : whole(args[2]);
      if (s === null || start === null || length === null || start === 0) return null;
      const chars = [...s];
      const from = start > 0 ? start - 1 : chars.length + start;
      return chars.slice(from, length === undefined ? undefined : from + length).join('');
    },
  },
  'substring before': { scalar: true,
    forms: ['string, match'],
    fn: (args) => strings(args, (s, m) => (s.includes(m) ? s.slice(0, s.indexOf(m)) : '')),
  },
  'substring after': { scalar: true,
    forms: ['string, match'],
    fn: (args) => strings(args, (s, m) => (s.includes(m) ? s.slice(s.indexOf(m) + m.length) : '')),
  },

  matches: { scalar: true,
    forms: ['input, pattern, flags?'],
    fn(args) {
      const [input, pattern, flags] = [str(args[0]), str(args[1]), flagsOf(args[2])];
      if (input === null || pattern === null || flags === null) return null;
      const regex = xpathRegex(pattern, flags);
      if (!regex) return null;
      checkWork(regex, input);
      return regex.re.test(input);
    },
  },
  replace: { scalar: true,
    forms: ['input, pattern, replacement, flags?'],
    fn(args) {
      const [input, pattern, replacement, flags] = [str(args[0]), str(args[1]), str(args[2]), flagsOf(args[3])];
      if (input === null || pattern === null || replacement === null || flags === null) return null;
      const regex = xpathRegex(pattern, flags, true);
      // XPath 3.1 (FORX0003): a pattern that matches the empty string is an error.
      if (!regex || ''.replace(regex.re, 'x') !== '') return null;
      checkWork(regex, input);
      const re = regex.re;
      const groups = new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')!.length - 1;
      const replace = replacementOf(replacement, groups);
      if (!replace) return null;
      return builtString(input.replace(re, (match: string, ...rest: unknown[]) => replace(match, rest.slice(0, groups) as (string | undefined)[])));
    },
  },
  split: { scalar: true,
    forms: ['string, delimiter'],
    fn(args) {
      const [s, delimiter] = [str(args[0]), str(args[1])];
      if (s === null || delimiter === null) return null;
      const regex = xpathRegex(delimiter, '', true);
      if (!regex || ''.replace(regex.re, 'x') !== '') return null;
      checkWork(regex, s);
      const out: string[] = [];
      let from = 0;
      for (const m of s.matchAll(regex.re)) {
        out.push(s.slice(from, m.index));
        from = m.index + m[0].length;
      }
      out.push(s.slice(from));
      return built(out);
    },
  },
  'string join': {
    forms: ['list, delimiter?'],
    fn(args) {
      const [list, delimiter] = [asList(args[0]), args[1] ?? null];
      if (!list || (delimiter !== null && typeof delimiter !== 'string')) return null;
      if (!list.every((v) => v === null || typeof v === 'string')) return null;
      return builtString(list.filter((v) => v !== null).join(delimiter ?? ''));
    },
  },

};
