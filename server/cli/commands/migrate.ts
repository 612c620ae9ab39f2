// `beslis migrate`: applies the schema migrations this program knows and says which ran. On PostgreSQL this is the
// only way a schema changes (`beslis serve` there refuses a database behind the program, so two nodes started at
// once never race to migrate, and an upgrade is a step the operator takes once); on SQLite `beslis serve` migrates
// by itself as it always did, and this command does the same without starting a server.
import { openDatabase } from '../../store/db.ts';
import { migratePostgres } from '../../store/migrations-postgres.ts';
import { PostgresSql } from '../../store/sql-postgres.ts';
import { EXIT_REFUSED, fail, parseCommandArgs } from '../args.ts';
import { databaseTarget, describeTarget, type DatabaseTarget } from '../database-url.ts';
import { appliedMigrations } from '../schema-state.ts';

export const summary = 'apply the database schema migrations (required before serving on PostgreSQL)';

const HELP = `Usage: beslis migrate [--database-url URL | --db FILE] [--json]

Applies every schema migration this program knows that the database does not have yet, each in its own
transaction, and lists the ones that ran (none when the database is up to date). Run it once after installing
a new release and before starting 'beslis serve' on PostgreSQL: serve there refuses a database whose schema is
behind. Safe to run again, and beside running servers of the same release.

  --database-url URL   a PostgreSQL database, postgres://user:password@host:5432/name (env BESLIS_DATABASE_URL)
  --db FILE            a SQLite database file (env BESLIS_DB, default ./data/beslis.db), created when missing
  --json               print the report as JSON

Exit codes: 0 up to date (after running what was missing), 1 refused (the database does not answer, or is newer
than this program), 2 wrong usage.`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    help: HELP,
    allowPositionals: false,
    options: { db: { type: 'string' }, 'database-url': { type: 'string' }, json: { type: 'boolean' } },
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  let target: DatabaseTarget;
  try {
    target = databaseTarget(values);
  } catch (err) {
    return fail(`beslis migrate: ${(err as Error).message}`);
  }
  let before;
  try {
    before = await appliedMigrations(target);
  } catch (err) {
    return fail(`beslis migrate: cannot read ${describeTarget(target)}: ${(err as Error).message}`, EXIT_REFUSED);
  }
  // Only the schema: no audit key made, no entry written (a database migrated for `beslis copy` stays empty).
  try {
    if (target.kind === 'sqlite') openDatabase(target.file).close();
    else {
      const sql = new PostgresSql(target.url, { max: 1 });
      try {
        await sql.withClient((client) => migratePostgres(client));
      } finally {
        await sql.close();
      }
    }
  } catch (err) {
    return fail(`beslis migrate: ${describeTarget(target)}: ${(err as Error).message}`, EXIT_REFUSED);
  }
  const after = await appliedMigrations(target);
  const had = new Set(before.map((m) => m.version));
  const ran = after.filter((m) => !had.has(m.version));
  const version = after.at(-1)?.version ?? 0;
  if (values.json) {
    console.log(JSON.stringify({ database: describeTarget(target), kind: target.kind, schemaVersion: version, ran }, null, 2));
    return 0;
  }
  console.log(`beslis migrate: ${describeTarget(target)}`);
  if (ran.length === 0) console.log(`up to date: schema version ${version}, nothing to run`);
  else {
    for (const m of ran) console.log(`  ran ${String(m.version).padStart(3)}  ${m.name}`);
    console.log(`ran ${ran.length} migration${ran.length === 1 ? '' : 's'}: schema version ${before.at(-1)?.version ?? 0} → ${version}`);
  }
  return 0;
}
