// Backups of the running database, and putting one back.
//
// A backup is `VACUUM INTO` on a read-only connection: one statement in one read transaction, so the copy is the
// database as of one moment (every write committed before it, none after), while the server keeps writing (in WAL
// mode a reader blocks no writer). SQLite's online backup API (better-sqlite3's db.backup()) was the other way; it
// copies page by page and starts again whenever another connection writes, which the evaluation log does every few
// milliseconds, so under load it may never finish. VACUUM INTO also compacts the copy and leaves it as one file with
// no -wal beside it. The copy is written under a temporary name, checked, fsynced and then renamed into place, so a
// backup file that exists is complete.
//
// A restore checks the backup before it touches anything: SQLite's integrity check, that it is a Beslis database
// whose migrations this program knows (an older one is migrated, a newer one refused), and the audit trail's chain
// (the store's own verify, so the restore checks whatever the audit trail promises). It refuses while any process
// has the database open (a server, a worker, another command): see databaseInUse. Then the old database is kept
// beside it (`<db>.before-restore-<time>`), its -wal and -shm go, and the checked copy is renamed over it.
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { resolveAuditKey, verifyAudit, type AuditVerification } from './audit.ts';
import { schemaVersion } from './db.ts';
import { MIGRATIONS } from './migrations.ts';
import { SqliteSql } from './sql-sqlite.ts';
import { Store } from './store.ts';

/** A refusal with a stable code (the CLI prints the message and exits 1); nothing was changed. */
export class BackupError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'BACKUP_EXISTS' | 'BACKUP_CORRUPT' | 'NOT_A_BACKUP' | 'SCHEMA_TOO_NEW' | 'AUDIT_BROKEN' | 'DATABASE_IN_USE',
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupReport {
  file: string;
  bytes: number;
  schemaVersion: number;
  /** The newest audit entry in the copy: keep its hash with the backup (a later verify must reach it). */
  auditHead: { id: number; hash: string } | null;
  ms: number;
}

export interface RestoreReport {
  target: string;
  /** Where the database that was replaced is kept (null: there was none). */
  kept: string | null;
  /** The backup's schema version, and the version after migrating it. */
  fromSchema: number;
  schemaVersion: number;
  audit: AuditVerification;
}

/** A consistent copy of the database `source` at `out` (which must not exist yet). */
export function backupDatabase(source: string, out: string): BackupReport {
  const started = Date.now();
  const from = resolve(source);
  const to = resolve(out);
  if (!existsSync(from)) throw new BackupError('NOT_FOUND', `there is no database at ${from}`);
  if (existsSync(to)) throw new BackupError('BACKUP_EXISTS', `${to} exists already; choose another name or remove it`);
  mkdirSync(dirname(to), { recursive: true });
  const partial = join(dirname(to), `.${basename(to)}.partial-${process.pid}-${started}`);
  const db = new Database(from, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    db.prepare('VACUUM INTO ?').run(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  let report: Omit<BackupReport, 'ms'>;
  try {
    report = inspectCopy(partial, to);
    fsyncFile(partial);
    renameSync(partial, to);
    fsyncFile(dirname(to));
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return { ...report, ms: Date.now() - started };
}

function inspectCopy(file: string, reportAs: string): Omit<BackupReport, 'ms'> {
  const copy = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new BackupError('BACKUP_CORRUPT', `the copy failed SQLite's check: ${String(check)}`);
    const head = copy.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
    return { file: reportAs, bytes: statSync(file).size, schemaVersion: schemaVersion(copy), auditHead: head ?? null };
  } finally {
    copy.close();
  }
}

/**
 * Whether some process has the database open. Every connection to a database in WAL mode holds a shared lock on
 * the file for as long as it is open (that is how SQLite knows who the last one to close is), so an exclusive lock
 * is refused exactly while a server, one of its workers or another command has it open, idle or not, and granted
 * after a crash (the kernel drops a dead process's locks): no pid file to go stale.
 */
export function databaseInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    try {
      db.exec('BEGIN EXCLUSIVE');
      db.exec('ROLLBACK');
      return false;
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_BUSY')) return true;
      // A damaged file (what a restore is for) cannot be opened by a server either.
      if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return false;
      throw err;
    }
  } finally {
    db.close();
  }
}

/** Checks the backup `backup` and, when it holds up, puts it in place of the database `target`. */
export async function restoreDatabase(backup: string, target: string, now = new Date(), opts: { checkOnly?: boolean } = {}): Promise<RestoreReport> {
  const from = resolve(backup);
  const to = resolve(target);
  if (!existsSync(from)) throw new BackupError('NOT_FOUND', `there is no backup at ${from}`);
  // A check alone changes nothing at the target, so a running server does not matter.
  if (!opts.checkOnly && databaseInUse(to)) throw inUse(to);
  mkdirSync(dirname(to), { recursive: true });

  // 1. The backup as it is: SQLite's full integrity check, and a Beslis schema this program knows.
  const source = new Database(from, { readonly: true, fileMustExist: true });
  const partial = join(dirname(to), `.${basename(to)}.restore-${process.pid}-${now.getTime()}`);
  let fromSchema: number;
  try {
    const problems = source.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    if (problems.length !== 1 || problems[0]!.integrity_check !== 'ok') {
      throw new BackupError('BACKUP_CORRUPT', `the backup fails SQLite's integrity check: ${problems.slice(0, 5).map((p) => p.integrity_check).join('; ')}`);
    }
    fromSchema = checkMigrations(source);
    source.prepare('VACUUM INTO ?').run(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    source.close();
  }

  // 2. The audit chain verified with the key the server will use (BESLIS_AUDIT_KEY, or the key file beside the
  // target), before anything writes to the copy: opening it with another key would start a new keyed segment and
  // leave the old entries checked by their links only. Then the copy is opened as the server will open it
  // (migrations brought up to date) and verified again. A copy whose chain is not keyed yet, restored where there is
  // no key, gets a new key from the store, which then becomes the database's.
  const key = keyFileOf(to);
  const partialKey = keyFileOf(partial);
  let audit: AuditVerification;
  let version: number;
  try {
    const targetKey = resolveAuditKey(to, false);
    const raw = new SqliteSql(partial, { readonly: true });
    try {
      audit = await verifyAudit(raw, targetKey);
    } finally {
      await raw.close();
    }
    if (!audit.ok) throw auditBroken(audit, key);
    const store = await Store.open(partial, targetKey ? { auditKey: targetKey } : {});
    try {
      version = await store.schemaVersion();
      audit = await verifyAudit(store.sql, store.auditKey);
      store.db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      await store.close();
    }
    if (!audit.ok) throw auditBroken(audit, key);
    fsyncFile(partial);
  } catch (err) {
    removeDatabase(partial);
    throw err;
  }

  if (opts.checkOnly) {
    removeDatabase(partial);
    return { target: to, kept: null, fromSchema, schemaVersion: version, audit };
  }

  // 3. The swap. The old database is kept (checkpointed into one file first, so nothing of its -wal is lost).
  let kept: string | null = null;
  try {
    if (databaseInUse(to)) throw inUse(to);
    if (existsSync(to)) {
      kept = `${to}.before-restore-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
      let whole = true;
      try {
        checkpoint(to);
      } catch {
        whole = false; // damaged: kept as it is, with its -wal
      }
      keepFile(to, kept);
      if (!whole && existsSync(`${to}-wal`)) keepFile(`${to}-wal`, `${kept}-wal`);
    }
    // Left beside the new file, the old -wal would be replayed into it.
    rmSync(`${to}-wal`, { force: true });
    rmSync(`${to}-shm`, { force: true });
    rmSync(`${partial}-wal`, { force: true });
    rmSync(`${partial}-shm`, { force: true });
    renameSync(partial, to);
    // A key the store made for the copy (there was none) is now the database's; otherwise the copy of ours goes.
    if (existsSync(partialKey) && !existsSync(key)) renameSync(partialKey, key);
    rmSync(partialKey, { force: true });
    fsyncFile(dirname(to));
  } catch (err) {
    removeDatabase(partial);
    throw err;
  }
  return { target: to, kept, fromSchema, schemaVersion: version, audit };
}

function auditBroken(audit: AuditVerification, keyFile: string): BackupError {
  return new BackupError(
    'AUDIT_BROKEN',
    `the backup's audit trail does not verify: ${audit.broken!.message} (a backup made with another audit key needs that key at ${keyFile} or in BESLIS_AUDIT_KEY)`,
  );
}

function inUse(file: string): BackupError {
  return new BackupError('DATABASE_IN_USE', `${file} is open in another process (a running 'beslis serve' or another command); stop it first`);
}

/** The backup's migrations must be this program's (same numbers, same names), and not newer. */
function checkMigrations(db: Database.Database): number {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!hasTable) throw new BackupError('NOT_A_BACKUP', 'the file is not a Beslis database (it has no schema_migrations table)');
  const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number; name: string }[];
  applied.forEach((row, i) => {
    const known = MIGRATIONS.find((m) => m.version === row.version);
    if (row.version !== i + 1) throw new BackupError('NOT_A_BACKUP', `the backup's migrations are not numbered 1, 2, 3, … (found ${row.version} at position ${i + 1})`);
    if (!known) throw new BackupError('SCHEMA_TOO_NEW', `the backup has schema version ${applied.length}, newer than this program knows (${MIGRATIONS.length}); restore it with the version that made it`);
    if (known.name !== row.name) throw new BackupError('NOT_A_BACKUP', `the backup's migration ${row.version} is '${row.name}', this program's is '${known.name}'`);
  });
  return applied.length;
}

/** A second name for `file` (a hard link; a copy where links are not possible). */
function keepFile(file: string, as: string): void {
  try {
    linkSync(file, as);
  } catch {
    copyFileSync(file, as);
  }
}

function checkpoint(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

function removeDatabase(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, keyFileOf(file)]) rmSync(f, { force: true });
}

/** Where the audit trail's key of a database file lives (beside it; BESLIS_AUDIT_KEY overrides it). */
function keyFileOf(dbFile: string): string {
  return `${dbFile}.audit-key`;
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
