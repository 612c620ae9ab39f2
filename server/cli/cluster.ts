// `beslis serve --workers N`: N server processes on one port (node:cluster) over the one SQLite database.
// Evaluation is stateless per request and the database is shared through WAL, so workers need no coordination
// beyond one rule: the first worker starts alone, so migrations, the first load and the first admin happen once.
import cluster, { type Worker } from 'node:cluster';
import { Registry } from 'prom-client';
import { BackupMetrics, serveClusterMetrics } from '../api/metrics.ts';
import { startBackupSchedule, type BackupSchedule } from './backup-schedule.ts';

const RESTART_DELAY_MS = 1000;
/** Beyond the workers' own shutdown bound: the primary then ends a worker that has not stopped. */
const KILL_MARGIN_MS = 10_000;

export interface PrimaryOptions {
  /** The workers' shutdown timeout (each bounds its own stop; the primary kills one that overruns it). */
  shutdownTimeoutMs: number;
  /** Scheduled backups, taken here so there is exactly one schedule whichever workers run. */
  backups: BackupSchedule | null;
  dbFile: string;
}

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** A stopped worker lets go of the IPC channel to the primary, which would otherwise keep the process alive. */
export function leaveCluster(): void {
  if (cluster.isWorker) cluster.worker?.disconnect();
}

/** Runs in the primary process: forks the workers, restarts one that dies, stops them all on SIGINT/SIGTERM. */
export function runPrimary(count: number, opts: PrimaryOptions): Promise<number> {
  return new Promise<number>((done) => {
    let stopping = false;
    // GET /metrics in a worker asks the primary for every worker's figures (and the primary's: its backups).
    const own = new Registry();
    const backupMetrics = opts.backups ? new BackupMetrics(own) : null;
    serveClusterMetrics(own);
    const fork = (): Worker => cluster.fork();
    const first = fork();
    let schedule: { stop(): Promise<void> } | null = null;
    first.once('listening', (address) => {
      console.log(`beslis: ${count} workers on port ${address.port}`);
      for (let i = 1; i < count; i++) fork();
      // After the first worker has migrated the database.
      if (opts.backups) schedule = startBackupSchedule(opts.dbFile, opts.backups, backupMetrics);
    });
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) void Promise.resolve(schedule?.stop()).then(() => done(0));
        return;
      }
      console.error(`beslis: worker ${worker.process.pid} stopped (${signal ?? code}); starting another`);
      setTimeout(fork, RESTART_DELAY_MS);
    });
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      console.log(`beslis: ${signal}, stopping ${count} workers`);
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) done(0);
      // process.kill, not worker.kill: worker.kill would first disconnect, and a worker answering a scrape needs the channel.
      for (const w of workers) w?.process.kill('SIGTERM');
      setTimeout(() => {
        for (const w of Object.values(cluster.workers ?? {})) {
          console.error(`beslis: worker ${w?.process.pid} did not stop in time; killing it`);
          w?.process.kill('SIGKILL');
        }
      }, opts.shutdownTimeoutMs + KILL_MARGIN_MS).unref();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
