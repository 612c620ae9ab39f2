// The SQLite adapter of ./sql.ts on better-sqlite3. Two connections to one WAL file: the writer runs transactions and
// writes, one at a time (a transaction awaits between its statements, and on one connection a second request's
// statements would otherwise land inside it, or read what it has not committed); the reader answers every read made
// outside a transaction at once, from committed data only, without waiting for a writer. An in-memory database has
// only one connection: its reads outside a transaction wait for the writer as well.
import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import { openDatabase, type DB, type OpenOptions, type Statement } from './db.ts';
import type { Param, RunResult, Sql } from './sql.ts';
import { Turns } from './turns.ts';

interface Holder {
  readonly name: 'transaction' | 'snapshot';
}

export class SqliteSql implements Sql {
  readonly dialect = 'sqlite' as const;
  /** The connection that writes (and, for a read-only store, the only one). */
  readonly db: DB;
  private readonly reader: DB | null;
  private readonly prepared = new Map<DB, Map<string, Statement>>();
  private readonly context = new AsyncLocalStorage<Holder>();
  private holder: Holder | null = null;
  private readonly turns = new Turns();

  constructor(file: string, opts: OpenOptions = {}) {
    this.db = openDatabase(file, opts);
    if (file === ':memory:' || opts.readonly) {
      this.reader = null;
    } else {
      try {
        this.reader = new Database(file, { readonly: true, fileMustExist: true });
        this.reader.pragma('busy_timeout = 5000');
      } catch (err) {
        this.db.close();
        throw err;
      }
    }
  }

  /** The connection a synchronous read of the calling code uses: the transaction's inside one, else the reader. */
  connection(): DB {
    return this.inTransaction() ? this.db : (this.reader ?? this.db);
  }

  /** The connection reads outside transactions use. */
  readConnection(): DB {
    return this.reader ?? this.db;
  }

  inTransaction(): boolean {
    const h = this.context.getStore();
    return h !== undefined && h === this.holder;
  }

  statement(db: DB, sql: string, pluck = false): Statement {
    let byText = this.prepared.get(db);
    if (!byText) {
      byText = new Map();
      this.prepared.set(db, byText);
    }
    const key = pluck ? `pluck:${sql}` : sql;
    let stmt = byText.get(key);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (pluck) stmt.pluck();
      byText.set(key, stmt);
    }
    return stmt;
  }

  /** Runs a read: inside the caller's transaction, on the reader, or (in memory) once no transaction is open. */
  private async read<T>(fn: (db: DB) => T): Promise<T> {
    if (this.inTransaction() || this.reader) return fn(this.connection());
    if (this.holder === null) return fn(this.db);
    return this.turns.run(async () => fn(this.db));
  }

  /** Runs a write: inside the caller's transaction, or alone (its own implicit transaction) between transactions. */
  private async write<T>(fn: (db: DB) => T): Promise<T> {
    if (this.inTransaction()) return fn(this.db);
    if (this.holder === null) return fn(this.db);
    return this.turns.run(async () => fn(this.db));
  }

  get<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return this.read((db) => this.statement(db, sql).get(...params) as T | undefined);
  }

  all<T>(sql: string, ...params: Param[]): Promise<T[]> {
    return this.read((db) => this.statement(db, sql).all(...params) as T[]);
  }

  value<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return this.read((db) => this.statement(db, sql, true).get(...params) as T | undefined);
  }

  run(sql: string, ...params: Param[]): Promise<RunResult> {
    return this.write((db) => ({ changes: this.statement(db, sql).run(...params).changes }));
  }

  insert(sql: string, ...params: Param[]): Promise<number> {
    return this.write((db) => Number(this.statement(db, sql).run(...params).lastInsertRowid));
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.begin('transaction', 'BEGIN IMMEDIATE', fn);
  }

  snapshot<T>(fn: () => Promise<T>): Promise<T> {
    return this.begin('snapshot', 'BEGIN DEFERRED', fn);
  }

  private async begin<T>(name: Holder['name'], begin: string, fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn();
    return this.turns.run(async () => {
      const holder: Holder = { name };
      this.db.exec(begin);
      this.holder = holder;
      try {
        const result = await this.context.run(holder, fn);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      } finally {
        this.holder = null;
      }
    });
  }

  async close(): Promise<void> {
    if (this.reader?.open) this.reader.close();
    if (this.db.open) this.db.close();
  }
}
