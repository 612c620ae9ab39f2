// Choosing a version on two clocks (docs/architecture.md, "Choosing a version"), and the one rule
// for turning a date alone into an instant: a date means that day in Europe/Amsterdam, the municipality's time zone
// (its start for the beginning of a period, its end for an `asOf` or the end of a period). Evaluate, batch,
// fixtures, impact and the editor all choose versions and read dates here. Pure: runs in Node and the browser.

export interface VersionInfo {
  version: number;
  /** `yyyy-mm-dd`. */
  validFrom: string;
  /** ISO timestamp (or date) of publication; unknown for a version read from a file. */
  publishedAt?: string;
}

export interface VersionSelection {
  /** Case date `yyyy-mm-dd`; default today in Europe/Amsterdam. */
  date?: string;
  /** Only versions published at or before this moment; a date alone means the end of that day (Europe/Amsterdam). */
  asOf?: string;
  /** Pins a version; `date` and `asOf` are then ignored. */
  version?: number;
}

export const TIME_ZONE = 'Europe/Amsterdam';
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HOUR = 3_600_000;

let dayFormat: Intl.DateTimeFormat | undefined;
// Amsterdam's offset from UTC is a whole number of hours, so the date is the same throughout a UTC hour: every
// request that does not name a date asks for "today", and Intl formatting costs microseconds each time.
let lastHour = NaN;
let lastDate = '';

/** The calendar date `yyyy-mm-dd` of an instant in Amsterdam. */
export function dateInAmsterdam(instant: Date): string {
  const hour = Math.floor(instant.getTime() / HOUR);
  if (hour === lastHour) return lastDate;
  dayFormat ??= new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  lastDate = dayFormat.format(instant);
  lastHour = hour;
  return lastDate;
}

function amsterdamDate(ms: number): string {
  dayFormat ??= new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  return dayFormat.format(new Date(ms));
}

/** Epoch milliseconds of the first millisecond of a day in Amsterdam. */
export function startOfDayInAmsterdam(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // Midnight UTC is 01:00 or 02:00 in Amsterdam, so the day began one or two hours earlier; step back while the
  // hour before still falls on the same Amsterdam date.
  let t = Date.UTC(y, m - 1, d);
  for (let h = 0; h < 3 && amsterdamDate(t - HOUR) === date; h++) t -= HOUR;
  return t;
}

/** Epoch milliseconds of the last millisecond of a day in Amsterdam. */
export function endOfDayInAmsterdam(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // The end of the day in UTC is already the next day in Amsterdam (UTC+1 or UTC+2), so step back.
  let t = Date.UTC(y, m - 1, d + 1) - 1;
  for (let h = 0; h < 3 && amsterdamDate(t) > date; h++) t -= HOUR;
  return t;
}

/**
 * Epoch milliseconds of a timestamp, or of a date alone: the start (`'start'`) or the end (`'end'`) of that day in
 * Amsterdam. Throws a RangeError for text that is neither.
 */
export function instantOf(text: string, edge: 'start' | 'end'): number {
  if (DATE_ONLY.test(text)) {
    if (Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw new RangeError(`not a date or timestamp: ${text}`);
    return edge === 'start' ? startOfDayInAmsterdam(text) : endOfDayInAmsterdam(text);
  }
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new RangeError(`not a date or timestamp: ${text}`);
  return t;
}

/**
 * The version to decide a case with: the pinned `version` if given; otherwise, among the versions published by `asOf`
 * (all when absent), the one with the latest `validFrom` on or before `date` (default today), and for equal validFrom the
 * highest version number. With `asOf`, a version without `publishedAt` is left out: nobody can show it was known then.
 * Returns undefined when no version qualifies.
 */
export function selectVersion<V extends VersionInfo>(versions: readonly V[], sel: VersionSelection = {}, now: Date = new Date()): V | undefined {
  if (sel.version !== undefined) return versions.find((v) => v.version === sel.version);
  const date = sel.date ?? dateInAmsterdam(now);
  const bound = sel.asOf === undefined ? undefined : instantOf(sel.asOf, 'end');
  let best: V | undefined;
  for (const v of versions) {
    if (v.validFrom > date) continue;
    if (bound !== undefined && (v.publishedAt === undefined || instantOf(v.publishedAt, 'end') > bound)) continue;
    if (!best || v.validFrom > best.validFrom || (v.validFrom === best.validFrom && v.version > best.version)) best = v;
  }
  return best;
}

/**
 * An archive of a table (an end marker in its timeline): from `validFrom` on, no version that began before it decides
 * cases any more. It is published like a version (four-eyes), so it has a `publishedAt` and counts on the `asOf` clock.
 */
export interface ArchiveMark {
  /** `yyyy-mm-dd`: the first case date the table no longer answers. */
  validFrom: string;
  /** ISO timestamp of the approval. */
  publishedAt: string;
}

/**
 * The archive that ends the table on the selection's case date, or undefined when a version (or nothing) answers it.
 * The timeline is versions and archive marks together: the latest entry with `validFrom` on or before the date
 * decides, known by `asOf` as for versions; a version beginning on or after an archive's date revives the table.
 * An equal `validFrom` goes to the one published later. A pinned `version` is never archived: history stays
 * reproducible by number.
 */
export function archiveInForce<V extends VersionInfo>(
  versions: readonly V[],
  archives: readonly ArchiveMark[],
  sel: VersionSelection = {},
  now: Date = new Date(),
): ArchiveMark | undefined {
  if (archives.length === 0 || sel.version !== undefined) return undefined;
  const date = sel.date ?? dateInAmsterdam(now);
  const bound = sel.asOf === undefined ? undefined : instantOf(sel.asOf, 'end');
  let mark: ArchiveMark | undefined;
  for (const a of archives) {
    if (a.validFrom > date) continue;
    if (bound !== undefined && instantOf(a.publishedAt, 'end') > bound) continue;
    if (!mark || a.validFrom > mark.validFrom || (a.validFrom === mark.validFrom && a.publishedAt > mark.publishedAt)) mark = a;
  }
  if (!mark) return undefined;
  const v = selectVersion(versions, sel, now);
  if (!v) return mark;
  if (v.validFrom > mark.validFrom) return undefined;
  if (v.validFrom === mark.validFrom && (v.publishedAt ?? '') > mark.publishedAt) return undefined;
  return mark;
}

/**
 * The version that decides a case, or the archive that stops the table answering it: `selectVersion` with the
 * table's archive marks taken into account (see `archiveInForce`).
 */
export function chooseVersion<V extends VersionInfo>(
  versions: readonly V[],
  archives: readonly ArchiveMark[],
  sel: VersionSelection = {},
  now: Date = new Date(),
): { version: V } | { archived: ArchiveMark } | undefined {
  const archived = archiveInForce(versions, archives, sel, now);
  if (archived) return { archived };
  const version = selectVersion(versions, sel, now);
  return version ? { version } : undefined;
}

/**
 * What the cases of a fixture run are tested against:
 * - `newest`: the newest published version;
 * - `version`: version N (dated cases choose among versions 1…N, as the store stood when N was the newest);
 * - `draft`: a draft (or the editor's working copy) valid from `validFrom`: dated cases on or after it run against the
 *   draft, earlier ones against the version valid then; a case with `asOf` asks how the rules were known then, which
 *   never includes the draft.
 */
export type RunTarget = { kind: 'newest' } | { kind: 'version'; version: number } | { kind: 'draft'; validFrom: string };

/**
 * The table one fixture case runs against: `'draft'`, a version, or undefined when none qualifies. `versions` are
 * the table's published versions in version order.
 */
export function versionForCase<V extends VersionInfo>(versions: readonly V[], target: RunTarget, date?: string, asOf?: string): V | 'draft' | undefined {
  const pool = target.kind === 'version' ? versions.filter((v) => v.version <= target.version) : versions;
  if (date === undefined && asOf === undefined) {
    if (target.kind === 'draft') return 'draft';
    if (target.kind === 'version') return pool.find((v) => v.version === target.version);
    return pool.reduce<V | undefined>((newest, v) => (!newest || v.version > newest.version ? v : newest), undefined);
  }
  if (target.kind === 'draft' && asOf === undefined && date !== undefined && date >= target.validFrom) return 'draft';
  return selectVersion(pool, { ...(date !== undefined ? { date } : {}), ...(asOf !== undefined ? { asOf } : {}) });
}

/**
 * The archive that stops a fixture case's table answering it, as evaluate would for the case's clocks; undefined when
 * a version (or the draft) answers. An undated case tests the target's rules themselves and is never archived. For a
 * `draft` target, the draft counts as a version published now from its validFrom: from that date it revives the
 * table, as its publication would; a case with `asOf` never sees the draft.
 */
export function archiveForCase<V extends VersionInfo>(
  versions: readonly V[],
  archives: readonly ArchiveMark[],
  target: RunTarget,
  date?: string,
  asOf?: string,
  now: Date = new Date(),
): ArchiveMark | undefined {
  if (archives.length === 0 || (date === undefined && asOf === undefined)) return undefined;
  const pool: VersionInfo[] = target.kind === 'version' ? versions.filter((v) => v.version <= target.version) : [...versions];
  if (target.kind === 'draft' && asOf === undefined) {
    const newest = versions.reduce((n, v) => Math.max(n, v.version), 0);
    pool.push({ version: newest + 1, validFrom: target.validFrom, publishedAt: now.toISOString() });
  }
  return archiveInForce(pool, archives, { ...(date !== undefined ? { date } : {}), ...(asOf !== undefined ? { asOf } : {}) }, now);
}
