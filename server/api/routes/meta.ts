// Health, the OpenAPI document and its rendered reference (served from the package, no CDN).
//
// Health has three answers: /health (the contract since release 1: the process answers, and its version),
// /health/live (the process answers: restart it when this fails) and /health/ready (it can do its work: the
// database answers, every migration this program knows is applied, the evaluation log's writer lives, and it is not
// shutting down: send it traffic only while this is 200).
import { Router } from 'express';
import { fileURLToPath } from 'node:url';
import { schemaVersion } from '../../store/db.ts';
import { MIGRATIONS } from '../../store/migrations.ts';
import type { ApiContext } from '../context.ts';
import { problemBody, sendProblem } from '../errors.ts';
import { openApiDocument, type ApiContact } from '../openapi.ts';

const docsDir = fileURLToPath(new URL('../docs/', import.meta.url));

export function metaRouter(ctx: ApiContext, contact?: ApiContact): Router {
  const r = Router();
  const doc = openApiDocument(ctx.version, contact);
  r.get('/health', (_req, res) => {
    res.json({ status: 'ok', version: ctx.version });
  });
  r.get('/health/live', (_req, res) => {
    res.json({ status: 'ok', version: ctx.version });
  });
  r.get('/health/ready', (req, res) => {
    const checks = readiness(ctx);
    const problems = Object.entries(checks).filter(([, v]) => v !== 'ok');
    if (problems.length === 0) {
      res.json({ status: 'ready', version: ctx.version, checks });
      return;
    }
    // A problem details answer like every other failure; `checks` and `version` say what is wrong and who answers.
    const message = `not ready: ${problems.map(([k, v]) => `${k}: ${v}`).join('; ')}`;
    sendProblem(req, res.status(503).set('Retry-After', '5'), problemBody(503, 'NOT_READY', message, [], { version: ctx.version, checks }));
  });
  // The description at its fixed path, readable from any origin (NL API Design Rules, /core/publish-openapi): a
  // developer portal or a code generator on another site fetches it. Only this document; the API itself stays
  // same-origin. A plain GET needs no preflight.
  r.get('/openapi.json', (_req, res) => {
    res.set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'API-Version', 'Cross-Origin-Resource-Policy': 'cross-origin' });
    res.json(doc);
  });
  const send = (file: string, type: string) => (_req: unknown, res: import('express').Response) => {
    res.type(type).sendFile(file, { root: docsDir, maxAge: '1h' });
  };
  r.get('/docs', send('index.html', 'html'));
  r.get('/docs/docs.js', send('docs.js', 'js'));
  r.get('/docs/docs.css', send('docs.css', 'css'));
  return r;
}

/** Each check: 'ok', or what is wrong. */
function readiness(ctx: ApiContext): { database: string; migrations: string; evaluationLog: string; accepting: string } {
  let database = 'ok';
  let migrations = 'ok';
  try {
    const applied = schemaVersion(ctx.store.db);
    if (applied !== MIGRATIONS.length) migrations = `schema version ${applied}, this program needs ${MIGRATIONS.length}`;
  } catch (err) {
    database = `does not answer: ${(err as Error).message}`;
    migrations = 'unknown';
  }
  const evaluationLog = !ctx.log || ctx.log.writerAlive ? 'ok' : 'the writer thread has stopped';
  const accepting = ctx.stopping?.() ? 'shutting down' : 'ok';
  return { database, migrations, evaluationLog, accepting };
}
