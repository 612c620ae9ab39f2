// The Algoritmeregister export over HTTP against a real server seeded with public and non-public tables: a table's
// decision and every public decision as a JSON download that keeps the publication standard, and a table that is not
// public refused with a problem naming it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisterDocument } from '../../server/algoritmeregister/index.ts';
import { writeRules } from '../algoritmeregister/tables.ts';
import { standardProblems } from '../algoritmeregister/validate.ts';
import { testServer, type Client, type TestServer } from './helpers.ts';

let srv: TestServer;
let viewer: Client;
let seed = '';

beforeAll(async () => {
  seed = writeRules(mkdtempSync(join(tmpdir(), 'beslis-algoreg-api-')));
  srv = await testServer({ seedDir: seed });
  viewer = await srv.as('vera', ['viewer']);
}, 60_000);
afterAll(async () => {
  await srv.stop();
  rmSync(seed, { recursive: true, force: true });
});

describe('GET /api/v1/tables/:id/algoritmeregister and /api/v1/algoritmeregister', () => {
  it("answers a public table's decision as a download in the publication standard", async () => {
    const r = await viewer.request('GET', '/api/v1/tables/proef.boete/algoritmeregister');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe('attachment; filename="algoritmeregister-proef.boete.json"');
    const doc = r.body as RegisterDocument;
    expect(doc.algoritmes.map((e) => [e.algoritme, e.tabellen.map((t) => t.id)])).toEqual([['proef.boete', ['proef.ernst', 'proef.boete']]]);
    expect(standardProblems(doc.algoritmes[0]!)).toEqual([]);
    expect(doc.algoritmes[0]!.teVoltooien.map((t) => t.veld)).toEqual(expect.arrayContaining(['publication_category', 'contact_email', 'goal']));
  });

  it('answers every public decision, or those of a domain', async () => {
    const all = await viewer.request('GET', '/api/v1/algoritmeregister');
    expect(all.status).toBe(200);
    expect(all.headers.get('content-disposition')).toBe('attachment; filename="algoritmeregister.json"');
    expect((all.body as RegisterDocument).algoritmes.map((e) => e.algoritme)).toEqual(['ander.los', 'proef.boete']);
    for (const e of (all.body as RegisterDocument).algoritmes) expect(standardProblems(e)).toEqual([]);
    const domain = await viewer.request('GET', '/api/v1/algoritmeregister?domain=ander');
    expect((domain.body as RegisterDocument).algoritmes.map((e) => e.algoritme)).toEqual(['ander.los']);
  });

  it('refuses a table that is not public with a problem naming it, and bad or unknown names', async () => {
    const secret = await viewer.request('GET', '/api/v1/tables/proef.geheim/algoritmeregister');
    expect(secret.status).toBe(422);
    expect(secret.headers.get('content-type')).toContain('application/problem+json');
    expect(secret.body).toMatchObject({ code: 'NOT_PUBLIC', status: 422, invalidParams: [{ name: '/tables/proef.geheim/meta/public' }] });
    expect((secret.body as { detail: string }).detail).toContain("table 'proef.geheim' is not public");
    expect((await viewer.request('GET', '/api/v1/algoritmeregister?domain=stil')).body).toMatchObject({ code: 'NOT_PUBLIC' });
    expect((await viewer.request('GET', '/api/v1/tables/proef.toekomst/algoritmeregister')).status).toBe(404);
    expect((await viewer.request('GET', '/api/v1/tables/proef.nergens/algoritmeregister')).status).toBe(404);
    expect((await viewer.request('GET', '/api/v1/algoritmeregister?domain=nergens')).status).toBe(404);
    expect((await viewer.request('GET', '/api/v1/algoritmeregister?domain=Hoofd%20Letters')).body).toMatchObject({ status: 400, code: 'INVALID_PARAMETER' });
    expect((await srv.anonymous.request('GET', '/api/v1/algoritmeregister')).status).toBe(401);
  });
});
