// Starting and stopping the whole server: store, first load from files, first admin, access control, evaluation
// log, HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { EvaluationLog, type EvaluationLogOptions } from '../store/eval-log.ts';
import { Evaluator } from '../store/evaluation.ts';
import { hasPolicyFiles, importFiles, type FileProblem } from '../store/files.ts';
import { Store } from '../store/store.ts';
import { TableChecker } from '../store/table-check.ts';
import { ensureFirstAdmin } from '../store/users.ts';
import { Auth, type AuthOptions } from './access.ts';
import { createApp, type AppOptions } from './app.ts';

export const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface ServerOptions extends AppOptions {
  dbFile: string;
  port?: number;
  /** Interface to listen on (default: all). Tests pass 127.0.0.1. */
  host?: string;
  /** Folder with rules/ and fixtures/ loaded into an empty database; null: none. */
  seedDir?: string | null;
  log?: EvaluationLogOptions;
  /** Time budget for checking one untrusted table (ms; default TABLE_CHECK_BUDGET_MS). */
  tableCheckBudgetMs?: number;
  adminPassword?: string;
  /** Sessions, login lockout and cookies. Access control itself is always on: there is no way to switch it off here. */
  auth?: AuthOptions;
  /** Clock for the store, sessions and lockouts (tests). */
  now?: () => Date;
  /** Where start-up messages go (default console.log). */
  say?: (line: string) => void;
}

export interface RunningServer {
  store: Store;
  log: EvaluationLog;
  evaluator: Evaluator;
  server: Server;
  port: number;
  url: string;
  seeded: { versions: number; fixtures: number; problems: FileProblem[] } | null;
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const say = opts.say ?? ((line: string) => console.log(line));
  const store = new Store(opts.dbFile, opts.now ? { now: opts.now } : {});
  let seeded: RunningServer['seeded'] = null;
  try {
    if (opts.seedDir && store.isEmpty() && hasPolicyFiles(opts.seedDir)) {
      const report = importFiles(store, opts.seedDir, 'import', { skipInvalid: true });
      seeded = { versions: report.imported.length, fixtures: report.fixturesImported.length, problems: report.problems };
      say(`beslis: loaded ${seeded.versions} versions and ${seeded.fixtures} fixture sets from ${opts.seedDir}`);
      for (const p of report.problems) say(`beslis: skipped ${p.file}: ${p.message}${p.details?.length ? ` (${p.details.map((d) => `${d.path}: ${d.message}`).join('; ')})` : ''}`);
    }
    const generated = ensureFirstAdmin(store, opts.adminPassword);
    if (generated) say(`beslis: created user 'admin' with password ${generated} (shown once; change it)`);
    else if (generated === '') say(`beslis: created user 'admin' with the password from BESLIS_ADMIN_PASSWORD`);
  } catch (err) {
    store.close();
    throw err;
  }
  const log = new EvaluationLog(store, opts.log);
  const evaluator = new Evaluator(store, log);
  const checker = new TableChecker(opts.tableCheckBudgetMs);
  const app = createApp({ store, evaluator, log, access: new Auth(store, opts.auth), checker, version: PACKAGE_VERSION }, opts);
  const server = createServer(app);
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
  return {
    store,
    log,
    evaluator,
    server,
    port: address.port,
    url,
    seeded,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      })
        .then(() => Promise.all([log.close(), checker.close()]))
        .then(() => store.close());
      return closing;
    },
  };
}
