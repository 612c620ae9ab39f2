// Choosing a version on two clocks (DESIGN §5): the case date against validFrom, and `asOf` against publishedAt.
// Pure functions, no database: the store, the evaluate API and the fixture runner can share them.

export interface VersionClock {
  version: number;
  /** ISO date `yyyy-mm-dd`. */
  validFrom: string;
  /** ISO timestamp. */
  publishedAt: string;
}

export interface Selection {
  /** Case date `yyyy-mm-dd`; default today (Europe/Amsterdam). */
  date?: string;
  /** Only versions published at or before this moment. A date alone means the end of that day (Europe/Amsterdam). */
  asOf?: string;
  /** Pins a version; `date` and `asOf` are then not used. */
  version?: number;
}

export const POLICY_TIME_ZONE = 'Europe/Amsterdam';

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: POLICY_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in the municipality's time zone, `yyyy-mm-dd`. */
export function today(now: Date = new Date()): string {
  return dayFormat.format(now);
}

/** Offset of Europe/Amsterdam from UTC at a given instant, in minutes. */
function zoneOffsetMinutes(instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: POLICY_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(instant));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60000);
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** The `asOf` bound as epoch milliseconds (inclusive). A date alone is the last millisecond of that day in Amsterdam. */
export function asOfBound(asOf: string): number {
  if (DATE_ONLY.test(asOf)) {
    const [y, m, d] = asOf.split('-').map(Number) as [number, number, number];
    const nextMidnightUtc = Date.UTC(y, m - 1, d + 1);
    // Local midnight = UTC midnight minus the offset in force then (one refinement step settles DST edges).
    let guess = nextMidnightUtc - zoneOffsetMinutes(nextMidnightUtc) * 60000;
    guess = nextMidnightUtc - zoneOffsetMinutes(guess) * 60000;
    return guess - 1;
  }
  const t = Date.parse(asOf);
  if (Number.isNaN(t)) throw new RangeError(`asOf is not a date or timestamp: ${asOf}`);
  return t;
}

/**
 * The version to decide a case with: a pinned `version` if given; otherwise, among the versions published by
 * `asOf` (all when absent), the one with the latest `validFrom` on or before `date`, and of those with the same
 * `validFrom` the highest version number. Each version thus governs from its validFrom until the next one takes over.
 */
export function selectVersion<V extends VersionClock>(versions: readonly V[], sel: Selection = {}, now: Date = new Date()): V | undefined {
  if (sel.version !== undefined) return versions.find((v) => v.version === sel.version);
  const date = sel.date ?? today(now);
  const bound = sel.asOf === undefined ? Infinity : asOfBound(sel.asOf);
  let best: V | undefined;
  for (const v of versions) {
    if (v.validFrom > date) continue;
    if (bound !== Infinity && Date.parse(v.publishedAt) > bound) continue;
    if (!best || v.validFrom > best.validFrom || (v.validFrom === best.validFrom && v.version > best.version)) best = v;
  }
  return best;
}
