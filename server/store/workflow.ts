// The publish gate and the draft's way to a version (DESIGN §5–§7, issue 5): submit runs validation, static analysis
// and the fixtures; approve publishes the next version (and the draft's fixture changes); reject sends the draft back.
// Four-eyes (who may approve) is the access-control work's: the API calls server/api/four-eyes.ts inside the
// transaction that approves or rejects.
import { analyzeTable, validateTable, type Finding } from '../engine/index.ts';
import type { DecisionTable, Problem } from '../engine/types.ts';
import { StoreError } from './errors.ts';
import type { Evaluator } from './evaluation.ts';
import { diffFixtures, changeSummary, fixturesFor, runSuite, type FixtureRunReport } from './fixtures.ts';
import type { DraftRecord, VersionMeta } from './records.ts';
import type { Store } from './store.ts';

export interface GateReport {
  ok: boolean;
  tableId: string;
  revision: number;
  validFrom: string;
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

/** Runs the gate on the stored draft as if it were published from `validFrom`. Changes nothing. */
export function checkDraft(store: Store, evaluator: Evaluator, tableId: string, validFrom: string): GateReport {
  const draft = store.getDraft(tableId);
  if (!draft) throw new StoreError('DRAFT_NOT_FOUND', `table '${tableId}' has no draft to submit`);
  if (!isDate(validFrom)) throw new StoreError('INVALID_TABLE', `validFrom must be a date yyyy-mm-dd, not '${validFrom}'`, [{ path: '/validFrom', message: 'must be a date yyyy-mm-dd' }]);
  const table = { ...draft.table, validFrom } as DecisionTable;
  const blocking: string[] = [];
  const warnings: string[] = [];

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

  const { set, source } = fixturesFor(store, tableId, draft);
  const fixtures = runSuite(store, evaluator, tableId, set, { kind: 'draft', table: draft.table, validFrom }, source);
  for (const c of fixtures.cases) {
    if (c.pass) continue;
    const against = c.ranAgainst === 'draft' ? 'the draft' : c.ranAgainst !== undefined ? `version ${c.ranAgainst}` : 'no table';
    blocking.push(`fixture '${c.name}'${c.date ? ` (${c.date})` : ''} fails against ${against}: ${c.message ?? 'failed'}`);
  }
  if (fixtures.cases.length === 0) warnings.push('the table has no fixture cases: nothing shows that earlier decisions stay the same');
  const unreached = fixtures.coverage.find((c) => c.version === undefined)?.unreached ?? [];
  if (unreached.length > 0) warnings.push(`no fixture case reaches rule${unreached.length === 1 ? '' : 's'} ${unreached.join(', ')} of the draft`);

  return { ok: blocking.length === 0, tableId, revision: draft.revision, validFrom, blocking, warnings, validation, analysis, fixtures };
}

function blockedError(report: GateReport, verb: string): StoreError {
  return new StoreError(
    'SUBMISSION_BLOCKED',
    `the draft of ${report.tableId} cannot be ${verb}: ${report.blocking.length} problem${report.blocking.length === 1 ? '' : 's'}; first: ${report.blocking[0]}`,
    report.blocking.map((message, i) => ({ path: `/blocking/${i}`, message })),
    { report },
  );
}

function assertRevision(draft: DraftRecord, expected: number | undefined): void {
  if (expected !== undefined && expected !== draft.revision) {
    throw new StoreError('STALE_REVISION', `the draft of ${draft.tableId} is at revision ${draft.revision}, not ${expected}: it changed after you looked at it`, [], {
      revision: draft.revision,
    });
  }
}

/**
 * Submits the draft for approval from `validFrom`: the gate must pass (otherwise SUBMISSION_BLOCKED with the report).
 * `expectedRevision` (If-Match) makes sure the submitted draft is the one the author looked at.
 */
export function submitDraft(
  store: Store,
  evaluator: Evaluator,
  tableId: string,
  req: { validFrom: string; note: string },
  actor: string,
  expectedRevision?: number,
): { report: GateReport; draft: DraftRecord } {
  return store.transaction(() => {
    const draft = store.getDraft(tableId);
    if (!draft) throw new StoreError('DRAFT_NOT_FOUND', `table '${tableId}' has no draft to submit`);
    assertRevision(draft, expectedRevision);
    if (draft.status === 'submitted') {
      throw new StoreError('DRAFT_STATE', `the draft of ${tableId} is already submitted (by ${draft.submittedBy} on ${draft.submittedAt}); approve or reject it, or save a change to edit it again`);
    }
    const report = checkDraft(store, evaluator, tableId, req.validFrom);
    if (!report.ok) throw blockedError(report, 'submitted');
    const now = store.now();
    store.db
      .prepare(
        `UPDATE drafts SET status = 'submitted', valid_from = ?, note = ?, submitted_at = ?, submitted_by = ? WHERE table_id = ? AND revision = ?`,
      )
      .run(req.validFrom, req.note, now, actor, tableId, draft.revision);
    store.db.prepare('INSERT OR IGNORE INTO draft_editors (table_id, actor) VALUES (?, ?)').run(tableId, actor);
    store.appendAudit({
      actor,
      action: 'draft.submitted',
      tableId,
      version: null,
      detail: {
        revision: draft.revision,
        validFrom: req.validFrom,
        note: req.note,
        fixtures: { cases: report.fixtures.totals.cases, passed: report.fixtures.totals.passed, source: report.fixtures.source },
        warnings: report.warnings,
      },
    });
    return { report, draft: store.getDraft(tableId)! };
  });
}

/**
 * Publishes the submitted draft as the next version (validFrom and note as submitted; author: who submitted it;
 * approvedBy: `actor`). The gate runs again (the table's fixtures may have changed since the submission); the draft's
 * own fixture set becomes the table's. The caller checks four-eyes inside the same transaction.
 */
export function approveDraft(store: Store, evaluator: Evaluator, tableId: string, actor: string, expectedRevision?: number): { version: VersionMeta; report: GateReport } {
  return store.transaction(() => {
    const draft = store.getDraft(tableId);
    if (!draft) throw new StoreError('DRAFT_NOT_FOUND', `table '${tableId}' has no draft to approve`);
    assertRevision(draft, expectedRevision);
    if (draft.status !== 'submitted' || !draft.validFrom) {
      throw new StoreError('DRAFT_STATE', `the draft of ${tableId} is not submitted: only a submitted draft can be approved`);
    }
    const report = checkDraft(store, evaluator, tableId, draft.validFrom);
    if (!report.ok) throw blockedError(report, 'approved');
    const next = (store.listVersions(tableId).at(-1)?.version ?? 0) + 1;
    const version = store.insertVersion(
      {
        tableId,
        table: draft.table,
        version: next,
        validFrom: draft.validFrom,
        author: draft.submittedBy ?? draft.updatedBy,
        approvedBy: actor,
        note: draft.note,
      },
      actor,
    );
    const fixtureChanges = draft.fixtures ? diffFixtures(store.getFixtures(tableId)?.fixtures ?? null, draft.fixtures) : null;
    if (draft.fixtures) store.putFixtures(tableId, draft.fixtures, actor, undefined, 'fixtures.approved');
    store.db.prepare('DELETE FROM drafts WHERE table_id = ?').run(tableId);
    store.db.prepare('DELETE FROM draft_editors WHERE table_id = ?').run(tableId);
    store.appendAudit({
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
    return { version, report };
  });
}

/** Sends a submitted draft back to its authors with a reason; the draft stays (status editing). */
export function rejectDraft(store: Store, tableId: string, reason: string, actor: string, expectedRevision?: number): DraftRecord {
  if (reason.trim() === '') throw new StoreError('DRAFT_STATE', 'say why the draft is rejected (reason)', [{ path: '/reason', message: 'must not be empty' }]);
  return store.transaction(() => {
    const draft = store.getDraft(tableId);
    if (!draft) throw new StoreError('DRAFT_NOT_FOUND', `table '${tableId}' has no draft to reject`);
    assertRevision(draft, expectedRevision);
    if (draft.status !== 'submitted') throw new StoreError('DRAFT_STATE', `the draft of ${tableId} is not submitted: only a submitted draft can be rejected`);
    store.db.prepare(`UPDATE drafts SET status = 'editing', submitted_at = NULL, submitted_by = NULL WHERE table_id = ?`).run(tableId);
    store.appendAudit({
      actor,
      action: 'draft.rejected',
      tableId,
      version: null,
      detail: { revision: draft.revision, reason: reason.trim(), submittedBy: draft.submittedBy, validFrom: draft.validFrom },
    });
    return store.getDraft(tableId)!;
  });
}
