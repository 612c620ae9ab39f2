// The express application: security headers, JSON bodies with a size limit, the actor seam, the routers, and
// one error handler that gives every failure the JSON error shape.
import express, { type Express } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  /** Mounted after the API routers. */
  extensions?: ((app: Express, ctx: ApiContext) => void)[];
  /** The built editor served at `/` (default: the package's editor/dist when it has been built; null: none). */
  editorDir?: string | null;
}

export const DEFAULT_EDITOR_DIR = fileURLToPath(new URL('../../editor/dist/', import.meta.url));

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
  const editorDir = opts.editorDir === undefined ? DEFAULT_EDITOR_DIR : opts.editorDir;
  if (editorDir && existsSync(join(editorDir, 'index.html'))) {
    app.use(express.static(editorDir, { index: 'index.html', maxAge: '1h', setHeaders: noCacheForHtml }));
    // The editor routes in the browser: any other page address gets its index.html.
    app.get(/^\/(?!api(\/|$)).*/, (req, res, next) => {
      if (!req.accepts('html')) return next();
      res.set('Cache-Control', 'no-cache').sendFile('index.html', { root: editorDir });
    });
  } else {
    app.get('/', (_req, res) => {
      res.redirect(302, '/api/docs');
    });
  }
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

function noCacheForHtml(res: import('express').Response, path: string): void {
  if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}
