// Which tables the Algoritmeregister export describes, read from the store: only public ones (isPublic on the
// version in force today), and one entry per decision. A decision is a public table with the tables its `requires`
// chain decides first: that chain is what runs for one case, so it is one algorithm in the register's sense (one
// entry per algorithm, described by its input, working and output). A domain (handhaving.*) is not: it holds
// separate decisions with their own inputs and outcomes (a deadline, an intervention), each registered on its own.
// A public table that another public table requires is described inside that decision's entry, not twice.
import { dateInAmsterdam, isPublic, selectVersion } from '../engine/index.ts';
import type { Store } from '../store/store.ts';
import { registerDocument, type RegisterDocument, type RegisterSettings, type TableInForce } from './export.ts';

/** At most this many entries in one export (the register's own bulk upload is per organisation, a few hundred at most). */
export const MAX_ENTRIES = 500;

export type ExportErrorCode = 'TABLE_NOT_FOUND' | 'NOT_FOUND' | 'NO_VALID_VERSION' | 'NOT_PUBLIC' | 'LIMIT_EXCEEDED' | 'INVALID_SETTING';

/** A refused export; `code` maps to an HTTP status in server/api/errors.ts and to exit code 1 on the command line. */
export class RegisterExportError extends Error {
  constructor(
    readonly code: ExportErrorCode,
    message: string,
    readonly details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'RegisterExportError';
  }
}

function today(store: Store): string {
  return dateInAmsterdam(new Date(store.clockMs()));
}

function inForce(store: Store, id: string, date: string): TableInForce | null {
  const versions = store.listVersions(id);
  const chosen = selectVersion(versions, { date });
  if (!chosen) return null;
  const record = store.getVersion(id, chosen.version)!;
  return { table: record.table, hash: record.hash, firstValidFrom: versions.reduce((min, v) => (v.validFrom < min ? v.validFrom : min), chosen.validFrom) };
}

function publicInForce(store: Store, id: string, date: string): TableInForce | null {
  const t = inForce(store, id, date);
  return t && isPublic(t.table) ? t : null;
}

/**
 * The decision of table `id` as a chain, required tables first. Every table in it must be public: publishing how a
 * decision is made publishes the tables it depends on, so a non-public one refuses the export, named.
 */
function chainOf(store: Store, id: string, date: string): TableInForce[] {
  const out: TableInForce[] = [];
  const seen = new Set<string>();
  const visit = (tableId: string, requiredBy: string | null) => {
    if (seen.has(tableId)) return;
    seen.add(tableId);
    const why = requiredBy ? ` (table '${requiredBy}' requires it)` : '';
    if (!store.tableExists(tableId)) throw new RegisterExportError('TABLE_NOT_FOUND', `unknown table '${tableId}'${why}`);
    const t = inForce(store, tableId, date);
    if (!t) throw new RegisterExportError('NO_VALID_VERSION', `table '${tableId}'${why} has no version in force on ${date}, so it is in no public register`);
    if (!isPublic(t.table)) {
      throw new RegisterExportError(
        'NOT_PUBLIC',
        `table '${tableId}'${why} is not public: only a table whose version in force has meta.public true goes into the Algoritmeregister`,
        [{ path: `/tables/${tableId}/meta/public`, message: 'must be true on the version in force' }],
      );
    }
    for (const r of t.table.requires ?? []) visit(r, tableId);
    out.push(t);
  };
  visit(id, null);
  return out;
}

/** The export of one table's decision. */
export function exportTable(store: Store, id: string, settings: RegisterSettings): RegisterDocument {
  const date = today(store);
  return registerDocument([chainOf(store, id, date)], settings, date);
}

/**
 * The export of every public decision, or (with `domain`) of those whose own table is in that domain. A table
 * required by another public table is part of that one's entry.
 */
export function exportPublic(store: Store, settings: RegisterSettings, domain?: string, limit = MAX_ENTRIES): RegisterDocument {
  const date = today(store);
  const all = store.tableIds();
  const publicIds = all.filter((id) => publicInForce(store, id, date) !== null);
  const required = new Set(publicIds.flatMap((id) => publicInForce(store, id, date)!.table.requires ?? []));
  let decisions = publicIds.filter((id) => !required.has(id));
  if (domain !== undefined) {
    const inDomain = all.filter((id) => id.startsWith(`${domain}.`));
    if (inDomain.length === 0) throw new RegisterExportError('NOT_FOUND', `no table is in the domain '${domain}'`);
    decisions = decisions.filter((id) => id.startsWith(`${domain}.`));
    if (decisions.length === 0) {
      throw new RegisterExportError('NOT_PUBLIC', `none of the ${inDomain.length} tables of the domain '${domain}' is a public decision (meta.public true on the version in force)`);
    }
  }
  if (decisions.length > limit) throw new RegisterExportError('LIMIT_EXCEEDED', `${decisions.length} public decisions is more than the ${limit} one export holds: export per domain`);
  return registerDocument(decisions.map((id) => chainOf(store, id, date)), settings, date);
}
