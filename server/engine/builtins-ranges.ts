// The range built-ins of FEEL (DMN 1.5 10.3.4.13, Table 78: before, after, meets, overlaps, includes, during,
// starts, coincides and the rest) and `range(from)`, as one part of the one built-in registry (builtins.ts spreads
// RANGE_BUILTINS into it).
import type { BuiltinEntry } from './builtin-entry.ts';
import { rangeFromText } from './range-text.ts';
import { compare, FeelRange, type FeelValue } from './values.ts';

// An end point of a range or a point: `inf` -1 and +1 stand for a missing (unbounded) low and high end.

class NotComparable extends Error {}

interface End {
  readonly v: FeelValue | undefined;
  readonly inf: -1 | 0 | 1;
  readonly closed: boolean;
}

function startOf(r: FeelRange): End {
  return r.low === undefined || r.low === null ? { v: undefined, inf: -1, closed: false } : { v: r.low, inf: 0, closed: r.lowClosed };
}

function endOf(r: FeelRange): End {
  return r.high === undefined || r.high === null ? { v: undefined, inf: 1, closed: false } : { v: r.high, inf: 0, closed: r.highClosed };
}

function point(v: FeelValue): End {
  return { v, inf: 0, closed: true };
}

/** Orders two ends; throws NotComparable when FEEL cannot compare them (the function then answers null). */
function cmp(a: End, b: End): number {
  if (a.inf !== 0 || b.inf !== 0) return Math.sign(a.inf - b.inf);
  const c = compare(a.v!, b.v!);
  if (c === null) throw new NotComparable();
  return c;
}

type Shape = 'pp' | 'pr' | 'rp' | 'rr';

/** A range function: its body gets each argument as a range (start, end) or a point, by the shape of the call. */
function rangeFn(defs: Partial<Record<Shape, (a: [End, End], b: [End, End]) => boolean>>): BuiltinEntry {
  const names: Record<Shape, string> = { pp: 'point1, point2', pr: 'point, range', rp: 'range, point', rr: 'range1, range2' };
  return {
    forms: (Object.keys(defs) as Shape[]).map((k) => names[k]),
    fn(args) {
      const [a, b] = args;
      if (a === null || a === undefined || b === null || b === undefined) return null;
      const shape = `${a instanceof FeelRange ? 'r' : 'p'}${b instanceof FeelRange ? 'r' : 'p'}` as Shape;
      const def = defs[shape];
      if (!def) return null;
      const ends = (v: FeelValue): [End, End] => (v instanceof FeelRange ? [startOf(v), endOf(v)] : [point(v), point(v)]);
      try {
        return def(ends(a), ends(b));
      } catch (e) {
        if (e instanceof NotComparable) return null;
        throw e;
      }
    },
  };
}

/** includes(range1, range2): range2 lies within range1, ends included as each side says. */
function includesRange([s1, e1]: [End, End], [s2, e2]: [End, End]): boolean {
  const cs = cmp(s1, s2);
  const ce = cmp(e1, e2);
  return (cs < 0 || (cs === 0 && (s1.closed || !s2.closed))) && (ce > 0 || (ce === 0 && (e1.closed || !e2.closed)));
}

function includesPoint([s, e]: [End, End], p: End): boolean {
  const cs = cmp(s, p);
  const ce = cmp(e, p);
  return (cs < 0 && ce > 0) || (cs === 0 && s.closed) || (ce === 0 && e.closed);
}

export const RANGE_BUILTINS: Record<string, BuiltinEntry> = {
  range: {
    forms: ['from'],
    fn(args) {
      return typeof args[0] === 'string' ? rangeFromText(args[0]) : null;
    },
  },
  before: rangeFn({
    pp: ([a], [b]) => cmp(a, b) < 0,
    pr: ([p], [s]) => cmp(p, s) < 0 || (cmp(p, s) === 0 && !s.closed),
    rp: ([, e], [p]) => cmp(e, p) < 0 || (cmp(e, p) === 0 && !e.closed),
    rr: ([, e1], [s2]) => cmp(e1, s2) < 0 || ((!e1.closed || !s2.closed) && cmp(e1, s2) === 0),
  }),
  after: rangeFn({
    pp: ([a], [b]) => cmp(a, b) > 0,
    pr: ([p], [, e]) => cmp(p, e) > 0 || (cmp(p, e) === 0 && !e.closed),
    rp: ([s], [p]) => cmp(s, p) > 0 || (cmp(s, p) === 0 && !s.closed),
    rr: ([s1], [, e2]) => cmp(s1, e2) > 0 || ((!s1.closed || !e2.closed) && cmp(s1, e2) === 0),
  }),
  meets: rangeFn({ rr: ([, e1], [s2]) => e1.closed && s2.closed && cmp(e1, s2) === 0 }),
  'met by': rangeFn({ rr: ([s1], [, e2]) => s1.closed && e2.closed && cmp(s1, e2) === 0 }),
  overlaps: rangeFn({
    rr: ([s1, e1], [s2, e2]) =>
      (cmp(e1, s2) > 0 || (cmp(e1, s2) === 0 && e1.closed && s2.closed)) && (cmp(s1, e2) < 0 || (cmp(s1, e2) === 0 && s1.closed && e2.closed)),
  }),
  'overlaps before': rangeFn({
    rr: ([s1, e1], [s2, e2]) =>
      (cmp(s1, s2) < 0 || (cmp(s1, s2) === 0 && s1.closed && !s2.closed)) &&
      (cmp(e1, s2) > 0 || (cmp(e1, s2) === 0 && e1.closed && s2.closed)) &&
      (cmp(e1, e2) < 0 || (cmp(e1, e2) === 0 && (!e1.closed || e2.closed))),
  }),
  'overlaps after': rangeFn({
    rr: ([s1, e1], [s2, e2]) =>
      (cmp(s2, s1) < 0 || (cmp(s2, s1) === 0 && s2.closed && !s1.closed)) &&
      (cmp(e2, s1) > 0 || (cmp(e2, s1) === 0 && e2.closed && s1.closed)) &&
      (cmp(e2, e1) < 0 || (cmp(e2, e1) === 0 && (!e2.closed || e1.closed))),
  }),
  finishes: rangeFn({
    pr: ([p], [, e]) => e.closed && cmp(e, p) === 0,
    rr: ([s1, e1], [s2, e2]) =>
      e1.closed === e2.closed && cmp(e1, e2) === 0 && (cmp(s1, s2) > 0 || (cmp(s1, s2) === 0 && (!s1.closed || s2.closed))),
  }),
  'finished by': rangeFn({
    rp: ([, e], [p]) => e.closed && cmp(e, p) === 0,
    rr: ([s1, e1], [s2, e2]) =>
      e1.closed === e2.closed && cmp(e1, e2) === 0 && (cmp(s1, s2) < 0 || (cmp(s1, s2) === 0 && (s1.closed || !s2.closed))),
  }),
  includes: rangeFn({
    rp: (r, [p]) => includesPoint(r, p),
    rr: (r1, r2) => includesRange(r1, r2),
  }),
  during: rangeFn({
    pr: ([p], r) => includesPoint(r, p),
    rr: (r1, r2) => includesRange(r2, r1),
  }),
  starts: rangeFn({
    pr: ([p], [s]) => s.closed && cmp(s, p) === 0,
    rr: ([s1, e1], [s2, e2]) =>
      cmp(s1, s2) === 0 && s1.closed === s2.closed && (cmp(e1, e2) < 0 || (cmp(e1, e2) === 0 && (!e1.closed || e2.closed))),
  }),
  'started by': rangeFn({
    rp: ([s], [p]) => s.closed && cmp(s, p) === 0,
    rr: ([s1, e1], [s2, e2]) =>
      cmp(s1, s2) === 0 && s1.closed === s2.closed && (cmp(e2, e1) < 0 || (cmp(e2, e1) === 0 && (!e2.closed || e1.closed))),
  }),
  coincides: rangeFn({
    pp: ([a], [b]) => cmp(a, b) === 0,
    rr: ([s1, e1], [s2, e2]) => cmp(s1, s2) === 0 && s1.closed === s2.closed && cmp(e1, e2) === 0 && e1.closed === e2.closed,
  }),
};
