// Checking a table someone wants to store (save, create, check, submit, approve) is untrusted work: a cell can be
// written to make compiling it slow. The check runs in a worker thread with a time budget, so the request thread
// keeps serving everyone else; a table whose check takes longer is refused (422 TABLE_TOO_COSTLY) and nothing
// is stored. A table that passes compiles within the budget, so the request thread may then compile it (to run
// the fixtures against a draft) at no more than that cost.
import type { Problem } from '../engine/types.ts';
import { EngineWorker, WorkerTaskError, WorkerTimeout } from './engine-worker.ts';
import { StoreError } from './errors.ts';
import { decodeStep, type CheckResult } from './worker-tasks.ts';

/**
 * How long checking (compiling, and for a gate the static analysis of) one table may take: CPU time of the checking
 * thread on Linux (a busy machine does not make a table costly), wall-clock time elsewhere; see engine-worker.ts.
 */
export const TABLE_CHECK_BUDGET_MS = 2_000;

export class TableChecker {
  private readonly worker = new EngineWorker({ maxOldGenerationSizeMb: 512 });

  constructor(readonly budgetMs: number = TABLE_CHECK_BUDGET_MS) {}

  /** Starts the thread now, in the background, so the first check does not wait for it to load the engine. */
  warm(): void {
    this.worker.warm();
  }

  /** The table's problems (paths into the table), computed off the request thread within the budget. */
  async problems(table: unknown): Promise<Problem[]> {
    return (await this.check(table, false)).problems;
  }

  /** Throws TABLE_TOO_COSTLY when the table cannot be compiled and analysed within the budget. */
  async assertWithinBudget(table: unknown): Promise<void> {
    await this.check(table, true);
  }

  private async check(table: unknown, analyse: boolean): Promise<CheckResult> {
    // The part the compiler reached (a rule, or the analysis), written by the worker into shared memory: where the
    // time went when it is stopped.
    const step = new Int32Array(new SharedArrayBuffer(4));
    try {
      return await this.worker.run<CheckResult>('check', { table, analyse, at: step }, { budgetMs: this.budgetMs });
    } catch (err) {
      if (err instanceof WorkerTimeout) {
        const at = decodeStep(Atomics.load(step, 0));
        const where = at === '/analysis' ? 'the static analysis' : at ? `compiling ${at.slice(1)}` : 'compiling it';
        throw new StoreError(
          'TABLE_TOO_COSTLY',
          `checking the table took longer than ${this.budgetMs} ms, the most one table may take (${where} was still running: a cell that computes too much?); nothing was stored`,
          [{ path: `/table${at === '/analysis' ? '' : at}`, message: `${where} takes longer than ${this.budgetMs} ms` }],
        );
      }
      if (err instanceof WorkerTaskError || /stopped|memory/i.test((err as Error).message)) {
        throw new StoreError('TABLE_TOO_COSTLY', `the table could not be checked: ${(err as Error).message}`, [{ path: '/table', message: 'checking it failed' }]);
      }
      throw err;
    }
  }

  close(): Promise<void> {
    return this.worker.close();
  }
}
