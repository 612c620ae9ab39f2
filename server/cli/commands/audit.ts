// `beslis audit verify|list`: the tamper-evident audit trail. verify recomputes the hash chain from the first entry
// and names the first entry that no longer fits (exit 1); list prints entries.
import { existsSync } from 'node:fs';
import { AUDIT_KEY_ENV, auditKeyFile, listAudit, resolveAuditKey, verifyAudit } from '../../store/audit.ts';
import { PostgresSql } from '../../store/sql-postgres.ts';
import { SqliteSql } from '../../store/sql-sqlite.ts';
import type { Sql } from '../../store/sql.ts';
import { EXIT_REFUSED, fail, parseCommandArgs, usageError } from '../args.ts';
import { databaseTarget, describeTarget, type DatabaseTarget } from '../database-url.ts';

export const summary = 'check the audit trail\'s hash chain (verify) or print it (list)';

const HELP = `Usage: beslis audit verify [--db FILE | --database-url URL] [--json]
       beslis audit list [--table ID] [--after ID] [--limit N] [--json] [--db FILE | --database-url URL]

verify walks the whole chain: every entry must carry the hash of the one before it and its own content must
give its hash. From the entry audit.keyed on, hashes are HMACs with the audit key, kept outside the database
(env ${AUDIT_KEY_ENV}, or the file <database>.audit-key created on first start), so a history rewritten and
re-hashed without the key fails. Entries from before keying began are checked as a plain hash chain.
The first entry that breaks the chain is reported (changed, removed or inserted entries).
The newest entry's hash is printed: keep it elsewhere (a ticket, a backup log); a later verify that does not
reach that hash means entries were cut off the end.

  --db FILE              database file (env BESLIS_DB, default ./data/beslis.db)
  --database-url URL     a PostgreSQL database (env BESLIS_DATABASE_URL); its key is BESLIS_AUDIT_KEY, the one
                         the nodes use (PostgreSQL has no key file beside it)

Exit codes: 0 the chain is intact, 1 it is broken (or the database is missing), 2 wrong usage.`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    help: HELP,
    options: {
      db: { type: 'string' },
      'database-url': { type: 'string' },
      table: { type: 'string' },
      after: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [sub, ...extra] = positionals;
  if ((sub !== 'verify' && sub !== 'list') || extra.length > 0) return usageError(HELP);
  for (const k of ['after', 'limit'] as const) {
    if (values[k] !== undefined && !/^\d{1,15}$/.test(values[k])) return fail(`beslis audit: --${k} must be a number`);
  }
  let target: DatabaseTarget;
  try {
    target = databaseTarget(values);
  } catch (err) {
    return fail(`beslis audit: ${(err as Error).message}`);
  }
  if (target.kind === 'sqlite' && !existsSync(target.file)) {
    console.error(`beslis: there is no database at ${target.file} (start 'beslis serve' once, or pass --db FILE)`);
    return EXIT_REFUSED;
  }
  // Read-only, and the key is only read: checking the trail changes nothing, not even by keying it.
  const db: Sql = target.kind === 'sqlite' ? new SqliteSql(target.file, { readonly: true }) : new PostgresSql(target.url, { max: 1 });
  try {
    if (sub === 'list') {
      const entries = (await listAudit(db, {
        tableId: values.table,
        after: values.after === undefined ? undefined : Number(values.after),
        limit: values.limit === undefined ? 1000 : Number(values.limit),
      }));
      if (values.json) console.log(JSON.stringify(entries, null, 2));
      else for (const e of entries) console.log(`${String(e.id).padStart(6)}  ${e.at}  ${e.actor.padEnd(16)}  ${e.action.padEnd(20)}  ${e.tableId ?? ''}${e.version !== null ? ` v${e.version}` : ''}  ${JSON.stringify(e.detail)}`);
      return 0;
    }
    // PostgreSQL has no file to keep a key beside: its key is the environment's, the one the nodes use.
    if (target.kind === 'postgres' && !process.env[AUDIT_KEY_ENV]) {
      return fail(`beslis audit verify: set ${AUDIT_KEY_ENV} to the audit key the nodes of ${describeTarget(target)} use`, EXIT_REFUSED);
    }
    let key;
    try {
      key = resolveAuditKey(target.kind === 'sqlite' ? target.file : '', false);
    } catch (err) {
      return fail(`beslis audit verify: ${(err as Error).message}`);
    }
    const result = (await verifyAudit(db, key));
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else if (result.ok) {
      console.log(`audit trail intact: ${result.entries} entries${result.head ? `, newest ${result.head.id} with hash ${result.head.hash}` : ''}`);
      if (result.keyed) console.log(`keyed from entry ${result.keyed.since} on (key id ${result.keyed.keyId}, ${key ? (key.source === 'env' ? AUDIT_KEY_ENV : key.file ?? (target.kind === 'sqlite' ? auditKeyFile(target.file) : 'no file')) : 'no key'})`);
      if (result.unkeyedEntries > 0) console.log(`${result.unkeyedEntries} entries from before keying began: checked as a plain hash chain`);
      if (result.earlierKeyEntries > 0) console.log(`${result.earlierKeyEntries} entries keyed with an earlier key: only their links are checked`);
    } else {
      const b = result.broken!;
      console.error(`beslis audit verify: the audit trail is BROKEN at entry ${b.id} (${b.kind})`);
      console.error(`  ${b.message}`);
      console.error(`  entry ${b.id}: ${b.entry.at}  ${b.entry.actor}  ${b.entry.action}${b.entry.tableId ? `  ${b.entry.tableId}` : ''}`);
      if (result.head) console.error(`  the chain holds up to entry ${result.head.id} (hash ${result.head.hash})`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await db.close();
  }
}
