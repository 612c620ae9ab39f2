// The catalogue of published versions (docs/architecture.md, "One store, two databases"): the tables, their
// versions and archive marks, read synchronously by the evaluate hot path. SQLite reads it from the file when asked
// (./catalogue-sqlite.ts); PostgreSQL keeps a mirror in memory, refreshed by notifications (./catalogue-postgres.ts).
import type { ArchiveRecord, VersionMeta, VersionRecord } from './records.ts';

export interface Catalogue {
  isEmpty(): boolean;
  tableExists(id: string): boolean;
  tableIds(): string[];
  /** Versions of a table in ascending order (empty for an unknown table). */
  listVersions(tableId: string): VersionMeta[];
  getVersion(tableId: string, version: number): VersionRecord | null;
  /** Archive marks, oldest first. */
  listArchives(tableId: string): ArchiveRecord[];
  /** Runs a write transaction of the Store (`run` begins and commits it) and brings the catalogue up to date after. */
  transaction<T>(run: () => Promise<T>): Promise<T>;
  /** A write inside the calling transaction changed this table's row, versions or archive marks. */
  changed(tableId: string): Promise<void>;
  /** See Store.externalChanges. */
  externalChanges(): number;
  /** Called with a table id whenever its versions or archives change. */
  onChange(listener: (tableId: string) => void): () => void;
  close(): Promise<void>;
}

export interface VersionRow {
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

export const VERSION_META_COLUMNS = 'table_id, version, valid_from, published_at, author, approved_by, note, hash, imported_by';

export function versionMeta(r: VersionRow): VersionMeta {
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

export interface ArchiveRow {
  id: number;
  table_id: string;
  valid_from: string;
  published_at: string;
  requested_by: string;
  approved_by: string;
  note: string;
}

export const ARCHIVE_COLUMNS = 'id, table_id, valid_from, published_at, requested_by, approved_by, note';

export function archiveRecord(r: ArchiveRow): ArchiveRecord {
  return { id: r.id, tableId: r.table_id, validFrom: r.valid_from, publishedAt: r.published_at, requestedBy: r.requested_by, approvedBy: r.approved_by, note: r.note };
}
