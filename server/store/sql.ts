// The store's one door to SQL (docs/architecture.md, "One store, two databases"): every query of server/store is
// written once, with `?` placeholders, against this small asynchronous interface; an adapter per database runs it.
// SQLite (./sql-sqlite.ts) answers at once underneath; PostgreSQL answers over the network. Whether a call runs inside
// a transaction follows the asynchronous context (AsyncLocalStorage), so helpers need no connection argument: what
// `transaction(fn)` awaits runs on the transaction's connection, everything else outside it.

export type Param = string | number | bigint | null | Buffer;

export interface RunResult {
  /** Rows changed by the statement. */
  changes: number;
}

export type Dialect = 'sqlite' | 'postgres';

export interface Sql {
  readonly dialect: Dialect;
  /** The first row, or undefined. */
  get<T>(sql: string, ...params: Param[]): Promise<T | undefined>;
  all<T>(sql: string, ...params: Param[]): Promise<T[]>;
  /** The first column of the first row, or undefined. */
  value<T>(sql: string, ...params: Param[]): Promise<T | undefined>;
  run(sql: string, ...params: Param[]): Promise<RunResult>;
  /** Runs an INSERT into a table with an integer `id` and answers the new row's id. */
  insert(sql: string, ...params: Param[]): Promise<number>;
  /**
   * Runs `fn` as one write transaction. Transactions of one store never interleave: a second waits until the first
   * has committed or rolled back. A transaction begun inside another (in its asynchronous context) joins it.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Runs `fn` (reads only) on one consistent snapshot of the database. */
  snapshot<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether the calling code runs inside a transaction or snapshot of this store. */
  inTransaction(): boolean;
  close(): Promise<void>;
}
