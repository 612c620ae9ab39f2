// /register: the public register as server-rendered pages (issue 23 point 3). No login, no script; Dutch first,
// English with ?lang=en. Every page is rate-limited per client address like the public API (server/register/
// rate-limit.ts); a table not in the register is the same 404 page as an unknown address.
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { readFileSync } from 'node:fs';
import type { DecisionTable } from '../../engine/types.ts';
import { formFields, caseFromForm } from '../../register/form.ts';
import { REGISTER_BASE } from '../../register/html.ts';
import { indexPage } from '../../register/index-page.ts';
import { notFoundPage, tooManyPage } from '../../register/error-page.ts';
import type { RateLimiter } from '../../register/rate-limit.ts';
import { tablePage } from '../../register/table-page.ts';
import { langOf, type Lang } from '../../register/texts.ts';
import { tryPage, type TryPageData } from '../../register/try-page.ts';
import { StoreError } from '../../store/errors.ts';
import type { VersionRecord } from '../../store/records.ts';
import type { ApiContext } from '../context.ts';
import { toErrorResponse } from '../errors.ts';
import { clientOf, type PublicRegister } from './public-api.ts';

const STYLESHEET = readFileSync(new URL('../../register/register.css', import.meta.url), 'utf8');

/** The try-it form's body: small (a table has tens of inputs at most), fields of text only. */
const FORM_LIMIT = { limit: '32kb', parameterLimit: 500 };
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export { REGISTER_BASE };

function send(res: Response, status: number, body: string): void {
  // The same page for everyone, but a table's version in force changes: browsers check again before reuse.
  res.status(status).set('Cache-Control', 'no-cache').type('html').send(body);
}

function limited(limiter: RateLimiter): RequestHandler {
  return (req, res, next) => {
    const verdict = limiter.take(clientOf(req));
    if (verdict.allowed) return next();
    res.set('Retry-After', String(verdict.retryAfterSeconds));
    send(res, 429, tooManyPage(langOf(req.query.lang), verdict.retryAfterSeconds));
  };
}

export function publicPagesRouter(ctx: ApiContext, pub: PublicRegister): Router {
  const r = Router();
  const { register } = pub;
  const reads = limited(pub.reads);
  const evaluations = limited(pub.evaluations);
  const lookup = (date?: string) => (id: string): DecisionTable | null => {
    const v = register.versionOn(id, date);
    return v ? (register.version(id, v.version)?.table ?? null) : null;
  };

  r.get('/register.css', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('css').send(STYLESHEET);
  });

  r.get('/', reads, (req, res) => {
    send(res, 200, indexPage(register.tables(), langOf(req.query.lang)));
  });

  const showTable = (req: Request, res: Response, record: VersionRecord | null, print: boolean) => {
    const lang = langOf(req.query.lang);
    const id = req.params.id as string;
    const current = register.inForce(id);
    const history = register.history(id);
    if (!record || !current || !history) return send(res, 404, notFoundPage(lang));
    const required = new Map<string, string>();
    for (const reqId of record.table.requires ?? []) {
      const t = register.inForce(reqId);
      if (t) required.set(reqId, t.table.title);
    }
    send(res, 200, tablePage({ record, history, inForce: current.version, required, print }, lang));
  };

  r.get('/tables/:id', reads, (req, res) => showTable(req, res, register.inForce(req.params.id as string), false));
  r.get('/tables/:id/print', reads, (req, res) => showTable(req, res, register.inForce(req.params.id as string), true));
  r.get('/tables/:id/versions/:n', reads, (req, res) => {
    const n = Number(req.params.n);
    showTable(req, res, Number.isInteger(n) && n >= 1 ? register.version(req.params.id as string, n) : null, false);
  });

  r.get('/tables/:id/try', reads, (req, res) => {
    const lang = langOf(req.query.lang);
    const id = req.params.id as string;
    const date = typeof req.query.date === 'string' && DATE_ONLY.test(req.query.date) ? req.query.date : undefined;
    const table = register.inForce(id)?.table;
    if (!table) return send(res, 404, notFoundPage(lang));
    const asked = (date && lookup(date)(id)) || table;
    send(res, 200, tryPage({ table: asked, fields: formFields(asked, lookup(date)), sent: date ? { date } : {} }, lang));
  });

  r.post('/tables/:id/try', evaluations, express.urlencoded({ extended: false, ...FORM_LIMIT }), (req, res) => {
    const lang = langOf(req.query.lang);
    const id = req.params.id as string;
    if (!register.inForce(id)) return send(res, 404, notFoundPage(lang));
    const form = (req.body ?? {}) as Record<string, unknown>;
    const sent = Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const dateText = (sent.date ?? '').trim();
    const date = dateText === '' ? undefined : dateText;
    const v = register.versionOn(id, date && DATE_ONLY.test(date) ? date : undefined);
    const table = (v && register.version(id, v.version)?.table) || register.inForce(id)!.table;
    const fields = formFields(table, lookup(date));
    const data: TryPageData = { table, fields, sent };
    if (date !== undefined && (!DATE_ONLY.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))) {
      data.problems = [{ key: 'date', message: lang === 'nl' ? 'Vul een datum in als dd-mm-jjjj.' : 'Enter a date.' }];
      return send(res, 400, tryPage(data, lang));
    }
    try {
      const decision = pub.decider.decide(id, caseFromForm(fields, form), date);
      ctx.metrics?.evaluated(decision.tableId, decision.version);
      data.outcome = { version: decision.version, validFrom: decision.validFrom, output: decision.output, explanation: decision.explanation[lang] };
      send(res, 200, tryPage(data, lang));
    } catch (err) {
      data.problems = problemsOf(err, fields, lang);
      const { status } = toErrorResponse(err);
      if (status >= 500) throw err;
      send(res, status, tryPage(data, lang));
    }
  });

  r.use(reads, (req, res) => send(res, 404, notFoundPage(langOf(req.query.lang))));
  return r;
}

/** The engine's and the store's refusals as the form's problems, each on its field where it names one. */
function problemsOf(err: unknown, fields: ReturnType<typeof formFields>, lang: Lang): { key: string; message: string; reason?: string }[] {
  if (err instanceof StoreError && err.code === 'NO_VALID_VERSION') {
    const date = (err.extra as { date?: string }).date ?? '';
    return [{ key: 'date', message: lang === 'nl' ? `Op ${date.split('-').reverse().join('-')} gold er nog geen versie van deze tabel.` : `On ${date} no version of this table applied yet.` }];
  }
  const { body } = toErrorResponse(err);
  const out: { key: string; message: string; reason?: string }[] = [];
  for (const p of body.invalidParams) {
    // /input/<name> (or a nested path): the field whose input has that name or path.
    const path = p.name.replace(/^\/input\//, '').split('/').join('.');
    const field = fields.find((f) => (f.column.path ?? f.column.name) === path);
    const label = field ? (field.column.label ?? field.column.name) : path;
    const reason = fieldMessage(p.reason, p.code, field?.column.type, lang);
    out.push({ key: field?.key ?? '', message: reason.startsWith(label) ? reason : `${label}: ${reason}`, reason });
  }
  if (out.length === 0) out.push({ key: '', message: body.detail });
  return out;
}

/** The engine words its refusals in English, with a code (server/engine/messages.ts): the form says those a resident meets in Dutch. */
function fieldMessage(reason: string, code: string | undefined, type: string | undefined, lang: Lang): string {
  if (lang === 'en') return reason;
  switch (code) {
    case 'INPUT_REQUIRED':
      return 'vul dit in';
    case 'INPUT_NOT_ALLOWED':
    case 'INPUT_NOT_ALLOWED_VALUE':
      return 'kies een van de mogelijke waarden';
    case 'INPUT_WRONG_TYPE':
      return type === 'number' ? 'vul een getal in' : type === 'date' ? 'vul een datum in' : 'vul een geldige waarde in';
    default:
      return reason;
  }
}
