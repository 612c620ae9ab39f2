// Random mutations of a valid table (rules/handhaving/interventiematrix/v1.json and the seeded test.matrix), sent
// whole to the endpoints that take a table (PUT /api/v1/tables/:id/draft, POST /api/v1/tables): every answer is a 2xx
// (the mutation left the table valid) or a 422 INVALID_TABLE with the JSON error shape naming the field, never a
// 5xx or a hang. A refused write changes nothing in the store; nothing published changes; the server keeps serving.
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, send, testServer, type Reply, type TestServer } from '../api/helpers.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };
type Path = (string | number)[];

const INTERVENTIE = JSON.parse(readFileSync(join(REPO_ROOT, 'rules/handhaving/interventiematrix/v1.json'), 'utf8')) as Obj;
const INTERVENTIE_ID = 'handhaving.interventiematrix';
const MATRIX_ID = 'test.matrix';

/** Everything a valid request could change, apart from logs (as in bad-input.test.ts). */
function storeState(file: string, tables = ['decision_tables', 'drafts', 'draft_editors', 'versions', 'fixtures', 'users', 'api_tokens']): string {
  const db = new Database(file, { readonly: true });
  try {
    return JSON.stringify(tables.map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()));
  } finally {
    db.close();
  }
}

// ---- mutations ----

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets an own property, also for keys like `__proto__` that an assignment would turn into a prototype change. */
function put(into: Obj | Json[], key: string | number, value: Json): void {
  Object.defineProperty(into, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Every path below the root (objects and arrays walked), in document order. */
function paths(value: Json, at: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      out.push([...at, i]);
      paths(v, [...at, i], out);
    });
  } else if (isObj(value)) {
    for (const k of Object.keys(value)) {
      out.push([...at, k]);
      paths(value[k]!, [...at, k], out);
    }
  }
  return out;
}

function get(root: Json, path: Path): Json {
  let v: Json = root;
  for (const k of path) v = (v as Record<string | number, Json>)[k]!;
  return v;
}

const pick = <T>(list: T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
const isCell = (p: Path) =>
  (p.length === 4 && p[0] === 'rules' && (p[2] === 'when' || p[2] === 'then')) || (p.length === 3 && p[0] === 'outputs' && p[2] === 'default');

const HUGE = 'x'.repeat(200_000);
const ODD_STRINGS = ['NaN', 'Infinity', '-Infinity', '-0', '1e309', '0x1F', '', ' ', 'null', 'undefined', '__proto__', 'constructor', '\u0000', '\u0007\u001b[31mrood', '\ud800', '\u202e', HUGE];
const BROKEN_CELLS = [
  '[1..',
  '[1..5',
  '1..5]',
  '>=',
  '>= >=',
  '(',
  ')',
  '((1)',
  '"open',
  '""""',
  'not(',
  'not()',
  '[5..1)',
  '1 +',
  '* 2',
  '@',
  '#',
  '- -',
  ',',
  '"A",',
  ',"A"',
  'if',
  'if x then',
  'date("',
  'date(1,2',
  '{a:',
  '[',
  ']]',
  '..',
  '>= "A" and',
  'in',
  '\u0000',
  '€€',
  '1e',
  '1.2.3',
];

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'insert'; at: number; key: string; value: Json }
  | { kind: 'rename'; at: number; key: string }
  | { kind: 'list'; at: number; how: 'empty' | 'double' | 'repeat' | 'only-first' }
  | { kind: 'cell'; at: number; how: 'replace' | 'append' | 'prefix' | 'truncate'; junk: string; cut: number }
  | { kind: 'hitPolicy'; value: Json };

/** Applies one mutation in place; the root itself is never replaced (that is the malformed-request corpus's job). */
function apply(table: Obj, m: Mutation): void {
  const all = paths(table);
  const parentOf = (p: Path) => get(table, p.slice(0, -1)) as Obj | Json[];
  switch (m.kind) {
    case 'delete': {
      const p = pick(all, m.at)!;
      const parent = parentOf(p);
      if (Array.isArray(parent)) parent.splice(p.at(-1) as number, 1);
      else delete parent[p.at(-1) as string];
      return;
    }
    case 'replace': {
      const p = pick(all, m.at)!;
      put(parentOf(p), p.at(-1)!, m.value);
      return;
    }
    case 'insert': {
      const objects: Path[] = [[], ...all.filter((p) => isObj(get(table, p)))];
      const target = get(table, pick(objects, m.at)!) as Obj;
      put(target, m.key, m.value);
      return;
    }
    case 'rename': {
      const keyed = all.filter((p) => typeof p.at(-1) === 'string');
      const p = pick(keyed, m.at)!;
      const parent = parentOf(p) as Obj;
      const value = parent[p.at(-1) as string]!;
      delete parent[p.at(-1) as string];
      put(parent, m.key, value);
      return;
    }
    case 'list': {
      const lists: Path[] = [['rules'], ['inputs'], ['outputs'], ...all.filter((p) => Array.isArray(get(table, p)))];
      const p = pick(lists, m.at)!;
      const list = get(table, p);
      if (!Array.isArray(list)) return;
      const copy = structuredClone(list);
      const next = m.how === 'empty' ? [] : m.how === 'double' ? [...list, ...copy] : m.how === 'repeat' ? [...list, ...copy.slice(0, 1)] : list.slice(0, 1);
      put(parentOf(p), p.at(-1)!, next);
      return;
    }
    case 'cell': {
      const p = pick(all.filter(isCell), m.at)!;
      const old = String(get(table, p));
      const text =
        m.how === 'replace' ? m.junk : m.how === 'append' ? `${old} ${m.junk}` : m.how === 'prefix' ? `${m.junk}${old}` : old.slice(0, m.cut % Math.max(1, old.length));
      put(parentOf(p), p.at(-1)!, text);
      return;
    }
    case 'hitPolicy':
      put(table, 'hitPolicy', m.value);
      return;
  }
}

/** A fresh copy of `base` (through JSON, so nothing is shared) with the mutations applied in order. */
function mutated(base: Obj, mutations: Mutation[]): Obj {
  const table = JSON.parse(JSON.stringify(base)) as Obj;
  for (const m of mutations) apply(table, m);
  return table;
}

const wrongValue: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double(), // NaN and ±Infinity travel as null in JSON
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constant(null),
  fc.boolean(),
  fc.constantFrom(...ODD_STRINGS),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
  fc.constantFrom<Json>([], {}, [[[]]], { when: {} }, [{ name: 'x', type: 'string' }]),
);

const oddKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '', ' ', 'id ', 'ID', 'Rules', '\u0000', '$ref', 'x'.repeat(5000)),
  fc.string({ maxLength: 8 }),
);

const cellJunk = fc.oneof(fc.constantFrom(...BROKEN_CELLS), fc.string({ maxLength: 10 }), fc.string({ unit: 'binary', maxLength: 10 }));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: wrongValue }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), key: oddKey, value: wrongValue }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), key: oddKey }),
  fc.record({ kind: fc.constant('list' as const), at: fc.nat(), how: fc.constantFrom('empty' as const, 'double' as const, 'repeat' as const, 'only-first' as const) }),
  fc.record({
    kind: fc.constant('cell' as const),
    at: fc.nat(),
    how: fc.constantFrom('replace' as const, 'append' as const, 'prefix' as const, 'truncate' as const),
    junk: cellJunk,
    cut: fc.nat(),
  }),
  fc.record({ kind: fc.constant('hitPolicy' as const), value: fc.oneof(fc.constantFrom<Json>('unique', 'UNIQUE ', 'FIRST,', 'C+', 'COLLECT SUM', 'RULE_ORDER', '', 0, null, ['UNIQUE']), fc.string({ maxLength: 8 })) }),
);

const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

// ---- checks ----

const hasErrorShape = (r: Reply) =>
  isObj(r.body) && isObj(r.body.error) && typeof r.body.error.code === 'string' && typeof r.body.error.message === 'string';
const leaksStack = (r: Reply) => /\bat .*\.(ts|js|mjs):\d+/.test(r.text) || (isObj(r.body) && isObj(r.body.error) && 'stack' in r.body.error);

/** What is wrong with a refusal of a table, or null: exactly 422 INVALID_TABLE, the error shape, details naming fields under /table. */
function refusalProblem(r: Reply): string | null {
  if (r.status !== 422) return `status ${r.status}`;
  if (!hasErrorShape(r)) return 'not the JSON error shape';
  if (leaksStack(r)) return 'a stack trace in the answer';
  const { code, details } = r.body.error as { code: string; details: unknown };
  if (code !== 'INVALID_TABLE') return `code ${code}`;
  if (!Array.isArray(details) || details.length === 0) return 'no details';
  const paths = details.map((d: { path?: unknown }) => d.path);
  if (!paths.every((p) => typeof p === 'string' && (p === '/table' || p.startsWith('/table/')))) return `details not under /table: ${JSON.stringify(paths).slice(0, 200)}`;
  return null;
}

const show = (r: Reply) => `${r.status} ${r.text.slice(0, 300)}`;

describe('random mutations of a valid table', () => {
  let server: TestServer;
  let db: string;
  let publishedBefore: string;
  const statuses = new Map<string, Map<number, number>>();
  const count = (what: string, status: number) => {
    const m = statuses.get(what) ?? new Map<number, number>();
    m.set(status, (m.get(status) ?? 0) + 1);
    statuses.set(what, m);
  };

  beforeAll(async () => {
    server = await testServer();
    db = join(server.dir, 'beslis.db');
    await server.request('GET', '/api/v1/me');
    const created = await server.request('POST', '/api/v1/tables', { table: INTERVENTIE });
    expect(created.status, show(created)).toBe(201);
    publishedBefore = storeState(db, ['versions']);
  });
  afterAll(async () => {
    const lines = [...statuses].map(([what, m]) => `${what}: ${[...m].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ')}`);
    console.info(`mutation statuses\n  ${lines.join('\n  ')}`);
    await server.stop();
  });

  const draftRevision = async (id: string): Promise<number> => {
    const r = await server.request('GET', `/api/v1/tables/${id}/draft`);
    expect(r.status, show(r)).toBe(200);
    return r.body.revision as number;
  };

  /** PUTs mutations of `base` as the draft of `id`; returns how many were refused with 422. */
  async function mutateDraft(id: string, base: Obj, seed: number, numRuns: number): Promise<{ refused: number; runs: number }> {
    let revision = await draftRevision(id);
    let state = storeState(db);
    let refused = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(mutations, async (ms) => {
        runs++;
        const table = mutated(base, ms);
        const r = await server.request('PUT', `/api/v1/tables/${id}/draft`, { table }, { 'if-match': String(revision) });
        count(`PUT ${id}`, r.status);
        if (r.status === 200) {
          expect(r.body.revision, show(r)).toBe(revision + 1);
          expect(r.headers.get('etag')).toBe(`"${revision + 1}"`);
          revision = r.body.revision as number;
          state = storeState(db);
          return;
        }
        const problem = refusalProblem(r);
        expect(problem, `${JSON.stringify(ms).slice(0, 400)} → ${show(r)}`).toBeNull();
        refused++;
        expect(await draftRevision(id)).toBe(revision);
        expect(storeState(db)).toBe(state);
      }),
      { seed, numRuns },
    );
    return { refused, runs };
  }

  it('PUT draft of handhaving.interventiematrix: 422 or 200, a refusal changes nothing', async () => {
    const { refused, runs } = await mutateDraft(INTERVENTIE_ID, { ...INTERVENTIE }, 20_250_611, 120);
    expect(runs).toBe(120);
    expect(refused / runs).toBeGreaterThanOrEqual(0.5);
  }, 60_000);

  it('PUT draft of test.matrix (a table with a published version and requires): 422 or 200', async () => {
    const base = (await server.request('GET', `/api/v1/tables/${MATRIX_ID}/draft`)).body.table as Obj;
    const { refused, runs } = await mutateDraft(MATRIX_ID, base, 7_031_947, 80);
    expect(runs).toBe(80);
    expect(refused / runs).toBeGreaterThanOrEqual(0.5);
  }, 60_000);

  it('POST a new table: 422 or 201, a refusal creates nothing', async () => {
    let n = 0;
    let refused = 0;
    let runs = 0;
    let state = storeState(db);
    await fc.assert(
      fc.asyncProperty(mutations, async (ms) => {
        runs++;
        const table = mutated({ ...INTERVENTIE, id: `abuse.nieuw-${++n}` }, ms);
        const r = await server.request('POST', '/api/v1/tables', { table });
        count('POST /api/v1/tables', r.status);
        if (r.status === 201) {
          expect(r.body.revision, show(r)).toBe(1);
          state = storeState(db);
          return;
        }
        // A mutated id can be one that was created before (by an earlier run that stayed valid): then 409 is right.
        const taken = r.status === 409 && r.body?.error?.code === 'TABLE_EXISTS' && typeof table.id === 'string' && (await server.request('GET', `/api/v1/tables/${table.id}`)).status === 200;
        if (!taken) {
          expect(refusalProblem(r), `${JSON.stringify(ms).slice(0, 400)} → ${show(r)}`).toBeNull();
          refused++;
        }
        expect(storeState(db)).toBe(state);
      }),
      { seed: 424_242, numRuns: 80 },
    );
    expect(runs).toBe(80);
    expect(refused / runs).toBeGreaterThanOrEqual(0.5);
  }, 60_000);

  describe('handmade edge mutations', () => {
    const deep = (n: number, open: string, close: string, inner = '') => `${open.repeat(n)}${inner}${close.repeat(n)}`;
    const nested = (n: number): Json => JSON.parse(deep(n, '[', ']')) as Json;
    const rule0 = (t: Obj) => (t.rules as Obj[])[0]!;
    const edges: [string, (t: Obj) => void][] = [
      ['a rule with more cells than inputs', (t) => put(rule0(t).when as Obj, 'extra', '1')],
      ['a rule with more outputs than output columns', (t) => put(rule0(t).then as Obj, 'extra', '1')],
      ['an output column no rule gives a value', (t) => (t.outputs as Json[]).push({ name: 'leeg', type: 'string' })],
      ['no output columns', (t) => put(t, 'outputs', [])],
      ['no input columns', (t) => put(t, 'inputs', [])],
      ['a rule without when', (t) => delete rule0(t).when],
      ['a rule id used twice', (t) => put(rule0(t), 'id', (t.rules as Obj[])[1]!.id!)],
      ['an input name used twice', (t) => (t.inputs as Json[]).push((t.inputs as Json[])[0]!)],
      ['40 nested arrays in a cell (past the table limit, inside the body limit)', (t) => put(rule0(t).when as Obj, 'gedrag', nested(40))],
      ['10,000 nested brackets in a cell text', (t) => put(rule0(t).when as Obj, 'gevolgen', deep(10_000, '[', ']', '1'))],
      ['10,000 nested parentheses in an output cell', (t) => put(rule0(t).then as Obj, 'kwadrant', deep(10_000, '(', ')', '1'))],
      ['10,000 nots in a cell', (t) => put(rule0(t).when as Obj, 'gevolgen', deep(10_000, 'not(', ')', '1'))],
      ['100,000 minus signs in an output cell', (t) => put(rule0(t).then as Obj, 'kwadrant', `${'-'.repeat(100_000)}1`)],
      ['a 200,000-term sum in an output cell', (t) => put(rule0(t).then as Obj, 'kwadrant', Array(200_000).fill('1').join('+'))],
      ['40 nested arrays in input values', (t) => put((t.inputs as Obj[])[0]!, 'values', [nested(40)])],
      ['an input values list with a cycle-like mix', (t) => put((t.inputs as Obj[])[1]!, 'values', [1, '1', null, [1], { a: 1 }])],
      ['an aggregation without COLLECT', (t) => put(t, 'aggregation', 'SUM')],
      ['a table that requires itself', (t) => put(t, 'requires', [INTERVENTIE_ID])],
      ['a table that requires an unknown table', (t) => put(t, 'requires', ['bestaat.niet'])],
      ['__proto__ as a rule key', (t) => put(rule0(t), '__proto__', { id: 'X' })],
      ['__proto__ as a cell name', (t) => put(rule0(t).when as Obj, '__proto__', '1')],
      ['constructor as an output name', (t) => put(rule0(t).then as Obj, 'constructor', '1')],
      ['an input named __proto__ that the rules do not know', (t) => put((t.inputs as Obj[])[0]!, 'name', '__proto__')],
      ['the id of another table', (t) => put(t, 'id', MATRIX_ID)],
      ['an id of 5,000 characters', (t) => put(t, 'id', 'a'.repeat(5_000))],
      ['an input path through __proto__', (t) => put((t.inputs as Obj[])[0]!, 'path', '__proto__.gedrag')],
      ['an input path through prototype', (t) => put((t.inputs as Obj[])[0]!, 'path', 'zaak.prototype')],
      ['an output named __proto__', (t) => put((t.outputs as Obj[])[0]!, 'name', '__proto__')],
      ['an input named constructor', (t) => put((t.inputs as Obj[])[1]!, 'name', 'constructor')],
      ['a context key __proto__ in an output cell', (t) => put(rule0(t).then as Obj, 'kwadrant', '{__proto__: 1}')],
      ['a cell of 100,001 characters', (t) => put(rule0(t).then as Obj, 'interventie', `"${'x'.repeat(99_999)}"`)],
      ['a list literal of 10,001 items in an output cell', (t) => put(rule0(t).then as Obj, 'kwadrant', `count([${Array(10_001).fill('1').join(',')}])`)],
      ['a comma list of 10,001 tests', (t) => put(rule0(t).when as Obj, 'gevolgen', Array(10_001).fill('1').join(','))],
    ];

    it.each(edges)('%s: a 422 naming the field, the draft unchanged', async (_what, edit) => {
      const revision = await draftRevision(INTERVENTIE_ID);
      const state = storeState(db);
      const table = JSON.parse(JSON.stringify(INTERVENTIE)) as Obj;
      edit(table);
      const r = await server.request('PUT', `/api/v1/tables/${INTERVENTIE_ID}/draft`, { table }, { 'if-match': String(revision) });
      count('PUT (handmade)', r.status);
      expect(refusalProblem(r), show(r)).toBeNull();
      expect(await draftRevision(INTERVENTIE_ID)).toBe(revision);
      expect(storeState(db)).toBe(state);
    });

    it('nesting where the schema allows anything (meta): a little is stored, deep is a 422, very deep a 400', async () => {
      const putMeta = async (depth: number) => {
        const revision = await draftRevision(INTERVENTIE_ID);
        const table = JSON.parse(JSON.stringify(INTERVENTIE)) as Obj;
        put(table.meta as Obj, 'bijlage', 'DEEP');
        // Written as text: JSON.stringify itself recurses and would fail on this side first.
        const body = JSON.stringify({ table }).replace('"DEEP"', deep(depth, '[', ']'));
        const r = await server.request('PUT', `/api/v1/tables/${INTERVENTIE_ID}/draft`, body, { 'if-match': String(revision) });
        count('PUT (handmade)', r.status);
        return r;
      };
      expect((await putMeta(10)).status).toBe(200);
      expect(refusalProblem(await putMeta(40))).toBeNull();
      for (const depth of [1_000, 100_000]) {
        const r = await putMeta(depth);
        expect(r.status, show(r)).toBe(400);
        expect(r.body.error.code).toBe('INVALID_REQUEST');
        expect(r.body.error.message).toBe('the request body is nested more than 64 levels deep');
        expect(r.body.error.details[0].path).toMatch(/^\/table\/meta\/bijlage\/0\/0/);
      }
    });

    it('a case nested 100,000 deep is a 400 naming where, not a crash', async () => {
      for (const input of ['{"houding":DEEP,"gevolgen":1}', '{"houding":"welwillend","gevolgen":1,"extra":{"a":DEEP}}']) {
        const body = `{"input":${input.replace('DEEP', deep(100_000, '[', ']'))}}`;
        const r = await server.request('POST', `/api/v1/evaluate/${MATRIX_ID}`, body);
        expect(r.status, show(r)).toBe(400);
        expect(r.body.error.details[0].path).toMatch(/^\/input\//);
      }
    });
  });

  it('afterwards the server answers, and the published versions are unchanged', async () => {
    expect((await send(server.url, 'GET', '/api/v1/health')).status).toBe(200);
    expect(storeState(db, ['versions'])).toBe(publishedBefore);
    const r = await server.request('POST', `/api/v1/evaluate/${MATRIX_ID}`, { input: { houding: 'welwillend', gevolgen: 1 } });
    expect(r.status, show(r)).toBe(200);
  });
});
