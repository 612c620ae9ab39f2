// DMN in the editor (issue 20 point 8): upload a DMN model, whose decision tables become drafts (approval still
// publishes them, four-eyes), and download a table or a domain's tables as a DMN model. An upload is first a preview
// (nothing stored: per table what will happen, with its diff), then the import, which names the draft revision each
// existing table was previewed at: a draft saved meanwhile is a 409, never overwritten silently. The import is all or
// nothing: with any error-level problem nothing is stored and the answer names every problem by DMN element, with a
// code and parameters the editor words in Dutch.
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import {
  decisionOf,
  dmnProblem,
  EXPORT_VERSIONS,
  exportDmnModel,
  fromDmn13,
  importDmn,
  locateTableProblem,
  storableProblems,
  type ExportVersion,
  type ImportProblem,
} from '../../dmn/index.ts';
import type { DecisionTable } from '../../engine/types.ts';
import { diffTables, type TableDiff } from '../../store/diff.ts';
import { StoreError } from '../../store/errors.ts';
import { stripPublication } from '../../store/records.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../openapi-parts.ts';
import { requiresCycle, tableAt } from '../stored-tables.ts';

export const DMN_TYPE = 'application/xml';
/** An uploaded model is at most this many bytes. */
export const MAX_DMN_BYTES = 5 * 1024 * 1024;
/** XML elements an uploaded model may have: counted before the model is parsed, which costs far more per element. */
export const MAX_DMN_ELEMENTS = 50_000;
/** Decision tables one upload may bring in. */
export const MAX_DMN_TABLES = 200;

function dmnVersionParam(which: unknown): ExportVersion {
  if (which === undefined) return '1.5';
  if (typeof which === 'string' && (EXPORT_VERSIONS as readonly string[]).includes(which)) return which as ExportVersion;
  throw new ApiError('INVALID_PARAMETER', `dmnVersion must be ${EXPORT_VERSIONS.join(' or ')}, not '${String(which)}'`, [{ path: '/dmnVersion', message: `must be ${EXPORT_VERSIONS.join(' or ')}` }]);
}

async function sendDmn(res: Response, file: string, tables: DecisionTable[], version: ExportVersion, model?: { name: string; id: string }): Promise<void> {
  const xml = fromDmn13(await exportDmnModel(tables, model), version);
  res.set('Content-Type', `${DMN_TYPE}; charset=utf-8`).set('Content-Disposition', `attachment; filename="${file}"`).send(xml);
}

/** What an upload does to one table. */
export interface PlannedTable {
  id: string;
  title: string;
  /** `create`: a new table (its first draft); `draft`: a new draft of an existing table; `unchanged`: the same as its draft. */
  action: 'create' | 'draft' | 'unchanged';
  /** The draft revision the plan was made against (0: no draft yet); null for a new table. */
  revision: number | null;
  table: DecisionTable;
  /** Against the draft, else the newest version; null for a new table. */
  diff: TableDiff | null;
}

function refusal(problems: ImportProblem[]): ApiError {
  const errors = problems.filter((p) => p.severity === 'error');
  return new ApiError(
    'INVALID_FILE',
    `the DMN model cannot be imported: ${errors.length} problem${errors.length === 1 ? '' : 's'}; nothing was stored${errors.length === 1 ? ` (${errors[0]!.element}${errors[0]!.id ? ` '${errors[0]!.id}'` : ''}: ${errors[0]!.message})` : ''}`,
    errors.map((p) => ({ path: `${p.element}${p.id ? `#${p.id}` : ''}`, message: p.message, code: p.code, params: p.params })),
    { problems },
  );
}

/** Reads the upload and plans it table by table; any problem of error level refuses the whole model. */
async function plan(ctx: ApiContext, xml: string): Promise<{ tables: PlannedTable[]; warnings: ImportProblem[]; model: { name: string; dmnVersion: string } }> {
  const { store } = ctx;
  const elements = xml.match(/<[A-Za-z_]/g)?.length ?? 0;
  if (elements > MAX_DMN_ELEMENTS) {
    throw refusal([dmnProblem('error', { element: 'definitions', id: '' }, 'DMN_TOO_MANY_ELEMENTS', { limit: MAX_DMN_ELEMENTS })]);
  }
  const result = await importDmn(xml);
  const problems = storableProblems(result, MAX_DMN_TABLES);
  const tables = (result.tables as DecisionTable[]).slice(0, MAX_DMN_TABLES).map(stripPublication);
  const planned: PlannedTable[] = [];
  for (const imported of tables) {
    const decision = decisionOf(imported);
    const exists = store.tableExists(imported.id);
    const draft = exists ? (await store.getDraft(imported.id)) : null;
    const before = draft?.table ?? (exists ? store.newestVersion(imported.id)?.table : undefined);
    // DMN carries the rules, not the table's card: over an existing table the card (owner, sources, review date)
    // stays as it is, so a model exported and imported again changes nothing.
    const { meta: _imported, ...logic } = imported;
    const table: DecisionTable = before ? { ...logic, ...(before.meta ? { meta: before.meta } : {}) } : imported;
    // The engine's check, in the checker's worker within its budget, as for every save.
    for (const p of await ctx.checker.problems(table)) problems.push(locateTableProblem(p, table, null, decision));
    if (draft?.status === 'submitted') problems.push(dmnProblem('error', { element: 'decision', id: decision.id, name: decision.name }, 'DMN_DRAFT_SUBMITTED', { table: table.id }));
    const diff = before ? diffTables(before, table) : null;
    planned.push({
      id: table.id,
      title: table.title,
      action: !exists ? 'create' : diff!.summary.same && diff!.fields.length === 0 ? 'unchanged' : 'draft',
      revision: exists ? (draft?.revision ?? 0) : null,
      table,
      diff,
    });
  }
  // A model may wire its decisions in a cycle (DMN does not allow it, the reader does not check it); with the
  // store's other tables it must not either, as for every save.
  const inModel = new Map(planned.map((p) => [p.id, p.table] as const));
  const reported = new Set<string>();
  for (const p of planned) {
    const cycle = await requiresCycle(store, inModel, p.id);
    if (cycle && !reported.has(cycle.slice(0, -1).sort().join())) {
      reported.add(cycle.slice(0, -1).sort().join());
      const decision = decisionOf(p.table);
      problems.push(dmnProblem('error', { element: 'decision', id: decision.id, name: decision.name }, 'DMN_REQUIRES_CYCLE', { cycle: cycle.join(' → ') }));
    }
  }
  if (problems.some((p) => p.severity === 'error')) throw refusal(problems);
  return { tables: planned, warnings: problems, model: { name: result.model.name, dmnVersion: result.model.dmnVersion } };
}

/** `?revisions=a.b:3,c.d:new`: per table the draft revision the upload was previewed against, or `new`. */
function revisionsParam(raw: unknown): Map<string, number | 'new'> {
  const out = new Map<string, number | 'new'>();
  if (raw === undefined || raw === '') return out;
  const bad = () =>
    new ApiError('INVALID_PARAMETER', `revisions must be a comma-separated list of table:revision (or table:new), not '${String(raw)}'`, [
      { path: '/revisions', message: 'must be like handhaving.boete:3,handhaving.nieuw:new' },
    ]);
  if (typeof raw !== 'string' || raw.length > 20_000) throw bad();
  for (const part of raw.split(',')) {
    const m = /^([a-z0-9][a-z0-9.-]*):(new|\d{1,9})$/.exec(part.trim());
    if (!m) throw bad();
    out.set(m[1]!, m[2] === 'new' ? 'new' : Number(m[2]));
  }
  return out;
}

/** The model's bytes as text; a body over the limit is a 413 that names the limit. */
function dmnBody(): (req: Request, res: Response, next: NextFunction) => void {
  const raw = express.raw({ type: () => true, limit: MAX_DMN_BYTES });
  return (req, res, next) =>
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large') {
        next(new ApiError('PAYLOAD_TOO_LARGE', `the DMN model is larger than ${MAX_DMN_BYTES} bytes (5 MB), the most one upload may be`, [{ path: '/body', message: `larger than ${MAX_DMN_BYTES} bytes` }], { limit: MAX_DMN_BYTES }));
      } else next(err);
    });
}

function bodyText(req: Request): string {
  const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (bytes.length === 0) throw new ApiError('INVALID_REQUEST', 'send the DMN model (XML) as the request body', [{ path: '/body', message: 'is empty' }]);
  return bytes.toString('utf8');
}

export function dmnRouter(ctx: ApiContext): Router {
  const { store } = ctx;
  const r = Router();
  const read = authorize(ctx.access, 'read');
  const edit = authorize(ctx.access, 'edit');

  r.get('/tables/:id/export.dmn', read, async (req, res) => {
    const id = req.params.id as string;
    const version = dmnVersionParam(req.query.dmnVersion);
    await sendDmn(res, `${id}.dmn`, [(await tableAt(store, id, req.query.version))], version);
  });

  r.get('/domains/:domain/export.dmn', read, async (req, res) => {
    const domain = req.params.domain as string;
    const which = req.query.version;
    if (which !== undefined && which !== 'draft') {
      throw new ApiError('INVALID_PARAMETER', `a domain is exported as its newest versions, or with version=draft its drafts, not '${String(which)}'`, [{ path: '/version', message: 'must be "draft" or absent' }]);
    }
    const version = dmnVersionParam(req.query.dmnVersion);
    const ids = store.tableIds().filter((id) => id.startsWith(`${domain}.`));
    if (ids.length === 0) throw new ApiError('NOT_FOUND', `no table is in the domain '${domain}'`);
    const tables = [];
    for (const id of ids) tables.push(await tableAt(store, id, which));
    await sendDmn(res, `${domain}.dmn`, tables, version, { name: domain, id: `beslis_${domain.replace(/[^A-Za-z0-9_]/g, '_')}` });
  });

  r.post('/dmn/import/preview', edit, dmnBody(), async (req, res) => {
    res.json(await plan(ctx, bodyText(req)));
  });

  r.post('/dmn/import', edit, dmnBody(), async (req, res) => {
    const expected = revisionsParam(req.query.revisions);
    const { tables, warnings } = await plan(ctx, bodyText(req));
    const missing = tables.filter((t) => t.action !== 'create' && !expected.has(t.id)).map((t) => t.id);
    if (missing.length > 0) {
      throw new ApiError(
        'PRECONDITION_REQUIRED',
        `send revisions=<table>:<revision> for each table that exists already (the preview answers them), so no import overwrites a draft silently: ${missing.join(', ')}`,
        missing.map((id) => ({ path: '/revisions', message: `no revision for ${id}` })),
      );
    }
    const created: string[] = [];
    const updated: string[] = [];
    const unchanged: string[] = [];
    (await store.transaction(async () => {
      for (const t of tables) {
        const want = expected.get(t.id);
        if (want === 'new' && t.action !== 'create') throw new StoreError('TABLE_EXISTS', `a table '${t.id}' was created meanwhile; preview the model again`);
        if (t.action === 'create') {
          await store.createTable(t.table, req.actor.name);
          created.push(t.id);
        } else if (t.action === 'draft') {
          await store.saveDraft(t.id, t.table, want as number, req.actor.name, { change: t.diff!.summary, importedFrom: 'DMN' });
          updated.push(t.id);
        } else {
          if (typeof want === 'number' && want !== t.revision) {
            throw new StoreError('STALE_REVISION', `the draft of ${t.id} is at revision ${t.revision}, not ${want}: someone saved it meanwhile; preview the model again`, [], { revision: t.revision });
          }
          unchanged.push(t.id);
        }
      }
    }));
    res.json({ created, updated, unchanged, warnings });
  });

  return r;
}

const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventiematrix' };
const dmnVersionQuery = { name: 'dmnVersion', in: 'query', schema: { enum: [...EXPORT_VERSIONS] }, description: 'the DMN version written: 1.5 (default) or 1.3 (for tools that read 1.3 only, such as dmn-js)' };
const dmnAnswer = { description: 'The DMN model (XML)', content: { [DMN_TYPE]: { schema: { type: 'string' } } } };
const dmnUpload = { required: true, content: { [DMN_TYPE]: { schema: { type: 'string' } }, 'text/xml': { schema: { type: 'string' } } } };
const refusals = {
  '400': errorResponse('Empty body'),
  '413': errorResponse('Model over 5 MB (limit in the answer)'),
  '422': errorResponse('The model has problems, each named by DMN element (`decision#id`) with a code and parameters; nothing was stored'),
};
const plannedTable = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    action: { enum: ['create', 'draft', 'unchanged'] },
    revision: { type: ['integer', 'null'], description: 'the draft revision planned against (0: none yet); null for a new table' },
    table: { type: 'object' },
    diff: { type: ['object', 'null'], description: 'as GET …/diff answers it; null for a new table' },
  },
};

export const DMN_PATHS: Record<string, unknown> = {
  '/api/v1/tables/{id}/export.dmn': {
    get: {
      tags: ['tables'],
      summary: 'The table as a DMN model: the newest version, ?version=N, or ?version=draft (the draft, else the newest version)',
      parameters: [idParam, { name: 'version', in: 'query', schema: { type: 'string' }, description: 'a version number or "draft"' }, dmnVersionQuery],
      responses: { '200': dmnAnswer, '400': errorResponse('version is not a number or "draft", or dmnVersion not 1.3 or 1.5'), '404': errorResponse('Unknown table or version') },
    },
  },
  '/api/v1/domains/{domain}/export.dmn': {
    get: {
      tags: ['tables'],
      summary: 'Every table of a domain as one DMN model (required tables wired as required decisions), newest versions or ?version=draft',
      parameters: [{ name: 'domain', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving' }, { name: 'version', in: 'query', schema: { enum: ['draft'] } }, dmnVersionQuery],
      responses: { '200': dmnAnswer, '400': errorResponse('version is not "draft", or dmnVersion not 1.3 or 1.5'), '404': errorResponse('No table in that domain') },
    },
  },
  '/api/v1/dmn/import/preview': {
    post: {
      tags: ['drafts'],
      summary: 'What importing a DMN model would do, table by table; nothing is stored',
      description:
        'The body is the DMN XML (1.1–1.5). The answer lists per decision table its Beslis id, the action (create: a new table; draft: a new draft of an existing table; unchanged), ' +
        'the draft revision it was planned against and the diff. Over an existing table the table card (meta) is kept. A model with problems is a 422 as for the import.',
      requestBody: dmnUpload,
      responses: {
        '200': {
          description: '{model, tables, warnings}',
          content: { 'application/json': { schema: { type: 'object', properties: { model: { type: 'object' }, tables: { type: 'array', items: plannedTable }, warnings: { type: 'array', items: { type: 'object' } } } } } },
        },
        ...refusals,
      },
    },
  },
  '/api/v1/dmn/import': {
    post: {
      tags: ['drafts'],
      summary: 'Import a DMN model: each decision table becomes a draft (a new table, or a new draft of an existing one); approval still publishes it',
      description:
        'The body is the DMN XML (1.1–1.5). All or nothing: with any problem nothing is stored and the answer is a 422 INVALID_FILE whose invalidParams name each DMN element (`decision#id`) ' +
        'with the problem, its code and parameters, and `problems` lists them with severity, element, id and name. Each table that exists already needs its previewed draft revision in `revisions` ' +
        '(428 without; 409 when the draft was saved meanwhile or a table given as new was created). Limits: 5 MB, 50,000 XML elements, 200 decision tables.',
      parameters: [
        { name: 'revisions', in: 'query', schema: { type: 'string' }, example: 'handhaving.boete:3,handhaving.nieuw:new', description: 'table:revision per table, as the preview answered (new for a new table)' },
      ],
      requestBody: dmnUpload,
      responses: {
        '200': { description: '{created, updated, unchanged, warnings}', content: { 'application/json': { schema: { type: 'object' } } } },
        ...refusals,
        '409': errorResponse('A draft was saved, submitted or a table created since the preview'),
        '428': errorResponse('An existing table without its revision in `revisions`'),
      },
    },
  },
};
