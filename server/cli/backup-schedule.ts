// Scheduled backups for `beslis serve --backup-dir DIR --backup-interval 6h --backup-keep 28`: every interval a
// consistent copy (../store/backup.ts), and one at start, goes to DIR/beslis-<UTC time>.db, written by a worker thread so requests are
// not held up, and only the newest `keep` copies stay. Under --workers the primary process runs the schedule (it
// serves no requests), so there is exactly one, whichever workers come and go.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackupMetrics } from '../api/metrics.ts';
import type { BackupReport } from '../store/backup.ts';

export interface BackupSchedule {
  dir: string;
  intervalMs: number;
  keep: number;
}

const NAME = /^beslis-\d{8}T\d{6}(\d{3})?Z\.db$/;

/** `30s`, `15m`, `6h`, `1d`, or a number of minutes; null when it is none of these (or not positive). */
export function parseInterval(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(text.trim());
  if (!m) return null;
  const ms = Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'm') as 's' | 'm' | 'h' | 'd'];
  return ms >= 1000 ? ms : null;
}

/** Copies the database `source` into the folder now (off this thread); resolves with the report. */
export function backupInto(source: string, dir: string, now = new Date()): Promise<BackupReport> {
  mkdirSync(dir, { recursive: true });
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  const out = join(dir, `beslis-${stamp}.db`);
  return new Promise<BackupReport>((done, fail) => {
    const worker = new Worker(new URL('../store/backup.worker.js', import.meta.url), { workerData: { source, out } });
    worker.once('message', (msg: { ok: boolean; report?: BackupReport; message?: string }) => {
      if (msg.ok) done(msg.report!);
      else fail(new Error(msg.message));
    });
    worker.once('error', fail);
    worker.once('exit', (code) => {
      if (code !== 0) fail(new Error(`the backup thread stopped with code ${code}`));
    });
  });
}

/** Removes all but the newest `keep` scheduled backups in `dir`; returns the names removed. */
export function pruneBackups(dir: string, keep: number): string[] {
  const names = readdirSync(dir).filter((n) => NAME.test(n)).sort();
  const old = names.slice(0, Math.max(0, names.length - keep));
  for (const n of old) rmSync(join(dir, n), { force: true });
  return old;
}

/** Starts the schedule; stop() waits for a backup under way. */
export function startBackupSchedule(
  source: string,
  schedule: BackupSchedule,
  metrics: BackupMetrics | null,
  say = console.log,
  warn = console.error,
): { stop(): Promise<void> } {
  const dir = resolve(schedule.dir);
  let running: Promise<void> | null = null;
  const once = () => {
    if (running) return; // the previous one is still going: skip, do not pile up
    running = backupInto(source, dir)
      .then(
        (r) => {
          metrics?.written(r.bytes);
          say(`beslis: backup ${r.file} written (${r.bytes} bytes in ${r.ms} ms; audit head ${r.auditHead ? `${r.auditHead.id} ${r.auditHead.hash}` : 'none'})`);
          for (const n of pruneBackups(dir, schedule.keep)) say(`beslis: backup ${join(dir, n)} removed (keeping ${schedule.keep})`);
        },
        (err: Error) => {
          metrics?.failed();
          warn(`beslis: backup into ${dir} FAILED: ${err.message}`);
        },
      )
      .finally(() => {
        running = null;
      });
  };
  // One at start (a server restarted more often than the interval still gets its backups), then every interval.
  const first = setTimeout(once, 0);
  first.unref();
  const timer = setInterval(once, schedule.intervalMs);
  timer.unref();
  say(`beslis: backups at start and every ${Math.round(schedule.intervalMs / 1000)} s into ${dir}, keeping ${schedule.keep}`);
  return {
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
