// Choosing a version on two clocks and reading a date alone as that day in Amsterdam: the one rule evaluate, batch,
// fixtures, impact and the editor share.
import { describe, expect, it } from 'vitest';
import { archiveForCase, archiveInForce, chooseVersion, dateInAmsterdam, endOfDayInAmsterdam, instantOf, selectVersion, startOfDayInAmsterdam, versionForCase } from './versions.ts';

describe('selectVersion', () => {
  const versions = [
    { version: 1, validFrom: '2013-01-01', publishedAt: '2012-11-20T10:00:00Z' },
    { version: 2, validFrom: '2024-01-01', publishedAt: '2023-12-01T22:30:00Z' },
    { version: 3, validFrom: '2024-01-01', publishedAt: '2024-03-01T09:00:00Z' },
    { version: 4, validFrom: '2027-01-01', publishedAt: '2026-06-01T09:00:00Z' },
  ];
  const v = (sel: Parameters<typeof selectVersion>[1], now?: Date) => selectVersion(versions, sel, now)?.version;

  it('takes the newest version valid on the case date; the validFrom day itself counts', () => {
    expect(v({ date: '2023-12-31' })).toBe(1);
    expect(v({ date: '2024-01-01' })).toBe(3);
    expect(v({ date: '2026-12-31' })).toBe(3);
    expect(v({ date: '2027-01-01' })).toBe(4);
    expect(v({ date: '2012-12-31' })).toBeUndefined();
  });

  it('defaults the date to today in Amsterdam', () => {
    expect(v({}, new Date('2026-12-31T22:59:00Z'))).toBe(3); // 23:59 on 31 December in Amsterdam
    expect(v({}, new Date('2026-12-31T23:01:00Z'))).toBe(4); // already 1 January in Amsterdam
  });

  it('with asOf, only knows the versions published by then', () => {
    expect(v({ date: '2024-02-01', asOf: '2024-02-01T00:00:00Z' })).toBe(2);
    expect(v({ date: '2024-02-01', asOf: '2023-11-01T00:00:00Z' })).toBe(1);
    expect(v({ date: '2024-02-01', asOf: '2012-01-01T00:00:00Z' })).toBeUndefined();
    expect(v({ date: '2024-04-01', asOf: '2024-03-01T09:00:00Z' })).toBe(3);
  });

  it('reads an asOf date as the end of that day in Amsterdam, in winter and in summer time', () => {
    // 2023-12-01T22:30Z is 23:30 on 1 December in Amsterdam (UTC+1): known on that day.
    expect(v({ date: '2024-01-05', asOf: '2023-12-01' })).toBe(2);
    expect(v({ date: '2024-01-05', asOf: '2023-11-30' })).toBe(1);
    const summer = [{ version: 1, validFrom: '2020-01-01', publishedAt: '2024-07-01T21:59:59.999Z' }, { version: 2, validFrom: '2020-01-01', publishedAt: '2024-07-01T22:00:00Z' }];
    expect(selectVersion(summer, { date: '2024-08-01', asOf: '2024-07-01' })?.version).toBe(1);
    expect(selectVersion(summer, { date: '2024-08-01', asOf: '2024-07-02' })?.version).toBe(2);
  });

  it('leaves out versions without publishedAt when asOf is given', () => {
    const files = [{ version: 1, validFrom: '2013-01-01' }, { version: 2, validFrom: '2024-01-01' }];
    expect(selectVersion(files, { date: '2025-01-01' })?.version).toBe(2);
    expect(selectVersion(files, { date: '2025-01-01', asOf: '2025-01-01' })).toBeUndefined();
  });

  it('pins a version regardless of date and asOf', () => {
    expect(v({ version: 1, date: '2030-01-01', asOf: '2013-01-01' })).toBe(1);
    expect(v({ version: 9 })).toBeUndefined();
  });

  it('rejects an asOf that is no date or timestamp', () => {
    expect(() => v({ date: '2024-01-01', asOf: 'gisteren' })).toThrow(RangeError);
  });

  it('dateInAmsterdam gives the calendar date there', () => {
    expect(dateInAmsterdam(new Date('2024-03-31T22:30:00Z'))).toBe('2024-04-01');
    expect(dateInAmsterdam(new Date('2024-01-01T22:30:00Z'))).toBe('2024-01-01');
  });
});

describe('a date alone is that day in Amsterdam', () => {
  const iso = (ms: number) => new Date(ms).toISOString();

  it('starts and ends at local midnight, in winter (UTC+1) and in summer (UTC+2)', () => {
    expect(iso(startOfDayInAmsterdam('2024-03-01'))).toBe('2024-02-29T23:00:00.000Z');
    expect(iso(endOfDayInAmsterdam('2024-03-01'))).toBe('2024-03-01T22:59:59.999Z');
    expect(iso(startOfDayInAmsterdam('2024-07-01'))).toBe('2024-06-30T22:00:00.000Z');
    expect(iso(endOfDayInAmsterdam('2024-07-01'))).toBe('2024-07-01T21:59:59.999Z');
  });

  it('handles the days the clocks change (23 and 25 hours long)', () => {
    expect(iso(startOfDayInAmsterdam('2024-03-31'))).toBe('2024-03-30T23:00:00.000Z');
    expect(iso(endOfDayInAmsterdam('2024-03-31'))).toBe('2024-03-31T21:59:59.999Z');
    expect(iso(startOfDayInAmsterdam('2024-10-27'))).toBe('2024-10-26T22:00:00.000Z');
    expect(iso(endOfDayInAmsterdam('2024-10-27'))).toBe('2024-10-27T22:59:59.999Z');
  });

  it('instantOf reads timestamps as written and dates by the edge asked for; nonsense is a RangeError', () => {
    expect(iso(instantOf('2024-03-01T10:00:00+01:00', 'end'))).toBe('2024-03-01T09:00:00.000Z');
    expect(instantOf('2024-03-01', 'start')).toBe(startOfDayInAmsterdam('2024-03-01'));
    expect(instantOf('2024-03-01', 'end')).toBe(endOfDayInAmsterdam('2024-03-01'));
    expect(() => instantOf('2024-02-30x', 'end')).toThrow(RangeError);
    expect(() => instantOf('gisteren', 'start')).toThrow(RangeError);
  });
});

describe('versionForCase: what a fixture case runs against', () => {
  const versions = [
    { version: 1, validFrom: '2020-01-01', publishedAt: '2019-12-01T10:00:00Z' },
    { version: 2, validFrom: '2024-01-01', publishedAt: '2023-12-01T10:00:00Z' },
    { version: 3, validFrom: '2025-01-01', publishedAt: '2024-12-01T10:00:00Z' },
  ];
  const draft = { kind: 'draft', validFrom: '2026-01-01' } as const;

  it('an undated case runs against the target itself', () => {
    expect(versionForCase(versions, draft)).toBe('draft');
    expect(versionForCase(versions, { kind: 'newest' })).toMatchObject({ version: 3 });
    expect(versionForCase(versions, { kind: 'version', version: 2 })).toMatchObject({ version: 2 });
  });

  it('a dated case on or after the draft\'s validFrom runs against the draft, an earlier one against the version valid then', () => {
    expect(versionForCase(versions, draft, '2026-01-01')).toBe('draft');
    expect(versionForCase(versions, draft, '2025-12-31')).toMatchObject({ version: 3 });
    expect(versionForCase(versions, draft, '2021-06-01')).toMatchObject({ version: 1 });
    expect(versionForCase(versions, draft, '2019-06-01')).toBeUndefined();
  });

  it('asOf never includes the draft: it asks how the rules were known then', () => {
    expect(versionForCase(versions, draft, '2026-06-01', '2024-06-01')).toMatchObject({ version: 2 });
    expect(versionForCase(versions, draft, undefined, '2024-06-01')).toMatchObject({ version: 2 });
  });

  it('against version N, dated cases choose among versions 1…N', () => {
    expect(versionForCase(versions, { kind: 'version', version: 2 }, '2025-06-01')).toMatchObject({ version: 2 });
    expect(versionForCase(versions, { kind: 'version', version: 9 })).toBeUndefined();
  });
});

describe('archiveInForce and chooseVersion', () => {
  const versions = [
    { version: 1, validFrom: '2020-01-01', publishedAt: '2019-12-01T10:00:00Z' },
    { version: 2, validFrom: '2024-01-01', publishedAt: '2023-12-01T10:00:00Z' },
  ];
  const archives = [{ validFrom: '2027-01-01', publishedAt: '2026-12-03T09:00:00Z' }];

  it('answers dates before the archive with their version and refuses the archive date and later', () => {
    expect(chooseVersion(versions, archives, { date: '2026-12-31' })).toEqual({ version: versions[1] });
    expect(chooseVersion(versions, archives, { date: '2027-01-01' })).toEqual({ archived: archives[0] });
    expect(archiveInForce(versions, archives, { date: '2031-01-01' })).toBe(archives[0]);
  });

  it('does not know an archive asOf before its approval, and never archives a pinned version', () => {
    expect(archiveInForce(versions, archives, { date: '2028-01-01', asOf: '2026-12-02' })).toBeUndefined();
    expect(archiveInForce(versions, archives, { date: '2028-01-01', asOf: '2026-12-03' })).toBe(archives[0]);
    expect(chooseVersion(versions, archives, { version: 1 })).toEqual({ version: versions[0] });
  });

  it('a version beginning on or after the archive date revives the table from then on', () => {
    const revived = [...versions, { version: 3, validFrom: '2028-01-01', publishedAt: '2027-06-01T10:00:00Z' }];
    expect(archiveInForce(revived, archives, { date: '2027-06-01' })).toBe(archives[0]);
    expect(chooseVersion(revived, archives, { date: '2028-01-02' })).toEqual({ version: revived[2] });
    // Before the reviving version was known, the archive still held.
    expect(archiveInForce(revived, archives, { date: '2028-01-02', asOf: '2027-01-01' })).toBe(archives[0]);
  });

  it('has no effect without archives', () => {
    expect(chooseVersion(versions, [], { date: '2099-01-01' })).toEqual({ version: versions[1] });
    expect(chooseVersion(versions, [], { date: '2010-01-01' })).toBeUndefined();
  });
});

describe('archiveForCase: an archived table answers no fixture case dated on or after the archive date', () => {
  const versions = [
    { version: 1, validFrom: '2020-01-01', publishedAt: '2019-12-01T10:00:00Z' },
    { version: 2, validFrom: '2024-01-01', publishedAt: '2023-12-01T10:00:00Z' },
  ];
  const archives = [{ validFrom: '2027-01-01', publishedAt: '2026-11-01T10:00:00Z' }];
  const now = new Date('2026-12-03T12:00:00Z');

  it('dated cases from the archive date on are archived, earlier ones and undated ones are not', () => {
    expect(archiveForCase(versions, archives, { kind: 'newest' }, '2027-01-01', undefined, now)).toMatchObject({ validFrom: '2027-01-01' });
    expect(archiveForCase(versions, archives, { kind: 'newest' }, '2026-12-31', undefined, now)).toBeUndefined();
    expect(archiveForCase(versions, archives, { kind: 'newest' }, undefined, undefined, now)).toBeUndefined();
    expect(archiveForCase(versions, archives, { kind: 'version', version: 1 }, '2030-01-01', undefined, now)).toMatchObject({ validFrom: '2027-01-01' });
  });

  it('as known before the archive was approved, the table still answered', () => {
    expect(archiveForCase(versions, archives, { kind: 'newest' }, '2030-01-01', '2026-10-01', now)).toBeUndefined();
    expect(archiveForCase(versions, archives, { kind: 'newest' }, '2030-01-01', '2026-11-02', now)).toMatchObject({ validFrom: '2027-01-01' });
  });

  it('a draft valid from the archive date or later revives the table from its date; one valid earlier does not', () => {
    const reviving = { kind: 'draft', validFrom: '2027-06-01' } as const;
    expect(archiveForCase(versions, archives, reviving, '2027-06-01', undefined, now)).toBeUndefined();
    expect(archiveForCase(versions, archives, reviving, '2027-03-01', undefined, now)).toMatchObject({ validFrom: '2027-01-01' });
    const early = { kind: 'draft', validFrom: '2026-12-15' } as const;
    expect(archiveForCase(versions, archives, early, '2026-12-20', undefined, now)).toBeUndefined();
    expect(archiveForCase(versions, archives, early, '2027-02-01', undefined, now)).toMatchObject({ validFrom: '2027-01-01' });
  });
});
