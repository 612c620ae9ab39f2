// Login throttling and temporary lockout (issue 8). Two counters:
// - per username: `userMaxFailures` consecutive failures lock the name for `userLockMs`. For existing users the
//   state lives in the users table (it survives a restart, admins see it and can unlock); for names that do not
//   exist it is kept in memory, so a locked unknown name answers exactly like a locked real one.
// - per client address: `ipMaxFailures` failures within `ipWindowMs` block the address for `ipLockMs`, whatever
//   names it tries (password spraying). A success does not reset it.
// Attempts in flight count as failures until they are decided, so a burst of parallel guesses cannot overshoot
// the limits while scrypt is running.
import type { Store } from '../store/store.ts';
import { recordLoginFailure, recordLoginSuccess, type UserRecord } from '../store/users.ts';

export interface LoginPolicy {
  userMaxFailures: number;
  userLockMs: number;
  ipMaxFailures: number;
  ipWindowMs: number;
  ipLockMs: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  userMaxFailures: 5,
  userLockMs: 15 * 60_000,
  ipMaxFailures: 20,
  ipWindowMs: 15 * 60_000,
  ipLockMs: 15 * 60_000,
};

/** In-memory maps never grow beyond this many keys (the oldest go first). */
const MAX_KEYS = 10_000;

interface NameState {
  failures: number;
  lockedUntil: number;
}

interface IpState {
  failures: number[];
  lockedUntil: number;
}

export type LockReason = 'user' | 'ip';

/** A lock that a failed attempt started. */
export interface Lock {
  reason: LockReason;
  /** ms since the epoch */
  until: number;
}

export interface Attempt {
  username: string;
  ip: string;
  /** Call once the password has been checked. */
  done(outcome: { ok: true; user: UserRecord } | { ok: false; user: UserRecord | null }): Lock[];
}

export class LoginGuard {
  private readonly names = new Map<string, NameState>();
  private readonly ips = new Map<string, IpState>();
  private readonly inFlightNames = new Map<string, number>();
  private readonly inFlightIps = new Map<string, number>();

  constructor(
    private readonly store: Store,
    readonly policy: LoginPolicy,
  ) {}

  private nowMs(): number {
    return Date.parse(this.store.now());
  }

  private ipState(ip: string, now: number): IpState {
    let s = this.ips.get(ip);
    if (!s) {
      s = { failures: [], lockedUntil: 0 };
      remember(this.ips, ip, s);
    }
    s.failures = s.failures.filter((t) => t > now - this.policy.ipWindowMs);
    return s;
  }

  /**
   * Starts an attempt, or says until when it is refused. `user` is the stored user of that name (or null).
   * Refused attempts are not counted again (a locked name stays locked for its time, not longer).
   */
  begin(username: string, ip: string, user: UserRecord | null): Attempt | { refused: LockReason; until: number } {
    const now = this.nowMs();
    const ipState = this.ipState(ip, now);
    if (ipState.lockedUntil > now) return { refused: 'ip', until: ipState.lockedUntil };
    const ipPending = this.inFlightIps.get(ip) ?? 0;
    if (ipState.failures.length + ipPending >= this.policy.ipMaxFailures) return { refused: 'ip', until: now + this.policy.ipLockMs };

    const userLock = user ? (user.lockedUntil ? Date.parse(user.lockedUntil) : 0) : (this.names.get(username)?.lockedUntil ?? 0);
    if (userLock > now) return { refused: 'user', until: userLock };
    const nameFailures = user ? user.failedLogins : (this.names.get(username)?.failures ?? 0);
    const namePending = this.inFlightNames.get(username) ?? 0;
    if (nameFailures + namePending >= this.policy.userMaxFailures) return { refused: 'user', until: now + this.policy.userLockMs };

    bump(this.inFlightIps, ip, 1);
    bump(this.inFlightNames, username, 1);
    let finished = false;
    return {
      username,
      ip,
      done: (outcome) => {
        if (finished) throw new Error('a login attempt is decided once');
        finished = true;
        bump(this.inFlightIps, ip, -1);
        bump(this.inFlightNames, username, -1);
        return outcome.ok ? this.success(outcome.user) : this.failure(username, ip, outcome.user);
      },
    };
  }

  private success(user: UserRecord): Lock[] {
    recordLoginSuccess(this.store, user.id);
    return [];
  }

  private failure(username: string, ip: string, user: UserRecord | null): Lock[] {
    const now = this.nowMs();
    const locks: Lock[] = [];
    if (user) {
      const r = recordLoginFailure(this.store, user.id, this.policy.userMaxFailures, new Date(now + this.policy.userLockMs).toISOString());
      if (r.lockedNow) locks.push({ reason: 'user', until: now + this.policy.userLockMs });
    } else {
      const s = this.names.get(username) ?? { failures: 0, lockedUntil: 0 };
      s.failures++;
      if (s.failures >= this.policy.userMaxFailures) {
        s.failures = 0;
        s.lockedUntil = now + this.policy.userLockMs;
        locks.push({ reason: 'user', until: s.lockedUntil });
      }
      remember(this.names, username, s);
    }
    const ipState = this.ipState(ip, now);
    ipState.failures.push(now);
    if (ipState.failures.length >= this.policy.ipMaxFailures) {
      ipState.failures = [];
      ipState.lockedUntil = now + this.policy.ipLockMs;
      locks.push({ reason: 'ip', until: ipState.lockedUntil });
    }
    return locks;
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const n = (map.get(key) ?? 0) + by;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > MAX_KEYS) map.delete(map.keys().next().value as string);
}
