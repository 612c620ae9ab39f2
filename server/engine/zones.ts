// IANA time zones (`@"2021-01-01T10:00:00@Europe/Paris"`): their offsets come from the platform's Intl data (full
// ICU in Node 20 and in every browser the editor runs in). No library: the tz database ships with the runtime and
// is updated with it, which is the well-kept source the zone rules need, and the engine stays pure and small.
import { daysFromCivil } from './calendar.ts';

const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;
const formatters = new Map<string, Intl.DateTimeFormat | null>();
/** The range of a JS Date, in seconds; offsets beyond it are those at its ends (the zone's rules stop there). */
const DATE_LIMIT = 8.64e12;

function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f === undefined) {
    try {
      f = ZONE_NAME.test(zone)
        ? new Intl.DateTimeFormat('en-US', {
            timeZone: zone,
            hourCycle: 'h23',
            era: 'short',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          })
        : null;
    } catch {
      f = null; // RangeError: not a zone the tz database knows
    }
    // A bounded cache: the tz database has some 600 names; anything beyond is a client trying names.
    if (formatters.size < 1000) formatters.set(zone, f);
  }
  return f;
}

/** Whether the tz database knows the zone (`Europe/Paris`, `Etc/UTC`). */
export function isZone(zone: string): boolean {
  return formatter(zone) !== null;
}

/** The zone's offset from UTC, in seconds east, at an instant (seconds since the epoch); null for an unknown zone. */
export function zoneOffsetAt(zone: string, instant: number): number | null {
  const f = formatter(zone);
  if (!f) return null;
  const at = Math.floor(Math.min(DATE_LIMIT, Math.max(-DATE_LIMIT, instant)));
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(at * 1000))) parts[p.type] = p.value;
  const yearOfEra = Number(parts.year);
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - yearOfEra : yearOfEra;
  const wall = daysFromCivil(year, Number(parts.month), Number(parts.day)) * 86_400 + Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
  return wall - at;
}

/**
 * The offset a wall-clock time (seconds since the epoch as if it were UTC) has in the zone. In a gap (spring
 * forward) the offset before the gap, so the time moves on by the gap; in an overlap (fall back) the earlier of the
 * two instants, as java.time and the TCK's runtimes resolve them.
 */
export function zoneOffsetForLocal(zone: string, local: number): number | null {
  const first = zoneOffsetAt(zone, local);
  if (first === null) return null;
  const second = zoneOffsetAt(zone, local - first)!;
  if (second === first) {
    // An overlap: the same wall time an offset earlier may also exist; the earlier instant has the larger offset.
    const before = zoneOffsetAt(zone, local - first - 3600)!;
    if (before > first && zoneOffsetAt(zone, local - before) === before) return before;
    return first;
  }
  const third = zoneOffsetAt(zone, local - second)!;
  return third === second ? second : Math.min(first, second);
}
