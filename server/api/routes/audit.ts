// GET /api/audit?table=&after=&limit= (DESIGN §6, admin and approver): the audit trail, oldest first, in pages.
import { Router } from 'express';
import { listAudit } from '../../store/audit.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { assertValid } from '../schemas.ts';

export const AUDIT_PAGE_DEFAULT = 500;

export function auditRouter(ctx: ApiContext): Router {
  const r = Router();
  r.get('/audit', authorize(ctx.access, 'audit'), (req, res) => {
    assertValid('AuditQuery', { ...req.query }, 'the query');
    const q = req.query as { table?: string; after?: string; limit?: string };
    const limit = q.limit === undefined ? AUDIT_PAGE_DEFAULT : Number(q.limit);
    const entries = listAudit(ctx.store.db, { tableId: q.table, after: q.after === undefined ? undefined : Number(q.after), limit });
    const last = entries.at(-1);
    res.json({ entries, next: entries.length === limit && last ? last.id : null });
  });
  return r;
}
