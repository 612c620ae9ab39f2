// `beslis import [dir]`: loads rules/ and fixtures/ into the database, idempotently, all or nothing.
import { resolve } from 'node:path';
import { importFiles } from '../../store/files.ts';
import { parseCommandArgs, usageError } from '../args.ts';
import { describeProblem, importDmnFile } from '../dmn-io.ts';
import { importSpreadsheet } from '../excel-io.ts';
import { withStore } from '../open-store.ts';

export const summary = 'load rules/ and fixtures/ into the database (identical versions are skipped)';

const HELP = `Usage: beslis import [DIR] [--db FILE]
       beslis import MODEL.dmn [--db FILE] [--partial]
       beslis import FILE.xlsx|FILE.csv [--db FILE] [--replace-draft]

Loads DIR/rules/<domain>/<table>/v<N>.json and DIR/fixtures/<domain>/<table>.json (DIR defaults to the
current folder) into the database (--db, env BESLIS_DB, default ./data/beslis.db).

A version already in the database with the same content is skipped, so importing twice changes nothing.
A published version whose file differs from the database is refused: published versions never change; put
the change in a new version file. Every file is checked first; when any is refused nothing is imported.

A DMN model (1.1 to 1.5) is imported as drafts: each decision table becomes the draft of a new table, or the
new draft of an existing one, to be submitted and approved like any edit. What cannot be imported (a boxed
context, a literal expression, …) is listed element by element, and then nothing is imported unless --partial.

A workbook (.xlsx, as beslis export --format xlsx writes it, after editing in Excel or LibreOffice) or a CSV file
of one such sheet: each table becomes the new draft of the table its sheet names (or a new table). Every problem
is named by sheet and cell (Boete!C7: ...); with any problem nothing is stored. A table that has a draft already
is refused, naming who saved it last, unless --replace-draft: the file may be older than that edit.

Exit codes: 0 imported (or nothing to do), 1 refused (the messages name the files), 2 wrong usage.`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { help: HELP, options: { db: { type: 'string' }, partial: { type: 'boolean' }, 'replace-draft': { type: 'boolean' } } });
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length > 1) return usageError(HELP);
  const dir = resolve(parsed.positionals[0] ?? '.');
  // Not cliActor(): imports have always been recorded as cli:<USER>, or cli:import without one.
  const actor = `cli:${process.env.USER ?? 'import'}`;
  return withStore(parsed.values.db, false, async (store) => {
    if (/\.(xlsx|csv)$/i.test(dir)) {
      const report = await importSpreadsheet(store, dir, actor, { replaceDraft: parsed.values['replace-draft'] === true });
      for (const p of report.problems) console.error(p);
      for (const id of report.created) console.log(`created   ${id}  (new table, as a draft)`);
      for (const id of report.updated) console.log(`drafted   ${id}  (new draft of an existing table)`);
      if (report.problems.length > 0) console.log(`beslis import: nothing imported (${report.problems.length} problems)`);
      else console.log(`beslis import: ${report.created.length + report.updated.length} tables stored as drafts`);
      return report.problems.length > 0 ? 1 : 0;
    }
    if (dir.toLowerCase().endsWith('.dmn')) {
      const report = await importDmnFile(store, dir, actor, parsed.values.partial === true);
      for (const p of report.problems) console.error(describeProblem(p));
      for (const id of report.created) console.log(`created   ${id}  (new table, as a draft)`);
      for (const id of report.updated) console.log(`drafted   ${id}  (new draft of an existing table)`);
      const stored = report.created.length + report.updated.length;
      const refused = stored === 0 && report.problems.some((p) => p.severity === 'error');
      console.log(refused ? 'beslis import: nothing imported (use --partial to import the tables that can be)' : `beslis import: ${stored} tables stored as drafts`);
      return refused ? 1 : 0;
    }
    const report = (await importFiles(store, dir, actor));
    for (const v of report.imported) console.log(`imported  ${v.file}  (${v.tableId} v${v.version})`);
    for (const f of report.fixturesImported) console.log(`imported  ${f.file}  (fixtures of ${f.tableId})`);
    for (const a of report.archivesImported) console.log(`imported  ${a.file}  (${a.tableId} archived from ${a.validFrom})`);
    console.log(
      `beslis import: ${report.imported.length} versions and ${report.fixturesImported.length} fixture sets imported; ` +
        `${report.skipped.length} versions and ${report.fixturesSkipped.length} fixture sets already present`,
    );
    return 0;
  });
}
