// The policy store (docs/architecture.md): tables, their draft, immutable versions, fixtures, the audit trail and the
// evaluation log, on better-sqlite3. Every write is one transaction; reads are plain prepared statements.
import type { DecisionTable } from '../engine/types.ts';
import { AuditWriter, listAudit, resolveAuditKey, type AuditKey, type NewAuditEntry } from './audit.ts';
import { contentHash } from './canonical.ts';
import { INSERT_EVALUATION_LOG, insertEvaluationLogRow, PURGE_EVALUATION_LOG_CHUNK } from './eval-log-sql.js';
import { openDatabase, type DB, type OpenOptions, type Statement } from './db.ts';
import { StoreError } from './errors.ts';
import { assertFixtures } from './fixture-validation.ts';
import { stripPublication, type ArchiveRecord, type AuditEntry, type DraftComment, type DraftRecord, type DraftStatus, type DraftSubmission, type EvaluationLogRow, type FixtureRecord, type FixtureSet, type NewVersion, type VersionMeta, type VersionRecord } from './records.ts';

interface VersionRow {
  table_id: string;
  version: number;
  valid_from: string;
  published_at: string;
  author: string;
  approved_by: string | null;
  note: string | null;
  hash: string;
  imported_by: string | null;
  content?: string;
}

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

function versionMeta(r: VersionRow): VersionMeta {
  return {
    tableId: r.table_id,
    version: r.version,
    validFrom: r.valid_from,
    publishedAt: r.published_at,
    author: r.author,
    approvedBy: r.approved_by,
    note: r.note,
    hash: r.hash,
    importedBy: r.imported_by,
  };
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
  /** The audit key (default: BESLIS_AUDIT_KEY, or the key file beside the database; see ./audit.ts). */
  auditKey?: AuditKey | null;
}

/** Transactions run by any Store of this process (tells a Store that another one here may have written). */
let localTransactions = 0;

export class Store {
  readonly db: DB;
  readonly file: string;
  private readonly clock: () => Date;
  /** Version lists per table, cached until a write in this process or a commit by another connection. */
  private versionCache = new Map<string, VersionMeta[]>();
  /** Archive marks per table, cached and dropped with the version lists. */
  private archiveCache = new Map<string, ArchiveRecord[]>();
  private dataVersion = -1;
  private externalCommits = 0;
  private checkedThisTurn = false;
  private checkedAtTransactions = -1;
  private readonly listeners = new Set<(tableId: string) => void>();
  private readonly stmts;
  private readonly prepared = new Map<string, Statement>();
  private readonly audit: AuditWriter;
  /** The key of the audit chain (null: a read-only store that found none). */
  readonly auditKey: AuditKey | null;

  constructor(file: string, opts: StoreOptions = {}) {
    this.file = file;
    this.db = openDatabase(file, opts);
    this.clock = opts.now ?? (() => new Date());
    const db = this.db;
    try {
      this.auditKey = opts.auditKey !== undefined ? opts.auditKey : resolveAuditKey(file, !opts.readonly);
      this.audit = new AuditWriter(db, opts.readonly ? null : this.auditKey, () => this.now());
      if (!opts.readonly) this.audit.ensureKeyed();
    } catch (err) {
      db.close();
      throw err;
    }
    this.stmts = {
      tableExists: db.prepare('SELECT 1 FROM decision_tables WHERE id = ?').pluck(),
      tableIds: db.prepare('SELECT id FROM decision_tables ORDER BY id').pluck(),
      countTables: db.prepare('SELECT COUNT(*) FROM decision_tables').pluck(),
      insertTable: db.prepare('INSERT INTO decision_tables (id, created_at, created_by) VALUES (?, ?, ?)'),
      versions: db.prepare(
        'SELECT table_id, version, valid_from, published_at, author, approved_by, note, hash, imported_by FROM versions WHERE table_id = ? ORDER BY version',
      ),
      version: db.prepare('SELECT * FROM versions WHERE table_id = ? AND version = ?'),
      insertVersion: db.prepare(
        `INSERT INTO versions (table_id, version, valid_from, published_at, author, approved_by, note, hash, imported_by, content)
         VALUES (@tableId, @version, @validFrom, @publishedAt, @author, @approvedBy, @note, @hash, @importedBy, @content)`,
      ),
      draft: db.prepare('SELECT * FROM drafts WHERE table_id = ?'),
      insertDraft: db.prepare(
        `INSERT INTO drafts (table_id, revision, content, base_version, created_at, created_by, updated_at, updated_by)
         VALUES (@tableId, 1, @content, @baseVersion, @now, @actor, @now, @actor)`,
      ),
      updateDraft: db.prepare(
        `UPDATE drafts SET revision = revision + 1, content = @content, updated_at = @now, updated_by = @actor
         WHERE table_id = @tableId AND revision = @expected AND status = 'editing'`,
      ),
      addEditor: db.prepare('INSERT OR IGNORE INTO draft_editors (table_id, actor) VALUES (?, ?)'),
      editors: db.prepare('SELECT actor FROM draft_editors WHERE table_id = ? ORDER BY actor').pluck(),
      fixtures: db.prepare('SELECT * FROM fixtures WHERE table_id = ?'),
      upsertFixtures: db.prepare(
        `INSERT INTO fixtures (table_id, revision, content, hash, updated_at, updated_by) VALUES (@tableId, 1, @content, @hash, @now, @actor)
         ON CONFLICT (table_id) DO UPDATE SET revision = revision + 1, content = excluded.content, hash = excluded.hash,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      ),
      insertLog: db.prepare(INSERT_EVALUATION_LOG),
      getSetting: db.prepare('SELECT value FROM settings WHERE key = ?').pluck(),
      setSetting: db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
    };
  }

  /**
   * The statement for `sql`, prepared once per connection: preparing costs more than running a lookup by key, and
   * the lookups behind every request (API token, session, user) would otherwise pay it each time.
   */
  statement(sql: string): Statement {
    let stmt = this.prepared.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.prepared.set(sql, stmt);
    }
    return stmt;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  now(): string {
    return this.clock().toISOString();
  }

  /** The store's clock in epoch milliseconds. */
  clockMs(): number {
    return this.clock().getTime();
  }

  /** Runs `fn` as one IMMEDIATE transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } finally {
      localTransactions++;
    }
  }

  /**
   * Runs `fn` (reads only) on one consistent snapshot of the database without taking the write lock: in WAL mode
   * other connections go on writing meanwhile. For long checks (the publish gate) that a short write transaction
   * then confirms.
   */
  snapshot<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    return this.db.transaction(fn).deferred();
  }

  /** Called with a table id whenever its versions change (in this process). */
  onChange(listener: (tableId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(tableId: string): void {
    this.versionCache.delete(tableId);
    this.archiveCache.delete(tableId);
    for (const l of this.listeners) l(tableId);
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
    const v = this.stmts.dataVersion.get() as number;
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

  /**
   * A number that changes whenever another connection (another worker, the CLI, the log writer) has committed since
   * the last call: caches of rows that other processes may change hold while it stays the same. Writes through this
   * Store do not change it; their callers drop what they cached themselves.
   */
  externalChanges(): number {
    this.checkExternal();
    return this.externalCommits;
  }

  // ---- tables and versions ----

  isEmpty(): boolean {
    return (this.stmts.countTables.get() as number) === 0;
  }

  tableExists(id: string): boolean {
    return this.stmts.tableExists.get(id) !== undefined;
  }

  tableIds(): string[] {
    return this.stmts.tableIds.all() as string[];
  }

  /** Versions of a table in ascending order (empty for an unknown table). */
  listVersions(tableId: string): VersionMeta[] {
    this.checkExternal();
    let list = this.versionCache.get(tableId);
    if (!list) {
      list = (this.stmts.versions.all(tableId) as VersionRow[]).map(versionMeta);
      this.versionCache.set(tableId, list);
    }
    return list;
  }

  getVersion(tableId: string, version: number): VersionRecord | null {
    const row = this.stmts.version.get(tableId, version) as VersionRow | undefined;
    if (!row) return null;
    return { ...versionMeta(row), table: JSON.parse(row.content!) as DecisionTable };
  }

  newestVersion(tableId: string): VersionRecord | null {
    const list = this.listVersions(tableId);
    const last = list[list.length - 1];
    return last ? this.getVersion(tableId, last.version) : null;
  }

  /** Publishes a version. The table JSON stored (and hashed) carries the same `version` and `validFrom`. */
  insertVersion(v: NewVersion, actor: string, auditAction = 'version.published'): VersionMeta {
    const table = { ...v.table, version: v.version, validFrom: v.validFrom } as DecisionTable;
    if (table.id !== v.tableId) {
      throw new StoreError('INVALID_TABLE', `the table's id '${table.id}' is not '${v.tableId}'`, [{ path: '/id', message: `must be '${v.tableId}'` }]);
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
    this.transaction(() => {
      if (!this.tableExists(v.tableId)) this.stmts.insertTable.run(v.tableId, this.now(), actor);
      if (this.stmts.version.get(v.tableId, v.version)) {
        throw new StoreError('VERSION_EXISTS', `${v.tableId} already has a version ${v.version}`);
      }
      this.stmts.insertVersion.run({ ...meta, content: JSON.stringify(table) });
      this.appendAudit({
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
    });
    this.changed(v.tableId);
    return meta;
  }

  /** The table's archive marks, oldest first (server/engine/versions.ts archiveInForce reads them). */
  listArchives(tableId: string): ArchiveRecord[] {
    this.checkExternal();
    let list = this.archiveCache.get(tableId);
    if (!list) {
      const rows = this.statement(
        'SELECT id, table_id, valid_from, published_at, requested_by, approved_by, note FROM table_archives WHERE table_id = ? ORDER BY id',
      ).all(tableId) as { id: number; table_id: string; valid_from: string; published_at: string; requested_by: string; approved_by: string; note: string }[];
      list = rows.map((r) => ({ id: r.id, tableId: r.table_id, validFrom: r.valid_from, publishedAt: r.published_at, requestedBy: r.requested_by, approvedBy: r.approved_by, note: r.note }));
      this.archiveCache.set(tableId, list);
    }
    return list;
  }

  /**
   * Publishes an archive mark (call inside the transaction that approves or imports it, which also audits it); now,
   * unless an import keeps the time its file records (`publishedAt`).
   */
  insertArchive(a: Omit<ArchiveRecord, 'id' | 'publishedAt'> & { publishedAt?: string }): ArchiveRecord {
    const publishedAt = a.publishedAt ?? this.now();
    const id = Number(
      this.statement('INSERT INTO table_archives (table_id, valid_from, published_at, requested_by, approved_by, note) VALUES (?, ?, ?, ?, ?, ?)').run(
        a.tableId,
        a.validFrom,
        publishedAt,
        a.requestedBy,
        a.approvedBy,
        a.note,
      ).lastInsertRowid,
    );
    this.changed(a.tableId);
    return { tableId: a.tableId, validFrom: a.validFrom, requestedBy: a.requestedBy, approvedBy: a.approvedBy, note: a.note, id, publishedAt };
  }

  // ---- drafts ----

  getDraft(tableId: string): DraftRecord | null {
    const row = this.stmts.draft.get(tableId) as DraftRow | undefined;
    return row ? draftRecord(row) : null;
  }

  draftEditors(tableId: string): string[] {
    return this.stmts.editors.all(tableId) as string[];
  }

  /** Creates a new table whose only content is a draft (revision 1). */
  createTable(table: DecisionTable, actor: string): DraftRecord {
    const id = table.id;
    const now = this.now();
    this.transaction(() => {
      if (this.tableExists(id)) throw new StoreError('TABLE_EXISTS', `a table '${id}' already exists`);
      this.stmts.insertTable.run(id, now, actor);
      this.stmts.insertDraft.run({ tableId: id, content: JSON.stringify(stripPublication(table)), baseVersion: null, now, actor });
      this.stmts.addEditor.run(id, actor);
      this.appendAudit({ actor, action: 'table.created', tableId: id, version: null, detail: { title: table.title } });
    });
    return this.getDraft(id)!;
  }

  /**
   * Saves the draft if `expectedRevision` is the stored revision (0 = no draft yet: creates it from the newest
   * version). A mismatch is STALE_REVISION with the current revision; nothing is overwritten silently.
   */
  saveDraft(tableId: string, table: DecisionTable, expectedRevision: number, actor: string, summary?: Record<string, unknown>): DraftRecord {
    const now = this.now();
    this.transaction(() => {
      if (!this.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
      const current = this.stmts.draft.get(tableId) as DraftRow | undefined;
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
        this.stmts.updateDraft.run({ tableId, content, now, actor, expected: expectedRevision });
      } else {
        const newest = this.listVersions(tableId).at(-1);
        this.stmts.insertDraft.run({ tableId, content, baseVersion: newest?.version ?? null, now, actor });
      }
      this.stmts.addEditor.run(tableId, actor);
      this.appendAudit({
        actor,
        action: 'draft.saved',
        tableId,
        version: null,
        detail: { revision: expectedRevision + 1, ...(summary ?? {}) },
      });
    });
    return this.getDraft(tableId)!;
  }

  /** The draft's own fixture set (null: it runs the table's). Part of a save: call inside its transaction. */
  setDraftFixtures(tableId: string, fixtures: FixtureSet | null): void {
    this.statement('UPDATE drafts SET fixtures = ? WHERE table_id = ?').run(fixtures === null ? null : JSON.stringify(fixtures), tableId);
  }

  /**
   * Marks the draft submitted at `revision` (refused when it moved on): a new revision, so an approval of an
   * earlier submission (another start date, another note) cannot apply to this one.
   */
  markDraftSubmitted(tableId: string, revision: number, s: { validFrom: string; note: string; actor: string; submission: DraftSubmission }): DraftRecord {
    const changed = this.statement(
      `UPDATE drafts SET status = 'submitted', revision = revision + 1, valid_from = ?, note = ?, submitted_at = ?, submitted_by = ?, submission = ?
       WHERE table_id = ? AND revision = ? AND status = 'editing'`,
    ).run(s.validFrom, s.note, this.now(), s.actor, JSON.stringify(s.submission), tableId, revision).changes;
    if (changed !== 1) throw staleDraft(tableId, revision, this.getDraft(tableId)?.revision ?? 0);
    this.stmts.addEditor.run(tableId, s.actor);
    return this.getDraft(tableId)!;
  }

  /** Back to editing: withdrawn by its author (a new revision) or rejected by an approver (with the reason). */
  markDraftEditing(tableId: string, revision: number, how: { withdrawn: true } | { rejectedBy: string; reason: string }): DraftRecord {
    const changed =
      'withdrawn' in how
        ? this.statement(`UPDATE drafts SET status = 'editing', revision = revision + 1 WHERE table_id = ? AND revision = ? AND status = 'submitted'`).run(tableId, revision).changes
        : this.statement(
            `UPDATE drafts SET status = 'editing', rejected_at = ?, rejected_by = ?, rejection_reason = ? WHERE table_id = ? AND revision = ? AND status = 'submitted'`,
          ).run(this.now(), how.rejectedBy, how.reason, tableId, revision).changes;
    if (changed !== 1) throw staleDraft(tableId, revision, this.getDraft(tableId)?.revision ?? 0);
    return this.getDraft(tableId)!;
  }

  /** Removes the draft, its editors and its comments (published, or discarded). */
  removeDraft(tableId: string): void {
    this.statement('DELETE FROM drafts WHERE table_id = ?').run(tableId);
    this.statement('DELETE FROM draft_editors WHERE table_id = ?').run(tableId);
  }

  /** Removes a table that has no version (its draft was discarded): nothing of it is left but its audit entries. */
  removeUnpublishedTable(tableId: string): void {
    if (this.listVersions(tableId).length > 0) throw new StoreError('VERSION_EXISTS', `${tableId} has published versions; only its draft can be discarded`);
    this.removeDraft(tableId);
    this.statement('DELETE FROM fixtures WHERE table_id = ?').run(tableId);
    this.statement('DELETE FROM decision_tables WHERE id = ?').run(tableId);
  }

  addDraftComment(tableId: string, revision: number, author: string, text: string): DraftComment {
    const at = this.now();
    const id = Number(this.statement('INSERT INTO draft_comments (table_id, revision, at, author, text) VALUES (?, ?, ?, ?, ?)').run(tableId, revision, at, author, text).lastInsertRowid);
    return { id, tableId, revision, at, author, text };
  }

  draftComments(tableId: string): DraftComment[] {
    const rows = this.statement('SELECT id, table_id, revision, at, author, text FROM draft_comments WHERE table_id = ? ORDER BY id').all(tableId) as {
      id: number;
      table_id: string;
      revision: number;
      at: string;
      author: string;
      text: string;
    }[];
    return rows.map((r) => ({ id: r.id, tableId: r.table_id, revision: r.revision, at: r.at, author: r.author, text: r.text }));
  }

  /** Whether the database holds any published version (an import into it may not rewrite history). */
  hasVersions(): boolean {
    return this.statement('SELECT 1 FROM versions LIMIT 1').get() !== undefined;
  }

  // ---- fixtures ----

  getFixtures(tableId: string): FixtureRecord | null {
    const row = this.stmts.fixtures.get(tableId) as
      | { table_id: string; revision: number; content: string; hash: string; updated_at: string; updated_by: string }
      | undefined;
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
  putFixtures(tableId: string, fixtures: FixtureSet, actor: string, expectedRevision?: number, auditAction = 'fixtures.saved', detail: Record<string, unknown> = {}): FixtureRecord {
    assertFixtures(fixtures, tableId);
    const hash = contentHash(fixtures);
    this.transaction(() => {
      if (!this.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
      const current = this.getFixtures(tableId);
      if (expectedRevision !== undefined && (current?.revision ?? 0) !== expectedRevision) {
        throw new StoreError('STALE_REVISION', `the fixtures of ${tableId} are at revision ${current?.revision ?? 0}, not ${expectedRevision}`, [], {
          revision: current?.revision ?? 0,
        });
      }
      this.stmts.upsertFixtures.run({ tableId, content: JSON.stringify(fixtures), hash, now: this.now(), actor });
      this.appendAudit({ actor, action: auditAction, tableId, version: null, detail: { hash, cases: fixtures.cases.length, ...detail } });
    });
    return this.getFixtures(tableId)!;
  }

  // ---- audit ----

  /** Appends one entry to the keyed hash chain (./audit.ts). Call inside the transaction of the change it records. */
  appendAudit(e: NewAuditEntry): void {
    this.audit.append(e);
  }

  /** Every audit entry (of one table when given), oldest first. */
  auditEntries(tableId?: string): AuditEntry[] {
    // LIMIT -1 is SQLite for "no limit": the store's callers want the whole chain, the API pages.
    return listAudit(this.db, { tableId, limit: -1 });
  }

  // ---- evaluation log ----

  /** Writes a batch of evaluation log rows in one transaction. */
  insertEvaluationLog(rows: readonly EvaluationLogRow[]): void {
    if (rows.length === 0) return;
    const stmt = this.stmts.insertLog;
    this.transaction(() => {
      for (const r of rows) insertEvaluationLogRow(stmt, r);
    });
  }

  /** Deletes log rows evaluated before `before` (ISO timestamp), in chunks so a writer never waits long. */
  purgeEvaluationLog(before: string, chunk = 10_000): number {
    const stmt = this.db.prepare(PURGE_EVALUATION_LOG_CHUNK);
    let total = 0;
    for (;;) {
      const n = this.transaction(() => stmt.run(before, chunk).changes);
      total += n;
      if (n < chunk) return total;
    }
  }

  // ---- settings ----

  getSetting(key: string): string | null {
    return (this.stmts.getSetting.get(key) as string | undefined) ?? null;
  }

  setSetting(key: string, value: string): void {
    this.transaction(() => this.stmts.setSetting.run(key, value));
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
