// Opening the database: WAL, foreign keys, full fsync on commit, and the numbered migrations.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS, type Migration } from './migrations.ts';

export type DB = Database.Database;
export type Statement = Database.Statement;

export interface OpenOptions {
  /** Migrations to run (tests pass their own list to check the runner). */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

export function openDatabase(file: string, opts: OpenOptions = {}): DB {
  if (file !== ':memory:' && !opts.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  try {
    // A busy database (an `import` from the CLI while the server runs) is waited for, not failed.
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      // FULL: a commit is fsynced before it is acknowledged, so an acknowledged draft save survives a
      // power cut as well as a killed process. The evaluation log commits in batches, so the cost is small.
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!opts.readonly) migrate(db, opts.migrations ?? MIGRATIONS);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Runs every migration not yet applied, each in one IMMEDIATE transaction with its bookkeeping row. */
export function migrate(db: DB, migrations: readonly Migration[]): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1, 2, 3, … (found ${m.version} at position ${i + 1})`);
  });
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const newest = Math.max(0, ...applied);
  if (newest > sorted.length) {
    throw Object.assign(new Error(`the database has schema version ${newest}, newer than this program knows (${sorted.length})`), {
      code: 'SCHEMA_TOO_NEW',
    });
  }
  const ran: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      // Re-check inside the write lock: another process may have migrated meanwhile.
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version)) return;
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
      ran.push(m.version);
    }).immediate();
  }
  return ran;
}

export function schemaVersion(db: DB): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
