// The audit trail: one chain of entries, each carrying the hash of the one before it; triggers refuse UPDATE and
// DELETE. A chain alone does not stop someone who can write the database file: they drop the triggers, rewrite an
// entry and recompute every hash after it. So entries are keyed: from the entry `audit.keyed` on, an entry's hash is
// an HMAC-SHA256 with a key kept outside the database (BESLIS_AUDIT_KEY, or a key file beside the database, created
// on first start with mode 0600). Without the key nobody can compute a hash that verifies.
//
// Databases from before keying: their entries keep their plain sha-256 hashes and are verified as a chain up to the
// `audit.keyed` entry that started keying (written when such a database is first opened for writing). Since that
// entry's HMAC covers the hash before it, a later rewrite of the old entries is found too; what the old entries
// cannot show is a rewrite made before keying began.
//
// What no chain shows is a cut-off tail (the newest entries removed): compare the head hash that verify reports
// with one kept elsewhere (a ticket, a backup log) for that.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { canonicalJson, sha256 } from './canonical.ts';
import type { Sql } from './sql.ts';
import type { AuditEntry } from './records.ts';

export const GENESIS_HASH = '0'.repeat(64);
/** The entry from which on hashes are keyed (detail: keyId, the key's source, previousKeyId when the key changed). */
export const KEYED_ACTION = 'audit.keyed';
export const AUDIT_KEY_ENV = 'BESLIS_AUDIT_KEY';
const KEY_MIN_CHARS = 32;

export interface AuditKey {
  key: Buffer;
  /** A fingerprint of the key (not the key): tells "another key" from "a changed entry". */
  id: string;
  source: 'env' | 'file' | 'memory';
  file?: string;
}

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

type EntryContent = Omit<AuditEntry, 'id' | 'hash' | 'prevHash'>;

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

function content(e: EntryContent): string {
  return canonicalJson({ at: e.at, actor: e.actor, action: e.action, tableId: e.tableId, version: e.version, detail: e.detail });
}

/** The unkeyed hash (entries written before keying began): sha-256 over the previous hash and the canonical entry. */
export function auditHash(prevHash: string, e: EntryContent): string {
  return sha256(prevHash + content(e));
}

/** The keyed hash: HMAC-SHA256 with the audit key over the previous hash and the canonical entry. */
export function keyedAuditHash(key: AuditKey, prevHash: string, e: EntryContent): string {
  return createHmac('sha256', key.key).update(prevHash + content(e), 'utf8').digest('hex');
}

function keyFrom(bytes: Buffer, source: AuditKey['source'], file?: string): AuditKey {
  const id = createHmac('sha256', bytes).update('beslis audit key id', 'utf8').digest('hex').slice(0, 16);
  return { key: bytes, id, source, ...(file ? { file } : {}) };
}

/** The key file of a database: `<database file>.audit-key`. */
export function auditKeyFile(dbFile: string): string {
  return `${dbFile}.audit-key`;
}

function parseKeyText(text: string, where: string): Buffer {
  const t = text.trim();
  if (t.length < KEY_MIN_CHARS) throw new Error(`the audit key in ${where} must have at least ${KEY_MIN_CHARS} characters (e.g. openssl rand -hex 32)`);
  return /^[0-9a-f]+$/i.test(t) && t.length % 2 === 0 ? Buffer.from(t, 'hex') : Buffer.from(t, 'utf8');
}

/** The key in BESLIS_AUDIT_KEY, or null when it is not set. */
export function auditKeyFromEnv(env: NodeJS.ProcessEnv = process.env): AuditKey | null {
  const fromEnv = env[AUDIT_KEY_ENV];
  return fromEnv !== undefined && fromEnv !== '' ? keyFrom(parseKeyText(fromEnv, AUDIT_KEY_ENV), 'env') : null;
}

/**
 * The key of a PostgreSQL database: BESLIS_AUDIT_KEY, the same on every node. A URL has no folder beside it for a
 * key file, and a key kept in the database itself would be no key at all. Null for a read-only store without one.
 */
export function postgresAuditKey(required: boolean, env: NodeJS.ProcessEnv = process.env): AuditKey | null {
  const key = auditKeyFromEnv(env);
  if (!key && required) {
    throw Object.assign(
      new Error(
        `a PostgreSQL database needs its audit key in ${AUDIT_KEY_ENV} (at least ${KEY_MIN_CHARS} characters, e.g. openssl rand -hex 32; the same on every node): a SQLite database keeps its key in a file beside it, and there is no file beside a URL`,
      ),
      { code: 'AUDIT_KEY_MISSING' },
    );
  }
  return key;
}

/**
 * The key for a database: BESLIS_AUDIT_KEY when set, else the key file beside the database (created with mode
 * 0600 when `create` and it does not exist yet), a random one for an in-memory database, or null (no key to be found).
 */
export function resolveAuditKey(dbFile: string, create: boolean, env: NodeJS.ProcessEnv = process.env): AuditKey | null {
  const fromEnv = auditKeyFromEnv(env);
  if (fromEnv) return fromEnv;
  if (dbFile === ':memory:' || dbFile === '') return keyFrom(randomBytes(32), 'memory');
  const file = auditKeyFile(dbFile);
  if (!existsSync(file)) {
    if (!create) return null;
    try {
      // 'wx': of two processes starting at once, one creates the file and the other reads it.
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  if ((statSync(file).mode & 0o077) !== 0 && process.platform !== 'win32') {
    console.error(`beslis: the audit key ${file} can be read by others than its owner; chmod 600 it`);
  }
  return keyFrom(parseKeyText(readFileSync(file, 'utf8'), file), 'file', file);
}

export interface AuditQuery {
  tableId?: string;
  /** Only entries with a larger id (paging forward). */
  after?: number;
  /** Only entries with a smaller id (paging backward, with `newestFirst`). */
  before?: number;
  /** Newest first (the admin screen shows the latest entries); default oldest first. */
  newestFirst?: boolean;
  /** Only these actions. */
  actions?: readonly string[];
  limit?: number;
}

/** Entries oldest first (or newest first), at most `limit` (default 1000; -1: all). */
export async function listAudit(sql: Sql, q: AuditQuery = {}): Promise<AuditEntry[]> {
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
  if (q.actions !== undefined) {
    where.push(`action IN (${q.actions.map(() => '?').join(', ') || 'NULL'})`);
    args.push(...q.actions);
  }
  // No limit (-1) is no LIMIT clause: the store's callers want the whole chain, the API pages.
  const limit = q.limit ?? 1000;
  const text = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id ${q.newestFirst ? 'DESC' : ''}${limit < 0 ? '' : ' LIMIT ?'}`;
  return (await sql.all<AuditRow>(text, ...args, ...(limit < 0 ? [] : [limit]))).map(toEntry);
}

export interface NewAuditEntry {
  actor: string;
  action: string;
  tableId: string | null;
  version: number | null;
  detail: Record<string, unknown>;
}

/** Writes the chain (one per Store). Call `append` inside the transaction of the change it records. */
export class AuditWriter {
  private keyedWith: string | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly key: AuditKey | null,
    private readonly now: () => string,
  ) {}

  /**
   * Makes sure the chain is keyed with this key: when no `audit.keyed` entry exists yet (a new database, or one
   * from before keying), or the newest names another key (the key was replaced), one is written.
   */
  async ensureKeyed(): Promise<void> {
    if (!this.key || this.keyedWith === this.key.id) return;
    const key = this.key;
    await this.sql.transaction(async () => {
      const detail = await this.sql.value<string>(`SELECT detail FROM audit_log WHERE action = '${KEYED_ACTION}' ORDER BY id DESC LIMIT 1`);
      const previous = detail === undefined ? null : ((JSON.parse(detail) as { keyId?: string }).keyId ?? null);
      if (previous !== key.id) {
        const entries = Number(await this.sql.value<number>('SELECT COUNT(*) FROM audit_log'));
        await this.write({
          actor: 'system',
          action: KEYED_ACTION,
          tableId: null,
          version: null,
          detail: { scheme: 'hmac-sha256', keyId: key.id, keySource: key.source, entriesBefore: entries, ...(previous ? { previousKeyId: previous } : {}) },
        });
      }
    });
    this.keyedWith = key.id;
  }

  async append(e: NewAuditEntry): Promise<void> {
    if (!this.key) throw new Error('this database was opened read-only: the audit trail cannot be written');
    if (!this.sql.inTransaction()) throw new Error('an audit entry is written inside the transaction of the change it records');
    if (this.keyedWith !== this.key.id) await this.ensureKeyed();
    await this.write(e);
  }

  private async write(e: NewAuditEntry): Promise<void> {
    const prevHash = (await this.sql.value<string>('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1')) ?? GENESIS_HASH;
    const entry = { at: this.now(), actor: e.actor, action: e.action, tableId: e.tableId, version: e.version, detail: e.detail };
    const hash = keyedAuditHash(this.key!, prevHash, entry);
    await this.sql.run(
      'INSERT INTO audit_log (at, actor, action, table_id, version, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      entry.at,
      entry.actor,
      entry.action,
      entry.tableId,
      entry.version,
      JSON.stringify(e.detail),
      prevHash,
      hash,
    );
  }
}

export interface AuditBreak {
  id: number;
  /**
   * 'changed': the entry's content no longer gives its hash; 'unlinked': its prev_hash is not the previous entry's
   * hash (an entry was removed or inserted); 'unreadable': its detail is not JSON; 'key': the key is missing or
   * another than the one the newest entries were written with; 'unkeyed': no entry is keyed although a key exists.
   */
  kind: 'changed' | 'unlinked' | 'unreadable' | 'key' | 'unkeyed';
  message: string;
  entry: { at: string; actor: string; action: string; tableId: string | null; version: number | null };
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The newest entry as found (keep its hash elsewhere to detect a cut-off tail later). */
  head: { id: number; hash: string } | null;
  broken: AuditBreak | null;
  /** Where keying began (the newest `audit.keyed` entry) and with which key; null when the chain is not keyed. */
  keyed: { since: number; keyId: string } | null;
  /** Entries written before keying: checked as a plain sha-256 chain. */
  unkeyedEntries: number;
  /** Entries keyed with an earlier key (it was replaced): only their links are checked, not their content. */
  earlierKeyEntries: number;
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Walks the whole chain in id order and reports the first entry that breaks it. */
export async function verifyAudit(sql: Sql, key: AuditKey | null): Promise<AuditVerification> {
  let prev = GENESIS_HASH;
  let count = 0;
  let head: AuditVerification['head'] = null;
  let segmentKey: string | null = null;
  let keyed: AuditVerification['keyed'] = null;
  let unkeyedEntries = 0;
  let earlierKeyEntries = 0;
  let last: AuditBreak['entry'] | null = null;
  const result = (broken: AuditBreak | null): AuditVerification => ({ ok: broken === null, entries: count, head, broken, keyed, unkeyedEntries, earlierKeyEntries });
  // Read in pages by id: the whole chain need not fit in memory at once.
  const rows = async function* (): AsyncGenerator<AuditRow> {
    let after = 0;
    for (;;) {
      const page = await sql.all<AuditRow>('SELECT * FROM audit_log WHERE id > ? ORDER BY id LIMIT 1000', after);
      yield* page;
      if (page.length < 1000) return;
      after = page[page.length - 1]!.id;
    }
  };
  for await (const r of rows()) {
    count++;
    const entry = { at: r.at, actor: r.actor, action: r.action, tableId: r.table_id, version: r.version };
    const fail = (kind: AuditBreak['kind'], message: string) => result({ id: r.id, kind, message, entry });
    if (r.prev_hash !== prev) {
      return fail('unlinked', `entry ${r.id} does not follow the entry before it (prev_hash ${r.prev_hash.slice(0, 12)}…, expected ${prev.slice(0, 12)}…): an entry was removed, inserted or reordered`);
    }
    let detail: Record<string, unknown>;
    try {
      detail = JSON.parse(r.detail) as Record<string, unknown>;
    } catch {
      return fail('unreadable', `entry ${r.id} has a detail that is not JSON: it was changed`);
    }
    if (r.action === KEYED_ACTION) {
      segmentKey = typeof detail.keyId === 'string' ? detail.keyId : '?';
      keyed = { since: r.id, keyId: segmentKey };
    }
    const full = { ...entry, detail };
    if (segmentKey === null) {
      unkeyedEntries++;
      if (!sameHex(auditHash(r.prev_hash, full), r.hash)) {
        return fail('changed', `entry ${r.id} (${r.action} by ${r.actor} at ${r.at}) was changed after it was written: its hash does not match its content`);
      }
    } else if (key && segmentKey === key.id) {
      if (!sameHex(keyedAuditHash(key, r.prev_hash, full), r.hash)) {
        return fail('changed', `entry ${r.id} (${r.action} by ${r.actor} at ${r.at}) was changed after it was written: its keyed hash does not match its content (rewriting and re-hashing needs the audit key)`);
      }
    } else {
      earlierKeyEntries++;
    }
    prev = r.hash;
    head = { id: r.id, hash: r.hash };
    last = entry;
  }
  if (count > 0 && head && last) {
    if (keyed === null && key) {
      return result({ id: head.id, kind: 'unkeyed', message: `no entry of the audit trail is keyed although the database has an audit key (${key.source}): the keyed entries were removed and the chain re-hashed`, entry: last });
    }
    if (keyed !== null && !key) {
      return result({ id: keyed.since, kind: 'key', message: `the audit trail is keyed from entry ${keyed.since} on, but no audit key was found (set ${AUDIT_KEY_ENV} or put the key file beside the database)`, entry: last });
    }
    if (keyed !== null && key && keyed.keyId !== key.id) {
      return result({ id: keyed.since, kind: 'key', message: `the entries from ${keyed.since} on were keyed with another audit key (id ${keyed.keyId}) than this one (id ${key.id}): wrong ${AUDIT_KEY_ENV} or key file?`, entry: last });
    }
  }
  return result(null);
}
