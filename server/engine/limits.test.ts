// The budgets of limits.ts as the schema and the engine apply them, and the calendar's range (DMN 1.5 years
// -999,999,999..999,999,999; beyond it, or for parts out of range, null — never a malformed string).
import { describe, expect, it } from 'vitest';
import { compileExpression, compileTable, decisionTableSchema, schemaProblems, type DecisionTable } from './index.ts';
import {
  jsonSizeUpTo,
  MAX_CELL_LENGTH,
  MAX_COLUMNS,
  MAX_LIST_ITEMS,
  MAX_OUTPUT_BYTES,
  MAX_RULES,
  MAX_TABLE_ID_LENGTH,
  MAX_TABLE_ID_SEGMENTS,
  RESERVED_NAMES,
} from './limits.ts';
import { civilFromDays, daysFromCivil, MAX_YEAR, MIN_YEAR } from './values.ts';

const feel = (text: string, scope: Record<string, unknown> = {}) => compileExpression(text)(scope);

describe('the schema carries the limits', () => {
  const schema = decisionTableSchema as unknown as {
    properties: Record<string, { maxLength?: number; maxItems?: number; pattern?: string }>;
    definitions: Record<string, { not?: { enum?: string[] }; properties?: Record<string, { maxLength?: number }> }>;
  };
  it('with the values of limits.ts', () => {
    expect(schema.properties.id!.maxLength).toBe(MAX_TABLE_ID_LENGTH);
    expect(schema.properties.id!.pattern).toContain(`{0,${MAX_TABLE_ID_SEGMENTS - 1}}`);
    expect(schema.properties.rules!.maxItems).toBe(MAX_RULES);
    expect(schema.properties.inputs!.maxItems).toBe(MAX_COLUMNS);
    expect(schema.properties.outputs!.maxItems).toBe(MAX_COLUMNS);
    expect(schema.definitions.name!.not!.enum).toEqual(RESERVED_NAMES);
    expect(schema.definitions.output!.properties!.default!.maxLength).toBe(MAX_CELL_LENGTH);
  });
  it('refusing each reserved name at the name, and in a path', () => {
    for (const name of RESERVED_NAMES) {
      const t = { id: 'a.b', title: 't', inputs: [{ name, type: 'number' }], outputs: [{ name: 'o', type: 'number' }], rules: [] };
      expect(schemaProblems(t).map((p) => p.path)).toEqual(['/inputs/0/name']);
      const p = { ...t, inputs: [{ name: 'x', type: 'number', path: `zaak.${name}.x` }] };
      expect(schemaProblems(p).map((x) => x.path)).toEqual(['/inputs/0/path']);
    }
  });
});

describe('cells and outputs within budget', () => {
  const table = (then: string, inputs = [{ name: 's', type: 'string' }]): DecisionTable =>
    ({ id: 'a.b', title: 't', inputs, outputs: [{ name: 'o', type: 'any' }], rules: [{ id: 'R', when: {}, then: { o: then } }] }) as DecisionTable;

  it(`a list literal of ${MAX_LIST_ITEMS} items compiles, one more is a cell problem`, () => {
    expect(() => compileTable(table(`count([${Array(MAX_LIST_ITEMS).fill('1').join(',')}])`))).not.toThrow();
    expect(() => compileTable(table(`count([${Array(MAX_LIST_ITEMS + 1).fill('1').join(',')}])`))).toThrow(/more than 10000 items/);
  });

  it('a string grown past 1 MB, a list past 100,000 items and an output past 1 MB are LIMIT_EXCEEDED', () => {
    const grow = compileTable(table('s + s + s'));
    expect(grow.evaluate({ s: 'ab' }).output).toEqual({ o: 'ababab' });
    expect(() => grow.evaluate({ s: 'x'.repeat(400_000) })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    const many = compileTable(table('for i in [1..200000] return i'));
    expect(() => many.evaluate({ s: '' })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    const wide = compileTable(table('[s, s, s]'));
    expect(() => wide.evaluate({ s: 'x'.repeat(400_000) })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(jsonSizeUpTo({ o: 'x'.repeat(MAX_OUTPUT_BYTES) }, MAX_OUTPUT_BYTES)).toBe(MAX_OUTPUT_BYTES + 1);
  });

  it('nested iterations and distinct values over lists are held to MAX_ITERATION_STEPS; a constant beyond it is a cell problem', () => {
    const nested = compileTable(table('count(for a in [1..50000] return count(for b in [1..50000] return b))'));
    expect(() => nested.evaluate({ s: '' })).toThrow(/more than 1000000 steps/);
    // A filter inside a for: 1,000 × 2,000 steps.
    const filtered = compileTable(table('count(for a in [1..1000] return for c in [1..2000] return c[item > a])'));
    expect(() => filtered.evaluate({ s: '' })).toThrow(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }));
    expect(compileTable(table('count(for a in [1..500] return count(for b in [1..500] return b))')).evaluate({ s: '' }).output).toEqual({ o: 500 });
    const lists = `[${Array.from({ length: 10_000 }, (_, i) => `[${i}]`).join(',')}]`;
    expect(() => compileTable(table(`count(distinct values(${lists}))`))).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: '/rules/0/then/o', message: expect.stringMatching(/compare more than/) })] }));
  });

  it('distinct values keeps FEEL equality (1 and 1.0 are one value; lists compare by content)', () => {
    expect(feel('distinct values([1, 1.0, "1", true, null, null, 2, [1], [1], [2]])')).toEqual([1, '1', true, null, 2, [1], [2]]);
    expect(feel('count(distinct values(for i in [1..50000] return i mod 7))'.replace('i mod 7', 'modulo(i, 7)'))).toBe(7);
  });

  it('decimal and round half up give null for a scale decimal128 cannot hold', () => {
    expect(feel('decimal(1.25, 1)')).toBe(1.2);
    expect(feel('decimal(1.5, 2000000000)')).toBeNull();
    expect(feel('decimal(1.5, -7000)')).toBeNull();
    expect(feel('round half up(1.25, 6176)')).toBe(1.25);
  });
});

describe('the calendar', () => {
  it('counts days like the proleptic Gregorian calendar of JS Date where that reaches', () => {
    for (let day = -800_000; day <= 800_000; day += 997) {
      const d = new Date(day * 86_400_000);
      expect(civilFromDays(day)).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]);
      expect(daysFromCivil(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate())).toBe(day);
    }
  });

  it('writes every year of the range well-formed, and gives null past it', () => {
    expect(feel('date(999999999, 12, 31)')).toBe('999999999-12-31');
    expect(feel('date("-999999999-01-01")')).toBe('-999999999-01-01');
    expect(feel('date("9999-12-31") + duration("P1D")')).toBe('10000-01-01');
    expect(feel('date("275760-09-14") + duration("P1D")')).toBe('275760-09-15');
    expect(feel('date(999999999, 12, 31) + duration("P1D")')).toBeNull();
    expect(feel('date(999999999, 12, 31) + duration("P1M")')).toBeNull();
    expect(feel('date(1000000002023, 1, 1)')).toBeNull();
    expect(feel('date("2024-02-30")')).toBeNull();
    expect(feel('date and time("2020-01-01T00:00:00") + duration("P999999999999D")')).toBeNull();
    expect(feel('date and time(date(200000000, 12, 31), time("23:59:59"))')).toBe('200000000-12-31T23:59:59');
    // A date-time that far out no longer fits a double to the second: null rather than a wrong clock.
    expect(feel('date and time(date(999999999, 12, 31), time("23:59:59"))')).toBeNull();
    expect(MAX_YEAR).toBe(999_999_999);
    expect(MIN_YEAR).toBe(-999_999_999);
  });

  it('gives null for times and durations out of range', () => {
    expect(feel('time(23, 59, 59)')).toBe('23:59:59');
    expect(feel('time(24, 0, 0)')).toBeNull();
    expect(feel('time(12, 60, 0)')).toBeNull();
    expect(feel('time(12, 0, 60)')).toBeNull();
    expect(feel('time(-1, 0, 0)')).toBeNull();
    expect(feel('duration("P99999999999999999999Y")')).toBeNull();
    expect(feel('duration("P10Y") * 1e300')).toBeNull();
    expect(feel('duration("P1Y") + duration("P1M")')).toBe('P1Y1M');
  });
});
