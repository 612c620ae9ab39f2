// What the public register shows (issue 23 point 3), decided in one place for its pages and its API alike.
//
// - A table is in the register when the version in force today (Europe/Amsterdam, the engine's selectVersion) is
//   public by the engine's isPublic: the owner's opt-in, published through four-eyes like any change. A table whose
//   version in force is not public is invisible: no page, no API answer, no history, no try-it; the same 404 as a
//   table that does not exist, so the register does not even tell that it exists.
// - Its history is every version that is or was in force (validFrom on or before today), and a later version only
//   when that one is itself public (an announced change). Older versions that were never marked public are shown as
//   well: they are the same policy's earlier text, and a resident decided under one of them needs to read it (Awb
//   3:46). A table that must keep an old version out of sight should not be made public.
// - A case is decided by the version of that history valid on its date; the tables it requires must be in the
//   register themselves.
import { isPublic, selectVersion } from '../engine/index.ts';
import type { VersionMeta, VersionRecord } from '../store/records.ts';
import { today } from '../store/select.ts';
import type { Store } from '../store/store.ts';

export class Register {
  /** Parsed versions by the store's VersionMeta objects, which stay the same until the version list changes. */
  private readonly records = new WeakMap<VersionMeta, VersionRecord>();

  constructor(
    private readonly store: Store,
    /** Today's date in Amsterdam (the store's clock, so tests can move it). */
    private readonly todayIs: () => string = () => today(new Date(store.clockMs())),
  ) {}

  today(): string {
    return this.todayIs();
  }

  /** The version in force today of a table in the register, or null when the table is not in it. */
  inForce(tableId: string): VersionRecord | null {
    const versions = this.store.listVersions(tableId);
    if (versions.length === 0) return null;
    const v = selectVersion(versions, { date: this.today() });
    if (!v) return null;
    const record = this.record(v);
    return record && isPublic(record.table) ? record : null;
  }

  /** Every table in the register with its version in force, by id (the id starts with the domain). */
  tables(): VersionRecord[] {
    const out: VersionRecord[] = [];
    for (const id of this.store.tableIds()) {
      const record = this.inForce(id);
      if (record) out.push(record);
    }
    return out.sort((a, b) => a.tableId.localeCompare(b.tableId));
  }

  /** The versions the register shows of a table, newest first; null when the table is not in the register. */
  history(tableId: string): VersionMeta[] | null {
    if (!this.inForce(tableId)) return null;
    const day = this.today();
    return this.store
      .listVersions(tableId)
      .filter((v) => v.validFrom <= day || this.isPublicVersion(v))
      .sort((a, b) => b.version - a.version);
  }

  /** One version of a table's history, or null (not in the register, or not a version it shows). */
  version(tableId: string, version: number): VersionRecord | null {
    const shown = this.history(tableId)?.find((v) => v.version === version);
    return shown ? this.record(shown) : null;
  }

  /** The version of the history that decides a case on `date` (default today), or null when none is valid then. */
  versionOn(tableId: string, date?: string): VersionMeta | null {
    const history = this.history(tableId);
    if (!history) return null;
    return selectVersion(history, { date: date ?? this.today() }) ?? null;
  }

  private isPublicVersion(v: VersionMeta): boolean {
    const record = this.record(v);
    return record !== null && isPublic(record.table);
  }

  private record(v: VersionMeta): VersionRecord | null {
    let record = this.records.get(v) ?? null;
    if (!record) {
      record = this.store.getVersion(v.tableId, v.version);
      if (record) this.records.set(v, record);
    }
    return record;
  }
}

/** The domain of a table: the first segment of its id (`handhaving.spoed` → `handhaving`). */
export function domainOf(tableId: string): string {
  return tableId.split('.')[0]!;
}

/** When a version stops applying: the day before the next version of the history starts (none for the newest). */
export function validUntil(history: readonly VersionMeta[], v: VersionMeta): string | null {
  const later = history.filter((x) => x.validFrom > v.validFrom).sort((a, b) => a.validFrom.localeCompare(b.validFrom))[0];
  return later ? dayBefore(later.validFrom) : null;
}

/** The day before `yyyy-mm-dd`. */
export function dayBefore(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
