// Spreadsheets on the command line: a table (or every table of a domain) written as .xlsx, and an .xlsx or CSV file
// read into drafts (approval still needed to publish them), like the DMN import beside it.
import { basename, extname } from 'node:path';
import { readFileSync } from 'node:fs';
import { validateTable, type DecisionTable } from '../engine/index.ts';
import { describeCellProblem, locateProblems, readSpreadsheet, tablesToXlsx } from '../excel/index.ts';
import { stripPublication, type DraftRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';

function notFound(message: string): Error {
  return Object.assign(new Error(message), { code: 'NOT_FOUND' });
}

/** The table at `version` (a number, `draft` for the draft or else the newest version, or the newest version). */
async function tableAt(store: Store, id: string, version: string | undefined): Promise<DecisionTable> {
  if (version === undefined || version === 'draft') {
    const newest = store.newestVersion(id)?.table;
    const draft = (await store.getDraft(id))?.table;
    const t = version === 'draft' ? (draft ?? newest) : (newest ?? draft);
    if (!t) throw notFound(`table '${id}' has neither a version nor a draft`);
    return t;
  }
  const v = store.getVersion(id, Number(version));
  if (!v) throw notFound(`table '${id}' has no version ${version}`);
  return v.table;
}

/** The workbook of one table, or of every table of a domain when `id` is a domain (`handhaving`). */
export async function exportXlsx(store: Store, id: string, version: string | undefined): Promise<{ bytes: Buffer; tables: string[] }> {
  const ids = store.tableExists(id) ? [id] : store.tableIds().filter((t) => t.startsWith(`${id}.`));
  if (ids.length === 0) throw notFound(`there is no table '${id}', and no table in a domain '${id}'`);
  if (ids.length > 1 && version !== undefined && version !== 'draft') throw notFound(`--version ${version} goes with one table; a domain is exported as its newest versions or (--version draft) drafts`);
  const tables = [];
  for (const t of ids) tables.push(await tableAt(store, t, version));
  return { bytes: await tablesToXlsx(tables), tables: ids };
}

export interface SpreadsheetImport {
  problems: string[];
  created: string[];
  updated: string[];
}

/**
 * Reads `file` and stores each of its tables as a draft: the new draft of the table the sheet names, or a new table.
 * With any problem (every one named by sheet and cell) nothing is stored. A table that has a draft already is a
 * problem too unless `replaceDraft`: the workbook may be older than someone's edit, and a command line has no open
 * revision to compare, so replacing work must be asked for by name (the editor's upload checks the revision instead).
 */
export async function importSpreadsheet(store: Store, file: string, actor: string, opts: { replaceDraft?: boolean } = {}): Promise<SpreadsheetImport> {
  const content = await readSpreadsheet(new Uint8Array(readFileSync(file)), basename(file, extname(file)));
  // Problems of sheets that gave no table at all, then per table its own and the engine's (the check runs on a sheet
  // with problems too, so one run names every problem).
  const inTables = new Set(content.tables.flatMap((s) => s.problems));
  const report: SpreadsheetImport = { problems: content.problems.filter((p) => !inTables.has(p)).map(describeCellProblem), created: [], updated: [] };
  const tables = content.tables.map((sheet) => {
    const table = stripPublication(sheet.table);
    report.problems.push(...locateProblems(sheet, validateTable(table)).map(describeCellProblem));
    return table;
  });
  if (!opts.replaceDraft) {
    for (const table of tables) {
      const draft = store.tableExists(table.id) ? await store.getDraft(table.id) : null;
      if (draft) report.problems.push(existingDraftProblem(draft));
    }
  }
  if (report.problems.length > 0) return report;
  // All or nothing: a draft that cannot be saved (submitted for review) leaves the others untouched too.
  (await store.transaction(async () => {
    for (const table of tables) {
      if (store.tableExists(table.id)) {
        await store.saveDraft(table.id, table, (await store.getDraft(table.id))?.revision ?? 0, actor, { source: `spreadsheet import of ${basename(file)}` });
        report.updated.push(table.id);
      } else {
        await store.createTable(table, actor);
        report.created.push(table.id);
      }
    }
  }));
  return report;
}

/** Why a command-line import does not replace a draft unasked: whose it is and since when. */
export function existingDraftProblem(draft: DraftRecord): string {
  return (
    `${draft.tableId}: heeft al een concept (revisie ${draft.revision}, laatst opgeslagen door ${draft.updatedBy} op ${draft.updatedAt}); ` +
    `--replace-draft vervangt het door dit bestand`
  );
}
