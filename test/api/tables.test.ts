// Tables, drafts (If-Match), diffs and the API description, against a real server and database file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type Body, type TestServer } from './helpers.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => {
  await srv.stop();
});

const newTable = (id: string) => ({
  id,
  title: 'Nieuwe tabel',
  hitPolicy: 'UNIQUE',
  inputs: [{ name: 'leeftijd', type: 'number' }],
  outputs: [{ name: 'groep', type: 'string' }],
  rules: [
    { id: 'jong', when: { leeftijd: '< 18' }, then: { groep: '"jong"' } },
    { id: 'oud', when: { leeftijd: '>= 18' }, then: { groep: '"volwassen"' } },
  ],
  meta: { owner: 'Team Test' },
});

describe('catalogue and versions', () => {
  it('lists every table with its current version, owner and draft state', async () => {
    const r = await srv.request('GET', '/api/v1/tables');
    expect(r.status).toBe(200);
    const boete = r.body.tables.find((t: { id: string }) => t.id === 'test.boete');
    expect(boete).toEqual({
      id: 'test.boete',
      title: 'Testboete v3',
      owner: 'Team Test',
      currentVersion: 3,
      validFrom: '2025-01-01',
      latestVersion: 3,
      reviewBy: '2030-01-01',
      draft: null,
      archive: null,
      archiveRequest: null,
    });
    expect(r.body.tables.map((t: { id: string }) => t.id)).toEqual(['test.boete', 'test.gedrag', 'test.matrix', 'test.overlap']);
  });

  it('gives metadata and the version list with publication facts', async () => {
    const r = await srv.request('GET', '/api/v1/tables/test.boete');
    expect(r.body.versions).toHaveLength(3);
    expect(r.body.versions[2]).toMatchObject({
      version: 3,
      validFrom: '2025-01-01',
      publishedAt: '2025-03-01T10:00:00.000Z',
      author: 'ans',
      approvedBy: 'carla',
      note: 'terugwerkende kracht',
    });
    const m = await srv.request('GET', '/api/v1/tables/test.matrix');
    expect(m.body.requires).toEqual(['test.gedrag']);
    expect((await srv.request('GET', '/api/v1/tables/test.nope')).status).toBe(404);
  });

  it('returns any version as its immutable JSON', async () => {
    const r = await srv.request('GET', '/api/v1/tables/test.boete/versions/1');
    expect(r.body).toMatchObject({ id: 'test.boete', version: 1, validFrom: '2020-01-01', rules: [{ id: 'A', then: { boete: '100' } }, { id: 'B' }] });
  });
});

describe('drafts with If-Match', () => {
  it('without a stored draft, GET answers the newest version as revision 0', async () => {
    const r = await srv.request('GET', '/api/v1/tables/test.gedrag/draft');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tableId: 'test.gedrag', revision: 0, status: 'none', baseVersion: 1 });
    expect(r.body.table.version).toBeUndefined();
    expect(r.body.table.validFrom).toBeUndefined();
    expect(r.headers.get('etag')).toBe('"0"');
  });

  it('PUT with If-Match: 0 creates the draft; the next save needs its revision; a stale one is a 409', async () => {
    const base = (await srv.request('GET', '/api/v1/tables/test.gedrag/draft')).body.table;
    const edited = structuredClone(base);
    edited.rules[0].note = 'welwillend gedrag';
    const first = await srv.request('PUT', '/api/v1/tables/test.gedrag/draft', { table: edited }, { 'If-Match': '0' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ revision: 1, status: 'editing', baseVersion: 1, updatedBy: 'admin', editors: ['admin'] });
    expect(first.headers.get('etag')).toBe('"1"');

    edited.rules[1].note = 'onverschillig';
    const second = await srv.request('PUT', '/api/v1/tables/test.gedrag/draft', { table: edited }, { 'If-Match': '"1"' });
    expect(second.body.revision).toBe(2);

    // Someone who still holds revision 1 (or 0) does not overwrite revision 2.
    const lost = structuredClone(base);
    lost.title = 'Overschreven?';
    for (const stale of ['1', '0', 'W/"1"']) {
      const r = await srv.request('PUT', '/api/v1/tables/test.gedrag/draft', { table: lost }, { 'If-Match': stale });
      expect(r.status).toBe(409);
      expect(r.body.error).toMatchObject({ code: 'STALE_REVISION', revision: 2 });
    }
    const now = await srv.request('GET', '/api/v1/tables/test.gedrag/draft');
    expect(now.body.revision).toBe(2);
    expect(now.body.table.title).toBe('Gedrag');
    expect(now.body.table.rules[1].note).toBe('onverschillig');

    const cat = await srv.request('GET', '/api/v1/tables');
    expect(cat.body.tables.find((t: { id: string }) => t.id === 'test.gedrag').draft).toMatchObject({ revision: 2, status: 'editing' });
    // The draft does not change what evaluations use.
    const ev = await srv.request('POST', '/api/v1/evaluate/test.gedrag', { input: { houding: 'welwillend' } });
    expect(ev.body.version).toBe(1);
  });

  it('428 without If-Match, 400 for a nonsense If-Match', async () => {
    const table = (await srv.request('GET', '/api/v1/tables/test.overlap/draft')).body.table;
    const none = await srv.request('PUT', '/api/v1/tables/test.overlap/draft', { table });
    expect(none.status).toBe(428);
    expect(none.body.error.code).toBe('PRECONDITION_REQUIRED');
    const bad = await srv.request('PUT', '/api/v1/tables/test.overlap/draft', { table }, { 'If-Match': 'latest' });
    expect(bad.status).toBe(400);
  });

  it('422 with every problem when the table is not valid (paths under /table); nothing is stored', async () => {
    const table = (await srv.request('GET', '/api/v1/tables/test.overlap/draft')).body.table;
    const broken = structuredClone(table);
    broken.rules[0].when.x = '[1..';
    broken.rules[1].then = { z: '"?"' };
    broken.id = 'test.anders';
    const r = await srv.request('PUT', '/api/v1/tables/test.overlap/draft', { table: broken }, { 'If-Match': '0' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('INVALID_TABLE');
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/table/rules/0/when/x', '/table/id']));
    expect((await srv.request('GET', '/api/v1/tables/test.overlap/draft')).body.revision).toBe(0);
  });

  it('refuses a requires cycle and an unknown required table', async () => {
    const gedrag = (await srv.request('GET', '/api/v1/tables/test.gedrag/draft')).body;
    const cyclic = { ...gedrag.table, requires: ['test.matrix'] };
    const r = await srv.request('PUT', '/api/v1/tables/test.gedrag/draft', { table: cyclic }, { 'If-Match': String(gedrag.revision) });
    expect(r.status).toBe(422);
    expect(r.body.error.details[0]).toMatchObject({ path: '/table/requires' });
    expect(r.body.error.details[0].message).toContain('test.gedrag → test.matrix → test.gedrag');
    const unknown = { ...gedrag.table, requires: ['test.nergens'] };
    const u = await srv.request('PUT', '/api/v1/tables/test.gedrag/draft', { table: unknown }, { 'If-Match': String(gedrag.revision) });
    expect(u.status).toBe(422);
    expect(u.body.error.details[0].path).toBe('/table/requires/0');
  });

  it('404 for the draft of an unknown table', async () => {
    expect((await srv.request('GET', '/api/v1/tables/test.nope/draft')).status).toBe(404);
    expect((await srv.request('PUT', '/api/v1/tables/test.nope/draft', { table: newTable('test.nope') }, { 'If-Match': '0' })).status).toBe(404);
  });
});

describe('creating tables', () => {
  it('creates a table as a draft at revision 1; a second create is a 409', async () => {
    const r = await srv.request('POST', '/api/v1/tables', { table: newTable('test.nieuw') });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe('/api/v1/tables/test.nieuw/draft');
    expect(r.body).toMatchObject({ tableId: 'test.nieuw', revision: 1, baseVersion: null, status: 'editing' });
    const again = await srv.request('POST', '/api/v1/tables', { table: newTable('test.nieuw') });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TABLE_EXISTS');
    // No version yet: it cannot be evaluated, and says so.
    const ev = await srv.request('POST', '/api/v1/evaluate/test.nieuw', { input: { leeftijd: 4 } });
    expect(ev.status).toBe(404);
    expect(ev.body.error.code).toBe('NO_VALID_VERSION');
    const cat = (await srv.request('GET', '/api/v1/tables')).body.tables.find((t: { id: string }) => t.id === 'test.nieuw');
    expect(cat).toMatchObject({ title: 'Nieuwe tabel', currentVersion: null, draft: { revision: 1 } });
  });

  it('422 for an invalid new table, 400 for a body without a table', async () => {
    const bad = await srv.request('POST', '/api/v1/tables', { table: { ...newTable('Foute Naam'), rules: 'geen' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(expect.arrayContaining(['/table/id', '/table/rules']));
    const none = await srv.request('POST', '/api/v1/tables', { tabel: {} });
    expect(none.status).toBe(400);
  });
});

describe('diff', () => {
  it('between two versions: changed cells by rule id', async () => {
    const r = await srv.request('GET', '/api/v1/tables/test.boete/diff?from=1&to=2');
    expect(r.status).toBe(200);
    expect(r.body.from).toMatchObject({ version: 1 });
    expect(r.body.to).toMatchObject({ version: 2 });
    expect(r.body.rules.added).toEqual([]);
    expect(r.body.rules.removed).toEqual([]);
    expect(r.body.rules.changed).toEqual([
      { id: 'A', fromIndex: 0, toIndex: 0, cells: [{ kind: 'then', name: 'boete', from: '100', to: '110' }] },
      { id: 'B', fromIndex: 1, toIndex: 1, cells: [{ kind: 'then', name: 'boete', from: '200', to: '220' }] },
    ]);
    expect(r.body.fields).toEqual([{ field: 'title', from: 'Testboete v1', to: 'Testboete v2' }]);
  });

  it('between the newest version and the draft: added, removed, changed and moved rules', async () => {
    const d = (await srv.request('GET', '/api/v1/tables/test.matrix/draft')).body;
    const t = structuredClone(d.table);
    t.rules = [
      t.rules[2], // M3 moved to the top
      t.rules[0],
      { ...t.rules[1], when: { ...t.rules[1].when, gevolgen: '>= 2' } }, // M2 changed
      { id: 'M4', when: { gedrag: '"A"', gevolgen: '3' }, then: { interventie: '"bestuursdwang"' } },
    ].filter((r) => r.id !== 'M1'); // M1 removed
    t.inputs[1].values = [1, 2, 3];
    const saved = await srv.request('PUT', '/api/v1/tables/test.matrix/draft', { table: t }, { 'If-Match': '0' });
    expect(saved.status).toBe(200);
    const r = await srv.request('GET', '/api/v1/tables/test.matrix/diff');
    expect(r.body.from).toMatchObject({ version: 1 });
    expect(r.body.to).toEqual({ version: 'draft', revision: 1 });
    expect(r.body.rules.added.map((x: { id: string }) => x.id)).toEqual(['M4']);
    expect(r.body.rules.removed.map((x: { id: string }) => x.id)).toEqual(['M1']);
    expect(r.body.rules.changed).toEqual([{ id: 'M2', fromIndex: 1, toIndex: 1, cells: [{ kind: 'when', name: 'gevolgen', from: '2', to: '>= 2' }] }]);
    expect(r.body.rules.moved.length).toBe(1);
    expect(r.body.inputs.changed.map((c: { name: string }) => c.name)).toEqual(['gevolgen']);
    expect(r.body.summary).toEqual({ added: 1, removed: 1, changed: 1, moved: 1, same: false });
  });

  it('400 for a bad from/to, 404 for a missing version', async () => {
    expect((await srv.request('GET', '/api/v1/tables/test.boete/diff?from=een')).status).toBe(400);
    expect((await srv.request('GET', '/api/v1/tables/test.boete/diff?from=1&to=8')).status).toBe(404);
    const same = await srv.request('GET', '/api/v1/tables/test.boete/diff?from=3&to=draft');
    expect(same.body.summary.same).toBe(true);
  });
});

describe('audit', () => {
  it('records table creation and draft saves in a hash chain', async () => {
    const entries = (await srv.store.auditEntries());
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['version.imported', 'fixtures.imported', 'user.created', 'draft.saved', 'table.created']));
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    const save = entries.find((e) => e.action === 'draft.saved' && e.tableId === 'test.matrix')!;
    expect(save.detail).toMatchObject({ revision: 1, change: { added: 1, removed: 1, changed: 1, moved: 1 } });
  });
});

describe('API description', () => {
  it('serves OpenAPI 3.1 whose request schemas are the ones the server validates with', async () => {
    const r = await srv.request('GET', '/api/v1/openapi.json');
    expect(r.body.openapi).toBe('3.1.0');
    // The major version is in the server URL; the paths are relative to it.
    expect(r.body.servers[0].url).toBe('/api/v1');
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/evaluate/{tableId}', '/evaluate/{tableId}/batch', '/tables', '/tables/{id}/draft', '/tables/{id}/diff']));
    const evalReq = r.body.components.schemas.EvaluateRequest;
    expect(evalReq.additionalProperties).toBe(false);
    expect(Object.keys(evalReq.properties).sort()).toEqual(['asOf', 'date', 'explain', 'input', 'trace', 'types', 'version']);
    // Every $ref in the document resolves.
    const refs = JSON.stringify(r.body).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) {
      const pointer = ref.slice(8, -1);
      const target = pointer
        .slice(2)
        .split('/')
        .reduce((node: Body, key: string) => node?.[key], r.body);
      expect(target, pointer).toBeDefined();
    }
  });

  it('renders /api/v1/docs from the package, with no external resources', async () => {
    const html = await srv.request('GET', '/api/v1/docs');
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.text).not.toMatch(/https?:\/\//);
    const js = await srv.request('GET', '/api/v1/docs/docs.js');
    expect(js.status).toBe(200);
    expect(js.text).toContain("fetch('/api/v1/openapi.json')");
    expect(js.text).not.toMatch(/https?:\/\//);
  });
});

describe('the editor', () => {
  it('is served at / with page addresses falling back to its index.html, and never shadows /api', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tempDir } = await import('./helpers.ts');
    const editorDir = tempDir('beslis-editor-');
    mkdirSync(join(editorDir, 'assets'));
    writeFileSync(join(editorDir, 'index.html'), '<!doctype html><title>Beslis editor</title>');
    writeFileSync(join(editorDir, 'assets', 'app.js'), 'console.log(1)');
    const withEditor = await testServer({ editorDir });
    try {
      const root = await withEditor.request('GET', '/', undefined, { accept: 'text/html' });
      expect(root.text).toContain('Beslis editor');
      const deep = await withEditor.request('GET', '/tabellen/test.boete', undefined, { accept: 'text/html' });
      expect(deep.status).toBe(200);
      expect(deep.text).toContain('Beslis editor');
      expect((await withEditor.request('GET', '/assets/app.js')).text).toBe('console.log(1)');
      const api = await withEditor.request('GET', '/api/v1/nope', undefined, { accept: 'text/html' });
      expect(api.status).toBe(404);
      expect(api.body.error.code).toBe('NOT_FOUND');
    } finally {
      await withEditor.stop();
    }
    const without = await testServer({ editorDir: null });
    try {
      const r = await fetch(`${without.url}/`, { redirect: 'manual' });
      expect(r.status).toBe(302);
      expect(r.headers.get('location')).toBe('/api/v1/docs');
    } finally {
      await without.stop();
    }
  });
});
