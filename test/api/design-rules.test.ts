// The API by the NL API Design Rules (issue 22), as a client sees it: the version header on every answer, the
// description at its fixed path, how to authenticate written in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_VERSION } from '../../server/api/server.ts';
import { lintWithAdr, type LintFinding } from './adr-lint.ts';
import { REPO_ROOT, send, testServer, type TestServer } from './helpers.ts';

/**
 * Warnings of the ADR ruleset that are accepted, each with its reason (the README's list; keep both the same). A new
 * warning fails the test until it is fixed or listed there with a reason.
 */
const ACCEPTED_WARNINGS: { rule: string; path: string }[] = [];

const summary = (f: LintFinding) => `${f.rule} at ${f.path}: ${f.message}`;

const CONTACT = { name: 'Team Beslis, BVTH', email: 'beslis@bvth.test', url: 'https://bvth.test/beslis' };

describe('the API by the NL API Design Rules', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await testServer({ apiContact: CONTACT });
  });
  afterAll(() => srv.stop());

  it('names its full semantic version in API-Version on every answer: success, refusal, unknown path, the docs', async () => {
    expect(PACKAGE_VERSION).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    const answers = [
      await send(srv.url, 'GET', '/api/v1/health'),
      await send(srv.url, 'GET', '/api/v1/tables'),
      await send(srv.url, 'GET', '/api/v1/no-such-thing'),
      await srv.request('POST', '/api/v1/evaluate/test.matrix', { input: { gedrag: 'Z' } }),
      await send(srv.url, 'GET', '/api/v1/docs'),
      await send(srv.url, 'GET', '/metrics'),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 401, 404, 400, 200, 401]);
    for (const r of answers) expect(r.headers.get('api-version')).toBe(PACKAGE_VERSION);
  });

  it('lives under /api/v1: the unversioned paths of release 1 answer 404 naming where the API is now', async () => {
    expect((await srv.request('GET', '/api/v1/tables')).status).toBe(200);
    const old = await srv.request('GET', '/api/tables');
    expect(old.status).toBe(404);
    expect(old.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(old.body).toMatchObject({ status: 404, code: 'NOT_FOUND', instance: '/api/tables', detail: expect.stringContaining('under /api/v1') });
    const doc = (await send(srv.url, 'GET', '/api/v1/openapi.json')).body;
    expect(doc.servers.map((s: { url: string }) => s.url)).toEqual(['/api/v1']);
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api'))).toEqual([]);
  });

  it('serves its description at /api/v1/openapi.json to any origin, and only the description', async () => {
    const origin = { origin: 'https://portaal.example' };
    const doc = await send(srv.url, 'GET', '/api/v1/openapi.json', undefined, origin);
    expect(doc.headers.get('access-control-allow-origin')).toBe('*');
    expect(doc.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const health = await send(srv.url, 'GET', '/api/v1/health', undefined, origin);
    expect(health.status).toBe(200);
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('its description has the semver, the contact, and says how to get each credential', async () => {
    const doc = (await send(srv.url, 'GET', '/api/v1/openapi.json')).body;
    expect(doc.info.version).toBe(PACKAGE_VERSION);
    expect(doc.info.contact).toEqual(CONTACT);
    const schemes = doc.components.securitySchemes;
    expect(schemes.token).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.token.description).toMatch(/POST \/api\/v1\/tokens/);
    expect(schemes.session).toMatchObject({ type: 'apiKey', in: 'cookie' });
    expect(schemes.session.description).toMatch(/POST \/api\/v1\/auth\/login/);
    expect(schemes.csrfToken).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-CSRF-Token' });
  });

  it('documents 401 and 403 on every guarded operation, 400 on every one that takes input, API-Version on every answer', async () => {
    const doc = (await send(srv.url, 'GET', '/api/v1/openapi.json')).body;
    const missing: string[] = [];
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { security?: unknown[]; parameters?: unknown[]; requestBody?: unknown; responses: Record<string, { headers?: Record<string, unknown> }> }>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (!['get', 'put', 'post', 'delete', 'patch'].includes(method)) continue;
        const guarded = !(Array.isArray(op.security) && op.security.length === 0);
        if (guarded && !(op.responses['401'] && op.responses['403'])) missing.push(`${method} ${path}: 401/403`);
        if ((method !== 'get' || op.parameters?.length) && !op.responses['400']) missing.push(`${method} ${path}: 400`);
        for (const [status, r] of Object.entries(op.responses)) if (!r.headers?.['API-Version']) missing.push(`${method} ${path} ${status}: API-Version`);
        if (guarded && method !== 'get') expect(op.security ?? doc.security).toContainEqual({ session: [], csrfToken: [] });
      }
    }
    expect(missing).toEqual([]);
  });

  it('its served description passes the NL API Design Rules linter (Logius ruleset, Spectral): no error, no unlisted warning', async () => {
    const served = await send(srv.url, 'GET', '/api/v1/openapi.json');
    expect(served.status).toBe(200);
    const findings = await lintWithAdr(served.text);
    expect(findings.filter((f) => f.severity === 'error').map(summary)).toEqual([]);
    const warnings = findings.filter((f) => f.severity === 'warning').map((f) => ({ rule: f.rule, path: f.path }));
    expect(warnings).toEqual(ACCEPTED_WARNINGS);
  }, 60_000);

  it('the linter does find what the rules forbid (so a clean result means something)', async () => {
    const doc = (await send(srv.url, 'GET', '/api/v1/openapi.json')).body;
    delete doc.info.contact;
    doc.servers = [{ url: '/api' }];
    doc.paths['/tables/'] = doc.paths['/tables'];
    doc.paths['/tables/{id}/inputSchema'] = doc.paths['/tables/{id}/versions/{n}/input-schema'];
    doc.paths['/evaluate/{tableId}'].post.responses['404'].content = { 'application/json': { schema: {} } };
    delete doc.paths['/tables'].post.responses['400'];
    delete doc.paths['/tables'].get.responses['200'].headers;
    const rules = new Set((await lintWithAdr(JSON.stringify(doc))).filter((f) => f.severity === 'error').map((f) => f.rule));
    for (const rule of ['info-contact', 'nlgov:include-major-version-in-uri', 'path-keys-no-trailing-slash', 'nlgov:paths-kebab-case', 'nlgov:use-problem-schema', 'nlgov:problem-invalid-input', 'nlgov:missing-header']) {
      expect(rules, rule).toContain(rule);
    }
  }, 60_000);
});

describe('the docs page at /api/v1/docs', () => {
  let srv: TestServer;
  beforeAll(async () => {
    // The repository's own tables and fixtures, which the examples use.
    srv = await testServer({ seedDir: REPO_ROOT });
  });
  afterAll(() => srv.stop());

  it('shows a worked example per door (evaluate, batch, fixtures run) with a token, and each works as written', async () => {
    const html = (await send(srv.url, 'GET', '/api/v1/docs')).text;
    const examples = [...html.matchAll(/<pre class="example">([\s\S]*?)<\/pre>/g)].map((m) => m[1]!);
    expect(examples).toHaveLength(3);
    const token = await srv.withToken(['evaluate', 'fixtures:run']);
    const answers = [];
    for (const text of examples) {
      expect(text).toContain('Authorization: Bearer $TOKEN');
      const [, method, path] = /curl -X (\w+) "\$BESLIS([^"]+)"/.exec(text)!;
      const body = /-d '([^']*)'/.exec(text)?.[1];
      answers.push(await token.request(method!, path!, body));
    }
    const [one, batch, fixtures] = answers;
    expect(one!.status, one!.text).toBe(200);
    expect(one!.body).toMatchObject({ tableId: 'handhaving.interventiematrix', output: { kwadrant: 4 } });
    expect(batch!.status, batch!.text).toBe(200);
    expect(batch!.body.results.map((r: { ref: string; output: { kwadrant: number } }) => [r.ref, r.output.kwadrant])).toEqual([
      ['zaak-1', 1],
      ['zaak-2', 4],
    ]);
    expect(fixtures!.status, fixtures!.text).toBe(200);
    const totals = fixtures!.body.totals;
    expect(totals).toMatchObject({ failed: 0 });
    expect(totals.passed).toBeGreaterThan(0);
  });

  it('says how to get each credential, and documents Deprecation, Sunset and HTTPS behind the proxy', async () => {
    const html = (await send(srv.url, 'GET', '/api/v1/docs')).text;
    for (const words of ['beslis tokens create', 'POST /api/v1/tokens', 'POST /api/v1/auth/login', 'X-CSRF-Token', 'Deprecation', 'Sunset', '--trust-proxy', 'HTTPS']) {
      expect(html, words).toContain(words);
    }
  });

  it('lists every problem type that an error answer points to', async () => {
    const doc = (await send(srv.url, 'GET', '/api/v1/openapi.json')).body;
    const refused = await (await srv.withToken(['evaluate'])).request('POST', '/api/v1/evaluate/handhaving.interventiematrix', { input: { gedrag: 'Z', gevolgen: 4 } });
    expect(refused.status).toBe(400);
    expect(doc['x-problem-types'][refused.body.code]).toEqual({ status: 400, title: refused.body.title, type: refused.body.type });
    expect(refused.body.type).toBe('/api/v1/docs#problem-invalid-input');
    expect(refused.body.invalidParams).toEqual([expect.objectContaining({ name: '/input/gedrag' })]);
  });
});
