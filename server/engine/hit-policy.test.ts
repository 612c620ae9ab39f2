import { describe, expect, it } from 'vitest';
import { compileTable, HitPolicyError } from './index.ts';
import type { DecisionTable, HitPolicy, Rule } from './types.ts';

function table(hitPolicy: HitPolicy, rules: Rule[], extra: Partial<DecisionTable> = {}): DecisionTable {
  return {
    id: 'test.hit',
    title: 'Hit policy test',
    hitPolicy,
    inputs: [{ name: 'leeftijd', type: 'number' }],
    outputs: [{ name: 'uitkomst', type: 'string', values: ['hoog', 'midden', 'laag'] }],
    rules,
    ...extra,
  };
}

const rule = (id: string, when: string, uitkomst: string): Rule => ({ id, when: { leeftijd: when }, then: { uitkomst: `"${uitkomst}"` } });

describe('UNIQUE', () => {
  const t = compileTable(table('UNIQUE', [rule('r1', '< 18', 'laag'), rule('r2', '[18..65]', 'midden'), rule('r3', '>= 60', 'hoog')]));
  it('answers the single matching rule', () => {
    expect(t.evaluate({ leeftijd: 30 })).toEqual({ output: { uitkomst: 'midden' }, matched: ['r2'] });
  });
  it('names both rules when they overlap at run time', () => {
    let error: unknown;
    try {
      t.evaluate({ leeftijd: 62 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(HitPolicyError);
    expect((error as HitPolicyError).rules).toEqual(['r2', 'r3']);
    expect((error as HitPolicyError).code).toBe('HIT_POLICY_VIOLATION');
    expect((error as Error).message).toContain('r2, r3');
  });
  it('names every overlapping rule, not only the first two', () => {
    const three = compileTable(table('UNIQUE', [rule('a', '> 1', 'laag'), rule('b', '> 2', 'laag'), rule('c', '< 0', 'hoog'), rule('d', '> 3', 'hoog')]));
    expect(() => three.evaluate({ leeftijd: 5 })).toThrow('rules a, b, d all match');
  });
  it('answers null when nothing matches and there is no default', () => {
    const gap = compileTable(table('UNIQUE', [rule('r1', '< 18', 'laag')]));
    expect(gap.evaluate({ leeftijd: 40 })).toEqual({ output: null, matched: [] });
  });
  it('uses the output default when nothing matches', () => {
    const t2 = compileTable(
      table('UNIQUE', [rule('r1', '< 18', 'laag')], { outputs: [{ name: 'uitkomst', type: 'string', default: '"onbekend"' }] }),
    );
    expect(t2.evaluate({ leeftijd: 40 })).toEqual({ output: { uitkomst: 'onbekend' }, matched: [] });
  });
});

describe('ANY', () => {
  it('accepts overlapping rules that agree', () => {
    const t = compileTable(table('ANY', [rule('r1', '> 10', 'hoog'), rule('r2', '> 20', 'hoog')]));
    expect(t.evaluate({ leeftijd: 30 })).toEqual({ output: { uitkomst: 'hoog' }, matched: ['r1', 'r2'] });
  });
  it('refuses overlapping rules that disagree, naming them', () => {
    const t = compileTable(table('ANY', [rule('r1', '> 10', 'hoog'), rule('r2', '> 20', 'laag'), rule('r3', '> 25', 'hoog')]));
    expect(() => t.evaluate({ leeftijd: 30 })).toThrow(/r1, r2/);
  });
});

describe('FIRST and PRIORITY', () => {
  it('FIRST takes the first matching rule in rule order', () => {
    const t = compileTable(table('FIRST', [rule('r1', '> 50', 'hoog'), rule('r2', '> 10', 'midden'), rule('r3', '-', 'laag')]));
    expect(t.evaluate({ leeftijd: 30 })).toEqual({ output: { uitkomst: 'midden' }, matched: ['r2'] });
  });
  it('PRIORITY takes the output highest in the output values list', () => {
    const t = compileTable(table('PRIORITY', [rule('r1', '-', 'laag'), rule('r2', '> 10', 'hoog'), rule('r3', '> 5', 'midden')]));
    expect(t.evaluate({ leeftijd: 30 })).toEqual({ output: { uitkomst: 'hoog' }, matched: ['r1', 'r2', 'r3'] });
    expect(t.evaluate({ leeftijd: 7 }).output).toEqual({ uitkomst: 'midden' });
  });
  it('PRIORITY ranks a value missing from the values list below every listed value', () => {
    const t = compileTable(table('PRIORITY', [rule('r1', '-', 'onbekend'), rule('r2', '> 10', 'laag')]));
    expect(t.evaluate({ leeftijd: 30 }).output).toEqual({ uitkomst: 'laag' });
    expect(t.evaluate({ leeftijd: 3 }).output).toEqual({ uitkomst: 'onbekend' });
  });
  it('PRIORITY over two outputs compares the first output, then the second', () => {
    const t = compileTable({
      ...table('PRIORITY', []),
      outputs: [
        { name: 'a', type: 'string', values: ['x', 'y'] },
        { name: 'b', type: 'number', values: [3, 2, 1] },
      ],
      rules: [
        { id: 'r1', when: {}, then: { a: '"y"', b: '3' } },
        { id: 'r2', when: {}, then: { a: '"x"', b: '1' } },
        { id: 'r3', when: {}, then: { a: '"x"', b: '2' } },
      ],
    });
    expect(t.evaluate({ leeftijd: 1 }).output).toEqual({ a: 'x', b: 2 });
  });
});

describe('list policies', () => {
  const rules = [rule('r1', '-', 'laag'), rule('r2', '> 10', 'hoog'), rule('r3', '> 5', 'midden')];
  it('RULE ORDER lists outputs in rule order', () => {
    expect(compileTable(table('RULE ORDER', rules)).evaluate({ leeftijd: 30 }).output).toEqual([
      { uitkomst: 'laag' },
      { uitkomst: 'hoog' },
      { uitkomst: 'midden' },
    ]);
  });
  it('OUTPUT ORDER lists outputs by their priority', () => {
    expect(compileTable(table('OUTPUT ORDER', rules)).evaluate({ leeftijd: 30 }).output).toEqual([
      { uitkomst: 'hoog' },
      { uitkomst: 'midden' },
      { uitkomst: 'laag' },
    ]);
  });
  it('COLLECT without aggregation lists outputs in rule order, [] when nothing matches', () => {
    const t = compileTable(table('COLLECT', [rule('r2', '> 10', 'hoog'), rule('r3', '> 5', 'midden')]));
    expect(t.evaluate({ leeftijd: 30 }).output).toEqual([{ uitkomst: 'hoog' }, { uitkomst: 'midden' }]);
    expect(t.evaluate({ leeftijd: 1 })).toEqual({ output: [], matched: [] });
  });
});

describe('COLLECT with aggregation', () => {
  const make = (aggregation: 'SUM' | 'MIN' | 'MAX' | 'COUNT') =>
    compileTable({
      id: 'test.agg',
      title: 'Aggregatie',
      hitPolicy: 'COLLECT',
      aggregation,
      inputs: [{ name: 'jaren', type: 'number' }],
      outputs: [{ name: 'bedrag', type: 'number' }],
      rules: [
        { id: 'r1', when: { jaren: '> 1' }, then: { bedrag: '0.1' } },
        { id: 'r2', when: { jaren: '> 2' }, then: { bedrag: '0.2' } },
        { id: 'r3', when: { jaren: '> 3' }, then: { bedrag: '0.2' } },
      ],
    });
  it('SUM adds decimal-exactly', () => {
    expect(make('SUM').evaluate({ jaren: 5 })).toEqual({ output: { bedrag: 0.5 }, matched: ['r1', 'r2', 'r3'] });
    expect(make('SUM').evaluate({ jaren: 3 }).output).toEqual({ bedrag: 0.3 });
  });
  it('MIN, MAX and COUNT', () => {
    expect(make('MIN').evaluate({ jaren: 5 }).output).toEqual({ bedrag: 0.1 });
    expect(make('MAX').evaluate({ jaren: 5 }).output).toEqual({ bedrag: 0.2 });
    expect(make('COUNT').evaluate({ jaren: 5 }).output).toEqual({ bedrag: 3 });
  });
  it('with no match: COUNT is 0, the others null', () => {
    expect(make('COUNT').evaluate({ jaren: 0 })).toEqual({ output: { bedrag: 0 }, matched: [] });
    expect(make('SUM').evaluate({ jaren: 0 }).output).toBeNull();
    expect(make('MIN').evaluate({ jaren: 0 }).output).toBeNull();
    expect(make('MAX').evaluate({ jaren: 0 }).output).toBeNull();
  });
});

describe('COLLECT MIN and MAX compare FEEL values, not their JSON text', () => {
  const make = (aggregation: 'MIN' | 'MAX', type: 'duration' | 'date' | 'any', cells: string[]) =>
    compileTable({
      id: 'test.agg-values',
      title: 'Termijnen',
      hitPolicy: 'COLLECT',
      aggregation,
      inputs: [{ name: 'x', type: 'number' }],
      outputs: [{ name: 'termijn', type }],
      rules: cells.map((c, i) => ({ id: `r${i + 1}`, when: {}, then: { termijn: c } })),
    });

  it('durations: P10D is longer than P2D, whether written as FEEL or as text in a duration column', () => {
    for (const cells of [['@"P2D"', '@"P10D"'], ['duration("P10D")', 'duration("P2D")'], ['"P2D"', '"P10D"']]) {
      const type = cells[0]!.startsWith('"') ? 'duration' : 'any';
      expect(make('MAX', type, cells).evaluate({ x: 1 }).output, cells.join(' ')).toEqual({ termijn: 'P10D' });
      expect(make('MIN', type, cells).evaluate({ x: 1 }).output, cells.join(' ')).toEqual({ termijn: 'P2D' });
    }
  });

  it('dates compare as dates and numbers as numbers (10 > 9, though "10" < "9")', () => {
    expect(make('MAX', 'date', ['"2024-09-30"', '"2024-10-01"']).evaluate({ x: 1 }).output).toEqual({ termijn: '2024-10-01' });
    expect(make('MAX', 'any', ['9', '10']).evaluate({ x: 1 }).output).toEqual({ termijn: 10 });
    expect(make('MIN', 'any', ['9', '10', '1.5 * 2']).evaluate({ x: 1 }).output).toEqual({ termijn: 3 });
  });

  it('values that do not compare (a duration and a number) give null', () => {
    expect(make('MAX', 'any', ['@"P2D"', '5']).evaluate({ x: 1 }).output).toEqual({ termijn: null });
  });
});
