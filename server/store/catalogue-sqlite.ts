// The catalogue on SQLite: read from the file when asked (better-sqlite3 answers at once), on the calling
// transaction's connection or else the reader; version and archive lists cached until a write in this process or
// a commit by another connection (PRAGMA data_version).
import type { DecisionTable } from '../engine/types.ts';
import { ARCHIVE_COLUMNS, archiveRecord, VERSION_META_COLUMNS, versionMeta, type ArchiveRow, type Catalogue, type VersionRow } from './catalogue.ts';
import type { ArchiveRecord, VersionMeta, VersionRecord } from './records.ts';
import type { Param } from './sql.ts';
import type { SqliteSql } from './sql-sqlite.ts';

/** Transactions run by any Store of this process (tells a Store that another one here may have written). */
let localTransactions = 0;

export class SqliteCatalogue implements Catalogue {
  /** Version lists per table, cached until a write in this process or a commit by another connection. */
  private versionCache = new Map<string, VersionMeta[]>();
  /** Archive marks per table, cached and dropped with the version lists. */
  private archiveCache = new Map<string, ArchiveRecord[]>();
  /** Tables whose versions changed inside the open transaction: their caches drop again when it ends. */
  private changedInTransaction = new Set<string>();
  private dataVersion = -1;
  private externalCommits = 0;
  private checkedThisTurn = false;
  private checkedAtTransactions = -1;
  private readonly listeners = new Set<(tableId: string) => void>();

  constructor(private readonly sql: SqliteSql) {}

  async transaction<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } finally {
      localTransactions++;
      const changed = [...this.changedInTransaction];
      this.changedInTransaction.clear();
      for (const id of changed) this.drop(id);
    }
  }

  onChange(listener: (tableId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async changed(tableId: string): Promise<void> {
    this.drop(tableId);
  }

  private drop(tableId: string): void {
    this.versionCache.delete(tableId);
    this.archiveCache.delete(tableId);
    if (this.sql.inTransaction()) this.changedInTransaction.add(tableId);
    else for (const l of this.listeners) l(tableId);
  }

  /**
   * Drops caches when another connection (e.g. `beslis import` beside a running server) has committed. Asked at most
   * once per synchronous run of code (a request's token check and version choice share one look) unless a Store
   * in this process wrote in between: a commit by another process during that run could as well have come after it.
   */
  private checkExternal(): void {
    if (this.checkedThisTurn && this.checkedAtTransactions === localTransactions) return;
    if (!this.checkedThisTurn) {
      this.checkedThisTurn = true;
      queueMicrotask(() => (this.checkedThisTurn = false));
    }
    this.checkedAtTransactions = localTransactions;
    // Always the reader's: the writer's own commits do not change its number, the reader's they do.
    const v = this.sql.statement(this.sql.readConnection(), 'PRAGMA data_version', true).get() as number;
    if (v !== this.dataVersion) {
      if (this.dataVersion !== -1) {
        this.externalCommits++;
        const ids = [...this.versionCache.keys()];
        this.versionCache.clear();
        this.archiveCache.clear();
        for (const id of ids) for (const l of this.listeners) l(id);
      }
      this.dataVersion = v;
    }
  }

  externalChanges(): number {
    this.checkExternal();
    return this.externalCommits;
  }

  /** A synchronous read, on the calling transaction's connection or else the reader. */
  private read<T>(sql: string, ...params: Param[]): T[] {
    return this.sql.statement(this.sql.connection(), sql).all(...params) as T[];
  }

  isEmpty(): boolean {
    return this.read<{ n: number }>('SELECT COUNT(*) AS n FROM decision_tables')[0]!.n === 0;
  }

  tableExists(id: string): boolean {
    return this.read('SELECT 1 FROM decision_tables WHERE id = ?', id).length > 0;
  }

  tableIds(): string[] {
    return this.read<{ id: string }>('SELECT id FROM decision_tables ORDER BY id').map((r) => r.id);
  }

  listVersions(tableId: string): VersionMeta[] {
    const read = () => this.read<VersionRow>(`SELECT ${VERSION_META_COLUMNS} FROM versions WHERE table_id = ? ORDER BY version`, tableId).map(versionMeta);
    // Inside a transaction the list may hold what is not committed yet: it is read, never cached.
    if (this.sql.inTransaction()) return read();
    this.checkExternal();
    let list = this.versionCache.get(tableId);
    if (!list) {
      list = read();
      this.versionCache.set(tableId, list);
    }
    return list;
  }

  getVersion(tableId: string, version: number): VersionRecord | null {
    const row = this.read<VersionRow>('SELECT * FROM versions WHERE table_id = ? AND version = ?', tableId, version)[0];
    if (!row) return null;
    return { ...versionMeta(row), table: JSON.parse(row.content!) as DecisionTable };
  }

  listArchives(tableId: string): ArchiveRecord[] {
    const read = () => this.read<ArchiveRow>(`SELECT ${ARCHIVE_COLUMNS} FROM table_archives WHERE table_id = ? ORDER BY id`, tableId).map(archiveRecord);
    if (this.sql.inTransaction()) return read();
    this.checkExternal();
    let list = this.archiveCache.get(tableId);
    if (!list) {
      list = read();
      this.archiveCache.set(tableId, list);
    }
    return list;
  }

  async close(): Promise<void> {}
}
