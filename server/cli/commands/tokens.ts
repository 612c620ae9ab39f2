// `beslis tokens create|list|revoke`: API tokens for applications (docs/contracts.md). The secret is printed once, on
// standard output alone (so `TOKEN=$(beslis tokens create …)` works); the database keeps only its sha-256.
import { createToken, listTokens, revokeToken, SCOPES } from '../../store/tokens.ts';
import { fail, listOption, parseCommandArgs, usageError } from '../args.ts';
import { cliActor, withStore } from '../open-store.ts';

export const summary = 'API tokens for applications: create, list, revoke';

const HELP = `Usage: beslis tokens create NAME --scope SCOPE [--scope SCOPE] [--db FILE]
       beslis tokens list [--json] [--db FILE]
       beslis tokens revoke ID [--db FILE]

Scopes: ${SCOPES.join(', ')}. Applications send the token as "Authorization: Bearer <token>".
create prints the token once; it cannot be shown again (revoke it and create another when it is lost).
list shows every token with its scopes, creator, last use (to the minute) and revocation, never the secret.

  --db FILE   database file (env BESLIS_DB, default ./data/beslis.db)

Exit codes: 0 done, 1 refused (unknown token, name in use, unknown scope), 2 wrong usage.`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { help: HELP, options: { db: { type: 'string' }, scope: { type: 'string', multiple: true }, json: { type: 'boolean' } } });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [sub, arg, ...extra] = positionals;
  const needsArg = sub === 'create' || sub === 'revoke';
  if (!sub || !['create', 'list', 'revoke'].includes(sub) || (needsArg && !arg) || (!needsArg && arg) || extra.length > 0) return usageError(HELP);
  const scopes = listOption(values.scope);
  if (sub === 'create' && scopes.length === 0) return fail(`beslis tokens create: name at least one --scope (${SCOPES.join(', ')})`);
  if (sub === 'revoke' && !/^[1-9][0-9]{0,15}$/.test(arg!)) {
    return fail(`beslis tokens revoke: the token id is a number (see 'beslis tokens list'), not '${arg}'`);
  }
  return withStore(values.db, true, async (store) => {
    if (sub === 'create') {
      const { token, record } = (await createToken(store, { name: arg!, scopes }, cliActor()));
      console.error(`created token ${record.id} '${record.name}' (${record.scopes.join(', ')}); it is shown once:`);
      console.log(token);
      return 0;
    }
    if (sub === 'revoke') {
      const t = (await revokeToken(store, Number(arg), cliActor()));
      console.log(`revoked token ${t.id} '${t.name}'`);
      return 0;
    }
    const tokens = (await listTokens(store));
    if (values.json) {
      console.log(JSON.stringify(tokens, null, 2));
      return 0;
    }
    console.log(`${'id'.padStart(4)}  ${'name'.padEnd(24)}  ${'scopes'.padEnd(22)}  ${'last used'.padEnd(24)}  state`);
    for (const t of tokens) {
      console.log(
        `${String(t.id).padStart(4)}  ${t.name.padEnd(24)}  ${t.scopes.join(',').padEnd(22)}  ${(t.lastUsedAt ?? 'never').padEnd(24)}  ${t.revokedAt ? `revoked ${t.revokedAt}` : `active (by ${t.createdBy})`}`,
      );
    }
    return 0;
  });
}
