// Timing helpers: warm-up, several rounds of fixed duration, inputs cycling through a fixed set, the median rate.
//
// Each subject gets its own freshly compiled loop (new Function), so one engine's type feedback never slows another's
// loop down, and every result is stored in a ring buffer, so no engine's allocations can be optimised away. The rates
// are per wall-clock second and per CPU-second of the process (process.cpuUsage): on a shared machine the second shows
// the engine's cost without the time other processes took.
import { cpus, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface Timing {
  /** Median evaluations per wall-clock second over the rounds. */
  rate: number;
  /** Median evaluations per CPU-second of this process over the rounds. */
  cpuRate: number;
  rounds: number[];
}

export interface TimingOptions {
  warmupMs: number;
  roundMs: number;
  rounds: number;
}

/** The p-th percentile (nearest rank) of a list of numbers. */
export function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

type Evaluator = (input: Record<string, unknown>) => unknown;
/** [evaluations, wall ms, CPU µs] */
type Round = [number, number, number];

const LOOP_BODY = `
  const ring = new Array(64).fill(null);
  const n = inputs.length;
  let i = 0, count = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  for (;;) {
    for (let k = 0; k < batch; k++) {
      ring[k & 63] = AWAIT fn(inputs[i]);
      i = i + 1 === n ? 0 : i + 1;
    }
    count += batch;
    const now = performance.now();
    if (now >= end) {
      const cpu = process.cpuUsage(cpu0);
      if (ring[0] === undefined) count = -1;
      return [count, now - start, cpu.user + cpu.system];
    }
  }`;

const AsyncFunction = (async () => undefined).constructor as FunctionConstructor;

/** A fresh loop function: its own code and type feedback, for one subject only. */
function freshLoop(async: boolean): (fn: Evaluator, inputs: unknown[], ms: number, batch: number, process: NodeJS.Process, performance: Performance) => Round | Promise<Round> {
  const body = LOOP_BODY.replace('AWAIT ', async ? 'await ' : '');
  const Ctor = async ? AsyncFunction : Function;
  return new Ctor('fn', 'inputs', 'ms', 'batch', 'process', 'performance', body) as never;
}

function summarise(rounds: Round[]): Timing {
  if (rounds.some(([count]) => count < 0)) throw new Error('an evaluator returned undefined');
  return {
    rate: median(rounds.map(([c, wall]) => (c * 1000) / wall)),
    cpuRate: median(rounds.map(([c, , cpu]) => (c * 1e6) / cpu)),
    rounds: rounds.map(([c, wall]) => (c * 1000) / wall),
  };
}

/** Times a synchronous evaluator; the clock is read every `batch` calls. */
export function timeSync(fn: Evaluator, inputs: Record<string, unknown>[], o: TimingOptions, batch = 1000): Timing {
  const loop = freshLoop(false);
  loop(fn, inputs, o.warmupMs, batch, process, performance);
  const rounds = Array.from({ length: o.rounds }, () => loop(fn, inputs, o.roundMs, batch, process, performance) as Round);
  return summarise(rounds);
}

/** Times an asynchronous evaluator, each call awaited before the next. */
export async function timeAsync(fn: (input: Record<string, unknown>) => Promise<unknown>, inputs: Record<string, unknown>[], o: TimingOptions, batch = 10): Promise<Timing> {
  const loop = freshLoop(true);
  await loop(fn, inputs, o.warmupMs, batch, process, performance);
  const rounds: Round[] = [];
  for (let r = 0; r < o.rounds; r++) rounds.push(await loop(fn, inputs, o.roundMs, batch, process, performance));
  return summarise(rounds);
}

/** A garbage collection on demand (node started without --expose-gc). */
export function gc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

export function machineLine(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, Node ${process.version}, ${process.platform}/${process.arch}`;
}

export function loadLine(): string {
  return loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
}

export function formatRate(r: number): string {
  if (r >= 1e6) return `${(r / 1e6).toFixed(2)} M/s`;
  if (r >= 1e3) return `${(r / 1e3).toFixed(1)} k/s`;
  return `${r.toFixed(0)} /s`;
}
