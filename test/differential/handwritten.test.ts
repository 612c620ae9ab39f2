// Hand-written tables for every hit policy, aggregation and cell form: the compiled engine and the json-rules-engine
// export must give the same matched rules and outputs (or the same error) on hand-picked and generated cases.
import { describe, expect, it } from 'vitest';
import type { DecisionTable, HitPolicy, InputColumn, OutputColumn, Rule } from '../../server/engine/types.ts';
import { customOperators, runJsonRulesEngine, toJsonRulesEngine, type JsonRulesEngineExport } from '../../server/engine/jre/index.ts';
import { casesFor } from './cases.ts';
import { compare, jreOutcome } from './harness.ts';

function table(
  hitPolicy: HitPolicy,
  inputs: InputColumn[],
  outputs: OutputColumn[],
  rules: [string, Record<string, string>, Record<string, string>][],
  extra: Partial<DecisionTable> = {},
): DecisionTable {
  return {
    id: 'test.differential',
    title: 'Differentieel',
    hitPolicy,
    inputs,
    outputs,
    rules: rules.map(([id, when, then]): Rule => ({ id, when, then })),
    ...extra,
  };
}

/** Compares on the given cases plus generated ones; returns the export for further checks. */
async function agree(t: DecisionTable, cases: Record<string, unknown>[] = []): Promise<JsonRulesEngineExport> {
  const { mismatches, kinds, exported } = await compare(t, [...cases, ...casesFor(t, 600)]);
  expect(mismatches.slice(0, 5)).toEqual([]);
  expect(kinds.match ?? 0).toBeGreaterThan(0);
  return exported;
}

const matrix = table(
  'UNIQUE',
  [
    { name: 'gedrag', type: 'string', values: ['A', 'B', 'C', 'D'] },
    { name: 'gevolgen', type: 'number', values: [1, 2, 3, 4] },
  ],
  [
    { name: 'kwadrant', type: 'number', values: [1, 2, 3, 4] },
    { name: 'interventie', type: 'string' },
  ],
  [
    ['K1', { gedrag: '"A","B"', gevolgen: '[1..2]' }, { kwadrant: '1', interventie: '"waarschuwing"' }],
    ['K2', { gedrag: '"A","B"', gevolgen: '[3..4]' }, { kwadrant: '2', interventie: '"herstelsanctie"' }],
    ['K3', { gedrag: '"C","D"', gevolgen: '< 3' }, { kwadrant: '3', interventie: '"bestuurlijke boete"' }],
    ['K4', { gedrag: 'not("A","B")', gevolgen: '>= 3' }, { kwadrant: '4', interventie: '"strafrecht"' }],
  ],
);

describe('hit policies', () => {
  it('UNIQUE: one match, and the same InputError for a value outside `values`', async () => {
    const x = await agree(matrix, [{ gedrag: 'C', gevolgen: 4 }, { gedrag: 'E', gevolgen: 1 }]);
    expect(await runJsonRulesEngine(x, { gedrag: 'C', gevolgen: 4 })).toEqual({ output: { kwadrant: 4, interventie: 'strafrecht' }, matched: ['K4'] });
    expect(x.requiresFeel).toEqual([]);
  });

  it('UNIQUE: an overlap is a HitPolicyError naming both rules; no match gives the defaults or null', async () => {
    const t = table(
      'UNIQUE',
      [{ name: 'n', type: 'number' }],
      [{ name: 'r', type: 'string', default: '"geen"' }],
      [
        ['laag', { n: '< 10' }, { r: '"laag"' }],
        ['midden', { n: '[5..20]' }, { r: '"midden"' }],
      ],
    );
    const x = await agree(t, [{ n: 7 }, { n: 25 }, { n: 3 }]);
    expect(await jreOutcome(x, { n: 7 })).toEqual({ error: 'HIT_POLICY_VIOLATION', rules: ['laag', 'midden'] });
    expect(await runJsonRulesEngine(x, { n: 25 })).toEqual({ output: { r: 'geen' }, matched: [] });
    const noDefault = { ...t, outputs: [{ name: 'r', type: 'string' as const }] };
    await agree(noDefault, [{ n: 25 }]);
  });

  it('ANY: agreeing matches give the output, disagreeing ones a HitPolicyError', async () => {
    const t = table(
      'ANY',
      [
        { name: 'a', type: 'boolean' },
        { name: 'b', type: 'boolean' },
      ],
      [{ name: 'ok', type: 'boolean' }],
      [
        ['A', { a: 'true' }, { ok: 'true' }],
        ['B', { b: 'true' }, { ok: 'true' }],
        ['C', { a: 'true', b: 'false' }, { ok: 'false' }],
      ],
    );
    const x = await agree(t, [{ a: true, b: true }, { a: true, b: false }]);
    expect(await jreOutcome(x, { a: true, b: false })).toEqual({ error: 'HIT_POLICY_VIOLATION', rules: ['A', 'C'] });
  });

  it('PRIORITY and OUTPUT ORDER rank by the output values, also a value that is not among them', async () => {
    const outputs: OutputColumn[] = [
      { name: 'prioriteit', type: 'string', values: ['hoog', 'midden', 'laag'] },
      { name: 'termijn', type: 'number' },
    ];
    const rules: [string, Record<string, string>, Record<string, string>][] = [
      ['r1', { gevaar: 'true' }, { prioriteit: '"hoog"', termijn: '1' }],
      ['r2', { meldingen: '>= 3' }, { prioriteit: '"midden"', termijn: '7' }],
      ['r3', {}, { prioriteit: '"laag"', termijn: '28' }],
      ['r4', { meldingen: '> 10' }, { prioriteit: '"onbekend"', termijn: '0' }],
    ];
    const inputs: InputColumn[] = [
      { name: 'gevaar', type: 'boolean' },
      { name: 'meldingen', type: 'number' },
    ];
    const x = await agree(table('PRIORITY', inputs, outputs, rules), [{ gevaar: false, meldingen: 12 }]);
    expect(await runJsonRulesEngine(x, { gevaar: false, meldingen: 12 })).toEqual({
      output: { prioriteit: 'midden', termijn: 7 },
      matched: ['r2', 'r3', 'r4'],
    });
    const y = await agree(table('OUTPUT ORDER', inputs, outputs, rules), [{ gevaar: true, meldingen: 12 }]);
    const out = (await runJsonRulesEngine(y, { gevaar: true, meldingen: 12 })).output as { prioriteit: string }[];
    expect(out.map((o) => o.prioriteit)).toEqual(['hoog', 'midden', 'laag', 'onbekend']);
  });

  it('COLLECT SUM adds the rules\' numbers as decimals and converts once (10 / 3 + 3 = 6.333333333333333)', async () => {
    // Found by the property test (seed 1888963729): the reference added doubles, 3.3333333333333335 + 3.
    const t = table(
      'COLLECT',
      [{ name: 'deler', type: 'number' }],
      [{ name: 'uit', type: 'number' }],
      [
        ['r0', {}, { uit: '10 / deler' }],
        ['r1', {}, { uit: 'deler' }],
      ],
      { aggregation: 'SUM' },
    );
    const exported = await agree(t, [{ deler: 3 }]);
    expect(await runJsonRulesEngine(exported, { deler: 3 })).toEqual({ output: { uit: 6.333333333333333 }, matched: ['r0', 'r1'] });
  });

  it('FIRST answers the first match only; RULE ORDER and COLLECT list every match in rule order', async () => {
    const rules: [string, Record<string, string>, Record<string, string>][] = [
      ['jong', { leeftijd: '< 18' }, { r: '"jong"' }],
      ['volwassen', { leeftijd: '>= 18' }, { r: '"volwassen"' }],
      ['iedereen', {}, { r: '"iedereen"' }],
    ];
    const inputs: InputColumn[] = [{ name: 'leeftijd', type: 'number', optional: true }];
    const first = await agree(table('FIRST', inputs, [{ name: 'r', type: 'string' }], rules), [{ leeftijd: 30 }, {}]);
    expect(await runJsonRulesEngine(first, { leeftijd: 30 })).toEqual({ output: { r: 'volwassen' }, matched: ['volwassen'] });
    for (const policy of ['RULE ORDER', 'COLLECT'] as const) {
      const x = await agree(table(policy, inputs, [{ name: 'r', type: 'string' }], rules), [{ leeftijd: 10 }]);
      expect(await runJsonRulesEngine(x, { leeftijd: 10 })).toEqual({ output: [{ r: 'jong' }, { r: 'iedereen' }], matched: ['jong', 'iedereen'] });
    }
    // No match: an empty list, or the defaults in a list.
    const none = table('COLLECT', inputs, [{ name: 'r', type: 'string' }], rules.slice(0, 2));
    expect(await runJsonRulesEngine(await agree(none, [{}]), {})).toEqual({ output: [], matched: [] });
  });

  it.each(['SUM', 'MIN', 'MAX', 'COUNT'] as const)('COLLECT %s, also with no match', async (aggregation) => {
    const t = table(
      'COLLECT',
      [
        { name: 'financieel_voordeel', type: 'boolean' },
        { name: 'maanden', type: 'number', optional: true },
      ],
      [{ name: 'opslag', type: 'number' }],
      [
        ['voordeel', { financieel_voordeel: 'true' }, { opslag: '0.1' }],
        ['recidive', { maanden: '<= 12' }, { opslag: '0.2' }],
        ['recent', { maanden: '< 3' }, { opslag: 'maanden / 10 + 0.05' }],
      ],
      { aggregation },
    );
    const x = await agree(t, [{ financieel_voordeel: true, maanden: 1 }, { financieel_voordeel: false }]);
    const all = await runJsonRulesEngine(x, { financieel_voordeel: true, maanden: 1 });
    expect(all.output).toEqual({ opslag: { SUM: 0.45, MIN: 0.1, MAX: 0.2, COUNT: 3 }[aggregation] });
    expect((await runJsonRulesEngine(x, { financieel_voordeel: false })).output).toEqual(aggregation === 'COUNT' ? { opslag: 0 } : null);
  });

  it.each(['MIN', 'MAX'] as const)('COLLECT %s compares dates as dates, and a date with a string not at all', async (aggregation) => {
    const t = table(
      'COLLECT',
      [
        { name: 'begin', type: 'date' },
        { name: 'eind', type: 'date' },
        { name: 'tekst', type: 'boolean' },
      ],
      [{ name: 'datum', type: 'string' }],
      [
        ['begin', {}, { datum: 'begin' }],
        ['eind', {}, { datum: 'eind' }],
        ['tekst', { tekst: 'true' }, { datum: '"x"' }],
      ],
      { aggregation },
    );
    const x = await agree(t, [{ begin: '2024-01-01', eind: '2023-12-31', tekst: true }]);
    const dates = await runJsonRulesEngine(x, { begin: '2024-01-01', eind: '2023-12-31', tekst: false });
    expect(dates.output).toEqual({ datum: aggregation === 'MIN' ? '2023-12-31' : '2024-01-01' });
    expect((await runJsonRulesEngine(x, { begin: '2024-01-01', eind: '2023-12-31', tekst: true })).output).toEqual({ datum: null });
  });
});

describe('cells', () => {
  it('intervals with every kind of bracket, on numbers, strings and dates', async () => {
    const t = table(
      'RULE ORDER',
      [
        { name: 'n', type: 'number' },
        { name: 's', type: 'string' },
        { name: 'd', type: 'date' },
      ],
      [{ name: 'r', type: 'string' }],
      [
        ['closed', { n: '[1..5]' }, { r: '"[1..5]"' }],
        ['open', { n: '(1..5)' }, { r: '"(1..5)"' }],
        ['reversed', { n: ']1..5[' }, { r: '"]1..5["' }],
        ['half', { n: '[1..5)' }, { r: '"[1..5)"' }],
        ['strings', { s: '["b".."d"]' }, { r: '"b-d"' }],
        ['dates', { d: '[date("2024-01-01")..date("2024-12-31"))' }, { r: '"2024"' }],
      ],
    );
    const x = await agree(t, [1, 1.5, 5, 5.5, 0].map((n) => ({ n, s: 'c', d: '2024-12-31' })));
    expect(x.requiresFeel).toEqual([]);
  });

  it('not(...) and null: a null input meets `-`, `null` and `not(5)` but nothing that compares', async () => {
    const cells = ['null', 'not(null)', '< 5', 'not(< 5)', '5', 'not(5)', '[1..10]', 'not([1..10])', 'not(1, 2, >= 8)', '1, null'];
    const t = table(
      'RULE ORDER',
      [{ name: 'x', type: 'number', optional: true }],
      [{ name: 'r', type: 'string' }],
      cells.map((c, i) => [`c${i}`, { x: c }, { r: JSON.stringify(c) }]),
    );
    const x = await agree(t, [{ x: null }, {}, { x: 3 }, { x: 5 }, { x: 9 }]);
    expect((await runJsonRulesEngine(x, {})).matched).toEqual(['c0', 'c5', 'c9']);
    // not(< 5) is exported as its FEEL negation, which a null input does not meet either.
    expect(x.rules[3]!.conditions).toEqual({ all: [{ fact: 'x', operator: 'greaterThanInclusive', value: 5 }] });
  });

  it('dates: literals, comparisons, lists and not() compare as days', async () => {
    const t = table(
      'RULE ORDER',
      [
        { name: 'sinds', type: 'date' },
        { name: 'geboren', type: 'date', optional: true },
      ],
      [{ name: 'r', type: 'string' }],
      [
        ['voor', { sinds: '<= date("2003-10-31")' }, { r: '"voor"' }],
        ['na', { sinds: '> date("2003-10-31")' }, { r: '"na"' }],
        ['precies', { sinds: 'date("2003-10-31")' }, { r: '"precies"' }],
        ['lijst', { sinds: 'date("2000-01-01"), date("2003-10-31")' }, { r: '"lijst"' }],
        ['niet', { geboren: 'not(date("1985-10-31"))' }, { r: '"niet"' }],
        ['niet-vergelijking', { geboren: 'not(< date("1985-10-31"))' }, { r: '"nv"' }],
        ['vergelijk', { geboren: '< sinds' }, { r: 'sinds' }],
      ],
    );
    const x = await agree(t, [{ sinds: '2003-10-31', geboren: null }, { sinds: '2003-11-01' }, { sinds: '2003-10-31', geboren: '1985-10-31' }]);
    expect((await runJsonRulesEngine(x, { sinds: '2003-10-31', geboren: '1980-01-01' })).output).toContainEqual({ r: '2003-10-31' });
    expect(x.operators.map((o) => o.name)).toEqual(expect.arrayContaining(['dateLessThanInclusive', 'dateGreaterThan', 'dateEqual', 'dateNotEqual']));
  });

  it('names of other inputs as values, including a null one and a name with a space', async () => {
    const t = table(
      'RULE ORDER',
      [
        { name: 'bedrag', type: 'number' },
        { name: 'max bedrag', type: 'number', optional: true },
        { name: 'min', type: 'number' },
        { name: 'soort', type: 'string' },
        { name: 'verwacht', type: 'string', optional: true },
        { name: 'streng', type: 'boolean', optional: true },
        { name: 'gemeld', type: 'boolean', optional: true },
      ],
      [{ name: 'r', type: 'string' }],
      [
        ['boven', { bedrag: '> max bedrag' }, { r: '"boven"' }],
        ['binnen', { bedrag: '[min..max bedrag]' }, { r: '"binnen"' }],
        ['buiten', { bedrag: 'not([min..max bedrag])' }, { r: '"buiten"' }],
        ['gelijk', { soort: 'verwacht' }, { r: '"gelijk"' }],
        ['ongelijk', { soort: '!= verwacht' }, { r: '"ongelijk"' }],
        ['niet-gelijk', { soort: 'not(verwacht)' }, { r: '"niet-gelijk"' }],
        ['streng', { bedrag: 'streng' }, { r: '"streng beslist"' }],
        ['niet-streng', { soort: 'not(streng)' }, { r: '"niet streng"' }],
        ['zelfde', { gemeld: 'streng' }, { r: '"zelfde"' }],
        ['anders', { gemeld: 'not(streng)' }, { r: '"anders"' }],
      ],
    );
    const x = await agree(t, [
      { bedrag: 10, 'max bedrag': 5, min: 1, soort: 'a', verwacht: 'a', streng: true, gemeld: null },
      { bedrag: 3, min: 1, soort: 'a' },
      { bedrag: 3, 'max bedrag': null, min: 4, soort: 'a', verwacht: null, streng: null, gemeld: false },
    ]);
    expect(x.requiresFeel).toEqual([]);
    expect(JSON.stringify(x.rules[0]!.conditions)).toContain('{"fact":"max bedrag"}');
  });

  it('then-cells: input values, decimal-exact arithmetic, joined strings, computed defaults', async () => {
    const t = table(
      'FIRST',
      [
        { name: 'boete_basis', type: 'number' },
        { name: 'naam', type: 'string' },
        { name: 'peildatum', type: 'date' },
      ],
      [
        { name: 'boete', type: 'number', default: 'boete_basis * 0.1' },
        { name: 'tekst', type: 'string', default: '"geen"' },
        { name: 'datum', type: 'date', default: 'peildatum' },
      ],
      [
        ['verhoogd', { boete_basis: '> 1000' }, { boete: 'boete_basis * 1.5 + 0.1 + 0.2', tekst: '"boete voor " + naam', datum: 'date("2024-01-01")' }],
        ['negatief', { boete_basis: '< 0' }, { boete: '-boete_basis / 3', tekst: 'naam', datum: 'peildatum' }],
        ['deling', { boete_basis: '0' }, { boete: '1 / boete_basis', tekst: '"nul"', datum: 'peildatum' }],
      ],
    );
    const x = await agree(t, [{ boete_basis: 1000.1, naam: 'X', peildatum: '2024-02-29' }, { boete_basis: -1, naam: 'Y', peildatum: '2024-02-29' }]);
    expect((await runJsonRulesEngine(x, { boete_basis: 1000.1, naam: 'X', peildatum: '2024-02-29' })).output).toEqual({
      boete: 1500.45,
      tekst: 'boete voor X',
      datum: '2024-01-01',
    });
    expect((await runJsonRulesEngine(x, { boete_basis: 0, naam: 'X', peildatum: '2024-02-29' })).output).toEqual({ boete: null, tekst: 'nul', datum: '2024-02-29' });
    expect(x.requiresFeel).toEqual([]);
  });

  it('inputs: nested paths, missing, wrong type and not allowed give the same InputError', async () => {
    const t = table(
      'UNIQUE',
      [
        { name: 'type', type: 'string', path: 'melder.type', values: ['burger', 'bedrijf'] },
        { name: 'datum', type: 'date' },
      ],
      [{ name: 'ok', type: 'boolean' }],
      [['r', { type: '"burger"', datum: '>= date("2024-01-01")' }, { ok: 'true' }]],
    );
    await agree(t, [
      { melder: { type: 'burger' }, datum: '2024-01-01' },
      { melder: 'burger', datum: '2024-01-01' },
      { melder: { type: 'iemand' }, datum: '2024-02-30' },
      { datum: 20240101 },
      [] as unknown as Record<string, unknown>,
    ]);
  });
});

describe('features that need the Beslis FEEL evaluator', () => {
  it('are listed in requiresFeel and still agree: time columns, functions, input expressions, FEEL outputs', async () => {
    const t = table(
      'RULE ORDER',
      [
        { name: 'tijd', type: 'time', optional: true },
        { name: 'naam', type: 'string' },
        { name: 'lengte', type: 'number', expression: 'string length(naam)' },
        { name: 'n', type: 'number' },
      ],
      [{ name: 'r', type: 'string' }],
      [
        ['nacht', { tijd: '>= time("23:00:00")' }, { r: '"nacht"' }],
        ['begint', { naam: 'starts with(?, "de ")' }, { r: 'upper case(naam)' }],
        ['lang', { lengte: '> 5' }, { r: 'string(lengte)' }],
        ['soort', { n: '"5"' }, { r: '"vergelijkt een getal met tekst"' }],
        ['precies', { n: '0.10000000000000000001' }, { r: '"decimaal"' }],
      ],
    );
    const cases = [
      { tijd: '23:30:00', naam: 'de Vries', n: 0.1 },
      { tijd: '10:00:00', naam: 'Jansen', n: 5 },
      { tijd: 'laat', naam: 'x', n: 1 },
      { naam: 'de Boer', n: 2 },
    ];
    const x = await agree(t, cases);
    expect(x.requiresFeel.map((r) => r.path)).toEqual([
      '/inputs/0',
      '/inputs/2',
      '/rules/0/when/tijd',
      '/rules/1/when/naam',
      '/rules/1/then/r',
      '/rules/2/when/lengte',
      '/rules/2/then/r',
      '/rules/3/when/n',
      '/rules/4/when/n',
    ]);
    expect(x.operators.map((o) => o.module)).toContain('feel');
  });
});

describe('the export', () => {
  it('is plain JSON with one rule per table rule, and names only operators that exist', () => {
    const x = toJsonRulesEngine(matrix);
    expect(JSON.parse(JSON.stringify(x))).toEqual(x);
    expect(x.rules.map((r) => r.name)).toEqual(['K1', 'K2', 'K3', 'K4']);
    expect(x.rules[2]!.event).toEqual({
      type: 'beslis.rule',
      params: { ruleId: 'K3', index: 2, outputs: { kwadrant: 3, interventie: 'bestuurlijke boete' } },
    });
    expect(x.rules[3]!.conditions).toEqual({
      all: [
        { fact: 'gedrag', operator: 'notIn', value: ['A', 'B'] },
        { fact: 'gevolgen', operator: 'greaterThanInclusive', value: 3 },
      ],
    });
    for (const op of x.operators) expect(customOperators[op.name]).toBeTypeOf('function');
  });

  it('gives every caller its answer when runs overlap (json-rules-engine keeps one run status per Engine)', async () => {
    const x = toJsonRulesEngine(matrix);
    const cases = [{ gedrag: 'A', gevolgen: 1 }, { gedrag: 'C', gevolgen: 4 }, { gedrag: 'B', gevolgen: 3 }];
    const pending: Promise<unknown>[] = [];
    for (let k = 0; k < 120; k++) {
      pending.push(runJsonRulesEngine(x, cases[k % 3]!));
      for (let j = 0; j < k % 7; j++) await null; // start runs at different points of the others' promise chains
    }
    const results = (await Promise.all(pending)) as { matched: string[] }[];
    expect(results.map((r) => r.matched.join())).toEqual(Array.from({ length: 120 }, (_, k) => ['K1', 'K4', 'K2'][k % 3]));
  });

  it('refuses a table that does not compile, with the engine TableError', () => {
    const bad = table('UNIQUE', [{ name: 'n', type: 'number' }], [{ name: 'r', type: 'number' }], [['r', { n: '[1..5' }, { r: '1' }]]);
    expect(() => toJsonRulesEngine(bad)).toThrow(/expected/);
  });

  it('the comparison notices a wrong export (the oracle can fail)', async () => {
    const x = JSON.parse(JSON.stringify(toJsonRulesEngine(matrix))) as JsonRulesEngineExport;
    (x.rules[2]!.conditions as { all: { value: unknown }[] }).all[1]!.value = 2; // K3: `< 3` becomes `< 2`
    const { mismatches } = await compare(matrix, casesFor(matrix), x);
    expect(mismatches.map((m) => m.input)).toEqual([{ gedrag: 'C', gevolgen: 2 }, { gedrag: 'D', gevolgen: 2 }]);
    expect(mismatches[0]!.jre).toEqual({ output: null, matched: [] });
  });
});

describe('custom operators', () => {
  it('compare dates as days, years before 100 and after 9999 included', () => {
    const { dateLessThan, dateEqual, dateNotEqual, numberGreaterThan, stringLessThan } = customOperators;
    expect(dateLessThan!('0050-01-01', '1950-01-01')).toBe(true);
    expect(dateLessThan!('9999-12-31', '10000-01-01')).toBe(true);
    expect(dateEqual!('02024-01-01', '2024-01-01')).toBe(false); // a five-digit year may not start with 0 (XML Schema)
    expect(dateEqual!(null, null)).toBe(true);
    expect(dateEqual!('2024-02-30', '2024-03-01')).toBe(false);
    expect(dateNotEqual!(null, '2024-01-01')).toBe(true);
    expect(dateNotEqual!('2024-01-01', 'geen datum')).toBe(false);
    expect(numberGreaterThan!(5, null)).toBe(false);
    expect(stringLessThan!('a', 1)).toBe(false);
  });
});
