// DMN in the editor (issue 20 point 8): upload a DMN model, whose decision tables become drafts (approval still
// publishes them), and download a table or a domain's tables as a DMN 1.3 model. The import is all or nothing: with
// any error-level problem (an element that cannot be imported, a table the engine refuses, a table whose draft is
// submitted) nothing is stored and the answer lists every problem by DMN element, so a model is never half taken in.
import express, { Router, type Response } from 'express';
import { exportDmn, exportDmnModel, importDmn, type ImportProblem } from '../../dmn/index.ts';
import type { DecisionTable } from '../../engine/types.ts';
import { StoreError } from '../../store/errors.ts';
import { stripPublication } from '../../store/records.ts';
import type { Store } from '../../store/store.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../openapi-parts.ts';

export const DMN_TYPE = 'application/xml';
/** An uploaded model is at most this large. */
const UPLOAD_LIMIT = '5mb';
/** Tables one model may bring in. */
export const MAX_DMN_TABLES = 200;

/** `?version=N`, `?version=draft` (the draft, else the newest version), or the newest version. */
function tableAt(store: Store, id: string, which: unknown): DecisionTable {
  if (!store.tableExists(id)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${id}'`);
  if (which === undefined || which === 'draft') {
    const newest = store.newestVersion(id)?.table;
    const draft = store.getDraft(id)?.table;
    const t = which === 'draft' ? (draft ?? newest) : (newest ?? draft);
    if (!t) throw new StoreError('DRAFT_NOT_FOUND', `table '${id}' has neither a draft nor a version`);
    return t;
  }
  if (typeof which !== 'string' || !/^[1-9][0-9]{0,8}$/.test(which)) {
    throw new ApiError('INVALID_PARAMETER', `version must be a whole number from 1 up or "draft", not '${String(which)}'`, [{ path: '/version', message: 'must be a positive integer or "draft"' }]);
  }
  const v = store.getVersion(id, Number(which));
  if (!v) throw new StoreError('VERSION_NOT_FOUND', `table '${id}' has no version ${which}`);
  return v.table;
}

function sendDmn(res: Response, file: string, xml: string): void {
  res.set('Content-Type', `${DMN_TYPE}; charset=utf-8`).set('Content-Disposition', `attachment; filename="${file}"`).send(xml);
}

export function dmnRouter(ctx: ApiContext): Router {
  const { store } = ctx;
  const r = Router();
  const read = authorize(ctx.access, 'read');
  const edit = authorize(ctx.access, 'edit');

  r.get('/tables/:id/export.dmn', read, async (req, res) => {
    const id = req.params.id as string;
    sendDmn(res, `${id}.dmn`, await exportDmn(tableAt(store, id, req.query.version)));
  });

  r.get('/domains/:domain/export.dmn', read, async (req, res) => {
    const domain = req.params.domain as string;
    const which = req.query.version;
    if (which !== undefined && which !== 'draft') {
      throw new ApiError('INVALID_PARAMETER', `a domain is exported as its newest versions, or with version=draft its drafts, not '${String(which)}'`, [{ path: '/version', message: 'must be "draft" or absent' }]);
    }
    const ids = store.tableIds().filter((id) => id.startsWith(`${domain}.`));
    if (ids.length === 0) throw new ApiError('NOT_FOUND', `no table is in the domain '${domain}'`);
    sendDmn(res, `${domain}.dmn`, await exportDmnModel(ids.map((id) => tableAt(store, id, which)), { name: domain, id: `beslis_${domain.replace(/[^A-Za-z0-9_]/g, '_')}` }));
  });

  const raw = express.raw({ type: () => true, limit: UPLOAD_LIMIT });
  r.post('/dmn/import', edit, raw, async (req, res) => {
    const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (bytes.length === 0) throw new ApiError('INVALID_REQUEST', 'send the DMN model (XML) as the request body', [{ path: '/body', message: 'is empty' }]);
    const result = await importDmn(bytes.toString('utf8'));
    const problems: ImportProblem[] = [...result.problems];
    for (const lit of result.literalDecisions) {
      problems.push({ severity: 'error', element: 'decision', id: lit.id, name: lit.name, message: 'a literal-expression decision; Beslis stores decision tables only, so it cannot be kept' });
    }
    const tables = (result.tables as DecisionTable[]).map(stripPublication);
    if (tables.length === 0 && !problems.some((p) => p.severity === 'error')) {
      problems.push({ severity: 'error', element: 'definitions', id: '', message: 'the model has no decision table' });
    }
    if (tables.length > MAX_DMN_TABLES) problems.push({ severity: 'error', element: 'definitions', id: '', message: `the model has ${tables.length} decision tables; at most ${MAX_DMN_TABLES} are taken in at once` });
    for (const table of tables.slice(0, MAX_DMN_TABLES)) {
      const element = { severity: 'error' as const, element: 'decision', id: (table.meta as { dmn?: { decisionId?: string } } | undefined)?.dmn?.decisionId ?? table.id, name: table.title };
      // The engine's check, in the checker's worker within its budget, as for every save.
      for (const p of await ctx.checker.problems(table)) problems.push({ ...element, message: `${p.path || '/'}: ${p.message}` });
      if (store.getDraft(table.id)?.status === 'submitted') problems.push({ ...element, message: `the draft of ${table.id} is submitted for approval; withdraw it before importing over it` });
    }
    if (problems.some((p) => p.severity === 'error')) {
      const errors = problems.filter((p) => p.severity === 'error');
      throw new ApiError(
        'INVALID_FILE',
        `the DMN model cannot be imported: ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was stored`,
        errors.map((p) => ({ path: `${p.element}${p.id ? `#${p.id}` : ''}`, message: p.message })),
        { problems },
      );
    }
    const created: string[] = [];
    const updated: string[] = [];
    store.transaction(() => {
      for (const table of tables) {
        if (store.tableExists(table.id)) {
          store.saveDraft(table.id, table, store.getDraft(table.id)?.revision ?? 0, req.actor.name, { source: 'DMN import (editor)' });
          updated.push(table.id);
        } else {
          store.createTable(table, req.actor.name);
          created.push(table.id);
        }
      }
    });
    res.json({ created, updated, problems });
  });

  return r;
}

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventiematrix' };
const dmnAnswer = { description: 'The DMN 1.3 model (XML)', content: { [DMN_TYPE]: { schema: { type: 'string' } } } };

export const DMN_PATHS: Record<string, unknown> = {
  '/api/v1/tables/{id}/export.dmn': {
    get: {
      tags: ['tables'],
      summary: 'The table as a DMN 1.3 model: the newest version, ?version=N, or ?version=draft (the draft, else the newest version)',
      parameters: [idParam, { name: 'version', in: 'query', schema: { type: 'string' }, description: 'a version number or "draft"' }],
      responses: { '200': dmnAnswer, '400': errorResponse('version is not a number or "draft"'), '404': errorResponse('Unknown table or version') },
    },
  },
  '/api/v1/domains/{domain}/export.dmn': {
    get: {
      tags: ['tables'],
      summary: 'Every table of a domain as one DMN 1.3 model (required tables wired as required decisions), newest versions or ?version=draft',
      parameters: [{ name: 'domain', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving' }, { name: 'version', in: 'query', schema: { enum: ['draft'] } }],
      responses: { '200': dmnAnswer, '400': errorResponse('version is not "draft"'), '404': errorResponse('No table in that domain') },
    },
  },
  '/api/v1/dmn/import': {
    post: {
      tags: ['drafts'],
      summary: 'Import a DMN model: each decision table becomes a draft (a new table, or the draft of an existing one)',
      description:
        'The body is the DMN XML (1.1–1.5). All or nothing: with any problem nothing is stored and the answer is a 422 INVALID_FILE whose invalidParams name each DMN element (`decision#id`) with the problem, and `problems` lists them with severity, element, id and name. ' +
        'Approval still publishes each draft (four-eyes).',
      requestBody: { required: true, content: { [DMN_TYPE]: { schema: { type: 'string' } }, 'text/xml': { schema: { type: 'string' } } } },
      responses: {
        '200': { description: '{created: [id], updated: [id], problems: [warnings]}', content: { 'application/json': { schema: { type: 'object' } } } },
        '400': errorResponse('Empty body'),
        '413': errorResponse('Model over 5 MB'),
        '422': errorResponse('The model has problems, each named by DMN element; nothing was stored'),
      },
    },
  },
};
