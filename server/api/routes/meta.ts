// Health, the OpenAPI document and its rendered reference (served from the package, no CDN).
//
// Health has three answers: /health (the contract since release 1: the process answers, and its version),
// /health/live (the process answers: restart it when this fails) and /health/ready (it can do its work: the
// database answers, every migration this program knows is applied, the evaluation log's writer lives, and it is not
// shutting down: send it traffic only while this is 200).
import { Router } from 'express';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS } from '../../store/migrations.ts';
import { POSTGRES_MIGRATIONS } from '../../store/migrations-postgres.ts';
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
  r.get('/health/ready', async (req, res) => {
    const { checks, database } = await readiness(ctx);
    const problems = Object.entries(checks).filter(([, v]) => v !== 'ok');
    if (problems.length === 0) {
      res.json({ status: 'ready', version: ctx.version, checks, database });
      return;
    }
    // A problem details answer like every other failure; `checks` and `version` say what is wrong and who answers.
    const message = `not ready: ${problems.map(([k, v]) => `${k}: ${v}`).join('; ')}`;
    sendProblem(req, res.status(503).set('Retry-After', '5'), problemBody(503, 'NOT_READY', message, [], { version: ctx.version, checks, database }));
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

/** How long readiness waits for the database to answer before it reports it unreachable. */
export const DATABASE_CHECK_MS = 2000;

export interface DatabaseHealth {
  kind: 'sqlite' | 'postgres';
  /** The newest migration applied, or null when the database did not answer. */
  schemaVersion: number | null;
  /** The schema version this program needs. */
  needs: number;
  reachable: boolean;
}

/** The store's schema version, or why there is none within `ms`. */
async function askSchemaVersion(ctx: ApiContext, ms: number): Promise<number | Error> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<Error>((resolve) => {
    timer = setTimeout(() => resolve(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([ctx.store.schemaVersion(), late]);
  } catch (err) {
    return err as Error;
  } finally {
    clearTimeout(timer);
  }
}

/** Each check: 'ok', or what is wrong; and the database this node uses. */
async function readiness(ctx: ApiContext): Promise<{ checks: { database: string; migrations: string; evaluationLog: string; accepting: string }; database: DatabaseHealth }> {
  let database = 'ok';
  let migrations = 'ok';
  const needs = ctx.store.sql.dialect === 'postgres' ? POSTGRES_MIGRATIONS.length : MIGRATIONS.length;
  const applied = await askSchemaVersion(ctx, DATABASE_CHECK_MS);
  if (applied instanceof Error) {
    database = `does not answer: ${applied.message}`;
    migrations = 'unknown';
  } else if (applied !== needs) migrations = `schema version ${applied}, this program needs ${needs}`;
  const evaluationLog = !ctx.log || ctx.log.writerAlive ? 'ok' : 'the writer thread has stopped';
  const accepting = ctx.stopping?.() ? 'shutting down' : 'ok';
  return {
    checks: { database, migrations, evaluationLog, accepting },
    database: { kind: ctx.store.sql.dialect, schemaVersion: applied instanceof Error ? null : applied, needs, reachable: !(applied instanceof Error) },
  };
}
