import { describe, expect, it } from 'vitest';
import { feelLiteral, isFeelName, parseLiteralList, primitiveType, slug, toBeslisName } from './feel-text.ts';

describe('FEEL text helpers', () => {
  it('reads lists of literals, and nothing else', () => {
    expect(parseLiteralList('"High", "Low","Me\\"dium"')).toEqual(['High', 'Low', 'Me"dium']);
    expect(parseLiteralList('1, -2.5, .5')).toEqual([1, -2.5, 0.5]);
    expect(parseLiteralList('true,false, null')).toEqual([true, false, null]);
    expect(parseLiteralList('date("2024-01-01"), @"2024-02-01", duration("P1D"), date and time("2024-01-01T10:00:00")')).toEqual([
      '2024-01-01',
      '2024-02-01',
      'P1D',
      '2024-01-01T10:00:00',
    ]);
    expect(parseLiteralList('[1..10]')).toBeNull();
    expect(parseLiteralList('> 5')).toBeNull();
    expect(parseLiteralList('"a" "b"')).toBeNull();
    expect(parseLiteralList('')).toBeNull();
  });

  it('writes values back as literals that read the same', () => {
    for (const [v, type] of [
      ['a "quoted" \\ value', 'string'],
      ['2024-01-01', 'date'],
      ['P1D', 'duration'],
      ['10:00:00', 'time'],
      ['2024-01-01T10:00:00', 'dateTime'],
      [12.5, 'number'],
      [false, 'boolean'],
    ] as const) {
      expect(parseLiteralList(feelLiteral(v, type))).toEqual([v]);
    }
    expect(feelLiteral('2024-01-01', 'date')).toBe('date("2024-01-01")');
  });

  it('names: FEEL names, Beslis names, ids', () => {
    expect(isFeelName('Age')).toBe(true);
    expect(isFeelName('Another Date and Time')).toBe(true);
    expect(isFeelName("Applicant's age")).toBe(true);
    expect(isFeelName('Complex.aDate')).toBe(false);
    expect(isFeelName('a + b')).toBe(false);
    expect(isFeelName('f(x)')).toBe(false);
    expect(toBeslisName('Approved/Declined', 'x')).toBe('Approved_Declined');
    expect(toBeslisName('Risk  Category', 'x')).toBe('Risk Category');
    expect(toBeslisName('2nd', 'x')).toBe('_2nd');
    expect(toBeslisName('???', 'fallback')).toBe('_');
    expect(slug('0004-simpletable-U', 'm')).toBe('0004-simpletable-u');
    expect(slug('_3b29-x', 'm')).toBe('3b29-x');
    expect(slug('Überprüfung straße', 'm')).toBe('uberprufung-stra-e');
    expect(slug('___', 'fallback')).toBe('fallback');
    expect(primitiveType('feel:date and time')).toBe('dateTime');
    expect(primitiveType('yearMonthDuration')).toBe('duration');
    expect(primitiveType('tApproval')).toBeUndefined();
  });
});
