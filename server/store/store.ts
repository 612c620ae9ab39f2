// The policy store (docs/architecture.md): tables, their draft, immutable versions, fixtures, the audit trail and the
// evaluation log. Every write is one transaction; every query goes through ./sql.ts.
import type { DecisionTable } from '../engine/types.ts';
import { AuditWriter, listAudit, postgresAuditKey, resolveAuditKey, type AuditKey, type NewAuditEntry } from './audit.ts';
import type { Catalogue } from './catalogue.ts';
import { PostgresCatalogue } from './catalogue-postgres.ts';
import { SqliteCatalogue } from './catalogue-sqlite.ts';
import { contentHash } from './canonical.ts';
import {
  ENSURE_LOG_PARTITIONS_POSTGRES,
  evaluationLogColumns,
  INSERT_EVALUATION_LOG,
  INSERT_EVALUATION_LOG_POSTGRES,
  insertEvaluationLogRow,
  logMonths,
  NO_PARTITION_CODE,
  PURGE_EVALUATION_LOG_CHUNK,
  PURGE_EVALUATION_LOG_CHUNK_POSTGRES,
  PURGE_LOG_PARTITIONS_POSTGRES,
} from './eval-log-sql.js';
import type { DB, OpenOptions } from './db.ts';
import { assertPostgresSchema, migratePostgres, POSTGRES_MIGRATIONS } from './migrations-postgres.ts';
import type { Param, RunResult, Sql } from './sql.ts';
import { PostgresSql } from './sql-postgres.ts';
import { SqliteSql } from './sql-sqlite.ts';
import { StoreError } from './errors.ts';
import { assertFixtures } from './fixture-validation.ts';
import { stripPublication, type ArchiveRecord, type AuditEntry, type DraftComment, type DraftRecord, type DraftStatus, type DraftSubmission, type EvaluationLogRow, type FixtureRecord, type FixtureSet, type NewVersion, type VersionMeta, type VersionRecord } from './records.ts';

interface DraftRow {
  table_id: string;
  revision: number;
  content: string;
  fixtures: string | null;
  base_version: number | null;
  status: DraftStatus;
  valid_from: string | null;
  note: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
  updated_by: string;
  submitted_at: string | null;
  submitted_by: string | null;
  submission: string | null;
  rejected_at: string | null;
  rejected_by: string | null;
  rejection_reason: string | null;
}

function draftRecord(r: DraftRow): DraftRecord {
  return {
    tableId: r.table_id,
    revision: r.revision,
    table: JSON.parse(r.content) as DecisionTable,
    fixtures: r.fixtures === null ? null : (JSON.parse(r.fixtures) as FixtureSet),
    baseVersion: r.base_version,
    status: r.status,
    validFrom: r.valid_from,
    note: r.note,
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
    submittedAt: r.submitted_at,
    submittedBy: r.submitted_by,
    submission: r.submission === null ? null : (JSON.parse(r.submission) as DraftSubmission),
    rejectedAt: r.rejected_at,
    rejectedBy: r.rejected_by,
    rejectionReason: r.rejection_reason,
  };
}

export interface StoreOptions extends OpenOptions {
  /** Clock, for tests. */
  now?: () => Date;
  /**
   * The audit key (default: BESLIS_AUDIT_KEY, or for SQLite the key file beside the database; see ./audit.ts). On
   * PostgreSQL there is no key file: BESLIS_AUDIT_KEY or this option.
   */
  auditKey?: AuditKey | null;
  /**
   * PostgreSQL: apply the migrations this program knows on open (default true; `beslis serve` on PostgreSQL passes
   * false and leaves schema changes to `beslis migrate`). A schema newer than the program is refused either way.
   * SQLite always migrates a writable file.
   */
  migrate?: boolean;
  /** PostgreSQL: pooled connections (default 10). */
  maxConnections?: number;
}

/** Whether a Store.open target names a PostgreSQL database rather than a SQLite file. */
export function isPostgresTarget(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * The store's interface (docs/architecture.md, "One store, two databases"): asynchronous, except the catalogue of
 * published versions (listVersions, getVersion, listArchives, tableExists, tableIds), which the evaluate hot path
 * reads synchronously from memory. Open it with `Store.open`.
 */
export class Store {
  /** The SQL door every query of server/store goes through (./sql.ts). */
  readonly sql: Sql;
  /** The SQLite file, or the PostgreSQL URL, the store was opened on. */
  readonly file: string;
  private readonly sqlite: SqliteSql | null;
  private readonly clock: () => Date;
  private readonly catalogue: Catalogue;
  private readonly audit: AuditWriter;
  /** The key of the audit chain (null: a read-only store that found none). */
  readonly auditKey: AuditKey | null;

  private constructor(file: string, sql: SqliteSql | PostgresSql, catalogue: Catalogue, auditKey: AuditKey | null, opts: StoreOptions) {
    this.file = file;
    this.sql = sql;
    this.sqlite = sql instanceof SqliteSql ? sql : null;
    this.catalogue = catalogue;
    this.clock = opts.now ?? (() => new Date());
    this.auditKey = auditKey;
    this.audit = new AuditWriter(this.sql, opts.readonly ? null : this.auditKey, () => this.now());
  }

  /**
   * The SQLite connection that writes, for the SQLite-only tools (backup, the log writer's file, the replay of the
   * log in a worker). Code that must work on every database uses `sql`; on PostgreSQL this throws, naming why.
   */
  get db(): DB {
    if (!this.sqlite) throw Object.assign(new Error('this works on a SQLite database file only, and the store is PostgreSQL'), { code: 'SQLITE_ONLY' });
    return this.sqlite.db;
  }

  /** Which database the store runs on. */
  get dialect(): Sql['dialect'] {
    return this.sql.dialect;
  }

  /**
   * Opens the database: a SQLite file (':memory:' for a throwaway one), migrated unless read-only, or a PostgreSQL
   * database by URL (postgres:// or postgresql://), migrated unless `migrate: false`.
   */
  static async open(target: string, opts: StoreOptions = {}): Promise<Store> {
    const store = isPostgresTarget(target) ? await Store.openPostgres(target, opts) : Store.openSqlite(target, opts);
    try {
      if (!opts.readonly) await store.audit.ensureKeyed();
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  private static openSqlite(file: string, opts: StoreOptions): Store {
    const sql = new SqliteSql(file, opts);
    try {
      const key = opts.auditKey !== undefined ? opts.auditKey : resolveAuditKey(file, !opts.readonly);
      return new Store(file, sql, new SqliteCatalogue(sql), key, opts);
    } catch (err) {
      void sql.close();
      throw err;
    }
  }

  private static async openPostgres(url: string, opts: StoreOptions): Promise<Store> {
    const key = opts.auditKey !== undefined ? opts.auditKey : postgresAuditKey(!opts.readonly);
    const sql = new PostgresSql(url, { max: opts.maxConnections ?? 10 });
    let catalogue: PostgresCatalogue | null = null;
    try {
      const migrations = opts.migrations ?? POSTGRES_MIGRATIONS;
      if (opts.migrate !== false && !opts.readonly) await sql.withClient((c) => migratePostgres(c, migrations));
      else await assertPostgresSchema(sql, migrations.length);
      catalogue = await PostgresCatalogue.open(sql);
      return new Store(url, sql, catalogue, key, opts);
    } catch (err) {
      await catalogue?.close();
      await sql.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.catalogue.close();
    await this.sql.close();
  }

  now(): string {
    return this.clock().toISOString();
  }

  /** The store's clock in epoch milliseconds. */
  clockMs(): number {
    return this.clock().getTime();
  }

  // ---- queries (./sql.ts: inside a transaction when called from one) ----

  get<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return this.sql.get<T>(sql, ...params);
  }

  all<T>(sql: string, ...params: Param[]): Promise<T[]> {
    return this.sql.all<T>(sql, ...params);
  }

  value<T>(sql: string, ...params: Param[]): Promise<T | undefined> {
    return this.sql.value<T>(sql, ...params);
  }

  run(sql: string, ...params: Param[]): Promise<RunResult> {
    return this.sql.run(sql, ...params);
  }

  insert(sql: string, ...params: Param[]): Promise<number> {
    return this.sql.insert(sql, ...params);
  }

  /** The newest schema migration applied. */
  async schemaVersion(): Promise<number> {
    return Number((await this.sql.value<number | null>('SELECT MAX(version) FROM schema_migrations')) ?? 0);
  }

  /**
   * Runs `fn` as one write transaction (nested calls join the outer one). Write transactions never interleave, on
   * SQLite nor across the nodes of one PostgreSQL database (docs/architecture.md); the catalogue is up to date once
   * it has ended.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.sql.inTransaction()) return fn();
    return this.catalogue.transaction(() => this.sql.transaction(fn));
  }

  /**
   * Runs `fn` (reads only) on one consistent snapshot of the database. For long checks (the publish gate) that a
   * short write transaction then confirms.
   */
  snapshot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.sql.inTransaction()) return fn();
    return this.sql.snapshot(fn);
  }

  /** Called with a table id whenever its versions or archive marks change. */
  onChange(listener: (tableId: string) => void): () => void {
    return this.catalogue.onChange(listener);
  }

  /**
   * A number that changes whenever another connection (another worker or node, the CLI, the log writer) has
   * committed since the last call: caches of rows that others may change hold while it stays the same. Writes
   * through this Store may change it too; their callers drop what they cached themselves.
   */
  externalChanges(): number {
    return this.catalogue.externalChanges();
  }

  // ---- the catalogue: tables and versions (synchronous; ./catalogue.ts) ----

  isEmpty(): boolean {
    return this.catalogue.isEmpty();
  }

  tableExists(id: string): boolean {
    return this.catalogue.tableExists(id);
  }

  tableIds(): string[] {
    return this.catalogue.tableIds();
  }

  /** Versions of a table in ascending order (empty for an unknown table). */
  listVersions(tableId: string): VersionMeta[] {
    return this.catalogue.listVersions(tableId);
  }

  getVersion(tableId: string, version: number): VersionRecord | null {
    return this.catalogue.getVersion(tableId, version);
  }

  newestVersion(tableId: string): VersionRecord | null {
    const list = this.listVersions(tableId);
    const last = list[list.length - 1];
    return last ? this.getVersion(tableId, last.version) : null;
  }

  /** The table's archive marks, oldest first (server/engine/versions.ts archiveInForce reads them). */
  listArchives(tableId: string): ArchiveRecord[] {
    return this.catalogue.listArchives(tableId);
  }

  // ---- writing versions ----

  private async insertTableRow(id: string, actor: string): Promise<void> {
    await this.sql.run('INSERT INTO decision_tables (id, created_at, created_by) VALUES (?, ?, ?)', id, this.now(), actor);
    await this.catalogue.changed(id);
  }

  private async hasTable(id: string): Promise<boolean> {
    return (await this.sql.get('SELECT 1 FROM decision_tables WHERE id = ?', id)) !== undefined;
  }

  /** Publishes a version. The table JSON stored (and hashed) carries the same `version` and `validFrom`. */
  async insertVersion(v: NewVersion, actor: string, auditAction = 'version.published'): Promise<VersionMeta> {
    const table = { ...v.table, version: v.version, validFrom: v.validFrom } as DecisionTable;
    if (table.id !== v.tableId) {
      throw new StoreError('INVALID_TABLE', `the table's id '${table.id}' is not '${v.tableId}'`, [{ path: '/id', message: `must be '${v.tableId}'`, code: 'TABLE_ID', params: { id: v.tableId } }]);
    }
    const hash = contentHash(table);
    const meta: VersionMeta = {
      tableId: v.tableId,
      version: v.version,
      validFrom: v.validFrom,
      publishedAt: v.publishedAt ?? this.now(),
      author: v.author,
      approvedBy: v.approvedBy ?? null,
      note: v.note ?? null,
      hash,
      importedBy: v.importedBy ?? null,
    };
    await this.transaction(async () => {
      if (!(await this.hasTable(v.tableId))) await this.insertTableRow(v.tableId, actor);
      if (await this.sql.get('SELECT 1 FROM versions WHERE table_id = ? AND version = ?', v.tableId, v.version)) {
        throw new StoreError('VERSION_EXISTS', `${v.tableId} already has a version ${v.version}`);
      }
      await this.sql.run(
        `INSERT INTO versions (table_id, version, valid_from, published_at, author, approved_by, note, hash, imported_by, content)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        meta.tableId,
        meta.version,
        meta.validFrom,
        meta.publishedAt,
        meta.author,
        meta.approvedBy,
        meta.note,
        meta.hash,
        meta.importedBy,
        JSON.stringify(table),
      );
      await this.appendAudit({
        actor,
        action: auditAction,
        tableId: v.tableId,
        version: v.version,
        detail: {
          hash,
          validFrom: v.validFrom,
          ...(meta.importedBy ? { publishedAt: meta.publishedAt, author: meta.author, approvedBy: meta.approvedBy, importedBy: meta.importedBy } : {}),
          ...(v.claimedPublishedAt && v.claimedPublishedAt !== meta.publishedAt ? { claimedPublishedAt: v.claimedPublishedAt } : {}),
        },
      });
      await this.catalogue.changed(v.tableId);
    });
    return meta;
  }

  /**
   * Publishes an archive mark (call inside the transaction that approves or imports it, which also audits it); now,
   * unless an import keeps the time its file records (`publishedAt`).
   */
  async insertArchive(a: Omit<ArchiveRecord, 'id' | 'publishedAt'> & { publishedAt?: string }): Promise<ArchiveRecord> {
    const publishedAt = a.publishedAt ?? this.now();
    const id = await this.sql.insert(
      'INSERT INTO table_archives (table_id, valid_from, published_at, requested_by, approved_by, note) VALUES (?, ?, ?, ?, ?, ?)',
      a.tableId,
      a.validFrom,
      publishedAt,
      a.requestedBy,
      a.approvedBy,
      a.note,
    );
    await this.catalogue.changed(a.tableId);
    return { tableId: a.tableId, validFrom: a.validFrom, requestedBy: a.requestedBy, approvedBy: a.approvedBy, note: a.note, id, publishedAt };
  }

  // ---- drafts ----

  async getDraft(tableId: string): Promise<DraftRecord | null> {
    const row = await this.sql.get<DraftRow>('SELECT * FROM drafts WHERE table_id = ?', tableId);
    return row ? draftRecord(row) : null;
  }

  async draftEditors(tableId: string): Promise<string[]> {
    return (await this.sql.all<{ actor: string }>('SELECT actor FROM draft_editors WHERE table_id = ? ORDER BY actor', tableId)).map((r) => r.actor);
  }

  private async addEditor(tableId: string, actor: string): Promise<void> {
    await this.sql.run('INSERT INTO draft_editors (table_id, actor) VALUES (?, ?) ON CONFLICT DO NOTHING', tableId, actor);
  }

  private async insertDraftRow(tableId: string, content: string, baseVersion: number | null, now: string, actor: string): Promise<void> {
    await this.sql.run(
      `INSERT INTO drafts (table_id, revision, content, base_version, created_at, created_by, updated_at, updated_by)
       VALUES (?, 1, ?, ?, ?, ?, ?, ?)`,
      tableId,
      content,
      baseVersion,
      now,
      actor,
      now,
      actor,
    );
  }

  /** Creates a new table whose only content is a draft (revision 1). */
  async createTable(table: DecisionTable, actor: string): Promise<DraftRecord> {
    const id = table.id;
    const now = this.now();
    return this.transaction(async () => {
      if (await this.hasTable(id)) throw new StoreError('TABLE_EXISTS', `a table '${id}' already exists`);
      await this.sql.run('INSERT INTO decision_tables (id, created_at, created_by) VALUES (?, ?, ?)', id, now, actor);
      await this.catalogue.changed(id);
      await this.insertDraftRow(id, JSON.stringify(stripPublication(table)), null, now, actor);
      await this.addEditor(id, actor);
      await this.appendAudit({ actor, action: 'table.created', tableId: id, version: null, detail: { title: table.title } });
      return (await this.getDraft(id))!;
    });
  }

  /**
   * Saves the draft if `expectedRevision` is the stored revision (0 = no draft yet: creates it from the newest
   * version). A mismatch is STALE_REVISION with the current revision; nothing is overwritten silently.
   */
  async saveDraft(tableId: string, table: DecisionTable, expectedRevision: number, actor: string, summary?: Record<string, unknown>): Promise<DraftRecord> {
    const now = this.now();
    return this.transaction(async () => {
      if (!(await this.hasTable(tableId))) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
      const current = await this.sql.get<DraftRow>('SELECT * FROM drafts WHERE table_id = ?', tableId);
      const currentRevision = current?.revision ?? 0;
      if (current?.status === 'submitted') throw draftSubmitted(tableId, current.submitted_by, current.revision);
      if (currentRevision !== expectedRevision) {
        throw new StoreError(
          'STALE_REVISION',
          `the draft of ${tableId} is at revision ${currentRevision}, not ${expectedRevision}: someone saved it meanwhile; reload and apply your change again`,
          [],
          { revision: currentRevision },
        );
      }
      const content = JSON.stringify(stripPublication(table));
      if (current) {
        await this.sql.run(
          `UPDATE drafts SET revision = revision + 1, content = ?, updated_at = ?, updated_by = ?
           WHERE table_id = ? AND revision = ? AND status = 'editing'`,
          content,
          now,
          actor,
          tableId,
          expectedRevision,
        );
      } else {
        const newest = await this.sql.value<number | null>('SELECT MAX(version) FROM versions WHERE table_id = ?', tableId);
        await this.insertDraftRow(tableId, content, newest ?? null, now, actor);
      }
      await this.addEditor(tableId, actor);
      await this.appendAudit({
        actor,
        action: 'draft.saved',
        tableId,
        version: null,
        detail: { revision: expectedRevision + 1, ...(summary ?? {}) },
      });
      return (await this.getDraft(tableId))!;
    });
  }

  /** The draft's own fixture set (null: it runs the table's). Part of a save: call inside its transaction. */
  async setDraftFixtures(tableId: string, fixtures: FixtureSet | null): Promise<void> {
    await this.sql.run('UPDATE drafts SET fixtures = ? WHERE table_id = ?', fixtures === null ? null : JSON.stringify(fixtures), tableId);
  }

  /**
   * Marks the draft submitted at `revision` (refused when it moved on): a new revision, so an approval of an
   * earlier submission (another start date, another note) cannot apply to this one.
   */
  async markDraftSubmitted(tableId: string, revision: number, s: { validFrom: string; note: string; actor: string; submission: DraftSubmission }): Promise<DraftRecord> {
    const { changes } = await this.sql.run(
      `UPDATE drafts SET status = 'submitted', revision = revision + 1, valid_from = ?, note = ?, submitted_at = ?, submitted_by = ?, submission = ?
       WHERE table_id = ? AND revision = ? AND status = 'editing'`,
      s.validFrom,
      s.note,
      this.now(),
      s.actor,
      JSON.stringify(s.submission),
      tableId,
      revision,
    );
    if (changes !== 1) throw staleDraft(tableId, revision, (await this.getDraft(tableId))?.revision ?? 0);
    await this.addEditor(tableId, s.actor);
    return (await this.getDraft(tableId))!;
  }

  /** Back to editing: withdrawn by its author (a new revision) or rejected by an approver (with the reason). */
  async markDraftEditing(tableId: string, revision: number, how: { withdrawn: true } | { rejectedBy: string; reason: string }): Promise<DraftRecord> {
    const { changes } =
      'withdrawn' in how
        ? await this.sql.run(`UPDATE drafts SET status = 'editing', revision = revision + 1 WHERE table_id = ? AND revision = ? AND status = 'submitted'`, tableId, revision)
        : await this.sql.run(
            `UPDATE drafts SET status = 'editing', rejected_at = ?, rejected_by = ?, rejection_reason = ? WHERE table_id = ? AND revision = ? AND status = 'submitted'`,
            this.now(),
            how.rejectedBy,
            how.reason,
            tableId,
            revision,
          );
    if (changes !== 1) throw staleDraft(tableId, revision, (await this.getDraft(tableId))?.revision ?? 0);
    return (await this.getDraft(tableId))!;
  }

  /** Removes the draft, its editors and its comments (published, or discarded). */
  async removeDraft(tableId: string): Promise<void> {
    await this.sql.run('DELETE FROM drafts WHERE table_id = ?', tableId);
    await this.sql.run('DELETE FROM draft_editors WHERE table_id = ?', tableId);
  }

  /** Removes a table that has no version (its draft was discarded): nothing of it is left but its audit entries. */
  async removeUnpublishedTable(tableId: string): Promise<void> {
    if (await this.sql.get('SELECT 1 FROM versions WHERE table_id = ?', tableId)) {
      throw new StoreError('VERSION_EXISTS', `${tableId} has published versions; only its draft can be discarded`);
    }
    await this.removeDraft(tableId);
    await this.sql.run('DELETE FROM fixtures WHERE table_id = ?', tableId);
    await this.sql.run('DELETE FROM decision_tables WHERE id = ?', tableId);
    await this.catalogue.changed(tableId);
  }

  async addDraftComment(tableId: string, revision: number, author: string, text: string): Promise<DraftComment> {
    const at = this.now();
    const id = await this.sql.insert('INSERT INTO draft_comments (table_id, revision, at, author, text) VALUES (?, ?, ?, ?, ?)', tableId, revision, at, author, text);
    return { id, tableId, revision, at, author, text };
  }

  async draftComments(tableId: string): Promise<DraftComment[]> {
    const rows = await this.sql.all<{ id: number; table_id: string; revision: number; at: string; author: string; text: string }>(
      'SELECT id, table_id, revision, at, author, text FROM draft_comments WHERE table_id = ? ORDER BY id',
      tableId,
    );
    return rows.map((r) => ({ id: r.id, tableId: r.table_id, revision: r.revision, at: r.at, author: r.author, text: r.text }));
  }

  /** Whether the database holds any published version (an import into it may not rewrite history). */
  async hasVersions(): Promise<boolean> {
    return (await this.sql.get('SELECT 1 FROM versions LIMIT 1')) !== undefined;
  }

  // ---- fixtures ----

  async getFixtures(tableId: string): Promise<FixtureRecord | null> {
    const row = await this.sql.get<{ table_id: string; revision: number; content: string; hash: string; updated_at: string; updated_by: string }>(
      'SELECT * FROM fixtures WHERE table_id = ?',
      tableId,
    );
    if (!row) return null;
    return {
      tableId: row.table_id,
      revision: row.revision,
      fixtures: JSON.parse(row.content) as FixtureSet,
      hash: row.hash,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
    };
  }

  /** Stores a table's fixture set; `expectedRevision` (0 = none yet) guards against overwriting a newer set. */
  async putFixtures(
    tableId: string,
    fixtures: FixtureSet,
    actor: string,
    expectedRevision?: number,
    auditAction = 'fixtures.saved',
    detail: Record<string, unknown> = {},
  ): Promise<FixtureRecord> {
    assertFixtures(fixtures, tableId);
    const hash = contentHash(fixtures);
    return this.transaction(async () => {
      if (!(await this.hasTable(tableId))) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
      const current = await this.getFixtures(tableId);
      if (expectedRevision !== undefined && (current?.revision ?? 0) !== expectedRevision) {
        throw new StoreError('STALE_REVISION', `the fixtures of ${tableId} are at revision ${current?.revision ?? 0}, not ${expectedRevision}`, [], {
          revision: current?.revision ?? 0,
        });
      }
      const now = this.now();
      await this.sql.run(
        `INSERT INTO fixtures (table_id, revision, content, hash, updated_at, updated_by) VALUES (?, 1, ?, ?, ?, ?)
         ON CONFLICT (table_id) DO UPDATE SET revision = fixtures.revision + 1, content = excluded.content, hash = excluded.hash,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        tableId,
        JSON.stringify(fixtures),
        hash,
        now,
        actor,
      );
      await this.appendAudit({ actor, action: auditAction, tableId, version: null, detail: { hash, cases: fixtures.cases.length, ...detail } });
      return (await this.getFixtures(tableId))!;
    });
  }

  // ---- audit ----

  /** Appends one entry to the keyed hash chain (./audit.ts). Call inside the transaction of the change it records. */
  appendAudit(e: NewAuditEntry): Promise<void> {
    return this.audit.append(e);
  }

  /** Every audit entry (of one table when given), oldest first. */
  auditEntries(tableId?: string): Promise<AuditEntry[]> {
    return listAudit(this.sql, { tableId, limit: -1 });
  }

  // ---- evaluation log ----

  /** Writes a batch of evaluation log rows in one transaction. */
  async insertEvaluationLog(rows: readonly EvaluationLogRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (!this.sqlite) return this.insertEvaluationLogRows(rows);
    const sqlite = this.sqlite;
    await this.transaction(async () => {
      // The hot loop: one prepared statement bound per row, without an array or a promise per row.
      const stmt = sqlite.statement(sqlite.db, INSERT_EVALUATION_LOG);
      for (const r of rows) insertEvaluationLogRow(stmt, r);
    });
  }

  /**
   * PostgreSQL: one INSERT … SELECT FROM unnest (ten column arrays) per 5,000 rows, after making the monthly
   * partitions they need (eval-log-postgres-schema.ts), outside the writer lock (the log is no part of the audited
   * state; one statement is atomic and a batch needs no more). The log's own writer (eval-log-postgres.js) does the
   * same on a connection of its own; this path is for inline writes and imports.
   */
  private async insertEvaluationLogRows(rows: readonly EvaluationLogRow[]): Promise<void> {
    const months = (list: readonly string[]) => `{${list.join(',')}}`;
    for (let i = 0; i < rows.length; i += 5000) {
      const chunk = rows.slice(i, i + 5000);
      const { needed, ahead } = logMonths(chunk);
      const ensure = () => this.sql.run(ENSURE_LOG_PARTITIONS_POSTGRES, months(needed), months(ahead ? [ahead] : []));
      // Arrays are bound as they are (the pg driver writes them as PostgreSQL arrays); the Sql interface types scalars.
      const insert = () => this.sql.run(INSERT_EVALUATION_LOG_POSTGRES, ...(evaluationLogColumns(chunk) as unknown as Param[]));
      await ensure();
      try {
        await insert();
      } catch (err) {
        // A month dropped meanwhile by a purge on another node: made again, tried once more.
        if ((err as { code?: string }).code !== NO_PARTITION_CODE) throw err;
        await ensure();
        await insert();
      }
    }
  }

  /**
   * Deletes log rows evaluated before `before` (ISO timestamp), in chunks so a writer never waits long. PostgreSQL:
   * whole months by dropping their partitions (kept for the next purge while a long read holds the log), the rest of
   * the boundary month in chunks.
   */
  async purgeEvaluationLog(before: string, chunk = 10_000): Promise<number> {
    let total = 0;
    if (this.dialect === 'postgres') {
      total = Number(await this.sql.value<number>(PURGE_LOG_PARTITIONS_POSTGRES, before));
      for (;;) {
        const n = (await this.sql.run(PURGE_EVALUATION_LOG_CHUNK_POSTGRES, before, before.slice(0, 7), chunk)).changes;
        total += n;
        if (n < chunk) return total;
      }
    }
    for (;;) {
      const n = await this.transaction(async () => (await this.sql.run(PURGE_EVALUATION_LOG_CHUNK, before, chunk)).changes);
      total += n;
      if (n < chunk) return total;
    }
  }

  // ---- settings ----

  async getSetting(key: string): Promise<string | null> {
    return (await this.sql.value<string>('SELECT value FROM settings WHERE key = ?', key)) ?? null;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.transaction(async () => {
      await this.sql.run('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value', key, value);
    });
  }
}

function draftSubmitted(tableId: string, by: string | null, revision: number): StoreError {
  return new StoreError(
    'DRAFT_SUBMITTED',
    `the draft of ${tableId} is submitted for approval${by ? ` (by ${by})` : ''} and cannot change while it is reviewed: withdraw it first (POST /api/v1/tables/${tableId}/draft/withdraw)`,
    [],
    { revision },
  );
}

function staleDraft(tableId: string, expected: number, current: number): StoreError {
  return new StoreError('STALE_REVISION', `the draft of ${tableId} is at revision ${current}, not ${expected}: it changed meanwhile`, [], { revision: current });
}
