// `beslis export <id> --format xlsx` and `beslis import FILE.xlsx`, run as a user runs them, on real database files:
// an exported, edited workbook becomes the draft of the table it names; a broken one stores nothing and names the cell.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecisionTable } from '../../server/engine/types.ts';
import { readXlsx } from '../../server/excel/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
let dir = '';
let db = '';

function beslis(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/beslis.js'), ...args], { encoding: 'utf8', timeout: 60_000, cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function draftTable(id: string): DecisionTable | null {
  const conn = new Database(db, { readonly: true });
  try {
    const row = conn.prepare('SELECT content FROM drafts WHERE table_id = ?').get(id) as { content: string } | undefined;
    return row ? (JSON.parse(row.content) as DecisionTable) : null;
  } finally {
    conn.close();
  }
}

/** Opens `file`, lets `edit` change the sheet `sheet` (given the row of the names), saves it as `to`. */
async function editFile(file: string, to: string, sheet: string, edit: (ws: ExcelJS.Worksheet, names: number) => void): Promise<void> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(sheet)!;
  edit(ws, ws.getColumn(1).values.findIndex((v) => v === 'Regel'));
  await wb.xlsx.writeFile(to);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'beslis-xlsx-cli-'));
  db = join(dir, 'a.db');
  cpSync(join(root, 'rules'), join(dir, 'src', 'rules'), { recursive: true });
  expect(beslis(['import', join(dir, 'src'), '--db', db]).code).toBe(0);
}, 60_000);

describe('spreadsheets on the command line', () => {
  it('exports a table as .xlsx (to <id>.xlsx or --out) and a whole domain, one sheet per table', async () => {
    const one = beslis(['export', 'drank-horeca.boete', '--format', 'xlsx', '--db', db]);
    expect(one.code, one.err).toBe(0);
    expect(one.out).toContain('wrote drank-horeca.boete.xlsx');
    const file = await readXlsx(new Uint8Array(readFileSync(join(dir, 'drank-horeca.boete.xlsx'))));
    const newest = JSON.parse(readFileSync(join(root, 'rules/drank-horeca/boete/v2.json'), 'utf8')) as DecisionTable;
    expect(file.tables[0]!.table.rules).toEqual(newest.rules);

    const domain = beslis(['export', 'handhaving', '--format', 'xlsx', '--out', join(dir, 'handhaving.xlsx'), '--db', db]);
    expect(domain.code, domain.err).toBe(0);
    const sheets = await readXlsx(new Uint8Array(readFileSync(join(dir, 'handhaving.xlsx'))));
    expect(sheets.tables.map((s) => s.table.id)).toContain('handhaving.interventiematrix');
    expect(sheets.tables.every((s) => s.table.id.startsWith('handhaving.'))).toBe(true);
    expect(beslis(['export', 'geen.tabel', '--format', 'xlsx', '--db', db]).err).toContain("there is no table 'geen.tabel'");
  });

  it('imports an edited workbook as the draft of the table it names', async () => {
    const src = join(dir, 'matrix.xlsx');
    expect(beslis(['export', 'handhaving.interventiematrix', '--format', 'xlsx', '--out', src, '--db', db]).code).toBe(0);
    const edited = join(dir, 'matrix-edited.xlsx');
    await editFile(src, edited, 'Interventiematrix', (ws, names) => {
      ws.getCell(names + 1, 8).value = 'Nieuwe toelichting';
    });
    const r = beslis(['import', edited, '--db', db]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('drafted   handhaving.interventiematrix');
    const draft = draftTable('handhaving.interventiematrix')!;
    expect(draft.rules[0]!.note).toBe('Nieuwe toelichting');
    expect(draft.version).toBeUndefined();
  });

  it('does not replace a draft unasked: an older workbook would undo its edit; --replace-draft replaces it', async () => {
    const src = join(dir, 'matrix.xlsx');
    const other = join(dir, 'matrix-other.xlsx');
    await editFile(src, other, 'Interventiematrix', (ws, names) => {
      ws.getCell(names + 1, 8).value = 'Andere toelichting';
    });
    const refused = beslis(['import', other, '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^handhaving\.interventiematrix: heeft al een concept \(revisie 1, laatst opgeslagen door cli:\S+ op .+\); --replace-draft vervangt het/m);
    expect(refused.out).toContain('nothing imported');
    expect(draftTable('handhaving.interventiematrix')!.rules[0]!.note).toBe('Nieuwe toelichting');
    const replaced = beslis(['import', other, '--db', db, '--replace-draft']);
    expect(replaced.code, replaced.err).toBe(0);
    expect(draftTable('handhaving.interventiematrix')!.rules[0]!.note).toBe('Andere toelichting');
  });

  it('stores nothing from a broken workbook and names each cell in Dutch', async () => {
    const src = join(dir, 'boete.xlsx');
    expect(beslis(['export', 'drank-horeca.boete', '--format', 'xlsx', '--out', src, '--db', db]).code).toBe(0);
    const broken = join(dir, 'boete-broken.xlsx');
    await editFile(src, broken, 'Boete', (ws, names) => {
      ws.getCell(names + 1, 2).value = '>= 3 en';
    });
    const r = beslis(['import', broken, '--db', db]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`^Boete!B${(await readXlsx(new Uint8Array(readFileSync(src)))).tables[0]!.locate('/rules/0/id').replace(/^.*!A/, '')}: `, 'm'));
    expect(r.out).toContain('nothing imported');
    expect(draftTable('drank-horeca.boete')).toBeNull();
    writeFileSync(join(dir, 'leeg.csv'), 'niets;hier\n');
    const csv = beslis(['import', join(dir, 'leeg.csv'), '--db', db]);
    expect(csv.code).toBe(1);
    expect(csv.err).toContain('geen blad in dit bestand heeft een beslistabel');
  });
});
