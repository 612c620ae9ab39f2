// GET /api/v1/audit?table=&after=&before=&order=&limit= (admin and approver): the audit trail in pages,
// oldest first (or newest first with order=desc, as the editor's admin screen shows it); GET /api/v1/audit/verify
// checks the hash chain as `beslis audit verify` does.
import { Router } from 'express';
import { listAudit, verifyAudit } from '../../store/audit.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { assertValid } from '../schemas.ts';

export const AUDIT_PAGE_DEFAULT = 500;

export function auditRouter(ctx: ApiContext): Router {
  const r = Router();
  r.get('/audit', authorize(ctx.access, 'audit'), async (req, res) => {
    assertValid('AuditQuery', { ...req.query }, 'the query');
    const q = req.query as { table?: string; after?: string; before?: string; order?: 'asc' | 'desc'; limit?: string };
    const limit = q.limit === undefined ? AUDIT_PAGE_DEFAULT : Number(q.limit);
    const entries = (await listAudit(ctx.store.sql, {
      tableId: q.table,
      after: q.after === undefined ? undefined : Number(q.after),
      before: q.before === undefined ? undefined : Number(q.before),
      newestFirst: q.order === 'desc',
      limit,
    }));
    const last = entries.at(-1);
    // `next` is the `after` of the next page, or with order=desc its `before`.
    res.json({ entries, next: entries.length === limit && last ? last.id : null });
  });
  r.get('/audit/verify', authorize(ctx.access, 'audit'), async (_req, res) => {
    res.json((await verifyAudit(ctx.store.sql, ctx.store.auditKey)));
  });
  return r;
}
