// Users and their roles (docs/contracts.md): scrypt password hashes, the first administrator, who set up each account
// (four-eyes looks at it), temporary passwords. Failed logins are counted by ./login-throttle.ts.
// Every change is written to the audit trail in the same transaction.
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Problem } from '../engine/types.ts';
import { StoreError } from './errors.ts';
import type { Store } from './store.ts';

export type Role = 'viewer' | 'editor' | 'approver' | 'tester' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'editor', 'approver', 'tester', 'admin'];

/** Lowercase, so 'Ans' and 'ans' can never be two people for the four-eyes check. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** Names the system itself writes as an actor. */
export const RESERVED_USERNAMES: readonly string[] = ['anonymous', 'system', 'import', 'cli'];
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;
const MAXMEM = 64 * 1024 * 1024;

/** scrypt (memory-hard: 16 MiB with these parameters), stored as `scrypt$N$r$p$salt$hash` in base64. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password.normalize('NFC'), salt, KEYLEN, { N, r: R, p: P, maxmem: MAXMEM });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function parseHash(stored: string): { salt: Buffer; expected: Buffer; opts: ScryptOptions } | null {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return null;
  const opts = { N: Number(n), r: Number(r), p: Number(p), maxmem: MAXMEM };
  if (![opts.N, opts.r, opts.p].every((x) => Number.isInteger(x) && x > 0)) return null;
  return { salt: Buffer.from(salt, 'base64'), expected: Buffer.from(hash, 'base64'), opts };
}

/** Constant-time comparison of the derived key with the stored one. */
export function verifyPassword(password: string, stored: string): boolean {
  const h = parseHash(stored);
  if (!h) return false;
  const actual = scryptSync(password.normalize('NFC'), h.salt, h.expected.length, h.opts);
  return actual.length === h.expected.length && timingSafeEqual(actual, h.expected);
}

/** The same, off the event loop (libuv's thread pool): the login route uses this. */
export function verifyPasswordAsync(password: string, stored: string): Promise<boolean> {
  const h = parseHash(stored);
  if (!h) return Promise.resolve(false);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), h.salt, h.expected.length, h.opts, (err, actual) => {
      if (err) reject(err);
      else resolve(actual.length === h.expected.length && timingSafeEqual(actual, h.expected));
    });
  });
}

let dummy: string | null = null;
/** A hash of a random password: unknown usernames are checked against it, so they take as long as known ones. */
export function dummyHash(): string {
  dummy ??= hashPassword(randomBytes(16).toString('base64'));
  return dummy;
}

export interface UserRecord {
  id: number;
  username: string;
  roles: Role[];
  createdAt: string;
  disabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  /**
   * Who created the account, who last set a password for it and who last set its roles (four-eyes looks at them).
   * The user's own password changes keep `passwordSetBy`: whoever set the password they replaced could as well
   * have made that change, so the account stays in that person's reach until someone else sets a new password.
   */
  createdBy: string | null;
  passwordSetBy: string | null;
  rolesSetBy: string | null;
  /** The password was set by someone else: the user must choose their own before anything else. */
  mustChangePassword: boolean;
}

interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  roles: string;
  created_at: string;
  disabled: number;
  failed_logins: number;
  locked_until: string | null;
  created_by: string | null;
  password_set_by: string | null;
  roles_set_by: string | null;
  must_change_password: number;
}

function toRecord(r: UserRow): UserRecord {
  return {
    id: r.id,
    username: r.username,
    roles: JSON.parse(r.roles) as Role[],
    createdAt: r.created_at,
    disabled: r.disabled !== 0,
    failedLogins: r.failed_logins,
    lockedUntil: r.locked_until,
    createdBy: r.created_by,
    passwordSetBy: r.password_set_by,
    rolesSetBy: r.roles_set_by,
    mustChangePassword: r.must_change_password !== 0,
  };
}

export function usernameProblems(username: string): Problem[] {
  if (!USERNAME_PATTERN.test(username)) {
    return [{ path: '/username', message: 'must be 1 to 64 characters: lowercase letters, digits, and . _ - (not first)', code: 'USERNAME_FORMAT', params: { limit: 64 } }];
  }
  if (RESERVED_USERNAMES.includes(username)) return [{ path: '/username', message: `'${username}' is reserved`, code: 'RESERVED', params: { name: username } }];
  return [];
}

export function passwordProblems(password: string): Problem[] {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return [{ path: '/password', message: `must have at least ${PASSWORD_MIN} characters`, code: 'TOO_SHORT', params: { limit: PASSWORD_MIN } }];
  if (length > PASSWORD_MAX) return [{ path: '/password', message: `must have at most ${PASSWORD_MAX} characters`, code: 'TOO_LONG', params: { limit: PASSWORD_MAX } }];
  return [];
}

export function rolesProblems(roles: readonly string[]): Problem[] {
  if (roles.length === 0) return [{ path: '/roles', message: `must name at least one role of ${ROLES.join(', ')}`, code: 'ROLES_NONE' }];
  const bad = roles.findIndex((r) => !(ROLES as readonly string[]).includes(r));
  if (bad >= 0) return [{ path: `/roles/${bad}`, message: `must be one of ${ROLES.join(', ')}`, code: 'ONE_OF', params: { choices: ROLES.join(', ') } }];
  return [];
}

function invalid(problems: Problem[]): never {
  throw new StoreError('INVALID_USER', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
}

/** Roles in their canonical order, without duplicates. */
function normaliseRoles(roles: readonly string[]): Role[] {
  return ROLES.filter((r) => roles.includes(r));
}

export async function userCount(store: Store): Promise<number> {
  return Number(await store.value<number>('SELECT COUNT(*) FROM users'));
}

export async function listUsers(store: Store): Promise<UserRecord[]> {
  return (await store.all<UserRow>('SELECT * FROM users ORDER BY username')).map(toRecord);
}

export async function getUser(store: Store, username: string): Promise<UserRecord | null> {
  const row = await store.get<UserRow>('SELECT * FROM users WHERE username = ?', username);
  return row ? toRecord(row) : null;
}

export async function getUserById(store: Store, id: number): Promise<UserRecord | null> {
  const row = await store.get<UserRow>('SELECT * FROM users WHERE id = ?', id);
  return row ? toRecord(row) : null;
}

/** The stored password hash (for the login check only). */
export async function passwordHashOf(store: Store, username: string): Promise<string | null> {
  return (await store.value<string>('SELECT password_hash FROM users WHERE username = ?', username)) ?? null;
}

async function requireUser(store: Store, username: string): Promise<UserRecord> {
  const u = await getUser(store, username);
  if (!u) throw new StoreError('USER_NOT_FOUND', `there is no user '${username}'`);
  return u;
}

/** Enabled users with the role admin, other than `except`. */
async function otherAdmins(store: Store, except: string): Promise<number> {
  return (await listUsers(store)).filter((u) => u.username !== except && !u.disabled && u.roles.includes('admin')).length;
}

export interface NewUser {
  username: string;
  password: string;
  roles: readonly string[];
}

/**
 * Creates a user. The password was chosen by `actor`, not by the user: it is temporary (the user must replace it at
 * the first login) unless `temporaryPassword` is false (the first admin, tests that set up users).
 */
export async function createUser(store: Store, u: NewUser, actor: string, opts: { temporaryPassword?: boolean } = {}): Promise<UserRecord> {
  const problems = [...usernameProblems(u.username), ...passwordProblems(u.password), ...rolesProblems(u.roles)];
  if (problems.length > 0) invalid(problems);
  const roles = normaliseRoles(u.roles);
  const hash = hashPassword(u.password);
  const temporary = opts.temporaryPassword ?? true;
  await store.transaction(async () => {
    if (await getUser(store, u.username)) throw new StoreError('USER_EXISTS', `a user '${u.username}' already exists`);
    await store.run(
        `INSERT INTO users (username, password_hash, roles, created_at, created_by, password_set_by, roles_set_by, must_change_password)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.username, hash, JSON.stringify(roles), store.now(), actor, actor, actor, temporary ? 1 : 0);
    await store.appendAudit({ actor, action: 'user.created', tableId: null, version: null, detail: { username: u.username, roles, ...(temporary ? { temporaryPassword: true } : {}) } });
  });
  return (await getUser(store, u.username))!;
}

export interface UserChange {
  password?: string;
  roles?: readonly string[];
  disabled?: boolean;
  /** Clears a lockout after failed logins. */
  unlock?: boolean;
}

/**
 * Changes a user. A new password, or disabling, ends the user's sessions (except `keepSessionHash`, the session
 * of someone changing their own password). A password set by anyone but the user is temporary: the user must
 * choose their own at the next login (four-eyes: whoever set it no longer knows it then). Removing the role admin from, or disabling, the last enabled admin is
 * refused (LAST_ADMIN): nobody could manage users any more.
 */
export async function updateUser(store: Store, username: string, change: UserChange, actor: string, keepSessionHash?: string): Promise<UserRecord> {
  const problems = [...(change.password !== undefined ? passwordProblems(change.password) : []), ...(change.roles !== undefined ? rolesProblems(change.roles) : [])];
  if (problems.length > 0) invalid(problems);
  const hash = change.password !== undefined ? hashPassword(change.password) : null;
  await store.transaction(async () => {
    const before = await requireUser(store, username);
    const roles = change.roles !== undefined ? normaliseRoles(change.roles) : before.roles;
    const disabled = change.disabled ?? before.disabled;
    const staysAdmin = roles.includes('admin') && !disabled;
    if (before.roles.includes('admin') && !before.disabled && !staysAdmin && (await otherAdmins(store, username)) === 0) {
      throw new StoreError('LAST_ADMIN', `${username} is the last enabled admin: make someone else admin first`);
    }
    const detail: Record<string, unknown> = { username };
    if (change.roles !== undefined && roles.join() !== before.roles.join()) detail.roles = { from: before.roles, to: roles };
    if (disabled !== before.disabled) detail.disabled = disabled;
    const unlock = Boolean(change.unlock || hash) && (before.failedLogins > 0 || before.lockedUntil !== null);
    if (unlock) detail.unlocked = true;
    const temporary = hash !== null && actor !== username;
    if (hash) detail.password = temporary ? 'set (temporary: to be changed at the next login)' : 'changed';
    const rolesChanged = 'roles' in detail;
    await store.run(
        `UPDATE users SET roles = ?, disabled = ?, password_hash = COALESCE(?, password_hash),
           failed_logins = CASE WHEN ? THEN 0 ELSE failed_logins END, locked_until = CASE WHEN ? THEN NULL ELSE locked_until END,
           password_set_by = CASE WHEN ? AND ? THEN ? ELSE password_set_by END,
           must_change_password = CASE WHEN ? THEN ? ELSE must_change_password END,
           roles_set_by = CASE WHEN ? THEN ? ELSE roles_set_by END
         WHERE id = ?`, JSON.stringify(roles), disabled ? 1 : 0, hash, unlock ? 1 : 0, unlock ? 1 : 0, hash ? 1 : 0, temporary ? 1 : 0, actor, hash ? 1 : 0, temporary ? 1 : 0, rolesChanged ? 1 : 0, actor, before.id);
    if (hash || (disabled && !before.disabled)) {
      const ended = (await store.run('DELETE FROM sessions WHERE user_id = ? AND id_hash IS DISTINCT FROM ?', before.id, keepSessionHash ?? null)).changes;
      if (ended > 0) detail.sessionsEnded = ended;
    }
    if (Object.keys(detail).length > 1) await store.appendAudit({ actor, action: 'user.updated', tableId: null, version: null, detail });
  });
  return (await getUser(store, username))!;
}

/** Deletes a user (their sessions go with them). Their name stays in versions, drafts and the audit trail. */
export async function deleteUser(store: Store, username: string, actor: string): Promise<void> {
  await store.transaction(async () => {
    const u = await requireUser(store, username);
    if (u.roles.includes('admin') && !u.disabled && (await otherAdmins(store, username)) === 0) {
      throw new StoreError('LAST_ADMIN', `${username} is the last enabled admin: make someone else admin first`);
    }
    await store.run('DELETE FROM users WHERE id = ?', u.id);
    await store.appendAudit({ actor, action: 'user.deleted', tableId: null, version: null, detail: { username, roles: u.roles } });
  });
}

/**
 * On first start (no users) creates `admin` with every role, with `password` or a random one.
 * Returns the generated password (to print once), '' when the given one was used, or null when users exist.
 */
export async function ensureFirstAdmin(store: Store, password?: string): Promise<string | null> {
  if ((await userCount(store)) > 0) return null;
  const generated = password ? '' : randomBytes(12).toString('base64url');
  const pw = password || generated;
  const hash = hashPassword(pw);
  await store.transaction(async () => {
    if ((await userCount(store)) > 0) return;
    await store.run('INSERT INTO users (username, password_hash, roles, created_at, created_by, password_set_by, roles_set_by) VALUES (?, ?, ?, ?, ?, ?, ?)', 'admin', hash, JSON.stringify(ROLES), store.now(), 'system', 'system', 'system');
    await store.appendAudit({ actor: 'system', action: 'user.created', tableId: null, version: null, detail: { username: 'admin', roles: ROLES, firstStart: true } });
  });
  return generated;
}
