// `beslis audit verify|list`: the tamper-evident audit trail. verify recomputes the hash chain from the first entry
// and names the first entry that no longer fits (exit 1); list prints entries.
import { listAudit, verifyAudit } from '../../store/audit.ts';
import { fail, parseCommandArgs, usageError } from '../args.ts';
import { withStore } from '../open-store.ts';

export const summary = 'check the audit trail\'s hash chain (verify) or print it (list)';

const HELP = `Usage: beslis audit verify [--db FILE] [--json]
       beslis audit list [--table ID] [--after ID] [--limit N] [--json] [--db FILE]

verify walks the whole chain: every entry must carry the hash of the one before it and its own content must
give its hash. The first entry that breaks the chain is reported (changed, removed or inserted entries).
The newest entry's hash is printed: keep it elsewhere (a ticket, a backup log); a later verify that does not
reach that hash means entries were cut off the end.

  --db FILE   database file (env BESLIS_DB, default ./data/beslis.db)

Exit codes: 0 the chain is intact, 1 it is broken (or the database is missing), 2 wrong usage.`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    help: HELP,
    options: {
      db: { type: 'string' },
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
  return withStore(values.db, true, (store) => {
    if (sub === 'list') {
      const entries = listAudit(store.db, {
        tableId: values.table,
        after: values.after === undefined ? undefined : Number(values.after),
        limit: values.limit === undefined ? 1000 : Number(values.limit),
      });
      if (values.json) console.log(JSON.stringify(entries, null, 2));
      else for (const e of entries) console.log(`${String(e.id).padStart(6)}  ${e.at}  ${e.actor.padEnd(16)}  ${e.action.padEnd(20)}  ${e.tableId ?? ''}${e.version !== null ? ` v${e.version}` : ''}  ${JSON.stringify(e.detail)}`);
      return 0;
    }
    const result = verifyAudit(store.db);
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else if (result.ok) {
      console.log(`audit trail intact: ${result.entries} entries${result.head ? `, newest ${result.head.id} with hash ${result.head.hash}` : ''}`);
    } else {
      const b = result.broken!;
      console.error(`beslis audit verify: the audit trail is BROKEN at entry ${b.id} (${b.kind})`);
      console.error(`  ${b.message}`);
      console.error(`  entry ${b.id}: ${b.entry.at}  ${b.entry.actor}  ${b.entry.action}${b.entry.tableId ? `  ${b.entry.tableId}` : ''}`);
      if (result.head) console.error(`  the chain holds up to entry ${result.head.id} (hash ${result.head.hash})`);
    }
    return result.ok ? 0 : 1;
  });
}
