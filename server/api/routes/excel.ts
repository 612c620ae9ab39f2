// Spreadsheets over HTTP: a table or a whole domain as .xlsx, and an .xlsx or CSV uploaded into a table's draft.
// The upload stores nothing: it answers the table the file proposes and its diff against the draft, and the editor
// saves it with the ordinary draft PUT and the revision it has open, so a stale upload still gets 409 there.
import express, { Router, type Response } from 'express';
import { locateProblems, readSpreadsheet, tablesToXlsx, type CellProblem } from '../../excel/index.ts';
import { sheetName } from '../../excel/layout.ts';
import { diffTables } from '../../store/diff.ts';
import { StoreError } from '../../store/errors.ts';
import { stripPublication } from '../../store/records.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../openapi-parts.ts';
import { tableAt } from '../stored-tables.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** An upload is a workbook of at most this size; the tables it may hold are far smaller. */
const UPLOAD_LIMIT = '10mb';

function sendXlsx(res: Response, file: string, bytes: Buffer): void {
  res.set('Content-Type', XLSX_TYPE).set('Content-Disposition', `attachment; filename="${file}"`).send(bytes);
}

function spreadsheetError(problems: CellProblem[]): ApiError {
  const first = problems[0]!;
  return new ApiError(
    'INVALID_FILE',
    problems.length === 1 ? `het bestand kan niet worden ingelezen: ${first.cell}: ${first.message}` : `het bestand kan niet worden ingelezen (${problems.length} problemen)`,
    problems.map((p) => ({ path: p.cell, message: p.message, ...(p.code === undefined ? {} : { code: p.code, params: p.params ?? {} }) })),
  );
}

export function excelRouter(ctx: ApiContext): Router {
  const { store } = ctx;
  const r = Router();
  const read = authorize(ctx.access, 'read');
  const edit = authorize(ctx.access, 'edit');

  r.get('/tables/:id/export.xlsx', read, async (req, res) => {
    const id = req.params.id as string;
    const table = (await tableAt(store, id, req.query.version));
    sendXlsx(res, `${id}.xlsx`, await tablesToXlsx([table]));
  });

  r.get('/domains/:domain/export.xlsx', read, async (req, res) => {
    const domain = req.params.domain as string;
    const which = req.query.version;
    if (which !== undefined && which !== 'draft') {
      throw new ApiError('INVALID_PARAMETER', `a domain is exported as its newest versions, or with version=draft its drafts, not '${String(which)}'`, [{ path: '/version', message: 'must be "draft" or absent' }]);
    }
    const ids = store.tableIds().filter((id) => id.startsWith(`${domain}.`));
    if (ids.length === 0) throw new ApiError('NOT_FOUND', `no table is in the domain '${domain}'`);
    const tables = [];
    for (const id of ids) tables.push(await tableAt(store, id, which));
    sendXlsx(res, `${domain}.xlsx`, await tablesToXlsx(tables));
  });

  // The file's bytes are the body (xlsx, CSV or an unnamed binary); JSON bodies are parsed by the API before this.
  const raw = express.raw({ type: () => true, limit: UPLOAD_LIMIT });
  r.post('/tables/:id/draft/import', edit, raw, async (req, res) => {
    const id = req.params.id as string;
    if (!store.tableExists(id)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${id}'`);
    const bytes = Buffer.isBuffer(req.body) ? new Uint8Array(req.body) : new Uint8Array();
    if (bytes.length === 0) throw new ApiError('INVALID_REQUEST', 'send the .xlsx or CSV file as the request body', [{ path: '/body', message: 'is empty' }]);
    const content = await readSpreadsheet(bytes, sheetName(id, new Set()));
    const sheet = content.tables.find((s) => s.table.id === id);
    if (!sheet) {
      const mine = content.problems.filter((p) => content.sheetIds[p.cell.split('!')[0]!.replace(/^'|'$/g, '')] === id);
      if (content.problems.length > 0) throw spreadsheetError(mine.length > 0 ? mine : content.problems);
      const named = content.tables.map((s) => `${s.locate('/id')}: ${s.table.id}`).join(', ');
      throw spreadsheetError([{ cell: content.tables[0]?.sheet ?? '(bestand)', message: `dit bestand heeft geen blad voor de tabel '${id}' (wel: ${named})` }]);
    }
    const proposed = stripPublication(sheet.table);
    // The engine's check of the table runs in the checker's worker within its budget, as for every save; it runs on
    // a sheet with problems too, so one upload names every problem.
    const problems = locateProblems(sheet, await ctx.checker.problems(proposed));
    if (problems.length > 0) throw spreadsheetError(problems);
    const draft = (await store.getDraft(id));
    const before = draft?.table ?? store.newestVersion(id)?.table;
    res.json({
      tableId: id,
      sheet: sheet.sheet,
      revision: draft?.revision ?? 0,
      table: proposed,
      diff: before ? diffTables(before, proposed) : null,
    });
  });

  return r;
}

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventiematrix' };
const xlsxAnswer = { description: 'The workbook (one sheet per table; layout in the README, "Excel")', content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } } } };

export const EXCEL_PATHS: Record<string, unknown> = {
  '/api/v1/tables/{id}/export.xlsx': {
    get: {
      tags: ['tables'],
      summary: 'The table as an .xlsx workbook: the newest version, ?version=N, or ?version=draft (the draft, else the newest version)',
      parameters: [idParam, { name: 'version', in: 'query', schema: { type: 'string' }, description: 'a version number or "draft"' }],
      responses: { '200': xlsxAnswer, '400': errorResponse('version is not a number or "draft"'), '404': errorResponse('Unknown table or version') },
    },
  },
  '/api/v1/domains/{domain}/export.xlsx': {
    get: {
      tags: ['tables'],
      summary: 'Every table of a domain (ids starting with "<domain>.") as one workbook, newest versions or ?version=draft',
      parameters: [{ name: 'domain', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving' }, { name: 'version', in: 'query', schema: { enum: ['draft'] } }],
      responses: { '200': xlsxAnswer, '400': errorResponse('version is not "draft"'), '404': errorResponse('No table in that domain') },
    },
  },
  '/api/v1/tables/{id}/draft/import': {
    post: {
      tags: ['drafts'],
      summary: 'Read an uploaded .xlsx or CSV as a proposal for the draft; nothing is stored',
      description:
        'The body is the file. The answer is {tableId, sheet, revision, table, diff}: the table the sheet for this table proposes (without version and ' +
        'validFrom) and its rule-level diff against the draft (or the newest version). Save it with PUT …/draft and the revision you edited. ' +
        'A file that cannot be read is a 422 INVALID_FILE whose invalidParams name each cell (`name: "Boete!C7"`) with the problem in Dutch.',
      parameters: [idParam],
      requestBody: { required: true, content: { [XLSX_TYPE]: { schema: { type: 'string', format: 'binary' } }, 'text/csv': { schema: { type: 'string' } } } },
      responses: {
        '200': { description: 'The proposed table and its diff', content: { 'application/json': { schema: { type: 'object' } } } },
        '400': errorResponse('Empty body'),
        '404': errorResponse('Unknown table'),
        '413': errorResponse('File over 10 MB'),
        '422': errorResponse('The file has problems: each named by sheet and cell'),
      },
    },
  },
};
