// The evaluate API against a real server on a loopback port and a real SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../server/store/canonical.ts';
import { testServer, type TestServer } from './helpers.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => {
  await srv.stop();
});

const evaluate = (tableId: string, body: unknown) => srv.request('POST', `/api/v1/evaluate/${tableId}`, body);

describe('version choice on two clocks', () => {
  it.each([
    ['2020-01-01', 1, 100],
    ['2023-12-31', 1, 100],
    ['2024-01-01', 2, 110],
    ['2024-12-31', 2, 110],
    ['2025-06-01', 3, 120],
  ])('case date %s decides with version %i', async (date, version, boete) => {
    const r = await evaluate('test.boete', { input: { categorie: 'A' }, date });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tableId: 'test.boete', version, output: { boete }, matched: ['A'] });
  });

  it('without a date, today decides (the newest version valid now)', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'B' } });
    expect(r.body).toMatchObject({ version: 3, validFrom: '2025-01-01', output: { boete: 240 } });
  });

  it('echoes the hash of the canonical JSON of the version', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'A' }, date: '2024-05-05' });
    const v2 = await srv.request('GET', '/api/v1/tables/test.boete/versions/2');
    expect(r.body.hash).toBe(contentHash(v2.body));
    expect(r.body.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(v2.headers.get('etag')).toBe(`"${r.body.hash}"`);
  });

  it('asOf leaves out versions published later: the rules valid on the case date as known then', async () => {
    // v3 (valid from 2025-01-01) was published on 2025-03-01.
    const before = await evaluate('test.boete', { input: { categorie: 'A' }, date: '2025-02-15', asOf: '2025-02-28T23:00:00Z' });
    expect(before.body).toMatchObject({ version: 2, output: { boete: 110 } });
    const after = await evaluate('test.boete', { input: { categorie: 'A' }, date: '2025-02-15', asOf: '2025-03-01T10:00:00Z' });
    expect(after.body).toMatchObject({ version: 3, output: { boete: 120 } });
    // A date alone means the end of that day.
    const sameDay = await evaluate('test.boete', { input: { categorie: 'A' }, date: '2025-02-15', asOf: '2025-03-01' });
    expect(sameDay.body.version).toBe(3);
    const dayBefore = await evaluate('test.boete', { input: { categorie: 'A' }, date: '2025-02-15', asOf: '2025-02-28' });
    expect(dayBefore.body.version).toBe(2);
  });

  it('asOf before any publication finds nothing (404)', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'A' }, date: '2025-02-15', asOf: '2019-01-01T00:00:00Z' });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NO_VALID_VERSION');
  });

  it('a pinned version wins over date and asOf', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'A' }, date: '2025-06-01', version: 1 });
    expect(r.body).toMatchObject({ version: 1, validFrom: '2020-01-01', output: { boete: 100 } });
  });

  it('a date before the first version is a 404 naming the date', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'A' }, date: '2019-06-01' });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'NO_VALID_VERSION' });
    expect(r.body.error.message).toContain('2019-06-01');
  });
});

describe('input validation', () => {
  it('names every problem by its JSON path', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'Z', eerder: 'twee' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_INPUT');
    const paths = r.body.error.details.map((d: { path: string }) => d.path).sort();
    expect(paths).toEqual(['/input/categorie', '/input/eerder']);
    // The engine's own messages reach the client: the allowed values, and what was sent.
    expect(r.body.error.details).toContainEqual(expect.objectContaining({ path: '/input/categorie', message: '"Z" is not one of the allowed values: "A", "B"', code: 'INPUT_NOT_ALLOWED' }));
    expect(r.body.error.details).toContainEqual(expect.objectContaining({ path: '/input/eerder', message: 'must be a number, got "twee"', code: 'INPUT_WRONG_TYPE', params: { type: 'number', value: '"twee"' } }));
    expect(r.body.error.message).toBe('invalid input (2 problems)');
  });

  it('says in the message which field is wrong when there is one', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'A', eerder: true } });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'INVALID_INPUT', message: 'invalid input /input/eerder: must be a number, got true' });
  });

  it('requires inputs unless optional; optional ones accept null', async () => {
    const missing = await evaluate('test.boete', { input: {} });
    expect(missing.status).toBe(400);
    expect(missing.body.error.details).toEqual([{ path: '/input/categorie', message: 'categorie is required', code: 'INPUT_REQUIRED', params: { name: 'categorie' } }]);
    const withNull = await evaluate('test.boete', { input: { categorie: 'A', eerder: null } });
    expect(withNull.status).toBe(200);
  });

  it('allows fields the table does not read (a case system sends its whole case)', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'A', zaaknummer: 'Z-2024-17' }, date: '2021-01-01' });
    expect(r.status).toBe(200);
  });

  it('refuses unknown request fields and wrong types in the envelope', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'A' }, versoin: 2 });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'INVALID_REQUEST', details: [{ path: '/versoin' }] });
    const badDate = await evaluate('test.boete', { input: { categorie: 'A' }, date: '01-03-2024' });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.details[0].path).toBe('/date');
    const badInput = await evaluate('test.boete', { input: ['A'] });
    expect(badInput.status).toBe(400);
    expect(badInput.body.error.details[0].path).toBe('/input');
  });

  it('serves the derived input schema of a version', async () => {
    const r = await srv.request('GET', '/api/v1/tables/test.boete/versions/1/input-schema');
    expect(r.body).toMatchObject({
      type: 'object',
      required: ['categorie'],
      additionalProperties: true,
      properties: { categorie: { type: 'string', enum: ['A', 'B'] }, eerder: { type: ['number', 'null'] } },
    });
  });
});

describe('trace and chains', () => {
  it('returns the trace when asked', async () => {
    const r = await evaluate('test.boete', { input: { categorie: 'B' }, date: '2021-01-01', trace: true });
    expect(r.body.trace).toHaveLength(2);
    expect(r.body.trace[1]).toMatchObject({ ruleId: 'B', matched: true });
    const without = await evaluate('test.boete', { input: { categorie: 'B' }, date: '2021-01-01' });
    expect(without.body.trace).toBeUndefined();
  });

  it('evaluates required tables first and feeds their outputs; steps list them', async () => {
    const r = await evaluate('test.matrix', { input: { houding: 'welwillend', gevolgen: 2 }, date: '2024-01-01' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tableId: 'test.matrix', version: 1, output: { interventie: 'hersteltermijn' }, matched: ['M2'] });
    expect(r.body.steps).toEqual([
      expect.objectContaining({ tableId: 'test.gedrag', version: 1, output: { gedrag: 'A' }, matched: ['G1'] }),
    ]);
  });

  it('a value the case gives itself is not replaced by a required table', async () => {
    const r = await evaluate('test.matrix', { input: { houding: 'welwillend', gedrag: 'B', gevolgen: 1 } });
    expect(r.body.output).toEqual({ interventie: 'last onder dwangsom' });
  });

  it("a required table's missing input is reported by path", async () => {
    const r = await evaluate('test.matrix', { input: { gevolgen: 1 } });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ path: '/input/houding', message: 'houding is required', code: 'INPUT_REQUIRED', params: { name: 'houding' } }]);
    expect(r.body.error.message).toBe('invalid input /input/houding: houding is required (for required table test.gedrag)');
  });
});

describe('fixtures of a chained table', () => {
  it('run the chain, as evaluate does: a case may leave out what a required table decides', async () => {
    const fixtures = {
      table: 'test.matrix',
      cases: [
        { name: 'via gedrag', input: { houding: 'welwillend', gevolgen: 2 }, expect: { interventie: 'hersteltermijn' } },
        { name: 'zelf gegeven', input: { houding: 'welwillend', gedrag: 'B', gevolgen: 1 }, expect: { interventie: 'last onder dwangsom' } },
        { name: 'houding ontbreekt', input: { gevolgen: 1 }, expectError: 'INVALID_INPUT' },
      ],
    };
    expect((await srv.request('PUT', '/api/v1/tables/test.matrix/fixtures', { fixtures, reason: 'testgevallen voor de matrix' })).status).toBeLessThan(300);
    const r = await srv.request('POST', '/api/v1/tables/test.matrix/fixtures/run');
    expect(r.status, r.text).toBe(200);
    expect(r.body.cases.map((c: { name: string; pass: boolean }) => [c.name, c.pass])).toEqual([
      ['via gedrag', true],
      ['zelf gegeven', true],
      ['houding ontbreekt', true],
    ]);
    expect(r.body.cases[2].error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(r.body.cases[2].error.message).toContain('test.gedrag');
  });
});

describe('batch', () => {
  it('answers every case in order; a bad case gets its own error entry', async () => {
    const r = await srv.request('POST', '/api/v1/evaluate/test.boete/batch', {
      date: '2024-06-01',
      cases: [
        { input: { categorie: 'A' }, ref: 'z1' },
        { input: { categorie: 'Q' }, ref: 'z2' },
        { input: { categorie: 'B' }, date: '2021-01-01' },
        { inptu: {} },
        { input: { categorie: 'B' }, version: 42 },
        { input: { categorie: 'A' }, date: '2018-01-01' },
      ],
    });
    expect(r.status).toBe(200);
    const [a, b, c, d, e, f] = r.body.results;
    expect(r.body.results).toHaveLength(6);
    expect(a).toMatchObject({ ref: 'z1', version: 2, output: { boete: 110 } });
    expect(b).toMatchObject({ ref: 'z2', status: 400, error: { code: 'INVALID_INPUT', details: [{ path: '/cases/1/input/categorie' }] } });
    expect(c).toMatchObject({ version: 1, output: { boete: 200 } });
    expect(d).toMatchObject({ status: 400, error: { code: 'INVALID_REQUEST' } });
    expect(d.error.details.map((x: { path: string }) => x.path)).toEqual(expect.arrayContaining(['/cases/3/input', '/cases/3/inptu']));
    expect(e).toMatchObject({ status: 404, error: { code: 'VERSION_NOT_FOUND' } });
    expect(f).toMatchObject({ status: 404, error: { code: 'NO_VALID_VERSION' } });
  });

  it('an unknown table fails the whole batch (404); a malformed batch is 400', async () => {
    expect((await srv.request('POST', '/api/v1/evaluate/test.nope/batch', { cases: [] })).status).toBe(404);
    const r = await srv.request('POST', '/api/v1/evaluate/test.boete/batch', { cases: 'A' });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('/cases');
  });
});

describe('error statuses', () => {
  it('400 for malformed JSON, with the error shape and no stack', async () => {
    const r = await srv.request('POST', '/api/v1/evaluate/test.boete', '{"input": {"categorie": "A"', { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('MALFORMED_JSON');
    expect(r.text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('400 for a body that is not JSON at all', async () => {
    const r = await srv.request('POST', '/api/v1/evaluate/test.boete', 'categorie=A', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('INVALID_REQUEST');
  });

  it('404 for an unknown table, an unknown version and an unknown endpoint', async () => {
    const t = await evaluate('test.bestaat-niet', { input: {} });
    expect(t.status).toBe(404);
    expect(t.body.error.code).toBe('TABLE_NOT_FOUND');
    const v = await evaluate('test.boete', { input: { categorie: 'A' }, version: 9 });
    expect(v.status).toBe(404);
    expect(v.body.error).toMatchObject({ code: 'VERSION_NOT_FOUND', versions: [1, 2, 3] });
    const e = await srv.request('GET', '/api/v1/bestaat-niet');
    expect(e.status).toBe(404);
    expect(e.body.error.code).toBe('NOT_FOUND');
    expect((await srv.request('GET', '/api/v1/tables/test.boete/versions/7')).status).toBe(404);
    expect((await srv.request('GET', '/api/v1/tables/test.boete/versions/zeven')).status).toBe(400);
  });

  it('413 for a body over the limit', async () => {
    const big = { input: { categorie: 'A', padding: 'x'.repeat(6 * 1024 * 1024) } };
    const r = await evaluate('test.boete', big);
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('422 HIT_POLICY_VIOLATION naming the rules', async () => {
    const r = await evaluate('test.overlap', { input: { x: 7 } });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('HIT_POLICY_VIOLATION');
    expect(JSON.stringify(r.body.error)).toContain('laag');
    expect(JSON.stringify(r.body.error)).toContain('midden');
    expect(r.body.error).toMatchObject({ tableId: 'test.overlap', version: 1 });
    // Outside the overlap the table answers.
    expect((await evaluate('test.overlap', { input: { x: 3 } })).body.output).toEqual({ y: 'laag' });
  });

  it('a malformed percent-escape in the path is a 400, not a 500', async () => {
    const r = await srv.request('GET', '/api/v1/tables/%E0%A4%A');
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r.body.error).toBeDefined();
  });

  it('security headers are set and x-powered-by is not', async () => {
    const r = await srv.request('GET', '/api/v1/health');
    expect(r.body).toEqual({ status: 'ok', version: expect.any(String) });
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-powered-by')).toBeNull();
  });
});

describe('evaluation log', () => {
  it('writes evaluations in batches off the request path', async () => {
    const before = (await srv.store.value<number>("SELECT COUNT(*) FROM evaluation_log WHERE table_id = 'test.gedrag'"))!;
    await Promise.all(
      ['welwillend', 'onverschillig', 'calculerend'].map((houding) => evaluate('test.gedrag', { input: { houding }, date: '2024-02-02' })),
    );
    await srv.log.flush();
    const rows = await srv.store.all<{ version: number; input: string; output: string; matched: string; case_date: string; caller: string }>(
      "SELECT version, input, output, matched, case_date, caller FROM evaluation_log WHERE table_id = 'test.gedrag' ORDER BY id",
    );
    expect(rows.length - before).toBe(3);
    const last3 = rows.slice(-3);
    expect(last3.map((r) => JSON.parse(r.output).gedrag).sort()).toEqual(['A', 'B', 'C']);
    expect(last3.every((r) => r.case_date === '2024-02-02' && r.caller === 'admin' && r.version === 1)).toBe(true);
  });
});
