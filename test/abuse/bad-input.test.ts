// A corpus of malformed requests across the API: every answer is a 4xx with the JSON error shape, never a 5xx; the
// server still answers afterwards, and nothing in the store changed (apart from the audit of refused logins).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, testServer, type TestServer } from '../api/helpers.ts';

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
  ['POST', `/api/evaluate/${T}`],
  ['POST', `/api/evaluate/${T}/batch`],
  ['PUT', `/api/tables/${T}/draft`],
  ['POST', '/api/tables'],
  ['POST', `/api/tables/${T}/draft/submit`],
  ['POST', `/api/tables/${T}/draft/reject`],
  ['PUT', `/api/tables/${T}/fixtures`],
  ['POST', '/api/users'],
  ['POST', '/api/tokens'],
  ['POST', '/api/auth/login'],
  ['POST', `/api/tables/${T}/draft/impact`],
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
  const evaluate = `/api/evaluate/${T}`;
  const good = { gedrag: 'A', gevolgen: 1 };
  for (const input of [{}, { gedrag: 'E', gevolgen: 1 }, { gedrag: 1, gevolgen: 'x' }, { gedrag: 'A', gevolgen: 99 }, { gedrag: null, gevolgen: null }]) {
    list.push({ what: `invalid input ${JSON.stringify(input)}`, method: 'POST', path: evaluate, body: JSON.stringify({ input }) });
  }
  for (const extra of [{ date: '2024-13-45' }, { date: 'gisteren' }, { asOf: 'ooit' }, { version: -1 }, { version: 'twee' }, { version: 1.5 }, { version: 999 }, { trace: 'ja' }, { date: 20240101 }]) {
    list.push({ what: `absurd option ${JSON.stringify(extra)}`, method: 'POST', path: evaluate, body: JSON.stringify({ input: good, ...extra }) });
  }
  for (const id of ['nope.x', 'NOPE', '%00', '..%2F..%2Fetc', 'a'.repeat(3000), 'test.matrix%0A']) {
    list.push({ what: `unknown table ${id.slice(0, 30)}`, method: 'POST', path: `/api/evaluate/${id}`, body: JSON.stringify({ input: good }) });
    list.push({ what: `unknown table ${id.slice(0, 30)} (read)`, method: 'GET', path: `/api/tables/${id}` });
  }
  for (const v of ['0', '-1', 'abc', '1e9', '99999999999999999999', '1.5']) {
    list.push({ what: `version ${v}`, method: 'GET', path: `/api/tables/${T}/versions/${v}` });
  }
  for (const q of ['from=abc&to=draft', 'from=1&to=999', 'from=-5&to=1', 'from=1&to=later']) list.push({ what: `diff ?${q}`, method: 'GET', path: `/api/tables/${T}/diff?${q}` });
  for (const q of ['by=week', 'from=morgen', 'from=2024-02-30', 'by=month&from=2025-01-01&to=2024-01-01']) {
    list.push({ what: `stats ?${q}`, method: 'GET', path: `/api/tables/${T}/stats?${q}` });
  }
  for (const q of ['target=abc', 'target=-1', 'target=999', 'reporter=pdf']) {
    list.push({ what: `fixtures run ?${q}`, method: 'POST', path: `/api/tables/${T}/fixtures/run?${q}`, body: '{}' });
  }
  for (const m of ['', 'abc', '-1', '1.5', '"1"']) {
    list.push({ what: `If-Match ${JSON.stringify(m)}`, method: 'PUT', path: `/api/tables/${T}/draft`, body: '{"table":{}}', headers: { 'if-match': m } });
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
    list.push({ what: `broken auth on a write ${JSON.stringify(headers).slice(0, 40)}`, method: 'PUT', path: `/api/tables/${T}/draft`, body: '{}', headers: { ...headers, 'if-match': '0' }, raw: true });
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
    await server.request('GET', '/api/me');
  });
  afterAll(() => server.stop());

  const requests = corpus();

  it('holds at least 200 malformed requests across the endpoints', () => {
    expect(requests.length).toBeGreaterThanOrEqual(200);
    expect(new Set(requests.map((r) => r.path.split('?')[0]!.replace(/\/api\/(\w+).*/, '$1'))).size).toBeGreaterThanOrEqual(4);
  });

  it('answers each with a 4xx and the JSON error shape, changes nothing, and keeps serving', async () => {
    const before = storeState(join(server.dir, 'beslis.db'));
    const wrong: string[] = [];
    for (const r of requests) {
      const reply = r.raw
        ? await send(server.url, r.method, r.path, r.body, r.headers)
        : await server.request(r.method, r.path, r.body, r.headers);
      const shapeOk =
        typeof reply.body === 'object' && reply.body !== null && typeof reply.body.error?.code === 'string' && typeof reply.body.error?.message === 'string';
      if (reply.status < 400 || reply.status > 499 || !shapeOk || /at .*\.ts:\d+/.test(reply.text)) {
        wrong.push(`${r.method} ${r.path.slice(0, 60)} (${r.what}): ${reply.status} ${reply.text.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect((await send(server.url, 'GET', '/api/health')).status).toBe(200);
    expect(storeState(join(server.dir, 'beslis.db'))).toBe(before);
  }, 120_000);
});
