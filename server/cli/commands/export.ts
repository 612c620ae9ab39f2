// `beslis export [dir]`: writes new version files and changed fixtures from the database back to files.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { exportFiles } from '../../store/files.ts';
import { Store } from '../../store/store.ts';

export const summary = 'write new versions and changed fixtures from the database to rules/ and fixtures/';

const HELP = `Usage: beslis export [DIR] [--db FILE]

Writes every version in the database (--db, env BESLIS_DB, default ./data/beslis.db) that has no file yet to
DIR/rules/<domain>/<table>/v<N>.json, their publication facts to published.json beside them, and every
fixture set that differs from its file to DIR/fixtures/<domain>/<table>.json. DIR defaults to the current folder.

An existing version file with other content is never overwritten: the export is refused, nothing is written,
and the message names the file.

Exit codes: 0 written (or nothing to do), 1 refused, 2 wrong usage.`;

export async function run(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (parsed.values.help) {
    console.log(HELP);
    return 0;
  }
  if (parsed.positionals.length > 1) {
    console.error(HELP);
    return 2;
  }
  const dir = resolve(parsed.positionals[0] ?? '.');
  const store = new Store(resolve(parsed.values.db ?? (process.env.BESLIS_DB || './data/beslis.db')));
  try {
    const report = exportFiles(store, dir);
    for (const f of report.written) console.log(`wrote  ${f}`);
    console.log(`beslis export: ${report.written.length} files written, ${report.unchanged} already up to date`);
    return 0;
  } finally {
    store.close();
  }
}
