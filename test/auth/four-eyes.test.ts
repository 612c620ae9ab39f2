// Four-eyes, enforced by the server: nobody who edited (or submitted) a draft since the last version may approve
// or reject it, whatever their roles — admins included. Against a real server and database.
import type { Request } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Auth } from '../../server/api/access.ts';
import { ApiError } from '../../server/api/errors.ts';
import { testServer, type Body, type Client, type TestServer } from '../api/helpers.ts';

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

async function edit(who: Client, note: string): Promise<Body> {
  const d = (await who.request('GET', `/api/tables/${T}/draft`)).body;
  const table = structuredClone(d.table);
  table.rules[0].note = note;
  const r = await who.request('PUT', `/api/tables/${T}/draft`, { table }, { 'If-Match': String(d.revision) });
  expect(r.status, r.text).toBe(200);
  return r.body;
}

async function submit(who: Client, validFrom: string): Promise<void> {
  const r = await who.request('POST', `/api/tables/${T}/draft/submit`, { validFrom, note: 'toelichting bij G1' });
  expect(r.status, r.text).toBe(200);
}

describe('four-eyes', () => {
  it('the author cannot approve or reject their own draft, even holding the role approver', async () => {
    await edit(ans, 'welwillend: eerst een gesprek');
    await submit(ans, '2030-01-01');
    const approve = await ans.request('POST', `/api/tables/${T}/draft/approve`, {});
    expect(approve.status).toBe(403);
    expect(approve.body.error.code).toBe('FOUR_EYES');
    expect(approve.body.error.message).toMatch(/ans edited or submitted this draft of test\.gedrag and may not approve it/);
    const reject = await ans.request('POST', `/api/tables/${T}/draft/reject`, { reason: 'zelf terugtrekken' });
    expect(reject.status).toBe(403);
    expect(reject.body.error.code).toBe('FOUR_EYES');
    expect((await srv.request('GET', `/api/tables/${T}`)).body.versions).toHaveLength(1);
  });

  it('an admin who edited the draft cannot approve it either', async () => {
    // The first admin holds every role, approver included.
    const me = (await srv.request('GET', '/api/me')).body;
    expect(me.roles).toContain('approver');
    const saved = await srv.request('GET', `/api/tables/${T}/draft`);
    const table = structuredClone(saved.body.table);
    table.rules[1].note = 'door de beheerder aangevuld';
    expect((await srv.request('PUT', `/api/tables/${T}/draft`, { table }, { 'If-Match': String(saved.body.revision) })).status).toBe(200);
    await submit(ans, '2030-01-01');
    const r = await srv.request('POST', `/api/tables/${T}/draft/approve`, {});
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('FOUR_EYES');
    expect(r.body.error.message).toMatch(/^admin edited/);
    expect((await srv.request('GET', `/api/tables/${T}/draft`)).body.editors).toEqual(['admin', 'ans']);
  });

  it('another approver can approve; the new version then answers', async () => {
    const r = await carla.request('POST', `/api/tables/${T}/draft/approve`, {});
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ version: 2, validFrom: '2030-01-01', approvedBy: 'carla' });
    const v = await srv.withToken(['evaluate']).request('POST', `/api/evaluate/${T}`, { input: { houding: 'welwillend' }, date: '2030-02-01' });
    expect(v.body).toMatchObject({ version: 2, output: { gedrag: 'A' } });
  });

  it('after publication the slate is clean: a former author may approve the next draft someone else wrote', async () => {
    await edit(eddy, 'een nieuwe ronde');
    await submit(eddy, '2031-01-01');
    expect((await eddy.request('POST', `/api/tables/${T}/draft/approve`, {})).status).toBe(403); // not an approver
    const r = await ans.request('POST', `/api/tables/${T}/draft/approve`, {});
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({ version: 3, approvedBy: 'ans' });
  });

  it('the access control refuses an author before any route code runs (the guard of every approve route)', async () => {
    await edit(eddy, 'nog een ronde');
    const auth = new Auth(srv.store);
    const req = (path: string) => ({ params: { id: T }, path }) as unknown as Request;
    const eddyActor = { kind: 'user' as const, name: 'eddy', roles: ['editor' as const, 'approver' as const], scopes: [] };
    const carlaActor = { kind: 'user' as const, name: 'carla', roles: ['approver' as const], scopes: [] };
    expect(() => auth.decide(eddyActor, 'approve', req(`/tables/${T}/draft/approve`))).toThrow(ApiError);
    expect(() => auth.decide(eddyActor, 'approve', req(`/tables/${T}/draft/reject`))).toThrow(/may not reject/);
    expect(auth.decide(carlaActor, 'approve', req(`/tables/${T}/draft/approve`))).toBe('allow');
    // Editing is not affected by four-eyes.
    expect(auth.decide(eddyActor, 'edit', req(`/tables/${T}/draft`))).toBe('allow');
  });
});
