// The PostgreSQL adapter of ./sql.ts on the `pg` driver (pure JavaScript: `npm ci` builds nothing; the most used and
// maintained Node client). A pool of connections: a transaction holds one client from BEGIN to COMMIT, and every
// query awaited inside it (AsyncLocalStorage) runs on that client; a query outside a transaction takes any client.
// The store's queries are written with `?` placeholders; they become $1, $2, … here.
//
// Write transactions: one at a time across every node (docs/architecture.md, "Concurrency on PostgreSQL"). Each
// takes the transaction-level advisory lock WRITE_LOCK right after BEGIN, as SQLite's BEGIN IMMEDIATE takes the
// file's write lock; inside it READ COMMITTED reads what every earlier writer committed, so the store's
// check-then-write code (next version number, draft revision, four-eyes, the audit chain's newest hash) decides on
// current rows. In one process transactions also queue before taking a connection, so a burst of writers holds
// one pooled connection waiting for the lock, not all of them.
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Param, RunResult, Sql } from './sql.ts';
import { Turns } from './turns.ts';

/** `?` → `$n`, leaving quoted strings, quoted names and comments alone. */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end < 0 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  return out;
}

// COUNT(*) and other bigint results as numbers: the store's counts and ids stay far below 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

interface Holder {
  client: pg.PoolClient;
}

/** The advisory lock every write transaction takes (any fixed number; 'BSLW' in ASCII). */
export const WRITE_LOCK = 0x42534c57;

export interface PostgresOptions {
  /** Pooled connections (default 10). */
  max?: number;
}

/** Called inside every write transaction, on its connection (the catalogue's mirror and notifications use them). */
export interface TransactionHooks {
  /** Right after the writer lock is taken. */
  afterBegin?: () => Promise<void>;
  /** Just before COMMIT. */
  beforeCommit?: () => Promise<void>;
}

export class PostgresSql implements Sql {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly context = new AsyncLocalStorage<Holder>();
  private readonly open = new Set<Holder>();
  private readonly turns = new Turns();
  hooks: TransactionHooks = {};
  readonly url: string;

  constructor(url: string, opts: PostgresOptions = {}) {
    this.url = url;
    this.pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types });
    // A client that breaks while idle in the pool must not take the process down; the next query gets a new one.
    this.pool.on('error', (err) => console.error(`beslis: PostgreSQL connection lost: ${err.message}`));
  }

  inTransaction(): boolean {
    const h = this.context.getStore();
    return h !== undefined && this.open.has(h);
  }

  private async query<T>(sql: string, params: Param[]): Promise<pg.QueryResult<T & pg.QueryResultRow>> {
    const text = numberPlaceholders(sql);
    const h = this.context.getStore();
    if (h && this.open.has(h)) return h.client.query<T & pg.QueryResultRow>(text, params);
    return this.pool.query<T & pg.QueryResultRow>(text, params);
  }

  async get<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return (await this.query<T>(sql, params)).rows[0];
  }

  async all<T>(sql: string, ...params: Param[]): Promise<T[]> {
    return (await this.query<T>(sql, params)).rows;
  }

  async value<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    const r = await this.query<Record<string, unknown>>(sql, params);
    const row = r.rows[0];
    return row === undefined ? undefined : (row[r.fields[0]!.name] as T);
  }

  async run(sql: string, ...params: Param[]): Promise<RunResult> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  async insert(sql: string, ...params: Param[]): Promise<number> {
    const r = await this.query<{ id: number | string }>(`${sql} RETURNING id`, params);
    return Number(r.rows[0]!.id);
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn();
    return this.turns.run(() => this.begin(['BEGIN', `SELECT pg_advisory_xact_lock(${WRITE_LOCK})`], fn, true));
  }

  /** A consistent read-only view (no lock: readers never wait for writers). */
  snapshot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn();
    return this.begin(['BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY'], fn, false);
  }

  /** Runs `fn` on a connection of its own, outside the pool's transactions (migrations, LISTEN set-up checks). */
  async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await fn(client);
    } catch (err) {
      broken = err as Error;
      throw err;
    } finally {
      client.release(broken);
    }
  }

  private async begin<T>(begin: string[], fn: () => Promise<T>, writes: boolean): Promise<T> {
    const client = await this.pool.connect();
    const holder: Holder = { client };
    let broken: Error | undefined;
    try {
      try {
        for (const statement of begin) await client.query(statement);
      } catch (err) {
        // Half begun (the lock wait failed, the connection broke): the connection is not handed back as it is.
        broken = err as Error;
        throw err;
      }
      this.open.add(holder);
      try {
        const { afterBegin, beforeCommit } = writes ? this.hooks : {};
        if (afterBegin) await this.context.run(holder, afterBegin);
        const result = await this.context.run(holder, fn);
        if (beforeCommit) await this.context.run(holder, beforeCommit);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackErr) {
          broken = rollbackErr as Error;
        }
        throw err;
      }
    } finally {
      this.open.delete(holder);
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
