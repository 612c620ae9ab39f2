// The evaluation log's writer for PostgreSQL: one dedicated connection that inserts a chunk of rows in one statement
// (INSERT … SELECT FROM unnest of one array per column: ten parameters whatever the chunk's size, one round trip,
// one implicit transaction), makes the monthly partitions the rows need (eval-log-postgres-schema.ts) and purges by
// dropping whole partitions. It takes none of the store's locks: log rows are not audited, and the writes of the
// store (the advisory write lock, row locks) never wait for it nor it for them.
// Plain JavaScript because the writer thread (log-writer-postgres.worker.js) runs without the TypeScript loader.
import pg from 'pg';
import {
  ENSURE_LOG_PARTITIONS_POSTGRES,
  evaluationLogColumns,
  INSERT_EVALUATION_LOG_POSTGRES,
  logMonths,
  NO_PARTITION_CODE,
  PURGE_EVALUATION_LOG_CHUNK_POSTGRES,
  PURGE_LOG_PARTITIONS_POSTGRES,
} from './eval-log-sql.js';

// Counts as numbers, as the rest of the store reads them (sql-postgres.ts).
const types = {
  getTypeParser: (oid, format) => (oid === pg.types.builtins.INT8 ? (v) => Number(v) : pg.types.getTypeParser(oid, format)),
};

export class PostgresLogWriter {
  /**
   * @param {string} url postgres://…
   * @param {{ durability?: 'async' | 'sync', applicationName?: string }} [opts]
   */
  constructor(url, opts = {}) {
    this.url = url;
    this.durability = opts.durability ?? 'async';
    this.applicationName = opts.applicationName ?? 'beslis evaluation log';
    /** @type {pg.Client | null} */
    this.client = null;
    /** @type {Promise<pg.Client> | null} */
    this.connecting = null;
    /** Months whose partition is known to exist (made or seen by this writer). */
    this.months = new Set();
    /** Months after the newest rows whose partition could not be made ahead yet: when to ask again (ms). */
    this.aheadAsked = new Map();
  }

  /** The connection, opened (again) when needed: a connection that broke is replaced on the next chunk. */
  connection() {
    if (this.client) return Promise.resolve(this.client);
    if (!this.connecting) {
      const client = new pg.Client({ connectionString: this.url, types, application_name: this.applicationName });
      client.on('error', () => {
        // The next query answers the error; a broken connection is not reused.
        if (this.client === client) this.client = null;
      });
      this.connecting = (async () => {
        try {
          await client.connect();
          // async: the commit returns before its WAL is flushed. A killed Beslis process loses nothing committed;
          // a crash of PostgreSQL itself may lose the last few hundred ms of log rows (never other data: this
          // connection writes only the log). sync: every commit is flushed before the answer goes out.
          if (this.durability === 'async') await client.query('SET synchronous_commit = off');
          this.client = client;
          return client;
        } catch (err) {
          void client.end().catch(() => {});
          throw err;
        } finally {
          this.connecting = null;
        }
      })();
    }
    return this.connecting;
  }

  async ensurePartitions(client, rows) {
    const { needed, ahead } = logMonths(rows);
    const missing = needed.filter((m) => !this.months.has(m));
    const askAhead = ahead !== null && !this.months.has(ahead) && Date.now() >= (this.aheadAsked.get(ahead) ?? 0);
    if (missing.length === 0 && !askAhead) return;
    await client.query(ENSURE_LOG_PARTITIONS_POSTGRES, [missing, askAhead ? [ahead] : []]);
    for (const m of missing) this.months.add(m);
    if (askAhead) {
      // Made ahead only if the lock came at once; otherwise asked again in a minute (before the month begins).
      const made = (await client.query('SELECT to_regclass($1) IS NOT NULL AS made', [`evaluation_log_${ahead.replace('-', '_')}`])).rows[0].made;
      if (made) this.months.add(ahead);
      else this.aheadAsked.set(ahead, Date.now() + 60_000);
    }
  }

  /**
   * Commits the rows in one statement; resolves with how many. A month whose partition has gone (dropped by a
   * purge on another node, or made by none yet) is made and the chunk tried once more.
   * @param {readonly import('./records.ts').EvaluationLogRow[]} rows
   */
  async write(rows) {
    if (rows.length === 0) return 0;
    const client = await this.connection();
    await this.ensurePartitions(client, rows);
    const cols = evaluationLogColumns(rows);
    try {
      await client.query(INSERT_EVALUATION_LOG_POSTGRES, cols);
    } catch (err) {
      if (err?.code !== NO_PARTITION_CODE) throw err;
      this.months.clear();
      this.aheadAsked.clear();
      await this.ensurePartitions(client, rows);
      await client.query(INSERT_EVALUATION_LOG_POSTGRES, cols);
    }
    return rows.length;
  }

  /**
   * Deletes the rows evaluated before `before` (ISO timestamp): the whole months before it by dropping their
   * partitions (left for the next purge when a long read holds the log), the boundary month's rows before it in
   * chunks of `chunk` rows. Resolves with how many rows went.
   */
  async purge(before, chunk = 10_000) {
    const client = await this.connection();
    let total = Number((await client.query(PURGE_LOG_PARTITIONS_POSTGRES, [before])).rows[0].purged);
    if (total > 0) {
      // Dropped months are no longer there to insert into.
      this.months.clear();
      this.aheadAsked.clear();
    }
    for (;;) {
      const n = (await client.query(PURGE_EVALUATION_LOG_CHUNK_POSTGRES, [before, before.slice(0, 7), chunk])).rowCount ?? 0;
      total += n;
      if (n < chunk) return total;
    }
  }

  async close() {
    const client = this.client ?? (this.connecting ? await this.connecting.catch(() => null) : null);
    this.client = null;
    if (client) await client.end();
  }
}
