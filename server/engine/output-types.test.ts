// EvaluateOptions.types: the FEEL type of each text in a table's output, by JSON Pointer, for every shape an
// output takes (one record, a list, an aggregation, the defaults) and the same answer as without it.
import { describe, expect, it } from 'vitest';
import { compileTable } from './index.ts';
import type { DecisionTable, HitPolicy, Rule } from './types.ts';

function table(hitPolicy: HitPolicy, rules: Rule[], extra: Partial<DecisionTable> = {}): DecisionTable {
  return {
    id: 'test.types',
    title: 'Types',
    hitPolicy,
    inputs: [{ name: 'n', type: 'number' }],
    outputs: [
      { name: 'op', type: 'date' },
      { name: 'tekst', type: 'string' },
    ],
    rules,
    ...extra,
  };
}

const rules: Rule[] = [
  { id: 'a', when: { n: '> 0' }, then: { op: 'date("2024-03-01") + duration("P1D") * n', tekst: '"2024-03-01"' } },
  { id: 'b', when: { n: '> 1' }, then: { op: '"2024-01-15"', tekst: 'string(date("2024-01-15"))' } },
];

describe('the types of an output', () => {
  it('one record: the date computed, not the string that reads like one', () => {
    const t = compileTable(table('FIRST', rules));
    const typed = t.evaluate({ n: 1 }, { types: true });
    expect(typed).toEqual({ output: { op: '2024-03-02', tekst: '2024-03-01' }, matched: ['a'], types: { '/op': 'date' } });
    // The same answer as without types, and a second call leaves no trace of the first.
    expect(t.evaluate({ n: 1 })).toEqual({ output: typed.output, matched: ['a'] });
    expect(t.evaluate({ n: 1 })).not.toHaveProperty('types');
  });

  it('a list: pointers by position', () => {
    const t = compileTable(table('COLLECT', rules));
    expect(t.evaluate({ n: 2 }, { types: true }).types).toEqual({ '/0/op': 'date', '/1/op': 'date' });
  });

  it('PRIORITY and OUTPUT ORDER: the ranked records keep their own types', () => {
    const ranked: Rule[] = [
      { id: 'a', when: { n: '> 0' }, then: { op: '"laag"', tekst: '"laag"' } },
      { id: 'b', when: { n: '> 1' }, then: { op: 'date("2024-01-15")', tekst: '"hoog"' } },
    ];
    const outputs = [
      { name: 'op', type: 'any' as const },
      { name: 'tekst', type: 'string' as const, values: ['hoog', 'laag'] },
    ];
    const priority = compileTable(table('PRIORITY', ranked, { outputs }));
    expect(priority.evaluate({ n: 2 }, { types: true })).toMatchObject({ output: { op: '2024-01-15', tekst: 'hoog' }, types: { '/op': 'date' } });
    expect(priority.evaluate({ n: 1 }, { types: true })).toMatchObject({ output: { op: 'laag' }, types: {} });
    const ordered = compileTable(table('OUTPUT ORDER', ranked, { outputs }));
    expect(ordered.evaluate({ n: 2 }, { types: true })).toMatchObject({ output: [{ tekst: 'hoog' }, { tekst: 'laag' }], types: { '/0/op': 'date' } });
    expect(ordered.evaluate({ n: 2 }, { types: true }).types).not.toHaveProperty('/1/op');
  });

  it('an aggregation: the date MIN chose stays a date', () => {
    const single = rules.map((r) => ({ ...r, then: { op: r.then.op! } }));
    const t = compileTable(table('COLLECT', single, { aggregation: 'MIN', outputs: [{ name: 'op', type: 'date' }] }));
    const r = t.evaluate({ n: 2 }, { types: true });
    expect(r.output).toEqual({ op: '2024-01-15' });
    expect(r.types).toEqual({ '/op': 'date' });
    const count = compileTable(table('COLLECT', single, { aggregation: 'COUNT', outputs: [{ name: 'op', type: 'date' }] }));
    expect(count.evaluate({ n: 2 }, { types: true })).toMatchObject({ output: { op: 2 }, types: {} });
  });

  it('the defaults, when nothing matched; and with a trace', () => {
    const t = compileTable(table('UNIQUE', [rules[0]!], { outputs: [{ name: 'op', type: 'any', default: 'time("08:30:00")' }, { name: 'tekst', type: 'string' }] }));
    expect(t.evaluate({ n: -1 }, { types: true })).toEqual({ output: { op: '08:30:00', tekst: null }, matched: [], types: { '/op': 'time' } });
    const traced = t.evaluate({ n: 1 }, { types: true, trace: true });
    expect(traced.types).toEqual({ '/op': 'date' });
    expect(traced.trace).toHaveLength(1);
  });
});
