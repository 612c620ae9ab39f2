// Dates, times and date-times as DMN 1.5 (10.3.2.3) has them: IANA zones, nanoseconds, `24:00:00`, the properties,
// and the subtraction rules; zone offsets checked against the EU's daylight-saving rule worked out independently.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression } from './index.ts';
import { zoneOffsetAt, zoneOffsetForLocal } from './zones.ts';

const feel = (text: string) => compileExpression(text)({});

/** The last Sunday of a month, 01:00 UTC, in seconds: when EU summer time starts (March) and ends (October). */
function lastSundayOneUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0)); // day 0 of the next month: the month's last day
  return (Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay(), 1) / 1000) | 0;
}

describe('IANA time zones', () => {
  it('keeps the zone of a date-time and prints it as written', () => {
    expect(feel('@"2011-12-31T10:15:30@Europe/Paris"')).toBe('2011-12-31T10:15:30@Europe/Paris');
    expect(feel('string(@"10:15:00@Australia/Melbourne")')).toBe('10:15:00@Australia/Melbourne');
    expect(feel('date and time("2021-01-01T10:00:00@Nowhere/Atlantis")')).toBe(null);
    expect(() => feel('@"2021-01-01T10:00:00@Nowhere/Atlantis"')).toThrow(/is not a date, time, date-time or duration/);
  });

  it('compares zoned date-times as instants, with the offset the zone has at that date', () => {
    expect(feel('@"2018-10-08T00:00:00+02:00" = @"2018-10-08T00:00:00@Europe/Paris"')).toBe(true); // summer time
    expect(feel('@"2018-02-08T00:00:00+01:00" = @"2018-02-08T00:00:00@Europe/Paris"')).toBe(true); // winter time
    expect(feel('@"2018-12-08T00:00:00@Europe/Paris" = @"2018-12-08T00:00:00@Asia/Dhaka"')).toBe(false);
    expect(feel('@"2021-01-02T10:10:10@Europe/Paris" - @"2021-01-01T10:10:10@Asia/Dhaka"')).toBe('P1DT5H');
  });

  it('is() tells zones apart that have the same offset', () => {
    expect(feel('is(@"2002-04-02T23:00:00@Australia/Melbourne", @"2002-04-02T23:00:00@Australia/Sydney")')).toBe(false);
    expect(feel('@"2002-04-02T23:00:00@Australia/Melbourne" = @"2002-04-02T23:00:00@Australia/Sydney"')).toBe(true);
  });

  it('adds days-and-time on the time line and years-and-months on the calendar, keeping the zone', () => {
    // 2021-03-28 02:00 Paris clocks jump to 03:00: 24 hours after 01:30 the wall clock reads 02:30 + 1 h.
    expect(feel('@"2021-03-27T02:30:00@Europe/Paris" + @"PT24H"')).toBe('2021-03-28T03:30:00@Europe/Paris');
    expect(feel('@"2021-01-31T10:10:10@Australia/Melbourne" + @"P1M"')).toBe('2021-02-28T10:10:10@Australia/Melbourne');
  });

  it('gives a wall-clock time in a spring-forward gap the offset before the gap, and moves it on', () => {
    const local = Date.UTC(2021, 2, 28, 2, 30) / 1000;
    expect(zoneOffsetForLocal('Europe/Paris', local)).toBe(3600);
    expect(feel('@"2021-03-28T02:30:00@Europe/Paris"')).toBe('2021-03-28T03:30:00@Europe/Paris');
  });

  it('agrees with the EU summer-time rule (last Sunday of March to last Sunday of October, 01:00 UTC) for Paris', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1997, 0, 1) / 1000, max: Date.UTC(2037, 11, 31) / 1000 }), (instant) => {
        const year = new Date(instant * 1000).getUTCFullYear();
        const summer = instant >= lastSundayOneUtc(year, 3) && instant < lastSundayOneUtc(year, 10);
        expect(zoneOffsetAt('Europe/Paris', instant)).toBe(summer ? 7200 : 3600);
      }),
      { numRuns: 500 },
    );
  });
});

describe('the clock', () => {
  it('keeps nanoseconds of a date-time exact (a double of seconds since 1970 holds only microseconds)', () => {
    expect(feel('@"2017-09-05T09:15:30.987654321@Europe/Paris"')).toBe('2017-09-05T09:15:30.987654321@Europe/Paris');
    expect(feel('date and time(date("2011-12-31"), time("10:15:30.123456789"))')).toBe('2011-12-31T10:15:30.123456789');
    expect(feel('@"2018-12-08T00:00:00.0001" > @"2018-12-08T00:00:00"')).toBe(true);
  });

  it('reads 24:00:00 as the end of the day: the next midnight', () => {
    expect(feel('@"2021-01-01T24:00:00"')).toBe('2021-01-02T00:00:00');
    expect(feel('@"2021-01-01T24:00:00" + @"PT1S"')).toBe('2021-01-02T00:00:01');
    expect(feel('date and time("2021-01-01T24:00:01")')).toBe(null);
  });

  it('prints offsets with seconds when they have them', () => {
    expect(feel('time(11, 59, 45, duration("PT2H45M55S"))')).toBe('11:59:45+02:45:55');
    expect(feel('time("11:59:45-02:45:55")')).toBe('11:59:45-02:45:55');
  });
});

describe('subtraction of dates and date-times (DMN 1.5 Table 57)', () => {
  it('has no difference between a date-time with an offset or zone and one without', () => {
    expect(feel('@"2021-01-02T10:10:10+02:00" - @"2021-01-01T10:10:10"')).toBe(null);
    expect(feel('@"2021-01-02T10:10:10@Europe/Paris" - @"2021-01-01T10:10:10"')).toBe(null);
    expect(feel('@"2021-01-02T10:10:10" - @"2021-01-01T10:10:10"')).toBe('P1D');
  });

  it('counts a date as its midnight in UTC', () => {
    expect(feel('@"2021-01-02T10:10:10@Europe/Paris" - @"2021-01-01"')).toBe('P1DT9H10M10S');
    expect(feel('@"2021-01-02" - @"2021-01-01T10:10:10@Australia/Melbourne"')).toBe('P1DT49M50S');
    expect(feel('@"2021-01-01T00:00:00" - @"2021-01-02"')).toBe(null);
    expect(feel('@"2021-01-03" - @"2021-01-01"')).toBe('P2D');
  });
});

describe('properties (DMN 1.5 Table 76)', () => {
  it('of dates, times and date-times', () => {
    expect(feel('@"2024-06-03T10:20:30.5@Europe/Paris".weekday')).toBe(1);
    expect(feel('@"2024-06-03T10:20:30@Europe/Paris".hour')).toBe(10);
    expect(feel('@"2024-06-03T10:20:30@Europe/Paris".second')).toBe(30);
    expect(feel('@"2024-06-03T10:20:30@Europe/Paris".timezone')).toBe('Europe/Paris');
    expect(feel('@"2024-06-03T10:20:30@Europe/Paris".time offset')).toBe('PT2H');
    expect(feel('@"10:20:30-01:00".time offset')).toBe('-PT1H');
    expect(feel('@"10:20:30".time offset')).toBe(null);
    expect(feel('@"2024-06-03".day')).toBe(3);
  });

  it('of durations and ranges; any other name is null', () => {
    expect(feel('@"P1Y3M".years')).toBe(1);
    expect(feel('@"-P1Y3M".months')).toBe(-3);
    expect(feel('@"P2DT3H4M5.5S".seconds')).toBe(5.5);
    expect(feel('@"P2DT3H4M5S".days')).toBe(2);
    expect(feel('[1..10).end included')).toBe(false);
    expect(feel('[1..10).start')).toBe(1);
    expect(feel('@"2024-06-03".hour')).toBe(null);
  });
});

describe('date text', () => {
  it('refuses a year with a leading zero beyond four digits, as XML Schema does', () => {
    expect(feel('date("01211-12-31")')).toBe(null);
    expect(feel('date("12110-12-31")')).toBe('12110-12-31');
    expect(feel('date("-0044-03-15")')).toBe('-0044-03-15');
  });
});

describe('duration text', () => {
  it('reads seconds as XML Schema writes them (5, 5.25, 5. and .25)', () => {
    expect(feel('duration("PT0.S")')).toBe('PT0S');
    expect(feel('duration("PT.25S")')).toBe('PT0.25S');
    expect(feel('duration("PT5.S")')).toBe('PT5S');
    expect(feel('duration("PT.S")')).toBe(null);
  });
});

describe('@ literals', () => {
  it('read a time whose zone name holds a T as a time', () => {
    expect(feel('string(@"23:00:50@Etc/GMT")')).toBe('23:00:50@Etc/GMT');
    expect(feel('is(@"23:00:50@Etc/GMT", @"23:00:50Z")')).toBe(false);
  });
});
