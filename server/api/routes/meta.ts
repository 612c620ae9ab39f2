// Health, the OpenAPI document and its rendered reference (served from the package, no CDN).
import { Router } from 'express';
import { fileURLToPath } from 'node:url';
import type { ApiContext } from '../context.ts';
import { openApiDocument } from '../openapi.ts';

const docsDir = fileURLToPath(new URL('../docs/', import.meta.url));

export function metaRouter(ctx: ApiContext): Router {
  const r = Router();
  const doc = openApiDocument(ctx.version);
  r.get('/health', (_req, res) => {
    res.json({ status: 'ok', version: ctx.version });
  });
  r.get('/openapi.json', (_req, res) => {
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
