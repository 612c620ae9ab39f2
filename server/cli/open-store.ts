// Where the `beslis` commands' database comes from (--db FILE or URL, else env BESLIS_DATABASE_URL, else env
// BESLIS_DB, else ./data/beslis.db; the same order as ./database-url.ts), the package's own rules/ and fixtures/ that
// seed an empty one, and who the CLI acts as in the audit trail.
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../store/store.ts';
import { EXIT_REFUSED } from './args.ts';
import { databaseTarget, DEFAULT_DB } from './database-url.ts';

export { DEFAULT_DB };

/** The package root (two levels above server/cli): holds the policy's own rules/ and fixtures/. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The database file named by --db, else BESLIS_DB, else ./data/beslis.db, as an absolute path. */
export function databaseFile(db: string | undefined): string {
  return resolve(db ?? (process.env.BESLIS_DB || DEFAULT_DB));
}

/** The folder an empty database is loaded from: --seed DIR, none with --no-seed, else the package's own. */
export function seedDir(values: { seed?: string; 'no-seed'?: boolean }): string | null {
  return values['no-seed'] ? null : resolve(values.seed ?? PACKAGE_ROOT);
}

/** The database named by --db, BESLIS_DATABASE_URL or BESLIS_DB; null (after saying so) when it does not exist and must. */
export async function openStore(db: string | undefined, mustExist: boolean): Promise<Store | null> {
  // A URL (--db URL, or BESLIS_DATABASE_URL) is PostgreSQL, whose schema only `beslis migrate` changes.
  const target = databaseTarget({ db });
  if (target.kind === 'postgres') return Store.open(target.url, { migrate: false });
  const file = target.file;
  if (mustExist && !existsSync(file)) {
    console.error(`beslis: there is no database at ${file} (start 'beslis serve' once, or pass --db FILE)`);
    return null;
  }
  return Store.open(file);
}

/**
 * Runs `work` on the database and closes it afterwards, whatever happens. Gives exit code 1 (after saying so)
 * when the database must exist and does not.
 */
export async function withStore(db: string | undefined, mustExist: boolean, work: (store: Store) => number | Promise<number>): Promise<number> {
  const store = await openStore(db, mustExist);
  if (!store) return EXIT_REFUSED;
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** The audit trail's actor for a change made on the command line: `cli:<os user>`. */
export function cliActor(): string {
  let name = process.env.USER;
  try {
    name ||= userInfo().username;
  } catch {
    /* no passwd entry */
  }
  return `cli:${name || 'unknown'}`;
}
