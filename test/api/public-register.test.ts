// The public register's API (/api/v1/public/…, issue 23 point 3) against a real server on loopback, loaded from
// policy files with public and non-public versions (public-seed.ts): what a resident's app or a journalist's script
// sees without any credentials — the tables in force that are public, their history, a decided case with its
// reasoning — and what it never sees: a table that is not public, in any form; and nothing of a case is logged.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, testServer, type Reply, type TestServer } from './helpers.ts';
import { publicSeed } from './public-seed.ts';

/** Every line the server's request log wrote. */
const lines: string[] = [];
const capture = { write: (s: string) => void lines.push(...s.split('\n').filter(Boolean)) };

let srv: TestServer;
let seed: string;
const get = (path: string) => send(srv.url, 'GET', path);
const evaluate = (id: string, body: unknown) => send(srv.url, 'POST', `/api/v1/public/tables/${id}/evaluate`, body);

beforeAll(async () => {
  seed = publicSeed();
  srv = await testServer({ seedDir: seed, requestLog: { level: 'info', destination: capture } });
}, 60_000);
afterAll(async () => {
  await srv.stop();
  rmSync(seed, { recursive: true, force: true });
});

function expectProblem(r: Reply, status: number, code: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({ status, code });
}

describe('the tables in force', () => {
  it('lists only the tables whose version in force today is public, with title, owner, version and start', async () => {
    const r = await get('/api/v1/public/tables');
    expect(r.status).toBe(200);
    expect(r.headers.get('api-version')).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.body.tables.map((t: { id: string }) => t.id)).toEqual(['test.boete', 'test.matrix']);
    expect(r.body.tables[0]).toMatchObject({
      id: 'test.boete',
      domain: 'test',
      title: 'Testboete v3',
      owner: 'Team Test',
      version: 4,
      validFrom: '2026-01-01',
      links: { page: '/register/tables/test.boete', self: '/api/v1/public/tables/test.boete' },
    });
  });

  it('gives a table in full: the published table, its history newest first (no unannounced later version), no names of people', async () => {
    const r = await get('/api/v1/public/tables/test.boete');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 'test.boete', version: 4, inForce: true, validUntil: null });
    expect(r.body.table.rules.map((x: { id: string }) => x.id)).toEqual(['A', 'B']);
    expect(r.body.table.meta.public).toBe(true);
    expect(r.body.history.map((v: { version: number; validFrom: string; validUntil: string | null; inForce: boolean }) => [v.version, v.validFrom, v.validUntil, v.inForce])).toEqual([
      [4, '2026-01-01', null, true],
      [3, '2025-01-01', '2025-12-31', false],
      [2, '2024-01-01', '2024-12-31', false],
      [1, '2020-01-01', '2023-12-31', false],
    ]);
    // Who wrote and approved a version are civil servants' names: not in the public answer.
    for (const name of ['ans', 'bert', 'carla', 'import']) expect(r.text).not.toContain(`"${name}"`);
    const versions = await get('/api/v1/public/tables/test.boete/versions');
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([4, 3, 2, 1]);
  });

  it('reads an earlier version of the history, but not one the register does not show', async () => {
    const v2 = await get('/api/v1/public/tables/test.boete/versions/2');
    expect(v2.status).toBe(200);
    expect(v2.body).toMatchObject({ version: 2, inForce: false, validUntil: '2024-12-31', links: { page: '/register/tables/test.boete/versions/2' } });
    expectProblem(await get('/api/v1/public/tables/test.boete/versions/5'), 404, 'VERSION_NOT_FOUND');
    expectProblem(await get('/api/v1/public/tables/test.boete/versions/9'), 404, 'VERSION_NOT_FOUND');
    expectProblem(await get('/api/v1/public/tables/test.boete/versions/nul'), 400, 'INVALID_PARAMETER');
  });
});

describe('trying a case', () => {
  it('decides with the version in force and explains it in Dutch and English', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'B' } });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ tableId: 'test.boete', version: 4, validFrom: '2026-01-01', output: { boete: 240 }, matched: ['B'] });
    expect(r.body.explanation.nl).toContain('Besluit: Testboete v3, versie 4, geldig vanaf 1 januari 2026.');
    expect(r.body.explanation.en).toContain('version 4');
    expect(r.body.trace).toBeUndefined();
  });

  it('on a chosen date the version of that day decides; before the first version there is none', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'B' }, date: '2024-06-01' });
    expect(r.body).toMatchObject({ version: 2, output: { boete: 220 } });
    expectProblem(await evaluate('test.boete', { input: { categorie: 'B' }, date: '2019-06-01' }), 404, 'NO_VALID_VERSION');
    // A later version that is not public never decides, not even on its own date.
    expect((await evaluate('test.boete', { input: { categorie: 'B' }, date: '2099-06-01' })).body.version).toBe(4);
  });

  it('refuses a bad case naming the field, and a body that does not fit', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'Z' } });
    expectProblem(r, 400, 'INVALID_INPUT');
    expect(r.body.invalidParams[0].name).toBe('/input/categorie');
    expectProblem(await evaluate('test.boete', { input: { categorie: 'A' }, trace: true }), 400, 'INVALID_REQUEST');
    expectProblem(await evaluate('test.boete', { input: { categorie: 'A' }, date: 'gisteren' }), 400, 'INVALID_REQUEST');
    expectProblem(await send(srv.url, 'POST', '/api/v1/public/tables/test.boete/evaluate', '{"input":'), 400, 'MALFORMED_JSON');
  });

  it('a chain runs only through tables in the register: test.matrix needs test.gedrag (not public) unless the case gives gedrag', async () => {
    const needs = await evaluate('test.matrix', { input: { houding: 'welwillend', gevolgen: 1 } });
    expectProblem(needs, 404, 'TABLE_NOT_FOUND');
    expect(needs.body.detail).toContain("'test.gedrag', which is not in the public register");
    expect(needs.text).not.toContain('"steps"');
    const given = await evaluate('test.matrix', { input: { gedrag: 'A', gevolgen: 1 } });
    expect(given.status, given.text).toBe(200);
    expect(given.body).toMatchObject({ version: 2, output: { interventie: 'waarschuwing' } });
    expect(given.body.steps).toBeUndefined();
  });
});

describe('a table that is not public', () => {
  const invisible = ['test.gedrag', 'test.overlap', 'test.nobody'];

  it.each(invisible)('%s: not listed, and its detail, history, versions and try-it answer 404 like an unknown table', async (id) => {
    const list = await get('/api/v1/public/tables');
    expect(list.body.tables.map((t: { id: string }) => t.id)).not.toContain(id);
    const answers = [
      await get(`/api/v1/public/tables/${id}`),
      await get(`/api/v1/public/tables/${id}/versions`),
      await get(`/api/v1/public/tables/${id}/versions/1`),
      await evaluate(id, { input: { houding: 'welwillend', x: 1 } }),
    ];
    for (const r of answers) {
      expectProblem(r, 404, 'TABLE_NOT_FOUND');
      expect(r.body.detail).toBe(`no table '${id}' in the public register`);
    }
  });

  it('test.overlap was public until its non-public version came into force: its earlier version is gone too', async () => {
    const r = await get('/api/v1/public/tables/test.overlap/versions/1');
    expectProblem(r, 404, 'TABLE_NOT_FOUND');
    expect(r.text).not.toContain('laag');
  });
});

describe('what is logged of a public evaluation', () => {
  it('nothing in the evaluation log, no input in the request log: a count per table and version only', async () => {
    const count = async () => (await srv.store.value<number>('SELECT COUNT(*) FROM evaluation_log'))!;
    const metrics = async () => (await srv.request('GET', '/metrics')).text;
    const counted = (text: string) => Number(/^beslis_evaluations_total\{table="test\.boete",version="4"\} (\d+)/m.exec(text)?.[1] ?? 0);
    await srv.log.flush();
    const rowsBefore = await count();
    const before = counted(await metrics());
    const marker = 'A';
    const r = await send(srv.url, 'POST', '/api/v1/public/tables/test.boete/evaluate', { input: { categorie: marker, eerder: 987654 } }, { 'x-request-id': 'public-try-1' });
    expect(r.status, r.text).toBe(200);
    await srv.log.flush();
    expect(await count()).toBe(rowsBefore);
    expect(counted(await metrics())).toBe(before + 1);
    // The request log's line: method, route, path, status, time; the case's values are not in it.
    await new Promise((res) => setTimeout(res, 50));
    const line = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.reqId === 'public-try-1');
    expect(line).toMatchObject({ method: 'POST', route: '/api/v1/public/tables/:id/evaluate', path: '/api/v1/public/tables/test.boete/evaluate', status: 200, actor: 'anonymous' });
    expect(JSON.stringify(line)).not.toContain('987654');
    expect(JSON.stringify(line)).not.toContain('127.0.0.1');
    // A page of the register is logged by its route under /register, so /metrics counts it apart from the editor's.
    await send(srv.url, 'GET', '/register/tables/test.boete', undefined, { 'x-request-id': 'public-page-1' });
    await new Promise((res) => setTimeout(res, 50));
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.reqId === 'public-page-1')).toMatchObject({ route: '/register/tables/:id', status: 200 });
    // An evaluation through the guarded API is logged as before: the difference is the door, not the table.
    const token = await srv.withToken(['evaluate']);
    expect((await token.request('POST', '/api/v1/evaluate/test.boete', { input: { categorie: 'A', eerder: 123456 } })).status).toBe(200);
    await srv.log.flush();
    expect(await count()).toBe(rowsBefore + 1);
  });

  it('never reads credentials: a broken cookie or token changes nothing', async () => {
    const r = await send(srv.url, 'POST', '/api/v1/public/tables/test.boete/evaluate', { input: { categorie: 'A' } }, { cookie: `beslis_session=${'A'.repeat(43)}`, authorization: 'Bearer nonsense' });
    expect(r.status, r.text).toBe(200);
  });
});

describe('rate limits per client address', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await testServer({
      seedDir: seed,
      // Behind a proxy the client's address is the one counted; here X-Forwarded-For plays two clients.
      trustProxy: 'loopback',
      publicLimits: { reads: { burst: 4, perMinute: 1 }, evaluations: { burst: 2, perMinute: 1 } },
    });
  }, 60_000);
  afterAll(() => limited.stop());

  const as = (ip: string) => ({ 'x-forwarded-for': ip });

  it('answers 429 problem+json with Retry-After past the burst; another client and the other budget go on', async () => {
    const ev = (ip: string) => send(limited.url, 'POST', '/api/v1/public/tables/test.boete/evaluate', { input: { categorie: 'A' } }, as(ip));
    expect((await ev('198.51.100.7')).status).toBe(200);
    expect((await ev('198.51.100.7')).status).toBe(200);
    const refused = await ev('198.51.100.7');
    expectProblem(refused, 429, 'RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.detail).toContain('at most 2 at once and 1 a minute');
    // Someone else is not held up by the first client, and reading is a budget of its own.
    expect((await ev('198.51.100.8')).status).toBe(200);
    expect((await send(limited.url, 'GET', '/api/v1/public/tables', undefined, as('198.51.100.7'))).status).toBe(200);
  });

  it('the register pages share the read budget and say so in a page, in the reader language', async () => {
    const ip = as('198.51.100.9');
    for (let i = 0; i < 4; i++) expect((await send(limited.url, 'GET', '/register', undefined, ip)).status).toBe(200);
    const page = await send(limited.url, 'GET', '/register?lang=en', undefined, ip);
    expect(page.status).toBe(429);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('Please try again in');
    expectProblem(await send(limited.url, 'GET', '/api/v1/public/tables', undefined, ip), 429, 'RATE_LIMITED');
  });
});
