// The evaluation log, written off the request path: evaluations are queued in memory and committed in
// batches (one transaction per batch) a few milliseconds later, so a request never waits for the disk.
// A SIGKILL loses at most the entries of the last `flushDelayMs`; SIGTERM/SIGINT flush through `close()`.
import type { EvaluationLogRow, Store } from './store.ts';

export type LogMode = 'off' | 'sample' | 'all';

export interface EvaluationLogOptions {
  mode?: LogMode;
  /** Fraction of evaluations kept in `sample` mode (0–1). */
  sampleRate?: number;
  /** Rows older than this many days are deleted (0 = keep forever). */
  retentionDays?: number;
  /** How long entries wait in memory before a batch is committed. */
  flushDelayMs?: number;
  /** A batch is committed at once when the queue reaches this size. */
  maxBatch?: number;
  /** How often old rows are purged. */
  purgeIntervalMs?: number;
  random?: () => number;
}

export class EvaluationLog {
  readonly mode: LogMode;
  readonly sampleRate: number;
  readonly retentionDays: number;
  private queue: EvaluationLogRow[] = [];
  private timer: NodeJS.Timeout | null = null;
  private purgeTimer: NodeJS.Timeout | null = null;
  private readonly flushDelayMs: number;
  private readonly maxBatch: number;
  private readonly random: () => number;
  private closed = false;
  /** Rows committed and rows lost to a failed flush, for the health of the log. */
  written = 0;
  failed = 0;

  constructor(
    private readonly store: Store,
    opts: EvaluationLogOptions = {},
  ) {
    this.mode = opts.mode ?? 'all';
    this.sampleRate = Math.min(1, Math.max(0, opts.sampleRate ?? 0.1));
    this.retentionDays = opts.retentionDays ?? 400;
    this.flushDelayMs = opts.flushDelayMs ?? 20;
    this.maxBatch = opts.maxBatch ?? 1000;
    this.random = opts.random ?? Math.random;
    if (this.retentionDays > 0) {
      this.purge();
      this.purgeTimer = setInterval(() => this.purge(), opts.purgeIntervalMs ?? 6 * 3600_000);
      this.purgeTimer.unref();
    }
  }

  /** Whether this evaluation should be logged (decided before building the row, to keep `off` free). */
  wants(): boolean {
    if (this.closed) return false;
    if (this.mode === 'all') return true;
    if (this.mode === 'off') return false;
    return this.random() < this.sampleRate;
  }

  record(row: EvaluationLogRow): void {
    if (this.closed) return;
    this.queue.push(row);
    if (this.queue.length >= this.maxBatch) {
      setImmediate(() => this.flush());
    } else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushDelayMs);
    }
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Commits everything queued, in one transaction per `maxBatch` rows. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        this.store.insertEvaluationLog(batch);
        this.written += batch.length;
      } catch (err) {
        // The log must never take the server down; count the loss and say so once per failed batch.
        this.failed += batch.length;
        console.error(`beslis: evaluation log batch of ${batch.length} lost: ${(err as Error).message}`);
      }
    }
  }

  purge(): number {
    if (this.retentionDays <= 0) return 0;
    const before = new Date(Date.now() - this.retentionDays * 86_400_000).toISOString();
    try {
      return this.store.purgeEvaluationLog(before);
    } catch (err) {
      console.error(`beslis: evaluation log purge failed: ${(err as Error).message}`);
      return 0;
    }
  }

  close(): void {
    this.flush();
    this.closed = true;
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.purgeTimer = null;
  }
}
