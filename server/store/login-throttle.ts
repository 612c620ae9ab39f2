// The per-name login throttle, in the database so that every worker of `beslis serve --workers N` (and every
// instance on the one database) counts the same guesses: five wrong passwords lock a name, not five per process.
// A login attempt first reserves a place (a row in login_attempts) inside a write transaction that counts the
// name's failures plus the attempts still being checked; the password is then checked (scrypt, outside any
// transaction) and the attempt finished: the reservation goes, a failure is counted or the count cleared.
// Failures of existing users are kept on the user (admins see them and can unlock); failures of names that do not
// exist in login_name_failures, so a locked unknown name answers exactly like a locked real one.
import type { Store } from './store.ts';

/** A reservation older than this belongs to a process that died while checking a password: it no longer counts. */
const STALE_ATTEMPT_MS = 60_000;

export interface NameLimits {
  maxFailures: number;
  lockMs: number;
}

export type Reservation = { reserved: number } | { refusedUntil: number };

const iso = (ms: number) => new Date(ms).toISOString();

async function nameState(store: Store, username: string, userId: number | null): Promise<{ failures: number; lockedUntil: number }> {
  const row = (
    userId !== null
      ? (await store.get('SELECT failed_logins AS failures, locked_until FROM users WHERE id = ?', userId))
      : (await store.get('SELECT failures, locked_until FROM login_name_failures WHERE username = ?', username))
  ) as { failures: number; locked_until: string | null } | undefined;
  return { failures: row?.failures ?? 0, lockedUntil: row?.locked_until ? Date.parse(row.locked_until) : 0 };
}

/** Reserves an attempt for `username`, or says until when the name is locked. */
export async function reserveLoginAttempt(store: Store, username: string, userId: number | null, limits: NameLimits, nowMs: number): Promise<Reservation> {
  return store.transaction(async (): Promise<Reservation> => {
    await store.run('DELETE FROM login_attempts WHERE started_at < ?', iso(nowMs - STALE_ATTEMPT_MS));
    const state = await nameState(store, username, userId);
    if (state.lockedUntil > nowMs) return { refusedUntil: state.lockedUntil };
    const pending = Number(await store.value<number>('SELECT COUNT(*) FROM login_attempts WHERE username = ?', username));
    if (state.failures + pending >= limits.maxFailures) return { refusedUntil: nowMs + limits.lockMs };
    const id = await store.insert('INSERT INTO login_attempts (username, started_at) VALUES (?, ?)', username, iso(nowMs));
    return { reserved: Number(id) };
  });
}

/**
 * Ends a reserved attempt. A failure counts against the name (at `maxFailures` the name is locked for `lockMs`: the
 * returned `lockedNow`); a success clears the count.
 */
export async function finishLoginAttempt(store: Store, reservation: number, username: string, userId: number | null, ok: boolean, limits: NameLimits, nowMs: number): Promise<{ lockedNow: boolean }> {
  return store.transaction(async () => {
    await store.run('DELETE FROM login_attempts WHERE id = ?', reservation);
    if (ok) {
      if (userId !== null) (await store.run('UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ? AND (failed_logins <> 0 OR locked_until IS NOT NULL)', userId));
      else (await store.run('DELETE FROM login_name_failures WHERE username = ?', username));
      return { lockedNow: false };
    }
    const failures = (await nameState(store, username, userId)).failures + 1;
    const lock = failures >= limits.maxFailures;
    const lockedUntil = lock ? iso(nowMs + limits.lockMs) : null;
    const count = lock ? 0 : failures;
    if (userId !== null) {
      await store.run('UPDATE users SET failed_logins = ?, locked_until = COALESCE(?, locked_until) WHERE id = ?', count, lockedUntil, userId);
    } else {
      await store.run(
          `INSERT INTO login_name_failures (username, failures, locked_until, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (username) DO UPDATE SET failures = excluded.failures, locked_until = COALESCE(excluded.locked_until, login_name_failures.locked_until), updated_at = excluded.updated_at`, username, count, lockedUntil, iso(nowMs));
      // Names nobody has tried for a day are forgotten: the table cannot grow without end.
      await store.run('DELETE FROM login_name_failures WHERE updated_at < ? AND (locked_until IS NULL OR locked_until < ?)', iso(nowMs - 86_400_000), iso(nowMs));
    }
    return { lockedNow: lock };
  });
}
