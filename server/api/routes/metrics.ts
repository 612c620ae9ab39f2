// GET /metrics: the Prometheus text format, for an admin or an API token with the scope `metrics` (what Prometheus
// scrapes with: `authorization: {credentials: <token>}` in its scrape config).
import { Router } from 'express';
import { authorize, identify } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import type { Metrics } from '../metrics.ts';

export function metricsRouter(ctx: ApiContext, metrics: Metrics): Router {
  const r = Router();
  r.get('/metrics', identify(ctx.access), authorize(ctx.access, 'metrics'), async (_req, res) => {
    const text = await metrics.text();
    res.set('Cache-Control', 'no-store').type(metrics.contentType).send(text);
  });
  return r;
}
