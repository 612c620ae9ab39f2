// Login sessions (docs/contracts.md). The cookie carries a random 256-bit id; the database keeps only its sha-256, so a
// copy of the database does not let anyone in. A session ends when it has been idle too long (`expires_at`
// slides forward on use) or when its absolute lifetime since login is over, whichever comes first.
import { createHash, randomBytes } from 'node:crypto';
import type { Store } from './store.ts';
import { getUserById, type UserRecord } from './users.ts';

export interface SessionPolicy {
  /** Idle timeout in milliseconds. */
  idleMs: number;
  /** Absolute lifetime since login in milliseconds. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 2 * 3600_000, absoluteMs: 12 * 3600_000 };

export interface Session {
  idHash: string;
  user: UserRecord;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export function sessionHash(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The end of a session that is used at `nowMs`: idle timeout from now, but never beyond the absolute lifetime. */
function nextExpiry(createdAt: string, nowMs: number, policy: SessionPolicy): number {
  return Math.min(nowMs + policy.idleMs, Date.parse(createdAt) + policy.absoluteMs);
}

/** Starts a session; returns the cookie value (shown to nobody else, stored only hashed) and the CSRF token. */
export async function createSession(store: Store, userId: number, policy: SessionPolicy): Promise<{ id: string; session: Session }> {
  const id = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const createdAt = store.now();
  const expiresAt = iso(nextExpiry(createdAt, Date.parse(createdAt), policy));
  const idHash = sessionHash(id);
  await store.transaction(async () => {
    // Ended sessions are cleared on the way; they no longer let anyone in anyway.
    await store.run('DELETE FROM sessions WHERE expires_at <= ?', createdAt);
    await store.run('INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', idHash, userId, csrfToken, createdAt, expiresAt);
  });
  return { id, session: { idHash, user: (await getUserById(store, userId))!, csrfToken, createdAt, expiresAt } };
}

/**
 * The live session for a cookie value, with its user as they are now (roles changed by an admin apply at once);
 * null when unknown, expired, or the user is disabled. Using a session moves its idle expiry forward (written at
 * most once a minute, so a busy editor does not write on every request).
 */
export async function findSession(store: Store, id: string, policy: SessionPolicy): Promise<Session | null> {
  const idHash = sessionHash(id);
  const row = (await store.get('SELECT user_id, csrf_token, created_at, expires_at FROM sessions WHERE id_hash = ?', idHash)) as
    | { user_id: number; csrf_token: string; created_at: string; expires_at: string }
    | undefined;
  if (!row) return null;
  const nowMs = Date.parse(store.now());
  const absoluteEnd = Date.parse(row.created_at) + policy.absoluteMs;
  if (Date.parse(row.expires_at) <= nowMs || absoluteEnd <= nowMs) {
    await store.run('DELETE FROM sessions WHERE id_hash = ?', idHash);
    return null;
  }
  const user = await getUserById(store, row.user_id);
  if (!user || user.disabled) return null;
  let expiresAt = row.expires_at;
  const next = nextExpiry(row.created_at, nowMs, policy);
  if (next - Date.parse(row.expires_at) >= 60_000) {
    expiresAt = iso(next);
    await store.run('UPDATE sessions SET expires_at = ? WHERE id_hash = ?', expiresAt, idHash);
  }
  return { idHash, user, csrfToken: row.csrf_token, createdAt: row.created_at, expiresAt };
}

export async function deleteSession(store: Store, idHash: string): Promise<boolean> {
  return (await store.run('DELETE FROM sessions WHERE id_hash = ?', idHash)).changes > 0;
}
