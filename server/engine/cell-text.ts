// Cells as people type them. In a text column a policy advisor writes `A`, not `"A"`: FEEL would read `A` as the
// name of an input and refuse it. `typedToFeel` turns what was typed (in the editor's grid, pasted from Excel, or in
// an Excel or CSV file) into the cell's FEEL, and `feelToPlain` is the way back for a view without quotes. Only
// text columns are touched; text that is clearly FEEL (a quoted string, a comparison, a range, `?`, a built-in
// function, an input's name, `null`) stays as typed, so the FEEL remains there for whoever needs it. The table file
// always holds the FEEL with quotes.
import type { Expr } from './ast.ts';
import { isBuiltin } from './builtins.ts';
import { parseExpression, parseUnaryTests } from './parser.ts';
import type { ColumnType, JsonValue } from './types.ts';
import { Dec } from './values.ts';

/** What the conversion needs of a column: its type and allowed values. */
export interface CellColumn {
  type: ColumnType;
  values?: readonly JsonValue[];
}

/** An input cell holds unary tests (`"A","B"`, `not("A")`, `-`); an output cell one expression. */
export type CellKind = 'input' | 'output';

/**
 * The FEEL of a cell from what a person typed: in a text column, plain words become FEEL strings (`A` → `"A"`,
 * `A, B` → `"A","B"` in a condition, `not(A)` → `not("A")`); anything else comes back unchanged. `names` are the
 * table's input names: a cell naming one compares with that input, as FEEL does.
 */
export function typedToFeel(text: string, kind: CellKind, col: CellColumn, names: readonly string[] = []): string {
  if (col.type === 'boolean') return typedTruth(text, kind, names) ?? text;
  if (col.type !== 'string') return text;
  const t = text.trim();
  if (t === '' || (kind === 'input' && t === '-')) return text;
  if (isAllowed(t, col)) return feelString(t);
  if (kind === 'output') return isPlain(t, kind, col, names) ? feelString(allowedCase(t, col)) : text;
  const not = notInner(t);
  if (not !== null) {
    const inner = not.trim();
    if (isAllowed(inner, col)) return `not(${feelString(inner)})`;
    const list = plainList(inner, col, names);
    return list === null ? text : `not(${list})`;
  }
  return plainList(t, col, names) ?? text;
}

/**
 * A cell's FEEL as text without quotes (`"A","B"` → `A, B`), when typing that text gives the same FEEL back;
 * otherwise the FEEL itself (`< "B"`, `"met, komma"`, a string equal to an input's name).
 */
export function feelToPlain(feel: string, kind: CellKind, col: CellColumn, names: readonly string[] = [], truth?: TruthWords): string {
  if (col.type === 'boolean') return truth ? plainTruth(feel, kind, truth) : feel;
  if (col.type !== 'string') return feel;
  const t = feel.trim();
  if (kind === 'output') {
    const v = stringLiteral(t);
    return v !== null && typedToFeel(v, kind, col, names) === t ? v : feel;
  }
  const not = notInner(t);
  const inner = not !== null ? not.trim() : t;
  const parts = splitTopLevel(inner).map((p) => stringLiteral(p.trim()));
  if (parts.length === 0 || parts.some((v) => v === null)) return feel;
  const plain = (parts as string[]).join(', ');
  const shown = not !== null ? `not(${plain})` : plain;
  return sameTests(typedToFeel(shown, kind, col, names), t) ? shown : feel;
}

/** The words a view without quotes shows for `true` and `false` (the editor's language: ja/nee, yes/no). */
export interface TruthWords {
  true: string;
  false: string;
}

// Words typed for a truth value in a boolean column, in either language of the editor (and in Excel files): FEEL
// would read `ja` as the name of an input and refuse it, so nobody meaning FEEL types these.
const TRUTH_WORDS: Record<string, boolean> = { ja: true, nee: false, waar: true, onwaar: false, yes: true, no: false };

/** `ja` → `true`, `nee, ja` → `false,true` in a condition; null when the text is anything else (or names an input). */
function typedTruth(text: string, kind: CellKind, names: readonly string[]): string | null {
  const parts = kind === 'input' ? splitTopLevel(text).map((p) => p.trim()) : [text.trim()];
  if (parts.length === 0) return null;
  const out: string[] = [];
  for (const p of parts) {
    const v = TRUTH_WORDS[p.toLocaleLowerCase('nl')];
    if (v === undefined || names.includes(p)) return null;
    out.push(String(v));
  }
  return out.join(',');
}

/** `true` → `ja`, `false,true` → `nee, ja` in a condition; any other FEEL as it is. */
function plainTruth(feel: string, kind: CellKind, truth: TruthWords): string {
  const parts = kind === 'input' ? splitTopLevel(feel.trim()).map((p) => p.trim()) : [feel.trim()];
  if (parts.length === 0 || parts.some((p) => p !== 'true' && p !== 'false')) return feel;
  return parts.map((p) => (p === 'true' ? truth.true : truth.false)).join(', ');
}

/** `text` as a FEEL string literal: quotes and backslashes escaped the way the FEEL lexer reads them. */
export function feelString(text: string): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `"${escaped}"`;
}

/** The values of a condition cell that are plain strings (`"A","B"` → A and B); null when it is anything else. */
export function plainChoices(feel: string): string[] | null {
  const t = feel.trim();
  if (t === '' || t === '-') return [];
  const parts = splitTopLevel(t).map((p) => stringLiteral(p.trim()));
  return parts.length > 0 && parts.every((v) => v !== null) ? (parts as string[]) : null;
}

/**
 * An allowed value as FEEL in a column of its type (`"A"`, `3`, `true`, `date("2026-01-01")`), as the drop-down
 * writes it; null for a value FEEL has no literal for (a list, an object).
 */
export function valueFeel(value: JsonValue, type: ColumnType): string | null {
  if (value === null) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value !== 'string') return null;
  const fn = TEMPORAL[type];
  return fn ? `${fn}(${feelString(value)})` : feelString(value);
}

const TEMPORAL: Partial<Record<ColumnType, string>> = { date: 'date', time: 'time', dateTime: 'date and time', duration: 'duration' };

/**
 * The allowed values a cell chooses (`"A","B"` → A and B; `1, 3` in a number column), by their place in the
 * column's list: [] for `-` or an empty cell, null when the cell is anything else (`< 3`, `not("A")`, a value
 * outside the list).
 */
export function cellChoices(feel: string, col: CellColumn): number[] | null {
  const t = feel.trim();
  if (t === '' || t === '-') return [];
  const keys = (col.values ?? []).map((v) => {
    const f = valueFeel(v, col.type);
    return f === null ? null : literalKey(f);
  });
  const chosen: number[] = [];
  for (const part of splitTopLevel(t)) {
    const key = literalKey(part.trim());
    const i = key === null ? -1 : keys.indexOf(key);
    if (i < 0) return null;
    if (!chosen.includes(i)) chosen.push(i);
  }
  return chosen;
}

/** What makes two literals the same value (`1` and `1.0`, `"A"` and `"A"`); for a call such as `date("…")`, its text. */
function literalKey(text: string): string | null {
  try {
    const e = parseExpression(text);
    const number = e.t === 'neg' && e.e.t === 'lit' ? e.e.value : null;
    if (typeof number === 'number' || number instanceof Dec) return `n:${new Dec(number).neg().toString()}`;
    if (e.t === 'lit') {
      const v = e.value;
      if (typeof v === 'string') return `s:${v}`;
      if (typeof v === 'number' || v instanceof Dec) return `n:${new Dec(v).toString()}`;
      if (typeof v === 'boolean' || v === null) return `l:${String(v)}`;
    }
    return e.t === 'call' || e.t === 'lit' ? `f:${text.replace(/\s+/g, '')}` : null;
  } catch {
    return null;
  }
}

/** A comma list in which every plain part became a string, or null when nothing was plain (then: as typed). */
function plainList(text: string, col: CellColumn, names: readonly string[]): string | null {
  const parts = splitTopLevel(text).map((p) => p.trim());
  // An empty part (`A,,B`, a trailing comma) or `-` in a list is a mistake the cell check should show, not something to guess at.
  if (parts.length === 0 || parts.some((p) => p === '' || p === '-')) return null;
  let changed = false;
  const out = parts.map((p) => {
    if (isAllowed(p, col)) {
      changed = true;
      return feelString(p);
    }
    if (isPlain(p, 'input', col, names)) {
      changed = true;
      return feelString(allowedCase(p, col));
    }
    return p;
  });
  return changed ? out.join(',') : null;
}

function isAllowed(text: string, col: CellColumn): boolean {
  return col.values?.some((v) => v === text) ?? false;
}

/**
 * Plain text as the allowed value it differs from only in letter case (`a` → `A` among A–D): nobody types `a` to
 * mean a value the column cannot hold. Left as typed when no allowed value, or more than one, matches so.
 */
function allowedCase(text: string, col: CellColumn): string {
  const lower = text.toLocaleLowerCase('nl');
  const matches = (col.values ?? []).filter((v): v is string => typeof v === 'string' && v.toLocaleLowerCase('nl') === lower);
  return matches.length === 1 ? matches[0]! : text;
}

/**
 * Whether one value as typed is plain text rather than FEEL: it reads as FEEL made only of unknown names, numbers
 * and truth values (`Nederland`, `Dr. Jansen`, `12`, `true`: none can equal a text), or not as FEEL at all while it
 * does not start the way FEEL does nor calls a built-in (`Den Haag`, `R&D`, `Zeg "hoi"`, `Boete (hoog), daarna`).
 */
function isPlain(text: string, kind: CellKind, col: CellColumn, names: readonly string[]): boolean {
  try {
    if (kind === 'input') {
      const tests = parseUnaryTests(text, names);
      if (tests.t !== 'tests' || tests.tests.length !== 1) return false;
      const test = tests.tests[0]!;
      return test.t === 'expr' && !feelish(test.e, names);
    }
    return !feelish(parseExpression(text, names), names);
  } catch {
    return !/^[<>=!([\]{?"@-]|^not\s*\(/.test(text) && !callsBuiltin(text);
  }
}

/** Whether the text has a built-in's name before a parenthesis (`starts with(?, "A"`): FEEL with a mistake in it. */
function callsBuiltin(text: string): boolean {
  for (const m of text.matchAll(/((?:[\p{L}_][\p{L}\p{N}_]*\s+){0,3}[\p{L}_][\p{L}\p{N}_]*)\s*\(/gu)) {
    const words = m[1]!.split(/\s+/);
    for (let i = 0; i < words.length; i++) if (isBuiltin(words.slice(i).join(' '))) return true;
  }
  return false;
}

/** Whether an expression uses something only FEEL has: a string, null, `?`, an input, a built-in, an operator. */
function feelish(e: Expr, names: readonly string[]): boolean {
  switch (e.t) {
    case 'lit':
      return !(typeof e.value === 'number' || typeof e.value === 'boolean' || e.value instanceof Dec);
    case 'name':
      return names.includes(e.name);
    case 'neg':
    case 'path':
      return feelish(e.e, names);
    case 'arith':
    case 'and':
    case 'or':
      return feelish(e.l, names) || feelish(e.r, names);
    case 'call':
      return isBuiltin(e.fn) || e.named !== null || e.args.some((a) => feelish(a, names));
    default:
      return true;
  }
}

/** The value of a FEEL string literal, or null when `text` is not exactly one. */
function stringLiteral(text: string): string | null {
  if (!text.startsWith('"')) return null;
  try {
    const e = parseExpression(text);
    return e.t === 'lit' && typeof e.value === 'string' ? e.value : null;
  } catch {
    return null;
  }
}

/** Two condition cells that differ at most in the spaces around their commas. */
function sameTests(a: string, b: string): boolean {
  const norm = (s: string): string => splitTopLevel(s.trim()).map((p) => p.trim()).join(',');
  return norm(a) === norm(b);
}

/** The tests inside `not(…)` when the whole cell is one `not(…)`, or null. */
function notInner(text: string): string | null {
  const open = /^not\s*\(/.exec(text);
  if (!open) return null;
  const close = closingParen(text, open[0].length - 1);
  return close === text.length - 1 ? text.slice(open[0].length, close) : null;
}

/** The index of the parenthesis closing the one at `at` (strings skipped), or -1. */
function closingParen(text: string, at: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = at; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits at the commas that are not inside a string, parentheses, brackets or braces. */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.length > 0) parts.push(text.slice(start));
  return parts;
}
