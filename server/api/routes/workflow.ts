// The draft's way to a version (DESIGN §6, issue 5): check and submit (the publish gate), approve (four-eyes,
// publishes the next version and the draft's fixture changes), reject (back to the authors, with a reason).
import { Router } from 'express';
import { approveDraft, checkDraft, rejectDraft, submitDraft } from '../../store/workflow.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { assertMayApprove, assertMayReject } from '../four-eyes.ts';
import { checkRequest, ifMatch, requireTable } from './fixtures.ts';

type Schema = Record<string, unknown>;

export const WORKFLOW_SCHEMAS = {
  SubmitRequest: {
    type: 'object',
    required: ['validFrom', 'note'],
    additionalProperties: false,
    properties: {
      validFrom: { type: 'string', format: 'date', description: 'The date the new version takes effect (yyyy-mm-dd)' },
      note: { type: 'string', description: 'What changes and why, for the approver and the version history' },
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
    properties: { note: { type: 'string', description: 'Ignored unless given: the approver may add a remark to the audit trail' } },
  },
  RejectRequest: {
    type: 'object',
    required: ['reason'],
    additionalProperties: false,
    properties: { reason: { type: 'string', minLength: 1, pattern: '\\S' } },
  },
} satisfies Record<string, Schema>;

export function workflowRouter(ctx: ApiContext): Router {
  const { store, evaluator } = ctx;
  const r = Router();
  const edit = authorize(ctx.access, 'edit');
  const approve = authorize(ctx.access, 'approve');

  /** The draft's table compiles and analyses within the budget, checked off the request thread (or TABLE_TOO_COSTLY). */
  const withinBudget = async (id: string) => {
    const draft = store.getDraft(id);
    if (draft) await ctx.checker.assertWithinBudget(draft.table);
  };

  // The gate without submitting: what submit would say (always 200; `ok` tells).
  r.post('/tables/:id/draft/check', edit, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(WORKFLOW_SCHEMAS.CheckRequest, req.body);
    await withinBudget(id);
    res.json(checkDraft(store, evaluator, id, (req.body as { validFrom: string }).validFrom));
  });

  r.post('/tables/:id/draft/submit', edit, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(WORKFLOW_SCHEMAS.SubmitRequest, req.body);
    await withinBudget(id);
    const body = req.body as { validFrom: string; note: string };
    const { report, draft } = submitDraft(store, evaluator, id, body, req.actor.name, ifMatch(req, false));
    res.set('ETag', `"${draft.revision}"`).json({
      tableId: id,
      status: draft.status,
      revision: draft.revision,
      validFrom: draft.validFrom,
      note: draft.note,
      submittedAt: draft.submittedAt,
      submittedBy: draft.submittedBy,
      report,
    });
  });

  r.post('/tables/:id/draft/approve', approve, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(WORKFLOW_SCHEMAS.ApproveRequest, req.body ?? {});
    const expected = ifMatch(req, false);
    await withinBudget(id);
    // Four-eyes inside the transaction that publishes: a save landing in between cannot slip through.
    const { version, report } = store.transaction(() => {
      assertMayApprove(store, id, req.actor);
      return approveDraft(store, evaluator, id, req.actor.name, expected);
    });
    res.status(201).location(`/api/tables/${encodeURIComponent(id)}/versions/${version.version}`).json({ ...version, report });
  });

  r.post('/tables/:id/draft/reject', approve, (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(WORKFLOW_SCHEMAS.RejectRequest, req.body);
    const expected = ifMatch(req, false);
    const draft = store.transaction(() => {
      assertMayReject(store, id, req.actor);
      return rejectDraft(store, id, (req.body as { reason: string }).reason, req.actor.name, expected);
    });
    res.json({ tableId: id, status: draft.status, revision: draft.revision, rejectedBy: req.actor.name, reason: (req.body as { reason: string }).reason.trim() });
  });

  return r;
}

const json = (schema: Schema) => ({ 'application/json': { schema } });
const err = (description: string) => ({ description, content: json({ $ref: '#/components/schemas/Error' }) });
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventiematrix' };
const ifMatchHeader = { name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'the draft revision you reviewed (optional)' };
const gate = 'Validation, static analysis (an error such as an exact UNIQUE overlap blocks; gaps warn) and every fixture case dated on/after validFrom and every undated case against the draft; earlier cases against the version valid then.';

export const WORKFLOW_PATHS: Record<string, Schema> = {
  '/api/tables/{id}/draft/check': {
    post: {
      tags: ['drafts'],
      summary: 'Run the publish gate without submitting',
      description: gate,
      parameters: [id],
      requestBody: { required: true, content: json(WORKFLOW_SCHEMAS.CheckRequest) },
      responses: { '200': { description: 'The gate report ({ok, blocking, warnings, validation, analysis, fixtures})', content: json({ type: 'object' }) }, '404': err('Unknown table or no draft') },
    },
  },
  '/api/tables/{id}/draft/submit': {
    post: {
      tags: ['drafts'],
      summary: 'Submit the draft for approval (the publish gate)',
      description: gate,
      parameters: [id, ifMatchHeader],
      requestBody: { required: true, content: json(WORKFLOW_SCHEMAS.SubmitRequest) },
      responses: {
        '200': { description: 'Submitted, with the gate report', content: json({ type: 'object' }) },
        '400': err('Invalid request'),
        '404': err('Unknown table or no draft'),
        '409': err('Already submitted, or a stale revision'),
        '422': err('SUBMISSION_BLOCKED: error.report says which checks and fixture cases fail, and why'),
      },
    },
  },
  '/api/tables/{id}/draft/approve': {
    post: {
      tags: ['drafts'],
      summary: "Approve: publish the next version (and the draft's fixture changes); never by someone who edited or submitted the draft",
      parameters: [id, ifMatchHeader],
      requestBody: { required: false, content: json(WORKFLOW_SCHEMAS.ApproveRequest) },
      responses: {
        '201': { description: 'The published version', content: json({ $ref: '#/components/schemas/VersionMeta' }) },
        '403': err('FOUR_EYES: the approver edited or submitted the draft'),
        '404': err('Unknown table or no draft'),
        '409': err('Not submitted, or a stale revision'),
        '422': err('SUBMISSION_BLOCKED: the gate fails now'),
      },
    },
  },
  '/api/tables/{id}/draft/reject': {
    post: {
      tags: ['drafts'],
      summary: 'Reject the submitted draft with a reason (it returns to editing)',
      parameters: [id, ifMatchHeader],
      requestBody: { required: true, content: json(WORKFLOW_SCHEMAS.RejectRequest) },
      responses: { '200': { description: 'Rejected', content: json({ type: 'object' }) }, '403': err('FOUR_EYES'), '404': err('Unknown table or no draft'), '409': err('Not submitted') },
    },
  },
};
