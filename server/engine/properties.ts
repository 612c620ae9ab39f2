// The properties of FEEL's temporal values and ranges (DMN 1.5 10.3.2.3, Table 76): `d.year`, `t.time offset`,
// `dt.timezone`, `dur.days`, `r.start included`. A name that is not a property of the value's type is null.
import { civilFromDays } from './calendar.ts';
import { FeelDate, FeelDateTime, FeelDuration, FeelRange, FeelTime, makeDuration, type FeelValue } from './values.ts';

/** Property names of more than one word, which the parser joins after a `.`. */
export const PROPERTY_NAMES: readonly string[] = ['time offset', 'start included', 'end included'];

/** The ISO day of the week (Monday 1 … Sunday 7) of a day number; 1970-01-01 was a Thursday. */
function weekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

function dateProperty(day: number, key: string): FeelValue | undefined {
  const [year, month, dayOfMonth] = civilFromDays(day);
  switch (key) {
    case 'year':
      return year;
    case 'month':
      return month;
    case 'day':
      return dayOfMonth;
    case 'weekday':
      return weekday(day);
  }
  return undefined;
}

function clockProperty(secondOfDay: number, offset: number | null, zone: string | null, key: string): FeelValue | undefined {
  switch (key) {
    case 'hour':
      return Math.floor(secondOfDay / 3600);
    case 'minute':
      return Math.floor((secondOfDay % 3600) / 60);
    case 'second':
      return Math.floor(secondOfDay % 60);
    case 'time offset':
      return offset === null ? null : makeDuration('dayTime', offset);
    case 'timezone':
      return zone;
  }
  return undefined;
}

function durationProperty(d: FeelDuration, key: string): FeelValue | undefined {
  const sign = d.amount < 0 ? -1 : 1;
  const abs = Math.abs(d.amount);
  const part = (n: number) => sign * n || 0;
  if (d.kind === 'yearMonth') {
    if (key === 'years') return part(Math.floor(abs / 12));
    if (key === 'months') return part(abs % 12);
    return undefined;
  }
  switch (key) {
    case 'days':
      return part(Math.floor(abs / 86_400));
    case 'hours':
      return part(Math.floor((abs % 86_400) / 3600));
    case 'minutes':
      return part(Math.floor((abs % 3600) / 60));
    case 'seconds':
      return part(Math.round((abs % 60) * 1e9) / 1e9);
  }
  return undefined;
}

/** The property `key` of a temporal value or range, or null when the value has no such property. */
export function propertyOf(v: FeelValue, key: string): FeelValue {
  let found: FeelValue | undefined;
  if (v instanceof FeelDate) found = dateProperty(v.day, key);
  else if (v instanceof FeelDateTime) {
    found = dateProperty(Math.floor(v.local / 86_400), key) ?? clockProperty(v.secondOfDay, v.offset, v.zone, key);
  } else if (v instanceof FeelTime) found = clockProperty(v.seconds, v.offset, v.zone, key);
  else if (v instanceof FeelDuration) found = durationProperty(v, key);
  else if (v instanceof FeelRange) {
    if (key === 'start') found = v.low ?? null;
    else if (key === 'end') found = v.high ?? null;
    else if (key === 'start included') found = v.lowClosed;
    else if (key === 'end included') found = v.highClosed;
  }
  return found ?? null;
}
