// The public register's token bucket (server/register/rate-limit.ts) on a clock the test moves: a burst, then the
// steady rate, per client; and its memory bounded however many addresses call.
import { describe, expect, it } from 'vitest';
import { PUBLIC_EVALUATION_LIMIT, PUBLIC_READ_LIMIT, RateLimiter } from '../../server/register/rate-limit.ts';

describe('RateLimiter', () => {
  it('allows the burst at once, then one request per refill interval, and says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, perMinute: 6 }, () => now);
    for (let i = 0; i < 3; i++) expect(limiter.take('a').allowed).toBe(true);
    const refused = limiter.take('a');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: 10 });
    now += 9_000;
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 1_000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    // Another client has its own bucket.
    expect(limiter.take('b').allowed).toBe(true);
    // A long pause refills up to the burst, not beyond.
    now += 3_600_000;
    for (let i = 0; i < 3; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('tracks at most its maximum of clients: full buckets are forgotten first, then the oldest', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 2, perMinute: 60 }, () => now, 100);
    for (let i = 0; i < 1000; i++) {
      limiter.take(`10.0.${i >> 8}.${i & 255}`);
      now += 1;
    }
    expect(limiter.size).toBeLessThanOrEqual(100);
    // A client that just spent its burst is still remembered (it is among the newest).
    limiter.take('203.0.113.1');
    limiter.take('203.0.113.1');
    expect(limiter.take('203.0.113.1').allowed).toBe(false);
  });

  it('has named defaults: reading is more generous than trying cases', () => {
    expect(PUBLIC_READ_LIMIT.burst).toBeGreaterThan(PUBLIC_EVALUATION_LIMIT.burst);
    expect(PUBLIC_EVALUATION_LIMIT).toEqual({ burst: 20, perMinute: 20 });
  });
});
