// The publish gate and the draft's way to a version (docs/architecture.md, docs/api.md): submit runs validation, static
// analysis and the fixtures and freezes the draft; the author may withdraw it; approve publishes the next version
// (and the draft's fixture changes); reject sends it back with a reason. Four-eyes is checked here, inside the
// transaction that approves or rejects (./four-eyes.ts), and both need the revision the reviewer looked at.
//
// The gate can take seconds (a large table, many fixture cases). It runs on a read snapshot, outside any write
// transaction, so other requests and other workers go on writing; then a short write transaction checks that the
// draft, the fixtures and the versions are still what the gate saw, and records the outcome.
import { analyzeTable, validateTable, type Finding } from '../engine/index.ts';
import { dateInAmsterdam } from '../engine/versions.ts';
import type { DecisionTable, Problem } from '../engine/types.ts';
import { contentHash } from './canonical.ts';
import { StoreError } from './errors.ts';
import type { Evaluator } from './evaluation.ts';
import { diffFixtures, changeSummary, fixtureChangesSinceVersion, fixturesFor, runSuite, type FixtureChangeRecord, type FixtureRunReport } from './fixtures.ts';
import { assertFourEyes } from './four-eyes.ts';
import { stripPublication, type DraftRecord, type DraftSubmission, type VersionMeta } from './records.ts';
import type { Store } from './store.ts';

export interface GateReport {
  ok: boolean;
  tableId: string;
  revision: number;
  validFrom: string;
  /** The content hash the version will have when this draft is published from validFrom. */
  hash: string;
  /** validFrom lies before today (Amsterdam): the change applies with retroactive effect (met terugwerkende kracht). */
  retroactive: boolean;
  /** Why the submission is blocked, one line each (empty when ok). */
  blocking: string[];
  /** What the approver should know but does not block. */
  warnings: string[];
  /** Problems of the table itself (paths into the table); any blocks. */
  validation: Problem[];
  analysis: {
    /** Findings of severity error (an exact UNIQUE overlap, an ANY conflict, a cell that does not parse): they block. */
    blocking: Finding[];
    /** Gaps, inexact overlaps, unreachable rules and other warnings. */
    warnings: Finding[];
    complete: boolean;
  };
  /** Every fixture case: dated on/after validFrom and undated ones against the draft, earlier ones against the version valid then. */
  fixtures: FixtureRunReport;
  /** Every change of the fixtures since the last version, inside the draft or beside it: who, by which route, why. */
  fixtureChanges: FixtureChangeRecord[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDate(s: string): boolean {
  return DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}

/** Problems of the table's `requires`: every required table must exist and have a version. */
function requiresProblems(store: Store, table: DecisionTable): Problem[] {
  return (table.requires ?? []).flatMap((req, i) =>
    store.listVersions(req).length > 0 ? [] : [{ path: `/requires/${i}`, message: `there is no published table '${req}' to require` }],
  );
}

/** The content hash of the draft as it would be published: version `version`, valid from `validFrom`. */
export function publicationHash(draft: DraftRecord, version: number, validFrom: string): string {
  return contentHash({ ...stripPublication(draft.table), version, validFrom });
}

/** What the gate depends on besides the draft: when any of it changes, its report no longer holds. */
async function gateInputs(store: Store, tableId: string, draft: DraftRecord): Promise<string> {
  const fixtures = await store.getFixtures(tableId);
  const versions = store.listVersions(tableId);
  const required = (draft.table.requires ?? []).map((r) => `${r}@${store.listVersions(r).length}`);
  return JSON.stringify([draft.revision, fixtures?.revision ?? 0, versions.at(-1)?.version ?? 0, required]);
}

/** Runs the gate on the stored draft as if it were published from `validFrom`. Changes nothing. */
export async function checkDraft(store: Store, evaluator: Evaluator, tableId: string, validFrom: string): Promise<GateReport> {
  return store.snapshot(async () => {
    const draft = await store.getDraft(tableId);
    if (!draft) throw new StoreError('DRAFT_NOT_FOUND', `table '${tableId}' has no draft to submit`);
    return await gate(store, evaluator, draft, validFrom);
  });
}

async function gate(store: Store, evaluator: Evaluator, draft: DraftRecord, validFrom: string): Promise<GateReport> {
  const tableId = draft.tableId;
  if (!isDate(validFrom)) throw new StoreError('INVALID_TABLE', `validFrom must be a date yyyy-mm-dd, not '${validFrom}'`, [{ path: '/validFrom', message: 'must be a date yyyy-mm-dd', code: 'DATE_FORMAT' }]);
  const table = { ...draft.table, validFrom } as DecisionTable;
  const blocking: string[] = [];
  const warnings: string[] = [];
  const retroactive = validFrom < dateInAmsterdam(new Date(store.now()));
  if (retroactive) warnings.push(`validFrom ${validFrom} lies in the past: the change applies with retroactive effect (met terugwerkende kracht) to cases dated from then on`);

  const validation = [...validateTable(table), ...requiresProblems(store, table)];
  for (const p of validation) blocking.push(`table ${p.path || '/'}: ${p.message}`);

  let analysis: GateReport['analysis'] = { blocking: [], warnings: [], complete: true };
  if (validation.length === 0) {
    const a = analyzeTable(table);
    analysis = {
      blocking: a.findings.filter((f) => f.severity === 'error'),
      warnings: a.findings.filter((f) => f.severity === 'warning'),
      complete: a.complete,
    };
    for (const f of analysis.blocking) blocking.push(`analysis (${f.kind}): ${f.message}`);
    for (const f of analysis.warnings) warnings.push(`analysis (${f.kind}): ${f.message}`);
    if (!a.complete) warnings.push('analysis: the table is too large to check every combination; some findings may be missing');
  }

  const newest = store.listVersions(tableId).at(-1);
  if (newest && validFrom < newest.validFrom) {
    warnings.push(`validFrom ${validFrom} is before version ${newest.version}'s ${newest.validFrom}: from then on version ${newest.version} still decides (it has the later validFrom)`);
  }

  const { set, source } = await fixturesFor(store, tableId, draft);
  const fixtures = runSuite(store, evaluator, tableId, set, { kind: 'draft', table: draft.table, validFrom }, source);
  for (const c of fixtures.cases) {
    if (c.pass) continue;
    const against = c.ranAgainst === 'draft' ? 'the draft' : c.ranAgainst !== undefined ? `version ${c.ranAgainst}` : 'no table';
    blocking.push(`fixture '${c.name}'${c.date ? ` (${c.date})` : ''} fails against ${against}: ${c.message ?? 'failed'}`);
  }
  if (fixtures.cases.length === 0) warnings.push('the table has no fixture cases: nothing shows that earlier decisions stay the same');
  const unreached = fixtures.coverage.find((c) => c.version === undefined)?.unreached ?? [];
  if (unreached.length > 0) warnings.push(`no fixture case reaches rule${unreached.length === 1 ? '' : 's'} ${unreached.join(', ')} of the draft`);

  const fixtureChanges = await fixtureChangesSinceVersion(store, tableId);
  for (const c of fixtureChanges.filter((x) => x.into === 'table' && x.route !== 'beslis import')) {
    const cases = [...c.changed.map((x) => x.name), ...c.added, ...c.removed];
    warnings.push(`the table's fixtures were changed beside the draft by ${c.actor} (${c.route}, ${c.at}${cases.length ? `: ${cases.join(', ')}` : ''}): ${c.reason}`);
  }
  const next = (store.listVersions(tableId).at(-1)?.version ?? 0) + 1;
  return {
    ok: blocking.length === 0,
    tableId,
    revision: draft.revision,
    validFrom,
    hash: publicationHash(draft, next, validFrom),
    retroactive,
    blocking,
    warnings,
    validation,
    analysis,
    fixtures,
    fixtureChanges,
  };
}

function blockedError(report: GateReport, verb: string): StoreError {
  return new StoreError(
    'SUBMISSION_BLOCKED',
    `the draft of ${report.tableId} cannot be ${verb}: ${report.blocking.length} problem${report.blocking.length === 1 ? '' : 's'}; first: ${report.blocking[0]}`,
    report.blocking.map((message, i) => ({ path: `/blocking/${i}`, message })),
    { report },
  );
}

function assertRevision(draft: DraftRecord, expected: number | undefined, verb: string): void {
  if (expected === undefined) {
    throw new StoreError(
      'PRECONDITION_REQUIRED',
      `say which revision of the draft of ${draft.tableId} you reviewed: {"revision": N} in the body or If-Match: N; only that revision is ${verb}`,
      [{ path: '/revision', message: 'is required', code: 'REQUIRED' }],
      { revision: draft.revision },
    );
  }
  if (expected !== draft.revision) {
    throw new StoreError('STALE_REVISION', `the draft of ${draft.tableId} is at revision ${draft.revision}, not ${expected}: it changed after you looked at it; review it again`, [], {
      revision: draft.revision,
    });
  }
}

async function requireDraft(store: Store, tableId: string, verb: string): Promise<DraftRecord> {
  const draft = await store.getDraft(tableId);
  if (!draft) throw new StoreError('DRAFT_NOT_FOUND', `table '${tableId}' has no draft to ${verb}`);
  return draft;
}

function requireSubmitted(draft: DraftRecord, verb: string): void {
  if (draft.status !== 'submitted' || !draft.validFrom) {
    throw new StoreError('DRAFT_STATE', `the draft of ${draft.tableId} is not submitted: only a submitted draft can be ${verb}`);
  }
}

/**
 * The gate on a read snapshot, then `write` in a short write transaction, provided nothing the gate depended on
 * changed meanwhile (otherwise STALE_REVISION: run it again).
 */
async function gatedWrite<T>(
  store: Store,
  evaluator: Evaluator,
  tableId: string,
  validFrom: (d: DraftRecord) => string,
  check: (d: DraftRecord) => Promise<void> | void,
  write: (d: DraftRecord, report: GateReport) => Promise<T>,
): Promise<T> {
  const { report, inputs } = await store.snapshot(async () => {
    const draft = await requireDraft(store, tableId, 'check');
    await check(draft);
    return { report: await gate(store, evaluator, draft, validFrom(draft)), inputs: await gateInputs(store, tableId, draft) };
  });
  return store.transaction(async () => {
    const draft = await store.getDraft(tableId);
    // Gone while the checks ran: approved (or discarded) by someone else, on this node or another. A conflict, as a
    // stale revision is: what the caller looked at is no longer there to act on.
    if (!draft) {
      throw new StoreError('STALE_REVISION', `the draft of ${tableId} was published or discarded by someone else while the checks ran: reload the table`, [], { revision: 0 });
    }
    await check(draft);
    if ((await gateInputs(store, tableId, draft)) !== inputs) {
      throw new StoreError('STALE_REVISION', `the draft of ${tableId}, its fixtures or its versions changed while the checks ran: try again`, [], { revision: draft.revision });
    }
    return write(draft, report);
  });
}

/**
 * Submits the draft for approval from `validFrom`: the gate must pass (otherwise SUBMISSION_BLOCKED with the report).
 * `expectedRevision` (If-Match) makes sure the submitted draft is the one the author looked at. A validFrom before
 * today needs `retroactiveReason`. The draft is then frozen (DRAFT_SUBMITTED) until approved, rejected or withdrawn.
 */
export async function submitDraft(
  store: Store,
  evaluator: Evaluator,
  tableId: string,
  req: { validFrom: string; note: string; retroactiveReason?: string },
  actor: string,
  expectedRevision?: number,
): Promise<{ report: GateReport; draft: DraftRecord }> {
  const check = (draft: DraftRecord) => {
    if (expectedRevision !== undefined && expectedRevision !== draft.revision) assertRevision(draft, expectedRevision, 'submitted');
    if (draft.status === 'submitted') {
      throw new StoreError('DRAFT_SUBMITTED', `the draft of ${tableId} is already submitted (by ${draft.submittedBy} on ${draft.submittedAt}); withdraw it to change it`, [], { revision: draft.revision });
    }
  };
  return gatedWrite(store, evaluator, tableId, () => req.validFrom, check, async (draft, report) => {
    if (!report.ok) throw blockedError(report, 'submitted');
    const reason = req.retroactiveReason?.trim() ?? '';
    if (report.retroactive && reason === '') {
      throw new StoreError(
        'SUBMISSION_BLOCKED',
        `validFrom ${req.validFrom} lies in the past: a change with retroactive effect (met terugwerkende kracht) needs a reason (retroactiveReason)`,
        [{ path: '/retroactiveReason', message: 'is required when validFrom lies in the past', code: 'RETROACTIVE_REASON' }],
        { report },
      );
    }
    const submission: DraftSubmission = {
      warnings: report.warnings,
      fixtures: { cases: report.fixtures.totals.cases, passed: report.fixtures.totals.passed, source: report.fixtures.source },
      ...(report.retroactive ? { retroactiveReason: reason } : {}),
    };
    const submitted = await store.markDraftSubmitted(tableId, draft.revision, { validFrom: req.validFrom, note: req.note, actor, submission });
    await store.appendAudit({
      actor,
      action: 'draft.submitted',
      tableId,
      version: null,
      detail: { revision: submitted.revision, validFrom: req.validFrom, note: req.note, hash: report.hash, ...submission },
    });
    return { report: { ...report, revision: submitted.revision }, draft: submitted };
  });
}

/** The author takes a submitted draft back to change it (a new revision: an approval of the submission no longer applies). */
export async function withdrawDraft(store: Store, tableId: string, actor: string, expectedRevision?: number): Promise<DraftRecord> {
  return store.transaction(async () => {
    const draft = await requireDraft(store, tableId, 'withdraw');
    requireSubmitted(draft, 'withdrawn');
    if (expectedRevision !== undefined) assertRevision(draft, expectedRevision, 'withdrawn');
    const authors = new Set([...(await store.draftEditors(tableId)), draft.createdBy, draft.updatedBy, draft.submittedBy]);
    if (!authors.has(actor)) {
      throw new StoreError('FORBIDDEN', `only an author of the draft of ${tableId} (${[...authors].filter(Boolean).join(', ')}) may withdraw it; an approver rejects it instead`);
    }
    const withdrawn = await store.markDraftEditing(tableId, draft.revision, { withdrawn: true });
    await store.appendAudit({ actor, action: 'draft.withdrawn', tableId, version: null, detail: { revision: withdrawn.revision, submittedRevision: draft.revision } });
    return withdrawn;
  });
}

/** Discards the draft (not while it is submitted): the table returns to its newest version, or goes when it has none. */
export async function discardDraft(store: Store, tableId: string, actor: string, expectedRevision: number): Promise<{ removedTable: boolean }> {
  return store.transaction(async () => {
    const draft = await requireDraft(store, tableId, 'discard');
    if (draft.status === 'submitted') {
      throw new StoreError('DRAFT_SUBMITTED', `the draft of ${tableId} is submitted: withdraw it before discarding it`, [], { revision: draft.revision });
    }
    assertRevision(draft, expectedRevision, 'discarded');
    const removedTable = store.listVersions(tableId).length === 0;
    if (removedTable) (await store.removeUnpublishedTable(tableId));
    else (await store.removeDraft(tableId));
    await store.appendAudit({ actor, action: 'draft.discarded', tableId, version: null, detail: { revision: draft.revision, hash: contentHash(draft.table), ...(removedTable ? { tableRemoved: true } : {}) } });
    return { removedTable };
  });
}

/** A comment on the draft (the thread between author and approver), audited. */
export async function commentOnDraft(store: Store, tableId: string, text: string, actor: string) {
  const body = text.trim();
  if (body === '') throw new StoreError('INVALID_TABLE', 'a comment needs text', [{ path: '/text', message: 'must not be empty', code: 'REQUIRED' }]);
  return store.transaction(async () => {
    const draft = await requireDraft(store, tableId, 'comment on');
    const comment = await store.addDraftComment(tableId, draft.revision, actor, body);
    await store.appendAudit({ actor, action: 'draft.commented', tableId, version: null, detail: { revision: draft.revision, comment: comment.id, text: body } });
    return comment;
  });
}

export interface ApprovalResult {
  version: VersionMeta;
  report: GateReport;
  /** The revision that was reviewed and published. */
  revision: number;
}

/**
 * Publishes the submitted draft as the next version (validFrom and note as submitted; author: who submitted it;
 * approvedBy: `actor`), provided `expectedRevision` is the submitted revision the approver reviewed (PRECONDITION_REQUIRED
 * without it, STALE_REVISION when it moved on) and `actor` passes four-eyes. The gate runs again, with the fixtures as
 * they will be published (the table's fixtures may have changed since the submission); the draft's own fixture set
 * becomes the table's.
 */
export async function approveDraft(store: Store, evaluator: Evaluator, tableId: string, actor: string, expectedRevision: number | undefined): Promise<ApprovalResult> {
  const check = async (draft: DraftRecord) => {
    requireSubmitted(draft, 'approved');
    assertRevision(draft, expectedRevision, 'approved');
    await assertFourEyes(store, draft, actor, 'approve');
  };
  return gatedWrite(store, evaluator, tableId, (d) => d.validFrom!, check, async (draft, report) => {
    if (!report.ok) throw blockedError(report, 'approved');
    // Read inside the write transaction, not from the catalogue: two approvals can never both take this number.
    const next = Number((await store.value<number | null>('SELECT MAX(version) FROM versions WHERE table_id = ?', tableId)) ?? 0) + 1;
    const version = await store.insertVersion(
      {
        tableId,
        table: draft.table,
        version: next,
        validFrom: draft.validFrom!,
        author: draft.submittedBy ?? draft.updatedBy,
        approvedBy: actor,
        note: draft.note,
      },
      actor,
    );
    const fixtureChanges = draft.fixtures ? diffFixtures((await store.getFixtures(tableId))?.fixtures ?? null, draft.fixtures) : null;
    if (draft.fixtures) await store.putFixtures(tableId, draft.fixtures, actor, undefined, 'fixtures.approved');
    await store.removeDraft(tableId);
    await store.appendAudit({
      actor,
      action: 'draft.approved',
      tableId,
      version: next,
      detail: {
        revision: draft.revision,
        validFrom: draft.validFrom,
        author: version.author,
        note: draft.note,
        hash: version.hash,
        ...(fixtureChanges ? { fixtures: changeSummary(fixtureChanges) } : {}),
      },
    });
    return { version, report, revision: draft.revision };
  });
}

/** Sends a submitted draft back to its authors with a reason; the draft stays (status editing) and shows the reason. */
export async function rejectDraft(store: Store, tableId: string, reason: string, actor: string, expectedRevision: number | undefined): Promise<DraftRecord> {
  if (reason.trim() === '') throw new StoreError('DRAFT_STATE', 'say why the draft is rejected (reason)', [{ path: '/reason', message: 'must not be empty', code: 'REQUIRED' }]);
  return store.transaction(async () => {
    const draft = await requireDraft(store, tableId, 'reject');
    requireSubmitted(draft, 'rejected');
    assertRevision(draft, expectedRevision, 'rejected');
    await assertFourEyes(store, draft, actor, 'reject');
    const rejected = await store.markDraftEditing(tableId, draft.revision, { rejectedBy: actor, reason: reason.trim() });
    await store.appendAudit({
      actor,
      action: 'draft.rejected',
      tableId,
      version: null,
      detail: { revision: draft.revision, reason: reason.trim(), submittedBy: draft.submittedBy, validFrom: draft.validFrom },
    });
    return rejected;
  });
}
