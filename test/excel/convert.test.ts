// The spreadsheet conversion (server/excel): every policy table in rules/ survives export → import unchanged, the
// workbook has what a person working in Excel needs (header block, drop-downs, colours), and a file a person broke
// gives each problem with its sheet and cell in Dutch instead of a crash.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { validateTable } from '../../server/engine/index.ts';
import type { DecisionTable } from '../../server/engine/types.ts';
import { declaredUnpackedSize } from '../../server/excel/detect.ts';
import { describeCellProblem, locateProblems, readSpreadsheet, readXlsx, tablesToXlsx } from '../../server/excel/index.ts';
import { canonicalJson } from '../../server/store/canonical.ts';
import { REPO_ROOT } from '../api/helpers.ts';

function policyTables(): DecisionTable[] {
  const out: DecisionTable[] = [];
  const rules = join(REPO_ROOT, 'rules');
  for (const domain of readdirSync(rules, { withFileTypes: true })) {
    if (!domain.isDirectory() || domain.name === 'schema') continue;
    for (const table of readdirSync(join(rules, domain.name), { withFileTypes: true })) {
      if (!table.isDirectory()) continue;
      for (const f of readdirSync(join(rules, domain.name, table.name))) {
        if (/^v\d+\.json$/.test(f)) out.push(JSON.parse(readFileSync(join(rules, domain.name, table.name, f), 'utf8')) as DecisionTable);
      }
    }
  }
  return out;
}

const MATRIX = JSON.parse(readFileSync(join(REPO_ROOT, 'rules/handhaving/interventiematrix/v1.json'), 'utf8')) as DecisionTable;

/** Every feature a column, a rule or the header can have, so the round trip is tried on each. */
const FULL: DecisionTable = {
  id: 'toezicht.melding-urgentie',
  version: 3,
  validFrom: '2025-01-01',
  title: 'Urgentie van een melding',
  description: 'Bepaalt hoe snel een melding wordt opgepakt.\nTweede regel, met "aanhalingstekens".',
  hitPolicy: 'COLLECT',
  aggregation: 'MAX',
  inputs: [
    { name: 'soort', label: 'Soort melding', type: 'string', values: ['geluid', 'brand', 'afval, gemengd'], description: 'wat is gemeld' },
    { name: 'meldertype', type: 'string', path: 'melder.type', optional: true },
    { name: 'dubbel_aantal', type: 'number', expression: 'aantal * 2', optional: false, format: 'count' },
    { name: 'gemeld_op', type: 'date', values: ['2024-01-01'], optional: true },
    { name: 'Extra info', type: 'any', optional: true },
    { name: 'kosten', type: 'number', unit: 'EUR', format: 'money', optional: true },
  ],
  outputs: [
    { name: 'termijn', label: 'Termijn (dagen)', type: 'number', values: [1, 2, 10], default: '10', description: 'werkdagen', unit: 'dagen', sources: [{ kind: 'bwb', id: 'BWBR0005537', article: '5:31' }] },
  ],
  rules: [
    { id: '1', when: { soort: '"brand"' }, then: { termijn: '1' }, note: 'Brand gaat altijd voor.', sources: [{ kind: 'url', url: 'https://example.org/beleid', title: 'Beleid' }] },
    { id: 'A:2', when: { meldertype: '"politie"', dubbel_aantal: '>= 6', soort: '-' }, then: { termijn: '2' } },
    { id: 'r3', when: { gemeld_op: '< date("2024-03-01")', kosten: '> 100' }, then: { termijn: '10' }, note: '=geen formule' },
  ],
  requires: ['handhaving.gedrag', 'handhaving.gevolgen'],
  meta: { owner: 'Team Toezicht', source: 'BVTH 2024', sources: [{ kind: 'cvdr', id: 'CVDR123456' }], confidence: 'M', reviewBy: '2027-06-30', team: { naam: 'T' } },
};

async function workbookOf(tables: DecisionTable[]): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await tablesToXlsx(tables)) as unknown as ExcelJS.Buffer);
  return wb;
}

/** Writes `table`, lets `edit` change the sheet as a person would, and reads the result back. */
async function edited(table: DecisionTable, edit: (ws: ExcelJS.Worksheet) => void) {
  const wb = await workbookOf([table]);
  edit(wb.worksheets[0]!);
  return readXlsx(new Uint8Array(await wb.xlsx.writeBuffer()));
}

describe('export → import', () => {
  it('gives every policy table in rules/ back identically, from one workbook of all of them', async () => {
    const tables = policyTables();
    expect(tables.length).toBeGreaterThan(20);
    const back = await readXlsx(await tablesToXlsx(tables));
    expect(back.problems).toEqual([]);
    expect(back.tables.map((s) => canonicalJson(s.table))).toEqual(tables.map((t) => canonicalJson(t)));
  });

  it('keeps every property a table, a column and a rule can have', async () => {
    expect(validateTable(FULL)).toEqual([]);
    const back = await readXlsx(await tablesToXlsx([FULL]));
    expect(back.problems).toEqual([]);
    expect(back.tables[0]!.table).toEqual(FULL);
  });
});

describe('the workbook', () => {
  it('has one sheet per table, a header block, the columns with label, name and type, and a row per rule', async () => {
    const wb = await workbookOf([MATRIX, FULL]);
    expect(wb.worksheets.map((w) => [w.name, w.state])).toEqual([
      ['Interventiematrix', 'visible'],
      ['Melding-urgentie', 'visible'],
      ['Lijsten', 'hidden'],
    ]);
    const ws = wb.worksheets[0]!;
    const rowOf = (label: string) => ws.getColumn(1).values.findIndex((v) => v === label);
    expect(ws.getCell(rowOf('Tabel'), 2).value).toBe('handhaving.interventiematrix');
    expect(ws.getCell(rowOf('Titel'), 2).value).toBe(MATRIX.title);
    expect(ws.getCell(rowOf('Beslisregel'), 2).value).toBe('UNIQUE');
    expect(ws.getCell(rowOf('Eigenaar'), 2).value).toBe(MATRIX.meta?.owner);
    expect(ws.getCell(rowOf('Bron'), 2).value).toBe(MATRIX.meta?.source);
    const names = rowOf('Regel');
    expect([2, 3, 4, 5, 6, 7, 8, 9].map((c) => ws.getCell(names, c).value)).toEqual(['gedrag', 'gevolgen', 'kwadrant', 'interventie', 'strafrecht', 'overleg_om', 'Toelichting', 'Bronnen']);
    expect(ws.getCell(rowOf('Label'), 2).value).toBe('Gedrag van de overtreder');
    expect(ws.getCell(rowOf('Type'), 3).value).toBe('number');
    expect(ws.getCell(rowOf('Soort'), 2).value).toBe('invoer');
    expect(ws.getCell(rowOf('Soort'), 4).value).toBe('uitkomst');
    expect(ws.getCell(names + 1, 1).value).toBe('A1');
    expect(ws.getCell(names + 1, 2).value).toBe('"A"');
    expect(ws.getCell(names + 1, 8).value).toBe(MATRIX.rules[0]!.note);
    expect(ws.getCell(names + MATRIX.rules.length, 1).value).toBe(MATRIX.rules.at(-1)!.id);
    // Inputs and outputs in the grid's colours, and text cells so typed values stay as typed.
    const fill = (c: number) => (ws.getCell(names, c).fill as ExcelJS.FillPattern).fgColor?.argb;
    expect(fill(2)).toBe('FFE8F0FB');
    expect(fill(4)).toBe('FFEAF5EC');
    expect(ws.getCell(names + 1, 3).numFmt).toBe('@');
  });

  it('offers the allowed values as a drop-down in the rule cells (and - for an input), the types and hit policies too', async () => {
    const wb = await workbookOf([MATRIX]);
    const ws = wb.worksheets[0]!;
    const lists = wb.getWorksheet('Lijsten')!;
    const names = ws.getColumn(1).values.findIndex((v) => v === 'Regel');
    const listOf = (row: number, col: number): unknown[] => {
      const dv = ws.getCell(row, col).dataValidation;
      expect(dv?.type, `drop-down in row ${row}, column ${col}`).toBe('list');
      const m = /^'?Lijsten'?!\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)$/.exec(dv!.formulae![0] as string);
      expect(m).not.toBeNull();
      const out: unknown[] = [];
      for (let r = Number(m![2]); r <= Number(m![3]); r++) out.push(lists.getCell(`${m![1]}${r}`).value);
      return out;
    };
    expect(listOf(names + 1, 2)).toEqual(['"A"', '"B"', '"C"', '"D"', '-']);
    expect(listOf(names + 1, 3)).toEqual(['1', '2', '3', '4', '-']);
    expect(listOf(names + 1, 4)).toEqual(['1', '2', '3', '4']);
    // New rules typed below the last one get the drop-downs too.
    expect(listOf(names + MATRIX.rules.length + 5, 2)).toEqual(['"A"', '"B"', '"C"', '"D"', '-']);
    expect(ws.getCell(names + 1, 5).dataValidation?.type).toBeUndefined();
    expect(listOf(ws.getColumn(1).values.findIndex((v) => v === 'Beslisregel'), 2)).toContain('FIRST');
    expect(listOf(ws.getColumn(1).values.findIndex((v) => v === 'Type'), 2)).toContain('dateTime');
  });
});

describe('a sheet a person edited', () => {
  it('takes a typed number, truth value or date for the FEEL text it stands for, and A in a column of A, B, C, D for "A"', async () => {
    const back = await edited(MATRIX, (ws) => {
      const names = ws.getColumn(1).values.findIndex((v) => v === 'Regel');
      ws.getCell(names + 1, 2).value = 'B';
      ws.getCell(names + 1, 3).value = 2;
      ws.getCell(names + 1, 6).value = true;
    });
    expect(back.problems).toEqual([]);
    expect(back.tables[0]!.table.rules[0]).toEqual({ ...MATRIX.rules[0], when: { gedrag: '"B"', gevolgen: '2' }, then: { ...MATRIX.rules[0]!.then, strafrecht: 'true' } });
    const dated = await edited(FULL, (ws) => {
      const names = ws.getColumn(1).values.findIndex((v) => v === 'Regel');
      // Pasted from elsewhere: the text format replaced by a date format, so the cell holds a date.
      ws.getCell(names + 3, 5).numFmt = 'dd-mm-yyyy';
      ws.getCell(names + 3, 5).value = new Date(Date.UTC(2024, 2, 1));
    });
    expect(dated.tables[0]!.table.rules[2]!.when.gemeld_op).toBe('date("2024-03-01")');
  });

  it('takes plain text in a text column for that text, as the editor\'s grid does, and FEEL as FEEL', async () => {
    const back = await edited(MATRIX, (ws) => {
      const names = ws.getColumn(1).values.findIndex((v) => v === 'Regel');
      ws.getCell(names + 1, 2).value = 'A, B';
      ws.getCell(names + 1, 5).value = 'Eerst een gesprek, daarna een brief';
      ws.getCell(names + 2, 2).value = 'not(C)';
      ws.getCell(names + 2, 5).value = '"Al FEEL"';
    });
    expect(back.problems).toEqual([]);
    const [r1, r2] = back.tables[0]!.table.rules;
    expect(r1!.when.gedrag).toBe('"A","B"');
    expect(r1!.then.interventie).toBe('"Eerst een gesprek, daarna een brief"');
    expect(r2!.when.gedrag).toBe('not("C")');
    expect(r2!.then.interventie).toBe('"Al FEEL"');
  });

  it('names each problem by sheet and cell, in Dutch, and marks that sheet\'s table as not to be stored', async () => {
    const back = await edited(MATRIX, (ws) => {
      const rowOf = (label: string) => ws.getColumn(1).values.findIndex((v) => v === label);
      const names = rowOf('Regel');
      ws.getCell(rowOf('Type'), 3).value = 'getal';
      ws.getCell(rowOf('Toegestane waarden'), 4).value = '1, twee';
      ws.getCell(rowOf('Beslisregel'), 2).value = 'EERSTE';
      ws.getCell(names + 2, 1).value = null;
      ws.getCell(names + 4, 1).value = 'A1';
      ws.getCell(names + 5, 4).value = { error: '#N/A' } as ExcelJS.CellErrorValue;
    });
    expect(back.tables[0]!.problems).toEqual(back.problems);
    expect(back.problems.map(describeCellProblem)).toEqual([
      "Interventiematrix!B3: onbekende beslisregel 'EERSTE'; kies uit UNIQUE, ANY, PRIORITY, FIRST, COLLECT, RULE ORDER, OUTPUT ORDER",
      "Interventiematrix!C24: onbekend type 'getal'; kies uit string, number, boolean, date, time, dateTime, duration, any",
      'Interventiematrix!D21: de toegestane waarden zijn geen lijst; schrijf ze gescheiden door komma\'s, bijvoorbeeld 1, 2, 3 (tekst tussen aanhalingstekens)',
      'Interventiematrix!A28: deze regel heeft geen id; geef elke regel een eigen id (zoals R1)',
      "Interventiematrix!A30: het id 'A1' heeft ook de regel in rij 27; elk id komt één keer voor",
      'Interventiematrix!D31: deze cel bevat een fout (#N/A); typ er de waarde in',
    ]);
  });

  it('names the cell of a problem the engine finds (a cell that is not FEEL), beside the reader\'s problems', async () => {
    const back = await edited(MATRIX, (ws) => {
      const names = ws.getColumn(1).values.findIndex((v) => v === 'Regel');
      ws.getCell(names + 7, 3).value = '>= 2 en < 4';
      ws.getCell(names + 2, 1).value = 'A1';
    });
    expect(back.problems.map(describeCellProblem)).toEqual(["Interventiematrix!A28: het id 'A1' heeft ook de regel in rij 27; elk id komt één keer voor"]);
    const sheet = back.tables[0]!;
    const problems = locateProblems(sheet, validateTable(sheet.table));
    // The reader's problem once (the engine's duplicate id is the same cell), then the engine's cell.
    expect(problems.map((p) => p.cell)).toEqual(['Interventiematrix!A28', 'Interventiematrix!C33']);
  });

  it('refuses a file that is not a spreadsheet, and a sheet without a table, with a message and not an exception', async () => {
    expect((await readSpreadsheet(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'x')).problems[0]!.message).toMatch(/geen Excel-bestand/);
    expect((await readSpreadsheet(new Uint8Array([0xff, 0xfe, 0x00]), 'x')).problems[0]!.message).toMatch(/geen \.xlsx en geen CSV/);
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Notities').getCell('A1').value = 'boodschappen';
    const empty = await readXlsx(new Uint8Array(await wb.xlsx.writeBuffer()));
    expect(empty.problems.map(describeCellProblem)).toEqual(['(bestand): geen blad in dit bestand heeft een beslistabel (een rij "Tabel" in kolom A)']);
  });
});

describe('a workbook that unpacks too far', () => {
  it('is refused by the sizes its ZIP directory declares, before anything is unpacked', async () => {
    const bytes = new Uint8Array(await tablesToXlsx([MATRIX]));
    const size = declaredUnpackedSize(bytes)!;
    // The parts of an .xlsx are several times larger unpacked than packed.
    expect(size).toBeGreaterThan(bytes.length);
    expect((await readSpreadsheet(bytes, 'x', size)).problems).toEqual([]);
    const refused = await readSpreadsheet(bytes, 'x', size - 1);
    expect(refused.tables).toEqual([]);
    expect(refused.problems.map(describeCellProblem)).toEqual([`(bestand): dit bestand pakt uit tot ${Math.ceil(size / 1048576)} MB, meer dan de ${Math.ceil((size - 1) / 1048576)} MB die een werkmap hier mag zijn`]);
  });
});

describe('CSV', () => {
  it('reads a sheet saved as CSV by Dutch Excel (semicolons, quoted cells), and names a broken cell', async () => {
    const lines = [
      'Tabel;handhaving.spoed-csv',
      'Titel;Spoed',
      '',
      'Soort;invoer;uitkomst',
      'Type;string;boolean',
      'Toegestane waarden;"""ja"", ""nee""";',
      'Regel;melding;spoed;Toelichting',
      'R1;"""ja""";true;"Met ; puntkomma"',
      'R2;nee;false;',
    ];
    const good = await readSpreadsheet(new TextEncoder().encode(`\uFEFF${lines.join('\r\n')}\r\n`), 'spoed');
    expect(good.problems).toEqual([]);
    expect(good.tables[0]!.table).toEqual({
      id: 'handhaving.spoed-csv',
      title: 'Spoed',
      inputs: [{ name: 'melding', type: 'string', values: ['ja', 'nee'] }],
      outputs: [{ name: 'spoed', type: 'boolean' }],
      rules: [
        { id: 'R1', when: { melding: '"ja"' }, then: { spoed: 'true' }, note: 'Met ; puntkomma' },
        { id: 'R2', when: { melding: '"nee"' }, then: { spoed: 'false' } },
      ],
    });
    const bad = await readSpreadsheet(new TextEncoder().encode(lines.map((l) => l.replace('Type;string', 'Type;tekst')).join('\n')), 'spoed');
    expect(bad.problems.map(describeCellProblem)).toEqual(["spoed!B5: onbekend type 'tekst'; kies uit string, number, boolean, date, time, dateTime, duration, any"]);
  });
});
