// Tables, versions, drafts and diffs (docs/contracts.md).
import { Router, type Response } from 'express';
import type { DecisionTable, Problem } from '../../engine/types.ts';
import { archivedOn, getArchiveRequest, pendingOrActiveArchive } from '../../store/archive.ts';
import { diffTables } from '../../store/diff.ts';
import { StoreError } from '../../store/errors.ts';
import { draftFixtureDiff, fixtureChangesSinceVersion } from '../../store/fixtures.ts';
import { selectVersion } from '../../store/select.ts';
import { publicationHash } from '../../store/workflow.ts';
import { stripPublication, type DraftRecord } from '../../store/records.ts';
import type { Store } from '../../store/store.ts';
import type { TableChecker } from '../../store/table-check.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { assertValid } from '../schemas.ts';
import { requiresCycle } from '../stored-tables.ts';

function versionNumber(raw: string, what = 'version'): number {
  if (!/^[1-9][0-9]{0,8}$/.test(raw)) {
    throw new ApiError('INVALID_PARAMETER', `the ${what} must be a whole number from 1 up, not '${raw}'`, [{ path: `/${what}`, message: 'must be a positive integer' }]);
  }
  return Number(raw);
}

function requireTable(store: Store, id: string): void {
  if (!store.tableExists(id)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${id}'`);
}

/** The draft as the API shows it: the stored one, or (revision 0) one based on the newest version. */
async function draftView(store: Store, id: string) {
  const d = (await store.getDraft(id));
  if (d) return (await draftBody(store, d));
  const newest = store.newestVersion(id);
  if (!newest) throw new StoreError('DRAFT_NOT_FOUND', `table '${id}' has neither a draft nor a version`);
  return {
    tableId: id,
    revision: 0,
    status: 'none',
    table: stripPublication(newest.table),
    baseVersion: newest.version,
    createdAt: null,
    createdBy: null,
    updatedAt: null,
    updatedBy: null,
    editors: [] as string[],
  };
}

async function draftBody(store: Store, d: DraftRecord) {
  const next = (store.listVersions(d.tableId).at(-1)?.version ?? 0) + 1;
  return {
    tableId: d.tableId,
    revision: d.revision,
    status: d.status,
    table: d.table,
    baseVersion: d.baseVersion,
    validFrom: d.validFrom,
    note: d.note,
    createdAt: d.createdAt,
    createdBy: d.createdBy,
    updatedAt: d.updatedAt,
    updatedBy: d.updatedBy,
    submittedAt: d.submittedAt,
    submittedBy: d.submittedBy,
    // What the reviewer approves: this revision, published as version `next` with this content hash.
    publication: d.status === 'submitted' && d.validFrom ? { version: next, validFrom: d.validFrom, hash: publicationHash(d, next, d.validFrom) } : null,
    submission: d.submission,
    rejection: d.rejectedAt ? { at: d.rejectedAt, by: d.rejectedBy, reason: d.rejectionReason } : null,
    comments: (await store.draftComments(d.tableId)),
    fixtureChanges: (await fixtureChangesSinceVersion(store, d.tableId)),
    editors: (await store.draftEditors(d.tableId)),
  };
}

function sendDraft(res: Response, body: { revision: number }, status = 200): void {
  res.status(status).set('ETag', `"${body.revision}"`).json(body);
}

/** The revision from `If-Match: 3`, `"3"` or `W/"3"`. */
function ifMatchRevision(header: string | undefined): number {
  if (header === undefined || header.trim() === '') {
    throw new ApiError('PRECONDITION_REQUIRED', 'send If-Match with the revision you edited (0 when there is no stored draft yet), so no save overwrites another silently');
  }
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw new ApiError('INVALID_REQUEST', `If-Match must be a draft revision number, not '${header}'`, [{ path: '/headers/if-match', message: 'must be a revision number' }]);
  return Number(m[1]);
}

/**
 * Checks a table before it is stored: the engine's problems (paths under `/table`), the id, and the tables it
 * requires (they must exist; no cycle through the newest content of the other tables).
 */
async function checkTable(store: Store, checker: TableChecker, table: unknown, id: string | null): Promise<DecisionTable> {
  // Compiling an untrusted table runs in the checker's worker thread, within its time budget.
  const problems: Problem[] = (await checker.problems(table)).map((p) => ({ ...p, path: `/table${p.path}` }));
  const t = table as DecisionTable;
  if (id !== null && t && typeof t === 'object' && t.id !== id) problems.push({ path: '/table/id', message: `must be '${id}', the table in the URL` });
  if (problems.length === 0 && t.requires) {
    t.requires.forEach((req, i) => {
      if (!store.tableExists(req)) problems.push({ path: `/table/requires/${i}`, message: `there is no table '${req}'` });
    });
    const cycle = (await requiresCycle(store, new Map([[t.id, t]]), t.id));
    if (cycle) problems.push({ path: '/table/requires', message: `the tables would require each other in a cycle: ${cycle.join(' → ')}` });
  }
  if (problems.length > 0) {
    throw new ApiError(
      'INVALID_TABLE',
      problems.length === 1 ? `the table is not valid: ${problems[0]!.path}: ${problems[0]!.message}` : `the table is not valid (${problems.length} problems)`,
      problems,
    );
  }
  return t;
}

async function summary(store: Store, id: string) {
  const versions = store.listVersions(id);
  // An archive in force today means no version is valid today (server/engine/versions.ts archiveInForce).
  const archivedToday = archivedOn(store, id);
  const current = archivedToday ? undefined : selectVersion(versions, {});
  const archive = pendingOrActiveArchive(store, id);
  const request = (await getArchiveRequest(store, id));
  const latest = versions.at(-1);
  const draft = (await store.getDraft(id));
  const shown = (current && store.getVersion(id, current.version)?.table) ?? (latest && store.getVersion(id, latest.version)?.table) ?? draft?.table;
  return {
    id,
    title: shown?.title ?? id,
    owner: shown?.meta?.owner ?? null,
    currentVersion: current?.version ?? null,
    validFrom: current?.validFrom ?? null,
    latestVersion: latest?.version ?? null,
    reviewBy: shown?.meta?.reviewBy ?? null,
    draft: draft
      ? {
          revision: draft.revision,
          status: draft.status,
          updatedAt: draft.updatedAt,
          updatedBy: draft.updatedBy,
          submittedAt: draft.submittedAt,
          submittedBy: draft.submittedBy,
          validFrom: draft.status === 'submitted' ? draft.validFrom : null,
          editors: (await store.draftEditors(id)),
          rejection: draft.rejectedAt ? { at: draft.rejectedAt, by: draft.rejectedBy, reason: draft.rejectionReason } : null,
        }
      : null,
    archive: archive
      ? { validFrom: archive.validFrom, inForce: archivedToday !== undefined, publishedAt: archive.publishedAt, requestedBy: archive.requestedBy, approvedBy: archive.approvedBy, note: archive.note }
      : null,
    archiveRequest: request ? { revision: request.id, validFrom: request.validFrom, note: request.note, requestedAt: request.requestedAt, requestedBy: request.requestedBy } : null,
    _table: shown,
  };
}

export function tablesRouter(ctx: ApiContext): Router {
  const { store } = ctx;
  const r = Router();
  const read = authorize(ctx.access, 'read');
  const edit = authorize(ctx.access, 'edit');

  r.get('/tables', read, async (_req, res) => {
    const tables = [];
    for (const id of store.tableIds()) {
      const { _table, ...s } = await summary(store, id);
      tables.push(s);
    }
    res.json({ tables });
  });

  r.post('/tables', edit, async (req, res) => {
    assertValid('CreateTableRequest', req.body);
    const table = await checkTable(store, ctx.checker, stripPublication((req.body as { table: DecisionTable }).table), null);
    const draft = (await store.createTable(table, req.actor.name));
    res.location(`/api/v1/tables/${encodeURIComponent(table.id)}/draft`);
    sendDraft(res, (await draftBody(store, draft)), 201);
  });

  r.get('/tables/:id', read, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const { _table, ...s } = (await summary(store, id));
    res.json({
      ...s,
      description: _table?.description ?? null,
      requires: _table?.requires ?? [],
      versions: store.listVersions(id).map(({ tableId: _t, ...v }) => v),
    });
  });

  r.get('/tables/:id/versions', read, (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    res.json({ tableId: id, versions: store.listVersions(id).map(({ tableId: _t, ...v }) => v) });
  });

  r.get('/tables/:id/versions/:n', read, (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const n = versionNumber(req.params.n as string);
    const v = store.getVersion(id, n);
    if (!v) throw new StoreError('VERSION_NOT_FOUND', `table '${id}' has no version ${n}`);
    res.set('ETag', `"${v.hash}"`).json(v.table);
  });

  r.get('/tables/:id/versions/:n/input-schema', read, (req, res) => {
    const id = req.params.id as string;
    const meta = ctx.evaluator.resolve(id, { version: versionNumber(req.params.n as string) });
    res.json(ctx.evaluator.inputSchemaOf(meta));
  });

  r.get('/tables/:id/draft', read, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    sendDraft(res, (await draftView(store, id)));
  });

  r.put('/tables/:id/draft', edit, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const expected = ifMatchRevision(req.get('If-Match'));
    assertValid('SaveDraftRequest', req.body);
    const table = await checkTable(store, ctx.checker, stripPublication((req.body as { table: DecisionTable }).table), id);
    const before = (await store.getDraft(id))?.table ?? store.newestVersion(id)?.table;
    const change = before ? diffTables(before, table).summary : undefined;
    const saved = (await store.saveDraft(id, table, expected, req.actor.name, change ? { change } : undefined));
    sendDraft(res, (await draftBody(store, saved)));
  });

  r.get('/tables/:id/diff', read, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    assertValid('DiffQuery', { ...req.query }, 'the query');
    const q = req.query as { from?: string; to?: string };
    const side = async (which: string) => {
      if (which === 'draft') {
        const d = (await draftView(store, id));
        return { ref: { version: 'draft' as const, revision: d.revision }, table: d.table };
      }
      const n = versionNumber(which);
      const v = store.getVersion(id, n);
      if (!v) throw new StoreError('VERSION_NOT_FOUND', `table '${id}' has no version ${n}`);
      return { ref: { version: n, hash: v.hash }, table: v.table };
    };
    const newest = store.listVersions(id).at(-1);
    const fromKey = q.from ?? (newest ? String(newest.version) : 'draft');
    const toKey = q.to ?? 'draft';
    const a = await side(fromKey);
    const b = await side(toKey);
    // Toward the draft, the diff also shows what approving changes in the fixtures (intended outcome changes, with reasons).
    const fixtures = toKey === 'draft' && fromKey !== 'draft' ? (await draftFixtureDiff(store, id)) : null;
    res.json({ tableId: id, from: a.ref, to: b.ref, ...diffTables(a.table, b.table), fixtures });
  });

  return r;
}
