// `explain: true` on evaluate and batch (issue 23): the reasoned explanation in Dutch and English beside the decision,
// from a real server seeded with the Enschede tables of rules/, without the trace unless that is asked too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../policy/policy-files.ts';
import { testServer, type TestServer } from './helpers.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await testServer({ seedDir: ROOT });
});
afterAll(async () => {
  await srv.stop();
});

const evaluate = (tableId: string, body: unknown) => srv.request('POST', `/api/v1/evaluate/${tableId}`, body);

describe('explain on evaluate', () => {
  it('adds the explanation of the version that decided, with its start date; no trace unless asked', async () => {
    const r = await evaluate('drank-horeca.boete', { input: { categorie: 'B', werknemers: 12, eerdere_boetes: 1 }, date: '2024-06-01', explain: true });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ version: 2, output: { boete: 1765.5 }, matched: ['B-klein-1'] });
    expect(r.body.trace).toBeUndefined();
    expect(r.body.explanation.nl).toContain('Besluit: Bestuurlijke boete Alcoholwet (Drank- en Horecawet), versie 2, geldig vanaf 1 januari 2024.');
    expect(r.body.explanation.nl).toContain('regel B-klein-1, omdat boetecategorie van het overtreden artikel B is, aantal werknemers van de overtreder minder dan 50 is (namelijk 12)');
    expect(r.body.explanation.en).toContain('Decision: Bestuurlijke boete Alcoholwet (Drank- en Horecawet), version 2, valid from 1 January 2024.');
    // An earlier case date: the version then in force explains itself.
    const v1 = await evaluate('drank-horeca.boete', { input: { categorie: 'B', werknemers: 12, eerdere_boetes: 1 }, date: '2020-06-01', explain: true });
    expect(v1.body.explanation.nl).toContain('versie 1, geldig vanaf 1 januari 2013');
  });

  it('with trace and explain, both', async () => {
    const r = await evaluate('drank-horeca.boete', { input: { categorie: 'A', werknemers: 60, eerdere_boetes: 0 }, trace: true, explain: true });
    expect(r.body.trace.length).toBeGreaterThan(1);
    expect(r.body.explanation.nl).toContain('regel A-groot-0');
  });

  it('without explain, no explanation', async () => {
    const r = await evaluate('drank-horeca.boete', { input: { categorie: 'A', werknemers: 60, eerdere_boetes: 0 } });
    expect(r.status).toBe(200);
    expect(r.body.explanation).toBeUndefined();
  });

  it('a chain explains each step, the required table first', async () => {
    const input = { stap: 'constatering', overtreding_opgeheven: false, spoed: false, recidive: false, gedrag: 'C', gevolgen: 4 };
    const r = await evaluate('handhaving.interventieladder', { input, date: '2026-12-02', explain: true });
    expect(r.status).toBe(200);
    expect(r.body.steps).toHaveLength(1);
    const nl: string = r.body.explanation.nl;
    expect(nl.startsWith('Dit besluit is in 2 stappen genomen: eerst „Interventiematrix (Landelijke Handhavingsstrategie)”')).toBe(true);
    expect(nl.indexOf('Stap 1 van 2\nBesluit: Interventiematrix')).toBeLessThan(nl.indexOf('Stap 2 van 2\nBesluit: Interventieladder'));
    expect(r.body.explanation.en).toContain('Step 2 of 2\nDecision: Interventieladder (bestuursrechtelijk traject), version 2, valid from 1 December 2026.');
    // Each step cites its own table's sources: the ladder (v2) the Awb articles, the matrix its text only.
    const [matrix, ladder] = nl.split('Stap 2 van 2');
    expect(ladder).toContain('- Awb, artikel 5:35 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=5:35)');
    expect(matrix).not.toContain('https://');
  });

  it("cites the law with links where the table's version does (handhaving.spoed v2), the text where it does not (v1)", async () => {
    const input = { acuut_gevaar: true, onomkeerbare_schade: false, voldongen_feit: false };
    const v2 = await evaluate('handhaving.spoed', { input, date: '2026-12-01', explain: true });
    expect(v2.body.version).toBe(2);
    expect(v2.body.explanation.nl).toContain('\n- Awb, artikel 4:11 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=4:11)\n- Awb, artikel 5:31 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=5:31)');
    expect(v2.body.explanation.en).toContain('- Awb, article 5:31 (https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=5:31)');
    const v1 = await evaluate('handhaving.spoed', { input, date: '2026-11-30', explain: true });
    expect(v1.body.version).toBe(1);
    expect(v1.body.explanation.nl).toContain('Awb 4:11, 5:31');
    expect(v1.body.explanation.nl).not.toContain('https://');
  });

  it('a wrong explain is refused naming the field', async () => {
    const r = await evaluate('drank-horeca.boete', { input: { categorie: 'A', werknemers: 1, eerdere_boetes: 0 }, explain: 'ja' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('/explain');
  });
});

describe('explain on batch', () => {
  it('explain at the top applies to every case that does not say otherwise', async () => {
    const r = await srv.request('POST', '/api/v1/evaluate/drank-horeca.boete/batch', {
      explain: true,
      cases: [
        { ref: 'a', input: { categorie: 'C', werknemers: 3, eerdere_boetes: 2 } },
        { ref: 'b', input: { categorie: 'A', werknemers: 3, eerdere_boetes: 0 }, explain: false },
        { ref: 'c', input: { categorie: 'X', werknemers: 3, eerdere_boetes: 0 } },
      ],
    });
    expect(r.status).toBe(200);
    const [a, b, c] = r.body.results;
    expect(a.explanation.nl).toContain('regel C-klein-2');
    expect(a.explanation.en).toContain('rule C-klein-2');
    expect(b.explanation).toBeUndefined();
    expect(c).toMatchObject({ ref: 'c', status: 400 });
  });
});
