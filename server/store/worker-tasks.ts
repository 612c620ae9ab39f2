// The tasks engine.worker.js runs off the request thread. Each takes plain data (structured-clone safe) and
// returns plain data; errors keep their code and details so the API answers as if the work ran inline.
import { analyzeTable, validateTable, type AnalysisReport, type Problem } from '../engine/index.ts';

export interface CheckResult {
  problems: Problem[];
  /** The static analysis, when asked for and the table is valid. */
  analysis?: AnalysisReport;
  ms: number;
}

type Task = (payload: never, progress: (p: unknown) => void) => unknown;

const TASKS: Record<string, Task> = {
  /** Every problem of a table (what saving checks). */
  check(payload: { table: unknown; analyse?: boolean }): CheckResult {
    const started = performance.now();
    const problems = validateTable(payload.table);
    const analysis = payload.analyse && problems.length === 0 ? analyzeTable(payload.table as never) : undefined;
    return { problems, ...(analysis ? { analysis } : {}), ms: performance.now() - started };
  },
};

/** Extra tasks registered by other modules loaded in the worker (impact replay). */
export function defineTask(name: string, task: Task): void {
  TASKS[name] = task;
}

export function runTask(name: string, payload: unknown, progress: (p: unknown) => void): unknown {
  const task = Object.hasOwn(TASKS, name) ? TASKS[name] : undefined;
  if (!task) throw new Error(`unknown worker task '${name}'`);
  return task(payload as never, progress);
}
