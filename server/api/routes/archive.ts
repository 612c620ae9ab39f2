// Archiving a table with four-eyes (docs/api.md, "Archiving"): an editor asks "archive from DATE", an approver who
// did not ask approves or rejects the request they reviewed ({"revision": N}), the one who asked may withdraw it.
// The store checks four-eyes and the revision inside the transaction (server/store/archive.ts).
import { Router } from 'express';
import { approveArchive, getArchiveRequest, pendingOrActiveArchive, rejectArchive, requestArchive, withdrawArchive } from '../../store/archive.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { errorResponse } from '../openapi-parts.ts';
import { checkRequest, requireTable } from './fixtures.ts';

type Schema = Record<string, unknown>;

const REVISION = { type: 'integer', minimum: 1, description: 'The archive request you reviewed (its revision, from GET …/archive)' };

export const ARCHIVE_SCHEMAS = {
  ArchiveRequest: {
    type: 'object',
    required: ['validFrom', 'note'],
    additionalProperties: false,
    properties: {
      validFrom: { type: 'string', format: 'date', description: 'The first case date the table no longer answers (today or later, after the newest version begins)' },
      note: { type: 'string', minLength: 1, maxLength: 10000, pattern: '\\S', description: 'Why the table is archived, for the approver and the audit trail' },
    },
  },
  ArchiveApproval: { type: 'object', additionalProperties: false, properties: { revision: REVISION } },
  ArchiveRejection: {
    type: 'object',
    required: ['reason'],
    additionalProperties: false,
    properties: { reason: { type: 'string', minLength: 1, maxLength: 10000, pattern: '\\S' }, revision: REVISION },
  },
} satisfies Record<string, Schema>;

export function archiveRouter(ctx: ApiContext): Router {
  const { store } = ctx;
  const r = Router();
  const read = authorize(ctx.access, 'read');
  const edit = authorize(ctx.access, 'edit');
  const approve = authorize(ctx.access, 'approve');

  r.get('/tables/:id/archive', read, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const request = (await getArchiveRequest(store, id));
    res.json({ tableId: id, archive: pendingOrActiveArchive(store, id) ?? null, archives: store.listArchives(id), request: request ? { ...request, revision: request.id } : null });
  });

  r.post('/tables/:id/archive', edit, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(ARCHIVE_SCHEMAS.ArchiveRequest, req.body);
    const request = (await requestArchive(store, id, req.body as { validFrom: string; note: string }, req.actor.name));
    res.status(201).json({ ...request, revision: request.id });
  });

  r.post('/tables/:id/archive/approve', approve, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(ARCHIVE_SCHEMAS.ArchiveApproval, req.body ?? {});
    const archive = (await approveArchive(store, id, req.actor.name, (req.body as { revision?: number } | undefined)?.revision));
    res.status(201).json(archive);
  });

  r.post('/tables/:id/archive/reject', approve, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    checkRequest(ARCHIVE_SCHEMAS.ArchiveRejection, req.body);
    const body = req.body as { reason: string; revision?: number };
    const request = (await rejectArchive(store, id, body.reason, req.actor.name, body.revision));
    res.json({ tableId: id, rejected: request.id, rejectedBy: req.actor.name, reason: body.reason.trim() });
  });

  r.post('/tables/:id/archive/withdraw', edit, async (req, res) => {
    const id = req.params.id as string;
    requireTable(store, id);
    const request = (await withdrawArchive(store, id, req.actor.name));
    res.json({ tableId: id, withdrawn: request.id });
  });

  return r;
}

const json = (schema: Schema) => ({ 'application/json': { schema } });
const err = errorResponse;
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventiematrix' };
const four = 'Four-eyes as for a draft: never by the person who asked, nor by an account they created or whose password or roles they last set (403 FOUR_EYES). Name the request you reviewed: without revision 428, a replaced request 409.';

export const ARCHIVE_PATHS: Record<string, Schema> = {
  '/api/v1/tables/{id}/archive': {
    get: {
      tags: ['tables'],
      summary: 'The archive that ends the table (if any), every archive mark, and a pending request',
      parameters: [id],
      responses: { '200': { description: '{archive, archives, request}', content: json({ type: 'object' }) }, '404': err('Unknown table') },
    },
    post: {
      tags: ['tables'],
      summary: 'Ask to archive the table from a date (an approver must approve it)',
      description:
        'From validFrom on, evaluate answers 404 TABLE_ARCHIVED for cases dated on or after it; earlier dates keep their version. validFrom is today or later and after the newest version begins. A version valid from the archive date or later revives the table.',
      parameters: [id],
      requestBody: { required: true, content: json(ARCHIVE_SCHEMAS.ArchiveRequest) },
      responses: {
        '201': { description: 'The request, with the revision an approver names', content: json({ type: 'object' }) },
        '400': err('Invalid request'),
        '404': err('Unknown table, or no published version'),
        '409': err('ARCHIVED (archived already) or ARCHIVE_REQUESTED (a request is pending)'),
        '422': err('validFrom lies in the past or not after the newest version'),
      },
    },
  },
  '/api/v1/tables/{id}/archive/approve': {
    post: {
      tags: ['tables'],
      summary: 'Approve the archive request: the table is archived from its date',
      description: four,
      parameters: [id],
      requestBody: { required: false, content: json(ARCHIVE_SCHEMAS.ArchiveApproval) },
      responses: {
        '201': { description: 'The archive mark {id, validFrom, publishedAt, requestedBy, approvedBy, note}', content: json({ type: 'object' }) },
        '403': err('FOUR_EYES'),
        '404': err('Unknown table or no request'),
        '409': err('A replaced request'),
        '428': err('The reviewed revision is missing'),
      },
    },
  },
  '/api/v1/tables/{id}/archive/reject': {
    post: {
      tags: ['tables'],
      summary: 'Reject the archive request with a reason (the table stays as it is)',
      description: four,
      parameters: [id],
      requestBody: { required: true, content: json(ARCHIVE_SCHEMAS.ArchiveRejection) },
      responses: { '200': { description: 'Rejected', content: json({ type: 'object' }) }, '400': err('Empty reason'), '403': err('FOUR_EYES'), '404': err('Unknown table or no request'), '409': err('A replaced request'), '428': err('The reviewed revision is missing') },
    },
  },
  '/api/v1/tables/{id}/archive/withdraw': {
    post: {
      tags: ['tables'],
      summary: 'Take back your own archive request',
      parameters: [id],
      responses: { '200': { description: 'Withdrawn', content: json({ type: 'object' }) }, '403': err('Not the one who asked'), '404': err('Unknown table or no request') },
    },
  },
};
