// POST /api/v1/evaluate/:tableId and /batch (docs/contracts.md).
import { Router } from 'express';
import type { Selection } from '../../store/select.ts';
import { jsonSizeUpTo } from '../../engine/limits.ts';
import { StoreError } from '../../store/errors.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError, toErrorResponse } from '../errors.ts';
import { assertValid, check } from '../schemas.ts';

/**
 * Bytes (as JSON) of one evaluate or batch response. Each output is at most MAX_OUTPUT_BYTES, but a trace repeats
 * the values it read per rule and a batch adds up its cases: past this the answer is a 413 asking for less.
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

function tooLarge(what: string, path: string): ApiError {
  return new ApiError('RESPONSE_TOO_LARGE', `the ${what} would be larger than ${MAX_RESPONSE_BYTES} bytes: ask for fewer cases or without trace`, [
    { path, message: `the response would exceed ${MAX_RESPONSE_BYTES} bytes` },
  ]);
}

interface EvaluateBody extends Selection {
  input: Record<string, unknown>;
  trace?: boolean;
  explain?: boolean;
  types?: boolean;
}

interface BatchBody extends Selection {
  cases: unknown[];
  trace?: boolean;
  explain?: boolean;
  types?: boolean;
}

export function evaluateRouter(ctx: ApiContext): Router {
  const r = Router();
  const allowed = authorize(ctx.access, 'evaluate');
  const metrics = ctx.metrics ?? null;

  // With `--log-durability sync` an answer waits until its evaluations are in the log (rows of concurrent requests
  // share one commit), so nothing acknowledged can be lost to a crash; with `async` it waits only while the log's
  // backlog is too long to be written within the promised window.
  const log = ctx.log && ctx.log.mode !== 'off' ? ctx.log : null;

  r.post('/evaluate/:tableId', allowed, async (req, res) => {
    assertValid('EvaluateRequest', req.body);
    const body = req.body as EvaluateBody;
    const decision = ctx.evaluator.evaluate(req.params.tableId as string, {
      input: body.input,
      date: body.date,
      asOf: body.asOf,
      version: body.version,
      trace: body.trace,
      explain: body.explain,
      types: body.types,
      caller: req.actor.name,
    });
    metrics?.evaluated(decision.tableId, decision.version);
    // Outputs are capped by the engine; only a trace (the values read, per rule) can grow past the response limit.
    if (body.trace === true && jsonSizeUpTo(decision, MAX_RESPONSE_BYTES) > MAX_RESPONSE_BYTES) throw tooLarge('answer', '/trace');
    if (log) await log.beforeAnswer();
    res.json(decision);
  });

  r.post('/evaluate/:tableId/batch', allowed, async (req, res) => {
    assertValid('BatchRequest', req.body);
    const body = req.body as BatchBody;
    const tableId = req.params.tableId as string;
    if (!ctx.store.tableExists(tableId)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${tableId}'`);
    let size = 0;
    const results = body.cases.map((raw, i) => {
      if (size > MAX_RESPONSE_BYTES) throw tooLarge('batch answer', `/cases/${i}`);
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
          explain: c.explain ?? body.explain,
          types: c.types ?? body.types,
          caller: req.actor.name,
        });
        metrics?.evaluated(decision.tableId, decision.version);
        size += jsonSizeUpTo(decision, MAX_RESPONSE_BYTES - size + 1);
        return { ...ref, ...decision };
      } catch (err) {
        const { status, body: errorBody } = toErrorResponse(err);
        if (status >= 500) console.error(`beslis: batch case ${i} of ${tableId} failed:`, err);
        // Paths of input problems are relative to the case; make them point into the batch body.
        const error = errorBody.error;
        error.details = error.details.map((d) => (d.path.startsWith('/input') ? { ...d, path: `/cases/${i}${d.path}` } : d));
        // A case's own answer inside the batch keeps the {status, error} shape of release 1.
        return { ...ref, status, error };
      }
    });
    if (log) await log.beforeAnswer();
    res.json({ results });
  });

  return r;
}
