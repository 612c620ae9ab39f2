// The express application: security headers, JSON bodies with a size limit, the actor seam, the routers, and
// one error handler that gives every failure the JSON error shape.
import express, { type Express, type Router } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import helmet from 'helmet';
import { tooDeepAt } from '../engine/json-depth.ts';
import { Auth } from './access.ts';
import { identify } from './actor.ts';
import type { ApiContext } from './context.ts';
import { API_BASE } from './base-path.ts';
import { ApiError, errorHandler, notFound } from './errors.ts';
import { archiveRouter } from './routes/archive.ts';
import { auditRouter } from './routes/audit.ts';
import { decisionsRouter } from './routes/decisions.ts';
import { dmnRouter } from './routes/dmn.ts';
import { authRouter } from './routes/auth.ts';
import { evaluateRouter } from './routes/evaluate.ts';
import { excelRouter } from './routes/excel.ts';
import { algoritmeregisterRouter } from './routes/algoritmeregister.ts';
import { fixturesRouter } from './routes/fixtures.ts';
import { impactRouter } from './routes/impact.ts';
import { metaRouter } from './routes/meta.ts';
import type { ApiContact } from './openapi.ts';
import { metricsRouter } from './routes/metrics.ts';
import { observeRequests } from './request-log.ts';
import { publicApiRouter, publicRegister } from './routes/public-api.ts';
import { publicPagesRouter, REGISTER_BASE } from './routes/public-pages.ts';
import { RateLimiter, type RateLimit } from '../register/rate-limit.ts';
import { statsRouter } from './routes/stats.ts';
import { tablesRouter } from './routes/tables.ts';
import { workflowRouter } from './routes/workflow.ts';
import { tokensRouter } from './routes/tokens.ts';
import { usersRouter } from './routes/users.ts';

/** Deeper than any request needs (a table is about 6 levels, a case rarely more than a few), far from the stack's end. */
const MAX_BODY_DEPTH = 64;

export interface AppOptions {
  /** Largest accepted JSON body (bytes or a string like '5mb'). */
  bodyLimit?: string | number;
  /** Mounted after the API routers. */
  extensions?: ((app: Express, ctx: ApiContext) => void)[];
  /** Mounted under /api/v1 after body parsing and authentication, before the routers (the HTTP benchmark's reference). */
  apiExtensions?: ((api: Router, ctx: ApiContext) => void)[];
  /** The built editor served at `/` (default: the package's editor/dist when it has been built; null: none). */
  editorDir?: string | null;
  /**
   * Express's 'trust proxy' (default false): only behind a reverse proxy that sets X-Forwarded-Proto/-For, e.g.
   * 'loopback', 1 or an address list. Then HTTPS at the proxy makes the session cookie Secure, and the login
   * throttle counts the client's address instead of the proxy's. Never trust headers a client could send itself.
   */
  trustProxy?: boolean | number | string;
  /** info.contact of the OpenAPI document: who answers questions about this installation's API. */
  apiContact?: ApiContact;
  /** The public register's limits per client address (default PUBLIC_READ_LIMIT and PUBLIC_EVALUATION_LIMIT). */
  publicLimits?: { reads?: RateLimit; evaluations?: RateLimit };
}

export const DEFAULT_EDITOR_DIR = fileURLToPath(new URL('../../editor/dist/', import.meta.url));

export function createApp(ctx: ApiContext, opts: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', opts.trustProxy ?? false);
  // NL API Design Rules /core/version-header: every answer names the full version of the API that gave it.
  app.use((_req, res, next) => {
    res.set('API-Version', ctx.version);
    next();
  });
  // First, so every answer (also a refusal by a later middleware) has its request id, its log line and its count.
  if (ctx.logger || ctx.metrics) app.use(observeRequests(ctx.logger ?? null, ctx.metrics ?? null));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // The editor's workers (analysis, monaco) are files of its own origin: 'self' (the default) is enough.
          'worker-src': ["'self'"],
          // Not forced: `npm start` serves plain HTTP on an intranet address, where upgrading would break the editor.
          // Behind HTTPS, HSTS (also from helmet) keeps browsers on HTTPS.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  // The public register (issue 23): its pages and its API share one view of what is public and one pair of limits.
  const pub = publicRegister(ctx, {
    reads: opts.publicLimits?.reads && new RateLimiter(opts.publicLimits.reads),
    evaluations: opts.publicLimits?.evaluations && new RateLimiter(opts.publicLimits.evaluations),
  });
  const api = express.Router();
  // Every JSON-ish body is parsed (strict: objects and arrays only); others are refused by the schemas.
  api.use(express.json({ limit: opts.bodyLimit ?? '5mb', strict: true, type: ['application/json', 'application/*+json'] }));
  // JSON.parse takes any depth, the code after it recurses: a body nested deeper than any real request is refused here.
  api.use((req, _res, next) => {
    const at = tooDeepAt(req.body, MAX_BODY_DEPTH);
    if (at === null) return next();
    next(new ApiError('INVALID_REQUEST', `the request body is nested more than ${MAX_BODY_DEPTH} levels deep`, [{ path: at, message: `is nested more than ${MAX_BODY_DEPTH} levels deep` }]));
  });
  // Answers depend on who asks: no shared cache keeps them.
  api.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  // Before identify: the public API never reads a cookie or a token (nor refuses a write for a missing CSRF token).
  api.use(publicApiRouter(ctx, pub));
  api.use(identify(ctx.access));
  for (const ext of opts.apiExtensions ?? []) ext(api, ctx);
  // The hot path first: applications call evaluate all day, and each router before it costs every request a walk
  // through its routes. No other router answers under /evaluate.
  api.use(evaluateRouter(ctx));
  api.use(metaRouter(ctx, opts.apiContact));
  if (ctx.access instanceof Auth) api.use(authRouter(ctx, ctx.access));
  api.use(usersRouter(ctx));
  api.use(tokensRouter(ctx));
  api.use(auditRouter(ctx));
  api.use(tablesRouter(ctx));
  // Tables as spreadsheets: .xlsx downloads, and an upload proposed for the draft (issue 20).
  api.use(excelRouter(ctx));
  api.use(algoritmeregisterRouter(ctx));
  // Fixtures, the publish gate, impact analysis and outcome statistics (issue 5).
  api.use(fixturesRouter(ctx));
  api.use(workflowRouter(ctx));
  api.use(impactRouter(ctx));
  api.use(statsRouter(ctx));
  // Lifecycle (issue 20): archiving with four-eyes, the logged decisions (Besluiten), DMN upload and download.
  api.use(archiveRouter(ctx));
  api.use(decisionsRouter(ctx));
  api.use(dmnRouter(ctx));
  api.use(notFound);
  app.use(API_BASE, api);
  // Where Prometheus looks by default, beside the API rather than in it (it is not part of the versioned API).
  if (ctx.metrics) app.use(metricsRouter(ctx, ctx.metrics));
  // Before the editor, whose catch-all would answer any page address with its index.html.
  app.use(REGISTER_BASE, publicPagesRouter(ctx, pub));
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
      res.redirect(302, `${API_BASE}/docs`);
    });
  }
  app.use(notFound);
  app.use(errorHandler);
  return app;
}

function noCacheForHtml(res: import('express').Response, path: string): void {
  if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
}
