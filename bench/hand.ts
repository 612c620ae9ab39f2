// Hand-written JavaScript for the two benchmark tables: the speed limit. Each checks its input as strictly as the
// engine does for these tables, and answers the same {output, matched} with fresh objects, as the engine does.
import type { EvaluationResult } from '../server/engine/types.ts';
import type { BandRow } from './tables.ts';

interface MatrixRow {
  id: string;
  kwadrant: number;
  interventie: string;
  strafrecht: boolean;
  overleg_om: boolean;
}

/** The interventiematrix: gedrag A–D × gevolgen 1–4, rows in that order (A1, A2, …, D4). */
export function handMatrix(rows: readonly MatrixRow[]): (input: Record<string, unknown>) => EvaluationResult {
  if (rows.length !== 16) throw new Error('the interventiematrix has 16 rows');
  return (input) => {
    const g = input.gedrag;
    const v = input.gevolgen;
    if ((g !== 'A' && g !== 'B' && g !== 'C' && g !== 'D') || (v !== 1 && v !== 2 && v !== 3 && v !== 4)) {
      throw new Error('invalid input');
    }
    const r = rows[(g.charCodeAt(0) - 65) * 4 + v - 1]!;
    return {
      output: { kwadrant: r.kwadrant, interventie: r.interventie, strafrecht: r.strafrecht, overleg_om: r.overleg_om },
      matched: [r.id],
    };
  };
}

/** The banded FIRST table: the rows of the category, in order, the first whose bands hold. */
export function handBands(rows: readonly BandRow[]): (input: Record<string, unknown>) => EvaluationResult {
  const byCategory = new Map<string, BandRow[]>();
  for (const r of rows) {
    let list = byCategory.get(r.categorie);
    if (!list) byCategory.set(r.categorie, (list = []));
    list.push(r);
  }
  return (input) => {
    const list = byCategory.get(input.categorie as string);
    const b = input.bedrag;
    const d = input.dagen;
    if (!list || typeof b !== 'number' || typeof d !== 'number' || !Number.isFinite(b) || !Number.isFinite(d)) {
      throw new Error('invalid input');
    }
    for (let i = 0; i < list.length; i++) {
      const r = list[i]!;
      if (b >= r.bedragVan && b < r.bedragTot && d >= 0 && d <= r.dagenTot) {
        return { output: { tarief: r.tarief, code: r.code }, matched: [r.id] };
      }
    }
    return { output: null, matched: [] };
  };
}
