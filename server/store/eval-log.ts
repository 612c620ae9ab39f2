// The evaluation log, written off the request path. Evaluations are queued in memory and go in chunks of at most
// `maxBatch` rows to a writer thread (log-writer.worker.js) that commits each chunk in one transaction on its own
// connection: a chunk leaves when it is full (also in the middle of a batch request, so a 10,000-case batch is being
// committed while it is still being decided) or `flushDelayMs` after its first row, whichever comes first. The
// request thread only serialises the chunk. With `writer: 'inline'` (or an in-memory database) chunks are committed
// on the calling thread instead, still one transaction per chunk.
//
// Durability, `async` (the default): an evaluation is answered before its row is committed, so a SIGKILL may lose
// the rows of the last moments: those queued (at most `flushDelayMs`, 20 ms) and the chunks the writer has not yet
// committed. The kill test (test/api/log-durability.test.ts) holds this to LOSS_WINDOW_MS; bench/README.md has the
// measured figures. `sync`: an answer waits until its rows are committed (rows of concurrent requests share a
// commit), and the writer uses synchronous=FULL, so an acknowledged evaluation survives a kill and a power cut.
// SIGTERM/SIGINT flush through `close()`.
//
// Backpressure, which is what keeps the async window bounded under a flood of batches: the writer reports how long
// each chunk took, and from that the log knows how many milliseconds of writing its backlog (rows queued or sent
// and not yet committed) is. An answer waits in `beforeAnswer()` while that backlog is more than `maxBacklogMs`
// (LOG_BACKLOG_MS), so whatever is acknowledged is committed within about that time, however fast requests come.
// When the writer still falls behind by more than `maxInFlight` rows, chunks are committed inline, so memory stays
// bounded and nothing is dropped.
import { Worker } from 'node:worker_threads';
import type { EvaluationLogRow } from './records.ts';
import { postgresUrlOf } from './log-replay-postgres.ts';
import type { Store } from './store.ts';

export type LogMode = 'off' | 'sample' | 'all';
export type LogDurability = 'async' | 'sync';

/** With `async` durability, a SIGKILL loses no evaluation acknowledged longer ago than this (the kill test's bound). */
export const LOSS_WINDOW_MS = 250;
/** Rows per chunk (one transaction in the writer). */
export const LOG_CHUNK_ROWS = 500;
/** The longest a row waits in memory before its chunk is sent. */
export const LOG_FLUSH_MS = 20;
/** With `async` durability an answer waits while the log's backlog is more than this much writing (well inside the window). */
export const LOG_BACKLOG_MS = 100;
/** Rows per millisecond the writer is assumed to commit before it has reported a chunk (a slow disk's figure). */
const FIRST_COMMIT_RATE = 20;

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
  /** With `async` durability, the backlog (in milliseconds of writing) above which an answer waits. */
  maxBacklogMs?: number;
  /** How often old rows are purged. */
  purgeIntervalMs?: number;
  writer?: 'thread' | 'inline';
  /** `async`: answered before committed (a bounded window may be lost on a crash); `sync`: answered once committed. */
  durability?: LogDurability;
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
  readonly durability: LogDurability;
  private queue: EvaluationLogRow[] = [];
  /** Settles when the rows now in `queue` are committed (created on demand by `whenCommitted`). */
  private queueCommitted: { promise: Promise<unknown>; resolve(v: unknown): void } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private purgeTimer: NodeJS.Timeout | null = null;
  private readonly flushDelayMs: number;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly maxBacklogMs: number;
  /** Rows the writer commits per millisecond: a moving average over the chunks it reported. */
  private commitRate = FIRST_COMMIT_RATE;
  /** Answers waiting in `beforeAnswer()` for the backlog to shrink. */
  private backlogWaiters: Array<() => void> = [];
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
    this.durability = opts.durability ?? 'async';
    this.flushDelayMs = Math.min(opts.flushDelayMs ?? LOG_FLUSH_MS, this.durability === 'sync' ? 0 : Infinity);
    this.maxBatch = opts.maxBatch ?? LOG_CHUNK_ROWS;
    this.maxInFlight = opts.maxInFlight ?? 50_000;
    this.maxBacklogMs = opts.maxBacklogMs ?? LOG_BACKLOG_MS;
    this.random = opts.random ?? Math.random;
    const postgres = postgresUrlOf(store);
    const useThread = (opts.writer ?? 'thread') === 'thread' && store.file !== ':memory:' && this.mode !== 'off';
    if (useThread) {
      // PostgreSQL: its own writer thread and connection (log-writer-postgres.worker.js), same messages.
      const worker = postgres
        ? new Worker(new URL('./log-writer-postgres.worker.js', import.meta.url), { workerData: { url: postgres, durability: this.durability } })
        : new Worker(new URL('./log-writer.worker.js', import.meta.url), {
            workerData: { file: store.file, synchronous: this.durability === 'sync' ? 'FULL' : 'NORMAL' },
          });
      worker.on('message', (msg: { type: string; id: number; written?: number; purged?: number; message?: string }) => this.settle(msg));
      worker.on('error', (err) => {
        console.error(`beslis: evaluation log writer failed: ${err.message}`);
        this.writerFailed = true;
        this.failAll(err);
      });
      worker.on('exit', () => {
        if (!this.closed) this.writerFailed = true;
        this.releaseBacklogWaiters();
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
    if (this.queue.length >= this.maxBatch && this.worker) {
      // A full chunk leaves now, even in the middle of a batch request: the writer commits it while the batch goes on.
      void this.sendQueue();
    } else if (this.queue.length === this.maxBatch) {
      // Committed inline: right after the current request, not inside it.
      setImmediate(() => void this.flush());
    } else if (!this.timer) {
      this.timer = this.flushDelayMs === 0 ? (setImmediate(() => void this.flush()) as unknown as NodeJS.Timeout) : setTimeout(() => void this.flush(), this.flushDelayMs);
      if (this.flushDelayMs > 0) this.timer.unref();
    }
  }

  /**
   * Resolves when every row recorded so far is committed (or lost to a failed commit, which is counted and
   * reported). With `sync` durability the API waits for this before it answers.
   */
  whenCommitted(): Promise<void> {
    const waits: Promise<unknown>[] = [...this.sending];
    if (this.queue.length > 0) {
      if (!this.queueCommitted) {
        let resolve!: (v: unknown) => void;
        const promise = new Promise((r) => (resolve = r));
        this.queueCommitted = { promise, resolve };
      }
      waits.push(this.queueCommitted.promise);
    }
    return waits.length === 0 ? Promise.resolve() : Promise.all(waits).then(() => undefined);
  }

  /**
   * What an answer waits for before it goes out. `sync`: its rows are committed. `async`: the backlog is at most
   * `maxBacklogMs` of writing, so an acknowledged evaluation is committed soon after, however many arrive.
   */
  beforeAnswer(): Promise<void> {
    if (this.durability === 'sync') return this.whenCommitted();
    if (!this.worker || this.writerFailed || this.backlogMs <= this.maxBacklogMs) return Promise.resolve();
    return new Promise<void>((resolve) => this.backlogWaiters.push(resolve));
  }

  /** The rows queued or being committed, as milliseconds of the writer's work at its measured rate. */
  get backlogMs(): number {
    return this.pendingRows / this.commitRate;
  }

  private releaseBacklogWaiters(): void {
    if (this.backlogWaiters.length === 0) return;
    if (!this.writerFailed && this.backlogMs > this.maxBacklogMs) return;
    const waiting = this.backlogWaiters;
    this.backlogWaiters = [];
    for (const resolve of waiting) resolve();
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
    const inline = this.sendQueue();
    // Chunks sent earlier (full ones, or by a timer) are waited for too, so `await flush()` means "all committed".
    return Promise.all([inline, ...this.sending]).then((ns) => ns.reduce((a, b) => a + b, 0));
  }

  /** Sends the queue to the writer in chunks (or commits them inline); resolves with the rows committed inline. */
  private sendQueue(): Promise<number> {
    if (this.timer) {
      if (this.flushDelayMs === 0) clearImmediate(this.timer as unknown as NodeJS.Immediate);
      else clearTimeout(this.timer);
      this.timer = null;
    }
    const committed = this.queueCommitted;
    this.queueCommitted = null;
    const inline: Promise<number>[] = [];
    const since = this.queuedSince;
    this.queuedSince = 0;
    const sent: Promise<number>[] = [];
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      if (!this.worker || this.inFlight > this.maxInFlight) {
        inline.push(this.writeInline(batch));
      } else {
        this.inFlight += batch.length;
        const p = this.send({ type: 'rows', json: JSON.stringify(batch) }, batch.length, since);
        this.sending.add(p);
        void p.then(() => this.sending.delete(p));
        sent.push(p);
      }
    }
    if (committed) void Promise.all([...sent, ...inline]).then(committed.resolve);
    return Promise.all(inline).then((ns) => ns.reduce((a, b) => a + b, 0));
  }

  private async writeInline(batch: EvaluationLogRow[]): Promise<number> {
    try {
      await this.store.insertEvaluationLog(batch);
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

  private settle(msg: { type: string; id: number; written?: number; purged?: number; message?: string; ms?: number }): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (this.pending.size === 0) this.worker?.unref();
    this.inFlight -= p.rows;
    if (msg.type === 'done' && p.rows > 0 && msg.ms !== undefined) {
      const rate = p.rows / Math.max(msg.ms, 0.05);
      this.commitRate = 0.8 * this.commitRate + 0.2 * rate;
    }
    this.releaseBacklogWaiters();
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
    this.releaseBacklogWaiters();
  }

  /** Deletes rows older than the retention period; resolves with how many. */
  purge(): Promise<number> {
    if (this.retentionDays <= 0) return Promise.resolve(0);
    const before = new Date(Date.now() - this.retentionDays * 86_400_000).toISOString();
    if (this.worker && !this.closed) return this.send({ type: 'purge', before }, 0);
    try {
      return this.store.purgeEvaluationLog(before).catch((err: Error) => {
        console.error(`beslis: evaluation log purge failed: ${err.message}`);
        return 0;
      });
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
