// Archiving a table as an advisor and an approver would: an editor asks "archive from DATE", nobody who asked can
// approve it (four-eyes), a second approver does; from then on evaluate refuses cases dated on or after DATE with
// TABLE_ARCHIVED while earlier dates, a pinned version and "as known before" keep answering; every step is audited.
// Against a real server and SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type Client, type TestServer } from './helpers.ts';

const T = 'test.boete';
let srv: TestServer;
let ans: Client; // editor and approver: asks, so may not approve
let carla: Client; // approver
let eddy: Client; // editor

beforeAll(async () => {
  srv = await testServer();
  ans = await srv.as('ans', ['editor', 'approver']);
  carla = await srv.as('carla', ['approver']);
  eddy = await srv.as('eddy', ['editor']);
}, 60_000);
afterAll(async () => {
  await srv.stop();
});

const evaluate = (body: Record<string, unknown>) => srv.request('POST', `/api/v1/evaluate/${T}`, { input: { categorie: 'A' }, ...body });
const catalogueEntry = async () => ((await srv.request('GET', '/api/v1/tables')).body.tables as { id: string }[]).find((t) => t.id === T) as Record<string, unknown>;

describe('archiving with four-eyes', () => {
  it('refuses a date in the past, one not after the newest version, and a request without a note', async () => {
    let r = await ans.request('POST', `/api/v1/tables/${T}/archive`, { validFrom: '2020-06-01', note: 'oud' });
    expect(r.status).toBe(422);
    expect(r.body.invalidParams?.[0]?.name ?? r.body.error.details[0].path).toContain('validFrom');
    r = await ans.request('POST', `/api/v1/tables/${T}/archive`, { validFrom: '2027-01-01', note: '   ' });
    expect(r.status).toBe(400);
    r = await srv.request('POST', `/api/v1/tables/${T}/archive`, { validFrom: 'morgen', note: 'x' });
    expect(r.status).toBe(400);
  });

  it('the one who asked cannot approve or reject; a viewer or editor cannot approve; a second approver can', async () => {
    const asked = await ans.request('POST', `/api/v1/tables/${T}/archive`, { validFrom: '2027-01-01', note: 'Vervangen door de nieuwe boetetabel' });
    expect(asked.status, asked.text).toBe(201);
    const revision = asked.body.revision as number;
    expect(asked.body).toMatchObject({ validFrom: '2027-01-01', requestedBy: 'ans' });

    // A second request while one waits is a conflict.
    const again = await eddy.request('POST', `/api/v1/tables/${T}/archive`, { validFrom: '2027-02-01', note: 'ook' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ARCHIVE_REQUESTED');

    // The catalogue shows the waiting request; the table still answers every date.
    expect(await catalogueEntry()).toMatchObject({ archive: null, archiveRequest: { revision, validFrom: '2027-01-01', requestedBy: 'ans' } });
    expect((await evaluate({ date: '2027-06-01' })).status).toBe(200);

    let r = await ans.request('POST', `/api/v1/tables/${T}/archive/approve`, { revision });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FOUR_EYES');
    expect(r.body.detail).toContain('ans asked for it');
    r = await ans.request('POST', `/api/v1/tables/${T}/archive/reject`, { revision, reason: 'toch niet' });
    expect(r.body.code).toBe('FOUR_EYES');
    r = await eddy.request('POST', `/api/v1/tables/${T}/archive/approve`, { revision });
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
    // Without naming the reviewed request: 428; a wrong revision: 409.
    r = await carla.request('POST', `/api/v1/tables/${T}/archive/approve`, {});
    expect(r.status).toBe(428);
    r = await carla.request('POST', `/api/v1/tables/${T}/archive/approve`, { revision: revision + 7 });
    expect(r.status).toBe(409);
    expect((await evaluate({ date: '2027-06-01' })).status).toBe(200);

    r = await carla.request('POST', `/api/v1/tables/${T}/archive/approve`, { revision });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ validFrom: '2027-01-01', requestedBy: 'ans', approvedBy: 'carla' });
  });

  it('after approval: old dates answer, dates from the archive date on are refused with TABLE_ARCHIVED', async () => {
    const before = await evaluate({ date: '2026-12-31' });
    expect(before.status).toBe(200);
    expect(before.body.version).toBe(3);
    const onDay = await evaluate({ date: '2027-01-01' });
    expect(onDay.status).toBe(404);
    expect(onDay.body.code).toBe('TABLE_ARCHIVED');
    expect(onDay.body.archivedFrom).toBe('2027-01-01');
    expect(onDay.body.detail).toContain('archived since 2027-01-01');
    const later = await evaluate({ date: '2030-05-05' });
    expect(later.body.code).toBe('TABLE_ARCHIVED');
    // As known before the archive was approved, the later date still had an answer; a pinned version always answers.
    expect((await evaluate({ date: '2030-05-05', asOf: '2026-01-01' })).status).toBe(200);
    expect((await evaluate({ date: '2030-05-05', version: 2 })).status).toBe(200);
    // Inside a batch, each case gets its own answer.
    const batch = await srv.request('POST', `/api/v1/evaluate/${T}/batch`, { cases: [{ input: { categorie: 'A' }, date: '2026-06-01' }, { input: { categorie: 'A' }, date: '2027-06-01' }] });
    expect(batch.status).toBe(200);
    expect(batch.body.results[0].version).toBe(3);
    expect(batch.body.results[1].error.code).toBe('TABLE_ARCHIVED');
  });

  it('a fixture run answers no case dated on or after the archive date either; a case may expect that, and an undated case tests the rules', async () => {
    const output = (await evaluate({ date: '2026-06-01' })).body.output as Record<string, unknown>;
    const fixtures = {
      table: T,
      cases: [
        { name: 'voor het archief', input: { categorie: 'A' }, date: '2026-06-01', expect: output },
        { name: 'na het archief, oude verwachting', input: { categorie: 'A' }, date: '2027-06-01', expect: output },
        { name: 'na het archief, geen besluit', input: { categorie: 'A' }, date: '2027-06-01', expectError: 'TABLE_ARCHIVED' },
        { name: 'zonder datum', input: { categorie: 'A' }, expect: output },
      ],
    };
    const put = await eddy.request('PUT', `/api/v1/tables/${T}/fixtures`, { fixtures, reason: 'Archief getest' });
    expect(put.status, put.text).toBe(200);
    const run = await eddy.request('POST', `/api/v1/tables/${T}/fixtures/run`);
    expect(run.status, run.text).toBe(200);
    const cases = run.body.cases as { name: string; pass: boolean; version?: number; error?: { code: string } }[];
    const byName = Object.fromEntries(cases.map((c) => [c.name, c]));
    expect(byName['voor het archief']).toMatchObject({ pass: true, version: 3 });
    expect(byName['na het archief, oude verwachting']).toMatchObject({ pass: false, error: { code: 'TABLE_ARCHIVED' } });
    expect(byName['na het archief, geen besluit']).toMatchObject({ pass: true, error: { code: 'TABLE_ARCHIVED' } });
    expect(byName['zonder datum']).toMatchObject({ pass: true, version: 3 });
    expect(run.body.totals).toMatchObject({ cases: 4, passed: 3, failed: 1 });
  });

  it('the catalogue lists it as archived, a second archive is refused, and every step is in the audit trail', async () => {
    expect(await catalogueEntry()).toMatchObject({ archive: { validFrom: '2027-01-01', inForce: false, approvedBy: 'carla', requestedBy: 'ans' }, archiveRequest: null, currentVersion: 3 });
    const r = await eddy.request('POST', `/api/v1/tables/${T}/archive`, { validFrom: '2028-01-01', note: 'nog eens' });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('ARCHIVED');
    const audit = (await srv.request('GET', `/api/v1/audit?table=${T}`)).body;
    const entries = (audit.entries ?? audit.items ?? audit) as { action: string; actor: string }[];
    const actions = entries.filter((e) => e.action.startsWith('archive.')).map((e) => `${e.action} ${e.actor}`);
    expect(actions).toEqual(['archive.requested ans', 'archive.approved carla']);
    const verify = await srv.request('GET', '/api/v1/audit/verify');
    expect(verify.body.ok).toBe(true);
  });

  it('a rejected or withdrawn request leaves the table answering, and only its author withdraws it', async () => {
    const other = 'test.gedrag';
    const asked = await eddy.request('POST', `/api/v1/tables/${other}/archive`, { validFrom: '2027-03-01', note: 'weg ermee' });
    expect(asked.status, asked.text).toBe(201);
    let r = await ans.request('POST', `/api/v1/tables/${other}/archive/withdraw`);
    expect(r.status).toBe(403);
    r = await carla.request('POST', `/api/v1/tables/${other}/archive/reject`, { revision: asked.body.revision, reason: 'nog in gebruik' });
    expect(r.status, r.text).toBe(200);
    const again = await eddy.request('POST', `/api/v1/tables/${other}/archive`, { validFrom: '2027-03-01', note: 'tweede poging' });
    expect(again.body.revision).toBeGreaterThan(asked.body.revision);
    r = await eddy.request('POST', `/api/v1/tables/${other}/archive/withdraw`);
    expect(r.status).toBe(200);
    const state = (await srv.request('GET', `/api/v1/tables/${other}/archive`)).body;
    expect(state).toMatchObject({ archive: null, request: null, archives: [] });
    const ok = await srv.request('POST', `/api/v1/evaluate/${other}`, { input: { houding: 'welwillend' }, date: '2030-01-01' });
    expect(ok.body.code).not.toBe('TABLE_ARCHIVED');
  });
});
