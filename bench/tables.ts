// The benchmark's tables and cases: the 16-row LHS interventiematrix from rules/, and a generated FIRST table with one
// equality column of 100 values and two numeric interval columns (1,000 rows; 10,000 for the compile measurement).
import { readFileSync } from 'node:fs';
import type { DecisionTable, Rule } from '../server/engine/types.ts';
import { prng } from '../test/prng.ts';


export function interventiematrix(): DecisionTable {
  const url = new URL('../rules/handhaving/interventiematrix/v1.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as DecisionTable;
}

export function matrixCases(count = 64, seed = 16): Record<string, unknown>[] {
  const random = prng(seed);
  const gedrag = ['A', 'B', 'C', 'D'];
  return Array.from({ length: count }, () => ({ gedrag: gedrag[Math.floor(random() * 4)]!, gevolgen: 1 + Math.floor(random() * 4) }));
}

/** One row of the generated table, as plain data (what the hand-written function is written against). */
export interface BandRow {
  id: string;
  categorie: string;
  /** bedrag in [bedragVan, bedragTot) */
  bedragVan: number;
  bedragTot: number;
  /** dagen in [0, dagenTot] */
  dagenTot: number;
  tarief: number;
  code: string;
}

export function categoryName(k: number): string {
  return `cat-${String(k).padStart(4, '0')}`;
}

/** `categories` × `perCategory` rows: bedrag in bands of 100, dagen up to a bound that varies by row. */
export function bandRows(categories: number, perCategory = 10): BandRow[] {
  const rows: BandRow[] = [];
  for (let k = 0; k < categories; k++) {
    for (let j = 0; j < perCategory; j++) {
      rows.push({
        id: `r${k}-${j}`,
        categorie: categoryName(k),
        bedragVan: j * 100,
        bedragTot: (j + 1) * 100,
        dagenTot: 10 + ((k * 7 + j * 3) % 30),
        tarief: k * 10 + j,
        code: `K${k}-${j}`,
      });
    }
  }
  return rows;
}

export function bandTable(rows: BandRow[]): DecisionTable {
  const categories = [...new Set(rows.map((r) => r.categorie))];
  return {
    id: 'bench.banden',
    title: `Gegenereerde FIRST-tabel met ${rows.length} regels`,
    hitPolicy: 'FIRST',
    inputs: [
      { name: 'categorie', type: 'string', values: categories },
      { name: 'bedrag', type: 'number' },
      { name: 'dagen', type: 'number' },
    ],
    outputs: [
      { name: 'tarief', type: 'number' },
      { name: 'code', type: 'string' },
    ],
    rules: rows.map(
      (r): Rule => ({
        id: r.id,
        when: { categorie: JSON.stringify(r.categorie), bedrag: `[${r.bedragVan}..${r.bedragTot})`, dagen: `[0..${r.dagenTot}]` },
        then: { tarief: String(r.tarief), code: JSON.stringify(r.code) },
      }),
    ),
  };
}

export function bandCases(categories: number, count = 256, seed = 1000): Record<string, unknown>[] {
  const random = prng(seed);
  return Array.from({ length: count }, () => ({
    categorie: categoryName(Math.floor(random() * categories)),
    bedrag: Math.floor(random() * 1050), // a few above the last band: no match
    dagen: Math.floor(random() * 41),
  }));
}
