// A workbook written by LibreOffice after a person edited it imports: headless LibreOffice Calc (Debian's
// libreoffice-calc-nogui, driven through Python-UNO by libreoffice-edit.py) opens an exported table, a cell is typed
// into, LibreOffice saves it with its own Excel filter, and the import finds exactly that change; a broken cell comes
// back with its address, in Dutch. Without LibreOffice these tests fail (they do not skip): .ci/run installs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecisionTable } from '../../server/engine/types.ts';
import { describeCellProblem, readSpreadsheet, readXlsx, tablesToXlsx } from '../../server/excel/index.ts';
import { diffTables } from '../../server/store/diff.ts';
import { REPO_ROOT, tempDir } from '../api/helpers.ts';

const SCRIPT = fileURLToPath(new URL('./libreoffice-edit.py', import.meta.url));
// Debian's own Python: python3-uno installs the UNO bridge for it, not for a Python of pyenv or a venv.
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const MATRIX = JSON.parse(readFileSync(join(REPO_ROOT, 'rules/handhaving/interventiematrix/v1.json'), 'utf8')) as DecisionTable;

/** Lets LibreOffice type `edits` (`Sheet!C7` → text) into the exported `table` and returns the file it saved. */
function editInLibreOffice(table: Buffer, edits: Record<string, string>): Uint8Array {
  const dir = tempDir('beslis-lo-');
  const src = join(dir, 'export.xlsx');
  const dst = join(dir, 'edited.xlsx');
  writeFileSync(src, table);
  const args = [SCRIPT, src, dst, ...Object.entries(edits).map(([cell, text]) => `${cell}=${text}`)];
  const run = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 150_000 });
  if (run.status !== 0) throw new Error(`LibreOffice could not edit the file (exit ${run.status}): ${run.stderr || run.error?.message}`);
  return new Uint8Array(readFileSync(dst));
}

beforeAll(() => {
  const missing: string[] = [];
  if (spawnSync('soffice', ['--version'], { encoding: 'utf8', timeout: 60_000 }).status !== 0) missing.push('soffice (apt-get install libreoffice-calc-nogui)');
  if (spawnSync(PYTHON, ['-c', 'import uno'], { encoding: 'utf8' }).status !== 0) missing.push(`the UNO bridge for ${PYTHON} (apt-get install python3-uno)`);
  if (missing.length > 0) throw new Error(`the LibreOffice round trip needs ${missing.join(' and ')}; .ci/run installs both`);
  execFileSync('soffice', ['--version'], { encoding: 'utf8' });
});

describe('LibreOffice edits an exported table', () => {
  it('a cell typed into in LibreOffice is the only change the import finds', { timeout: 180_000 }, async () => {
    const exported = await tablesToXlsx([MATRIX]);
    const original = await readXlsx(new Uint8Array(exported));
    const sheet = original.tables[0]!;
    const index = MATRIX.rules.findIndex((r) => r.id === 'C3');
    const interventie = sheet.locate(`/rules/${index}/then/interventie`);
    const gevolgen = sheet.locate(`/rules/${index}/when/gevolgen`);
    expect(interventie).toMatch(/^Interventiematrix![A-Z]+\d+$/);
    // The interventie cell gets new text; the gevolgen cell is typed over with the number it already holds, which
    // LibreOffice would store as a number if the cell had lost its text format.
    const edited = editInLibreOffice(exported, { [interventie]: '"Stilleggen en sluiten"', [gevolgen]: '3' });
    // Read as the API and the CLI read an upload (the ZIP's declared sizes checked first).
    const back = await readSpreadsheet(edited, 'edited');
    expect(back.problems).toEqual([]);
    const table = back.tables[0]!.table;
    const diff = diffTables(MATRIX, table);
    expect(diff.fields).toEqual([]);
    expect(diff.inputs).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.outputs).toEqual({ added: [], removed: [], changed: [] });
    expect(diff.rules.added.length + diff.rules.removed.length + diff.rules.moved.length).toBe(0);
    expect(diff.rules.changed).toEqual([
      { id: 'C3', fromIndex: index, toIndex: index, cells: [{ kind: 'then', name: 'interventie', from: MATRIX.rules[index]!.then.interventie, to: '"Stilleggen en sluiten"' }] },
    ]);
  });

  it('a cell broken in LibreOffice comes back with its sheet and cell address, in Dutch', { timeout: 180_000 }, async () => {
    const exported = await tablesToXlsx([MATRIX]);
    const sheet = (await readXlsx(new Uint8Array(exported))).tables[0]!;
    const typeCell = sheet.locate('/inputs/1/type');
    const idCell = sheet.locate('/rules/2/id');
    const edited = editInLibreOffice(exported, { [typeCell]: 'getal', [idCell]: 'A1' });
    // Read as the API and the CLI read an upload (the ZIP's declared sizes checked first).
    const back = await readSpreadsheet(edited, 'edited');
    expect(back.tables[0]!.problems).toEqual(back.problems);
    expect(back.problems.map(describeCellProblem)).toEqual([
      `${typeCell}: onbekend type 'getal'; kies uit string, number, boolean, date, time, dateTime, duration, any`,
      `${idCell}: het id 'A1' heeft ook de regel in rij ${Number(idCell.replace(/^.*![A-Z]+/, '')) - 2}; elk id komt één keer voor`,
    ]);
  });
});
