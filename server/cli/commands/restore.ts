// `beslis restore FILE`: checks a backup and puts it in place of the database; refuses while a server has it open.
import { restoreDatabase } from '../../store/backup.ts';
import { EXIT_REFUSED, fail, parseCommandArgs, usageError } from '../args.ts';
import { databaseTarget, sqliteOnly } from '../database-url.ts';

export const summary = 'check a backup and put it in place of the database (server stopped)';

const HELP = `Usage: beslis restore FILE [--db FILE] [--check] [--json]

Puts the backup FILE (from 'beslis backup' or --backup-dir) in place of the database, after checking it:
SQLite's integrity check, a Beslis schema this program knows (an older one is migrated; a newer one is
refused), and the audit trail's chain, checked as 'beslis audit verify' does with the key the server will use
(BESLIS_AUDIT_KEY, or the key file <database>.audit-key: put the key that belongs to the backup there first).

Refused while any process has the database open: stop 'beslis serve' (all its workers) first. The database
that is replaced is kept beside it as <database>.before-restore-<time> (delete it when you are satisfied);
its -wal and -shm files are removed, and the checked copy takes its place in one rename.

  --db FILE    database file to replace (env BESLIS_DB, default ./data/beslis.db)
  --check      only check the backup as a restore would (on a temporary copy beside the database, with the
               database's audit key), and change nothing: also while the server runs (a backup drill)
  --json       print the report as JSON

SQLite only: a PostgreSQL database (--db URL, BESLIS_DATABASE_URL) is restored with pg_restore from a pg_dump.

Exit codes: 0 restored (with --check: it would be), 1 refused (nothing was changed), 2 wrong usage.`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { help: HELP, options: { db: { type: 'string' }, json: { type: 'boolean' }, check: { type: 'boolean' } } });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usageError(HELP);
  const target = databaseTarget(values);
  const refusal = sqliteOnly('restore', target, 'Restore PostgreSQL with pg_restore from a pg_dump (pg_restore --clean --dbname=URL FILE), then run beslis audit verify.');
  if (refusal || target.kind !== 'sqlite') return fail(refusal ?? '', EXIT_REFUSED);
  const report = await restoreDatabase(positionals[0]!, target.file, new Date(), { checkOnly: values.check ?? false });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else if (values.check) {
    console.log(`beslis restore --check: ${positionals[0]} would restore (schema version ${report.fromSchema}); nothing was changed`);
    console.log(`audit trail intact: ${report.audit.entries} entries${report.audit.head ? `, newest ${report.audit.head.id} with hash ${report.audit.head.hash}` : ''}`);
  } else {
    console.log(`beslis restore: ${report.target} is now the backup ${positionals[0]} (schema version ${report.fromSchema}${report.schemaVersion !== report.fromSchema ? `, migrated to ${report.schemaVersion}` : ''})`);
    console.log(`audit trail intact: ${report.audit.entries} entries${report.audit.head ? `, newest ${report.audit.head.id} with hash ${report.audit.head.hash}` : ''}`);
    if (report.kept) console.log(`the database it replaced is kept as ${report.kept}`);
  }
  return 0;
}
