// Reading and checking the audit trail. Entries are written by Store.appendAudit (one hash chain: every entry
// carries the hash of the one before it); triggers refuse UPDATE and DELETE. Someone with raw access to the file
// can still drop the triggers: `verify` recomputes every hash and finds the first entry that no longer fits.
// What a chain cannot show is a cut-off tail (the newest entries removed): compare the head hash that verify
// reports with one kept elsewhere (a ticket, a backup log) for that.
import type { DB } from './db.ts';
import type { AuditEntry } from './records.ts';
import { auditHash, GENESIS_HASH } from './store.ts';

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  table_id: string | null;
  version: number | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

function toEntry(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    action: r.action,
    tableId: r.table_id,
    version: r.version,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface AuditQuery {
  tableId?: string;
  /** Only entries with a larger id (paging forward). */
  after?: number;
  /** Only entries with a smaller id (paging backward, with `newestFirst`). */
  before?: number;
  /** Newest first (the admin screen shows the latest entries); default oldest first. */
  newestFirst?: boolean;
  limit?: number;
}

/** Entries oldest first (or newest first), at most `limit` (default 1000). */
export function listAudit(db: DB, q: AuditQuery = {}): AuditEntry[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.tableId !== undefined) {
    where.push('table_id = ?');
    args.push(q.tableId);
  }
  if (q.after !== undefined) {
    where.push('id > ?');
    args.push(q.after);
  }
  if (q.before !== undefined) {
    where.push('id < ?');
    args.push(q.before);
  }
  const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${q.newestFirst ? 'DESC' : ''} LIMIT ?`;
  return (db.prepare(sql).all(...args, q.limit ?? 1000) as AuditRow[]).map(toEntry);
}

export interface AuditBreak {
  id: number;
  /** 'changed': the entry's content no longer gives its hash; 'unlinked': its prev_hash is not the previous entry's hash (an entry was removed or inserted). */
  kind: 'changed' | 'unlinked' | 'unreadable';
  message: string;
  entry: { at: string; actor: string; action: string; tableId: string | null; version: number | null };
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The newest entry as found (keep its hash elsewhere to detect a cut-off tail later). */
  head: { id: number; hash: string } | null;
  broken: AuditBreak | null;
}

/** Walks the whole chain in id order and reports the first entry that breaks it. */
export function verifyAudit(db: DB): AuditVerification {
  let prev = GENESIS_HASH;
  let count = 0;
  let head: AuditVerification['head'] = null;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as IterableIterator<AuditRow>) {
    count++;
    const entry = { at: r.at, actor: r.actor, action: r.action, tableId: r.table_id, version: r.version };
    const fail = (kind: AuditBreak['kind'], message: string): AuditVerification => ({ ok: false, entries: count, head, broken: { id: r.id, kind, message, entry } });
    if (r.prev_hash !== prev) {
      return fail('unlinked', `entry ${r.id} does not follow the entry before it (prev_hash ${r.prev_hash.slice(0, 12)}…, expected ${prev.slice(0, 12)}…): an entry was removed, inserted or reordered`);
    }
    let detail: Record<string, unknown>;
    try {
      detail = JSON.parse(r.detail) as Record<string, unknown>;
    } catch {
      return fail('unreadable', `entry ${r.id} has a detail that is not JSON: it was changed`);
    }
    const expected = auditHash(r.prev_hash, { ...entry, detail });
    if (expected !== r.hash) {
      return fail('changed', `entry ${r.id} (${r.action} by ${r.actor} at ${r.at}) was changed after it was written: its hash does not match its content`);
    }
    prev = r.hash;
    head = { id: r.id, hash: r.hash };
  }
  return { ok: true, entries: count, head, broken: null };
}
