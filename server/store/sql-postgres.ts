// The PostgreSQL adapter of ./sql.ts on the `pg` driver (pure JavaScript: `npm ci` builds nothing; the most used and
// maintained Node client). A pool of connections: a transaction holds one client from BEGIN to COMMIT, and every
// query awaited inside it (AsyncLocalStorage) runs on that client; a query outside a transaction takes any client.
// The store's queries are written with `?` placeholders; they become $1, $2, … here. Not yet selectable: the Store
// still opens SQLite only (docs/architecture.md, "One store, two databases").
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Param, RunResult, Sql } from './sql.ts';

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

export class PostgresSql implements Sql {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly context = new AsyncLocalStorage<Holder>();
  private readonly open = new Set<Holder>();

  constructor(url: string, opts: { max?: number } = {}) {
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
    // READ COMMITTED with row locks where the store decides on a row (docs/architecture.md).
    return this.begin('BEGIN', fn);
  }

  snapshot<T>(fn: () => Promise<T>): Promise<T> {
    return this.begin('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn);
  }

  private async begin<T>(begin: string, fn: () => Promise<T>): Promise<T> {
    if (this.inTransaction()) return fn();
    const client = await this.pool.connect();
    const holder: Holder = { client };
    let broken: Error | undefined;
    try {
      await client.query(begin);
      this.open.add(holder);
      try {
        const result = await this.context.run(holder, fn);
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
