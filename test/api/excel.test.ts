// Spreadsheets over HTTP against a real server: download a table or a domain as .xlsx, upload an edited file into the
// draft (a proposal with its diff; nothing stored until the draft PUT, which still refuses a stale revision), and a
// broken file answered with each problem's sheet and cell in Dutch.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionTable } from '../../server/engine/types.ts';
import { readXlsx } from '../../server/excel/index.ts';
import { canonicalJson } from '../../server/store/canonical.ts';
import { testServer, type Client, type Reply, type TestServer } from './helpers.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let srv: TestServer;
let editor: Client;
let viewer: Client;

beforeAll(async () => {
  srv = await testServer();
  editor = await srv.as('eddy', ['editor']);
  viewer = await srv.as('vera', ['viewer']);
}, 60_000);
afterAll(async () => {
  await srv.stop();
});

async function download(who: Client, path: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Uint8Array }> {
  const res = await fetch(`${srv.url}${path}`, { headers: { cookie: who.cookie } });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function upload(who: Client, id: string, bytes: Uint8Array | string, type = XLSX): Promise<Reply> {
  const res = await fetch(`${srv.url}/api/v1/tables/${id}/draft/import`, {
    method: 'POST',
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken, 'content-type': type },
    body: typeof bytes === 'string' ? bytes : new Blob([bytes as Uint8Array<ArrayBuffer>]),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers, text };
}

/** The exported workbook of test.boete with `edit` applied, as a person would in Excel. */
async function editedExport(edit: (ws: ExcelJS.Worksheet, names: number) => void): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await download(editor, '/api/v1/tables/test.boete/export.xlsx')).bytes as unknown as ExcelJS.Buffer);
  const ws = wb.getWorksheet('Boete')!;
  edit(ws, ws.getColumn(1).values.findIndex((v) => v === 'Regel'));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

describe('download', () => {
  it('gives the newest version of a table as an .xlsx attachment, or the version asked for', async () => {
    const newest = (await srv.request('GET', '/api/v1/tables/test.boete/versions/3')).body as DecisionTable;
    const got = await download(viewer, '/api/v1/tables/test.boete/export.xlsx');
    expect(got.status).toBe(200);
    expect(got.type).toBe(XLSX);
    expect(got.disposition).toBe('attachment; filename="test.boete.xlsx"');
    const back = await readXlsx(got.bytes);
    expect(back.tables.map((s) => s.sheet)).toEqual(['Boete']);
    expect(canonicalJson(back.tables[0]!.table)).toBe(canonicalJson(newest));
    const v1 = await readXlsx((await download(viewer, '/api/v1/tables/test.boete/export.xlsx?version=1')).bytes);
    expect(v1.tables[0]!.table.title).toBe('Testboete v1');
  });

  it('gives a whole domain, one sheet per table', async () => {
    const ids = ((await srv.request('GET', '/api/v1/tables')).body.tables as { id: string }[]).map((t) => t.id).filter((id) => id.startsWith('test.'));
    const got = await download(viewer, '/api/v1/domains/test/export.xlsx');
    expect(got.status).toBe(200);
    expect(got.disposition).toBe('attachment; filename="test.xlsx"');
    const back = await readXlsx(got.bytes);
    expect(back.problems).toEqual([]);
    expect(back.tables.map((s) => s.table.id).sort()).toEqual(ids.sort());
  });

  it('answers a bad version, an unknown table or domain and nobody with the usual errors', async () => {
    expect((await viewer.request('GET', '/api/v1/tables/test.boete/export.xlsx?version=nieuw')).status).toBe(400);
    expect((await viewer.request('GET', '/api/v1/tables/test.boete/export.xlsx?version=9')).status).toBe(404);
    expect((await viewer.request('GET', '/api/v1/tables/test.nergens/export.xlsx')).status).toBe(404);
    expect((await viewer.request('GET', '/api/v1/domains/nergens/export.xlsx')).status).toBe(404);
    expect((await srv.anonymous.request('GET', '/api/v1/tables/test.boete/export.xlsx')).status).toBe(401);
  });
});

describe('upload into the draft', () => {
  it('proposes the edited table with its diff and stores nothing; the draft PUT saves it and refuses a stale revision', async () => {
    const file = await editedExport((ws, names) => {
      ws.getCell(names + 1, 4).value = '150';
    });
    const before = (await editor.request('GET', '/api/v1/tables/test.boete/draft')).body;
    const r = await upload(editor, 'test.boete', file);
    expect(r.status, r.text).toBe(200);
    expect(r.body.sheet).toBe('Boete');
    expect(r.body.revision).toBe(before.revision);
    expect(r.body.diff.summary).toMatchObject({ changed: 1, added: 0, removed: 0, same: false });
    expect(r.body.diff.rules.changed).toEqual([{ id: 'A', fromIndex: 0, toIndex: 0, cells: [{ kind: 'then', name: 'boete', from: before.table.rules[0].then.boete, to: '150' }] }]);
    expect(r.body.table.version).toBeUndefined();
    expect((await editor.request('GET', '/api/v1/tables/test.boete/draft')).body.revision).toBe(before.revision);

    const saved = await editor.request('PUT', '/api/v1/tables/test.boete/draft', { table: r.body.table }, { 'If-Match': String(r.body.revision) });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.table.rules[0].then.boete).toBe('150');
    // A second upload made against the old revision cannot overwrite the saved draft.
    const again = await upload(editor, 'test.boete', file);
    const stale = await editor.request('PUT', '/api/v1/tables/test.boete/draft', { table: again.body.table }, { 'If-Match': String(r.body.revision) });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('STALE_REVISION');
    await editor.request('DELETE', '/api/v1/tables/test.boete/draft', undefined, { 'If-Match': String(saved.body.revision) });
  });

  it('names every problem by sheet and cell, in Dutch: the reader\'s and the engine\'s', async () => {
    const broken = await editedExport((ws, names) => {
      ws.getCell(names + 2, 1).value = 'A';
      ws.getCell(names + 1, 4).value = '100 +';
    });
    const r = await upload(editor, 'test.boete', broken);
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('INVALID_FILE');
    const idRow = (await readXlsx(await editedExport(() => {}))).tables[0]!.locate('/rules/1/id');
    // Both at once: the reader's duplicate id, and the engine's complaint about the cell that is not FEEL (its text is
    // the engine's English, with the code and parameters from which the editor words it in Dutch).
    expect(r.body.invalidParams).toEqual([
      { name: idRow, reason: `het id 'A' heeft ook de regel in rij ${Number(idRow.slice(idRow.indexOf('!') + 2)) - 1}; elk id komt één keer voor` },
      { name: `Boete!D${Number(idRow.slice(idRow.indexOf('!') + 2)) - 1}`, reason: expect.any(String), code: expect.stringMatching(/^FEEL_/), params: expect.any(Object) },
    ]);

    const feel = await upload(editor, 'test.boete', await editedExport((ws, names) => {
      ws.getCell(names + 1, 4).value = '100 +';
    }));
    expect(feel.status).toBe(422);
    expect(feel.body.invalidParams[0].name).toMatch(/^Boete!D\d+$/);
  });

  it('refuses a file of another table, a file that is no spreadsheet, an empty body and a viewer', async () => {
    const other = await upload(editor, 'test.matrix', await editedExport(() => {}));
    expect(other.status).toBe(422);
    expect(other.body.invalidParams[0].reason).toMatch(/^dit bestand heeft geen blad voor de tabel 'test\.matrix' \(wel: Boete!B1: test\.boete\)$/);
    const junk = await upload(editor, 'test.boete', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9]));
    expect(junk.status).toBe(422);
    expect(junk.body.invalidParams[0].reason).toMatch(/geen Excel-bestand/);
    expect((await upload(editor, 'test.boete', new Uint8Array())).status).toBe(400);
    expect((await upload(viewer, 'test.boete', await editedExport(() => {}))).status).toBe(403);
    expect((await upload(editor, 'test.nergens', await editedExport(() => {}))).status).toBe(404);
  });

  it('takes a CSV file laid out like the sheet, naming its cells after the table', async () => {
    const csv = ['Tabel;test.boete', 'Titel;Testboete uit CSV', '', 'Soort;invoer;uitkomst', 'Toegestane waarden;A, B;', 'Type;string;number', 'Regel;categorie;boete', 'A;A;120', 'B;"""B""";getal'].join('\n');
    const bad = await upload(editor, 'test.boete', csv, 'text/csv');
    expect(bad.status).toBe(422);
    expect(bad.body.invalidParams[0].name).toBe('Boete!C9');
    const good = await upload(editor, 'test.boete', csv.replace('getal', '200'), 'text/csv');
    expect(good.status, good.text).toBe(200);
    expect(good.body.table.rules).toEqual([
      // A plain A in a column whose allowed values have A is the text "A".
      { id: 'A', when: { categorie: '"A"' }, then: { boete: '120' } },
      { id: 'B', when: { categorie: '"B"' }, then: { boete: '200' } },
    ]);
  });
});
