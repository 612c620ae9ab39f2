// The public register's rate limits: a token bucket per client address, kept in memory only (the addresses are never
// written anywhere, and a bucket is forgotten once it is full again). A small class of our own rather than a
// dependency: it is forty lines, needs no store, and its one rule (a burst, then a steady rate) is what we test.
//
// Two budgets, so reading the register never waits for someone who hammers the try-it form:
// - PUBLIC_READ_LIMIT: register pages and GETs of /api/v1/public/… (a resident browsing, a crawler);
// - PUBLIC_EVALUATION_LIMIT: try-it evaluations, from the form and POST /api/v1/public/tables/{id}/evaluate.
// Behind a reverse proxy, `--trust-proxy` makes the client's address the one counted (express's req.ip).

export interface RateLimit {
  /** Requests allowed at once from a full bucket. */
  burst: number;
  /** Requests refilled per minute, evenly. */
  perMinute: number;
}

export const PUBLIC_READ_LIMIT: RateLimit = { burst: 120, perMinute: 120 };
export const PUBLIC_EVALUATION_LIMIT: RateLimit = { burst: 20, perMinute: 20 };

/** Addresses tracked at most; beyond, the fullest buckets (the least recently limited) are forgotten first. */
export const MAX_TRACKED_CLIENTS = 10_000;

interface Bucket {
  tokens: number;
  at: number;
}

export type Verdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly maxClients = MAX_TRACKED_CLIENTS,
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  /** Takes one token for this client, or says how long until one is back. */
  take(client: string): Verdict {
    const t = this.now();
    const b = this.buckets.get(client);
    const tokens = b ? Math.min(this.limit.burst, b.tokens + (t - b.at) * this.perMs) : this.limit.burst;
    if (tokens < 1) {
      if (b) Object.assign(b, { tokens, at: t });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
    }
    // Map order is insertion order: re-inserting keeps the most recently limited clients last.
    this.buckets.delete(client);
    this.buckets.set(client, { tokens: tokens - 1, at: t });
    if (this.buckets.size > this.maxClients) this.forgetFull(t);
    return { allowed: true };
  }

  /** How many clients are tracked (for tests and the limit on memory). */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Drops buckets that have refilled (they hold nothing a fresh bucket would not), then the oldest, down to 90% of the
   * maximum, so the scan runs once per tenth of the maximum new clients, not on every one.
   */
  private forgetFull(t: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (t - b.at) * this.perMs >= this.limit.burst) this.buckets.delete(key);
    }
    const keep = Math.floor(this.maxClients * 0.9);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= keep) break;
      this.buckets.delete(key);
    }
  }
}
