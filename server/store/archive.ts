// Archiving a table (docs/api.md, "Archiving"): an advisor asks for "archive from DATE", a second person approves it
// (four-eyes, as for a draft: ./four-eyes.ts), and the table then answers no case dated on or after DATE, while
// earlier dates keep their version: history stays reproducible. The approved archive is a mark in the table's
// timeline (table_archives, immutable); which version or archive answers a date is decided in one place,
// server/engine/versions.ts (archiveInForce). A later version valid from the archive date or after revives the table.
// A request is its own record beside the draft, so archiving never disturbs a draft being edited.
import { archiveInForce } from '../engine/versions.ts';
import { StoreError } from './errors.ts';
import { assertSecondPerson } from './four-eyes.ts';
import type { ArchiveRecord, ArchiveRequest } from './records.ts';
import { today } from './select.ts';
import type { Store } from './store.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The longest note on an archive request. */
export const MAX_ARCHIVE_NOTE = 10_000;

interface RequestRow {
  id: number;
  table_id: string;
  valid_from: string;
  note: string;
  requested_at: string;
  requested_by: string;
}

export async function getArchiveRequest(store: Store, tableId: string): Promise<ArchiveRequest | null> {
  const r = (await store.get('SELECT * FROM archive_requests WHERE table_id = ?', tableId)) as RequestRow | undefined;
  return r ? { id: r.id, tableId: r.table_id, validFrom: r.valid_from, note: r.note, requestedAt: r.requested_at, requestedBy: r.requested_by } : null;
}

/** The archive in force today (or on `date`), if any: the table then answers no case of that date. */
export function archivedOn(store: Store, tableId: string, date?: string): ArchiveRecord | undefined {
  const mark = archiveInForce(store.listVersions(tableId), store.listArchives(tableId), date ? { date } : {}, new Date(store.clockMs()));
  return mark as ArchiveRecord | undefined;
}

/**
 * The archive that ends the table's timeline now or later: the newest mark no version begins on or after. Undefined
 * when the table is not (being) archived.
 */
export function pendingOrActiveArchive(store: Store, tableId: string): ArchiveRecord | undefined {
  const last = store.listArchives(tableId).at(-1);
  if (!last) return undefined;
  const revived = store.listVersions(tableId).some((v) => v.validFrom > last.validFrom || (v.validFrom === last.validFrom && v.publishedAt > last.publishedAt));
  return revived ? undefined : last;
}

function isDate(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

function requireTable(store: Store, tableId: string): void {
  if (!store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
}

async function requireRequest(store: Store, tableId: string, verb: string): Promise<ArchiveRequest> {
  const request = await getArchiveRequest(store, tableId);
  if (!request) throw new StoreError('ARCHIVE_REQUEST_NOT_FOUND', `table '${tableId}' has no archive request to ${verb}`);
  return request;
}

function assertRequestRevision(request: ArchiveRequest, expected: number | undefined, verb: string): void {
  if (expected === undefined) {
    throw new StoreError(
      'PRECONDITION_REQUIRED',
      `say which archive request of ${request.tableId} you reviewed: {"revision": ${request.id}}; only that request is ${verb}`,
      [{ path: '/revision', message: 'is required', code: 'REQUIRED' }],
      { revision: request.id },
    );
  }
  if (expected !== request.id) {
    throw new StoreError('STALE_REVISION', `the archive request of ${request.tableId} is revision ${request.id}, not ${expected}: it was replaced after you looked at it; review it again`, [], {
      revision: request.id,
    });
  }
}

/**
 * Asks to archive the table from `validFrom` (today or later: decisions already given stay as they were). Refused
 * when the table has no version, is archived already, has a request pending, or a version begins on or after the date.
 */
export async function requestArchive(store: Store, tableId: string, req: { validFrom: string; note: string }, actor: string): Promise<ArchiveRequest> {
  const note = req.note.trim();
  if (!isDate(req.validFrom)) throw new StoreError('INVALID_TABLE', `validFrom must be a date yyyy-mm-dd, not '${req.validFrom}'`, [{ path: '/validFrom', message: 'must be a date yyyy-mm-dd', code: 'DATE_FORMAT' }]);
  if (note === '') throw new StoreError('INVALID_TABLE', 'say why the table is archived (note)', [{ path: '/note', message: 'must not be empty', code: 'REQUIRED' }]);
  if (note.length > MAX_ARCHIVE_NOTE) throw new StoreError('INVALID_TABLE', `the note is longer than ${MAX_ARCHIVE_NOTE} characters`, [{ path: '/note', message: `at most ${MAX_ARCHIVE_NOTE} characters`, code: 'TOO_LONG', params: { limit: MAX_ARCHIVE_NOTE } }]);
  return store.transaction(async () => {
    requireTable(store, tableId);
    const versions = store.listVersions(tableId);
    const newest = versions.reduce<(typeof versions)[number] | undefined>((a, v) => (!a || v.validFrom > a.validFrom ? v : a), undefined);
    if (!newest) throw new StoreError('NO_VALID_VERSION', `table '${tableId}' has no published version: discard its draft instead of archiving it`);
    const now = today(new Date(store.clockMs()));
    if (req.validFrom < now) {
      throw new StoreError('INVALID_TABLE', `an archive takes effect today (${now}) or later, not on ${req.validFrom}: decisions already given for earlier dates would no longer be reproducible`, [
        { path: '/validFrom', message: `must be ${now} or later`, code: 'DATE_FROM', params: { date: now } },
      ]);
    }
    if (req.validFrom <= newest.validFrom) {
      throw new StoreError('INVALID_TABLE', `version ${newest.version} begins on ${newest.validFrom}: an archive must begin after it`, [{ path: '/validFrom', message: `must be after ${newest.validFrom}`, code: 'DATE_AFTER_VERSION', params: { date: newest.validFrom, version: newest.version } }]);
    }
    const active = pendingOrActiveArchive(store, tableId);
    if (active) throw new StoreError('ARCHIVED', `table '${tableId}' is archived from ${active.validFrom} already (approved by ${active.approvedBy})`, [], { archivedFrom: active.validFrom });
    const pending = await getArchiveRequest(store, tableId);
    if (pending) {
      throw new StoreError('ARCHIVE_REQUESTED', `an archive of '${tableId}' from ${pending.validFrom} is already waiting for approval (asked by ${pending.requestedBy})`, [], { revision: pending.id });
    }
    await store.run('INSERT INTO archive_requests (table_id, valid_from, note, requested_at, requested_by) VALUES (?, ?, ?, ?, ?)', tableId, req.validFrom, note, store.now(), actor);
    const request = (await getArchiveRequest(store, tableId))!;
    await store.appendAudit({ actor, action: 'archive.requested', tableId, version: null, detail: { revision: request.id, validFrom: request.validFrom, note } });
    return request;
  });
}

/** A second person approves the request they reviewed (`expectedRevision`): the table is archived from its date. */
export async function approveArchive(store: Store, tableId: string, actor: string, expectedRevision: number | undefined): Promise<ArchiveRecord> {
  return store.transaction(async () => {
    requireTable(store, tableId);
    const request = await requireRequest(store, tableId, 'approve');
    assertRequestRevision(request, expectedRevision, 'approved');
    await assertSecondPerson(store, tableId, [request.requestedBy], actor, 'approve', `the archive request of ${tableId}`, 'asked for it');
    const archive = await store.insertArchive({ tableId, validFrom: request.validFrom, requestedBy: request.requestedBy, approvedBy: actor, note: request.note });
    await store.run('DELETE FROM archive_requests WHERE id = ?', request.id);
    await store.appendAudit({
      actor,
      action: 'archive.approved',
      tableId,
      version: null,
      detail: { revision: request.id, validFrom: request.validFrom, requestedBy: request.requestedBy, note: request.note },
    });
    return archive;
  });
}

/** A second person refuses the request, with a reason (audited); the table stays as it was. */
export async function rejectArchive(store: Store, tableId: string, reason: string, actor: string, expectedRevision: number | undefined): Promise<ArchiveRequest> {
  if (reason.trim() === '') throw new StoreError('DRAFT_STATE', 'say why the archive request is rejected (reason)', [{ path: '/reason', message: 'must not be empty', code: 'REQUIRED' }]);
  return store.transaction(async () => {
    requireTable(store, tableId);
    const request = await requireRequest(store, tableId, 'reject');
    assertRequestRevision(request, expectedRevision, 'rejected');
    await assertSecondPerson(store, tableId, [request.requestedBy], actor, 'reject', `the archive request of ${tableId}`, 'asked for it');
    await store.run('DELETE FROM archive_requests WHERE id = ?', request.id);
    await store.appendAudit({ actor, action: 'archive.rejected', tableId, version: null, detail: { revision: request.id, validFrom: request.validFrom, requestedBy: request.requestedBy, reason: reason.trim() } });
    return request;
  });
}

/** The one who asked takes the request back (audited). */
export async function withdrawArchive(store: Store, tableId: string, actor: string): Promise<ArchiveRequest> {
  return store.transaction(async () => {
    requireTable(store, tableId);
    const request = await requireRequest(store, tableId, 'withdraw');
    if (request.requestedBy !== actor) throw new StoreError('FORBIDDEN', `only ${request.requestedBy}, who asked for it, may withdraw the archive request of ${tableId}; an approver rejects it instead`);
    await store.run('DELETE FROM archive_requests WHERE id = ?', request.id);
    await store.appendAudit({ actor, action: 'archive.withdrawn', tableId, version: null, detail: { revision: request.id, validFrom: request.validFrom } });
    return request;
  });
}
