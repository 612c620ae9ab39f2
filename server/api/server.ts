// Starting and stopping the whole server: store, first load from files, first admin, access control, evaluation
// log, request log, metrics, HTTP.
//
// Stopping (close(), which `beslis serve` calls on SIGTERM/SIGINT): readiness answers 503 at once; after
// `shutdownDelayMs` (default 0) the port stops accepting; requests under way are answered (each with Connection: close, so keep-alive clients move on); after
// `shutdownTimeoutMs` connections still open are cut. Then the evaluation log is flushed and stopped, and the
// database closed. Every evaluation that was answered before the cut is in the log.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { EvaluationLog, type EvaluationLogOptions } from '../store/eval-log.ts';
import { Evaluator } from '../store/evaluation.ts';
import { hasPolicyFiles, importFiles, type FileProblem } from '../store/files.ts';
import { Store } from '../store/store.ts';
import { EngineWorker } from '../store/engine-worker.ts';
import { TableChecker } from '../store/table-check.ts';
import { ensureFirstAdmin } from '../store/users.ts';
import type { Logger } from 'pino';
import { Auth, type AuthOptions } from './access.ts';
import { createApp, type AppOptions } from './app.ts';
import { Metrics } from './metrics.ts';
import { createLogger, flushLogger, type RequestLogOptions } from './request-log.ts';

export const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface ServerOptions extends AppOptions {
  /** A SQLite file, or a PostgreSQL URL (postgres://…). */
  dbFile: string;
  /** PostgreSQL: apply missing migrations on start (default true; `beslis serve` leaves them to `beslis migrate`). */
  migrate?: boolean;
  port?: number;
  /** Interface to listen on (default: all). Tests pass 127.0.0.1. */
  host?: string;
  /** Folder with rules/ and fixtures/ loaded into an empty database; null: none. */
  seedDir?: string | null;
  log?: EvaluationLogOptions;
  /** Time budget for checking one untrusted table (ms; default TABLE_CHECK_BUDGET_MS). */
  tableCheckBudgetMs?: number;
  /**
   * Start the table checker's thread at once (default), so the first save does not wait for it to load the engine
   * (seconds on a busy machine). Tests that never save a table turn it off.
   */
  warmTableChecker?: boolean;
  adminPassword?: string;
  /** Sessions, login lockout and cookies. Access control itself is always on: there is no way to switch it off here. */
  auth?: AuthOptions;
  /** Clock for the store, sessions and lockouts (tests). */
  now?: () => Date;
  /** Where start-up messages go (default console.log). */
  say?: (line: string) => void;
  /** The JSON request log (default: standard output at BESLIS_LOG_LEVEL or info). */
  requestLog?: RequestLogOptions;
  /** How long close() lets requests under way finish before it cuts their connections (default 10 s). */
  shutdownTimeoutMs?: number;
  /** How long close() first only fails readiness, still accepting, before it stops accepting (default 0). */
  shutdownDelayMs?: number;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export interface RunningServer {
  store: Store;
  log: EvaluationLog;
  evaluator: Evaluator;
  metrics: Metrics;
  logger: Logger;
  server: Server;
  port: number;
  url: string;
  seeded: { versions: number; fixtures: number; problems: FileProblem[] } | null;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const say = opts.say ?? ((line: string) => console.log(line));
  const store = await Store.open(opts.dbFile, { ...(opts.now ? { now: opts.now } : {}), ...(opts.migrate !== undefined ? { migrate: opts.migrate } : {}) });
  let seeded: RunningServer['seeded'] = null;
  try {
    if (opts.seedDir && store.isEmpty() && hasPolicyFiles(opts.seedDir)) {
      const report = (await importFiles(store, opts.seedDir, 'import', { skipInvalid: true }));
      seeded = { versions: report.imported.length, fixtures: report.fixturesImported.length, problems: report.problems };
      say(`beslis: loaded ${seeded.versions} versions and ${seeded.fixtures} fixture sets from ${opts.seedDir}`);
      for (const p of report.problems) say(`beslis: skipped ${p.file}: ${p.message}${p.details?.length ? ` (${p.details.map((d) => `${d.path}: ${d.message}`).join('; ')})` : ''}`);
    }
    const generated = (await ensureFirstAdmin(store, opts.adminPassword));
    if (generated) say(`beslis: created user 'admin' with password ${generated} (shown once; change it)`);
    else if (generated === '') say(`beslis: created user 'admin' with the password from BESLIS_ADMIN_PASSWORD`);
  } catch (err) {
    await store.close();
    throw err;
  }
  const log = new EvaluationLog(store, opts.log);
  const evaluator = new Evaluator(store, log);
  const checker = new TableChecker(opts.tableCheckBudgetMs);
  if (opts.warmTableChecker ?? true) checker.warm();
  // Impact replays and statistics stream the log in a thread of their own, one at a time.
  const logWorker = new EngineWorker({ maxOldGenerationSizeMb: 1024 }, 10);
  const metrics = new Metrics({ dbFile: opts.dbFile, log });
  const logger = createLogger(opts.requestLog);
  let stopping = false;
  const app = createApp(
    { store, evaluator, log, access: new Auth(store, opts.auth), checker, logWorker, version: PACKAGE_VERSION, metrics, logger, stopping: () => stopping },
    opts,
  );
  const server = createServer(app);
  // While stopping, every answer closes its connection: a keep-alive client sends its next request elsewhere.
  server.on('request', (_req, res) => {
    if (stopping) res.setHeader('Connection', 'close');
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 3000, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = opts.host ?? 'localhost';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  let closing: Promise<void> | null = null;
  const graceMs = opts.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  return {
    store,
    log,
    evaluator,
    metrics,
    logger,
    server,
    port: address.port,
    url,
    seeded,
    close() {
      stopping = true;
      const drain = () =>
        new Promise<void>((resolve) => {
          const cut = setTimeout(() => {
            logger.warn({ graceMs }, 'shutdown: requests still under way after the grace period; closing their connections');
            server.closeAllConnections();
          }, graceMs);
          cut.unref();
          server.close(() => {
            clearTimeout(cut);
            resolve();
          });
          server.closeIdleConnections();
        });
      // With a delay, the server first only fails its readiness check (still answering everything), so a load
      // balancer takes it out of rotation before the port closes and no new connection is refused.
      closing ??= new Promise<void>((resolve) => setTimeout(resolve, opts.shutdownDelayMs ?? 0))
        .then(drain)
        .then(() => Promise.all([log.close(), checker.close(), logWorker.close()]))
        .then(async () => (await store.close()))
        .then(() => flushLogger(logger));
      return closing;
    },
  };
}
