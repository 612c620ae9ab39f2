// The draft's way to a version (docs/api.md): check and submit (the publish gate; the draft is then
// frozen), withdraw (the author takes it back), approve (four-eyes, checked by the store; publishes the next version
// and the draft's fixture changes), reject (back to the authors, with a reason), discard, and the comment thread.
// Approve and reject name the revision the reviewer looked at: {"revision": N} or If-Match: N.
import { Router, type Request } from 'express';
import { approveDraft, checkDraft, commentOnDraft, discardDraft, rejectDraft, submitDraft, withdrawDraft } from '../../store/workflow.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../openapi-parts.ts';
import { checkRequest, ifMatch, requireTable } from './fixtures.ts';

type Schema = Record<string, unknown>;

const REVISION = { type: 'integer', minimum: 1, description: 'The draft revision you reviewed (or send If-Match: N)' };

export const WORKFLOW_SCHEMAS = {
  SubmitRequest: {
    type: 'object',
    required: ['validFrom', 'note'],
    additionalProperties: false,
    properties: {
      validFrom: { type: 'string', format: 'date', description: 'The date the new version takes effect (yyyy-mm-dd)' },
      note: { type: 'string', description: 'What changes and why, for the approver and the version history' },
      retroactiveReason: { type: 'string', description: 'Required when validFrom lies in the past (met terugwerkende kracht): why the change applies to earlier cases' },
    },
  },
  CheckRequest: {
    type: 'object',
    required: ['validFrom'],
    additionalProperties: false,
    properties: { validFrom: { type: 'string', format: 'date' } },
  },
  ApproveRequest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      revision: REVISION,
      note: { type: 'string', description: 'Ignored unless given: the approver may add a remark to the audit trail' },
    },
  },
  RejectRequest: {
    type: 'object',
    required: ['reason'],
    additionalProperties: false,
    properties: { reason: { type: 'string', minLength: 1, pattern: '\\S' }, revision: REVISION },
  },
  WithdrawRequest: {
    type: 'object',
    additionalProperties: false,
    properties: { revision: { ...REVISION, description: 'The submitted revision (optional)' } },
  },
  CommentRequest: {
    type: 'object',
    required: ['text'],
    additionalProperties: false,
    properties: { text: { type: 'string', minLength: 1, maxLength: 10000, pattern: '\\S' } },
  },
} satisfies Record<string, Schema>;

/** The reviewed revision: `revision` in the body or If-Match (both given: they must agree). */
function reviewedRevision(req: Request): number | undefined {
  const header = ifMatch(req, false);
  const body = (req.body as { revision?: number } | undefined)?.revision;
  if (header !== undefined && body !== undefined && header !== body) {
    throw new ApiError('INVALID_REQUEST', `If-Match (${header}) and revision (${body}) name different revisions`, [{ path: '/revision', message: 'must equal If-Match' }]);
  }
  return body ?? header;
}

export function workflowRouter(ctx: ApiContext): Router {
  const { store, evaluator } = ctx;
  const r = Router();
  const read = authorize(ctx.access, 'read');
  const edit = authorize(ctx.access, 'edit');
  const approve = authorize(ctx.access, 'approve');
  const review = authorize(ctx.access, 'review');

  /** The draft's table compiles and analyses within the budget, checked off the request thread (or TABLE_TOO_COSTLY). */
  const withinBudget = async (id: string) => {
    const draft = (await store.getDraft(id));
    if (draft) await ctx.checker.assertWithinBudget(draft.table);
  };

  // The gate without submitting: what submit would say (always 200; `ok` tells).
  r.post('/tables/:id/draft/check', edit, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(WORKFLOW_SCHEMAS.CheckRequest, req.body);
    await withinBudget(id);
    res.json((await checkDraft(store, evaluator, id, (req.body as { validFrom: string }).validFrom)));
  });

  r.post('/tables/:id/draft/submit', edit, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(WORKFLOW_SCHEMAS.SubmitRequest, req.body);
    await withinBudget(id);
    const body = req.body as { validFrom: string; note: string; retroactiveReason?: string };
    const { report, draft } = (await submitDraft(store, evaluator, id, body, req.actor.name, ifMatch(req, false)));
    res.set('ETag', `"${draft.revision}"`).json({
      tableId: id,
      status: draft.status,
      revision: draft.revision,
      validFrom: draft.validFrom,
      note: draft.note,
      submittedAt: draft.submittedAt,
      submittedBy: draft.submittedBy,
      submission: draft.submission,
      report,
    });
  });

  r.post('/tables/:id/draft/withdraw', edit, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(WORKFLOW_SCHEMAS.WithdrawRequest, req.body ?? {});
    const draft = (await withdrawDraft(store, id, req.actor.name, reviewedRevision(req)));
    res.set('ETag', `"${draft.revision}"`).json({ tableId: id, status: draft.status, revision: draft.revision, withdrawnBy: req.actor.name });
  });

  r.delete('/tables/:id/draft', edit, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const { removedTable } = (await discardDraft(store, id, req.actor.name, ifMatch(req, true)!));
    res.json({ tableId: id, discarded: true, tableRemoved: removedTable });
  });

  r.post('/tables/:id/draft/approve', approve, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(WORKFLOW_SCHEMAS.ApproveRequest, req.body ?? {});
    const expected = reviewedRevision(req);
    await withinBudget(id);
    // Four-eyes and the revision are checked by the store, inside the transaction that publishes.
    const { version, report, revision } = (await approveDraft(store, evaluator, id, req.actor.name, expected));
    res.status(201).location(`/api/v1/tables/${encodeURIComponent(id)}/versions/${version.version}`).json({ ...version, revision, report });
  });

  r.post('/tables/:id/draft/reject', approve, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(WORKFLOW_SCHEMAS.RejectRequest, req.body);
    const draft = (await rejectDraft(store, id, (req.body as { reason: string }).reason, req.actor.name, reviewedRevision(req)));
    res.json({ tableId: id, status: draft.status, revision: draft.revision, rejectedBy: draft.rejectedBy, rejectedAt: draft.rejectedAt, reason: draft.rejectionReason });
  });

  r.get('/tables/:id/draft/comments', read, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    res.json({ tableId: id, comments: (await store.draftComments(id)) });
  });

  // Whoever takes part in the review may comment: the authors and the approvers.
  r.post('/tables/:id/draft/comments', review, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(WORKFLOW_SCHEMAS.CommentRequest, req.body);
    const comment = (await commentOnDraft(store, id, (req.body as { text: string }).text, req.actor.name));
    res.status(201).json(comment);
  });

  return r;
}

const json = (schema: Schema) => ({ 'application/json': { schema } });
const err = errorResponse;
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventiematrix' };
const ifMatchHeader = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'the draft revision (for approve and reject: the one you reviewed, unless the body names it)' };
const gate = 'Validation, static analysis (an error such as an exact UNIQUE overlap blocks; gaps warn) and every fixture case dated on/after validFrom and every undated case against the draft; earlier cases against the version valid then.';

export const WORKFLOW_PATHS: Record<string, Schema> = {
  '/api/v1/tables/{id}/draft/check': {
    post: {
      tags: ['drafts'],
      summary: 'Run the publish gate without submitting',
      description: gate,
      parameters: [id],
      requestBody: { required: true, content: json(WORKFLOW_SCHEMAS.CheckRequest) },
      responses: { '200': { description: 'The gate report ({ok, blocking, warnings, validation, analysis, fixtures})', content: json({ type: 'object' }) }, '404': err('Unknown table or no draft') },
    },
  },
  '/api/v1/tables/{id}/draft/submit': {
    post: {
      tags: ['drafts'],
      summary: 'Submit the draft for approval (the publish gate)',
      description: gate,
      parameters: [id, ifMatchHeader],
      requestBody: { required: true, content: json(WORKFLOW_SCHEMAS.SubmitRequest) },
      responses: {
        '200': { description: 'Submitted (a new revision), with the gate report; the draft is frozen until approved, rejected or withdrawn', content: json({ type: 'object' }) },
        '400': err('Invalid request'),
        '404': err('Unknown table or no draft'),
        '409': err('DRAFT_SUBMITTED (already submitted), or a stale revision'),
        '422': err('SUBMISSION_BLOCKED: error.report says which checks and fixture cases fail, and why'),
      },
    },
  },
  '/api/v1/tables/{id}/draft/approve': {
    post: {
      tags: ['drafts'],
      summary: "Approve: publish the next version (and the draft's fixture changes); never by someone who edited or submitted the draft",
      description:
        'Name the revision you reviewed ({"revision": N} or If-Match: N): without it 428, when the draft moved on 409. Refused (403 FOUR_EYES, the reason named) when the approver edited, submitted or changed the fixtures of the draft, or when their account was created, or its password or roles last set, by someone who did. The gate runs again with the fixtures as they will be published. The answer names the revision and the content hash published.',
      parameters: [id, ifMatchHeader],
      requestBody: { required: false, content: json(WORKFLOW_SCHEMAS.ApproveRequest) },
      responses: {
        '201': { description: 'The published version, with the revision approved and the gate report', content: json({ $ref: '#/components/schemas/VersionMeta' }) },
        '403': err('FOUR_EYES: the approver edited or submitted the draft, or their account was set up by someone who did'),
        '404': err('Unknown table or no draft'),
        '409': err('Not submitted, or a stale revision'),
        '422': err('SUBMISSION_BLOCKED: the gate fails now'),
        '428': err('PRECONDITION_REQUIRED: the reviewed revision is missing'),
      },
    },
  },
  '/api/v1/tables/{id}/draft/withdraw': {
    post: {
      tags: ['drafts'],
      summary: 'Take a submitted draft back to change it (an author of the draft); a new revision',
      parameters: [id, ifMatchHeader],
      requestBody: { required: false, content: json(WORKFLOW_SCHEMAS.WithdrawRequest) },
      responses: { '200': { description: 'Withdrawn: {status: editing, revision}', content: json({ type: 'object' }) }, '403': err('Not an author of the draft'), '404': err('Unknown table or no draft'), '409': err('Not submitted, or a stale revision') },
    },
  },
  '/api/v1/tables/{id}/draft/comments': {
    get: {
      tags: ['drafts'],
      summary: 'The comment thread of the draft, oldest first',
      parameters: [id],
      responses: { '200': { description: '{comments: [{id, revision, at, author, text}]}', content: json({ type: 'object' }) }, '404': err('Unknown table') },
    },
    post: {
      tags: ['drafts'],
      summary: 'Comment on the draft (editors and approvers; audited)',
      parameters: [id],
      requestBody: { required: true, content: json(WORKFLOW_SCHEMAS.CommentRequest) },
      responses: { '201': { description: 'The comment', content: json({ type: 'object' }) }, '400': err('Empty text'), '403': err('Neither editor nor approver'), '404': err('Unknown table or no draft') },
    },
  },
  '/api/v1/tables/{id}/draft/reject': {
    post: {
      tags: ['drafts'],
      summary: 'Reject the submitted draft with a reason (it returns to editing)',
      description: 'Name the revision you reviewed (revision in the body or If-Match). The reason is shown to the authors with the draft.',
      parameters: [id, ifMatchHeader],
      requestBody: { required: true, content: json(WORKFLOW_SCHEMAS.RejectRequest) },
      responses: { '200': { description: 'Rejected', content: json({ type: 'object' }) }, '403': err('FOUR_EYES'), '404': err('Unknown table or no draft'), '409': err('Not submitted, or a stale revision'), '428': err('The reviewed revision is missing') },
    },
  },
};
