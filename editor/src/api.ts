// The HTTP API (docs/contracts.md), as the editor uses it. Cookie session; every write carries X-CSRF-Token.
import type { DecisionTable, Problem } from '../../server/engine/index.ts';
import { supports } from './capabilities.ts';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Problem[];
  readonly body: unknown;
  readonly path: string;
  constructor(status: number, code: string, message: string, details: Problem[], body: unknown, path: string) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.body = body;
    this.path = path;
  }
}

export interface Me {
  username: string;
  roles: string[];
  csrfToken?: string;
  [key: string]: unknown;
}

export interface TableSummary {
  id: string;
  title: string;
  owner?: string | null;
  currentVersion?: number | null;
  validFrom?: string | null;
  latestVersion?: number | null;
  reviewBy?: string | null;
  draft?: {
    revision: number;
    status: string;
    updatedAt?: string;
    updatedBy?: string;
    submittedAt?: string | null;
    submittedBy?: string | null;
    validFrom?: string | null;
    editors?: string[];
    rejection?: Rejection | null;
  } | null;
  /** An approved archive that ends the table (catalogue-archive.ts lists such tables apart). */
  archive?: { validFrom: string; inForce: boolean; publishedAt: string; requestedBy: string; approvedBy: string; note: string } | null;
  /** An archive request waiting for a second person. */
  archiveRequest?: { revision: number; validFrom: string; note: string; requestedAt: string; requestedBy: string } | null;
}

export interface Rejection {
  at: string;
  by: string;
  reason: string;
}

export interface DraftComment {
  id: number;
  revision: number;
  at: string;
  author: string;
  text: string;
}

export interface VersionMeta {
  version: number;
  validFrom: string;
  publishedAt: string;
  author: string;
  approvedBy: string | null;
  note: string | null;
  hash: string;
}

export interface TableDetail extends TableSummary {
  description?: string | null;
  requires?: string[];
  versions: VersionMeta[];
}

export interface Draft {
  tableId: string;
  revision: number;
  table: DecisionTable;
  status?: 'none' | 'editing' | 'submitted';
  baseVersion?: number | null;
  updatedAt?: string | null;
  updatedBy?: string | null;
  editors?: string[];
  validFrom?: string | null;
  note?: string | null;
  submittedBy?: string | null;
  submittedAt?: string | null;
  /** While submitted: what approving publishes (this revision as version N with this content hash). */
  publication?: { version: number; validFrom: string; hash: string } | null;
  /** What the gate said at submission. */
  submission?: { warnings: string[]; fixtures?: { cases: number; passed: number }; retroactiveReason?: string } | null;
  rejection?: Rejection | null;
  comments?: DraftComment[];
  /** Every change of the fixtures since the last version, in the draft or beside it. */
  fixtureChanges?: FixtureChangeRecord[];
}

export interface FixtureChangeRecord {
  at: string;
  actor: string;
  route: string;
  reason: string;
  into: 'table' | 'draft';
  added: string[];
  removed: string[];
  changed: { name: string }[];
}

export interface FixtureCase {
  name?: string;
  input: Record<string, unknown>;
  expect?: Record<string, unknown> | Record<string, unknown>[];
  expectError?: string;
  date?: string;
  asOf?: string;
  note?: string;
  [key: string]: unknown;
}

export interface FixtureSet {
  table: string;
  cases: FixtureCase[];
  [key: string]: unknown;
}

export interface CellChange {
  kind: 'when' | 'then' | 'note' | 'sources';
  name?: string;
  from: string | null;
  to: string | null;
}

export interface TableDiff {
  tableId: string;
  from: { version: number | string; hash?: string };
  to: { version: number | string; hash?: string };
  fields: { field: string; from: unknown; to: unknown }[];
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  rules: {
    added: { id: string; index: number; rule: DecisionTable['rules'][number] }[];
    removed: { id: string; index: number; rule: DecisionTable['rules'][number] }[];
    changed: { id: string; fromIndex: number; toIndex: number; cells: CellChange[] }[];
    moved: { id: string; fromIndex: number; toIndex: number }[];
  };
  summary: { added: number; removed: number; changed: number; moved: number; same: boolean };
  fixtures?: unknown;
}

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401 (the session ended): the app shows the login screen. */
export function onUnauthenticated(fn: () => void): void {
  unauthenticatedListeners.add(fn);
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** Do not treat a 401 as "session ended" (the login call itself). */
  quiet401?: boolean;
  /** The OpenAPI path template; the call is only made when the server lists it. */
  endpoint?: string;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<{ data: T; headers: Headers }> {
  if (opts.endpoint && !supports(method, opts.endpoint)) {
    throw new ApiError(404, 'NOT_AVAILABLE', `no such endpoint: ${method} ${opts.endpoint}`, [], null, opts.endpoint);
  }
  // Errors come as problem details (application/problem+json, RFC 9457); successes as application/json.
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...opts.headers };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (err) {
    throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err), [], null, path);
  }
  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    const e = toApiError(res, data, path);
    if (res.status === 401 && !opts.quiet401) for (const l of unauthenticatedListeners) l();
    throw e;
  }
  return { data: data as T, headers: res.headers };
}

/**
 * A failed answer as an ApiError: the problem details' `code`, `detail` and `invalidParams` (name = JSON pointer), or
 * release 1's `error` member inside it, or (a proxy's page, say) the HTTP status alone.
 */
function toApiError(res: Response, data: unknown, path: string): ApiError {
  const body = (data && typeof data === 'object' ? data : {}) as {
    code?: string;
    detail?: string;
    title?: string;
    invalidParams?: { name: string; reason: string; column?: number; code?: string; params?: Record<string, string | number> }[];
    error?: { code?: string; message?: string; details?: Problem[] };
  };
  const fromParams = body.invalidParams?.map(
    (p): Problem => ({
      path: p.name,
      message: p.reason,
      ...(p.column === undefined ? {} : { column: p.column }),
      ...(p.code === undefined ? {} : { code: p.code, params: p.params ?? {} }),
    }),
  );
  const code = body.code ?? body.error?.code ?? `HTTP_${res.status}`;
  const message = body.detail ?? body.error?.message ?? body.title ?? res.statusText;
  return new ApiError(res.status, code, message, fromParams ?? body.error?.details ?? [], data, path);
}

const enc = encodeURIComponent;

export const api = {
  async login(username: string, password: string): Promise<Me> {
    const { data } = await request<Me & { user?: Me }>('POST', '/api/v1/auth/login', { body: { username, password }, quiet401: true, endpoint: '/api/v1/auth/login' });
    return normaliseMe(data);
  },
  async logout(): Promise<void> {
    await request('POST', '/api/v1/auth/logout', { quiet401: true, endpoint: '/api/v1/auth/logout' });
  },
  /** Who is logged in, null for nobody; a 200 either way, so a first visit logs no failed request. */
  async session(): Promise<Me | null> {
    const { data } = await request<Me & { user?: Me; kind?: string }>('GET', '/api/v1/auth/session', { endpoint: '/api/v1/auth/session' });
    return data.kind === 'anonymous' ? null : normaliseMe(data);
  },
  async me(): Promise<Me> {
    const { data } = await request<Me & { user?: Me }>('GET', '/api/v1/me', { quiet401: true, endpoint: '/api/v1/me' });
    return normaliseMe(data);
  },
  async tables(): Promise<TableSummary[]> {
    const { data } = await request<TableSummary[] | { tables: TableSummary[] }>('GET', '/api/v1/tables');
    return Array.isArray(data) ? data : data.tables;
  },
  async createTable(table: DecisionTable): Promise<Draft> {
    return (await request<Draft>('POST', '/api/v1/tables', { body: { table }, endpoint: '/api/v1/tables' })).data;
  },
  async table(id: string): Promise<TableDetail> {
    return (await request<TableDetail>('GET', `/api/v1/tables/${enc(id)}`)).data;
  },
  async version(id: string, n: number): Promise<DecisionTable> {
    const { data } = await request<DecisionTable | { table: DecisionTable }>('GET', `/api/v1/tables/${enc(id)}/versions/${n}`);
    return 'rules' in data ? data : data.table;
  },
  async draft(id: string): Promise<Draft> {
    return (await request<Draft>('GET', `/api/v1/tables/${enc(id)}/draft`)).data;
  },
  async saveDraft(id: string, table: DecisionTable, revision: number): Promise<Draft> {
    return (await request<Draft>('PUT', `/api/v1/tables/${enc(id)}/draft`, { body: { table }, headers: { 'If-Match': String(revision) } })).data;
  },
  async submit(id: string, validFrom: string, note: string, retroactiveReason?: string): Promise<unknown> {
    const body = { validFrom, note, ...(retroactiveReason ? { retroactiveReason } : {}) };
    return (await request('POST', `/api/v1/tables/${enc(id)}/draft/submit`, { body, endpoint: '/api/v1/tables/{id}/draft/submit' })).data;
  },
  /** Approves the revision the approver was shown (the server refuses another: 409). */
  async approve(id: string, revision: number): Promise<{ version?: number; validFrom?: string; hash?: string; revision?: number; [k: string]: unknown }> {
    return (await request<{ version?: number; validFrom?: string }>('POST', `/api/v1/tables/${enc(id)}/draft/approve`, { body: { revision }, endpoint: '/api/v1/tables/{id}/draft/approve' })).data;
  },
  async reject(id: string, reason: string, revision: number): Promise<unknown> {
    return (await request('POST', `/api/v1/tables/${enc(id)}/draft/reject`, { body: { reason, revision }, endpoint: '/api/v1/tables/{id}/draft/reject' })).data;
  },
  async withdraw(id: string, revision: number): Promise<{ revision: number }> {
    return (await request<{ revision: number }>('POST', `/api/v1/tables/${enc(id)}/draft/withdraw`, { body: { revision }, endpoint: '/api/v1/tables/{id}/draft/withdraw' })).data;
  },
  async discardDraft(id: string, revision: number): Promise<{ tableRemoved: boolean }> {
    return (await request<{ tableRemoved: boolean }>('DELETE', `/api/v1/tables/${enc(id)}/draft`, { headers: { 'If-Match': String(revision) } })).data;
  },
  async comment(id: string, text: string): Promise<DraftComment> {
    return (await request<DraftComment>('POST', `/api/v1/tables/${enc(id)}/draft/comments`, { body: { text }, endpoint: '/api/v1/tables/{id}/draft/comments' })).data;
  },
  async changePassword(currentPassword: string, newPassword: string): Promise<Me> {
    const { data } = await request<Me>('POST', '/api/v1/auth/password', { body: { currentPassword, newPassword }, endpoint: '/api/v1/auth/password' });
    return normaliseMe(data);
  },
  async diff(id: string, from: string, to: string): Promise<TableDiff> {
    return (await request<TableDiff>('GET', `/api/v1/tables/${enc(id)}/diff?from=${enc(from)}&to=${enc(to)}`)).data;
  },
  /** The table's fixture set (revision: the fixture revision), or with target 'draft' the set the draft runs (revision: the draft's). */
  async fixtures(id: string, target: 'table' | 'draft' = 'table'): Promise<{ fixtures: FixtureSet; revision: number | null; draftHasFixtures: boolean }> {
    const query = target === 'draft' ? '?target=draft' : '';
    const { data, headers } = await request<FixtureSet | { fixtures: FixtureSet; revision?: number; draftHasFixtures?: boolean; source?: string }>('GET', `/api/v1/tables/${enc(id)}/fixtures${query}`, { endpoint: '/api/v1/tables/{id}/fixtures' });
    const etag = headers.get('ETag');
    if ('cases' in data) return { fixtures: data, revision: etag ? Number(etag.replaceAll('"', '')) : null, draftHasFixtures: false };
    return { fixtures: data.fixtures, revision: data.revision ?? (etag ? Number(etag.replaceAll('"', '')) : null), draftHasFixtures: Boolean(data.draftHasFixtures ?? data.source === 'draft') };
  },
  /** Changes the fixtures inside the draft (If-Match: the draft revision); returns the draft's new revision. */
  async saveDraftFixtures(id: string, fixtures: FixtureSet, reason: string, draftRevision: number): Promise<{ revision: number }> {
    const { data } = await request<{ revision: number }>('PUT', `/api/v1/tables/${enc(id)}/draft/fixtures`, { body: { fixtures, reason }, headers: { 'If-Match': String(draftRevision) }, endpoint: '/api/v1/tables/{id}/draft/fixtures' });
    return { revision: data.revision };
  },
  /** Replaces the table's own fixture set, with the reason (the approver of the next version sees it). */
  async saveFixtures(id: string, fixtures: FixtureSet, revision: number | null, reason: string): Promise<{ revision: number | null }> {
    const headers: Record<string, string> = revision === null || Number.isNaN(revision) ? {} : { 'If-Match': String(revision) };
    const { data, headers: h } = await request<{ revision?: number }>('PUT', `/api/v1/tables/${enc(id)}/fixtures`, { body: { fixtures, reason }, headers, endpoint: '/api/v1/tables/{id}/fixtures' });
    const etag = h.get('ETag');
    return { revision: data?.revision ?? (etag ? Number(etag.replaceAll('"', '')) : null) };
  },
  async runFixtures(id: string, target: string): Promise<FixtureReport> {
    return (await request<FixtureReport>('POST', `/api/v1/tables/${enc(id)}/fixtures/run?target=${enc(target)}`, { body: {}, endpoint: '/api/v1/tables/{id}/fixtures/run' })).data;
  },
  async impact(id: string, body: Record<string, unknown> = {}): Promise<ImpactReport> {
    return (await request<ImpactReport>('POST', `/api/v1/tables/${enc(id)}/draft/impact`, { body, endpoint: '/api/v1/tables/{id}/draft/impact' })).data;
  },
  async stats(id: string, q: { from?: string; to?: string; by?: 'day' | 'month' | 'year'; output?: string }): Promise<StatsReport> {
    const query = new URLSearchParams({ by: q.by ?? 'month' });
    if (q.from) query.set('from', q.from);
    if (q.to) query.set('to', q.to);
    if (q.output) query.set('output', q.output);
    return (await request<StatsReport>('GET', `/api/v1/tables/${enc(id)}/stats?${query.toString()}`, { endpoint: '/api/v1/tables/{id}/stats' })).data;
  },
  async evaluate(id: string, body: Record<string, unknown>): Promise<EvaluateAnswer> {
    return (await request<EvaluateAnswer>('POST', `/api/v1/evaluate/${enc(id)}`, { body })).data;
  },
};

/** POST /api/v1/evaluate/:id: the decision, with `explanation` when `explain: true` was sent. */
export interface EvaluateAnswer {
  version: number;
  validFrom: string;
  output: unknown;
  matched: string[];
  hash: string;
  explanation?: { nl: string; en: string };
}

function normaliseMe(data: Me & { user?: Me }): Me {
  const user = data.user ?? data;
  const me: Me = { ...user, username: String(user.username ?? user.name ?? ''), roles: Array.isArray(user.roles) ? user.roles : [] };
  me.csrfToken = (data.csrfToken ?? user.csrfToken) as string | undefined;
  return me;
}

export interface FixtureCaseResult {
  name?: string;
  index?: number;
  pass?: boolean;
  passed?: boolean;
  status?: string;
  expected?: unknown;
  expect?: unknown;
  actual?: unknown;
  output?: unknown;
  matched?: string[];
  error?: { code?: string; message?: string; messageCode?: string; params?: Record<string, string | number>; details?: Problem[]; requiredTable?: string } | string | null;
  message?: string;
  [key: string]: unknown;
}

export interface FixtureReport {
  cases?: FixtureCaseResult[];
  results?: FixtureCaseResult[];
  passed?: number;
  failed?: number;
  coverage?: { covered?: string[]; uncovered?: string[]; total?: number; [k: string]: unknown };
  [key: string]: unknown;
}

/** POST /api/v1/tables/:id/draft/impact (server/store/impact.ts). */
export interface ImpactReport {
  evaluated: number;
  changed: number;
  unchanged?: number;
  otherRules?: number;
  period?: { from: string; to: string };
  byVersion?: Record<string, number>;
  /** Logged outcome → the draft's outcome (`{error: {code, message}}` when the draft refuses the case), most frequent first. */
  groups: { from: unknown; to: unknown; count: number; examples?: { input?: unknown; caseDate?: string | null; evaluatedAt?: string; version?: number }[] }[];
  /** Fixture cases whose outcome the draft changes. */
  fixtures?: { name: string; date?: string; expected?: unknown; before: { outcome: unknown; pass: boolean }; after: { outcome: unknown; pass: boolean } }[];
}

/** GET /api/v1/tables/:id/stats (server/store/impact.ts outcomeStats). */
export interface StatsReport {
  by?: 'day' | 'month' | 'year';
  output?: string;
  total: number;
  /** Every outcome met, most frequent first; `key` (canonical JSON) is its key in `counts`. */
  outcomes: { key: string; outcome: unknown; count: number }[];
  /** One per period from `from` to `to`, empty ones included, oldest first. */
  buckets: { period: string; total: number; counts: Record<string, number> }[];
}

// --- Administration (admin only): users, API tokens, the audit trail. ---

export type Role = 'viewer' | 'editor' | 'approver' | 'tester' | 'admin';
export const ROLES: readonly Role[] = ['viewer', 'editor', 'approver', 'tester', 'admin'];
export type Scope = 'evaluate' | 'fixtures:run' | 'metrics';
export const SCOPES: readonly Scope[] = ['evaluate', 'fixtures:run', 'metrics'];

export interface UserInfo {
  username: string;
  roles: Role[];
  createdAt: string;
  disabled?: boolean;
  failedLogins?: number;
  lockedUntil?: string | null;
  lastLoginAt?: string | null;
}

export interface TokenInfo {
  id: number;
  name: string;
  scopes: Scope[];
  createdAt: string;
  createdBy?: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  tableId: string | null;
  version: number | null;
  detail: Record<string, unknown>;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  head: { id: number; hash: string } | null;
  broken: { id: number; kind: string; message: string; entry: { at: string; actor: string; action: string } } | null;
}

export const adminApi = {
  async users(): Promise<UserInfo[]> {
    return (await request<{ users: UserInfo[] }>('GET', '/api/v1/users', { endpoint: '/api/v1/users' })).data.users;
  },
  async createUser(username: string, password: string, roles: Role[]): Promise<UserInfo> {
    return (await request<UserInfo>('POST', '/api/v1/users', { body: { username, password, roles }, endpoint: '/api/v1/users' })).data;
  },
  async updateUser(username: string, change: { roles?: Role[]; password?: string; disabled?: boolean; unlock?: true }): Promise<UserInfo> {
    return (await request<UserInfo>('PATCH', `/api/v1/users/${enc(username)}`, { body: change, endpoint: '/api/v1/users/{name}' })).data;
  },
  async deleteUser(username: string): Promise<void> {
    await request('DELETE', `/api/v1/users/${enc(username)}`, { endpoint: '/api/v1/users/{name}' });
  },
  async tokens(): Promise<TokenInfo[]> {
    return (await request<{ tokens: TokenInfo[] }>('GET', '/api/v1/tokens', { endpoint: '/api/v1/tokens' })).data.tokens;
  },
  /** The secret (`token`) is in this answer only. */
  async createToken(name: string, scopes: Scope[]): Promise<TokenInfo & { token: string }> {
    return (await request<TokenInfo & { token: string }>('POST', '/api/v1/tokens', { body: { name, scopes }, endpoint: '/api/v1/tokens' })).data;
  },
  async revokeToken(id: number): Promise<void> {
    await request('DELETE', `/api/v1/tokens/${id}`, { endpoint: '/api/v1/tokens/{id}' });
  },
  /** The audit trail newest first; `before` is the `next` of the previous page. */
  async audit(limit: number, before?: number | null): Promise<{ entries: AuditEntry[]; next: number | null }> {
    const q = new URLSearchParams({ order: 'desc', limit: String(limit) });
    if (before) q.set('before', String(before));
    return (await request<{ entries: AuditEntry[]; next: number | null }>('GET', `/api/v1/audit?${q.toString()}`, { endpoint: '/api/v1/audit' })).data;
  },
  async verifyAudit(): Promise<AuditVerification> {
    return (await request<AuditVerification>('GET', '/api/v1/audit/verify', { endpoint: '/api/v1/audit/verify' })).data;
  },
};

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** A file as the request body (a spreadsheet upload), answered in JSON; a refusal is an ApiError as for request(). */
export async function sendFile<T>(path: string, file: Blob): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', 'Content-Type': file.type || 'application/octet-stream' };
  if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const res = await fetch(path, { method: 'POST', headers, credentials: 'same-origin', body: file }).catch((err: unknown) => {
    throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err), [], null, path);
  });
  const text = await res.text();
  const data = parseBody(text);
  if (!res.ok) {
    if (res.status === 401) for (const l of unauthenticatedListeners) l();
    throw toApiError(res, data, path);
  }
  return data as T;
}

/** A file the server sends (an .xlsx download) as a Blob; a refusal is an ApiError as for request(). */
export async function fetchFile(path: string): Promise<Blob> {
  const res = await fetch(path, { credentials: 'same-origin', headers: { Accept: '*/*' } }).catch((err: unknown) => {
    throw new ApiError(0, 'NETWORK', err instanceof Error ? err.message : String(err), [], null, path);
  });
  if (res.ok) return res.blob();
  const text = await res.text();
  const data = parseBody(text);
  if (res.status === 401) for (const l of unauthenticatedListeners) l();
  throw toApiError(res, data, path);
}
