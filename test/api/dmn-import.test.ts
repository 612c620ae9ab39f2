// DMN upload over HTTP against a real server on loopback and a real SQLite file: a valid model previewed (per table
// what happens, nothing stored) and imported as drafts (never published), a model with problems refused by element
// with codes the editor words in Dutch, the limits (bytes, XML elements) named, a viewer refused, a draft saved since
// the preview a 409, and a table exported and imported again unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DMN_BYTES, MAX_DMN_ELEMENTS } from '../../server/api/routes/dmn.ts';
import { importDmn } from '../../server/dmn/index.ts';
import { testServer, type Client, type Reply, type TestServer } from './helpers.ts';

let srv: TestServer;
let editor: Client;
let viewer: Client;

beforeAll(async () => {
  srv = await testServer();
  editor = await srv.as('eddy', ['editor']);
  viewer = await srv.as('vera', ['viewer']);
}, 60_000);
afterAll(async () => {
  await srv.stop();
});

async function post(who: Client, path: string, xml: string): Promise<Reply> {
  const res = await fetch(`${srv.url}${path}`, {
    method: 'POST',
    headers: { cookie: who.cookie, 'x-csrf-token': who.csrfToken, 'content-type': 'application/xml' },
    body: xml,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers, text };
}

async function download(who: Client, path: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(`${srv.url}${path}`, { headers: { cookie: who.cookie } });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

/** A DMN 1.3 model with one decision table (parkeertarief by zone), and optionally a broken cell or a BKM. */
function model(opts: { cell?: string; bkm?: boolean; id?: string } = {}): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="parkeren" name="Parkeren" namespace="https://gemeente.example/parkeren">
  <decision id="${opts.id ?? 'tarief'}" name="Tarief">
    <variable name="Tarief" typeRef="number"/>
    <decisionTable id="tarief_tabel" hitPolicy="UNIQUE">
      <input id="zone_in" label="Zone">
        <inputExpression id="zone_expr" typeRef="string"><text>zone</text></inputExpression>
      </input>
      <output id="tarief_out" name="tarief" typeRef="number"/>
      <rule id="centrum">
        <inputEntry id="centrum_zone"><text>${opts.cell ?? '"centrum"'}</text></inputEntry>
        <outputEntry id="centrum_tarief"><text>4.5</text></outputEntry>
      </rule>
      <rule id="rest">
        <inputEntry id="rest_zone"><text>not("centrum")</text></inputEntry>
        <outputEntry id="rest_tarief"><text>2</text></outputEntry>
      </rule>
    </decisionTable>
  </decision>
  ${opts.bkm ? '<businessKnowledgeModel id="korting" name="Korting"/>' : ''}
</definitions>`;
}

describe('DMN upload', () => {
  it('previews a valid model without storing anything, then imports it as a draft that is not published', async () => {
    const preview = await post(editor, '/api/v1/dmn/import/preview', model());
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.tables).toEqual([expect.objectContaining({ id: 'parkeren.tarief', title: 'Tarief', action: 'create', revision: null, diff: null })]);
    expect(preview.body.model).toMatchObject({ name: 'Parkeren', dmnVersion: '1.3' });
    expect((await editor.request('GET', '/api/v1/tables/parkeren.tarief')).status).toBe(404);

    const done = await post(editor, '/api/v1/dmn/import?revisions=parkeren.tarief:new', model());
    expect(done.status, done.text).toBe(200);
    expect(done.body).toMatchObject({ created: ['parkeren.tarief'], updated: [], unchanged: [] });
    const draft = await editor.request('GET', '/api/v1/tables/parkeren.tarief/draft');
    expect(draft.status).toBe(200);
    expect(draft.body.table.rules.map((r: { id: string }) => r.id)).toEqual(['centrum', 'rest']);
    expect(draft.body.status).toBe('editing');
    expect((await editor.request('GET', '/api/v1/tables/parkeren.tarief/versions')).body.versions).toEqual([]);
  });

  it('shows a changed model as a new draft with its diff, and refuses an import against a draft saved since the preview', async () => {
    const changed = model().replace('<text>4.5</text>', '<text>5</text>');
    const preview = await post(editor, '/api/v1/dmn/import/preview', changed);
    expect(preview.status, preview.text).toBe(200);
    const [t] = preview.body.tables;
    expect(t).toMatchObject({ id: 'parkeren.tarief', action: 'draft', revision: 1 });
    expect(t.diff.rules.changed).toEqual([expect.objectContaining({ id: 'centrum' })]);
    expect(t.diff.summary).toMatchObject({ changed: 1, added: 0, removed: 0 });

    // Someone saves the draft in the meantime: the import with the previewed revision is refused, nothing changes.
    const current = (await editor.request('GET', '/api/v1/tables/parkeren.tarief/draft')).body;
    const other = { ...current.table, title: 'Tarief (bewerkt)' };
    expect((await editor.request('PUT', '/api/v1/tables/parkeren.tarief/draft', { table: other }, { 'if-match': '1' })).status).toBe(200);
    const stale = await post(editor, '/api/v1/dmn/import?revisions=parkeren.tarief:1', changed);
    expect(stale.status, stale.text).toBe(409);
    expect(stale.body.code).toBe('STALE_REVISION');
    expect((await editor.request('GET', '/api/v1/tables/parkeren.tarief/draft')).body.table.title).toBe('Tarief (bewerkt)');

    // Without the revision it is not guessed.
    const blind = await post(editor, '/api/v1/dmn/import', changed);
    expect(blind.status).toBe(428);

    const ok = await post(editor, '/api/v1/dmn/import?revisions=parkeren.tarief:2', changed);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.updated).toEqual(['parkeren.tarief']);
    const after = (await editor.request('GET', '/api/v1/tables/parkeren.tarief/draft')).body;
    expect(after.revision).toBe(3);
    expect(after.table.rules[0].then.tarief).toBe('5');
    // The audit trail says the draft came from a DMN model, with what changed.
    const audit = await srv.request('GET', '/api/v1/audit?table=parkeren.tarief');
    expect(audit.status, audit.text).toBe(200);
    const saved = (audit.body.entries as { action: string; detail: Record<string, unknown> }[]).filter((e) => e.action === 'draft.saved' && e.detail.importedFrom === 'DMN');
    expect(saved).toEqual([expect.objectContaining({ detail: expect.objectContaining({ revision: 3, change: expect.objectContaining({ changed: 1 }) }) })]);
  });

  it('refuses a model with problems as a whole, naming each element with a code and parameters', async () => {
    const bad = await post(editor, '/api/v1/dmn/import/preview', model({ cell: '"centrum" and', bkm: true, id: 'kapot' }));
    expect(bad.status, bad.text).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(bad.body.code).toBe('INVALID_FILE');
    const names = bad.body.invalidParams.map((p: { name: string }) => p.name);
    expect(names).toContain('businessKnowledgeModel#korting');
    expect(names).toContain('inputEntry#centrum_zone');
    const cell = bad.body.problems.find((p: { id: string }) => p.id === 'centrum_zone');
    expect(cell).toMatchObject({ element: 'inputEntry', name: 'Tarief', code: 'DMN_CELL', params: { rule: 'centrum', column: 'zone' } });
    expect(cell.cause.code).toMatch(/^FEEL_/);
    const bkm = bad.body.problems.find((p: { id: string }) => p.id === 'korting');
    expect(bkm).toMatchObject({ code: 'DMN_BUSINESS_KNOWLEDGE_MODEL', params: { name: 'Korting' } });
    expect(bkm.message).toMatch(/business knowledge model 'Korting'/);
    // Nothing was stored, not even the table that would have been fine.
    expect((await editor.request('GET', '/api/v1/tables/parkeren.kapot')).status).toBe(404);

    const notDmn = await post(editor, '/api/v1/dmn/import', '<html><body>geen model</body></html>');
    expect(notDmn.status).toBe(422);
    expect(notDmn.body.problems[0]).toMatchObject({ element: 'definitions', code: 'DMN_NOT_DMN' });
    const empty = await post(editor, '/api/v1/dmn/import', '');
    expect(empty.status).toBe(400);
  });

  it('imports what it can keep with a warning, and says what it left out', async () => {
    const withSource = model({ id: 'met-bron' }).replace('</definitions>', '<knowledgeSource id="verordening" name="Parkeerverordening"/></definitions>');
    const preview = await post(editor, '/api/v1/dmn/import/preview', withSource);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.warnings).toEqual([expect.objectContaining({ severity: 'warning', element: 'knowledgeSource', code: 'DMN_KNOWLEDGE_SOURCE', params: { name: 'Parkeerverordening' } })]);
    const done = await post(editor, '/api/v1/dmn/import?revisions=parkeren.met-bron:new', withSource);
    expect(done.status, done.text).toBe(200);
    expect(done.body.created).toEqual(['parkeren.met-bron']);
    expect(done.body.warnings).toHaveLength(1);
  });

  it('refuses decisions that require each other in a cycle', async () => {
    const dec = (id: string, other: string) =>
      `<decision id="${id}" name="${id}"><variable name="${id}" typeRef="number"/><informationRequirement id="r_${id}"><requiredDecision href="#${other}"/></informationRequirement>` +
      `<decisionTable id="t_${id}"><input id="i_${id}"><inputExpression id="x_${id}" typeRef="number"><text>${other}</text></inputExpression></input><output id="o_${id}" name="${id}" typeRef="number"/>` +
      `<rule id="ru_${id}"><inputEntry id="ie_${id}"><text>-</text></inputEntry><outputEntry id="oe_${id}"><text>1</text></outputEntry></rule></decisionTable></decision>`;
    const xml = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="kring" name="Kring" namespace="https://gemeente.example/kring">${dec('a', 'b')}${dec('b', 'a')}</definitions>`;
    const refused = await post(editor, '/api/v1/dmn/import/preview', xml);
    expect(refused.status, refused.text).toBe(422);
    expect(refused.body.problems).toEqual([expect.objectContaining({ element: 'decision', code: 'DMN_REQUIRES_CYCLE', params: { cycle: 'kring.a → kring.b → kring.a' } })]);
  });

  it('names its limits: a model over the byte limit is a 413, one with too many XML elements a 422', async () => {
    const big = model().replace('</definitions>', `<!-- ${'x'.repeat(MAX_DMN_BYTES)} --></definitions>`);
    const tooBig = await post(editor, '/api/v1/dmn/import/preview', big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit: MAX_DMN_BYTES });
    const many = model().replace('</definitions>', `<extensionElements>${'<x/>'.repeat(MAX_DMN_ELEMENTS)}</extensionElements></definitions>`);
    const tooMany = await post(editor, '/api/v1/dmn/import/preview', many);
    expect(tooMany.status).toBe(422);
    expect(tooMany.body.problems).toEqual([expect.objectContaining({ code: 'DMN_TOO_MANY_ELEMENTS', params: { limit: MAX_DMN_ELEMENTS } })]);
  });

  it('lets only those who may edit import: a viewer gets 403 and nothing is stored', async () => {
    const refused = await post(viewer, '/api/v1/dmn/import?revisions=parkeren.ander:new', model({ id: 'ander' }));
    expect(refused.status).toBe(403);
    expect((await post(viewer, '/api/v1/dmn/import/preview', model({ id: 'ander' }))).status).toBe(403);
    expect((await editor.request('GET', '/api/v1/tables/parkeren.ander')).status).toBe(404);
  });

  it('refuses a model over a submitted draft: four-eyes is not bypassed', async () => {
    const d = (await editor.request('GET', '/api/v1/tables/parkeren.tarief/draft')).body;
    const submit = await editor.request('POST', '/api/v1/tables/parkeren.tarief/draft/submit', { validFrom: '2027-01-01', note: 'tarief' }, { 'if-match': String(d.revision) });
    expect(submit.status, submit.text).toBe(200);
    const over = await post(editor, `/api/v1/dmn/import?revisions=parkeren.tarief:${submit.body.revision}`, model());
    expect(over.status).toBe(422);
    expect(over.body.problems).toEqual([expect.objectContaining({ code: 'DMN_DRAFT_SUBMITTED', params: { table: 'parkeren.tarief' } })]);
  });
});

describe('DMN round trip', () => {
  it('exports a published version as DMN 1.5 that imports back as the same table: nothing to change', async () => {
    const got = await download(viewer, '/api/v1/tables/test.boete/export.dmn');
    expect(got.status).toBe(200);
    expect(got.type).toMatch(/^application\/xml/);
    expect(got.text).toContain('https://www.omg.org/spec/DMN/20230324/MODEL/');
    const read = await importDmn(got.text);
    expect(read.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(read.model.dmnVersion).toBe('1.5');
    const preview = await post(editor, '/api/v1/dmn/import/preview', got.text);
    expect(preview.status, preview.text).toBe(200);
    expect(preview.body.tables.map((t: { id: string; action: string }) => [t.id, t.action])).toEqual([['test.boete', 'unchanged']]);
  });

  it('exports the draft and a whole domain, in DMN 1.3 when asked', async () => {
    const one = await download(viewer, '/api/v1/tables/parkeren.tarief/export.dmn?version=draft&dmnVersion=1.3');
    expect(one.status).toBe(200);
    expect(one.text).toContain('https://www.omg.org/spec/DMN/20191111/MODEL/');
    expect((await importDmn(one.text)).tables[0]!.rules[0]!.then.tarief).toBe('5');
    const domain = await download(viewer, '/api/v1/domains/test/export.dmn');
    expect(domain.status).toBe(200);
    const ids = ((await viewer.request('GET', '/api/v1/tables')).body.tables as { id: string }[]).map((t) => t.id).filter((id) => id.startsWith('test.'));
    expect((await importDmn(domain.text)).tables.map((t) => t.id).sort()).toEqual(ids.sort());
    expect((await viewer.request('GET', '/api/v1/tables/test.boete/export.dmn?dmnVersion=2.0')).status).toBe(400);
    expect((await viewer.request('GET', '/api/v1/tables/test.nergens/export.dmn')).status).toBe(404);
  });
});
