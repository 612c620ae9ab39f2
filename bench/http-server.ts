// The server the HTTP benchmark loads: the real `startServer` (same app, middleware, store and evaluation log as
// `beslis serve`) plus two reference routes that answer a decision of the interventiematrix computed once at
// start-up, so a response of the same shape and size as /api/v1/evaluate's:
//   POST /api/v1/bench/bare  inside the API's own setup: security headers, the same JSON body parser and limit,
//                         no-store, and authentication of the caller; no authorisation check, request schema,
//                         version choice, evaluation or log. This is the reference the targets are measured against.
//   POST /bench/raw       an express route with the security headers and the JSON body parser only.
// Run by bench/http.ts as a child process: node bin/run-ts.js bench/http-server.ts --db FILE --log off|all
// [--durability async|sync] ...
import express from 'express';
import { parseArgs } from 'node:util';
import { startServer } from '../server/api/server.ts';
import type { LogMode } from '../server/store/eval-log.ts';

const { values } = parseArgs({ options: { db: { type: 'string' }, log: { type: 'string' }, durability: { type: 'string' }, table: { type: 'string' }, input: { type: 'string' } } });
if (!values.db || !values.table || !values.input) throw new Error('usage: http-server.ts --db FILE --log off|all --table ID --input JSON');
const tableId = values.table;
const sampleInput = JSON.parse(values.input) as Record<string, unknown>;

let sample: unknown = null;
const running = await startServer({
  dbFile: values.db,
  port: 0,
  host: '127.0.0.1',
  seedDir: null,
  editorDir: null,
  log: { mode: (values.log ?? 'all') as LogMode, retentionDays: 0, durability: values.durability === 'sync' ? 'sync' : 'async' },
  say: () => undefined,
  apiExtensions: [
    (api, ctx) => {
      sample = ctx.evaluator.evaluate(tableId, { input: sampleInput, caller: 'bench' });
      api.post('/bench/bare', (_req, res) => {
        res.json(sample);
      });
    },
  ],
  extensions: [
    (app) => {
      app.post('/bench/raw', express.json({ limit: '5mb', strict: true }), (_req, res) => {
        res.set('Cache-Control', 'no-store');
        res.json(sample);
      });
    },
  ],
});
console.log(`listening on ${running.url}`);
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
