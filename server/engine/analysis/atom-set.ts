// Sets of atoms of one column's domain (see domain.ts), kept as sorted, disjoint, non-adjacent inclusive ranges of atom
// indices: [lo0, hi0, lo1, hi1, …]. A cell, the intersection of two cells and a gap region are all such sets.

export type AtomSet = readonly number[];

export const EMPTY: AtomSet = [];

export function fullSet(size: number): AtomSet {
  return size > 0 ? [0, size - 1] : EMPTY;
}

export function isEmpty(s: AtomSet): boolean {
  return s.length === 0;
}

/** The number of atoms in the set. */
export function sizeOf(s: AtomSet): number {
  let n = 0;
  for (let i = 0; i < s.length; i += 2) n += s[i + 1]! - s[i]! + 1;
  return n;
}

export function has(s: AtomSet, atom: number): boolean {
  for (let i = 0; i < s.length; i += 2) {
    if (atom < s[i]!) return false;
    if (atom <= s[i + 1]!) return true;
  }
  return false;
}

export function* atomsOf(s: AtomSet): Generator<number> {
  for (let i = 0; i < s.length; i += 2) for (let a = s[i]!; a <= s[i + 1]!; a++) yield a;
}

/** Collects atoms or ranges in ascending order, merging adjacent ones. */
export class SetBuilder {
  private readonly out: number[] = [];

  add(lo: number, hi: number = lo): void {
    if (hi < lo) return;
    const out = this.out;
    const n = out.length;
    if (n > 0 && lo <= out[n - 1]! + 1) {
      if (hi > out[n - 1]!) out[n - 1] = hi;
      return;
    }
    out.push(lo, hi);
  }

  build(): AtomSet {
    return this.out;
  }
}

export function intersect(a: AtomSet, b: AtomSet): AtomSet {
  if (a.length === 0 || b.length === 0) return EMPTY;
  const out = new SetBuilder();
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]!, b[j]!);
    const hi = Math.min(a[i + 1]!, b[j + 1]!);
    if (lo <= hi) out.add(lo, hi);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out.build();
}

export function intersects(a: AtomSet, b: AtomSet): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (Math.max(a[i]!, b[j]!) <= Math.min(a[i + 1]!, b[j + 1]!)) return true;
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return false;
}

export function union(a: AtomSet, b: AtomSet): AtomSet {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new SetBuilder();
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
      out.add(a[i]!, a[i + 1]!);
      i += 2;
    } else {
      out.add(b[j]!, b[j + 1]!);
      j += 2;
    }
  }
  return out.build();
}

/** The atoms of `0 … size-1` not in `s`. */
export function complement(s: AtomSet, size: number): AtomSet {
  const out = new SetBuilder();
  let next = 0;
  for (let i = 0; i < s.length; i += 2) {
    out.add(next, s[i]! - 1);
    next = s[i + 1]! + 1;
  }
  out.add(next, size - 1);
  return out.build();
}

/** Whether every atom of `a` is in `b`. */
export function isSubset(a: AtomSet, b: AtomSet): boolean {
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    while (j < b.length && b[j + 1]! < a[i]!) j += 2;
    if (j >= b.length || b[j]! > a[i]! || b[j + 1]! < a[i + 1]!) return false;
  }
  return true;
}
