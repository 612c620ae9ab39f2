// Splits FEEL text into tokens, each with its 1-based column so errors can point at it.
import { CellSyntaxError } from './errors.ts';

export type TokenType = 'number' | 'string' | 'at' | 'name' | 'punct' | 'eof';

export interface Token {
  type: TokenType;
  /** The token as written (for strings: the decoded value). */
  text: string;
  /** 1-based column of the token's first character. */
  column: number;
}

const PUNCTUATION = ['..', '**', '<=', '>=', '!=', '(', ')', '[', ']', '{', '}', ',', ':', '.', '<', '>', '=', '+', '-', '*', '/', '?'];

/** A UTF-16 half of a character beyond U+FFFF: FEEL names may hold those (the grammar's #x10000–#xEFFFF). */
function isSurrogate(c: string): boolean {
  return c >= '\uD800' && c <= '\uDFFF';
}

function isNameStart(c: string): boolean {
  return (/[\p{L}_?]/u.test(c) && c !== '?') || isSurrogate(c);
}

function isNamePart(c: string): boolean {
  return /[\p{L}\p{N}_'’]/u.test(c) || isSurrogate(c);
}

/** Errors at the end of the text point at its last character, where the reader's eye stops. */
function endColumn(text: string): number {
  return Math.max(1, text.trimEnd().length);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    // Comments (DMN 1.5 10.3.1.2): `// …` to the end of the line, `/* … */` anywhere.
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new CellSyntaxError('FEEL_UNCLOSED_COMMENT', {}, i + 1);
      i = end + 2;
      continue;
    }
    const column = i + 1;
    // `@"2024-01-01"`: a FEEL temporal literal; the string is read below and the token marked as 'at'.
    const at = c === '@' && text[i + 1] === '"';
    if (at) i++;
    if (at || c === '"') {
      i++;
      let value = '';
      let closed = false;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\') {
          const e = text[i + 1];
          if (e === undefined) break;
          if (e === 'u') {
            const hex = text.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new CellSyntaxError('FEEL_INVALID_ESCAPE', {}, i + 1);
            value += String.fromCharCode(parseInt(hex, 16));
            i += 6;
            continue;
          }
          if (e === 'U') {
            // `\U01F40E`: six hex digits, a code point beyond U+FFFF (DMN 1.5 grammar, string literal).
            const hex = text.slice(i + 2, i + 8);
            const cp = /^[0-9a-fA-F]{6}$/.test(hex) ? parseInt(hex, 16) : -1;
            if (cp < 0 || cp > 0x10ffff) throw new CellSyntaxError('FEEL_INVALID_ESCAPE', {}, i + 1);
            value += String.fromCodePoint(cp);
            i += 8;
            continue;
          }
          const escapes: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', "'": "'" };
          // Any other backslash stays as written, so a regex in a string (`matches(x, "\d+")`, `split(x, "\s")`) reaches
          // `matches`, `replace` and `split` as the pattern's author typed it.
          value += escapes[e] ?? `\\${e}`;
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      if (!closed) throw new CellSyntaxError('FEEL_UNCLOSED_STRING', { start: column }, endColumn(text));
      tokens.push({ type: at ? 'at' : 'string', text: value, column });
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      // `1..5`: the first dot belongs to the range operator, not to the number.
      tokens.push({ type: 'number', text: m[0], column });
      i += m[0].length;
      continue;
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < text.length && isNamePart(text[j]!)) j++;
      tokens.push({ type: 'name', text: text.slice(i, j), column });
      i = j;
      continue;
    }
    const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
    if (!punct) throw new CellSyntaxError('FEEL_UNEXPECTED_CHARACTER', { char: c }, column);
    tokens.push({ type: 'punct', text: punct, column });
    i += punct.length;
  }
  tokens.push({ type: 'eof', text: '', column: endColumn(text) });
  return tokens;
}
