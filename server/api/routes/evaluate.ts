// POST /api/evaluate/:tableId and /batch (DESIGN §6).
import { Router } from 'express';
import type { Selection } from '../../store/select.ts';
import { StoreError } from '../../store/errors.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { toErrorResponse } from '../errors.ts';
import { assertValid, check } from '../schemas.ts';

interface EvaluateBody extends Selection {
  input: Record<string, unknown>;
  trace?: boolean;
}

interface BatchBody extends Selection {
  cases: unknown[];
  trace?: boolean;
}

export function evaluateRouter(ctx: ApiContext): Router {
  const r = Router();
  const allowed = authorize(ctx.access, 'evaluate');
  const metrics = ctx.metrics ?? null;

  r.post('/evaluate/:tableId', allowed, (req, res) => {
    assertValid('EvaluateRequest', req.body);
    const body = req.body as EvaluateBody;
    const decision = ctx.evaluator.evaluate(req.params.tableId as string, {
      input: body.input,
      date: body.date,
      asOf: body.asOf,
      version: body.version,
      trace: body.trace,
      caller: req.actor.name,
    });
    metrics?.evaluated(decision.tableId, decision.version);
    res.json(decision);
  });

  r.post('/evaluate/:tableId/batch', allowed, (req, res) => {
    assertValid('BatchRequest', req.body);
    const body = req.body as BatchBody;
    const tableId = req.params.tableId as string;
    if (!ctx.store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
    const results = body.cases.map((raw, i) => {
      const problems = check('BatchCase', raw, `/cases/${i}`);
      const ref = raw && typeof raw === 'object' && 'ref' in raw ? { ref: (raw as { ref: unknown }).ref } : {};
      if (problems.length > 0) {
        return {
          ...ref,
          status: 400,
          error: { code: 'INVALID_REQUEST', message: `case ${i} is not valid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`, details: problems },
        };
      }
      const c = raw as EvaluateBody & { ref?: unknown };
      try {
        const decision = ctx.evaluator.evaluate(tableId, {
          input: c.input,
          date: c.date ?? body.date,
          asOf: c.asOf ?? body.asOf,
          version: c.version ?? body.version,
          trace: c.trace ?? body.trace,
          caller: req.actor.name,
        });
        metrics?.evaluated(decision.tableId, decision.version);
        return { ...ref, ...decision };
      } catch (err) {
        const { status, body: errorBody } = toErrorResponse(err);
        if (status >= 500) console.error(`beslis: batch case ${i} of ${tableId} failed:`, err);
        // Paths of input problems are relative to the case; make them point into the batch body.
        errorBody.error.details = errorBody.error.details.map((d) => (d.path.startsWith('/input') ? { ...d, path: `/cases/${i}${d.path}` } : d));
        return { ...ref, status, ...errorBody };
      }
    });
    res.json({ results });
  });

  return r;
}
