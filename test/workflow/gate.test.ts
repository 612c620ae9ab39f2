// The publish gate (docs/contracts.md) against a real server and database: a draft that breaks a fixture is refused
// with the report; an intended change with updated expectations passes and is approved by someone else; cases dated
// before validFrom keep checking the version valid then; four-eyes; overlaps block and gaps warn; reject.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFiles } from '../../server/store/files.ts';
import { testServer, type Body, type Client, type TestServer } from '../api/helpers.ts';

const DATA = fileURLToPath(new URL('./data/', import.meta.url));

let srv: TestServer;
let anna: Client; // editor (and approver: four-eyes must still refuse her own draft)
let bert: Client; // approver
let tess: Client; // tester

beforeAll(async () => {
  srv = await testServer({ seedDir: DATA });
  anna = await srv.as('anna', ['editor', 'approver']);
  bert = await srv.as('bert', ['approver']);
  tess = await srv.as('tess', ['tester']);
});
afterAll(async () => {
  await srv.stop();
});

/** Saves `edit(table)` as the draft of `id` (creating it when there is none) as `who`; returns the new revision. */
async function saveDraft(who: Client, id: string, edit: (t: Body) => void): Promise<number> {
  const cur = await who.request('GET', `/api/v1/tables/${id}/draft`);
  expect(cur.status).toBe(200);
  const table = structuredClone(cur.body.table);
  edit(table);
  const r = await who.request('PUT', `/api/v1/tables/${id}/draft`, { table }, { 'If-Match': String(cur.body.revision) });
  expect(r.status, r.text).toBe(200);
  return r.body.revision as number;
}

const caseOf = (report: Body, name: string) => report.fixtures.cases.find((c: { name: string }) => c.name === name);

describe('the publish gate on wf.boete (v1 from 2020: A=100; v2 from 2024: A=110)', () => {
  it('refuses a draft that breaks fixtures, with a report saying which cases fail, against what, and why', async () => {
    await saveDraft(anna, 'wf.boete', (t) => {
      t.rules[0].then.boete = '130';
    });
    const r = await anna.request('POST', '/api/v1/tables/wf.boete/draft/submit', { validFrom: '2025-01-01', note: 'verhoging A' });
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('SUBMISSION_BLOCKED');
    const report = r.body.error.report;
    expect(report.ok).toBe(false);
    expect(report.validFrom).toBe('2025-01-01');
    expect(report.fixtures.totals).toMatchObject({ cases: 6, passed: 4, failed: 2 });
    // Undated and dated on/after validFrom: against the draft, and they fail with expected vs actual.
    for (const name of ['A', 'A in 2025']) {
      const c = caseOf(report, name);
      expect(c).toMatchObject({ pass: false, ranAgainst: 'draft', expected: { boete: 110 }, actual: { boete: 130 }, matched: ['A'] });
      expect(c.mismatches).toEqual([{ field: 'boete', expected: 110, actual: 130 }]);
    }
    // Dated before validFrom: the versions valid then, unaffected by the draft.
    expect(caseOf(report, 'A in 2021')).toMatchObject({ pass: true, ranAgainst: 1, actual: { boete: 100 } });
    expect(caseOf(report, 'A in 2024')).toMatchObject({ pass: true, ranAgainst: 2, actual: { boete: 110 } });
    expect(caseOf(report, 'B')).toMatchObject({ pass: true, ranAgainst: 'draft' });
    expect(caseOf(report, 'Onbekende categorie')).toMatchObject({ pass: true, error: { code: 'INVALID_INPUT' } });
    expect(report.blocking).toEqual([
      "fixture 'A in 2025' (2025-06-01) fails against the draft: boete: expected 110, got 130",
      "fixture 'A' fails against the draft: boete: expected 110, got 130",
    ]);
    expect(r.body.error.details.map((d: { message: string }) => d.message)).toEqual(report.blocking);
    // Nothing changed: the draft is still being edited, and no version was published.
    const draft = await anna.request('GET', '/api/v1/tables/wf.boete/draft');
    expect(draft.body.status).toBe('editing');
    expect((await anna.request('GET', '/api/v1/tables/wf.boete')).body.versions).toHaveLength(2);
  });

  it('an old dated case still checks the old version: a broken v1 expectation blocks the draft too', async () => {
    // With validFrom 2021-01-01 the case of 2021-06-01 moves onto the draft (and fails: 130), the 2020-dated one stays on v1.
    const r = await anna.request('POST', '/api/v1/tables/wf.boete/draft/check', { validFrom: '2021-01-01' });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    expect(caseOf(r.body, 'A in 2021')).toMatchObject({ pass: false, ranAgainst: 'draft', actual: { boete: 130 } });
    expect(caseOf(r.body, 'A in 2024')).toMatchObject({ pass: false, ranAgainst: 'draft' });
  });

  it('passes an intended change once the expectations are updated in the draft with a reason; diff and audit show it', async () => {
    const fx = await anna.request('GET', '/api/v1/tables/wf.boete/fixtures?target=draft');
    expect(fx.status).toBe(200);
    expect(fx.body.source).toBe('table');
    const set = structuredClone(fx.body.fixtures);
    for (const c of set.cases) if (c.name === 'A' || c.name === 'A in 2025') c.expect = { boete: 130 };
    const draft = await anna.request('GET', '/api/v1/tables/wf.boete/draft');
    // A reason is required, and If-Match is the draft revision.
    const noReason = await anna.request('PUT', '/api/v1/tables/wf.boete/draft/fixtures', { fixtures: set }, { 'If-Match': String(draft.body.revision) });
    expect(noReason.status).toBe(400);
    const stale = await anna.request('PUT', '/api/v1/tables/wf.boete/draft/fixtures', { fixtures: set, reason: 'x' }, { 'If-Match': '0' });
    expect(stale.status).toBe(409);
    const saved = await anna.request(
      'PUT',
      '/api/v1/tables/wf.boete/draft/fixtures',
      { fixtures: set, reason: 'Raadsbesluit 2024-11: boete categorie A naar 130' },
      { 'If-Match': String(draft.body.revision) },
    );
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ revision: draft.body.revision + 1, source: 'draft' });
    expect(saved.body.changes.changed.map((c: { name: string }) => c.name)).toEqual(['A in 2025', 'A']);

    // While the draft holds the fixtures, the table's set cannot be changed beside it.
    const beside = await tess.request('PUT', '/api/v1/tables/wf.boete/fixtures', { fixtures: (await tess.request('GET', '/api/v1/tables/wf.boete/fixtures')).body.fixtures, reason: 'ernaast' });
    expect(beside.status).toBe(409);
    expect(beside.body.error.code).toBe('DRAFT_HAS_FIXTURES');

    const diff = await anna.request('GET', '/api/v1/tables/wf.boete/diff?from=2&to=draft');
    expect(diff.status).toBe(200);
    expect(diff.body.rules.changed).toEqual([{ id: 'A', fromIndex: 0, toIndex: 0, cells: [{ kind: 'then', name: 'boete', from: '110', to: '130' }] }]);
    expect(diff.body.fixtures.source).toBe('draft');
    expect(diff.body.fixtures.added).toEqual([]);
    expect(diff.body.fixtures.removed).toEqual([]);
    expect(diff.body.fixtures.changed.map((c: Body) => [c.name, c.fields, c.from.expect, c.to.expect])).toEqual([
      ['A in 2025', ['expect'], { boete: 110 }, { boete: 130 }],
      ['A', ['expect'], { boete: 110 }, { boete: 130 }],
    ]);
    expect(diff.body.fixtures.reasons).toEqual([expect.objectContaining({ actor: 'anna', reason: 'Raadsbesluit 2024-11: boete categorie A naar 130' })]);

    // 2025-01-01 lies in the past: retroactive effect (met terugwerkende kracht) needs a reason, and the approver is told.
    const noRetroReason = await anna.request('POST', '/api/v1/tables/wf.boete/draft/submit', { validFrom: '2025-01-01', note: 'verhoging A' });
    expect(noRetroReason.status).toBe(422);
    expect(noRetroReason.body.error.details).toEqual([{ path: '/retroactiveReason', message: 'is required when validFrom lies in the past', code: 'RETROACTIVE_REASON' }]);
    const submit = await anna.request('POST', '/api/v1/tables/wf.boete/draft/submit', {
      validFrom: '2025-01-01',
      note: 'verhoging A',
      retroactiveReason: 'Raadsbesluit met terugwerkende kracht tot 1 januari 2025',
    });
    expect(submit.status, submit.text).toBe(200);
    expect(submit.body.report.retroactive).toBe(true);
    expect(submit.body.submission).toMatchObject({ retroactiveReason: 'Raadsbesluit met terugwerkende kracht tot 1 januari 2025' });
    expect(submit.body.submission.warnings).toEqual(expect.arrayContaining([expect.stringContaining('met terugwerkende kracht')]));
    expect(submit.body).toMatchObject({ status: 'submitted', validFrom: '2025-01-01', submittedBy: 'anna' });
    expect(submit.body.report.ok).toBe(true);
    expect(submit.body.report.fixtures).toMatchObject({ source: 'draft', totals: { cases: 6, passed: 6, failed: 0 } });
    expect(caseOf(submit.body.report, 'A in 2021')).toMatchObject({ pass: true, ranAgainst: 1 });

    const audit = (await srv.store.auditEntries('wf.boete'));
    const change = audit.find((e) => e.action === 'draft.fixtures.changed');
    expect(change).toMatchObject({ actor: 'anna', detail: { reason: 'Raadsbesluit 2024-11: boete categorie A naar 130' } });
    expect((change!.detail.againstTable as Body).changed).toEqual([
      { name: 'A in 2025', fields: ['expect'], expectFrom: { boete: 110 }, expectTo: { boete: 130 } },
      { name: 'A', fields: ['expect'], expectFrom: { boete: 110 }, expectTo: { boete: 130 } },
    ]);
    expect(audit.at(-1)).toMatchObject({ action: 'draft.submitted', actor: 'anna' });
  });

  it('four-eyes: the author may not approve her own draft, even holding the approver role', async () => {
    const revision = (await anna.request('GET', '/api/v1/tables/wf.boete/draft')).body.revision;
    const r = await anna.request('POST', '/api/v1/tables/wf.boete/draft/approve', { revision });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FOUR_EYES');
    // A tester may not approve at all.
    expect((await tess.request('POST', '/api/v1/tables/wf.boete/draft/approve', { revision })).status).toBe(403);
    expect((await anna.request('GET', '/api/v1/tables/wf.boete')).body.versions).toHaveLength(2);
  });

  it("another approver publishes version 3 with author, approver and note; the draft's fixtures become the table's", async () => {
    const reviewed = (await bert.request('GET', '/api/v1/tables/wf.boete/draft')).body;
    // The approver sees the note, the warnings and the reason for the retroactive start date.
    expect(reviewed).toMatchObject({ note: 'verhoging A', validFrom: '2025-01-01', submission: { retroactiveReason: expect.any(String) } });
    const r = await bert.request('POST', '/api/v1/tables/wf.boete/draft/approve', { revision: reviewed.revision });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ tableId: 'wf.boete', version: 3, validFrom: '2025-01-01', author: 'anna', approvedBy: 'bert', note: 'verhoging A' });
    expect((await bert.request('GET', '/api/v1/tables/wf.boete/draft')).body).toMatchObject({ revision: 0, status: 'none', baseVersion: 3 });
    const fx = await tess.request('GET', '/api/v1/tables/wf.boete/fixtures');
    expect(fx.body.fixtures.cases.find((c: Body) => c.name === 'A').expect).toEqual({ boete: 130 });
    expect(fx.body.draftHasFixtures).toBe(false);

    // Two clocks: 2025 cases get v3, 2021 cases v1.
    const now = await anna.request('POST', '/api/v1/evaluate/wf.boete', { input: { categorie: 'A' }, date: '2025-02-01' });
    expect(now.body).toMatchObject({ version: 3, output: { boete: 130 } });
    const then = await anna.request('POST', '/api/v1/evaluate/wf.boete', { input: { categorie: 'A' }, date: '2021-02-01' });
    expect(then.body).toMatchObject({ version: 1, output: { boete: 100 } });

    // Every case passes against the new newest version; the audit trail has the approval.
    const run = await tess.request('POST', '/api/v1/tables/wf.boete/fixtures/run');
    expect(run.status).toBe(200);
    expect(run.body.totals).toMatchObject({ cases: 6, failed: 0 });
    expect((await srv.store.auditEntries('wf.boete')).map((e) => e.action)).toEqual(
      expect.arrayContaining(['draft.saved', 'draft.fixtures.changed', 'draft.submitted', 'version.published', 'fixtures.approved', 'draft.approved']),
    );

    // Round trip: the files form gets the new version and the changed fixtures; a fresh import of them is identical.
    const dir = mkdtempSync(join(tmpdir(), 'beslis-export-'));
    try {
      const written = (await exportFiles(srv.store, dir)).written;
      expect(written).toEqual(expect.arrayContaining(['rules/wf/boete/v3.json', 'fixtures/wf/boete.json']));
      const file = JSON.parse(readFileSync(join(dir, 'fixtures/wf/boete.json'), 'utf8'));
      expect(file).toEqual(fx.body.fixtures);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('analysis in the gate (wf.schaal)', () => {
  it('an exact UNIQUE overlap blocks; a gap only warns', async () => {
    await saveDraft(anna, 'wf.schaal', (t) => {
      t.rules[0].when.x = '< 15';
    });
    const blocked = await anna.request('POST', '/api/v1/tables/wf.schaal/draft/submit', { validFrom: '2026-01-01', note: 'overlap' });
    expect(blocked.status).toBe(422);
    const report = blocked.body.error.report;
    expect(report.analysis.blocking).toEqual([expect.objectContaining({ kind: 'overlap', rules: ['laag', 'hoog'], exact: true })]);
    expect(report.blocking[0]).toMatch(/^analysis \(overlap\): Rules laag and hoog both match/);

    await saveDraft(anna, 'wf.schaal', (t) => {
      t.rules[0].when.x = '< 10';
      t.rules[1].when.x = '> 20';
    });
    const ok = await anna.request('POST', '/api/v1/tables/wf.schaal/draft/submit', { validFrom: '2026-01-01', note: 'gat', retroactiveReason: 'vanaf het begin van het jaar' });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.report.analysis.blocking).toEqual([]);
    expect(ok.body.report.analysis.warnings).toEqual([expect.objectContaining({ kind: 'gap' })]);
    expect(ok.body.report.warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/^analysis \(gap\)/), 'the table has no fixture cases: nothing shows that earlier decisions stay the same']),
    );
    // Submitted twice is a conflict (withdraw to change it).
    const twice = await anna.request('POST', '/api/v1/tables/wf.schaal/draft/submit', { validFrom: '2026-01-01', note: 'gat', retroactiveReason: 'x' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('DRAFT_SUBMITTED');
  });

  it('reject needs a reason, is refused to the author, and returns the draft to editing', async () => {
    const revision = (await bert.request('GET', '/api/v1/tables/wf.schaal/draft')).body.revision;
    expect((await bert.request('POST', '/api/v1/tables/wf.schaal/draft/reject', { reason: '', revision })).status).toBe(400);
    const own = await anna.request('POST', '/api/v1/tables/wf.schaal/draft/reject', { reason: 'zelf', revision });
    expect(own.status).toBe(403);
    const r = await bert.request('POST', '/api/v1/tables/wf.schaal/draft/reject', { reason: 'Een gat tussen 10 en 20 is niet de bedoeling.', revision });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ status: 'editing', rejectedBy: 'bert' });
    // The author sees why, on the draft and in the catalogue.
    const back = (await anna.request('GET', '/api/v1/tables/wf.schaal/draft')).body;
    expect(back.rejection).toMatchObject({ by: 'bert', reason: 'Een gat tussen 10 en 20 is niet de bedoeling.' });
    const listed = (await anna.request('GET', '/api/v1/tables')).body.tables.find((t: Body) => t.id === 'wf.schaal');
    expect(listed.draft.rejection).toMatchObject({ by: 'bert', reason: 'Een gat tussen 10 en 20 is niet de bedoeling.' });
    expect((await srv.store.auditEntries('wf.schaal')).at(-1)).toMatchObject({
      action: 'draft.rejected',
      actor: 'bert',
      detail: { reason: 'Een gat tussen 10 en 20 is niet de bedoeling.', submittedBy: 'anna' },
    });
    // Not submitted any more: approving is a conflict.
    expect((await bert.request('POST', '/api/v1/tables/wf.schaal/draft/approve', { revision })).status).toBe(409);
  });
});

describe('the fixture rewrite (wf.tarief: L=10, M=20)', () => {
  it('an expectation rewritten beside the draft needs a reason, is shown to the approver, and its author may not approve', async () => {
    const eddy = await srv.as('eddy', ['editor']);
    await saveDraft(eddy, 'wf.tarief', (t) => {
      t.rules[1].then.tarief = '25';
    });
    const blocked = await eddy.request('POST', '/api/v1/tables/wf.tarief/draft/submit', { validFrom: '2031-01-01', note: 'midden duurder' });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.report.blocking[0]).toMatch(/fixture 'midden' fails against the draft/);

    // The attack: make the blocking case pass by rewriting the table's own expectation, not the draft's.
    const fx = (await anna.request('GET', '/api/v1/tables/wf.tarief/fixtures')).body;
    const set = structuredClone(fx.fixtures);
    set.cases.find((c: Body) => c.name === 'midden').expect = { tarief: 25 };
    const silent = await anna.request('PUT', '/api/v1/tables/wf.tarief/fixtures', set, { 'If-Match': String(fx.revision) });
    expect(silent.status).toBe(400);
    const rewritten = await anna.request('PUT', '/api/v1/tables/wf.tarief/fixtures', { fixtures: set, reason: 'tarief midden was verkeerd vastgelegd' }, { 'If-Match': String(fx.revision) });
    expect(rewritten.status, rewritten.text).toBe(200);

    const submitted = await eddy.request('POST', '/api/v1/tables/wf.tarief/draft/submit', { validFrom: '2031-01-01', note: 'midden duurder' });
    expect(submitted.status, submitted.text).toBe(200);
    const change = {
      actor: 'anna',
      route: 'PUT /api/v1/tables/:id/fixtures',
      reason: 'tarief midden was verkeerd vastgelegd',
      into: 'table',
      changed: [{ name: 'midden', fields: ['expect'], expectFrom: { tarief: 20 }, expectTo: { tarief: 25 } }],
    };
    expect(submitted.body.report.fixtureChanges).toEqual([expect.objectContaining(change)]);
    expect(submitted.body.submission.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^the table's fixtures were changed beside the draft by anna \(PUT \/api\/v1\/tables\/:id\/fixtures, .*: midden\): tarief midden was verkeerd vastgelegd$/)]));

    // While the draft is reviewed, the expectations stay as the approver sees them.
    const during = await tess.request('PUT', '/api/v1/tables/wf.tarief/fixtures', { fixtures: fx.fixtures, reason: 'terug' });
    expect(during.status).toBe(409);
    expect(during.body.error.code).toBe('DRAFT_SUBMITTED');

    // The approver sees who changed what, by which route, and why; whoever changed the expectations may not approve.
    const reviewed = (await bert.request('GET', '/api/v1/tables/wf.tarief/draft')).body;
    expect(reviewed.fixtureChanges).toEqual([expect.objectContaining(change)]);
    const own = await anna.request('POST', '/api/v1/tables/wf.tarief/draft/approve', { revision: reviewed.revision });
    expect(own.status).toBe(403);
    expect(own.body.error.message).toContain('anna edited or submitted it');
    const approved = await bert.request('POST', '/api/v1/tables/wf.tarief/draft/approve', { revision: reviewed.revision });
    expect(approved.status, approved.text).toBe(201);
    expect(approved.body.report.fixtureChanges).toEqual([expect.objectContaining(change)]);
    // After publication the slate is clean: the next draft's report starts from the new version.
    await saveDraft(eddy, 'wf.tarief', (t) => {
      t.rules[0].note = 'later';
    });
    expect((await eddy.request('POST', '/api/v1/tables/wf.tarief/draft/check', { validFrom: '2032-01-01' })).body.fixtureChanges).toEqual([]);
  });
});
