// A corpus of malformed requests across the API: every answer is a 4xx problem details answer (application/problem+json
// whose status is the HTTP status, with release 1's error member inside, and the API-Version header), never a 5xx; the
// server still answers afterwards, and nothing in the store changed (apart from the audit of refused logins).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_VERSION } from '../../server/api/server.ts';
import { send, testServer, type Reply, type TestServer } from '../api/helpers.ts';

interface BadRequest {
  what: string;
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Send without the admin's credentials (for the broken-auth cases). */
  raw?: boolean;
}

const T = 'test.matrix';
const JSON_WRITES: [string, string][] = [
  ['POST', `/api/v1/evaluate/${T}`],
  ['POST', `/api/v1/evaluate/${T}/batch`],
  ['PUT', `/api/v1/tables/${T}/draft`],
  ['POST', '/api/v1/tables'],
  ['POST', `/api/v1/tables/${T}/draft/submit`],
  ['POST', `/api/v1/tables/${T}/draft/reject`],
  ['PUT', `/api/v1/tables/${T}/fixtures`],
  ['POST', '/api/v1/users'],
  ['POST', '/api/v1/tokens'],
  ['POST', '/api/v1/auth/login'],
  ['POST', `/api/v1/tables/${T}/draft/impact`],
];

const MALFORMED_JSON = ['{', '{"input":', '[1,', 'nul', '{"a":1}}', "{'a':1}", '\u0000', '{"a":01}', '"\\x"', ''];
const WRONG_SHAPES: unknown[] = [null, 5, 'tekst', [], true, [{ input: {} }], { input: 'x' }, { input: [] }, { cases: 'x' }, { table: 5 }];
const PROTO_KEYS: string[] = [
  '{"__proto__":{"admin":true},"input":{"__proto__":{"gedrag":"A"}}}',
  '{"constructor":{"prototype":{"x":1}},"input":{"constructor":{"prototype":{}}}}',
  '{"input":{"gedrag":"A\\u0000\\u0007","gevolgen":"\\u001b[31m"}}',
];

function corpus(): BadRequest[] {
  const list: BadRequest[] = [];
  for (const [method, path] of JSON_WRITES) {
    const headers: Record<string, string> = method === 'PUT' ? { 'if-match': '0' } : {};
    for (const body of MALFORMED_JSON) list.push({ what: `invalid JSON ${JSON.stringify(body)}`, method, path, body: body || ' ', headers });
    for (const body of WRONG_SHAPES) list.push({ what: `wrong shape ${JSON.stringify(body)}`, method, path, body: JSON.stringify(body), headers });
    for (const body of PROTO_KEYS) list.push({ what: `prototype keys / control characters`, method, path, body, headers });
    list.push({ what: 'text/plain body', method, path, body: '{"input":{}}', headers: { ...headers, 'content-type': 'text/plain' } });
    list.push({ what: 'deeply nested body', method, path, body: `${'['.repeat(20_000)}${']'.repeat(20_000)}`, headers });
    list.push({ what: 'body over the size limit', method, path, body: JSON.stringify({ input: { gedrag: 'x'.repeat(6 * 1024 * 1024) } }), headers });
  }
  const evaluate = `/api/v1/evaluate/${T}`;
  const good = { gedrag: 'A', gevolgen: 1 };
  for (const input of [{}, { gedrag: 'E', gevolgen: 1 }, { gedrag: 1, gevolgen: 'x' }, { gedrag: 'A', gevolgen: 99 }, { gedrag: null, gevolgen: null }]) {
    list.push({ what: `invalid input ${JSON.stringify(input)}`, method: 'POST', path: evaluate, body: JSON.stringify({ input }) });
  }
  for (const extra of [{ date: '2024-13-45' }, { date: 'gisteren' }, { asOf: 'ooit' }, { version: -1 }, { version: 'twee' }, { version: 1.5 }, { version: 999 }, { trace: 'ja' }, { date: 20240101 }]) {
    list.push({ what: `absurd option ${JSON.stringify(extra)}`, method: 'POST', path: evaluate, body: JSON.stringify({ input: good, ...extra }) });
  }
  for (const id of ['nope.x', 'NOPE', '%00', '..%2F..%2Fetc', 'a'.repeat(3000), 'test.matrix%0A']) {
    list.push({ what: `unknown table ${id.slice(0, 30)}`, method: 'POST', path: `/api/v1/evaluate/${id}`, body: JSON.stringify({ input: good }) });
    list.push({ what: `unknown table ${id.slice(0, 30)} (read)`, method: 'GET', path: `/api/v1/tables/${id}` });
  }
  for (const v of ['0', '-1', 'abc', '1e9', '99999999999999999999', '1.5']) {
    list.push({ what: `version ${v}`, method: 'GET', path: `/api/v1/tables/${T}/versions/${v}` });
  }
  for (const q of ['from=abc&to=draft', 'from=1&to=999', 'from=-5&to=1', 'from=1&to=later']) list.push({ what: `diff ?${q}`, method: 'GET', path: `/api/v1/tables/${T}/diff?${q}` });
  for (const q of ['by=week', 'from=morgen', 'from=2024-02-30', 'by=month&from=2025-01-01&to=2024-01-01']) {
    list.push({ what: `stats ?${q}`, method: 'GET', path: `/api/v1/tables/${T}/stats?${q}` });
  }
  for (const q of ['target=abc', 'target=-1', 'target=999', 'reporter=pdf']) {
    list.push({ what: `fixtures run ?${q}`, method: 'POST', path: `/api/v1/tables/${T}/fixtures/run?${q}`, body: '{}' });
  }
  for (const m of ['', 'abc', '-1', '1.5', '"1"']) {
    list.push({ what: `If-Match ${JSON.stringify(m)}`, method: 'PUT', path: `/api/v1/tables/${T}/draft`, body: '{"table":{}}', headers: { 'if-match': m } });
  }
  const authHeaders: Record<string, string>[] = [
    { authorization: 'Bearer' },
    { authorization: 'Bearer ' },
    { authorization: 'Basic YWRtaW46YWRtaW4=' },
    { authorization: `Bearer ${'x'.repeat(5000)}` },
    { authorization: 'Bearer bsl_00000000000000000000000000000000' },
    { authorization: 'Token bsl_x' },
    { cookie: 'beslis_session=garbage' },
    { cookie: '__Host-beslis_session=; beslis_session=%%%' },
  ];
  for (const headers of authHeaders) {
    list.push({ what: `broken auth ${JSON.stringify(headers).slice(0, 40)}`, method: 'POST', path: evaluate, body: JSON.stringify({ input: good }), headers, raw: true });
    list.push({ what: `broken auth on a write ${JSON.stringify(headers).slice(0, 40)}`, method: 'PUT', path: `/api/v1/tables/${T}/draft`, body: '{}', headers: { ...headers, 'if-match': '0' }, raw: true });
  }
  return list;
}

/** Everything a valid request could change, apart from logs: a request in the corpus must change none of it. */
function storeState(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = ['decision_tables', 'drafts', 'draft_editors', 'versions', 'fixtures', 'users', 'api_tokens'];
    return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()));
  } finally {
    db.close();
  }
}

describe('bad-input corpus', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer();
    await server.request('GET', '/api/v1/me');
  });
  afterAll(() => server.stop());

  const requests = corpus();

  it('holds at least 200 malformed requests across the endpoints', () => {
    expect(requests.length).toBeGreaterThanOrEqual(200);
    expect(new Set(requests.map((r) => r.path.split('?')[0]!.replace(/\/api\/v1\/(\w+).*/, '$1'))).size).toBeGreaterThanOrEqual(4);
  });

  it('answers each with a 4xx problem details answer (problem+json, status as the HTTP status), changes nothing, and keeps serving', async () => {
    const before = storeState(join(server.dir, 'beslis.db'));
    const wrong: string[] = [];
    for (const r of requests) {
      const reply = r.raw
        ? await send(server.url, r.method, r.path, r.body, r.headers)
        : await server.request(r.method, r.path, r.body, r.headers);
      const shapeOk =
        typeof reply.body === 'object' &&
        reply.body !== null &&
        typeof reply.body.error?.code === 'string' &&
        typeof reply.body.error?.message === 'string' &&
        (reply.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
        reply.body.status === reply.status &&
        typeof reply.body.title === 'string' &&
        typeof reply.body.detail === 'string' &&
        typeof reply.body.type === 'string' &&
        reply.body.code === reply.body.error.code &&
        Array.isArray(reply.body.invalidParams) &&
        reply.headers.get('api-version') === PACKAGE_VERSION;
      if (reply.status < 400 || reply.status > 499 || !shapeOk || /at .*\.ts:\d+/.test(reply.text)) {
        wrong.push(`${r.method} ${r.path.slice(0, 60)} (${r.what}): ${reply.status} ${reply.text.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect((await send(server.url, 'GET', '/api/v1/health')).status).toBe(200);
    expect(storeState(join(server.dir, 'beslis.db'))).toBe(before);
  }, 120_000);
});

// The attacks of a hostile table author and a hostile caller: each is now a 4xx or handled as FEEL says, and the
// server keeps answering others while it happens (a health request answers within a second: a liveness bound).
describe('attacks on compile cost, output size, the log, reserved names, ids and dates', () => {
  let server: TestServer;
  let approver: Awaited<ReturnType<TestServer['as']>>;
  const BUDGET_MS = 1_000;

  beforeAll(async () => {
    server = await testServer({ tableCheckBudgetMs: BUDGET_MS });
    approver = await server.as('vera', ['approver']);
  });
  afterAll(() => server.stop());

  const table = (id: string, over: Record<string, unknown> = {}) => ({
    id,
    title: `Aanval ${id}`,
    inputs: [{ name: 'a', type: 'number' }],
    outputs: [{ name: 'o', type: 'any' }],
    rules: [{ id: 'R1', when: {}, then: { o: '1' } }],
    ...over,
  });

  async function publish(t: Record<string, unknown>): Promise<void> {
    const created = await server.request('POST', '/api/v1/tables', { table: t });
    expect(created.status, created.text).toBe(201);
    const submitted = await server.request('POST', `/api/v1/tables/${t.id as string}/draft/submit`, { validFrom: '2020-01-01', note: 'aanval', retroactiveReason: 'de aanval geldt ook oude gevallen' });
    expect(submitted.status, submitted.text).toBe(200);
    const approved = await approver.request('POST', `/api/v1/tables/${t.id as string}/draft/approve`, { revision: submitted.body.revision });
    expect(approved.status, approved.text).toBe(201);
  }

  /** Runs `attack` while asking /api/v1/health every 50 ms; returns its reply and the slowest health answer (ms). */
  async function whileHealthy<T>(attack: () => Promise<T>): Promise<{ reply: T; slowest: number }> {
    let done = false;
    let slowest = 0;
    const probe = (async () => {
      while (!done) {
        const t0 = performance.now();
        const r = await send(server.url, 'GET', '/api/v1/health');
        expect(r.status).toBe(200);
        slowest = Math.max(slowest, performance.now() - t0);
        await new Promise((res) => setTimeout(res, 50));
      }
    })();
    const reply = await attack().finally(() => (done = true));
    await probe;
    return { reply, slowest };
  }

  const problemPaths = (r: Reply) => (r.body.error.details as { path: string }[]).map((d) => d.path);

  it('a table whose constants take many seconds to compute is refused within the budget; everyone else is served meanwhile', async () => {
    // Each cell stays inside every limit (1,000 lists: half a million comparisons), but 40 of them add up.
    const lists = `[${Array.from({ length: 1_000 }, (_, i) => `[${i}]`).join(',')}]`;
    const costly = table('aanval.kosten', {
      rules: [{ id: 'R0', when: {}, then: { o: '1' } }, ...Array.from({ length: 40 }, (_, i) => ({ id: `R${i + 1}`, when: {}, then: { o: `count(distinct values(${lists}))` } }))],
    });
    const before = storeState(join(server.dir, 'beslis.db'));
    const { reply, slowest } = await whileHealthy(() => server.request('POST', '/api/v1/tables', { table: costly }));
    expect(reply.status, reply.text).toBe(422);
    expect(reply.body.error.code).toBe('TABLE_TOO_COSTLY');
    // The checker names the rule it was compiling when the budget ran out.
    expect(problemPaths(reply)).toHaveLength(1);
    expect(problemPaths(reply)[0]).toMatch(/^\/table\/rules\/([1-9]|[1-3][0-9]|40)$/);
    expect(slowest).toBeLessThan(1_000);
    expect(storeState(join(server.dir, 'beslis.db'))).toBe(before);
    // The checker recovers: the next table is checked (and stored) as usual.
    const next = await server.request('POST', '/api/v1/tables', { table: table('aanval.daarna') });
    expect(next.status, next.text).toBe(201);
  }, 60_000);

  it('distinct values over a 47 KB literal list is linear: the draft saves, and the server stays responsive', async () => {
    const numbers = `[${Array.from({ length: 9_000 }, (_, i) => i % 4_500).join(',')}]`;
    expect(numbers.length).toBeGreaterThan(40_000);
    const t = table('aanval.uniek', { rules: [{ id: 'R1', when: {}, then: { o: `count(distinct values(${numbers}))` } }] });
    const { reply, slowest } = await whileHealthy(() => server.request('POST', '/api/v1/tables', { table: t }));
    expect(reply.status, reply.text).toBe(201);
    expect(slowest).toBeLessThan(1_000);
  }, 60_000);

  it('decimal(x, 2000000000) saves, publishes and evaluates to null (as FEEL says for an absurd scale)', async () => {
    const t = table('aanval.decimaal', { rules: [{ id: 'R1', when: {}, then: { o: 'decimal(a, 2000000000)' } }] });
    await publish(t);
    const r = await server.request('POST', '/api/v1/evaluate/aanval.decimaal', { input: { a: 1.5 } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.output).toEqual({ o: null });
    const folded = await server.request('POST', '/api/v1/tables', { table: table('aanval.decimaal-vast', { rules: [{ id: 'R1', when: {}, then: { o: 'decimal(1.5, -2000000000)' } }] }) });
    expect(folded.status, folded.text).toBe(201);
  }, 60_000);

  it('an output repeating a 4 MB input 99 times is a 422 LIMIT_EXCEEDED, and nothing of it is logged', async () => {
    const t = table('aanval.herhaal', {
      inputs: [{ name: 's', type: 'string' }],
      rules: [{ id: 'R1', when: {}, then: { o: Array(99).fill('s').join(' + ') } }],
    });
    await publish(t);
    const small = await server.request('POST', '/api/v1/evaluate/aanval.herhaal', { input: { s: 'ab' } });
    expect(small.body.output).toEqual({ o: 'ab'.repeat(99) });
    const { reply, slowest } = await whileHealthy(() => server.request('POST', '/api/v1/evaluate/aanval.herhaal', { input: { s: 'x'.repeat(4 * 1024 * 1024) } }));
    expect(reply.status, reply.text.slice(0, 300)).toBe(422);
    expect(reply.body.error.code).toBe('LIMIT_EXCEEDED');
    expect(slowest).toBeLessThan(1_000);
    const batch = await server.request('POST', '/api/v1/evaluate/aanval.herhaal/batch', { cases: [{ input: { s: 'x'.repeat(1024 * 1024) } }, { input: { s: 'ok' } }] });
    expect(batch.status).toBe(200);
    expect(batch.body.results[0].status).toBe(422);
    expect(batch.body.results[1].output).toEqual({ o: 'ok'.repeat(99) });
    await server.log.flush();
    const db = new Database(join(server.dir, 'beslis.db'), { readonly: true });
    const largest = db.prepare("SELECT MAX(LENGTH(output)) FROM evaluation_log WHERE table_id = 'aanval.herhaal'").pluck().get() as number;
    db.close();
    expect(largest).toBeLessThan(1_000);
  }, 60_000);

  it('a trace or a batch whose answer would pass 32 MB is a 413 RESPONSE_TOO_LARGE; smaller ones are answered', async () => {
    const t = table('aanval.groot', {
      hitPolicy: 'COLLECT',
      inputs: [{ name: 's', type: 'string' }],
      outputs: [{ name: 'o', type: 'string' }],
      rules: [
        { id: 'R1', when: {}, then: { o: Array(10).fill('s').join(' + ') } },
        ...Array.from({ length: 399 }, (_, i) => ({ id: `N${i}`, when: { s: `"nooit-${i}"` }, then: { o: '"nee"' } })),
      ],
    });
    await publish(t);
    const s = 'x'.repeat(99_000);
    const plain = await server.request('POST', '/api/v1/evaluate/aanval.groot', { input: { s } });
    expect(plain.status).toBe(200);
    expect(plain.body.output[0].o.length).toBe(990_000);
    // 400 rules each showing the 99 KB value read: 40 MB of trace.
    const traced = await server.request('POST', '/api/v1/evaluate/aanval.groot', { input: { s }, trace: true });
    expect(traced.status, traced.text.slice(0, 200)).toBe(413);
    expect(traced.body.error.code).toBe('RESPONSE_TOO_LARGE');
    const batch = await server.request('POST', '/api/v1/evaluate/aanval.groot/batch', { cases: Array.from({ length: 40 }, () => ({ input: { s } })) });
    expect(batch.status, batch.text.slice(0, 200)).toBe(413);
    expect(batch.body.error.details[0].path).toMatch(/^\/cases\/\d+$/);
    const fewer = await server.request('POST', '/api/v1/evaluate/aanval.groot/batch', { cases: Array.from({ length: 10 }, () => ({ input: { s } })) });
    expect(fewer.status).toBe(200);
    expect(fewer.body.results).toHaveLength(10);
  }, 60_000);

  it('undeclared input keys are ignored: the decision is made, and only the declared inputs are logged', async () => {
    const r = await server.request('POST', '/api/v1/evaluate/aanval.decimaal', { input: { a: 2, ruis: 'x'.repeat(1024 * 1024), diep: { b: [1, 2, 3] } } });
    expect(r.status, r.text.slice(0, 200)).toBe(200);
    await server.log.flush();
    const db = new Database(join(server.dir, 'beslis.db'), { readonly: true });
    const inputs = (db.prepare("SELECT input FROM evaluation_log WHERE table_id = 'aanval.decimaal'").pluck().all() as string[]).map((i) => JSON.parse(i) as unknown);
    db.close();
    expect(inputs).toContainEqual({ a: 2 });
    expect(inputs.every((i) => Object.keys(i as object).join() === 'a')).toBe(true);
  }, 60_000);

  it.each([
    ['an input path through __proto__', { inputs: [{ name: 'a', type: 'number', path: '__proto__.x' }] }, '/table/inputs/0/path'],
    ['an input path through constructor.prototype', { inputs: [{ name: 'a', type: 'number', path: 'zaak.constructor.prototype' }] }, '/table/inputs/0/path'],
    ['an output named __proto__', { outputs: [{ name: '__proto__', type: 'any' }], rules: [{ id: 'R1', when: {}, then: JSON.parse('{"__proto__":"1"}') as unknown }] }, '/table/outputs/0/name'],
    ['an input named constructor', { inputs: [{ name: 'constructor', type: 'number' }] }, '/table/inputs/0/name'],
    ['an input named prototype', { inputs: [{ name: 'prototype', type: 'number' }] }, '/table/inputs/0/name'],
    ['a context key __proto__ in a cell', { rules: [{ id: 'R1', when: {}, then: { o: '{__proto__: {a: 1}}' } }] }, '/table/rules/0/then/o'],
  ])('reserved names: %s is a 422 naming the field', async (_what, over, path) => {
    const body = JSON.stringify({ table: table('aanval.gereserveerd', over as Record<string, unknown>) });
    const r = await server.request('POST', '/api/v1/tables', body);
    expect(r.status, r.text).toBe(422);
    expect(problemPaths(r)).toContain(path);
  });

  it('inputs named toString and hasOwnProperty and an output named valueOf work as data', async () => {
    const t = table('aanval.namen', {
      inputs: [
        { name: 'toString', type: 'number' },
        { name: 'hasOwnProperty', type: 'string', values: ['ja', 'nee'] },
      ],
      outputs: [{ name: 'valueOf', type: 'number' }, { name: 'isPrototypeOf', type: 'string' }],
      rules: [
        { id: 'R1', when: { toString: '> 1', hasOwnProperty: '"ja"' }, then: { valueOf: 'toString * 2', isPrototypeOf: 'hasOwnProperty' } },
        { id: 'R2', when: { toString: '<= 1' }, then: { valueOf: '0', isPrototypeOf: '"klein"' } },
      ],
    });
    await publish(t);
    const r = await server.request('POST', '/api/v1/evaluate/aanval.namen', { input: { toString: 21, hasOwnProperty: 'ja' } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.output).toEqual({ valueOf: 42, isPrototypeOf: 'ja' });
    const missing = await server.request('POST', '/api/v1/evaluate/aanval.namen', { input: {} });
    expect(missing.status).toBe(400);
    expect([...new Set(problemPaths(missing))].sort()).toEqual(['/input/hasOwnProperty', '/input/toString']);
  }, 60_000);

  it('a table id of 5,000 characters or 9 segments is a 422 naming /table/id; 100 characters and 8 segments are fine', async () => {
    for (const id of ['a'.repeat(5_000), 'a.b.c.d.e.f.g.h.i', `x.${'y'.repeat(99)}`]) {
      const r = await server.request('POST', '/api/v1/tables', { table: table(id) });
      expect(r.status, r.text.slice(0, 200)).toBe(422);
      expect(problemPaths(r)).toEqual(['/table/id']);
    }
    for (const id of ['a.b.c.d.e.f.g.h', `x.${'y'.repeat(98)}`]) {
      const r = await server.request('POST', '/api/v1/tables', { table: table(id) });
      expect(r.status, r.text.slice(0, 200)).toBe(201);
    }
  });

  it('dates past year 9999 are well-formed, past the representable range null; never a malformed string', async () => {
    const t = table('aanval.kalender', {
      inputs: [{ name: 'd', type: 'date' }],
      outputs: [
        { name: 'later', type: 'any' },
        { name: 'ver', type: 'any' },
        { name: 'tijd', type: 'any' },
        { name: 'duur', type: 'any' },
        { name: 'moment', type: 'any' },
      ],
      rules: [
        {
          id: 'R1',
          when: {},
          then: {
            later: 'd + duration("P1Y")',
            ver: 'd + duration("P1000000000Y")',
            tijd: 'time(25, 61, 0)',
            duur: 'duration("P99999999999999999999Y")',
            moment: 'date and time("2020-01-01T00:00:00") + duration("P999999999999D")',
          },
        },
      ],
    });
    await publish(t);
    const r = await server.request('POST', '/api/v1/evaluate/aanval.kalender', { input: { d: '9999-12-31' } });
    expect(r.status, r.text).toBe(200);
    expect(r.body.output).toEqual({ later: '10000-12-31', ver: null, tijd: null, duur: null, moment: null });
  }, 60_000);
});
