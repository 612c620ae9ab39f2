// `beslis serve`: the HTTP API and the editor, on an embedded SQLite database or a shared PostgreSQL one.
import { BackupMetrics } from '../../api/metrics.ts';
import { isLogLevel, LOG_LEVELS } from '../../api/request-log.ts';
import { DEFAULT_CONTACT, type ApiContact } from '../../api/openapi.ts';
import { startServer } from '../../api/server.ts';
import type { LogMode } from '../../store/eval-log.ts';
import { fail, parseCommandArgs } from '../args.ts';
import { isClusterWorker, leaveCluster, runPrimary } from '../cluster.ts';
import { parseInterval, startBackupSchedule } from '../backup-schedule.ts';
import { seedDir } from '../open-store.ts';
import { databaseTarget, describeTarget, redactUrl, targetLocation, type DatabaseTarget } from '../database-url.ts';
import { appliedMigrations } from '../schema-state.ts';
import { POSTGRES_MIGRATIONS } from '../../store/migrations-postgres.ts';
import { registerSettings } from '../../algoritmeregister/index.ts';

/** After the shutdown timeout, this long for the log flush and closing the database before the process gives up. */
const SHUTDOWN_MARGIN_S = 5;

export const summary = 'serve the API on PORT (3000) with the database BESLIS_DB (./data/beslis.db) or BESLIS_DATABASE_URL';

const HELP = `Usage: beslis serve [--port N] [--db FILE | --database-url URL] [--host ADDR] [--seed DIR | --no-seed] [--log off|sample|all]

Serves the API under /api (reference at /api/v1/docs). On first start an empty database is loaded from
DIR/rules and DIR/fixtures (default: the package's own), and a user 'admin' is created.

  --port N                  port (env PORT, default 3000; 0 picks a free port)
  --db FILE                 database file (env BESLIS_DB, default ./data/beslis.db); migrated on start
  --database-url URL        a PostgreSQL database shared by several nodes, postgres://user:password@host/name
                            (env BESLIS_DATABASE_URL). Not migrated on start: run 'beslis migrate' first (a
                            schema behind this program is refused). Every node needs the same BESLIS_AUDIT_KEY.
  --host ADDR               listen only on this interface (env HOST, default: all)
  --seed DIR                folder holding rules/ and fixtures/ for the first load
  --no-seed                 start with an empty database
  --log MODE                evaluation log: off, sample or all (env BESLIS_LOG, default all)
  --log-sample RATE         fraction kept in sample mode (env BESLIS_LOG_SAMPLE, default 0.1)
  --log-retention DAYS      delete log rows older than this (env BESLIS_LOG_RETENTION_DAYS, default 400; 0 keeps all)
  --log-durability MODE     async: answer before the log row is committed (a crash may lose the last moments,
                            see the README); sync: answer once it is committed and on disk
                            (env BESLIS_LOG_DURABILITY, default async)
  --body-limit SIZE         largest request body (env BESLIS_BODY_LIMIT, default 5mb)
  --trust-proxy VALUE       behind a reverse proxy only (env BESLIS_TRUST_PROXY): express's 'trust proxy', e.g.
                            loopback, 1, or the proxy's address. Then X-Forwarded-Proto: https makes the session
                            cookie Secure and X-Forwarded-For is the address the login lockout counts. Default: off,
                            both headers are ignored (a client could send them itself).
  --secure-cookies MODE     auto (default: Secure when the request came over HTTPS) or always
                            (env BESLIS_SECURE_COOKIES)
  --session-idle MINUTES    a session ends after this long unused (env BESLIS_SESSION_IDLE, default 120)
  --session-max HOURS       and at the latest this long after login (env BESLIS_SESSION_MAX, default 12)
  --workers N               serve with N processes on the one port and database (env BESLIS_WORKERS, default 1);
                            the first starts alone (migrations, first load), then the others
  --log-level LEVEL         the JSON request log on standard output: fatal, error, warn, info (default), debug,
                            trace or silent (env BESLIS_LOG_LEVEL); one line per request
  --backup-dir DIR          scheduled backups into DIR (env BESLIS_BACKUP_DIR): one at start, then every interval,
                            as beslis-<UTC time>.db; under --workers the primary process takes them (exactly one)
  --backup-interval TIME    how often: 30s, 15m, 6h, 1d or minutes (env BESLIS_BACKUP_INTERVAL, default 6h)
  --backup-keep N           how many backups stay in DIR, the oldest removed first (env BESLIS_BACKUP_KEEP, default 28)
  --shutdown-delay SECS     on SIGTERM, first only answer /api/v1/health/ready with 503 for this long, still serving,
                            so a load balancer stops sending before the port closes (env BESLIS_SHUTDOWN_DELAY,
                            default 0)
  --shutdown-timeout SECS   on SIGTERM, how long requests under way may take before their connections are cut
                            (env BESLIS_SHUTDOWN_TIMEOUT, default 10); then the log is flushed and the database closed

Environment: BESLIS_ADMIN_PASSWORD sets the first admin's password (otherwise a random one is printed once).
BESLIS_API_CONTACT_NAME, BESLIS_API_CONTACT_EMAIL and BESLIS_API_CONTACT_URL fill info.contact of the OpenAPI
document (/api/v1/openapi.json): who answers an application developer's questions about this installation.
Stops cleanly on SIGINT/SIGTERM: stops accepting, answers the requests under way, flushes the evaluation log and
closes the database; a process that has not stopped 5 s after the shutdown timeout exits with code 1.`;

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    help: HELP,
    allowPositionals: false,
    options: {
      port: { type: 'string' },
      db: { type: 'string' },
      'database-url': { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      'no-seed': { type: 'boolean' },
      log: { type: 'string' },
      'log-sample': { type: 'string' },
      'log-retention': { type: 'string' },
      'log-durability': { type: 'string' },
      'body-limit': { type: 'string' },
      'trust-proxy': { type: 'string' },
      'secure-cookies': { type: 'string' },
      'session-idle': { type: 'string' },
      'session-max': { type: 'string' },
      workers: { type: 'string' },
      'log-level': { type: 'string' },
      'shutdown-timeout': { type: 'string' },
      'shutdown-delay': { type: 'string' },
      'backup-dir': { type: 'string' },
      'backup-interval': { type: 'string' },
      'backup-keep': { type: 'string' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const env = process.env;
  const port = Number(values.port ?? (env.PORT || 3000));
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`beslis serve: the port must be a number from 0 to 65535, not '${values.port ?? env.PORT}'`);
  const mode = (values.log ?? (env.BESLIS_LOG || 'all')) as LogMode;
  if (!['off', 'sample', 'all'].includes(mode)) return fail(`beslis serve: --log must be off, sample or all, not '${mode}'`);
  const sampleRate = Number(values['log-sample'] ?? (env.BESLIS_LOG_SAMPLE || 0.1));
  const retentionDays = Number(values['log-retention'] ?? (env.BESLIS_LOG_RETENTION_DAYS || 400));
  if (!(sampleRate >= 0 && sampleRate <= 1) || !(retentionDays >= 0)) return fail('beslis serve: --log-sample must be between 0 and 1 and --log-retention 0 or more');
  const durability = values['log-durability'] ?? (env.BESLIS_LOG_DURABILITY || 'async');
  if (durability !== 'async' && durability !== 'sync') return fail(`beslis serve: --log-durability must be async or sync, not '${durability}'`);
  const secureCookies = values['secure-cookies'] ?? (env.BESLIS_SECURE_COOKIES || 'auto');
  if (secureCookies !== 'auto' && secureCookies !== 'always') return fail(`beslis serve: --secure-cookies must be auto or always, not '${secureCookies}'`);
  const idleMinutes = Number(values['session-idle'] ?? (env.BESLIS_SESSION_IDLE || 120));
  const maxHours = Number(values['session-max'] ?? (env.BESLIS_SESSION_MAX || 12));
  if (!(idleMinutes > 0) || !(maxHours > 0)) return fail('beslis serve: --session-idle and --session-max must be positive numbers');
  const workers = Number(values.workers ?? (env.BESLIS_WORKERS || 1));
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    return fail(`beslis serve: --workers must be a whole number from 1 to 64, not '${values.workers ?? env.BESLIS_WORKERS}'`);
  }
  const logLevel = values['log-level'] ?? (env.BESLIS_LOG_LEVEL || 'info');
  if (!isLogLevel(logLevel)) return fail(`beslis serve: --log-level must be one of ${LOG_LEVELS.join(', ')}, not '${logLevel}'`);
  const shutdownSeconds = Number(values['shutdown-timeout'] ?? (env.BESLIS_SHUTDOWN_TIMEOUT || 10));
  if (!(shutdownSeconds >= 0 && shutdownSeconds <= 3600)) return fail('beslis serve: --shutdown-timeout must be a number of seconds from 0 to 3600');
  const shutdownTimeoutMs = shutdownSeconds * 1000;
  const delaySeconds = Number(values['shutdown-delay'] ?? (env.BESLIS_SHUTDOWN_DELAY || 0));
  if (!(delaySeconds >= 0 && delaySeconds <= 600)) return fail('beslis serve: --shutdown-delay must be a number of seconds from 0 to 600');
  const backupDir = values['backup-dir'] ?? (env.BESLIS_BACKUP_DIR || undefined);
  const intervalText = values['backup-interval'] ?? (env.BESLIS_BACKUP_INTERVAL || '6h');
  const intervalMs = parseInterval(intervalText);
  if (intervalMs === null) return fail(`beslis serve: --backup-interval must be like 30s, 15m, 6h or 1d (at least 1 s), not '${intervalText}'`);
  const keep = Number(values['backup-keep'] ?? (env.BESLIS_BACKUP_KEEP || 28));
  if (!Number.isInteger(keep) || keep < 1) return fail('beslis serve: --backup-keep must be a whole number of 1 or more');
  const backups = backupDir ? { dir: backupDir, intervalMs, keep } : null;
  // The Algoritmeregister export reads BESLIS_ORGANISATION and _CONTACT per request: a wrong one is refused here, once.
  try {
    registerSettings({}, env);
  } catch (err) {
    return fail(`beslis serve: ${(err as Error).message}`);
  }
  let target: DatabaseTarget;
  try {
    target = databaseTarget(values, env);
  } catch (err) {
    return fail(`beslis serve: ${(err as Error).message}`);
  }
  if (target.kind === 'postgres') {
    if (backups) return fail('beslis serve: --backup-dir takes copies of a SQLite file; on PostgreSQL back up with pg_dump (or the database\'s own backups)');
    const refusal = await schemaRefusal(target);
    if (refusal) return fail(refusal, 1);
  }
  const dbFile = targetLocation(target);
  // Standard output carries the start-up lines and the request log: a reader that goes away (`beslis serve | head`,
  // a log shipper that stops) must not stop the server with it.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') console.error(`beslis: standard output failed: ${err.message}`);
  });
  if (workers > 1 && !isClusterWorker()) return runPrimary(workers, { shutdownTimeoutMs: shutdownTimeoutMs + delaySeconds * 1000, backups, dbFile });
  const running = await startServer({
    dbFile,
    // PostgreSQL's schema is `beslis migrate`'s to change (checked above); a SQLite file migrates as it always did.
    ...(target.kind === 'postgres' ? { migrate: false } : {}),
    port,
    host: values.host ?? (env.HOST || undefined),
    seedDir: seedDir(values),
    log: { mode, sampleRate, retentionDays, durability },
    bodyLimit: values['body-limit'] ?? (env.BESLIS_BODY_LIMIT || '5mb'),
    adminPassword: env.BESLIS_ADMIN_PASSWORD || undefined,
    trustProxy: trustProxyValue(values['trust-proxy'] ?? env.BESLIS_TRUST_PROXY),
    apiContact: apiContact(env),
    auth: { secureCookies, session: { idleMs: idleMinutes * 60_000, absoluteMs: maxHours * 3600_000 } },
    requestLog: { level: logLevel },
    shutdownTimeoutMs,
    shutdownDelayMs: delaySeconds * 1000,
  });
  console.log(`beslis: database ${describeTarget(target)}`);
  console.log(`beslis: listening on ${running.url} (API reference: ${running.url}/api/v1/docs)`);
  // In a cluster the primary takes the backups; a single process takes its own.
  const schedule = backups && !isClusterWorker() ? startBackupSchedule(dbFile, backups, new BackupMetrics(running.metrics.registry)) : null;
  return new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      console.log(`beslis: ${signal}, stopping (${delaySeconds ? `not ready now, closing the port in ${delaySeconds} s; ` : ''}requests under way get ${shutdownSeconds} s)`);
      // The bound: whatever hangs (a request that never ends, a disk that does not answer), the process ends.
      setTimeout(() => {
        console.error(`beslis: not stopped ${delaySeconds + shutdownSeconds + SHUTDOWN_MARGIN_S} s after ${signal}; exiting`);
        process.exit(1);
      }, (delaySeconds + shutdownSeconds + SHUTDOWN_MARGIN_S) * 1000).unref();
      Promise.all([schedule?.stop(), running.close()]).then(
        () => {
          console.log('beslis: stopped (evaluation log flushed, database closed)');
          leaveCluster();
          done(0);
        },
        (err: unknown) => {
          console.error(err);
          done(1);
        },
      );
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/**
 * Why serve must not start on this PostgreSQL database, or null: it does not answer, or its schema is not the one
 * this program needs. Serve never migrates PostgreSQL: nodes starting together would race, and an upgrade of a
 * shared database is a step for the operator (`beslis migrate`).
 */
async function schemaRefusal(target: Extract<DatabaseTarget, { kind: 'postgres' }>): Promise<string | null> {
  const where = redactUrl(target.url);
  let applied;
  try {
    applied = await appliedMigrations(target);
  } catch (err) {
    return `beslis serve: the database ${where} does not answer: ${(err as Error).message}`;
  }
  if (applied.length === 0) return `beslis serve: ${where} holds no Beslis schema yet: run 'beslis migrate --database-url URL' once, then start the nodes`;
  const newest = applied.at(-1)!.version;
  if (newest < POSTGRES_MIGRATIONS.length) {
    return `beslis serve: ${where} has schema version ${newest}, this program needs ${POSTGRES_MIGRATIONS.length}: run 'beslis migrate --database-url URL' (once, for all nodes), then start the nodes`;
  }
  if (newest > POSTGRES_MIGRATIONS.length) return `beslis serve: ${where} has schema version ${newest}, newer than this program knows (${POSTGRES_MIGRATIONS.length}): run the newer release`;
  return null;
}

/** express's 'trust proxy': a hop count, true/false, or addresses and names like 'loopback' (default: false). */
/** info.contact of the OpenAPI document from BESLIS_API_CONTACT_NAME, _EMAIL and _URL (the NL API Design Rules ask all three). */
export function apiContact(env: NodeJS.ProcessEnv): ApiContact | undefined {
  const name = env.BESLIS_API_CONTACT_NAME || undefined;
  const email = env.BESLIS_API_CONTACT_EMAIL || undefined;
  const url = env.BESLIS_API_CONTACT_URL || undefined;
  if (!name && !email && !url) return undefined;
  return { name: name ?? DEFAULT_CONTACT.name, ...(email ? { email } : {}), ...(url ? { url } : {}) };
}

export function trustProxyValue(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}
