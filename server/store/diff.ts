// Rule-level diff between two versions of a table, or a version and the draft (docs/contracts.md).
// Rules are matched by their stable `id`; a missing `when` cell counts as `-`. Reordering matters for FIRST,
// PRIORITY and RULE ORDER tables, so rules whose relative order changed are reported as `moved` (those outside a
// longest run that kept its order).
import { sourceLine } from '../engine/sources.ts';
import type { DecisionTable, InputColumn, OutputColumn, Rule, SourceRef } from '../engine/types.ts';
import { canonicalJson } from './canonical.ts';

export interface CellChange {
  kind: 'when' | 'then' | 'note' | 'sources';
  /** Input or output name (absent for a note and the sources). */
  name?: string;
  from: string | null;
  to: string | null;
}

export interface ColumnChanges<C> {
  added: C[];
  removed: C[];
  changed: { name: string; from: C; to: C }[];
}

export interface TableDiff {
  fields: { field: string; from: unknown; to: unknown }[];
  inputs: ColumnChanges<InputColumn>;
  outputs: ColumnChanges<OutputColumn>;
  rules: {
    added: { id: string; index: number; rule: Rule }[];
    removed: { id: string; index: number; rule: Rule }[];
    changed: { id: string; fromIndex: number; toIndex: number; cells: CellChange[] }[];
    moved: { id: string; fromIndex: number; toIndex: number }[];
  };
  summary: { added: number; removed: number; changed: number; moved: number; same: boolean };
}

const FIELDS = ['title', 'description', 'hitPolicy', 'aggregation', 'requires', 'meta'] as const;
const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function columns<C extends { name: string }>(from: C[], to: C[]): ColumnChanges<C> {
  const f = new Map(from.map((c) => [c.name, c]));
  const t = new Map(to.map((c) => [c.name, c]));
  return {
    added: to.filter((c) => !f.has(c.name)),
    removed: from.filter((c) => !t.has(c.name)),
    changed: to.filter((c) => f.has(c.name) && !same(f.get(c.name), c)).map((c) => ({ name: c.name, from: f.get(c.name)!, to: c })),
  };
}

/** Indices (into `seq`) of one longest strictly increasing subsequence. */
function longestIncreasing(seq: number[]): Set<number> {
  const tails: number[] = [];
  const prev: number[] = new Array(seq.length).fill(-1);
  for (let i = 0; i < seq.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seq[tails[mid]!]! < seq[i]!) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) prev[i] = tails[lo - 1]!;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  for (let i = tails.length ? tails[tails.length - 1]! : -1; i >= 0; i = prev[i]!) keep.add(i);
  return keep;
}

/** A rule's sources as one line of text (each with its link), or null without any. */
function sourcesText(refs: SourceRef[] | undefined): string | null {
  return refs && refs.length > 0 ? refs.map((r) => sourceLine(r, 'nl')).join('; ') : null;
}

export function diffTables(from: DecisionTable, to: DecisionTable): TableDiff {
  const fields = FIELDS.filter((k) => !same(from[k], to[k])).map((k) => ({ field: k, from: from[k] ?? null, to: to[k] ?? null }));
  const inputs = columns(from.inputs ?? [], to.inputs ?? []);
  const outputs = columns(from.outputs ?? [], to.outputs ?? []);

  const fromRules = from.rules ?? [];
  const toRules = to.rules ?? [];
  const fromIndex = new Map(fromRules.map((r, i) => [r.id, i]));
  const toIndex = new Map(toRules.map((r, i) => [r.id, i]));
  const inputNames = [...new Set([...(from.inputs ?? []), ...(to.inputs ?? [])].map((c) => c.name))];
  const outputNames = [...new Set([...(from.outputs ?? []), ...(to.outputs ?? [])].map((c) => c.name))];

  const added = toRules.map((rule, index) => ({ id: rule.id, index, rule })).filter((r) => !fromIndex.has(r.id));
  const removed = fromRules.map((rule, index) => ({ id: rule.id, index, rule })).filter((r) => !toIndex.has(r.id));
  const changed: TableDiff['rules']['changed'] = [];
  const common: { id: string; fromIndex: number; toIndex: number }[] = [];
  fromRules.forEach((a, i) => {
    const j = toIndex.get(a.id);
    if (j === undefined) return;
    const b = toRules[j]!;
    common.push({ id: a.id, fromIndex: i, toIndex: j });
    const cells: CellChange[] = [];
    const cell = (m: Record<string, string> | undefined, k: string, dash: boolean) => {
      const v = m && Object.hasOwn(m, k) ? m[k]!.trim() : null;
      return dash ? (v === null || v === '' ? '-' : v) : v;
    };
    for (const name of inputNames) {
      const x = cell(a.when, name, true);
      const y = cell(b.when, name, true);
      if (x !== y) cells.push({ kind: 'when', name, from: x, to: y });
    }
    for (const name of outputNames) {
      const x = cell(a.then, name, false);
      const y = cell(b.then, name, false);
      if (x !== y) cells.push({ kind: 'then', name, from: x, to: y });
    }
    if ((a.note ?? null) !== (b.note ?? null)) cells.push({ kind: 'note', from: a.note ?? null, to: b.note ?? null });
    // A rule's sources are part of what a reviewer approves: a change to them alone is a change of the rule.
    if (!same(a.sources, b.sources)) cells.push({ kind: 'sources', from: sourcesText(a.sources), to: sourcesText(b.sources) });
    if (cells.length > 0) changed.push({ id: a.id, fromIndex: i, toIndex: j, cells });
  });
  const kept = longestIncreasing(common.map((c) => c.toIndex));
  const moved = common.filter((_, k) => !kept.has(k));

  const summary = {
    added: added.length,
    removed: removed.length,
    changed: changed.length,
    moved: moved.length,
    same: false,
  };
  summary.same =
    fields.length === 0 &&
    inputs.added.length + inputs.removed.length + inputs.changed.length === 0 &&
    outputs.added.length + outputs.removed.length + outputs.changed.length === 0 &&
    summary.added + summary.removed + summary.changed + summary.moved === 0;
  return { fields, inputs, outputs, rules: { added, removed, changed, moved }, summary };
}
