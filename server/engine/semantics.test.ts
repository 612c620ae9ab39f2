import { describe, expect, it } from 'vitest';
import { compileExpression, compileTable, InputError, TableError, validateTable } from './index.ts';
import type { DecisionTable, InputColumn, Rule } from './types.ts';

function single(input: InputColumn, cells: string[]): DecisionTable {
  return {
    id: 'test.semantics',
    title: 'Semantiek',
    hitPolicy: 'RULE ORDER',
    inputs: [input],
    outputs: [{ name: 'r', type: 'string' }],
    rules: cells.map((c, i): Rule => ({ id: `c${i}`, when: { [input.name]: c }, then: { r: `"${i}"` } })),
  };
}

/** Which of the given cells hold for a value. */
function holding(input: InputColumn, cells: string[], value: unknown): string[] {
  return compileTable(single(input, cells)).evaluate({ [input.name]: value }).matched.map((id) => cells[Number(id.slice(1))]!);
}

describe('null semantics (DMN)', () => {
  const col: InputColumn = { name: 'x', type: 'number', optional: true };
  const cells = ['-', 'null', 'not(null)', '< 5', 'not(< 5)', '5', 'not(5)', '[1..10]'];
  it('a null input meets `-`, `null` and `not(5)`, and nothing that compares', () => {
    expect(holding(col, cells, null)).toEqual(['-', 'null', 'not(5)']);
    expect(holding(col, cells, undefined)).toEqual(['-', 'null', 'not(5)']);
  });
  it('a number input meets the comparisons', () => {
    expect(holding(col, cells, 3)).toEqual(['-', 'not(null)', '< 5', 'not(5)', '[1..10]']);
    expect(holding(col, cells, 5)).toEqual(['-', 'not(null)', 'not(< 5)', '5', '[1..10]']);
  });
  it('a required input that is missing is refused with its path', () => {
    const t = compileTable(single({ name: 'x', type: 'number' }, ['-']));
    expect(() => t.evaluate({})).toThrow(InputError);
    try {
      t.evaluate({});
    } catch (err) {
      expect((err as InputError).details).toEqual([{ path: '/x', message: 'x is required', code: 'INPUT_REQUIRED', params: { name: 'x' } }]);
    }
  });
});

describe('input checking', () => {
  const t = compileTable({
    id: 'test.inputs',
    title: 'Invoer',
    inputs: [
      { name: 'gedrag', type: 'string', values: ['A', 'B'] },
      { name: 'sinds', type: 'date' },
      { name: 'type', type: 'string', path: 'melder.type' },
    ],
    outputs: [{ name: 'ok', type: 'boolean' }],
    rules: [{ id: 'r1', when: { sinds: '>= date("2024-01-01")', type: '"burger"' }, then: { ok: 'true' } }],
  });
  it('refuses a value outside the input values, naming the allowed values', () => {
    try {
      t.evaluate({ gedrag: 'E', sinds: '2024-02-01', melder: { type: 'burger' } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).details).toMatchObject([{ path: '/gedrag', message: '"E" is not one of the allowed values: "A", "B"', code: 'INPUT_NOT_ALLOWED' }]);
    }
  });
  it('reports every wrong field at once', () => {
    try {
      t.evaluate({ gedrag: 1, sinds: '2024-02-30', melder: { type: 5 } });
      expect.unreachable();
    } catch (err) {
      expect((err as InputError).details.map((d) => d.path)).toEqual(['/gedrag', '/sinds', '/melder/type']);
    }
  });
  it('reads nested paths and compares dates', () => {
    expect(t.evaluate({ gedrag: 'A', sinds: '2024-01-01', melder: { type: 'burger' } }).matched).toEqual(['r1']);
    expect(t.evaluate({ gedrag: 'A', sinds: '2023-12-31', melder: { type: 'burger' } }).matched).toEqual([]);
  });
  it('does not read inherited properties such as __proto__', () => {
    const evil = JSON.parse('{"gedrag":"A","sinds":"2024-01-01","melder":{"__proto__":{"type":"burger"}}}');
    expect(() => t.evaluate(evil)).toThrow(InputError);
  });
});

describe('cells that name other inputs', () => {
  const t = compileTable({
    id: 'test.names',
    title: 'Namen',
    hitPolicy: 'FIRST',
    inputs: [
      { name: 'bezoekers', type: 'number' },
      { name: 'drempel', type: 'number' },
    ],
    outputs: [{ name: 'vergunning', type: 'boolean' }, { name: 'marge', type: 'number' }],
    rules: [
      { id: 'boven', when: { bezoekers: '> drempel' }, then: { vergunning: 'true', marge: 'bezoekers - drempel' } },
      { id: 'anders', when: {}, then: { vergunning: 'false', marge: '0' } },
    ],
  });
  it('compares against the other input and computes with it', () => {
    expect(t.evaluate({ bezoekers: 501, drempel: 500 })).toEqual({ output: { vergunning: true, marge: 1 }, matched: ['boven'] });
    expect(t.evaluate({ bezoekers: 500, drempel: 500 }).matched).toEqual(['anders']);
  });
});

describe('decimal arithmetic in outputs', () => {
  it('computes money exactly', () => {
    const t = compileTable({
      id: 'test.boete',
      title: 'Boete',
      inputs: [{ name: 'basis', type: 'number' }],
      outputs: [{ name: 'boete', type: 'number' }],
      rules: [{ id: 'r1', when: {}, then: { boete: 'basis * 1.5 + 0.1 + 0.2' } }],
    });
    expect(t.evaluate({ basis: 1360 }).output).toEqual({ boete: 2040.3 });
    expect(compileExpression('1 / 3 * 3')()).toBe(1);
    expect(compileExpression('0.1 + 0.2')()).toBe(0.3);
  });
  it('date arithmetic gives dates', () => {
    expect(compileExpression('date(besluit) + duration("P6W")', { types: { besluit: 'date' } })).toBeTypeOf('function');
    expect(compileExpression('besluit + duration("P14D")', { types: { besluit: 'date' } })({ besluit: '2024-12-25' })).toBe('2025-01-08');
  });
});

describe('dates', () => {
  it('keeps years below 100 as written (no 19xx)', () => {
    const t = compileTable({
      ...single({ name: 'd', type: 'date' }, ['< date("1000-01-01")', 'date("1950-01-01")']),
    });
    expect(t.evaluate({ d: '0050-01-01' }).matched).toEqual(['c0']);
    expect(t.evaluate({ d: '0000-02-29' }).matched).toEqual(['c0']);
    expect(() => t.evaluate({ d: '2023-02-29' })).toThrow(InputError);
  });
});

describe('computed inputs', () => {
  const t = compileTable({
    id: 'test.computed',
    title: 'Berekend',
    hitPolicy: 'FIRST',
    inputs: [
      { name: 'geboren', type: 'date', expression: 'persoon.geboortedatum' },
      { name: 'gedrag', type: 'string', values: ['A', 'B'], expression: 'melding.gedrag' },
    ],
    outputs: [{ name: 'r', type: 'string' }],
    rules: [
      { id: 'oud', when: { geboren: '< date("2000-01-01")' }, then: { r: '"oud"' } },
      { id: 'rest', when: {}, then: { r: '"rest"' } },
    ],
  });
  it('reads text as the column type, so a computed date compares as a date', () => {
    expect(t.evaluate({ persoon: { geboortedatum: '1990-05-01' }, melding: { gedrag: 'A' } }).matched).toEqual(['oud']);
  });
  it('checks computed values against the allowed values, like read ones', () => {
    expect(() => t.evaluate({ persoon: { geboortedatum: '1990-05-01' }, melding: { gedrag: 'E' } })).toThrow('not one of the allowed values');
  });
});

describe('trace', () => {
  it('shows every cell of every rule with the value read and whether it held', () => {
    const t = compileTable({
      id: 'test.trace',
      title: 'Uitleg',
      inputs: [
        { name: 'a', type: 'string' },
        { name: 'b', type: 'number' },
      ],
      outputs: [{ name: 'o', type: 'number' }],
      rules: [
        { id: 'r1', when: { a: '"x"', b: '< 3' }, then: { o: '1' } },
        { id: 'r2', when: { a: '"y"' }, then: { o: '2' } },
      ],
    });
    const result = t.evaluate({ a: 'y', b: 5 }, { trace: true });
    expect(result.matched).toEqual(['r2']);
    expect(result.trace).toEqual([
      { ruleId: 'r1', index: 0, matched: false, cells: [{ name: 'a', text: '"x"', value: 'y', held: false }, { name: 'b', text: '< 3', value: 5, held: false }] },
      { ruleId: 'r2', index: 1, matched: true, cells: [{ name: 'a', text: '"y"', value: 'y', held: true }, { name: 'b', text: '-', value: 5, held: true }] },
    ]);
  });
});

describe('table errors', () => {
  it('lists every problem with its path', () => {
    const problems = validateTable({
      id: 'test.bad',
      title: 'Fout',
      hitPolicy: 'FIRST',
      aggregation: 'SUM',
      inputs: [{ name: 'a', type: 'number' }, { name: 'a', type: 'string' }],
      outputs: [{ name: 'o', type: 'number' }],
      rules: [
        { id: 'r1', when: { a: '[1..5', zz: '1' }, then: { o: 'onbekend + 1' } },
        { id: 'r1', when: {}, then: {} },
      ],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/inputs/1/name', message: "the name 'a' is used twice" }),
        expect.objectContaining({ path: '/rules/1/id', message: "the rule id 'r1' is used twice" }),
        expect.objectContaining({ path: '/aggregation', message: 'an aggregation needs hit policy COLLECT, not FIRST' }),
        expect.objectContaining({ path: '/rules/0/when/zz', message: "there is no input column 'zz'" }),
        expect.objectContaining({ path: '/rules/0/when/a', message: 'expected \']\' at column 5 in "[1..5"', column: 5, code: 'FEEL_EXPECTED_TOKEN', params: { token: ']' } }),
        expect.objectContaining({ path: '/rules/0/then/o', message: 'unknown name \'onbekend\' at column 1 in "onbekend + 1"', column: 1, code: 'FEEL_UNKNOWN_NAME', params: { name: 'onbekend' } }),
        expect.objectContaining({ path: '/rules/1/then/o', message: "no value for output 'o'" }),
      ]),
    );
  });
  it('compileTable throws a TableError carrying the problems', () => {
    expect(() => compileTable({ id: 'X', title: '', inputs: [], outputs: [], rules: [] } as DecisionTable)).toThrow(TableError);
  });
});

describe('the equality index', () => {
  it('gives the same answers as a full scan on a large table', () => {
    const values = Array.from({ length: 40 }, (_, i) => `v${i}`);
    const rules: Rule[] = [];
    values.forEach((v, i) => {
      rules.push({ id: `k${i}a`, when: { k: `"${v}"`, n: '< 50' }, then: { o: `${i}` } });
      rules.push({ id: `k${i}b`, when: { k: `"${v}", "v0"`, n: '>= 50' }, then: { o: `${i + 100}` } });
    });
    rules.push({ id: 'not', when: { k: 'not("v1")', n: '> 90' }, then: { o: '-1' } });
    const t: DecisionTable = {
      id: 'test.index',
      title: 'Index',
      hitPolicy: 'RULE ORDER',
      inputs: [{ name: 'k', type: 'string' }, { name: 'n', type: 'number' }],
      outputs: [{ name: 'o', type: 'number' }],
      rules,
    };
    const compiled = compileTable(t);
    for (const k of [...values, 'other']) {
      for (const n of [10, 60, 95]) {
        const fast = compiled.evaluate({ k, n });
        const traced = compiled.evaluate({ k, n }, { trace: true }); // trace checks every rule, no index
        expect(fast.matched).toEqual(traced.matched);
        expect(fast.output).toEqual(traced.output);
      }
    }
    expect(compiled.evaluate({ k: 'v0', n: 95 }).matched).toEqual(expect.arrayContaining(['k0b', 'not']));
  });
});
