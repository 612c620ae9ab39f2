// Four-eyes, tried as an attacker would: no policy change is published unless a second person saw exactly that
// change. The author swaps the content between review and approval; an author approves their own draft; an admin who
// edited a draft makes a second approver account, or resets a real approver's password, and approves as them.
// Against a real server and database; the store refuses, whatever route or code path calls it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../server/store/errors.ts';
import { approveDraft, rejectDraft } from '../../server/store/workflow.ts';
import { login, testServer, type Body, type Client, type TestServer } from '../api/helpers.ts';

const T = 'test.gedrag';
let srv: TestServer;
let ans: Client; // editor and approver
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

async function draft(who: Pick<Client, 'request'>): Promise<Body> {
  return (await who.request('GET', `/api/v1/tables/${T}/draft`)).body;
}

async function edit(who: Client, note: string): Promise<Body> {
  const d = await draft(who);
  const table = structuredClone(d.table);
  table.rules[0].note = note;
  const r = await who.request('PUT', `/api/v1/tables/${T}/draft`, { table }, { 'If-Match': String(d.revision) });
  expect(r.status, r.text).toBe(200);
  return r.body;
}

async function submit(who: Client, validFrom: string, note = 'toelichting bij G1'): Promise<Body> {
  const r = await who.request('POST', `/api/v1/tables/${T}/draft/submit`, { validFrom, note });
  expect(r.status, r.text).toBe(200);
  return r.body;
}

const versions = async () => (await srv.request('GET', `/api/v1/tables/${T}`)).body.versions as Body[];

describe('the swap between review and approval', () => {
  it('a submitted draft is frozen for everyone; withdrawing it gives a new revision, and the reviewed one no longer approves', async () => {
    await edit(eddy, 'welwillend: eerst een gesprek');
    const submitted = await submit(eddy, '2030-01-01');
    // Carla reviews: the draft view names the revision and the hash the version will have.
    const reviewed = await draft(carla);
    expect(reviewed).toMatchObject({ status: 'submitted', revision: submitted.revision, publication: { version: 2, validFrom: '2030-01-01' } });
    expect(reviewed.publication.hash).toBe(submitted.report.hash);

    // Nobody saves a submitted draft, not its author, not an admin, not through the fixtures.
    const table = structuredClone(reviewed.table);
    table.rules[0].then.gedrag = '"D"';
    for (const who of [eddy, srv]) {
      const r = await who.request('PUT', `/api/v1/tables/${T}/draft`, { table }, { 'If-Match': String(reviewed.revision) });
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('DRAFT_SUBMITTED');
    }
    const fx = await eddy.request('PUT', `/api/v1/tables/${T}/draft/fixtures`, { fixtures: { table: T, cases: [] }, reason: 'weg ermee' }, { 'If-Match': String(reviewed.revision) });
    expect(fx.status).toBe(409);
    expect(fx.body.error.code).toBe('DRAFT_SUBMITTED');

    // The author takes it back (audited), changes the outcome, and submits again with the same start date.
    expect((await carla.request('POST', `/api/v1/tables/${T}/draft/withdraw`, {})).status).toBe(403); // not an author
    const withdrawn = await eddy.request('POST', `/api/v1/tables/${T}/draft/withdraw`, {});
    expect(withdrawn.status, withdrawn.text).toBe(200);
    expect(withdrawn.body.revision).toBe(reviewed.revision + 1);
    const saved = await eddy.request('PUT', `/api/v1/tables/${T}/draft`, { table }, { 'If-Match': String(withdrawn.body.revision) });
    expect(saved.status, saved.text).toBe(200);
    const again = await submit(eddy, '2030-01-01');
    expect(again.revision).toBeGreaterThan(reviewed.revision);

    // Carla clicks Approve on what she reviewed: refused, nothing published.
    const stale = await carla.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: reviewed.revision });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'STALE_REVISION', revision: again.revision });
    const staleHeader = await carla.request('POST', `/api/v1/tables/${T}/draft/approve`, {}, { 'If-Match': `"${reviewed.revision}"` });
    expect(staleHeader.status).toBe(409);
    // Without naming a revision at all: 428.
    const missing = await carla.request('POST', `/api/v1/tables/${T}/draft/approve`, {});
    expect(missing.status).toBe(428);
    expect(missing.body.error.code).toBe('PRECONDITION_REQUIRED');
    expect((await carla.request('POST', `/api/v1/tables/${T}/draft/reject`, { reason: 'nee' })).status).toBe(428);
    expect(await versions()).toHaveLength(1);

    const audit = (await srv.request('GET', `/api/v1/audit?table=${T}`)).body.entries.map((e: Body) => e.action);
    expect(audit).toContain('draft.withdrawn');
  });

  it('approving the revision reviewed publishes exactly that: the answer names the revision and the content hash', async () => {
    const reviewed = await draft(carla);
    expect(reviewed.table.rules[0].then.gedrag).toBe('"D"');
    const r = await carla.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: reviewed.revision });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ version: 2, revision: reviewed.revision, hash: reviewed.publication.hash, approvedBy: 'carla', author: 'eddy' });
    const published = await srv.request('GET', `/api/v1/tables/${T}/versions/2`);
    expect(published.headers.get('etag')).toBe(`"${reviewed.publication.hash}"`);
  });
});

describe('the author approves', () => {
  it('the author cannot approve or reject their own draft, even holding the role approver', async () => {
    await edit(ans, 'welwillend: eerst een gesprek');
    const s = await submit(ans, '2031-01-01');
    const approve = await ans.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: s.revision });
    expect(approve.status).toBe(403);
    expect(approve.body.error.code).toBe('FOUR_EYES');
    expect(approve.body.error.message).toMatch(/ans may not approve this draft of test\.gedrag: ans edited or submitted it/);
    const reject = await ans.request('POST', `/api/v1/tables/${T}/draft/reject`, { reason: 'zelf terugtrekken', revision: s.revision });
    expect(reject.status).toBe(403);
    expect(reject.body.error.code).toBe('FOUR_EYES');
    expect(await versions()).toHaveLength(2);
  });

  it('no caller skips it: the store itself refuses, and only a person with an account may decide', async () => {
    const d = (await srv.store.getDraft(T))!;
    await expect(approveDraft(srv.store, srv.evaluator, T, 'ans', d.revision)).rejects.toThrow(StoreError);
    await expect(approveDraft(srv.store, srv.evaluator, T, 'ans', d.revision)).rejects.toThrow(/FOUR_EYES|edited or submitted/);
    await expect(rejectDraft(srv.store, T, 'nee', 'ans', d.revision)).rejects.toThrow(/edited or submitted/);
    await expect(approveDraft(srv.store, srv.evaluator, T, 'token:zaaksysteem', d.revision)).rejects.toThrow(/only a person/);
    await expect(approveDraft(srv.store, srv.evaluator, T, 'niemand', d.revision)).rejects.toThrow(/only a person/);
    expect(await versions()).toHaveLength(2);
  });

  it('an admin who edited the draft cannot approve it either', async () => {
    // Back to editing, so the admin (every role, approver included) can edit too.
    const d = await draft(ans);
    expect((await ans.request('POST', `/api/v1/tables/${T}/draft/withdraw`, { revision: d.revision })).status).toBe(200);
    const saved = await draft(srv);
    const table = structuredClone(saved.table);
    table.rules[1].note = 'door de beheerder aangevuld';
    expect((await srv.request('PUT', `/api/v1/tables/${T}/draft`, { table }, { 'If-Match': String(saved.revision) })).status).toBe(200);
    const s = await submit(ans, '2031-01-01');
    const r = await srv.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: s.revision });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FOUR_EYES');
    expect(r.body.error.message).toMatch(/^admin may not approve/);
    expect((await draft(srv)).editors).toEqual(['admin', 'ans']);
  });
});

describe('sock puppets and reset passwords', () => {
  const NEW_PASSWORD = 'nu-echt-van-mij-zelf';

  it('an approver account the author created cannot approve the author\u2019s draft, even after choosing its own password', async () => {
    // The admin edited the draft (above) and creates a second account with the role approver.
    const created = await srv.request('POST', '/api/v1/users', { username: 'poppetje', password: 'tijdelijk-wachtwoord', roles: ['approver'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ mustChangePassword: true, createdBy: 'admin' });
    const puppet = await login(srv.url, 'poppetje', 'tijdelijk-wachtwoord');
    // A temporary password opens nothing but the change-password form.
    const me = await puppet.request('GET', '/api/v1/me');
    expect(me.body.mustChangePassword).toBe(true);
    const blocked = await puppet.request('GET', `/api/v1/tables/${T}/draft`);
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    const changed = await puppet.request('POST', '/api/v1/auth/password', { currentPassword: 'tijdelijk-wachtwoord', newPassword: NEW_PASSWORD });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.body.mustChangePassword).toBe(false);

    const d = await draft(puppet);
    const r = await puppet.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: d.revision });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FOUR_EYES');
    expect(r.body.error.message).toContain('the account poppetje was created by admin, who edited or submitted it');
  });

  it('a real approver whose password the author reset cannot approve, even when "she" sets her own password afterwards', async () => {
    const reset = await srv.request('PATCH', '/api/v1/users/carla', { password: 'door-de-beheerder-gezet' });
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ mustChangePassword: true, passwordSetBy: 'admin' });
    // Carla's sessions ended with the reset.
    expect((await carla.request('GET', '/api/v1/me')).status).toBe(401);
    const asCarla = await login(srv.url, 'carla', 'door-de-beheerder-gezet');
    const d = (await srv.store.getDraft(T))!;
    const early = await asCarla.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: d.revision });
    expect(early.status).toBe(403);
    expect(early.body.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    // The same password again is not a change; a wrong current password is refused.
    expect((await asCarla.request('POST', '/api/v1/auth/password', { currentPassword: 'door-de-beheerder-gezet', newPassword: 'door-de-beheerder-gezet' })).status).toBe(400);
    expect((await asCarla.request('POST', '/api/v1/auth/password', { currentPassword: 'fout-fout-fout', newPassword: NEW_PASSWORD })).status).toBe(400);
    expect((await asCarla.request('POST', '/api/v1/auth/password', { currentPassword: 'door-de-beheerder-gezet', newPassword: NEW_PASSWORD })).status).toBe(200);
    const r = await asCarla.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: d.revision });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FOUR_EYES');
    expect(r.body.error.message).toContain('the password of carla was last set by admin, who edited or submitted it');
    expect(await versions()).toHaveLength(2);
  });

  it('roles given by the author count too; an approver set up by someone else approves', async () => {
    const dirk = await srv.as('dirk', ['viewer']);
    expect((await srv.request('PATCH', '/api/v1/users/dirk', { roles: ['approver'] })).status).toBe(200);
    const d = await draft(dirk);
    const r = await dirk.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: d.revision });
    expect(r.status).toBe(403);
    expect(r.body.error.message).toContain('the roles of dirk were last set by admin');

    const fenna = await srv.as('fenna', ['approver']); // created by 'test', not by an author
    const ok = await fenna.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: d.revision });
    expect(ok.status, ok.text).toBe(201);
    expect(ok.body).toMatchObject({ version: 3, approvedBy: 'fenna' });
  });

  it('after publication the slate is clean: a former author may approve the next draft someone else wrote', async () => {
    await edit(eddy, 'een nieuwe ronde');
    const s = await submit(eddy, '2032-01-01');
    expect((await eddy.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: s.revision })).status).toBe(403); // not an approver
    const r = await ans.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: s.revision });
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ version: 4, approvedBy: 'ans' });
  });
});

describe('two approvers at once', () => {
  it('publish exactly one version; the other is told the draft was published meanwhile (409), not that there never was one', async () => {
    const bram = await srv.as('bram', ['approver']);
    await edit(eddy, 'twee goedkeurders tegelijk');
    const s = await submit(eddy, '2033-01-01');
    const before = (await versions()).length;
    // Both checks run before either writes: the second finds the draft gone when it comes to publish.
    const answers = await Promise.allSettled([
      approveDraft(srv.store, srv.evaluator, T, 'carla', s.revision),
      approveDraft(srv.store, srv.evaluator, T, 'bram', s.revision),
    ]);
    expect(answers.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
    const refused = answers.find((a) => a.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(StoreError);
    expect((refused.reason as StoreError).code).toBe('STALE_REVISION');
    expect((refused.reason as StoreError).message).toMatch(/published or discarded by someone else/);
    expect(await versions()).toHaveLength(before + 1);
    // Afterwards there is nothing to approve: that is a 404, as before.
    const late = await bram.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: s.revision });
    expect(late.status).toBe(404);
    expect(late.body.error.code).toBe('DRAFT_NOT_FOUND');
  });
});
