// Which database a `beslis` command works on: --database-url URL (env BESLIS_DATABASE_URL) names a PostgreSQL
// database, --db FILE (env BESLIS_DB, default ./data/beslis.db) a SQLite file; --db also takes a URL. An option
// given on the command line wins over the environment, and a URL in the environment over BESLIS_DB.
import { resolve } from 'node:path';
import { isPostgresTarget } from '../store/store.ts';

export const DATABASE_URL_ENV = 'BESLIS_DATABASE_URL';
export const DEFAULT_DB = './data/beslis.db';

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** Whether `text` names a PostgreSQL database (postgres:// or postgresql://). */
export function isPostgresUrl(text: string | undefined): boolean {
  return text !== undefined && isPostgresTarget(text);
}

/** The database of a command's options and the environment (see the top of this file). */
export function databaseTarget(values: { db?: string; 'database-url'?: string }, env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  const given = values['database-url'] ?? values.db ?? (env[DATABASE_URL_ENV] || undefined) ?? (env.BESLIS_DB || DEFAULT_DB);
  if (values['database-url'] !== undefined && !isPostgresUrl(values['database-url'])) {
    throw Object.assign(new Error(`--database-url must be a postgres:// URL, not '${values['database-url']}' (a SQLite file is --db FILE)`), { code: 'USAGE' });
  }
  return isPostgresUrl(given) ? { kind: 'postgres', url: given } : { kind: 'sqlite', file: resolve(given) };
}

/** What Store.open takes for a target: the URL or the absolute file name. */
export function targetLocation(t: DatabaseTarget): string {
  return t.kind === 'postgres' ? t.url : t.file;
}

/** A target fit to print: a URL without its password. */
export function describeTarget(t: DatabaseTarget): string {
  return t.kind === 'postgres' ? `PostgreSQL ${redactUrl(t.url)}` : t.file;
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

/** The refusal of a command that works on a SQLite file only, naming what to use on PostgreSQL instead. */
export function sqliteOnly(command: string, t: DatabaseTarget, instead: string): string | null {
  if (t.kind === 'sqlite') return null;
  return `beslis ${command}: works on a SQLite database file only, and ${redactUrl(t.url)} is PostgreSQL. ${instead}`;
}
