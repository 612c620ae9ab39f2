// Users: enough for the first administrator (DESIGN §6). The access-control work adds the rest on this table.
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Store } from './store.ts';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

/** scrypt (memory-hard: 16 MiB with these parameters), stored as `scrypt$N$r$p$salt$hash` in base64. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFC'), salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPassword(password: string, stored: string): boolean {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function userCount(store: Store): number {
  return store.db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number;
}

/**
 * On first start (no users) creates `admin` with every role, with `password` or a random one.
 * Returns the generated password (to print once), '' when the given one was used, or null when users exist.
 */
export function ensureFirstAdmin(store: Store, password?: string): string | null {
  if (userCount(store) > 0) return null;
  const generated = password ? '' : randomBytes(12).toString('base64url');
  const pw = password || generated;
  const hash = hashPassword(pw);
  store.transaction(() => {
    if (userCount(store) > 0) return;
    store.db
      .prepare('INSERT INTO users (username, password_hash, roles, created_at) VALUES (?, ?, ?, ?)')
      .run('admin', hash, JSON.stringify(['viewer', 'editor', 'approver', 'tester', 'admin']), store.now());
    store.appendAudit({ actor: 'system', action: 'user.created', tableId: null, version: null, detail: { username: 'admin', roles: ['admin'], firstStart: true } });
  });
  return generated;
}
