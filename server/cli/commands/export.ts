// `beslis export [dir]`: writes new version files and changed fixtures from the database back to files.
import { resolve } from 'node:path';
import { writeFileSync } from 'node:fs';
import { exportFiles } from '../../store/files.ts';
import { fail, parseCommandArgs, usageError } from '../args.ts';
import { EXPORT_VERSIONS, type ExportVersion } from '../../dmn/index.ts';
import { exportTableAsDmn } from '../dmn-io.ts';
import { exportXlsx } from '../excel-io.ts';
import { exportRegister, REGISTER_HELP } from '../algoritmeregister-io.ts';
import { withStore } from '../open-store.ts';

export const summary = 'write new versions and changed fixtures from the database to rules/ and fixtures/';

const HELP = `Usage: beslis export [DIR] [--db FILE]
       beslis export TABLE-ID --format dmn [--version N] [--dmn-version 1.5|1.3] [--out FILE] [--db FILE]
       beslis export TABLE-ID|DOMAIN --format xlsx [--version N|draft] [--out FILE] [--db FILE]
       beslis export [TABLE-ID | --domain D] --format algoritmeregister [--out FILE] [--organisation NAME] [--contact ADDR] [--db FILE]

Writes every version in the database (--db, env BESLIS_DB, default ./data/beslis.db) that has no file yet to
DIR/rules/<domain>/<table>/v<N>.json, their publication facts to published.json beside them, and every
fixture set that differs from its file to DIR/fixtures/<domain>/<table>.json. DIR defaults to the current folder.

An existing version file with other content is never overwritten: the export is refused, nothing is written,
and the message names the file.

With --format dmn, one table's version (the newest, or --version N) is written as DMN 1.5 XML (as the editor
downloads it; --dmn-version 1.3 for tools that read no newer one), which dmn-js and Camunda open, to standard
output or --out FILE.

With --format xlsx, the table (or every table of a domain, one sheet each) is written as an Excel workbook to
--out FILE or <TABLE-ID>.xlsx: the newest version, --version N, or --version draft (the draft where there is one).
Edit it in Excel or LibreOffice and read it back with beslis import FILE.xlsx.

${REGISTER_HELP}

Exit codes: 0 written (or nothing to do), 1 refused, 2 wrong usage.`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    help: HELP,
    options: {
      db: { type: 'string' },
      format: { type: 'string' },
      version: { type: 'string' },
      out: { type: 'string' },
      domain: { type: 'string' },
      organisation: { type: 'string' },
      contact: { type: 'string' },
      'dmn-version': { type: 'string' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  if (parsed.positionals.length > 1) return usageError(HELP);
  const { db, format, version, out, domain, organisation, contact } = parsed.values;
  if (format !== undefined && format !== 'dmn' && format !== 'xlsx' && format !== 'algoritmeregister') {
    return fail(`beslis export: unknown format '${format}' (dmn, xlsx or algoritmeregister)`);
  }
  if (format === 'algoritmeregister') {
    const id = parsed.positionals[0];
    if (version !== undefined) return usageError(HELP, 'beslis export: the Algoritmeregister describes the versions in force today; --version does not apply');
    if (id !== undefined && domain !== undefined) return usageError(HELP, 'beslis export: give a TABLE-ID or --domain D, not both');
    return withStore(db, true, (store) => exportRegister(store, { id, domain, out, organisation, contact }));
  }
  if (domain !== undefined || organisation !== undefined || contact !== undefined) {
    return usageError(HELP, 'beslis export: --domain, --organisation and --contact go with --format algoritmeregister');
  }
  if (format === 'xlsx') {
    const id = parsed.positionals[0];
    if (!id || (version !== undefined && version !== 'draft' && !/^[1-9][0-9]{0,8}$/.test(version))) return usageError(HELP);
    return withStore(db, false, async (store) => {
      const { bytes, tables } = await exportXlsx(store, id, version);
      const file = out ?? `${id}.xlsx`;
      writeFileSync(file, bytes);
      console.log(`beslis export: wrote ${file} (${tables.length === 1 ? tables[0] : `${tables.length} tables`})`);
      return 0;
    });
  }
  const dmnVersion = parsed.values['dmn-version'];
  if (dmnVersion !== undefined && format !== 'dmn') return usageError(HELP, 'beslis export: --dmn-version goes with --format dmn');
  if (format === 'dmn') {
    if (dmnVersion !== undefined && !(EXPORT_VERSIONS as readonly string[]).includes(dmnVersion)) {
      return usageError(HELP, `beslis export: --dmn-version must be ${EXPORT_VERSIONS.join(' or ')}, not '${dmnVersion}'`);
    }
    const tableId = parsed.positionals[0];
    const n = version === undefined ? undefined : Number(version);
    if (!tableId || (n !== undefined && (!Number.isInteger(n) || n < 1))) return usageError(HELP);
    return withStore(db, false, async (store) => {
      const xml = await exportTableAsDmn(store, tableId, n, (dmnVersion ?? '1.5') as ExportVersion);
      if (out) writeFileSync(out, xml);
      else process.stdout.write(xml.endsWith('\n') ? xml : `${xml}\n`);
      return 0;
    });
  }
  if (version !== undefined || out !== undefined) return usageError(HELP, 'beslis export: --version and --out go with --format dmn or xlsx');
  const dir = resolve(parsed.positionals[0] ?? '.');
  return withStore(db, false, async (store) => {
    const report = (await exportFiles(store, dir));
    for (const f of report.written) console.log(`wrote  ${f}`);
    console.log(`beslis export: ${report.written.length} files written, ${report.unchanged} already up to date`);
    return 0;
  });
}
