// API tokens for applications (docs/contracts.md): `bsl_` + 256 random bits, shown once and stored as its sha-256 (a
// memory-hard KDF adds nothing for a secret this long, and a fast hash keeps every evaluate request cheap).
// Tokens carry scopes, remember when they were last used (to the minute), and are revoked rather than deleted so
// the audit trail and the evaluation log keep pointing at something.
import { createHash, randomBytes } from 'node:crypto';
import type { Problem } from '../engine/types.ts';
import { StoreError } from './errors.ts';
import type { Store } from './store.ts';

export type Scope = 'evaluate' | 'fixtures:run' | 'metrics';
export const SCOPES: readonly Scope[] = ['evaluate', 'fixtures:run', 'metrics'];
export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$/;
export const TOKEN_PREFIX = 'bsl_';

export interface TokenRecord {
  id: number;
  name: string;
  scopes: Scope[];
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface TokenRow {
  id: number;
  name: string;
  token_hash: string;
  scopes: string;
  created_at: string;
  created_by: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

function toRecord(r: TokenRow): TokenRecord {
  return {
    id: r.id,
    name: r.name,
    scopes: JSON.parse(r.scopes) as Scope[],
    createdAt: r.created_at,
    createdBy: r.created_by,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function tokenProblems(name: string, scopes: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  if (!TOKEN_NAME_PATTERN.test(name)) problems.push({ path: '/name', message: 'must be 1 to 64 characters: letters, digits, space and . _ - (not first)', code: 'TOKEN_NAME_FORMAT', params: { limit: 64 } });
  if (scopes.length === 0) problems.push({ path: '/scopes', message: `must name at least one scope of ${SCOPES.join(', ')}`, code: 'SCOPES_NONE' });
  scopes.forEach((s, i) => {
    if (!(SCOPES as readonly string[]).includes(s)) problems.push({ path: `/scopes/${i}`, message: `must be one of ${SCOPES.join(', ')}`, code: 'ONE_OF', params: { choices: SCOPES.join(', ') } });
  });
  return problems;
}

/** Creates a token; the returned `token` is the only time the secret exists outside the caller. */
export async function createToken(store: Store, t: { name: string; scopes: readonly string[] }, actor: string): Promise<{ token: string; record: TokenRecord }> {
  const problems = tokenProblems(t.name, t.scopes);
  if (problems.length > 0) throw new StoreError('INVALID_TOKEN', problems.map((p) => `${p.path}: ${p.message}`).join('; '), problems);
  const scopes = SCOPES.filter((s) => t.scopes.includes(s));
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const id = await store.transaction(async () => {
    // The name identifies the caller in the evaluation log and the audit trail: one live token per name.
    if ((await store.get('SELECT 1 FROM api_tokens WHERE name = ? AND revoked_at IS NULL', t.name))) {
      throw new StoreError('TOKEN_EXISTS', `a live token named '${t.name}' already exists; revoke it first or choose another name`);
    }
    const newId = await store.insert(
      'INSERT INTO api_tokens (name, token_hash, scopes, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
      t.name,
      tokenHash(token),
      JSON.stringify(scopes),
      store.now(),
      actor,
    );
    await store.appendAudit({ actor, action: 'token.created', tableId: null, version: null, detail: { id: newId, name: t.name, scopes } });
    return newId;
  });
  return { token, record: (await getToken(store, id))! };
}

export async function listTokens(store: Store): Promise<TokenRecord[]> {
  return ((await store.all('SELECT * FROM api_tokens ORDER BY id')) as TokenRow[]).map(toRecord);
}

export async function getToken(store: Store, id: number): Promise<TokenRecord | null> {
  const row = (await store.get('SELECT * FROM api_tokens WHERE id = ?', id)) as TokenRow | undefined;
  return row ? toRecord(row) : null;
}

// Live tokens by secret, per store, for as long as no other connection has committed (a revocation by another
// worker or by the CLI is a commit) and this process has not revoked one: every evaluate request asks, and the
// hash, the query and the record cost more than the evaluation itself.
interface CachedToken {
  record: TokenRecord;
  lastUsedMs: number;
}
const liveTokens = new WeakMap<Store, { generation: number; bySecret: Map<string, CachedToken> }>();
const MAX_CACHED_TOKENS = 1000;

function tokenCache(store: Store): Map<string, CachedToken> {
  const generation = store.externalChanges();
  let cache = liveTokens.get(store);
  if (!cache || cache.generation !== generation) {
    cache = { generation, bySecret: new Map() };
    liveTokens.set(store, cache);
  }
  return cache.bySecret;
}

/** The live token for a secret, or null (unknown or revoked). Records the use, at most once a minute. */
export async function findToken(store: Store, token: string): Promise<TokenRecord | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const cache = tokenCache(store);
  const nowMs = store.clockMs();
  let hit = cache.get(token);
  if (!hit) {
    const row = (await store.get('SELECT * FROM api_tokens WHERE token_hash = ?', tokenHash(token))) as TokenRow | undefined;
    if (!row || row.revoked_at !== null) return null;
    hit = { record: toRecord(row), lastUsedMs: row.last_used_at === null ? -Infinity : Date.parse(row.last_used_at) };
    if (cache.size >= MAX_CACHED_TOKENS) cache.clear();
    cache.set(token, hit);
  }
  if (nowMs - hit.lastUsedMs >= 60_000) {
    const now = new Date(nowMs).toISOString();
    await store.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', now, hit.record.id);
    hit.lastUsedMs = nowMs;
    hit.record = { ...hit.record, lastUsedAt: now };
  }
  return hit.record;
}

/** Revokes a token (idempotent: revoking it again changes nothing and is not audited twice). */
export async function revokeToken(store: Store, id: number, actor: string): Promise<TokenRecord> {
  await store.transaction(async () => {
    const t = await getToken(store, id);
    if (!t) throw new StoreError('TOKEN_NOT_FOUND', `there is no token ${id}`);
    if (t.revokedAt !== null) return;
    await store.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ?', store.now(), id);
    liveTokens.delete(store);
    await store.appendAudit({ actor, action: 'token.revoked', tableId: null, version: null, detail: { id, name: t.name, scopes: t.scopes } });
  });
  return (await getToken(store, id))!;
}
