import { describe, expect, it } from 'vitest';
import { compileTable } from '../../server/engine/index.ts';
import {
  compareExpectation,
  runFixtureSuite,
  sameValue,
  type FixtureSuite,
  type TableResolver,
} from '../../server/engine/fixture-runner.ts';
import type { DecisionTable } from '../../server/engine/types.ts';
import { Dec } from '../../server/engine/values.ts';

function toeslag(version: number, validFrom: string, base: string): DecisionTable {
  return {
    id: 'test.toeslag',
    version,
    validFrom,
    title: 'Toeslag',
    hitPolicy: 'UNIQUE',
    inputs: [
      { name: 'klasse', type: 'string', values: ['A', 'B'] },
      { name: 'aantal', type: 'number' },
    ],
    outputs: [
      { name: 'bedrag', type: 'number' },
      { name: 'soort', type: 'string' },
    ],
    rules: [
      { id: 'A-laag', when: { klasse: '"A"', aantal: '< 10' }, then: { bedrag: base, soort: '"laag"' } },
      { id: 'A-hoog', when: { klasse: '"A"', aantal: '>= 10' }, then: { bedrag: `${base} * 1.5`, soort: '"hoog"' } },
      { id: 'B', when: { klasse: '"B"' }, then: { bedrag: '0.1 + 0.2', soort: '"vast"' } },
      // Overlaps B on purpose for aantal 99: a HIT_POLICY_VIOLATION to expect.
      { id: 'B-99', when: { klasse: '"B"', aantal: '99' }, then: { bedrag: '0', soort: '"fout"' } },
    ],
  };
}

const v1 = compileTable(toeslag(1, '2020-01-01', '100'));
const v2 = compileTable(toeslag(2, '2024-01-01', '120'));
/** Chooses by case date only: v2 from 2024-01-01, v1 before; no date means v2. */
const byDate: TableResolver = (date) => (date !== undefined && date < '2024-01-01' ? v1 : v2);

const collect = compileTable({
  id: 'test.lijst',
  title: 'Lijst',
  hitPolicy: 'COLLECT',
  inputs: [{ name: 'n', type: 'number' }],
  outputs: [{ name: 'x', type: 'string' }],
  rules: [
    { id: 'R1', when: {}, then: { x: '"altijd"' } },
    { id: 'R2', when: { n: '> 1' }, then: { x: '"groot"' } },
    { id: 'R3', when: { n: '> 5' }, then: { x: '"heel groot"' } },
  ],
});

function run(cases: FixtureSuite['cases'], resolve: TableResolver = byDate) {
  return runFixtureSuite({ table: 'test.toeslag', cases }, resolve);
}

describe('runFixtureSuite', () => {
  it('passes a case whose named fields match, ignoring fields it does not name', () => {
    const r = run([{ name: 'ok', input: { klasse: 'A', aantal: 3 }, expect: { bedrag: 120 } }]);
    expect(r.cases[0]).toMatchObject({ name: 'ok', pass: true, expected: { bedrag: 120 }, actual: { bedrag: 120, soort: 'laag' }, matched: ['A-laag'], version: 2 });
    expect(r.totals).toMatchObject({ cases: 1, passed: 1, failed: 0 });
  });

  it('fails a case with a wrong field and says which, expected against actual', () => {
    const r = run([{ name: 'fout', input: { klasse: 'A', aantal: 12 }, expect: { bedrag: 180, soort: 'laag' } }]);
    const c = r.cases[0]!;
    expect(c.pass).toBe(false);
    expect(c.mismatches).toEqual([{ field: 'soort', expected: 'laag', actual: 'hoog' }]);
    expect(c.message).toContain('soort: expected "laag", got "hoog"');
    expect(r.totals.failed).toBe(1);
  });

  it('fails when a named field is absent from the output', () => {
    const r = run([{ name: 'x', input: { klasse: 'A', aantal: 1 }, expect: { bestaat_niet: 1 } }]);
    expect(r.cases[0]!.pass).toBe(false);
    expect(r.cases[0]!.mismatches).toEqual([{ field: 'bestaat_niet', expected: 1, actual: undefined }]);
  });

  it('compares decimal results exactly: the engine gives 0.3 for 0.1 + 0.2, and 0.30000000000000004 is not 0.3', () => {
    const r = run([
      { name: 'exact', input: { klasse: 'B', aantal: 1 }, expect: { bedrag: 0.3 } },
      { name: 'double', input: { klasse: 'B', aantal: 1 }, expect: { bedrag: 0.1 + 0.2 } },
      { name: 'half', input: { klasse: 'A', aantal: 10 }, expect: { bedrag: 180.0 } },
    ]);
    expect(r.cases.map((c) => c.pass)).toEqual([true, false, true]);
  });

  it('selects the version by case date through the resolver', () => {
    const seen: (string | undefined)[][] = [];
    const spy: TableResolver = (date, asOf) => {
      seen.push([date, asOf]);
      return byDate(date, asOf);
    };
    const r = run(
      [
        { name: 'oud', input: { klasse: 'A', aantal: 1 }, expect: { bedrag: 100 }, date: '2023-12-31' },
        { name: 'nieuw', input: { klasse: 'A', aantal: 1 }, expect: { bedrag: 120 }, date: '2024-01-01', asOf: '2024-02-01' },
      ],
      spy,
    );
    expect(r.cases.map((c) => [c.pass, c.version])).toEqual([
      [true, 1],
      [true, 2],
    ]);
    expect(seen).toEqual([
      ['2023-12-31', undefined],
      ['2024-01-01', '2024-02-01'],
    ]);
  });

  it('matches expectError against the error code, and fails on another code or on an output', () => {
    const r = run([
      { name: 'ongeldig', input: { klasse: 'C', aantal: 1 }, expectError: 'INVALID_INPUT' },
      { name: 'overlap', input: { klasse: 'B', aantal: 99 }, expectError: 'HIT_POLICY_VIOLATION' },
      { name: 'andere code', input: { klasse: 'C', aantal: 1 }, expectError: 'HIT_POLICY_VIOLATION' },
      { name: 'geen fout', input: { klasse: 'A', aantal: 1 }, expectError: 'INVALID_INPUT' },
      { name: 'onverwachte fout', input: { klasse: 'A' }, expect: { bedrag: 120 } },
    ]);
    expect(r.cases.map((c) => c.pass)).toEqual([true, true, false, false, false]);
    expect(r.cases[0]!.error?.code).toBe('INVALID_INPUT');
    expect(r.cases[2]!.message).toContain('expected error HIT_POLICY_VIOLATION, got INVALID_INPUT');
    expect(r.cases[3]!.message).toContain('got output {"bedrag":120,"soort":"laag"}');
    expect(r.cases[4]!.error?.code).toBe('INVALID_INPUT');
  });

  it('compares list outputs as a whole list: order, length and every field count', () => {
    const r = runFixtureSuite(
      {
        table: 'test.lijst',
        cases: [
          { name: 'goed', input: { n: 3 }, expect: [{ x: 'altijd' }, { x: 'groot' }] },
          { name: 'volgorde', input: { n: 3 }, expect: [{ x: 'groot' }, { x: 'altijd' }] },
          { name: 'te kort', input: { n: 7 }, expect: [{ x: 'altijd' }, { x: 'groot' }] },
          { name: 'veld te veel', input: { n: 0 }, expect: [{ x: 'altijd', y: 1 }] },
          { name: 'object voor lijst', input: { n: 0 }, expect: { x: 'altijd' } },
        ],
      },
      () => collect,
    );
    expect(r.cases.map((c) => c.pass)).toEqual([true, false, false, false, false]);
    expect(r.cases[2]!.mismatches).toContainEqual({ field: 'length', expected: 2, actual: 3 });
  });

  it('refuses malformed cases instead of passing them', () => {
    const r = run([
      { name: 'leeg', input: { klasse: 'A', aantal: 1 } },
      { name: 'beide', input: { klasse: 'A', aantal: 1 }, expect: { bedrag: 120 }, expectError: 'INVALID_INPUT' },
      { name: 'zonder invoer' } as unknown as FixtureSuite['cases'][number],
    ]);
    expect(r.cases.map((c) => [c.pass, c.error?.code])).toEqual([
      [false, 'INVALID_FIXTURE'],
      [false, 'INVALID_FIXTURE'],
      [false, 'INVALID_FIXTURE'],
    ]);
  });

  it('reports a resolver that finds no version as a failed case', () => {
    const none: TableResolver = () => {
      throw Object.assign(new Error('geen versie'), { code: 'NO_VERSION' });
    };
    const r = run([{ name: 'x', input: { klasse: 'A', aantal: 1 }, expect: { bedrag: 1 }, date: '1999-01-01' }], none);
    expect(r.cases[0]).toMatchObject({ pass: false, error: { code: 'NO_VERSION', message: 'geen versie' }, date: '1999-01-01' });
    expect(r.coverage).toEqual([]);
  });

  it('reports rule coverage per table version, with the rules no case reached', () => {
    const r = run([
      { name: 'v1 laag', input: { klasse: 'A', aantal: 1 }, expect: { bedrag: 100 }, date: '2021-01-01' },
      { name: 'v2 hoog', input: { klasse: 'A', aantal: 50 }, expect: { bedrag: 180 } },
      { name: 'v2 B', input: { klasse: 'B', aantal: 2 }, expect: { soort: 'vast' } },
      { name: 'v2 fout telt niet', input: { klasse: 'B', aantal: 99 }, expectError: 'HIT_POLICY_VIOLATION' },
    ]);
    expect(r.coverage).toEqual([
      { tableId: 'test.toeslag', version: 1, rules: ['A-laag', 'A-hoog', 'B', 'B-99'], reached: ['A-laag'], unreached: ['A-hoog', 'B', 'B-99'] },
      { tableId: 'test.toeslag', version: 2, rules: ['A-laag', 'A-hoog', 'B', 'B-99'], reached: ['A-hoog', 'B'], unreached: ['A-laag', 'B-99'] },
    ]);
    expect(r.totals).toEqual({ cases: 4, passed: 4, failed: 0, rules: 8, unreached: 5 });
  });

  it('counts a draft (no version) as its own coverage entry', () => {
    const draft = compileTable({ ...toeslag(1, '2020-01-01', '1'), version: undefined, validFrom: undefined });
    const r = run([{ name: 'd', input: { klasse: 'A', aantal: 1 }, expect: { bedrag: 1 } }], () => draft);
    expect(r.cases[0]!.version).toBeUndefined();
    expect(r.coverage[0]).toMatchObject({ tableId: 'test.toeslag', reached: ['A-laag'] });
    expect(r.coverage[0]!.version).toBeUndefined();
  });

  it('runs a whole suite fast enough for the publish gate (well over a thousand cases per second)', () => {
    const cases = Array.from({ length: 5000 }, (_, i) => ({ name: `c${i}`, input: { klasse: 'A', aantal: i % 20 }, expect: { soort: i % 20 < 10 ? 'laag' : 'hoog' } }));
    const t0 = performance.now();
    const r = run(cases);
    const ms = performance.now() - t0;
    expect(r.totals.passed).toBe(5000);
    expect(ms).toBeLessThan(5000);
  });
});

describe('sameValue and compareExpectation', () => {
  it('normalises numbers and decimals but keeps types apart', () => {
    expect(sameValue(1177.5, new Dec('1177.50'))).toBe(true);
    expect(sameValue(-0, 0)).toBe(true);
    expect(sameValue(1, '1')).toBe(false);
    expect(sameValue(null, 0)).toBe(false);
    expect(sameValue({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 1, b: 2 })).toBe(false);
  });

  it('reports a null output against an expected record', () => {
    expect(compareExpectation({ a: 1 }, null)).toEqual([{ field: '', expected: { a: 1 }, actual: null }]);
  });
});
