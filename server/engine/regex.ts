// Regular expressions as FEEL's `matches`, `replace` and `split` read them: XML Schema regexes with the XPath 3.1
// additions (anchors, reluctant quantifiers, back-references, `(?:…)`, the flags s m i x q), translated to a JS
// RegExp with the `u` flag. Anything XPath calls an error (an unknown escape, a back-reference to a group not yet
// closed, `-` in a class where XSD forbids it, a JS-only construct such as `(?=` or `\b`) gives null here, as the
// built-ins answer null on an invalid pattern.
//
// Bounded: JS regexes backtrack, so a pattern such as `(a+)+b` takes exponential time on "aaaa…c". Rather than a
// native linear-time engine (re2 needs a compiled add-on, which `npm ci` on every machine would have to build), a
// pattern is refused (null) when a quantifier that repeats more than once applies to a group that itself holds a
// quantifier or an alternation: the shape of every exponential case. Repetition of plain characters and classes,
// alternation outside repeated groups, and `?` on any group stay allowed. What remains is at worst polynomial:
// n^(q+1) for an input of n characters and q repeating quantifiers, and a call whose n^(q+1) exceeds
// MAX_REGEX_WORK is a LimitError (as every budget of limits.ts), never minutes of CPU.

/** The Unicode blocks `\p{IsX}` names that policy text meets; another block name is an invalid pattern. */
const BLOCKS: Record<string, string> = {
  BasicLatin: '\\u0000-\\u007F',
  'Latin-1Supplement': '\\u0080-\\u00FF',
  'LatinExtended-A': '\\u0100-\\u017F',
  'LatinExtended-B': '\\u0180-\\u024F',
  IPAExtensions: '\\u0250-\\u02AF',
  Greek: '\\u0370-\\u03FF',
  Cyrillic: '\\u0400-\\u04FF',
  Hebrew: '\\u0590-\\u05FF',
  Arabic: '\\u0600-\\u06FF',
  GeneralPunctuation: '\\u2000-\\u206F',
  CurrencySymbols: '\\u20A0-\\u20CF',
  LetterlikeSymbols: '\\u2100-\\u214F',
  Arrows: '\\u2190-\\u21FF',
  MathematicalOperators: '\\u2200-\\u22FF',
};

/** XSD's `\p{…}` categories that JS also knows by the same name (JS adds others, which XSD lacks). */
const CATEGORIES = new Set(
  'L Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po Z Zs Zl Zp S Sm Sc Sk So C Cc Cf Co Cn'.split(' '),
);

// XSD's multi-character escapes, as the contents of a JS class (to place inside [...]) and their complements.
const NAME_START = 'A-Za-z_:\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_CHAR = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F-\\u2040`;
const CLASS_ESCAPES: Record<string, { inside: string; negated: boolean }> = {
  s: { inside: ' \\t\\n\\r', negated: false },
  S: { inside: ' \\t\\n\\r', negated: true },
  d: { inside: '\\p{Nd}', negated: false },
  D: { inside: '\\p{Nd}', negated: true },
  // \w is every character outside the categories P, Z and C: exactly the letters, marks, numbers and symbols.
  w: { inside: '\\p{L}\\p{M}\\p{N}\\p{S}', negated: false },
  W: { inside: '\\p{L}\\p{M}\\p{N}\\p{S}', negated: true },
  i: { inside: NAME_START, negated: false },
  I: { inside: NAME_START, negated: true },
  c: { inside: NAME_CHAR, negated: false },
  C: { inside: NAME_CHAR, negated: true },
};

/** Characters XSD lets a backslash escape as themselves. */
const SINGLE_ESCAPES = new Set(['\\', '|', '.', '?', '*', '+', '(', ')', '{', '}', '-', '[', ']', '^', '$']);
const CONTROL_ESCAPES: Record<string, string> = { n: '\\n', r: '\\r', t: '\\t' };

import { LimitError } from './errors.ts';
import { MAX_REGEX_WORK } from './limits.ts';

class Invalid extends Error {}

/** The flags XPath allows; any other character (a space included) makes the call null. */
const FLAGS = /^[smixq]*$/;

interface Group {
  /** Whether the group holds a quantifier or a `|`: repeating it could backtrack exponentially. */
  risky: boolean;
  capturing: boolean;
  number: number;
}

/** A JS-escaped literal character (for the `q` flag and single-character escapes). */
function literal(ch: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : ch;
}

class Translator {
  private i = 0;
  private out = '';
  private groups = 0;
  private closed = new Set<number>();
  /** Quantifiers that repeat more than once: the exponent of the worst-case work. */
  repeats = 0;
  private readonly stack: Group[] = [{ risky: false, capturing: false, number: 0 }];
  /** Whether the last thing emitted was a group (and which), a quantifiable atom, or nothing quantifiable. */
  private last: { kind: 'none' } | { kind: 'atom' } | { kind: 'group'; risky: boolean } = { kind: 'none' };

  constructor(private readonly src: string) {}

  run(): string {
    while (this.i < this.src.length) this.token();
    if (this.stack.length !== 1) throw new Invalid('unclosed group');
    return this.out;
  }

  private get top(): Group {
    return this.stack[this.stack.length - 1]!;
  }

  private token(): void {
    const ch = this.src[this.i]!;
    switch (ch) {
      case '(': {
        let capturing = true;
        if (this.src.startsWith('(?:', this.i)) {
          capturing = false;
          this.i += 3;
        } else if (this.src[this.i + 1] === '?') {
          throw new Invalid('(? is only allowed as (?:');
        } else {
          this.i++;
        }
        const number = capturing ? ++this.groups : 0;
        this.stack.push({ risky: false, capturing, number });
        this.out += capturing ? '(' : '(?:';
        this.last = { kind: 'none' };
        return;
      }
      case ')': {
        if (this.stack.length === 1) throw new Invalid('unmatched )');
        const g = this.stack.pop()!;
        if (g.capturing) this.closed.add(g.number);
        if (g.risky) this.top.risky = true;
        this.i++;
        this.out += ')';
        this.last = { kind: 'group', risky: g.risky };
        return;
      }
      case '|':
        this.top.risky = true;
        this.i++;
        this.out += '|';
        this.last = { kind: 'none' };
        return;
      case '*':
      case '+':
      case '?':
      case '{':
        this.quantifier();
        return;
      case '}':
      case ']':
        throw new Invalid(`unescaped ${ch}`);
      case '^':
      case '$':
        this.i++;
        this.out += ch;
        this.last = { kind: 'none' };
        return;
      case '.':
        this.i++;
        // XPath's `.` excludes only \n and \r (JS's also excludes U+2028/2029); with `s` it is every character.
        this.out += this.dotAll ? '[\\s\\S]' : '[^\\n\\r]';
        this.last = { kind: 'atom' };
        return;
      case '[':
        this.out += this.charClass();
        this.last = { kind: 'atom' };
        return;
      case '\\':
        this.out += this.escape(false);
        this.last = { kind: 'atom' };
        return;
      default:
        this.i++;
        this.out += literal(ch);
        this.last = { kind: 'atom' };
    }
  }

  dotAll = false;

  private quantifier(): void {
    if (this.last.kind === 'none') throw new Invalid('a quantifier with nothing to repeat');
    const m = /^(?:[*+?]|\{(\d+)(,(\d*))?\})/.exec(this.src.slice(this.i));
    if (!m) throw new Invalid('malformed quantifier');
    const text = m[0];
    let max = Infinity;
    if (text === '?') max = 1;
    else if (text.startsWith('{')) {
      const lo = Number(m[1]);
      max = m[2] === undefined ? lo : m[3] === '' ? Infinity : Number(m[3]);
      if (max < lo) throw new Invalid('{n,m} with m < n');
    }
    this.i += text.length;
    let lazy = '';
    if (this.src[this.i] === '?') {
      lazy = '?';
      this.i++;
    }
    if (this.last.kind === 'group' && this.last.risky && max > 1) {
      throw new Invalid('a repeated group holding a quantifier or an alternation could backtrack exponentially');
    }
    if (max > 1) {
      this.top.risky = true;
      this.repeats++;
    }
    this.out += text + lazy;
    this.last = { kind: 'none' };
  }

  /** A backslash escape at this.i; `inClass` for one inside [...] (no back-references there). */
  private escape(inClass: boolean): string {
    const next = this.src[this.i + 1];
    if (next === undefined) throw new Invalid('a pattern ending in \\');
    if (SINGLE_ESCAPES.has(next)) {
      this.i += 2;
      return literal(next);
    }
    if (CONTROL_ESCAPES[next]) {
      this.i += 2;
      return CONTROL_ESCAPES[next];
    }
    const multi = CLASS_ESCAPES[next];
    if (multi) {
      this.i += 2;
      if (inClass) {
        if (multi.negated) throw new NegatedInClass(multi.inside);
        return multi.inside;
      }
      return `[${multi.negated ? '^' : ''}${multi.inside}]`;
    }
    if (next === 'p' || next === 'P') {
      const m = /^\{([^}]*)\}/.exec(this.src.slice(this.i + 2));
      if (!m) throw new Invalid('\\p without {name}');
      this.i += 2 + m[0].length;
      const name = m[1]!;
      let inside: string;
      if (name.startsWith('Is')) {
        const block = BLOCKS[name.slice(2)];
        if (!block) throw new Invalid(`unknown block ${name}`);
        inside = block;
      } else if (CATEGORIES.has(name)) {
        inside = `\\p{${name}}`;
      } else {
        throw new Invalid(`unknown category ${name}`);
      }
      if (inClass) {
        if (next === 'P') throw new NegatedInClass(inside);
        return inside;
      }
      return `[${next === 'P' ? '^' : ''}${inside}]`;
    }
    if (/[1-9]/.test(next) && !inClass) {
      // XPath reads as many digits as name a group already closed.
      let digits = next;
      this.i += 2;
      while (/[0-9]/.test(this.src[this.i] ?? '') && this.closed.has(Number(digits + this.src[this.i]))) digits += this.src[this.i++];
      if (!this.closed.has(Number(digits))) throw new Invalid(`back-reference \\${digits} to a group not closed before it`);
      return `\\${digits}`;
    }
    throw new Invalid(`unknown escape \\${next}`);
  }

  /** A character class at this.i, with XSD's subtraction `[a-z-[aeiou]]` as a negative lookahead. */
  private charClass(): string {
    this.i++; // [
    let negated = false;
    if (this.src[this.i] === '^') {
      negated = true;
      this.i++;
    }
    let body = '';
    /** Complements of multi-character escapes written inside the class (`[\S]`): matched as alternatives. */
    const negatedParts: string[] = [];
    let first = true;
    let subtract: string | null = null;
    for (;;) {
      const ch = this.src[this.i];
      if (ch === undefined) throw new Invalid('unclosed [');
      if (ch === ']') {
        if (first) throw new Invalid('empty class');
        this.i++;
        break;
      }
      if (ch === '[') throw new Invalid('[ inside a class');
      if (ch === '-' && this.src[this.i + 1] === '[') {
        if (first) throw new Invalid('subtraction from nothing');
        this.i++;
        subtract = this.charClass();
        if (this.src[this.i] !== ']') throw new Invalid('a subtraction must end its class');
        this.i++;
        break;
      }
      if (ch === '-' && !first && this.src[this.i + 1] !== ']') throw new Invalid('- inside a class must be first or last');
      const start = this.classChar(negatedParts);
      first = false;
      if (start !== null && this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.src[this.i + 1] !== '[') {
        this.i++;
        const end = this.classChar(negatedParts);
        if (end === null) throw new Invalid('a range ending in a multi-character escape');
        if (codePoint(end) < codePoint(start)) throw new Invalid('a range backwards');
        body += `${start.js}-${end.js}`;
      } else if (start !== null) {
        body += start.js;
      }
    }
    let cls: string;
    if (negatedParts.length === 0) cls = `[${negated ? '^' : ''}${body}]`;
    else if (!negated) cls = `(?:${[body === '' ? null : `[${body}]`, ...negatedParts.map((p) => `[^${p}]`)].filter((x) => x !== null).join('|')})`;
    else cls = `(?:(?!${negatedParts.map((p) => `[^${p}]`).join('|')})[^${body === '' ? '\\u{10FFFF}' : body}])`;
    return subtract === null ? cls : `(?:(?!${subtract})${cls})`;
  }

  /** One character of a class, or null for a multi-character escape (added to the body or negatedParts directly). */
  private classChar(negatedParts: string[]): { js: string; raw: string } | null {
    const ch = this.src[this.i]!;
    if (ch === '\\') {
      const next = this.src[this.i + 1] ?? '';
      if (SINGLE_ESCAPES.has(next) || CONTROL_ESCAPES[next]) {
        const raw = CONTROL_ESCAPES[next] ? { n: '\n', r: '\r', t: '\t' }[next as 'n' | 'r' | 't'] : next;
        return { js: this.escape(true), raw };
      }
      try {
        const inside = this.escape(true);
        return { js: inside, raw: '' };
      } catch (e) {
        if (e instanceof NegatedInClass) {
          negatedParts.push(e.inside);
          return null;
        }
        throw e;
      }
    }
    const cp = this.src.codePointAt(this.i)!;
    const raw = String.fromCodePoint(cp);
    this.i += raw.length;
    return { js: /[\\\]^-]/.test(raw) ? `\\${raw}` : raw, raw };
  }
}

class NegatedInClass extends Error {
  constructor(readonly inside: string) {
    super('negated escape inside a class');
  }
}

function codePoint(c: { raw: string }): number {
  if (c.raw === '') throw new Invalid('a range bound that is not one character');
  return c.raw.codePointAt(0)!;
}

/** Strips whitespace outside classes (the `x` flag). */
function stripWhitespace(pattern: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      // The escaped character is the next one left after whitespace is removed (`hello\ sworld` is `hello\sworld`).
      let j = i + 1;
      while (depth === 0 && /[ \t\n\r]/.test(pattern[j] ?? '')) j++;
      out += ch + (pattern[j] ?? '');
      i = j;
      continue;
    }
    if (ch === '[') depth++;
    if (ch === ']' && depth > 0) depth--;
    if (depth === 0 && /[ \t\n\r]/.test(ch)) continue;
    out += ch;
  }
  return out;
}

/** A translated pattern and how many repeating quantifiers it holds (for checkWork). */
export interface XpathRegex {
  readonly re: RegExp;
  readonly repeats: number;
}

/** Throws a LimitError when matching `input` could take more than MAX_REGEX_WORK steps of backtracking. */
export function checkWork(regex: XpathRegex, input: string): void {
  if (regex.repeats > 0 && input.length ** (regex.repeats + 1) > MAX_REGEX_WORK) {
    throw new LimitError({
      code: regex.repeats === 1 ? 'LIMIT_REGEX_WORK_ONE' : 'LIMIT_REGEX_WORK',
      params: { repeats: regex.repeats, length: input.length, limit: MAX_REGEX_WORK },
    });
  }
}

const cache = new Map<string, XpathRegex | null>();
const CACHE_SIZE = 500;

/**
 * The JS RegExp for an XPath pattern and flags, with `g` added when `global`; null for an invalid pattern or flags,
 * or a pattern refused as exponential. Translations are cached: a cell's pattern is usually a constant; a global
 * RegExp keeps `lastIndex`, so callers use `replace`/`matchAll`, which reset it.
 */
export function xpathRegex(pattern: string, flags: string, global = false): XpathRegex | null {
  const key = `${global ? 'g' : '-'}${flags}\u0000${pattern}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  let result: XpathRegex | null = null;
  if (FLAGS.test(flags)) {
    try {
      let source: string;
      let repeats = 0;
      if (flags.includes('q')) {
        source = [...pattern].map(literal).join('');
      } else {
        const t = new Translator(flags.includes('x') ? stripWhitespace(pattern) : pattern);
        t.dotAll = flags.includes('s');
        source = t.run();
        repeats = t.repeats;
      }
      const jsFlags = `u${flags.includes('i') ? 'i' : ''}${flags.includes('m') ? 'm' : ''}${global ? 'g' : ''}`;
      result = { re: new RegExp(source, jsFlags), repeats };
    } catch (e) {
      if (!(e instanceof Invalid) && !(e instanceof SyntaxError)) throw e;
      result = null;
    }
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return result;
}

/**
 * XPath's replacement string: `$N` is group N (as many digits as name a group, `$0` the whole match), `\$` and `\\`
 * literal characters; any other `$` or `\` makes it invalid (null).
 */
export function replacementOf(replacement: string, groupCount: number): ((match: string, groups: (string | undefined)[]) => string) | null {
  const parts: (string | number)[] = [];
  let text = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i]!;
    if (ch === '\\') {
      const next = replacement[i + 1];
      if (next !== '$' && next !== '\\') return null;
      text += next;
      i++;
    } else if (ch === '$') {
      if (!/[0-9]/.test(replacement[i + 1] ?? '')) return null;
      let digits = replacement[++i]!;
      while (/[0-9]/.test(replacement[i + 1] ?? '') && Number(digits + replacement[i + 1]) <= groupCount) digits += replacement[++i];
      parts.push(text, Number(digits));
      text = '';
    } else {
      text += ch;
    }
  }
  parts.push(text);
  return (match, groups) =>
    parts.map((p) => (typeof p === 'string' ? p : p === 0 ? match : p <= groupCount ? (groups[p - 1] ?? '') : '')).join('');
}
