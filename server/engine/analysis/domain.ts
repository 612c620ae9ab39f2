// The domain of one input column, cut into atoms: pieces of the column's possible values on which every exactly
// analysable cell of that column holds everywhere or nowhere. Cells, overlaps and gaps are then sets of atoms.
//
// - finite:  the input's `values` (or true/false for a boolean), one atom per value (a computed input, which the
//            engine does not check against its values, also gets one for "a value not in the list");
// - strings: a text input without `values`: one atom per text literal the cells use, plus one for "any other text";
// - line:    numbers, dates, times, date-times and durations: the line cut at every endpoint the cells use, giving
//            point atoms (the endpoints) and open-interval atoms between them (dates are whole days, so an interval
//            between two consecutive days is empty and left out);
// - opaque:  an input of type `any` whose cells mix kinds: one atom, no cell but `-` is analysed exactly.
// Inputs of type any without `values`, and computed inputs, get an atom for "a value of another kind" (the engine
// does not convert them). Optional and computed inputs get one for null (empty). A time of day is the
// line from 00:00:00 up to 24:00:00 (a time with an offset compares at its UTC instant, which may fall outside).
import { keyOf } from '../column-index.ts';
import type { InputColumn, JsonValue } from '../types.ts';
import { civilFromDays, FeelDate, FeelDateTime, FeelDuration, FeelTime, makeDateTime, toJson, type FeelValue } from '../values.ts';
import { atomsOf, fullSet, has, sizeOf, type AtomSet } from './atom-set.ts';
import type { DomainPlan, LineKind } from './plan.ts';

export interface Atom {
  /** `foreign`: a value of another kind than the cells use (an input of type any). */
  kind: 'value' | 'interval' | 'other' | 'foreign' | 'null';
  /** A value inside the atom: cells are evaluated on it and examples are built from it. */
  rep: FeelValue;
  /** Line intervals: bounds as keys (undefined: unbounded); both are open. */
  lo?: number;
  hi?: number;
}

const DAY = 86_400;

function dateOfDay(day: number): FeelDate {
  const [y, m, d] = civilFromDays(Math.floor(day));
  return new FeelDate(y, m, d);
}

function valueOfKey(line: LineKind, key: number): FeelValue {
  switch (line) {
    case 'number':
      return key;
    case 'date':
      return dateOfDay(key);
    case 'dateTime':
      return makeDateTime(key, null) ?? new FeelDateTime(Math.floor(key), null);
    case 'time':
      return new FeelTime(key, null);
    case 'ymDuration':
      return new FeelDuration('yearMonth', key);
    case 'dtDuration':
      return new FeelDuration('dayTime', key);
  }
}

/** A value strictly between two keys (either may be unbounded), preferring whole numbers: they read better. */
function between(lo: number | undefined, hi: number | undefined): number {
  if (lo === undefined && hi === undefined) return 0;
  if (lo === undefined) return Number.isInteger(hi) ? hi! - 1 : Math.floor(hi!);
  if (hi === undefined) return Math.floor(lo) + 1;
  const whole = Math.floor(lo) + 1;
  return whole < hi ? whole : (lo + hi) / 2;
}

/** A text that none of the literals equals, standing for "any other text". */
function otherText(literals: ReadonlySet<string>): string {
  let candidate = 'anders';
  for (let i = 2; literals.has(candidate); i++) candidate = `anders ${i}`;
  return candidate;
}

/** A cell's text as messages show it: between backticks, as the editor shows code. */
export function quoteCell(text: string): string {
  return `\`${text}\``;
}

/** Formats a value as the cells write it, for messages. */
export function formatValue(v: FeelValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof FeelDate || v instanceof FeelDateTime || v instanceof FeelTime || v instanceof FeelDuration) return v.toString();
  return JSON.stringify(toJson(v));
}

export class Domain {
  readonly atoms: Atom[] = [];
  readonly full: AtomSet;
  /** Index of the null atom, or -1. */
  readonly nullAtom: number;
  /** Index of the atom for values of another kind (inputs of type any), or -1. */
  readonly foreignAtom: number;
  /** Atoms before this index are the domain proper (values, intervals, other text); the foreign and null atoms follow. */
  readonly mainEnd: number;
  /** Atom of a literal, by key (finite and strings domains; keys as column-index.ts). */
  private readonly byKey = new Map<string | number | boolean, number>();
  /** Line domains: endpoint keys in ascending order and the atom of each. */
  private readonly points: number[] = [];
  private readonly pointAtoms: number[] = [];

  constructor(
    readonly column: InputColumn,
    readonly index: number,
    readonly plan: DomainPlan,
    /** Line endpoints (keys) or text literals used by exact cells of this column. */
    endpoints: readonly (number | string)[],
  ) {
    if (plan.kind === 'finite') {
      for (const v of plan.values) this.addAtom({ kind: 'value', rep: v }, keyOf(v));
      if (plan.outside !== undefined) this.addAtom({ kind: 'other', rep: plan.outside }, null);
    } else if (plan.kind === 'strings') {
      const literals = [...new Set(endpoints.filter((e): e is string => typeof e === 'string'))].sort();
      for (const s of literals) this.addAtom({ kind: 'value', rep: s }, s);
      this.addAtom({ kind: 'other', rep: otherText(new Set(literals)) }, null);
    } else if (plan.kind === 'line') {
      this.buildLine(plan.line!, endpoints.filter((e): e is number => typeof e === 'number'));
    } else {
      this.addAtom({ kind: 'other', rep: plan.values[0] ?? null }, null);
    }
    this.mainEnd = this.atoms.length;
    this.foreignAtom = plan.foreign !== undefined ? this.addAtom({ kind: 'foreign', rep: plan.foreign }, null) : -1;
    this.nullAtom = plan.nullable && plan.kind !== 'opaque' ? this.addAtom({ kind: 'null', rep: null }, null) : -1;
    this.full = fullSet(this.atoms.length);
  }

  private addAtom(atom: Atom, key: string | number | boolean | null): number {
    const i = this.atoms.push(atom) - 1;
    if (key !== null && !this.byKey.has(key)) this.byKey.set(key, i);
    return i;
  }

  private buildLine(line: LineKind, keys: number[]): void {
    // A time of day runs from 00:00:00 up to (not including) 24:00:00.
    const day = line === 'time';
    const sorted = [...new Set(day ? [0, ...keys.filter((k) => k >= 0 && k < DAY)] : keys)].sort((a, b) => a - b);
    const whole = line === 'date';
    let prev: number | undefined;
    for (const k of sorted) {
      // Dates are whole days: nothing lies strictly between two consecutive days.
      if (!(whole && prev !== undefined && k - prev <= 1) && !(day && prev === undefined)) {
        const rep = whole ? (prev === undefined ? k - 1 : prev + 1) : between(prev, k);
        this.atoms.push({ kind: 'interval', rep: valueOfKey(line, rep), lo: prev, hi: k });
      }
      this.points.push(k);
      this.pointAtoms.push(this.atoms.push({ kind: 'value', rep: valueOfKey(line, k) }) - 1);
      prev = k;
    }
    const rep = whole ? (prev === undefined ? 0 : prev + 1) : between(prev, day ? DAY : undefined);
    this.atoms.push({ kind: 'interval', rep: valueOfKey(line, rep), lo: prev });
  }

  /** The atom holding a literal (finite and strings domains), or -1. */
  atomOfKey(key: string | number | boolean): number {
    return this.byKey.get(key) ?? -1;
  }

  /** The point atom of an endpoint key (line domains), or -1. */
  atomOfPoint(key: number): number {
    let lo = 0;
    let hi = this.points.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const p = this.points[mid]!;
      if (p === key) return this.pointAtoms[mid]!;
      if (p < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Whether every atom is a single value, so atoms count input combinations. */
  get isFinite(): boolean {
    return this.plan.kind === 'finite' && this.foreignAtom < 0;
  }

  /**
   * An atom of the set to show in an example. Finite and text domains: the first value, else "other text", else empty.
   * Lines: the start of the first stretch (not the far side of an unbounded interval when a named value follows).
   */
  pick(set: AtomSet): number {
    const main = set.length > 0 && set[0]! < this.mainEnd ? set[0]! : -1;
    if (main < 0) return set[0]!;
    if (this.plan.kind === 'line') {
      const first = this.atoms[main]!;
      const next = main + 1;
      if (first.kind === 'interval' && first.lo === undefined && next <= set[1]! && next < this.mainEnd) return next;
      return main;
    }
    let fallback = -1;
    for (const a of atomsOf(set)) {
      const kind = this.atoms[a]!.kind;
      if (kind === 'value') return a;
      if (kind === 'other' && fallback < 0) fallback = a;
    }
    return fallback >= 0 ? fallback : set[0]!;
  }

  rep(atom: number): FeelValue {
    return this.atoms[atom]!.rep;
  }

  json(atom: number): JsonValue {
    return toJson(this.atoms[atom]!.rep) as JsonValue;
  }

  /** The set in words (`"A" or "B"`, `above 18 and below 19`, `empty`), or null when it is the whole domain. */
  describe(set: AtomSet): string | null {
    const size = sizeOf(set);
    if (size === this.atoms.length) return null;
    if (this.nullAtom >= 0 && size === this.atoms.length - 1 && !has(set, this.nullAtom)) return 'not empty';
    const parts: string[] = [];
    const hasNull = this.nullAtom >= 0 && has(set, this.nullAtom);
    const hasForeign = this.foreignAtom >= 0 && has(set, this.foreignAtom);
    if (this.plan.kind === 'line') {
      for (let i = 0; i < set.length; i += 2) {
        const hi = Math.min(set[i + 1]!, this.mainEnd - 1);
        if (hi >= set[i]!) parts.push(this.describeRun(set[i]!, hi));
      }
    } else {
      const values: string[] = [];
      for (const a of atomsOf(set)) {
        const atom = this.atoms[a]!;
        if (atom.kind === 'other') values.push(this.describeOther());
        else if (atom.kind === 'value') values.push(formatValue(atom.rep));
      }
      const missing = this.atoms.length - sizeOf(set);
      if (this.plan.kind === 'finite' && values.length > 4 && missing <= 2 && this.mainEnd === this.atoms.length) {
        const others = [...atomsOf(set)];
        const absent = this.atoms.map((_, i) => i).filter((i) => !others.includes(i));
        return `anything but ${absent.map((i) => formatValue(this.atoms[i]!.rep)).join(' or ')}`;
      }
      parts.push(...values);
    }
    if (hasForeign) {
      const sample = this.atoms[0]?.rep;
      const kind =
        typeof sample === 'string'
          ? 'text'
          : typeof sample === 'boolean'
            ? 'true or false'
            : sample instanceof FeelDate
              ? 'a date'
              : sample instanceof FeelTime
                ? 'a time'
                : sample instanceof FeelDateTime
                  ? 'a date and time'
                  : sample instanceof FeelDuration
                    ? 'a duration'
                    : 'a number';
      parts.push(`a value that is not ${kind}`);
    }
    if (hasNull) parts.push('empty');
    if (parts.length > 8) return `${parts.slice(0, 8).join(' or ')} or one of ${parts.length - 8} more`;
    return parts.length === 0 ? 'nothing' : parts.join(' or ');
  }

  private describeOther(): string {
    const literals = this.atoms.filter((a) => a.kind === 'value').map((a) => formatValue(a.rep));
    if (this.plan.kind === 'finite') return 'a value not in its list';
    if (literals.length === 0) return 'any text';
    const shown = literals.length > 5 ? [...literals.slice(0, 5), '…'] : literals;
    return `any text other than ${shown.join(', ')}`;
  }

  /** A run of consecutive line atoms as one interval. */
  private describeRun(first: number, last: number): string {
    const line = this.plan.line!;
    const a = this.atoms[first]!;
    const b = this.atoms[last]!;
    // Bounds of the run: a point atom is a closed bound, an interval atom is open at its own bound.
    let lo = a.kind === 'value' ? this.keyOf(first) : a.lo;
    let loClosed = a.kind === 'value';
    let hi = b.kind === 'value' ? this.keyOf(last) : b.hi;
    let hiClosed = b.kind === 'value';
    // Whole days: an interval between two dates reads better with both ends included ("from … to …").
    if (line === 'date' && lo !== undefined && hi !== undefined) {
      if (lo !== undefined && !loClosed) [lo, loClosed] = [lo + 1, true];
      if (hi !== undefined && !hiClosed) [hi, hiClosed] = [hi - 1, true];
    }
    // A time of day starts at 00:00:00: no need to say so.
    if (line === 'time' && lo === 0 && loClosed && !(hi === 0 && hiClosed)) lo = undefined;
    const timeLike = line === 'date' || line === 'dateTime' || line === 'time';
    const fmt = (k: number) => formatValue(valueOfKey(line, k));
    if (lo !== undefined && hi !== undefined && lo === hi) return fmt(lo);
    const low = lo === undefined ? null : timeLike ? `${loClosed ? 'on or after' : 'after'} ${fmt(lo)}` : `${loClosed ? 'at least' : 'above'} ${fmt(lo)}`;
    const high = hi === undefined ? null : timeLike ? `${hiClosed ? 'on or before' : 'before'} ${fmt(hi)}` : `${hiClosed ? 'at most' : 'below'} ${fmt(hi)}`;
    if (low && high) return loClosed && hiClosed ? `from ${fmt(lo!)} to ${fmt(hi!)}` : `${low} and ${high}`;
    return low ?? high ?? 'any value';
  }

  private keyOf(atom: number): number {
    const i = this.pointAtoms.indexOf(atom);
    return this.points[i]!;
  }
}
