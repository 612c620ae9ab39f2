// Small pieces of FEEL text handling that DMN import and export need without the engine: reading a list of
// literals (input values, output values), writing a JSON value back as a FEEL literal, and names.
import type { ColumnType, JsonValue } from '../engine/types.ts';

/** A Beslis column name (rules/schema/decision-table.schema.json `definitions.name`). */
export const BESLIS_NAME = /^[\p{L}_][\p{L}\p{N}_]*( [\p{L}\p{N}_]+)*$/u;
/** A Beslis table id. */
export const TABLE_ID = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/;
/** A Beslis rule id. */
export const BESLIS_RULE_ID = /^[A-Za-z0-9_.:-]+$/;
/** An XML NCName as DMN ids must be (ASCII subset: what we write ourselves). */
export const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** A name that FEEL reads as one plain name: no operators, quotes, brackets or dots. */
export function isFeelName(text: string): boolean {
  if (text === '' || /^\d/.test(text)) return false;
  if (/["()[\]{},:<>=!@.]/.test(text)) return false;
  if (/^(true|false|null|not|in|and|or|if|then|else|for|some|every|between|instance of)$/.test(text)) return false;
  // FEEL allows + - * / ' inside names only between name characters (e.g. `Applicant's age`); a bare operator
  // with spaces around it (`a + b`) is arithmetic.
  if (/\s[-+*/]\s|^[-+*/]|[-+*/]$/.test(text)) return false;
  return /^[\p{L}_?][\p{L}\p{N}_?'+\-*/ ]*$/u.test(text);
}

/** Turns any DMN name into a valid Beslis column name (letters, digits, `_`, single spaces). */
export function toBeslisName(text: string, fallback: string): string {
  if (BESLIS_NAME.test(text)) return text;
  let s = text
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}_ ]+/gu, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ _|_ /g, '_');
  if (/^\p{N}/u.test(s)) s = `_${s}`;
  return BESLIS_NAME.test(s) ? s : fallback;
}

/** A lowercase id segment (`[a-z0-9-]+`) from any text. */
export function slug(text: string, fallback: string): string {
  const s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s || fallback;
}

// ---------------------------------------------------------------------------------------------------------------
// Types.

const PRIMITIVES: Record<string, ColumnType> = {
  string: 'string',
  number: 'number',
  decimal: 'number',
  double: 'number',
  float: 'number',
  integer: 'number',
  int: 'number',
  long: 'number',
  short: 'number',
  boolean: 'boolean',
  date: 'date',
  time: 'time',
  'date and time': 'dateTime',
  datetime: 'dateTime',
  'days and time duration': 'duration',
  daytimeduration: 'duration',
  'years and months duration': 'duration',
  yearmonthduration: 'duration',
  duration: 'duration',
};

/** Maps a built-in DMN/FEEL typeRef (`number`, `feel:date`, `days and time duration`, `xsd:double`…) to a column type. */
export function primitiveType(typeRef: string | undefined): ColumnType | undefined {
  if (!typeRef) return undefined;
  const bare = typeRef.trim().replace(/^(feel|xsd|FEEL):/, '').toLowerCase();
  return PRIMITIVES[bare];
}

/** The DMN 1.3 typeRef written for a column type on export. */
export function typeRefOf(type: ColumnType): string | undefined {
  switch (type) {
    case 'dateTime':
      return 'date and time';
    case 'duration':
      return 'days and time duration';
    case 'any':
      return undefined;
    default:
      return type;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Literal lists: `"High", "Low"`, `1, 2, 3`, `date("2024-01-01"), @"2024-02-01"`.

const TEMPORAL_FNS: Record<string, true> = { date: true, time: true, 'date and time': true, duration: true };

/**
 * Reads a comma list of FEEL literals into JSON values (dates, times and durations as their ISO text).
 * Returns null when the text is anything else (a range, a comparison, a name): the caller reports that.
 */
export function parseLiteralList(text: string): JsonValue[] | null {
  const out: JsonValue[] = [];
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n && /\s/.test(text[i]!)) i++;
  };
  const str = (): string | null => {
    if (text[i] !== '"') return null;
    i++;
    let s = '';
    while (i < n && text[i] !== '"') {
      if (text[i] === '\\') {
        const c = text[i + 1];
        if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          s += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        s += c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : (c ?? '');
        i += 2;
        continue;
      }
      s += text[i++];
    }
    if (text[i] !== '"') return null;
    i++;
    return s;
  };
  ws();
  if (i >= n) return null;
  while (i < n) {
    ws();
    let value: JsonValue | undefined;
    const rest = text.slice(i);
    const num = /^-?(\d+(\.\d*)?|\.\d+)/.exec(rest);
    if (text[i] === '"') {
      const s = str();
      if (s === null) return null;
      value = s;
    } else if (text[i] === '@') {
      i++;
      const s = str();
      if (s === null) return null;
      value = s;
    } else if (num) {
      value = Number(num[0]);
      i += num[0].length;
    } else if (/^(true|false|null)\b/.test(rest)) {
      const word = /^(true|false|null)/.exec(rest)![0];
      value = word === 'true' ? true : word === 'false' ? false : null;
      i += word.length;
    } else {
      const fn = /^(date and time|date|time|duration)\s*\(\s*/.exec(rest);
      if (!fn || !TEMPORAL_FNS[fn[1]!]) return null;
      i += fn[0].length;
      const s = str();
      if (s === null) return null;
      ws();
      if (text[i] !== ')') return null;
      i++;
      value = s;
    }
    out.push(value);
    ws();
    if (i >= n) break;
    if (text[i] !== ',') return null;
    i++;
  }
  return out;
}

/** A FEEL string literal. */
export function feelString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** Writes a JSON value of a column as a FEEL literal (the inverse of parseLiteralList for one item). */
export function feelLiteral(v: JsonValue, type: ColumnType): string {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') {
    switch (type) {
      case 'date':
        return `date(${feelString(v)})`;
      case 'time':
        return `time(${feelString(v)})`;
      case 'dateTime':
        return `date and time(${feelString(v)})`;
      case 'duration':
        return `duration(${feelString(v)})`;
      default:
        return feelString(v);
    }
  }
  if (Array.isArray(v)) return `[${v.map((x) => feelLiteral(x, 'any')).join(', ')}]`;
  return `{${Object.entries(v)
    .map(([k, x]) => `${BESLIS_NAME.test(k) && !k.includes(' ') ? k : feelString(k)}: ${feelLiteral(x, 'any')}`)
    .join(', ')}}`;
}

/** The DMN rule id written for a Beslis rule id (an XML NCName); export and import share it. */
export function exportRuleId(id: string): string {
  const s = id.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `r_${s}`;
}
