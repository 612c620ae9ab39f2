// Login throttling and temporary lockout (issues 8 and 16). Two counters:
// - per username: `userMaxFailures` consecutive failures lock the name for `userLockMs`. The count lives in the
//   database (server/store/login-throttle.ts), so all workers and instances on the database share it: five guesses
//   in all, not five per process. For existing users it is on the user (admins see it and can unlock); names that do
//   not exist are counted alike, so a locked unknown name answers exactly like a locked real one.
// - per client address: `ipMaxFailures` failures within `ipWindowMs` block the address for `ipLockMs`, whatever
//   names it tries (password spraying). A success does not reset it. Kept in memory per process.
// Attempts in flight count as failures until they are decided, so a burst of parallel guesses cannot overshoot
// the limits while scrypt is running.
import { finishLoginAttempt, reserveLoginAttempt } from '../store/login-throttle.ts';
import type { Store } from '../store/store.ts';
import type { UserRecord } from '../store/users.ts';

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
  done(outcome: { ok: true; user: UserRecord } | { ok: false; user: UserRecord | null }): Promise<Lock[]>;
}

export class LoginGuard {
  private readonly ips = new Map<string, IpState>();
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
  async begin(username: string, ip: string, user: UserRecord | null): Promise<Attempt | { refused: LockReason; until: number }> {
    const now = this.nowMs();
    const ipState = this.ipState(ip, now);
    if (ipState.lockedUntil > now) return { refused: 'ip', until: ipState.lockedUntil };
    const ipPending = this.inFlightIps.get(ip) ?? 0;
    if (ipState.failures.length + ipPending >= this.policy.ipMaxFailures) return { refused: 'ip', until: now + this.policy.ipLockMs };

    const userId = user?.id ?? null;
    const r = await reserveLoginAttempt(this.store, username, userId, this.limits(), now);
    if ('refusedUntil' in r) return { refused: 'user', until: r.refusedUntil };

    bump(this.inFlightIps, ip, 1);
    let finished = false;
    return {
      username,
      ip,
      done: async (outcome) => {
        if (finished) throw new Error('a login attempt is decided once');
        finished = true;
        bump(this.inFlightIps, ip, -1);
        const { lockedNow } = await finishLoginAttempt(this.store, r.reserved, username, userId, outcome.ok, this.limits(), this.nowMs());
        if (outcome.ok) return [];
        return this.failure(ip, lockedNow);
      },
    };
  }

  private limits() {
    return { maxFailures: this.policy.userMaxFailures, lockMs: this.policy.userLockMs };
  }

  private failure(ip: string, nameLocked: boolean): Lock[] {
    const now = this.nowMs();
    const locks: Lock[] = [];
    if (nameLocked) locks.push({ reason: 'user', until: now + this.policy.userLockMs });
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
