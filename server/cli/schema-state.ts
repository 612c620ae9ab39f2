// Which schema migrations a database has applied, read without changing it (no migration, no audit key): for
// `beslis migrate` (what it ran) and `beslis serve` on PostgreSQL (which refuses a database behind the program).
import { existsSync } from 'node:fs';
import { PostgresSql } from '../store/sql-postgres.ts';
import { SqliteSql } from '../store/sql-sqlite.ts';
import type { Sql } from '../store/sql.ts';
import type { DatabaseTarget } from './database-url.ts';

export interface AppliedMigration {
  version: number;
  name: string;
  appliedAt: string;
}

/** The migrations applied, oldest first; [] for a database (or SQLite file) that has none yet. */
export async function appliedMigrations(target: DatabaseTarget): Promise<AppliedMigration[]> {
  if (target.kind === 'sqlite' && !existsSync(target.file)) return [];
  const sql: Sql = target.kind === 'sqlite' ? new SqliteSql(target.file, { readonly: true }) : new PostgresSql(target.url, { max: 1 });
  try {
    const exists =
      target.kind === 'sqlite'
        ? await sql.value<string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
        : await sql.value<string | null>("SELECT to_regclass('schema_migrations')::text");
    if (!exists) return [];
    const rows = await sql.all<{ version: number; name: string; applied_at: string }>('SELECT version, name, applied_at FROM schema_migrations ORDER BY version');
    return rows.map((r) => ({ version: Number(r.version), name: r.name, appliedAt: String(r.applied_at) }));
  } finally {
    await sql.close();
  }
}
