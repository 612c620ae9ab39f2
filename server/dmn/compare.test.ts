import { describe, expect, it } from 'vitest';
import { compareTck, normDuration } from './compare.ts';
import type { TckValue } from './tck-file.ts';

const num = (text: string): TckValue => ({ kind: 'number', text, value: Number(text) });
const str = (value: string): TckValue => ({ kind: 'string', value });

describe('TCK comparison', () => {
  it('numbers: equal within a small relative tolerance, not beyond', () => {
    expect(compareTck(num('64.32'), 64.32)).toBeNull();
    expect(compareTck(num('0.3'), 0.1 + 0.2)).toBeNull();
    expect(compareTck(num('1E20'), 1e20 * (1 + 1e-12))).toBeNull();
    expect(compareTck(num('64.32'), 64.33)).toBe('expected 64.32, got 64.33');
    expect(compareTck(num('1'), '1')).toBe('expected 1, got "1"');
    expect(compareTck(num('0'), null)).toBe('expected 0, got null');
  });

  it('strings and booleans exactly', () => {
    expect(compareTck(str('Approved'), 'Approved')).toBeNull();
    expect(compareTck(str('Approved'), 'approved')).toMatch(/expected "Approved"/);
    expect(compareTck({ kind: 'boolean', value: false }, false)).toBeNull();
    expect(compareTck({ kind: 'boolean', value: false }, null)).toBe('expected false, got null');
  });

  it('nil only as null (or nothing)', () => {
    expect(compareTck({ kind: 'nil' }, null)).toBeNull();
    expect(compareTck({ kind: 'nil' }, undefined)).toBeNull();
    expect(compareTck({ kind: 'nil' }, false)).toBe('expected null, got false');
    expect(compareTck({ kind: 'nil' }, [])).toBe('expected null, got []');
  });

  it('dates, times, date-times and durations by value', () => {
    expect(compareTck({ kind: 'date', value: '2018-07-30' }, '2018-07-30')).toBeNull();
    expect(compareTck({ kind: 'date', value: '2018-07-30' }, '2018-07-31')).toMatch(/expected date 2018-07-30/);
    expect(compareTck({ kind: 'time', value: '16:11:00Z' }, '16:11:00+00:00')).toBeNull();
    expect(compareTck({ kind: 'time', value: '16:11:00' }, '16:11:00Z')).not.toBeNull();
    expect(compareTck({ kind: 'dateTime', value: '2018-07-30T16:12:00.000+02:00' }, '2018-07-30T16:12:00+02:00')).toBeNull();
    expect(compareTck({ kind: 'duration', value: 'P1Y' }, 'P12M')).toBeNull();
    expect(compareTck({ kind: 'duration', value: 'PT24H' }, 'P1D')).toBeNull();
    expect(compareTck({ kind: 'duration', value: 'P1D' }, 'P1M')).not.toBeNull();
    expect(compareTck({ kind: 'duration', value: 'P1D' }, 1)).not.toBeNull();
    expect(normDuration('-P1DT1H')).toBe('dt:-90000');
    expect(normDuration('P1Y1D')).toBeNull();
  });

  it('lists item by item and contexts entry by entry, saying where they differ', () => {
    const list: TckValue = { kind: 'list', items: [str('a'), num('2')] };
    expect(compareTck(list, ['a', 2])).toBeNull();
    expect(compareTck(list, ['a', 3])).toBe('[2]: expected 2, got 3');
    expect(compareTck(list, ['a'])).toBe('expected a list of 2 items, got ["a"]');
    expect(compareTck(list, 'a')).toMatch(/expected a list of 2/);
    const ctx: TckValue = { kind: 'context', entries: [['Status', str('Approved')], ['Rate', { kind: 'list', items: [num('1')] }]] };
    expect(compareTck(ctx, { Status: 'Approved', Rate: [1] })).toBeNull();
    expect(compareTck(ctx, { Status: 'Approved', Rate: [2] })).toBe('Rate[1]: expected 1, got 2');
    expect(compareTck(ctx, { Status: 'Approved' })).toMatch(/missing entry 'Rate'/);
    expect(compareTck(ctx, { Status: 'Approved', Rate: [1], Extra: 1 })).toMatch(/unexpected entries Extra/);
    expect(compareTck({ kind: 'context', entries: [['a', { kind: 'nil' }]] }, {})).toBeNull();
  });

  it('with the types of the actual value, a date is not a string that reads like one, and a string not a date', () => {
    const date: TckValue = { kind: 'date', value: '2018-07-30' };
    expect(compareTck(date, '2018-07-30', { '': 'date' })).toBeNull();
    expect(compareTck(date, '2018-07-30', {})).toBe('expected date 2018-07-30, got a string "2018-07-30"');
    expect(compareTck(str('2018-07-30'), '2018-07-30', { '': 'date' })).toBe('expected the string "2018-07-30", got a date');
    expect(compareTck({ kind: 'duration', value: 'P1Y' }, 'P1Y', { '': 'years and months duration' })).toBeNull();
    // XML Schema cannot write a zoned value: the TCK expects it as a string, which matches what prints as it.
    expect(compareTck(str('10:15:00@Europe/Paris'), '10:15:00@Europe/Paris', { '': 'time' })).toBeNull();
    const ctx: TckValue = { kind: 'context', entries: [['due', date], ['list', { kind: 'list', items: [date] }]] };
    expect(compareTck(ctx, { due: '2018-07-30', list: ['2018-07-30'] }, { '/due': 'date', '/list/0': 'date' })).toBeNull();
    expect(compareTck(ctx, { due: '2018-07-30', list: ['2018-07-30'] }, { '/due': 'date' })).toMatch(/^list\[1\]: expected date/);
  });
});
