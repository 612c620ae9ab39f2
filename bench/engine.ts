// `npm run bench -- engine`: evaluations per second, in one run and one process, of (a) the compiled engine,
// (b) json-rules-engine on the exported rules, (c) @gorules/zen-engine on the table as a JDM graph and (d) a hand-written
// function, on the 16-row interventiematrix and a generated 1,000-row FIRST table; then compile time and retained heap
// for a 10,000-row table. All four must give the same answers on every case before anything is timed.
import { isDeepStrictEqual } from 'node:util';
import { compileTable } from '../server/engine/index.ts';
import type { DecisionTable, EvaluationResult } from '../server/engine/types.ts';
import { runJsonRulesEngine, toJsonRulesEngine } from '../server/engine/jre/index.ts';
import { handBands, handMatrix } from './hand.ts';
import { formatRate, gc, loadLine, machineLine, timeAsync, timeSync, type Timing, type TimingOptions } from './measure.ts';
import { writeFigures } from './readme.ts';
import { bandCases, bandRows, bandTable, interventiematrix, matrixCases } from './tables.ts';
import { loadZenEngine } from './peers.ts';
import { toZenJdm } from './zen-jdm.ts';

export interface BenchOptions {
  /** Shorter rounds (for a quick look; the README figures come from a full run). */
  quick: boolean;
  /** Write the figures into bench/README.md. */
  write: boolean;
}

interface Subject {
  name: string;
  table: DecisionTable;
  cases: Record<string, unknown>[];
  hand: (input: Record<string, unknown>) => EvaluationResult;
}

interface TableFigures {
  name: string;
  rows: number;
  compiled: Timing;
  jre: Timing;
  zen: Timing;
  hand: Timing;
}

function subjects(): Subject[] {
  const matrix = interventiematrix();
  const matrixRows = matrix.rules.map((r) => ({
    id: r.id,
    kwadrant: Number(r.then.kwadrant),
    interventie: JSON.parse(r.then.interventie!) as string,
    strafrecht: r.then.strafrecht === 'true',
    overleg_om: r.then.overleg_om === 'true',
  }));
  const rows = bandRows(100, 10);
  return [
    { name: 'interventiematrix (UNIQUE)', table: matrix, cases: matrixCases(), hand: handMatrix(matrixRows) },
    { name: 'generated FIRST table', table: bandTable(rows), cases: bandCases(100), hand: handBands(rows) },
  ];
}

async function benchTable(s: Subject, timing: TimingOptions): Promise<TableFigures> {
  const compiled = compileTable(s.table);
  const exported = toJsonRulesEngine(s.table);
  if (exported.requiresFeel.length > 0) throw new Error(`${s.name}: the export needs the FEEL evaluator`);
  const zenEngine = loadZenEngine();
  const decision = zenEngine.createDecision(toZenJdm(s.table));
  try {
    // The same answers from all four, on every case, before any timing.
    for (const input of s.cases) {
      const a = compiled.evaluate(input);
      const expected = JSON.parse(JSON.stringify({ output: a.output, matched: a.matched })) as EvaluationResult;
      const b = await runJsonRulesEngine(exported, input);
      const d = s.hand(input);
      const z = (await decision.evaluate(input)).result as unknown;
      if (!isDeepStrictEqual(b, expected)) throw new Error(`${s.name}: json-rules-engine differs on ${JSON.stringify(input)}`);
      if (!isDeepStrictEqual(d, expected)) throw new Error(`${s.name}: the hand-written function differs on ${JSON.stringify(input)}`);
      if (!isDeepStrictEqual(z, expected.output ?? {})) throw new Error(`${s.name}: zen-engine differs on ${JSON.stringify(input)}: ${JSON.stringify(z)}`);
    }
    const figures: TableFigures = {
      name: s.name,
      rows: s.table.rules.length,
      compiled: timeSync((i) => compiled.evaluate(i), s.cases, timing),
      hand: timeSync(s.hand, s.cases, timing),
      jre: await timeAsync((i) => runJsonRulesEngine(exported, i), s.cases, timing),
      zen: await timeAsync((i) => decision.evaluate(i), s.cases, timing),
    };
    return figures;
  } finally {
    zenEngine.dispose();
  }
}

interface CompileFigures {
  rows: number;
  firstMs: number;
  medianMs: number;
  heapBytes: number;
}

function benchCompile(rows: number): CompileFigures {
  const collect = gc();
  const table = bandTable(bandRows(rows / 10, 10));
  const times: number[] = [];
  for (let n = 0; n < 4; n++) {
    const t0 = performance.now();
    compileTable(table);
    times.push(performance.now() - t0);
  }
  collect();
  collect();
  const before = process.memoryUsage().heapUsed;
  const compiled = compileTable(table);
  collect();
  collect();
  const after = process.memoryUsage().heapUsed;
  if (compiled.evaluate(bandCases(rows / 10, 1)[0]!).matched.length > 1) throw new Error('unreachable');
  const rest = times.slice(1).sort((a, b) => a - b);
  return { rows, firstMs: times[0]!, medianMs: rest[1]!, heapBytes: after - before };
}

function verdict(ok: boolean): string {
  return ok ? 'met' : '**missed**';
}

interface RunInfo {
  machine: string;
  loadBefore: string;
  loadAfter: string;
}

function report(info: RunInfo, tables: TableFigures[], compile: CompileFigures, opts: BenchOptions): string {
  const lines: string[] = [];
  lines.push(`Machine: ${info.machine}; load average (1, 5, 15 min) ${info.loadBefore} before, ${info.loadAfter} after.`, '');
  lines.push(
    `Run: ${new Date().toISOString().slice(0, 10)}, ${opts.quick ? 'quick: 200 ms warm-up, 3 rounds of 200 ms' : '500 ms warm-up, 5 rounds of 500 ms'} per engine and table, median round; ` +
      'evaluations per wall-clock second, and per CPU-second of the process in brackets.',
    '',
  );
  lines.push('| table | rows | (a) compiled | (b) json-rules-engine | (c) zen-engine | (d) hand-written |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  const cell = (t: Timing) => `${formatRate(t.rate)} (${formatRate(t.cpuRate)})`;
  for (const t of tables) lines.push(`| ${t.name} | ${t.rows} | ${cell(t.compiled)} | ${cell(t.jre)} | ${cell(t.zen)} | ${cell(t.hand)} |`);
  lines.push('');
  lines.push('| target (issue 2) | wall clock | CPU time | |');
  lines.push('|---|---:|---:|---|');
  const [m, b] = tables as [TableFigures, TableFigures];
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const times = (x: number) => `${x.toFixed(0)}×`;
  const ratio = (a: Timing, c: Timing) => [a.rate / c.rate, a.cpuRate / c.cpuRate] as const;
  const row = (label: string, [wall, cpu]: readonly [number, number], fmt: (x: number) => string, target: number | null) =>
    lines.push(`| ${label} | ${fmt(wall)} | ${fmt(cpu)} | ${target === null ? '' : verdict(wall >= target)} |`);
  row('16 rows: compiled ≥ 25% of hand-written', ratio(m.compiled, m.hand), pct, 0.25);
  row('16 rows: compiled ≥ 500× json-rules-engine', ratio(m.compiled, m.jre), times, 500);
  row('16 rows: compiled ≥ 500× zen-engine', ratio(m.compiled, m.zen), times, 500);
  row('1,000 rows: compiled ≥ 10% of hand-written', ratio(b.compiled, b.hand), pct, 0.1);
  row('1,000 rows (no target): compiled ÷ json-rules-engine', ratio(b.compiled, b.jre), times, null);
  row('1,000 rows (no target): compiled ÷ zen-engine', ratio(b.compiled, b.zen), times, null);
  lines.push(
    `| compile ${compile.rows.toLocaleString('en')} rows < 1 s | ${compile.medianMs.toFixed(0)} ms (first ${compile.firstMs.toFixed(0)} ms) | | ${verdict(compile.firstMs < 1000 && compile.medianMs < 1000)} |`,
  );
  lines.push(`| heap retained by the compiled ${compile.rows.toLocaleString('en')}-row table (no target) | ${(compile.heapBytes / 1024 / 1024).toFixed(1)} MB | | |`);
  lines.push('');
  lines.push('Rounds (evaluations per wall-clock second):', '');
  for (const t of tables) {
    for (const k of ['compiled', 'jre', 'zen', 'hand'] as const) {
      lines.push(`- ${t.name}, ${k}: ${t[k].rounds.map((r) => Math.round(r).toLocaleString('en')).join(', ')}`);
    }
  }
  return lines.join('\n');
}


export async function run(opts: BenchOptions): Promise<void> {
  const timing: TimingOptions = opts.quick ? { warmupMs: 200, roundMs: 200, rounds: 3 } : { warmupMs: 500, roundMs: 500, rounds: 5 };
  const machine = machineLine();
  const loadBefore = loadLine();
  console.log(`engine benchmark — ${machine}, load average ${loadBefore}`);
  const tables: TableFigures[] = [];
  for (const s of subjects()) {
    console.log(`  ${s.name}: ${s.table.rules.length} rows, ${s.cases.length} cases checked on all four engines, timing…`);
    tables.push(await benchTable(s, timing));
  }
  console.log('  compiling a 10,000-row table…');
  const compile = benchCompile(10_000);
  const text = report({ machine, loadBefore, loadAfter: loadLine() }, tables, compile, opts);
  console.log(`\n${text}\n`);
  if (opts.write) writeFigures('engine', text);
}
