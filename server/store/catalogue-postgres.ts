// The catalogue on PostgreSQL: a mirror in memory, so the evaluate hot path never reads the network.
//
// - Loaded when the store opens (one snapshot), after this Store's LISTEN connection is up, so no change between the
//   load and the first notification is missed.
// - Every write transaction sends one notification on `beslis_changes` at commit (pg_notify is delivered then, and
//   not at all on a rollback): "<store id>" or "<store id> catalogue" when it changed tables, versions or archive
//   marks. A catalogue change also raises `catalogue_state.generation`. A notification from another Store counts in
//   `externalChanges()` (the token cache drops what it holds) and, for a catalogue change, reloads the mirror: the
//   metadata of every version and archive (small), and the content only of versions not held yet (versions are
//   immutable, so a content once read stays true). Reloads are coalesced and applied only when their generation is
//   newer than the mirror's, so a slow reload never overwrites a newer one.
// - Inside a write transaction the catalogue is exact, as on SQLite: right after the writer lock, the transaction
//   reads the generation and reloads the mirror on its own connection when another node changed it (a notification
//   still on its way); the transaction's own changes go to an overlay of the tables it changed, read on its
//   connection, seen only by code inside it and put into the mirror once it has committed.
// - A lost LISTEN connection is reconnected (100 ms, doubling to 5 s); then everything is reloaded and counted as an
//   external change, since notifications may have been missed meanwhile.
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DecisionTable } from '../engine/types.ts';
import { ARCHIVE_COLUMNS, archiveRecord, VERSION_META_COLUMNS, versionMeta, type ArchiveRow, type Catalogue, type VersionRow } from './catalogue.ts';
import type { ArchiveRecord, VersionMeta, VersionRecord } from './records.ts';
import type { PostgresSql } from './sql-postgres.ts';

export const CHANGES_CHANNEL = 'beslis_changes';
/** The application_name of a Store's LISTEN connection (tests end it to check the reconnect). */
export const LISTENER_NAME = 'beslis-listen';

interface Entry {
  versions: VersionMeta[];
  archives: ArchiveRecord[];
}

interface Loaded {
  generation: number;
  tables: Map<string, Entry>;
  contents: Map<string, string>;
}

interface Tx {
  /** Tables changed inside the transaction: null when the table is gone. */
  overlay: Map<string, Entry | null>;
  contents: Map<string, string>;
  /** The generation the commit gives the catalogue (set just before COMMIT). */
  generation: number | null;
}

const key = (tableId: string, version: number) => `${tableId}\u0000${version}`;

export class PostgresCatalogue implements Catalogue {
  /** Tells this Store's notifications from other Stores' (another node, or another Store in this process). */
  readonly id = randomBytes(8).toString('hex');
  private tables = new Map<string, Entry>();
  /** Version contents by table and number (immutable once published). */
  private readonly contents = new Map<string, string>();
  private generation = -1;
  private externalCommits = 0;
  private readonly txContext = new AsyncLocalStorage<Tx>();
  private readonly listeners = new Set<(tableId: string) => void>();
  private listener: pg.Client | null = null;
  private reconnectMs = 100;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private reloading: Promise<void> | null = null;
  private reloadAgain = false;
  private closed = false;

  private constructor(private readonly sql: PostgresSql) {
    sql.hooks = { afterBegin: () => this.afterBegin(), beforeCommit: () => this.beforeCommit() };
  }

  /** Starts listening, then loads the mirror. */
  static async open(sql: PostgresSql): Promise<PostgresCatalogue> {
    const c = new PostgresCatalogue(sql);
    try {
      await c.listen();
      c.apply(await sql.snapshot(() => c.read(true)), true);
    } catch (err) {
      await c.close();
      throw err;
    }
    return c;
  }

  // ---- reading (synchronous) ----

  /** The entry of a table as the calling code sees it: its transaction's overlay first, then the mirror. */
  private entry(tableId: string): Entry | undefined {
    const tx = this.currentTx();
    if (tx?.overlay.has(tableId)) return tx.overlay.get(tableId) ?? undefined;
    return this.tables.get(tableId);
  }

  private currentTx(): Tx | undefined {
    return this.sql.inTransaction() ? this.txContext.getStore() : undefined;
  }

  tableIds(): string[] {
    const ids = new Set(this.tables.keys());
    for (const [id, e] of this.currentTx()?.overlay ?? []) {
      if (e) ids.add(id);
      else ids.delete(id);
    }
    return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  isEmpty(): boolean {
    return this.tableIds().length === 0;
  }

  tableExists(id: string): boolean {
    return this.entry(id) !== undefined;
  }

  listVersions(tableId: string): VersionMeta[] {
    return this.entry(tableId)?.versions ?? [];
  }

  getVersion(tableId: string, version: number): VersionRecord | null {
    const meta = this.listVersions(tableId).find((v) => v.version === version);
    if (!meta) return null;
    const k = key(tableId, version);
    const content = this.currentTx()?.contents.get(k) ?? this.contents.get(k);
    if (content === undefined) return null;
    return { ...meta, table: JSON.parse(content) as DecisionTable };
  }

  listArchives(tableId: string): ArchiveRecord[] {
    return this.entry(tableId)?.archives ?? [];
  }

  externalChanges(): number {
    return this.externalCommits;
  }

  onChange(listener: (tableId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- transactions ----

  async transaction<T>(run: () => Promise<T>): Promise<T> {
    const tx: Tx = { overlay: new Map(), contents: new Map(), generation: null };
    const result = await this.txContext.run(tx, run);
    if (tx.overlay.size > 0) {
      for (const [id, e] of tx.overlay) {
        if (e) this.tables.set(id, e);
        else this.tables.delete(id);
      }
      for (const [k, c] of tx.contents) this.contents.set(k, c);
      if (tx.generation !== null) this.generation = tx.generation;
      for (const id of tx.overlay.keys()) this.tell(id);
    }
    return result;
  }

  async changed(tableId: string): Promise<void> {
    const tx = this.currentTx();
    if (!tx) throw new Error(`a change to the catalogue (table ${tableId}) must be made inside a transaction of the store`);
    const exists = (await this.sql.value('SELECT 1 FROM decision_tables WHERE id = ?', tableId)) !== undefined;
    if (!exists) {
      tx.overlay.set(tableId, null);
      return;
    }
    const versions = (await this.sql.all<VersionRow>(`SELECT ${VERSION_META_COLUMNS} FROM versions WHERE table_id = ? ORDER BY version`, tableId)).map(versionMeta);
    const archives = (await this.sql.all<ArchiveRow>(`SELECT ${ARCHIVE_COLUMNS} FROM table_archives WHERE table_id = ? ORDER BY id`, tableId)).map(archiveRecord);
    for (const v of versions) {
      const k = key(tableId, v.version);
      if (this.contents.has(k) || tx.contents.has(k)) continue;
      tx.contents.set(k, (await this.sql.value<string>('SELECT content FROM versions WHERE table_id = ? AND version = ?', tableId, v.version))!);
    }
    tx.overlay.set(tableId, { versions, archives });
  }

  /** Right after a write transaction's lock: catch up with a change another node committed just before. */
  private async afterBegin(): Promise<void> {
    const generation = Number(await this.sql.value('SELECT generation FROM catalogue_state'));
    if (generation !== this.generation) this.apply(await this.read(false), false);
  }

  /** Just before COMMIT: the one notification of this transaction, and the new generation when it changed the catalogue. */
  private async beforeCommit(): Promise<void> {
    const tx = this.txContext.getStore();
    const catalogue = tx !== undefined && tx.overlay.size > 0;
    if (catalogue) tx.generation = Number(await this.sql.value('UPDATE catalogue_state SET generation = generation + 1 RETURNING generation'));
    await this.sql.run('SELECT pg_notify(?, ?)', CHANGES_CHANNEL, catalogue ? `${this.id} catalogue` : this.id);
  }

  // ---- loading ----

  /** Reads the whole catalogue on the calling code's connection (in a snapshot or a transaction: one consistent view). */
  private async read(withContent: boolean): Promise<Loaded> {
    const generation = Number(await this.sql.value('SELECT generation FROM catalogue_state'));
    const tables = new Map<string, Entry>();
    for (const { id } of await this.sql.all<{ id: string }>('SELECT id FROM decision_tables')) tables.set(id, { versions: [], archives: [] });
    const contents = new Map<string, string>();
    const rows = await this.sql.all<VersionRow>(`SELECT ${VERSION_META_COLUMNS}${withContent ? ', content' : ''} FROM versions ORDER BY table_id, version`);
    for (const r of rows) {
      tables.get(r.table_id)?.versions.push(versionMeta(r));
      const k = key(r.table_id, r.version);
      if (r.content !== undefined) contents.set(k, r.content);
      else if (!this.contents.has(k)) contents.set(k, (await this.sql.value<string>('SELECT content FROM versions WHERE table_id = ? AND version = ?', r.table_id, r.version))!);
    }
    for (const r of await this.sql.all<ArchiveRow>(`SELECT ${ARCHIVE_COLUMNS} FROM table_archives ORDER BY id`)) tables.get(r.table_id)?.archives.push(archiveRecord(r));
    return { generation, tables, contents };
  }

  /** Puts a loaded catalogue in place when it is newer than the mirror, and tells the listeners which tables changed. */
  private apply(loaded: Loaded, first: boolean): void {
    if (!first && loaded.generation <= this.generation) return;
    for (const [k, c] of loaded.contents) this.contents.set(k, c);
    const before = this.tables;
    this.tables = loaded.tables;
    this.generation = loaded.generation;
    if (first) return;
    const ids = new Set([...before.keys(), ...loaded.tables.keys()]);
    for (const id of ids) {
      const a = before.get(id);
      const b = loaded.tables.get(id);
      const same = a !== undefined && b !== undefined && a.versions.length === b.versions.length && a.archives.length === b.archives.length;
      if (!same || (a === undefined) !== (b === undefined)) this.tell(id);
    }
  }

  private tell(tableId: string): void {
    for (const l of this.listeners) {
      try {
        l(tableId);
      } catch (err) {
        console.error(`beslis: a catalogue listener failed: ${(err as Error).message}`);
      }
    }
  }

  /** Reloads the mirror outside any transaction; calls made while one runs give one more run after it. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          try {
            this.apply(await this.sql.snapshot(() => this.read(false)), false);
          } catch (err) {
            if (this.closed) return;
            console.error(`beslis: reloading the catalogue failed (tried again on the next change or reconnect): ${(err as Error).message}`);
            return;
          }
        } while (this.reloadAgain && !this.closed);
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  // ---- listening ----

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.sql.url, application_name: LISTENER_NAME });
    client.on('notification', (n) => this.notified(n.payload ?? ''));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.listener = client;
  }

  private notified(payload: string): void {
    const [from, what] = payload.split(' ');
    if (from === this.id) return;
    this.externalCommits++;
    if (what === 'catalogue') void this.reload();
  }

  private lost(client: pg.Client, err: Error | null): void {
    if (this.closed || this.listener !== client) return;
    this.listener = null;
    console.error(`beslis: the PostgreSQL LISTEN connection was lost${err ? ` (${err.message})` : ''}; reconnecting`);
    client.end().catch(() => {});
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.listen().then(
        () => {
          this.reconnectMs = 100;
          // Notifications may have been missed meanwhile: whatever was cached from other nodes' rows is suspect.
          this.externalCommits++;
          void this.reload();
        },
        (err: Error) => {
          console.error(`beslis: reconnecting the LISTEN connection failed (${err.message}); trying again in ${this.reconnectMs} ms`);
          this.reconnectMs = Math.min(this.reconnectMs * 2, 5000);
          this.scheduleReconnect();
        },
      );
    }, this.reconnectMs);
    this.reconnectTimer.unref();
  }

  /** Whether the LISTEN connection is up (health, tests). */
  listening(): boolean {
    return this.listener !== null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const l = this.listener;
    this.listener = null;
    await l?.end().catch(() => {});
    await this.reloading;
  }
}
