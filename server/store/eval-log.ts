// The evaluation log, written off the request path. Evaluations are queued in memory; a few milliseconds later
// the queue goes as one batch to a writer thread (log-writer.worker.js) that commits it in one transaction on
// its own connection. The request thread only serialises the batch. With `writer: 'inline'` (or an in-memory
// database) batches are committed on the calling thread instead, still one transaction per batch.
//
// Durability: a SIGKILL loses at most the entries of the last `flushDelayMs` plus the batch being committed;
// SIGTERM/SIGINT flush through `close()`. Backpressure: when the writer falls behind by more than
// `maxInFlight` rows, batches are committed inline, so memory stays bounded and nothing is dropped.
import { Worker } from 'node:worker_threads';
import type { EvaluationLogRow } from './records.ts';
import type { Store } from './store.ts';

export type LogMode = 'off' | 'sample' | 'all';

export interface EvaluationLogOptions {
  mode?: LogMode;
  /** Fraction of evaluations kept in `sample` mode (0–1). */
  sampleRate?: number;
  /** Rows older than this many days are deleted (0 = keep forever). */
  retentionDays?: number;
  /** How long entries wait in memory before a batch is sent. */
  flushDelayMs?: number;
  /** A batch is sent at once when the queue reaches this size. */
  maxBatch?: number;
  /** Rows sent to the writer thread and not yet committed, above which batches are committed inline. */
  maxInFlight?: number;
  /** How often old rows are purged. */
  purgeIntervalMs?: number;
  writer?: 'thread' | 'inline';
  random?: () => number;
}

interface Pending {
  resolve(value: number): void;
  reject(err: Error): void;
  rows: number;
  /** When the oldest row of this batch was queued (ms since the epoch); 0 for messages without rows. */
  since: number;
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
  private readonly maxInFlight: number;
  private readonly random: () => number;
  private readonly worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private readonly sending = new Set<Promise<number>>();
  private nextId = 1;
  private inFlight = 0;
  private closed = false;
  /** When the oldest row still in `queue` was queued (0: the queue is empty). Read once per batch, not per row. */
  private queuedSince = 0;
  private writerFailed = false;
  /** Rows committed, and rows lost to a failed commit (reported on stderr). */
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
    this.maxBatch = opts.maxBatch ?? 2000;
    this.maxInFlight = opts.maxInFlight ?? 50_000;
    this.random = opts.random ?? Math.random;
    const useThread = (opts.writer ?? 'thread') === 'thread' && store.file !== ':memory:' && this.mode !== 'off';
    if (useThread) {
      const worker = new Worker(new URL('./log-writer.worker.js', import.meta.url), { workerData: { file: store.file } });
      worker.on('message', (msg: { type: string; id: number; written?: number; purged?: number; message?: string }) => this.settle(msg));
      worker.on('error', (err) => {
        console.error(`beslis: evaluation log writer failed: ${err.message}`);
        this.writerFailed = true;
        this.failAll(err);
      });
      worker.on('exit', () => {
        if (!this.closed) this.writerFailed = true;
      });
      worker.unref();
      this.worker = worker;
    }
    if (this.retentionDays > 0) {
      void this.purge();
      this.purgeTimer = setInterval(() => void this.purge(), opts.purgeIntervalMs ?? 6 * 3600_000);
      this.purgeTimer.unref();
    }
  }

  /** Whether this evaluation should be logged (decided before building the row, so `off` costs nothing). */
  wants(): boolean {
    if (this.closed) return false;
    if (this.mode === 'all') return true;
    if (this.mode === 'off') return false;
    return this.random() < this.sampleRate;
  }

  record(row: EvaluationLogRow): void {
    if (this.closed) return;
    if (this.queue.length === 0) this.queuedSince = Date.now();
    this.queue.push(row);
    if (this.queue.length === this.maxBatch) {
      // Full batch: send it right after the current request, not inside it.
      setImmediate(() => void this.flush());
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushDelayMs);
      this.timer.unref();
    }
  }

  /** Rows queued or being committed. */
  get pendingRows(): number {
    return this.queue.length + this.inFlight;
  }

  /** How long the oldest row not yet committed has waited, in milliseconds (0 when everything is committed). */
  get lagMs(): number {
    let oldest = this.queue.length > 0 ? this.queuedSince : 0;
    for (const p of this.pending.values()) if (p.since > 0 && (oldest === 0 || p.since < oldest)) oldest = p.since;
    return oldest === 0 ? 0 : Math.max(0, Date.now() - oldest);
  }

  /** False once the writer thread has failed or stopped on its own (readiness: logged evaluations would be lost). */
  get writerAlive(): boolean {
    return !this.writerFailed;
  }

  /** Sends everything queued; resolves when it is committed (with the number of rows). */
  flush(): Promise<number> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const inline: number[] = [];
    const since = this.queuedSince;
    this.queuedSince = 0;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      if (!this.worker || this.inFlight > this.maxInFlight) {
        inline.push(this.writeInline(batch));
      } else {
        this.inFlight += batch.length;
        const sent = this.send({ type: 'rows', json: JSON.stringify(batch) }, batch.length, since);
        this.sending.add(sent);
        void sent.then(() => this.sending.delete(sent));
      }
    }
    // Batches sent earlier (by a timer) are waited for too, so `await flush()` means "all committed".
    return Promise.all([...this.sending]).then((ns) => [...inline, ...ns].reduce((a, b) => a + b, 0));
  }

  private writeInline(batch: EvaluationLogRow[]): number {
    try {
      this.store.insertEvaluationLog(batch);
      this.written += batch.length;
      return batch.length;
    } catch (err) {
      this.lost(batch.length, err as Error);
      return 0;
    }
  }

  private lost(n: number, err: Error): void {
    // The log must never take the server down; count the loss and say so.
    this.failed += n;
    console.error(`beslis: evaluation log batch of ${n} lost: ${err.message}`);
  }

  private send(msg: Record<string, unknown>, rows: number, since = 0): Promise<number> {
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, rows, since });
      // Keep the process alive while a commit is outstanding; idle, the writer does not hold it open.
      if (this.pending.size === 1) this.worker!.ref();
      this.worker!.postMessage({ ...msg, id });
    }).catch((err: Error) => {
      this.lost(rows, err);
      return 0;
    });
  }

  private settle(msg: { type: string; id: number; written?: number; purged?: number; message?: string }): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (this.pending.size === 0) this.worker?.unref();
    this.inFlight -= p.rows;
    if (msg.type === 'done') {
      this.written += msg.written ?? 0;
      p.resolve(msg.written ?? msg.purged ?? 0);
    } else {
      p.reject(new Error(msg.message ?? 'the log writer failed'));
    }
  }

  private failAll(err: Error): void {
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      this.inFlight -= p.rows;
      p.reject(err);
    }
  }

  /** Deletes rows older than the retention period; resolves with how many. */
  purge(): Promise<number> {
    if (this.retentionDays <= 0) return Promise.resolve(0);
    const before = new Date(Date.now() - this.retentionDays * 86_400_000).toISOString();
    if (this.worker && !this.closed) return this.send({ type: 'purge', before }, 0);
    try {
      return Promise.resolve(this.store.purgeEvaluationLog(before));
    } catch (err) {
      console.error(`beslis: evaluation log purge failed: ${(err as Error).message}`);
      return Promise.resolve(0);
    }
  }

  /** Commits what is queued and stops the writer. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    this.purgeTimer = null;
    if (this.worker) {
      await this.send({ type: 'close' }, 0);
      await this.worker.terminate();
    }
  }
}
