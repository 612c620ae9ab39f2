// `beslis backup --out FILE`: a consistent copy of the database, also while `beslis serve` runs (../../store/backup.ts).
import { backupDatabase } from '../../store/backup.ts';
import { EXIT_REFUSED, fail, parseCommandArgs, usageError } from '../args.ts';
import { databaseTarget, sqliteOnly } from '../database-url.ts';

export const summary = 'write a consistent copy of the database (also while the server runs)';

const HELP = `Usage: beslis backup --out FILE [--db FILE] [--json]

Writes a consistent copy of the database (users, sessions, drafts, versions, fixtures, the evaluation log and
the audit trail) to FILE, also while 'beslis serve' runs, with or without --workers: the copy is the database
as of one moment, and the server keeps answering meanwhile. FILE must not exist; it appears only when complete
and checked. The newest audit entry's hash is printed: keep it with the backup.

The audit trail's key (the file <database>.audit-key, or BESLIS_AUDIT_KEY) is not in the copy: back it up
once, separately, and keep it apart from the backups.

  --out FILE   where the copy goes
  --db FILE    database file (env BESLIS_DB, default ./data/beslis.db)
  --json       print the report as JSON

SQLite only: on PostgreSQL (--db URL, BESLIS_DATABASE_URL) back up with pg_dump, e.g.
pg_dump --format=custom --file=beslis.dump "$BESLIS_DATABASE_URL", and keep BESLIS_AUDIT_KEY apart from it.

Exit codes: 0 written, 1 refused (no database, FILE exists, the copy failed its check), 2 wrong usage.`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    help: HELP,
    allowPositionals: false,
    options: { out: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } },
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (!values.out) return usageError(HELP, 'beslis backup: --out FILE is required');
  const target = databaseTarget(values);
  const refusal = sqliteOnly('backup', target, 'Back PostgreSQL up with pg_dump (pg_dump --format=custom --file=FILE URL), or its own backups.');
  if (refusal || target.kind !== 'sqlite') return fail(refusal ?? '', EXIT_REFUSED);
  const report = backupDatabase(target.file, values.out);
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else {
    console.log(`beslis backup: wrote ${report.file} (${report.bytes} bytes, schema version ${report.schemaVersion}) in ${report.ms} ms`);
    console.log(report.auditHead ? `audit trail head: entry ${report.auditHead.id}, hash ${report.auditHead.hash}` : 'audit trail: empty');
  }
  return 0;
}
