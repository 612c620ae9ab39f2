// FEEL types through the evaluate API: with `types: true` an answer says which texts of its output are a date, a
// time, a date-time or a duration, so a date is told apart from a string that reads the same (issue 18, point 4).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, testServer, type TestServer } from './helpers.ts';

const TABLE = {
  id: 'test.termijn',
  version: 1,
  validFrom: '2020-01-01',
  title: 'Termijn',
  meta: { public: true },
  hitPolicy: 'UNIQUE',
  inputs: [{ name: 'melding', type: 'date' }],
  outputs: [
    { name: 'frist', type: 'date' },
    { name: 'uur', type: 'time' },
    { name: 'termijn', type: 'duration' },
    { name: 'kenmerk', type: 'string' },
    { name: 'uiterlijk', type: 'date' },
    { name: 'bijzonder', type: 'any' },
  ],
  rules: [
    {
      id: 'binnen-termijn',
      when: { melding: '>= date("2024-01-01")' },
      then: {
        // Computed from the case, constant, a duration, a string that reads like a date, a date written as text in
        // a date column, and a date-time in a column of any type.
        frist: 'melding + duration("P14D")',
        uur: 'time("09:00:00")',
        termijn: 'duration("P14D")',
        kenmerk: '"2024-01-31"',
        uiterlijk: '"2024-12-31"',
        bijzonder: 'date and time(melding, time("12:00:00"))',
      },
    },
  ],
};

let srv: TestServer;
beforeAll(async () => {
  const seed = tempDir('beslis-types-seed-');
  mkdirSync(join(seed, 'rules', 'test', 'termijn'), { recursive: true });
  writeFileSync(join(seed, 'rules', 'test', 'termijn', 'v1.json'), JSON.stringify(TABLE, null, 2));
  srv = await testServer({ seedDir: seed });
});
afterAll(async () => {
  await srv.stop();
});

const evaluate = (body: unknown) => srv.request('POST', '/api/v1/evaluate/test.termijn', body);

describe('types in the evaluate answer', () => {
  it('tells a date, a time and a duration apart from a string that reads like them', async () => {
    const r = await evaluate({ input: { melding: '2024-01-17' }, types: true });
    expect(r.status).toBe(200);
    expect(r.body.output).toEqual({
      frist: '2024-01-31',
      uur: '09:00:00',
      termijn: 'P14D',
      kenmerk: '2024-01-31',
      uiterlijk: '2024-12-31',
      bijzonder: '2024-01-17T12:00:00',
    });
    // frist and kenmerk are the same text; only the types say the one is a date and the other a string.
    expect(r.body.types).toEqual({
      '/frist': 'date',
      '/uur': 'time',
      '/termijn': 'days and time duration',
      '/uiterlijk': 'date',
      '/bijzonder': 'date and time',
    });
    expect(r.body.output.frist).toBe(r.body.output.kenmerk);
  });

  it('leaves the answer as it was when types are not asked for', async () => {
    const r = await evaluate({ input: { melding: '2024-01-17' } });
    expect(r.status).toBe(200);
    expect(r.body).not.toHaveProperty('types');
    expect(Object.keys(r.body).sort()).toEqual(['hash', 'matched', 'output', 'tableId', 'validFrom', 'version']);
  });

  it('an answer without a match has no texts to type', async () => {
    const r = await evaluate({ input: { melding: '2023-06-01' }, types: true });
    expect(r.body).toMatchObject({ output: null, matched: [], types: {} });
  });

  it('a batch types each case, asked for at the top or per case', async () => {
    const r = await srv.request('POST', '/api/v1/evaluate/test.termijn/batch', {
      types: true,
      cases: [{ ref: 'a', input: { melding: '2024-02-01' } }, { ref: 'b', input: { melding: '2024-02-01' }, types: false }, { ref: 'c', input: { melding: 'morgen' } }],
    });
    expect(r.status).toBe(200);
    const [a, b, c] = r.body.results;
    expect(a).toMatchObject({ ref: 'a', output: { frist: '2024-02-15' }, types: { '/frist': 'date' } });
    expect(a.types).not.toHaveProperty('/kenmerk');
    expect(b.ref).toBe('b');
    expect(b).not.toHaveProperty('types');
    expect(c).toMatchObject({ ref: 'c', status: 400 });
  });

  it('refuses a types flag that is not a truth value, naming it', async () => {
    const r = await evaluate({ input: { melding: '2024-01-17' }, types: 'ja' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.invalidParams ?? r.body.error.details)).toContain('types');
  });

  it('the public register types its answers too, when asked, without a login', async () => {
    const r = await srv.anonymous.request('POST', '/api/v1/public/tables/test.termijn/evaluate', { input: { melding: '2024-01-17' }, types: true });
    expect(r.status).toBe(200);
    expect(r.body.types).toEqual({ '/frist': 'date', '/uur': 'time', '/termijn': 'days and time duration', '/uiterlijk': 'date', '/bijzonder': 'date and time' });
    const plain = await srv.anonymous.request('POST', '/api/v1/public/tables/test.termijn/evaluate', { input: { melding: '2024-01-17' } });
    expect(plain.status).toBe(200);
    expect(plain.body).not.toHaveProperty('types');
  });

  it('the OpenAPI document describes the flag and the answer member', async () => {
    const doc = (await srv.anonymous.request('GET', '/api/v1/openapi.json')).body;
    expect(doc.components.schemas.EvaluateRequest.properties.types.type).toBe('boolean');
    expect(doc.components.schemas.PublicEvaluateRequest.properties.types.type).toBe('boolean');
    expect(doc.components.schemas.StepResult.properties.types.additionalProperties.enum).toContain('days and time duration');
  });
});
