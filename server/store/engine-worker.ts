// One worker thread (engine.worker.js) that runs engine tasks one after another, off the request thread. A task
// may have a time budget: past it the thread is terminated (the only way to stop a synchronous computation) and
// a fresh one takes the next task. The budget counts from the moment the task starts, not while it waits, and on
// Linux it counts the CPU time of the worker thread itself (from /proc), so a machine busy with other work does not
// make a cheap task look costly; wall-clock time is capped at WALL_CLOCK_FACTOR times the budget all the same.
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/** However starved of CPU, a task with a budget is stopped after this many times its budget in wall-clock time. */
export const WALL_CLOCK_FACTOR = 10;

/** CPU time (user + system, ms) a thread of this process has used, or null when it cannot be read. */
function threadCpuMs(tid: number | null): number | null {
  if (tid === null) return null;
  try {
    const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 10 ms (USER_HZ is 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** A task that ran past its time budget (its thread was stopped). */
export class WorkerTimeout extends Error {
  constructor(
    readonly task: string,
    readonly budgetMs: number,
  ) {
    super(`${task} took longer than ${budgetMs} ms`);
    this.name = 'WorkerTimeout';
  }
}

/** An error thrown inside the worker, with the fields the API needs (code, details) carried across. */
export interface WorkerFailure {
  name?: string;
  code?: string;
  message?: string;
  details?: unknown;
  extra?: Record<string, unknown>;
}

export class WorkerTaskError extends Error {
  constructor(readonly failure: WorkerFailure) {
    super(failure.message ?? 'the worker task failed');
    this.name = 'WorkerTaskError';
  }
}

interface Job {
  id: number;
  task: string;
  payload: unknown;
  budgetMs: number | null;
  resolve(v: unknown): void;
  reject(e: Error): void;
}

export class EngineWorker {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  /** The worker thread's id (Linux), for its CPU time. */
  private tid: number | null = null;
  private readonly queue: Job[] = [];
  private active: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly resourceLimits?: { maxOldGenerationSizeMb?: number },
    /** A nice value for the thread (Linux: per thread), so background work gives way to the request thread. */
    private readonly nice?: number,
  ) {}

  run<T>(task: string, payload: unknown, opts: { budgetMs?: number | null } = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the engine worker is closed'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, payload, budgetMs: opts.budgetMs ?? null, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Starts the thread (if none runs) without giving it a task. */
  warm(): void {
    if (!this.worker && !this.closed) this.spawn();
  }

  private spawn(): void {
    const worker = new Worker(new URL('./engine.worker.js', import.meta.url), { resourceLimits: this.resourceLimits, workerData: { nice: this.nice } });
    this.worker = worker;
    this.tid = null;
    this.ready = new Promise<void>((resolve) => {
      const onReady = (msg: { ready?: boolean; tid?: number | null }) => {
        if (msg.ready) {
          worker.off('message', onReady);
          if (this.worker === worker) this.tid = typeof msg.tid === 'number' ? msg.tid : null;
          resolve();
        }
      };
      worker.on('message', onReady);
    });
    worker.on('message', (msg: { id?: number; ok?: boolean; result?: unknown; error?: WorkerFailure }) => {
      const job = this.active;
      if (!job || msg.id !== job.id) return;
      this.finish();
      if (msg.ok) job.resolve(msg.result);
      else job.reject(new WorkerTaskError(msg.error ?? {}));
    });
    worker.on('error', (err) => this.lose(worker, err));
    worker.on('exit', (code) => this.lose(worker, new Error(`the engine worker stopped (exit code ${code})`)));
    worker.unref();
  }

  /** The thread died under a task (out of memory, a crash): that task fails, the next gets a new thread. */
  private lose(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const job = this.active;
    this.finish();
    job?.reject(err);
  }

  private finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.active = null;
    if (this.queue.length === 0) this.worker?.unref();
    setImmediate(() => this.pump());
  }

  private pump(): void {
    if (this.active || this.queue.length === 0 || this.closed) return;
    if (!this.worker) this.spawn();
    const worker = this.worker!;
    const job = this.queue.shift()!;
    this.active = job;
    worker.ref();
    void this.ready!.then(() => {
      if (this.active !== job || this.worker !== worker) return;
      if (job.budgetMs !== null) {
        const budget = job.budgetMs;
        const started = performance.now();
        const cpuAtStart = threadCpuMs(this.tid);
        const check = () => {
          if (this.active !== job) return;
          const wall = performance.now() - started;
          const cpu = cpuAtStart === null ? null : threadCpuMs(this.tid);
          const used = cpu === null || cpuAtStart === null ? wall : cpu - cpuAtStart;
          if (used < budget && wall < budget * WALL_CLOCK_FACTOR) {
            // The thread has not had its budget of CPU yet (the machine is busy): look again when it could have.
            this.timer = setTimeout(check, Math.max(20, budget - used));
            return;
          }
          this.worker = null;
          void worker.terminate();
          this.finish();
          job.reject(new WorkerTimeout(job.task, budget));
        };
        this.timer = setTimeout(check, budget);
      }
      worker.postMessage({ id: job.id, task: job.task, payload: job.payload });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the engine worker is closed'));
    const worker = this.worker;
    this.worker = null;
    if (this.active) {
      const job = this.active;
      this.finish();
      job.reject(new Error('the engine worker is closed'));
    }
    if (worker) await worker.terminate();
  }
}
