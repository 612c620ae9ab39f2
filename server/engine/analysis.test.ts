import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeTable, type AnalysisReport, type Finding } from './analysis.ts';
import { compileTable, HitPolicyError } from './index.ts';
import type { DecisionTable, HitPolicy, InputColumn, OutputColumn, Rule } from './types.ts';

function table(hitPolicy: HitPolicy, inputs: InputColumn[], rules: Rule[], outputs: OutputColumn[] = [{ name: 'r', type: 'string' }]): DecisionTable {
  return { id: 'test.analyse', title: 'Analyse', hitPolicy, inputs, outputs, rules };
}

function rule(id: string, when: Record<string, string>, r = `"${id}"`): Rule {
  return { id, when, then: { r } };
}

function ofKind(report: AnalysisReport, kind: Finding['kind']): Finding[] {
  return report.findings.filter((f) => f.kind === kind);
}

/** Every rule that matches a case, whatever the table's hit policy. */
function allMatches(t: DecisionTable, input: Record<string, unknown>): string[] {
  const { aggregation: _aggregation, ...rest } = t;
  return compileTable({ ...rest, hitPolicy: 'RULE ORDER' }).evaluate(input).matched;
}

const gedrag: InputColumn = { name: 'gedrag', type: 'string', values: ['A', 'B', 'C', 'D'] };
const gevolgen: InputColumn = { name: 'gevolgen', type: 'number', values: [1, 2, 3, 4] };

function matrix(skip: string[] = []): DecisionTable {
  const rules: Rule[] = [];
  for (const g of ['A', 'B', 'C', 'D']) {
    for (const n of [1, 2, 3, 4]) {
      if (skip.includes(`${g}${n}`)) continue;
      const kwadrant = (g === 'A' || g === 'B' ? 0 : 2) + (n <= 2 ? 1 : 2);
      rules.push({ id: `${g}${n}`, when: { gedrag: `"${g}"`, gevolgen: String(n) }, then: { kwadrant: String(kwadrant) } });
    }
  }
  return table('UNIQUE', [gedrag, gevolgen], rules, [{ name: 'kwadrant', type: 'number', values: [1, 2, 3, 4] }]);
}

describe('a complete table', () => {
  it('the 16-row interventiematrix has no findings, no gaps and is exact', () => {
    const report = analyzeTable(matrix());
    expect(report.findings).toEqual([]);
    expect(report.gaps).toEqual({ regions: 0, combinations: 0, complete: true });
    expect(report.exact).toBe(true);
    expect(report.complete).toBe(true);
  });
});

describe('gaps', () => {
  it('a missing matrix cell is reported with exactly that gedrag and gevolgen, and the engine finds no rule for it', () => {
    const t = matrix(['D4']);
    const report = analyzeTable(t);
    expect(report.findings).toHaveLength(1);
    const [gap] = ofKind(report, 'gap');
    expect(gap).toMatchObject({ severity: 'warning', exact: true, example: { gedrag: 'D', gevolgen: 4 } });
    expect(gap!.message).toContain('gedrag is "D" and gevolgen is 4');
    expect(report.gaps).toEqual({ regions: 1, combinations: 1, complete: true });
    expect(compileTable(t).evaluate(gap!.example!).output).toBeNull();
  });

  it('counts uncovered combinations across regions', () => {
    const report = analyzeTable(matrix(['C4', 'D4', 'A1']));
    expect(report.gaps?.combinations).toBe(3);
    const examples = ofKind(report, 'gap').map((f) => f.example);
    expect(examples).toContainEqual({ gedrag: 'A', gevolgen: 1 });
  });

  it('between `< 18` and `> 18` the gap is exactly 18', () => {
    const t = table('UNIQUE', [{ name: 'leeftijd', type: 'number' }], [rule('minderjarig', { leeftijd: '< 18' }), rule('meerderjarig', { leeftijd: '> 18' })]);
    const report = analyzeTable(t);
    const gaps = ofKind(report, 'gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.example).toEqual({ leeftijd: 18 });
    expect(gaps[0]!.message).toContain('leeftijd is 18.');
    expect(allMatches(t, { leeftijd: 18 })).toEqual([]);
  });

  it('an open interval gap gets a value strictly inside it', () => {
    const t = table('UNIQUE', [{ name: 'x', type: 'number' }], [rule('laag', { x: '<= 2.5' }), rule('hoog', { x: '>= 2.75' })]);
    const [gap] = ofKind(analyzeTable(t), 'gap');
    expect(gap!.example).toEqual({ x: 2.625 });
    expect(gap!.message).toContain('x is above 2.5 and below 2.75');
  });

  it('date intervals: each uncovered stretch of days is one gap, starting on its first day', () => {
    const t = table(
      'UNIQUE',
      [{ name: 'peildatum', type: 'date' }],
      [
        rule('oud', { peildatum: '< date("2024-01-01")' }),
        rule('q1', { peildatum: '[date("2024-01-01")..date("2024-03-31")]' }),
        rule('q3', { peildatum: '[date("2024-07-01")..date("2024-09-30")]' }),
        rule('nieuw', { peildatum: '> date("2024-12-31")' }),
      ],
    );
    const report = analyzeTable(t);
    const gaps = ofKind(report, 'gap');
    expect(gaps.map((g) => g.example)).toEqual([{ peildatum: '2024-04-01' }, { peildatum: '2024-10-01' }]);
    expect(gaps[0]!.message).toContain('from 2024-04-01 to 2024-06-30');
    expect(gaps[1]!.message).toContain('from 2024-10-01 to 2024-12-31');
    for (const g of gaps) expect(allMatches(t, g.example!)).toEqual([]);
  });

  it('consecutive days leave no gap: `< 2024-01-01` and `>= 2024-01-01` cover every date', () => {
    const t = table('FIRST', [{ name: 'd', type: 'date' }], [rule('voor', { d: '< date("2024-01-01")' }), rule('na', { d: '>= date("2024-01-01")' })]);
    expect(analyzeTable(t).findings).toEqual([]);
  });

  it('an optional input left empty is a gap unless a rule takes it', () => {
    const col: InputColumn = { name: 'x', type: 'number', optional: true };
    const t = table('UNIQUE', [col], [rule('klein', { x: '< 5' }), rule('groot', { x: '>= 5' })]);
    const [gap] = ofKind(analyzeTable(t), 'gap');
    expect(gap!.example).toEqual({ x: null });
    expect(gap!.message).toContain('x is empty');
    // not(5) holds for an empty input (DMN null semantics): no gap then.
    const covered = table('UNIQUE', [col], [rule('vijf', { x: '5' }), rule('anders', { x: 'not(5)' })]);
    expect(ofKind(analyzeTable(covered), 'gap')).toEqual([]);
  });

  it('text without values: a literal per rule leaves "any other text" uncovered', () => {
    const t = table('UNIQUE', [{ name: 'soort', type: 'string' }], [rule('a', { soort: '"woning"' }), rule('b', { soort: '"bedrijf"' })]);
    const [gap] = ofKind(analyzeTable(t), 'gap');
    expect(gap!.message).toContain('any text other than "bedrijf", "woning"');
    expect(typeof gap!.example!.soort).toBe('string');
    expect(allMatches(t, gap!.example!)).toEqual([]);
  });

  it('is not checked when an output has a default, nor for COLLECT', () => {
    const withDefault = { ...matrix(['D4']), outputs: [{ name: 'kwadrant', type: 'number' as const, default: '0' }] };
    expect(analyzeTable(withDefault).gaps).toBeNull();
    expect(ofKind(analyzeTable(withDefault), 'gap')).toEqual([]);
    expect(analyzeTable({ ...matrix(['D4']), hitPolicy: 'COLLECT' }).gaps).toBeNull();
  });
});

describe('UNIQUE overlaps and ANY conflicts', () => {
  const leeftijd: InputColumn = { name: 'leeftijd', type: 'number' };

  it('reports two overlapping rules with an example the engine refuses with a HitPolicyError naming both', () => {
    const t = table('UNIQUE', [gedrag, leeftijd], [
      rule('jong', { gedrag: '"A","B"', leeftijd: '< 18' }),
      rule('volwassen', { gedrag: '"B"', leeftijd: '[16..65]' }),
      rule('oud', { leeftijd: '> 65' }),
    ]);
    const report = analyzeTable(t);
    const overlaps = ofKind(report, 'overlap');
    expect(overlaps).toHaveLength(1);
    expect(overlaps[0]).toMatchObject({ severity: 'error', exact: true, rules: ['jong', 'volwassen'], path: '/rules/1', example: { gedrag: 'B', leeftijd: 16 } });
    expect(overlaps[0]!.message).toContain('gedrag is "B" and leeftijd is at least 16 and below 18');
    expect(() => compileTable(t).evaluate(overlaps[0]!.example!)).toThrow(HitPolicyError);
    expect(allMatches(t, overlaps[0]!.example!)).toEqual(['jong', 'volwassen']);
  });

  it('rules touching at one closed endpoint overlap exactly there', () => {
    const t = table('UNIQUE', [leeftijd], [rule('a', { leeftijd: '[0..18]' }), rule('b', { leeftijd: '[18..120]' }), rule('c', { leeftijd: '< 0' }), rule('d', { leeftijd: '> 120' })]);
    const overlaps = ofKind(analyzeTable(t), 'overlap');
    expect(overlaps.map((f) => [f.rules, f.example])).toEqual([[['a', 'b'], { leeftijd: 18 }]]);
  });

  it('ANY: overlapping rules that agree are fine; rules that disagree are a conflict with both outcomes named', () => {
    const t = table(
      'ANY',
      [{ name: 'ernstig', type: 'boolean' }, leeftijd],
      [
        { id: 'ernst', when: { ernstig: 'true' }, then: { r: '"handhaven"' } },
        { id: 'oud', when: { leeftijd: '> 65' }, then: { r: '"handhaven"' } },
        { id: 'jong', when: { ernstig: 'true', leeftijd: '< 18' }, then: { r: '"gesprek"' } },
        { id: 'rest', when: { ernstig: 'false', leeftijd: '<= 65' }, then: { r: '"gesprek"' } },
      ],
    );
    const report = analyzeTable(t);
    expect(ofKind(report, 'overlap')).toEqual([]);
    const conflicts = ofKind(report, 'conflict');
    // ernst/oud overlap (ernstig true, leeftijd 66) with the same outcome: not reported.
    expect(conflicts.map((c) => c.rules)).toEqual([['ernst', 'jong']]);
    expect(conflicts[0]).toMatchObject({ severity: 'error', exact: true, example: { ernstig: true, leeftijd: 17 } });
    expect(conflicts[0]!.message).toContain('r "handhaven" (rule ernst) versus "gesprek" (rule jong)');
    expect(() => compileTable(t).evaluate(conflicts[0]!.example!)).toThrow(HitPolicyError);
    expect(compileTable(t).evaluate({ ernstig: true, leeftijd: 70 }).output).toEqual({ r: 'handhaven' });
    expect(report.gaps?.regions).toBe(0);
  });

  it('ANY: outputs computed from the inputs are compared on the example', () => {
    const t = table(
      'ANY',
      [{ name: 'bedrag', type: 'number' }],
      [
        { id: 'dubbel', when: { bedrag: '>= 0' }, then: { r: 'bedrag * 2' } },
        { id: 'som', when: { bedrag: '[0..10]' }, then: { r: 'bedrag + bedrag' } },
        { id: 'plus', when: { bedrag: '[0..10]' }, then: { r: 'bedrag + 1' } },
        { id: 'negatief', when: { bedrag: '< 0' }, then: { r: '0' } },
      ],
      [{ name: 'r', type: 'number' }],
    );
    const conflicts = ofKind(analyzeTable(t), 'conflict');
    const byPair = Object.fromEntries(conflicts.map((c) => [c.rules.join('+'), c]));
    // On the example bedrag 0: 0*2 = 0 and 0+0 = 0 agree there, but that proves nothing for other amounts.
    expect(byPair['dubbel+som']).toMatchObject({ exact: false, severity: 'warning' });
    // 0*2 = 0 versus 0+1 = 1: a certain conflict, found on the example.
    expect(byPair['dubbel+plus']).toMatchObject({ exact: true, severity: 'error', example: { bedrag: 0 } });
    expect(byPair['som+plus']).toMatchObject({ exact: true });
  });
});

describe('unreachable rules', () => {
  it('FIRST: a row covered by the union of two earlier rows is never used; rows that still win somewhere are not reported', () => {
    const t = table('FIRST', [{ name: 'x', type: 'number' }, gedrag], [
      rule('laag', { x: '< 10' }),
      rule('hoog', { x: '>= 10', gedrag: '"A","B"' }),
      rule('midden', { x: '[5..15]', gedrag: '"A"' }),
      rule('midden-c', { x: '[5..15]', gedrag: '"C"' }),
      rule('rest', {}),
    ]);
    const report = analyzeTable(t);
    const unreachable = ofKind(report, 'unreachable');
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]).toMatchObject({ rules: ['midden', 'laag', 'hoog'], path: '/rules/2', severity: 'warning', exact: true });
    expect(unreachable[0]!.message).toContain('Rule midden is never used');
    // Cross-check on a grid that covers every atom: midden is never the first match, the others are somewhere.
    const firsts = new Set<string>();
    for (let x = -1; x <= 17; x += 0.5) for (const g of ['A', 'B', 'C', 'D']) firsts.add(compileTable(t).evaluate({ x, gedrag: g }).matched[0]!);
    expect([...firsts].sort()).toEqual(['hoog', 'laag', 'midden-c', 'rest']);
  });

  it('a rule whose cell no allowed value satisfies can never match', () => {
    const t = table('COLLECT', [gevolgen], [rule('ok', { gevolgen: '<= 2' }), rule('nooit', { gevolgen: '> 4' })]);
    const report = analyzeTable(t);
    expect(ofKind(report, 'unreachable')).toEqual([
      expect.objectContaining({ rules: ['nooit'], path: '/rules/1/when/gevolgen', exact: true, message: expect.stringContaining('Rule nooit can never match') }),
    ]);
  });

  it('PRIORITY: a rule always outranked by a rule with a higher-priority output never decides', () => {
    const t = table(
      'PRIORITY',
      [{ name: 'x', type: 'number' }],
      [
        { id: 'licht', when: { x: '[0..10]' }, then: { r: '"waarschuwing"' } },
        { id: 'zwaar', when: { x: '>= 0' }, then: { r: '"last"' } },
        { id: 'negatief', when: { x: '< 0' }, then: { r: '"waarschuwing"' } },
      ],
      [{ name: 'r', type: 'string', values: ['last', 'waarschuwing'] }],
    );
    const unreachable = ofKind(analyzeTable(t), 'unreachable');
    expect(unreachable.map((f) => f.rules)).toEqual([['licht', 'zwaar']]);
    expect(compileTable(t).evaluate({ x: 5 }).output).toEqual({ r: 'last' });
  });
});

describe('values outside `values`', () => {
  it('flags a when-cell literal outside the input values and a then-cell outside the output values', () => {
    const t = table(
      'UNIQUE',
      [gedrag],
      [
        { id: 'a', when: { gedrag: '"A","E"' }, then: { r: '"ja"' } },
        { id: 'b', when: { gedrag: 'not("A")' }, then: { r: '"misschien"' } },
      ],
      [{ name: 'r', type: 'string', values: ['ja', 'nee'], default: '"onbekend"' }],
    );
    const outside = ofKind(analyzeTable(t), 'value-outside');
    expect(outside.map((f) => f.path)).toEqual(['/rules/0/when/gedrag', '/rules/1/then/r', '/outputs/0/default']);
    expect(outside[0]!.message).toContain('"E", which is not an allowed value of gedrag');
    expect(outside[1]!.message).toContain('"misschien"');
  });

  it('flags a literal of the wrong kind', () => {
    const t = table('UNIQUE', [{ name: 'leeftijd', type: 'number' }], [rule('a', { leeftijd: '"18"' })]);
    const [f] = ofKind(analyzeTable(t), 'value-outside');
    expect(f!.message).toContain('leeftijd takes numbers');
  });
});

describe('drafts that do not compile', () => {
  it('reports a cell that does not parse with its column, and still analyses the other rules', () => {
    const t = table('UNIQUE', [{ name: 'x', type: 'number' }], [
      rule('kapot', { x: '[1..5' }),
      rule('a', { x: '< 3' }),
      rule('b', { x: '<= 3' }),
      { id: 'c', when: { x: '> 3', y: '1' }, then: {} },
    ]);
    expect(() => compileTable(t)).toThrow();
    const report = analyzeTable(t);
    const syntax = ofKind(report, 'syntax');
    expect(syntax[0]).toMatchObject({ path: '/rules/0/when/x', column: 5, severity: 'error', rules: ['kapot'] });
    expect(syntax[0]!.message).toContain("expected ']'");
    expect(syntax.map((f) => f.path)).toEqual(['/rules/0/when/x', '/rules/3/when/y', '/rules/3/then/r']);
    const certain = ofKind(report, 'overlap').filter((f) => f.exact);
    expect(certain.map((f) => [f.rules, f.example])).toEqual([[['a', 'b'], { x: 2 }]]);
    // The unreadable cell may match anything: overlaps with it are only possible.
    expect(ofKind(report, 'overlap').filter((f) => !f.exact).every((f) => f.rules.includes('kapot'))).toBe(true);
    expect(report.exact).toBe(false);
  });

  it('survives missing and malformed parts', () => {
    const draft = { id: 'x', title: 'x', inputs: [{ name: 'a', type: 'number' }], outputs: [], rules: [{ id: 'r', when: { a: 5 } }] } as unknown as DecisionTable;
    const report = analyzeTable(draft);
    expect(ofKind(report, 'syntax')[0]!.message).toContain('must be text');
    expect(() => analyzeTable({ id: 'leeg', title: 'leeg' } as unknown as DecisionTable)).not.toThrow();
  });
});

describe('cells the analysis cannot check exactly', () => {
  const inputs: InputColumn[] = [
    { name: 'bedrag', type: 'number' },
    { name: 'drempel', type: 'number' },
  ];

  it('names each such cell, and reports overlaps and gaps through it only as possible', () => {
    const t = table('UNIQUE', inputs, [rule('boven', { bedrag: '> drempel' }), rule('onder', { bedrag: '<= drempel' })]);
    const report = analyzeTable(t);
    expect(report.exact).toBe(false);
    const inexact = ofKind(report, 'inexact');
    expect(inexact.map((f) => f.path)).toEqual(['/rules/0/when/bedrag', '/rules/1/when/bedrag']);
    expect(inexact[0]!.message).toContain("compares with the input 'drempel'");
    expect(report.findings.filter((f) => f.exact === true)).toEqual([]);
    expect(ofKind(report, 'overlap').every((f) => f.severity === 'warning' && f.exact === false)).toBe(true);
    expect(report.gaps?.regions).toBe(0);
  });

  it('function calls, `?` and text ordering are inexact too; date literals are not', () => {
    const t = table('RULE ORDER', [{ name: 's', type: 'string' }, { name: 'n', type: 'number' }, { name: 'd', type: 'date' }], [
      rule('a', { s: '< "m"' }),
      rule('b', { n: 'abs(?) < 3' }),
      rule('c', { n: '> floor(2.5)' }),
      rule('d', { d: '>= date("2024-01-01")', s: 'starts with(?, "x")' }),
    ]);
    const inexact = ofKind(analyzeTable(t), 'inexact');
    expect(inexact.map((f) => f.path)).toEqual(['/rules/0/when/s', '/rules/1/when/n', '/rules/2/when/n', '/rules/3/when/s']);
    expect(inexact[0]!.message).toContain('compares text alphabetically');
    expect(inexact[2]!.message).toContain('calls the function floor()');
  });

  it('a certain gap stays certain next to an inexact rule that cannot reach it', () => {
    // `> drempel` never holds for an empty bedrag; nothing else covers empty: a certain gap.
    const t = table('UNIQUE', [{ name: 'bedrag', type: 'number', optional: true }, inputs[1]!], [rule('boven', { bedrag: '> drempel' }), rule('rest', { bedrag: '<= 0' })]);
    const gaps = ofKind(analyzeTable(t), 'gap');
    expect(gaps.filter((g) => g.exact)).toEqual([expect.objectContaining({ example: { bedrag: null, drempel: 0 } })]);
  });
});

/** A table size found in policy (1,000 rows, an equality column with 100 values, two interval columns). */
function generated(n: number, hitPolicy: HitPolicy): DecisionTable {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const rules: Rule[] = [];
  for (let i = 0; i < n; i++) {
    const a = Math.floor(rnd() * 100);
    const c = Math.floor(rnd() * 1000);
    rules.push({
      id: `r${i}`,
      when: { soort: `"s${i % 100}"`, leeftijd: `[${a}..${a + 1 + Math.floor(rnd() * 30)})`, bedrag: `[${c}..${c + 1 + Math.floor(rnd() * 500)}]` },
      then: { r: `"u${i % 7}"` },
    });
  }
  return table(hitPolicy, [{ name: 'soort', type: 'string' }, { name: 'leeftijd', type: 'number' }, { name: 'bedrag', type: 'number' }], rules);
}

describe('a generated 1,000-row table', () => {
  it('FIRST: analyses completely; every gap example matches no rule and every unreachable rule is never first on its cases', () => {
    const t = generated(1000, 'FIRST');
    const report = analyzeTable(t);
    expect(report.complete).toBe(true);
    const engine = compileTable(t);
    const gaps = ofKind(report, 'gap').filter((g) => g.example);
    expect(gaps).toHaveLength(10);
    expect(report.gaps!.regions).toBeGreaterThan(10);
    for (const g of gaps) expect(engine.evaluate(g.example!).matched).toEqual([]);
    const unreachable = ofKind(report, 'unreachable');
    expect(unreachable.length).toBeGreaterThan(0);
    // Every case inside an unreachable rule's own cells goes to an earlier rule.
    for (const f of unreachable.slice(0, 5)) {
      const r = t.rules.find((x) => x.id === f.rules[0])!;
      const low = Number(/\[(\d+)\.\./.exec(r.when.leeftijd!)![1]);
      const lowBedrag = Number(/\[(\d+)\.\./.exec(r.when.bedrag!)![1]);
      const soort = JSON.parse(r.when.soort!) as string;
      for (const leeftijd of [low, low + 0.5]) {
        const matched = engine.evaluate({ soort, leeftijd, bedrag: lowBedrag }).matched;
        expect(matched[0]).not.toBe(r.id);
        expect(f.rules.slice(1)).toContain(matched[0]);
      }
    }
  });

  it('UNIQUE: overlaps are capped at 100 listed pairs plus a count, each example confirmed by the engine', () => {
    const t = generated(1000, 'UNIQUE');
    const report = analyzeTable(t);
    const overlaps = ofKind(report, 'overlap');
    expect(overlaps).toHaveLength(101);
    expect(overlaps[100]!.message).toMatch(/^\d+ more pairs of rules overlap/);
    const engine = compileTable({ ...t, hitPolicy: 'RULE ORDER' });
    for (const f of overlaps.slice(0, 100)) expect(engine.evaluate(f.example!).matched).toEqual(expect.arrayContaining(f.rules));
  });
});

describe('limits', () => {
  it('a table too hard to search completely says so instead of claiming it is complete', () => {
    let seed = 3;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const inputs: InputColumn[] = Array.from({ length: 8 }, (_, c) => ({ name: `c${c}`, type: 'number' }));
    const rules = Array.from({ length: 300 }, (_, i) => {
      const when: Record<string, string> = {};
      for (const col of inputs) {
        const a = Math.floor(rnd() * 100);
        when[col.name] = `[${a}..${a + Math.floor(rnd() * 70)}]`;
      }
      return rule(`r${i}`, when);
    });
    const report = analyzeTable(table('FIRST', inputs, rules));
    expect(report.complete).toBe(false);
    expect(report.gaps?.complete).toBe(false);
    expect(ofKind(report, 'gap').filter((g) => g.example)).toHaveLength(10);
    expect(ofKind(report, 'gap').some((g) => g.severity === 'info' && /stopped early/.test(g.message) && g.exact === false)).toBe(true);
  });

  it('times of day are a line too: `< 12:00` and `> 12:00` leave noon', () => {
    const t = table('UNIQUE', [{ name: 'tijd', type: 'time' }], [rule('ochtend', { tijd: '< time("12:00:00")' }), rule('middag', { tijd: '> time("12:00:00")' })]);
    const gaps = ofKind(analyzeTable(t), 'gap');
    expect(gaps.map((g) => g.example)).toEqual([{ tijd: '12:00:00' }]);
    expect(allMatches(t, gaps[0]!.example!)).toEqual([]);
    // The day starts at 00:00:00: nothing lies before it.
    const heleDag = table('UNIQUE', [{ name: 'tijd', type: 'time' }], [rule('altijd', { tijd: '>= time("00:00:00")' })]);
    expect(analyzeTable(heleDag).findings).toEqual([]);
  });

  it('an input of type any also takes values of another kind than its cells use', () => {
    const t = table('FIRST', [{ name: 'v', type: 'any' }], [rule('x', { v: '"x"' }), rule('niet-x', { v: 'not("x")' }), rule('rest', { v: '-' })]);
    // A number is neither "x" nor not("x") (FEEL: not comparable): only rest takes it, so rest is used.
    expect(compileTable(t).evaluate({ v: 5 }).matched).toEqual(['rest']);
    expect(analyzeTable(t).findings).toEqual([]);
    const [gap] = ofKind(analyzeTable({ ...t, rules: t.rules.slice(0, 2) }), 'gap');
    expect(gap!.message).toContain('v is a value that is not text');
    expect(allMatches(t, gap!.example!)).toEqual(['rest']);
  });

  it('a computed input is checked against its values like a read one, so enumerating them leaves no gap', () => {
    const t = table(
      'FIRST',
      [{ name: 'gedrag', type: 'string', values: ['A', 'B'], expression: 'melding.gedrag' }],
      [rule('a', { gedrag: '"A"' }), rule('b', { gedrag: '"B"' }), rule('rest', {})],
    );
    expect(() => compileTable(t).evaluate({ melding: { gedrag: 'E' } })).toThrow('not one of the allowed values');
    expect(ofKind(analyzeTable({ ...t, rules: t.rules.slice(0, 2) }), 'gap')).toEqual([]);
  });

  it('uses no Node APIs, so the editor can run it in the browser', () => {
    const dir = join(import.meta.dirname, 'analysis');
    const sources = [join(import.meta.dirname, 'analysis.ts'), ...readdirSync(dir).map((f) => join(dir, f))];
    for (const file of sources) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/from '(node:|fs|path|os)/);
      expect(text, file).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/);
    }
  });
});

describe('published tables', () => {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json') && !p.includes('schema')) files.push(p);
    }
  };
  walk(join(import.meta.dirname, '../../rules'));

  it.each(files.map((f) => [f.slice(f.indexOf('rules/'))]))('%s: no syntax findings, and every example behaves as the finding says', (rel) => {
    const t = JSON.parse(readFileSync(join(import.meta.dirname, '../..', rel), 'utf8')) as DecisionTable;
    const report = analyzeTable(t);
    expect(ofKind(report, 'syntax')).toEqual([]);
    for (const f of report.findings) {
      if (!f.example || !f.exact) continue;
      const matched = allMatches(t, f.example);
      if (f.kind === 'gap') expect(matched).toEqual([]);
      if (f.kind === 'overlap' || f.kind === 'conflict') expect(matched).toEqual(expect.arrayContaining(f.rules));
    }
  });

  it('removing any one rule of a complete published table shows up as a gap that only that rule covered', () => {
    let checked = 0;
    for (const file of files) {
      const t = JSON.parse(readFileSync(file, 'utf8')) as DecisionTable;
      const report = analyzeTable(t);
      if (!report.gaps || report.gaps.regions !== 0) continue;
      const disjoint = (t.hitPolicy ?? 'UNIQUE') === 'UNIQUE' && ofKind(report, 'overlap').length === 0;
      for (const removed of t.rules) {
        const mutated = { ...t, rules: t.rules.filter((r) => r !== removed) };
        const gaps = ofKind(analyzeTable(mutated), 'gap').filter((g) => g.example);
        // In a UNIQUE table without overlaps every rule has cases of its own.
        if (disjoint) expect(gaps.length, `${file} without ${removed.id}`).toBeGreaterThan(0);
        for (const g of gaps) {
          expect(allMatches(mutated, g.example!)).toEqual([]);
          expect(allMatches(t, g.example!)).toEqual([removed.id]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(50);
  });
});

// ---- differential: the analysis against brute-force evaluation by the engine ----------------------------------
// Cells use integer endpoints 0…6, so the grid -1, -0.5, 0, …, 6.5, 7 (plus null) meets every atom of every table.

const numberCells = fc.oneof(
  fc.constant('-'),
  fc.constant('null'),
  fc.integer({ min: 0, max: 6 }).chain((k) => fc.constantFrom(`< ${k}`, `<= ${k}`, `> ${k}`, `>= ${k}`, `${k}`, `not(${k})`, `not(< ${k})`, `${k}, > ${k}`)),
  fc
    .tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.constantFrom('[', '('), fc.constantFrom(']', ')'))
    .map(([a, b, l, r]) => `${l}${Math.min(a, b)}..${Math.max(a, b)}${r}`),
);
const enumCells = fc.constantFrom('-', '"A"', '"A","B"', 'not("C")', '"B"');
const textCells = fc.constantFrom('-', '"p"', 'not("p")', '"p","q"', '"q"');

const tables = fc
  .record({
    policy: fc.constantFrom<HitPolicy>('UNIQUE', 'ANY', 'FIRST', 'PRIORITY'),
    optional: fc.boolean(),
    rules: fc.array(fc.record({ x: numberCells, g: enumCells, s: textCells, out: fc.constantFrom('"hoog"', '"laag"') }), { minLength: 1, maxLength: 6 }),
  })
  .map(({ policy, optional, rules }) =>
    table(
      policy,
      [
        { name: 'x', type: 'number', optional },
        { name: 'g', type: 'string', values: ['A', 'B', 'C'] },
        { name: 's', type: 'string' },
      ],
      rules.map((r, i) => ({ id: `r${i}`, when: { x: r.x, g: r.g, s: r.s }, then: { r: r.out } })),
      [{ name: 'r', type: 'string', values: ['hoog', 'laag'] }],
    ),
  );

function grid(t: DecisionTable): Record<string, unknown>[] {
  const xs: (number | null)[] = [];
  for (let x = -1; x <= 7; x += 0.5) xs.push(x);
  if (t.inputs[0]!.optional) xs.push(null);
  const cases: Record<string, unknown>[] = [];
  for (const x of xs) for (const g of ['A', 'B', 'C']) for (const s of ['p', 'q', 'z']) cases.push({ x, g, s });
  return cases;
}

describe('differential: analysis versus brute force', () => {
  it('gaps, overlaps, conflicts and unreachable rules agree with the engine on every atom', () => {
    fc.assert(
      fc.property(tables, (t) => {
        const report = analyzeTable(t);
        expect(report.exact).toBe(true);
        const rank = (id: string) => (t.rules.find((r) => r.id === id)!.then.r === '"hoog"' ? 0 : 1);
        const pairs = new Set<string>();
        const conflicts = new Set<string>();
        const winners = new Set<string>();
        let uncovered = false;
        for (const input of grid(t)) {
          const m = allMatches(t, input);
          if (m.length === 0) uncovered = true;
          for (let i = 0; i < m.length; i++) {
            for (let j = i + 1; j < m.length; j++) {
              pairs.add(`${m[i]}+${m[j]}`);
              if (rank(m[i]!) !== rank(m[j]!)) conflicts.add(`${m[i]}+${m[j]}`);
            }
          }
          if (m.length > 0) winners.add(t.hitPolicy === 'PRIORITY' ? [...m].sort((a, b) => rank(a) - rank(b))[0]! : m[0]!);
        }
        expect(report.gaps!.regions > 0).toBe(uncovered);
        for (const g of ofKind(report, 'gap')) if (g.example) expect(allMatches(t, g.example)).toEqual([]);
        const reported = (kind: Finding['kind']) => new Set(ofKind(report, kind).map((f) => f.rules.join('+')));
        if (t.hitPolicy === 'UNIQUE') expect(reported('overlap')).toEqual(pairs);
        if (t.hitPolicy === 'ANY') expect(reported('conflict')).toEqual(conflicts);
        for (const f of [...ofKind(report, 'overlap'), ...ofKind(report, 'conflict')]) {
          expect(allMatches(t, f.example!)).toEqual(expect.arrayContaining(f.rules));
        }
        if (t.hitPolicy === 'FIRST' || t.hitPolicy === 'PRIORITY') {
          const never = new Set(ofKind(report, 'unreachable').map((f) => f.rules[0]!));
          expect(never).toEqual(new Set(t.rules.map((r) => r.id).filter((id) => !winners.has(id))));
        }
      }),
      { numRuns: 300, seed: 20240601 },
    );
  });

  // Cells naming another input: the analysis may not be exact, but what it says is certain must hold, and what
  // brute force finds must show up (as certain or possible).
  const inexactTables = fc
    .record({
      policy: fc.constantFrom<HitPolicy>('UNIQUE', 'ANY', 'FIRST', 'PRIORITY'),
      rules: fc.array(
        fc.record({
          x: fc.oneof(numberCells, fc.constantFrom('> y', '<= y', 'not(y)', 'y', '< y, 3', 'not(> y)', '[y..5]')),
          g: enumCells,
          out: fc.constantFrom('"hoog"', '"laag"'),
        }),
        { minLength: 1, maxLength: 6 },
      ),
    })
    .map(({ policy, rules }) =>
      table(
        policy,
        [
          { name: 'x', type: 'number', optional: true },
          { name: 'y', type: 'number' },
          { name: 'g', type: 'string', values: ['A', 'B', 'C'] },
        ],
        rules.map((r, i) => ({ id: `r${i}`, when: { x: r.x, g: r.g }, then: { r: r.out } })),
        [{ name: 'r', type: 'string', values: ['hoog', 'laag'] }],
      ),
    );

  it('with inexact cells, certain findings hold and nothing brute force finds is missed', () => {
    fc.assert(
      fc.property(inexactTables, (t) => {
        const report = analyzeTable(t);
        const rank = (id: string) => (t.rules.find((r) => r.id === id)!.then.r === '"hoog"' ? 0 : 1);
        const pairs = new Set<string>();
        const winners = new Set<string>();
        let uncovered = false;
        const xs: (number | null)[] = [null];
        for (let x = -1; x <= 7; x += 0.5) xs.push(x);
        for (const x of xs) {
          for (const y of [-1, 0, 2.5, 3, 5, 7]) {
            for (const g of ['A', 'B', 'C']) {
              const m = allMatches(t, { x, y, g });
              if (m.length === 0) uncovered = true;
              for (let i = 0; i < m.length; i++) for (let j = i + 1; j < m.length; j++) if (t.hitPolicy !== 'ANY' || rank(m[i]!) !== rank(m[j]!)) pairs.add(`${m[i]}+${m[j]}`);
              if (m.length > 0) winners.add(t.hitPolicy === 'PRIORITY' ? [...m].sort((a, b) => rank(a) - rank(b))[0]! : m[0]!);
            }
          }
        }
        for (const f of report.findings) {
          if (f.exact !== true) continue;
          if (f.kind === 'gap' && f.example) expect(allMatches(t, f.example)).toEqual([]);
          if (f.kind === 'overlap' || f.kind === 'conflict') expect(allMatches(t, f.example!)).toEqual(expect.arrayContaining(f.rules));
          if (f.kind === 'unreachable') expect(winners.has(f.rules[0]!)).toBe(false);
        }
        if (uncovered) expect(ofKind(report, 'gap').length).toBeGreaterThan(0);
        if (t.hitPolicy === 'UNIQUE') for (const p of pairs) expect(ofKind(report, 'overlap').map((f) => f.rules.join('+'))).toContain(p);
        if (t.hitPolicy === 'ANY') for (const p of pairs) expect(ofKind(report, 'conflict').map((f) => f.rules.join('+'))).toContain(p);
      }),
      { numRuns: 300, seed: 20240602 },
    );
  });
});
