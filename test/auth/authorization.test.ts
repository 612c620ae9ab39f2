// The authorisation table (issue 8): every endpoint × every role and token scope, and nobody, against a real
// server. The routes are read from the express application itself, so a new route without a row here fails;
// the expectations are written from the README's access table, not taken from server/api/access.ts.
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Permission } from '../../server/api/actor.ts';
import { testServer, type Client, type TestServer } from '../api/helpers.ts';

type Who = 'anonymous' | 'viewer' | 'editor' | 'approver' | 'tester' | 'admin' | 'token:evaluate' | 'token:fixtures:run' | 'token:metrics';
const EVERYONE: Who[] = ['anonymous', 'viewer', 'editor', 'approver', 'tester', 'admin', 'token:evaluate', 'token:fixtures:run', 'token:metrics'];
const USERS: Who[] = ['viewer', 'editor', 'approver', 'tester', 'admin'];

/** Who may do what (the README's access table, with the reasons for the additions in server/api/actor.ts). */
const ALLOWED: Record<Permission | 'open' | 'me' | 'person', Who[]> = {
  open: EVERYONE,
  person: USERS,
  me: [...USERS, 'token:evaluate', 'token:fixtures:run', 'token:metrics'],
  evaluate: [...USERS, 'token:evaluate'],
  read: USERS,
  edit: ['editor'],
  approve: ['approver'],
  test: ['tester', 'editor'],
  'fixtures:run': ['tester', 'editor', 'approver', 'token:fixtures:run'],
  impact: ['editor', 'approver'],
  review: ['editor', 'approver'],
  audit: ['admin', 'approver'],
  admin: ['admin'],
  metrics: ['admin', 'token:metrics'],
};

interface Row {
  permission: Permission | 'open' | 'me' | 'person';
  /** The concrete request: path with parameters filled in, and a body. Chosen so an allowed call changes nothing. */
  path: string;
  body?: unknown | ((who: Who) => unknown);
  headers?: Record<string, string>;
  /** The status an allowed actor gets; 'any' where it depends on state the issue-5 routes own (never 401/403/5xx). */
  ok: number | 'any';
}

const T = 'test.boete';
const ROUTES: Record<string, Row> = {
  'GET /api/v1/health': { permission: 'open', path: '/api/v1/health', ok: 200 },
  'GET /api/v1/health/live': { permission: 'open', path: '/api/v1/health/live', ok: 200 },
  'GET /api/v1/health/ready': { permission: 'open', path: '/api/v1/health/ready', ok: 200 },
  'GET /metrics': { permission: 'metrics', path: '/metrics', ok: 200 },
  'GET /api/v1/openapi.json': { permission: 'open', path: '/api/v1/openapi.json', ok: 200 },
  'GET /api/v1/docs': { permission: 'open', path: '/api/v1/docs', ok: 200 },
  'GET /api/v1/docs/docs.js': { permission: 'open', path: '/api/v1/docs/docs.js', ok: 200 },
  'GET /api/v1/docs/docs.css': { permission: 'open', path: '/api/v1/docs/docs.css', ok: 200 },
  // A wrong password (a name per caller, or the lockout would answer): the route itself is open.
  'POST /api/v1/auth/login': { permission: 'open', path: '/api/v1/auth/login', body: (who: Who) => ({ username: `nobody-${who.replace(/:/g, '-')}`, password: 'x' }), ok: 401 },
  'POST /api/v1/auth/logout': { permission: 'open', path: '/api/v1/auth/logout', ok: 204 },
  'GET /api/v1/me': { permission: 'me', path: '/api/v1/me', ok: 200 },
  'GET /api/v1/auth/session': { permission: 'open', path: '/api/v1/auth/session', ok: 200 },
  // Any person with a session (no token): an empty body is refused before any password is checked.
  'POST /api/v1/auth/password': { permission: 'person', path: '/api/v1/auth/password', body: {}, ok: 400 },

  'GET /api/v1/users': { permission: 'admin', path: '/api/v1/users', ok: 200 },
  'POST /api/v1/users': { permission: 'admin', path: '/api/v1/users', body: {}, ok: 400 },
  'PATCH /api/v1/users/:name': { permission: 'admin', path: '/api/v1/users/nobody-here', body: { disabled: true }, ok: 404 },
  'DELETE /api/v1/users/:name': { permission: 'admin', path: '/api/v1/users/nobody-here', ok: 404 },
  'GET /api/v1/tokens': { permission: 'admin', path: '/api/v1/tokens', ok: 200 },
  'POST /api/v1/tokens': { permission: 'admin', path: '/api/v1/tokens', body: {}, ok: 400 },
  'DELETE /api/v1/tokens/:id': { permission: 'admin', path: '/api/v1/tokens/999999', ok: 404 },
  'GET /api/v1/audit': { permission: 'audit', path: `/api/v1/audit?table=${T}`, ok: 200 },
  'GET /api/v1/audit/verify': { permission: 'audit', path: '/api/v1/audit/verify', ok: 200 },

  'POST /api/v1/evaluate/:tableId': { permission: 'evaluate', path: `/api/v1/evaluate/${T}`, body: { input: { categorie: 'A' }, date: '2020-06-01' }, ok: 200 },
  'POST /api/v1/evaluate/:tableId/batch': { permission: 'evaluate', path: `/api/v1/evaluate/${T}/batch`, body: { cases: [] }, ok: 200 },

  // The public register's API (issue 23): anyone, no credentials read. test/api/data marks no table public, so a
  // table's own routes answer 404 for everyone alike (test/api/public-register.test.ts has the public ones).
  'GET /api/v1/public/tables': { permission: 'open', path: '/api/v1/public/tables', ok: 200 },
  'GET /api/v1/public/tables/:id': { permission: 'open', path: `/api/v1/public/tables/${T}`, ok: 404 },
  'GET /api/v1/public/tables/:id/versions': { permission: 'open', path: `/api/v1/public/tables/${T}/versions`, ok: 404 },
  'GET /api/v1/public/tables/:id/versions/:n': { permission: 'open', path: `/api/v1/public/tables/${T}/versions/1`, ok: 404 },
  'POST /api/v1/public/tables/:id/evaluate': { permission: 'open', path: `/api/v1/public/tables/${T}/evaluate`, body: { input: { categorie: 'A' } }, ok: 404 },

  'GET /api/v1/tables': { permission: 'read', path: '/api/v1/tables', ok: 200 },
  'POST /api/v1/tables': { permission: 'edit', path: '/api/v1/tables', body: {}, ok: 400 },
  'GET /api/v1/tables/:id': { permission: 'read', path: `/api/v1/tables/${T}`, ok: 200 },
  'GET /api/v1/tables/:id/versions': { permission: 'read', path: `/api/v1/tables/${T}/versions`, ok: 200 },
  'GET /api/v1/tables/:id/versions/:n': { permission: 'read', path: `/api/v1/tables/${T}/versions/1`, ok: 200 },
  'GET /api/v1/tables/:id/versions/:n/input-schema': { permission: 'read', path: `/api/v1/tables/${T}/versions/1/input-schema`, ok: 200 },
  'GET /api/v1/tables/:id/draft': { permission: 'read', path: `/api/v1/tables/${T}/draft`, ok: 200 },
  // Without If-Match: 428 before anything is stored.
  'PUT /api/v1/tables/:id/draft': { permission: 'edit', path: `/api/v1/tables/${T}/draft`, body: { table: {} }, ok: 428 },
  'GET /api/v1/tables/:id/diff': { permission: 'read', path: `/api/v1/tables/${T}/diff?from=1&to=2`, ok: 200 },
  'GET /api/v1/tables/:id/export.xlsx': { permission: 'read', path: `/api/v1/tables/${T}/export.xlsx`, ok: 200 },
  'GET /api/v1/domains/:domain/export.xlsx': { permission: 'read', path: '/api/v1/domains/test/export.xlsx', ok: 200 },
  // The seeded tables are not public: an allowed caller is refused by publicity (422 NOT_PUBLIC), never by access.
  'GET /api/v1/tables/:id/algoritmeregister': { permission: 'read', path: `/api/v1/tables/${T}/algoritmeregister`, ok: 422 },
  'GET /api/v1/algoritmeregister': { permission: 'read', path: '/api/v1/algoritmeregister', ok: 200 },
  // An empty body: refused before anything is read (nothing is stored by this route anyway).
  'POST /api/v1/tables/:id/draft/import': { permission: 'edit', path: `/api/v1/tables/${T}/draft/import`, ok: 400 },
  'GET /api/v1/tables/:id/stats': { permission: 'read', path: `/api/v1/tables/${T}/stats`, ok: 'any' },

  'GET /api/v1/tables/:id/fixtures': { permission: 'test', path: `/api/v1/tables/${T}/fixtures`, ok: 'any' },
  'PUT /api/v1/tables/:id/fixtures': { permission: 'test', path: `/api/v1/tables/${T}/fixtures`, body: { bogus: true }, ok: 'any' },
  'PUT /api/v1/tables/:id/draft/fixtures': { permission: 'edit', path: `/api/v1/tables/${T}/draft/fixtures`, body: { bogus: true }, ok: 'any' },
  'POST /api/v1/tables/:id/draft/fixtures/record': { permission: 'edit', path: `/api/v1/tables/${T}/draft/fixtures/record`, body: { bogus: true }, ok: 'any' },
  'POST /api/v1/tables/:id/fixtures/record': { permission: 'test', path: `/api/v1/tables/${T}/fixtures/record`, body: { bogus: true }, ok: 'any' },
  'POST /api/v1/tables/:id/fixtures/run': { permission: 'fixtures:run', path: `/api/v1/tables/${T}/fixtures/run?target=1`, body: {}, ok: 'any' },
  'POST /api/v1/fixtures/run': { permission: 'fixtures:run', path: '/api/v1/fixtures/run', body: {}, ok: 'any' },

  'POST /api/v1/tables/:id/draft/check': { permission: 'edit', path: `/api/v1/tables/${T}/draft/check`, body: {}, ok: 'any' },
  'POST /api/v1/tables/:id/draft/submit': { permission: 'edit', path: `/api/v1/tables/${T}/draft/submit`, body: {}, ok: 'any' },
  // test.boete has no draft: nothing to approve or reject (and so nobody is its author).
  'POST /api/v1/tables/:id/draft/approve': { permission: 'approve', path: `/api/v1/tables/${T}/draft/approve`, body: {}, ok: 'any' },
  'POST /api/v1/tables/:id/draft/reject': { permission: 'approve', path: `/api/v1/tables/${T}/draft/reject`, body: { reason: 'nee' }, ok: 'any' },
  'POST /api/v1/tables/:id/draft/withdraw': { permission: 'edit', path: `/api/v1/tables/${T}/draft/withdraw`, body: {}, ok: 'any' },
  // Archiving (issue 20): a request body that is refused before anything is stored, or no request to act on.
  'GET /api/v1/tables/:id/archive': { permission: 'read', path: `/api/v1/tables/${T}/archive`, ok: 200 },
  'POST /api/v1/tables/:id/archive': { permission: 'edit', path: `/api/v1/tables/${T}/archive`, body: {}, ok: 400 },
  'POST /api/v1/tables/:id/archive/approve': { permission: 'approve', path: `/api/v1/tables/${T}/archive/approve`, body: { revision: 1 }, ok: 404 },
  'POST /api/v1/tables/:id/archive/reject': { permission: 'approve', path: `/api/v1/tables/${T}/archive/reject`, body: { reason: 'nee', revision: 1 }, ok: 404 },
  'GET /api/v1/tables/:id/export.dmn': { permission: 'read', path: `/api/v1/tables/${T}/export.dmn`, ok: 200 },
  'GET /api/v1/domains/:domain/export.dmn': { permission: 'read', path: '/api/v1/domains/test/export.dmn', ok: 200 },
  // An empty body is refused before anything is read or stored.
  'POST /api/v1/dmn/import': { permission: 'edit', path: '/api/v1/dmn/import', ok: 400 },
  'POST /api/v1/dmn/import/preview': { permission: 'edit', path: '/api/v1/dmn/import/preview', ok: 400 },
  'GET /api/v1/tables/:id/decisions': { permission: 'impact', path: `/api/v1/tables/${T}/decisions`, ok: 200 },
  'GET /api/v1/tables/:id/decisions/:logId': { permission: 'impact', path: `/api/v1/tables/${T}/decisions/999999`, ok: 404 },
  'POST /api/v1/tables/:id/archive/withdraw': { permission: 'edit', path: `/api/v1/tables/${T}/archive/withdraw`, ok: 404 },
  'DELETE /api/v1/tables/:id/draft': { permission: 'edit', path: `/api/v1/tables/${T}/draft`, ok: 'any' },
  'GET /api/v1/tables/:id/draft/comments': { permission: 'read', path: `/api/v1/tables/${T}/draft/comments`, ok: 200 },
  'POST /api/v1/tables/:id/draft/comments': { permission: 'review', path: `/api/v1/tables/${T}/draft/comments`, body: {}, ok: 'any' },
  'POST /api/v1/tables/:id/draft/impact': { permission: 'impact', path: `/api/v1/tables/${T}/draft/impact`, body: {}, ok: 'any' },
};

interface RouteInfo {
  key: string;
  permissions: (Permission | undefined)[];
}

/** Every route of the application as `METHOD /api/v1/path`, with the permission its guard declares. */
function appRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = [];
  type Layer = {
    name: string;
    route?: { path: string; methods: Record<string, boolean>; stack: { handle: { permission?: Permission } }[] };
    handle: { stack?: Layer[] };
    matchers: ((path: string) => unknown)[];
  };
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods)) {
          out.push({ key: `${m.toUpperCase()} ${prefix}${layer.route.path}`, permissions: layer.route.stack.map((s) => s.handle.permission) });
        }
      } else if (layer.name === 'router' && layer.handle.stack) {
        // The API router is mounted at /api/v1; routers inside it have no path of their own.
        const mounted = prefix === '' && layer.matchers.some((match) => match('/api/v1') && !match('/x'));
        walk(layer.handle.stack, mounted ? '/api/v1' : prefix);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out.filter((r) => r.key.split(' ')[1]!.startsWith('/api/v1/') || r.key === 'GET /metrics');
}

let srv: TestServer;
const clients = {} as Record<Who, Client>;

beforeAll(async () => {
  srv = await testServer();
  clients.anonymous = srv.anonymous;
  clients.viewer = await srv.as('vera', ['viewer']);
  clients.editor = await srv.as('eddy', ['editor']);
  clients.approver = await srv.as('anja', ['approver']);
  clients.tester = await srv.as('teun', ['tester']);
  // Only the role admin (the first admin has every role).
  clients.admin = await srv.as('adri', ['admin']);
  clients['token:evaluate'] = await srv.withToken(['evaluate']);
  clients['token:fixtures:run'] = await srv.withToken(['fixtures:run']);
  clients['token:metrics'] = await srv.withToken(['metrics']);
}, 60_000);
afterAll(async () => {
  await srv.stop();
});

describe('the authorisation table', () => {
  it('has one row for every route of the application, and each route declares the permission of its row', () => {
    const app = srv.server.listeners('request')[0] as Express;
    const routes = appRoutes(app);
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((r) => r.key).sort()).toEqual(Object.keys(ROUTES).sort());
    for (const r of routes) {
      const declared = r.permissions.filter((p) => p !== undefined);
      const row = ROUTES[r.key]!;
      if (row.permission === 'open' || row.permission === 'me' || row.permission === 'person') expect(declared, r.key).toEqual([]);
      else expect(declared, r.key).toEqual([row.permission]);
    }
  });

  it('every route is in the OpenAPI document (the docs assets aside), open ones marked as such', async () => {
    const doc = (await srv.anonymous.request('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    for (const key of Object.keys(ROUTES)) {
      if (key.startsWith('GET /api/v1/docs/')) continue;
      const [method, path] = key.split(' ') as [string, string];
      // Paths in the document are relative to its server, /api/v1 (GET /metrics names its own, /).
      const openApiPath = path.replace(/:(\w+)/g, '{$1}').replace(/^\/api\/v1\//, '/');
      const op = doc.paths[openApiPath]?.[method.toLowerCase()] as { security?: unknown[] } | undefined;
      expect(op, key).toBeDefined();
      // Open routes say they need no credentials; reads inherit the document's session-or-token rule; writes with the
      // session cookie also need the CSRF header.
      if (ROUTES[key]!.permission === 'open') expect(op!.security, key).toEqual([]);
      else if (method === 'GET') expect(op!.security, key).toBeUndefined();
      else expect(op!.security, key).toEqual([{ session: [], csrfToken: [] }, { token: [] }]);
    }
    expect((doc as { security?: unknown }).security).toEqual([{ session: [] }, { token: [] }]);
  });

  const cases = Object.entries(ROUTES).flatMap(([key, row]) => EVERYONE.map((who) => [key, who, row] as const));

  it.each(cases)('%s as %s', async (key, who, row) => {
    // Logging out would end the session the other rows use; logout has its own tests.
    if (key === 'POST /api/v1/auth/logout' && clients[who].cookie) return;
    const method = key.split(' ')[0]!;
    const body = typeof row.body === 'function' ? (row.body as (w: Who) => unknown)(who) : row.body;
    const r = await clients[who].request(method, row.path, body, row.headers);
    expect(r.status, r.text).toBeLessThan(500);
    if (ALLOWED[row.permission].includes(who)) {
      if (row.ok === 'any') expect([401, 403], `${who} may ${key}: ${r.text}`).not.toContain(r.status);
      else expect(r.status, `${who} may ${key}: ${r.text}`).toBe(row.ok);
    } else if (who === 'anonymous') {
      expect(r.status, r.text).toBe(401);
      expect(r.body.error.code).toBe('UNAUTHENTICATED');
      expect(r.headers.get('www-authenticate')).toContain('Bearer');
    } else {
      expect(r.status, r.text).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'FORBIDDEN', details: [] });
      expect(r.body.error.message).toMatch(/needs/);
    }
  });
});

describe('credentials that do not hold', () => {
  it('a revoked or unknown token, or a malformed Authorization header, is 401 with the reason', async () => {
    const token = await srv.withToken(['evaluate'], 'revoke-me');
    const ok = await token.request('POST', `/api/v1/evaluate/${T}`, { input: { categorie: 'A' }, date: '2020-06-01' });
    expect(ok.status).toBe(200);
    const id = (await srv.request('GET', '/api/v1/tokens')).body.tokens.find((t: { name: string }) => t.name === 'revoke-me').id;
    expect((await srv.request('DELETE', `/api/v1/tokens/${id}`)).status).toBe(204);
    const revoked = await token.request('POST', `/api/v1/evaluate/${T}`, { input: { categorie: 'A' } });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error.message).toMatch(/unknown or has been revoked/);
    const forged = await srv.anonymous.request('GET', '/api/v1/tables', undefined, { authorization: 'Bearer bsl_forged' });
    expect(forged.status).toBe(401);
    const basic = await srv.anonymous.request('GET', '/api/v1/tables', undefined, { authorization: 'Basic YWRtaW46YWRtaW4=' });
    expect(basic.status).toBe(401);
    expect(basic.body.error.message).toMatch(/Bearer/);
    // Open routes stay open whatever is sent.
    expect((await srv.anonymous.request('GET', '/api/v1/health', undefined, { authorization: 'Bearer bsl_forged' })).status).toBe(200);
  });

  it('a forged session cookie is nobody', async () => {
    const r = await srv.anonymous.request('GET', '/api/v1/tables', undefined, { cookie: `beslis_session=${'A'.repeat(43)}` });
    expect(r.status).toBe(401);
    expect(r.body.error.message).toMatch(/session has ended/);
  });

  it('roles changed by an admin apply to a running session at once', async () => {
    const c = await srv.as('wisselend', ['editor']);
    expect((await c.request('PUT', `/api/v1/tables/${T}/draft`, { table: {} })).status).toBe(428);
    expect((await srv.request('PATCH', '/api/v1/users/wisselend', { roles: ['viewer'] })).status).toBe(200);
    expect((await c.request('PUT', `/api/v1/tables/${T}/draft`, { table: {} })).status).toBe(403);
    expect((await c.request('GET', '/api/v1/tables')).status).toBe(200);
  });
});
