// One JSON line per answered request (pino), and the request's figures for /metrics, from one 'finish' listener.
//
// pino because it writes a JSON line in a few microseconds (the evaluate route answers in well under a
// millisecond, so a slower logger would show in its throughput), has levels and child loggers, and writes to a file
// descriptor without a transport thread. In one process the destination is asynchronous (sonic-boom): lines are
// queued and written together, so a slow terminal or pipe never holds up an answer; close() flushes them. Under
// --workers every worker writes to the one standard output, and a pipe keeps only writes of at most 4 KB whole: there
// each line is written on its own, at once, so lines of different workers never cut into each other (paths are
// shortened to keep a line well under that).
//
// What a line holds: time, level, reqId, method, route (the route pattern), path (without the query string), status,
// ms, actor (a user name, `token:<name>`, or anonymous). Never headers, cookies, bodies or query strings: that is
// where passwords, tokens and CSRF tokens travel.
import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { API_BASE } from './base-path.ts';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import type { Metrics } from './metrics.ts';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = Level | 'silent';

export interface RequestLogOptions {
  /** Default: BESLIS_LOG_LEVEL, else info. `silent` writes nothing. */
  level?: LogLevel;
  /** Where lines go (default: standard output). Tests pass a stream to read them. */
  destination?: DestinationStream;
}

/** A request id a client may choose: 1–128 of letters, digits and . _ : - (a UUID fits; nothing that could forge a log line). */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function isLogLevel(level: string): level is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(level);
}

export function createLogger(opts: RequestLogOptions = {}): Logger {
  const level = opts.level ?? (process.env.BESLIS_LOG_LEVEL as LogLevel | undefined) ?? 'info';
  if (!isLogLevel(level)) throw new Error(`the log level must be one of ${LOG_LEVELS.join(', ')}, not '${String(level)}'`);
  let destination = opts.destination;
  if (!destination) {
    const stdout = pino.destination({ dest: 1, sync: cluster.isWorker });
    // A closed standard output (the reader went away) must not take the server down: say so once, then write nothing.
    let told = false;
    stdout.on('error', (err: Error) => {
      if (!told) console.error(`beslis: the request log cannot be written (${err.message}); requests go on without it`);
      told = true;
    });
    destination = stdout;
  }
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg' }, destination);
}

/** Writes what the logger still holds (before the process exits). */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    logger.flush(() => resolve());
  });
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id: string;
    }
  }
}

/** The route pattern a request matched (`/api/v1/evaluate/:tableId`), so /metrics has one series per route, not per address. */
export function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  // A router mounted elsewhere (the register at /register) names its routes relative to its mount point.
  if (typeof path === 'string') return req.originalUrl.startsWith(`${API_BASE}/`) ? `${API_BASE}${path}` : `${req.baseUrl}${path}`;
  if (path !== undefined) return '(editor page)';
  // No route: an unknown /api address, a body refused before routing, or a file of the editor.
  return req.originalUrl.startsWith('/api') ? '/api (no route)' : '(static)';
}

/** The address without its query string (where secrets travel, if a client puts them anywhere), at most 512 characters. */
/** A request's path for the logs: without its query string (it may hold a case's data) and at most 512 characters. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  return path.length <= MAX_PATH ? path : `${path.slice(0, MAX_PATH)}…`;
}

const MAX_PATH = 512;

/** The first middleware: a request id (the client's X-Request-Id when it is well-formed), echoed; one line and the figures when answered. */
export function observeRequests(logger: Logger | null, metrics: Metrics | null): RequestHandler {
  const logs = logger?.isLevelEnabled('info') ?? false;
  return (req, res, next) => {
    const sent = req.headers['x-request-id'];
    req.id = typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req);
      const tableId = req.params?.tableId;
      metrics?.request(req.method, route, res.statusCode, seconds, typeof tableId === 'string' ? tableId : undefined);
      if (logs) {
        logger!.info(
          { reqId: req.id, method: req.method, route, path: pathOf(req.originalUrl), status: res.statusCode, ms: Math.round(seconds * 1e6) / 1000, actor: req.actor?.name ?? 'anonymous' },
          'request',
        );
      }
    });
    next();
  };
}
