// The express application: security headers, JSON bodies with a size limit, the actor seam, the routers, and
// one error handler that gives every failure the JSON error shape.
import express, { type Express } from 'express';
import helmet from 'helmet';
import { identify } from './actor.ts';
import type { ApiContext } from './context.ts';
import { errorHandler, notFound } from './errors.ts';
import { evaluateRouter } from './routes/evaluate.ts';
import { metaRouter } from './routes/meta.ts';
import { tablesRouter } from './routes/tables.ts';

export interface AppOptions {
  /** Largest accepted JSON body (bytes or a string like '5mb'). */
  bodyLimit?: string | number;
  /** Mounted after the API routers (e.g. the editor's static files). */
  extensions?: ((app: Express, ctx: ApiContext) => void)[];
}

export function createApp(ctx: ApiContext, opts: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(helmet());
  const api = express.Router();
  // Every JSON-ish body is parsed (strict: objects and arrays only); others are refused by the schemas.
  api.use(express.json({ limit: opts.bodyLimit ?? '5mb', strict: true, type: ['application/json', 'application/*+json'] }));
  api.use(identify(ctx.access));
  api.use(metaRouter(ctx));
  api.use(evaluateRouter(ctx));
  api.use(tablesRouter(ctx));
  api.use(notFound);
  app.use('/api', api);
  for (const ext of opts.extensions ?? []) ext(app, ctx);
  app.get('/', (_req, res) => {
    res.redirect(302, '/api/docs');
  });
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
