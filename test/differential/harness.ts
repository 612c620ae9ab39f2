// Runs the compiled engine and the json-rules-engine export on the same cases and reports where they differ.
// The export is serialised to JSON and read back before it runs, so every test also shows it is plain JSON.
import { isDeepStrictEqual } from 'node:util';
import { compileTable, EngineError, type CompiledTable } from '../../server/engine/index.ts';
import type { DecisionTable } from '../../server/engine/types.ts';
import { runJsonRulesEngine, toJsonRulesEngine, type JsonRulesEngineExport } from '../../server/engine/jre/index.ts';

/** What an evaluation came to: a result, or an error reduced to what both sides must agree on. */
export type Outcome =
  | { output: unknown; matched: string[] }
  | { error: string; rules?: string[]; paths?: string[] };

function errorOutcome(err: unknown): Outcome {
  const e = err as { code?: unknown; rules?: string[]; details?: { path: string }[] };
  if (!(err instanceof Error) || typeof e.code !== 'string') throw err;
  const out: { error: string; rules?: string[]; paths?: string[] } = { error: e.code };
  if (e.code === 'HIT_POLICY_VIOLATION') out.rules = e.rules;
  if (e.code === 'INVALID_INPUT') out.paths = (e.details ?? []).map((d) => d.path);
  return out;
}

/** JSON round trip: results are JSON by contract (so -0 reads as 0), and the export must be JSON. */
function json<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export function engineOutcome(compiled: CompiledTable, input: Record<string, unknown>): Outcome {
  try {
    const r = compiled.evaluate(input);
    return json({ output: r.output, matched: r.matched });
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    return errorOutcome(err);
  }
}

export async function jreOutcome(exported: JsonRulesEngineExport, input: Record<string, unknown>): Promise<Outcome> {
  try {
    return json(await runJsonRulesEngine(exported, input));
  } catch (err) {
    return errorOutcome(err);
  }
}

export interface Mismatch {
  input: unknown;
  engine: Outcome;
  jre: Outcome;
}

export interface Comparison {
  exported: JsonRulesEngineExport;
  mismatches: Mismatch[];
  /** How many cases ended in each kind of outcome (so a test can check it exercised more than errors). */
  kinds: Record<string, number>;
}

/** Exports the table, runs every case both ways and returns the cases where the outcomes differ. */
export async function compare(
  table: DecisionTable,
  cases: Record<string, unknown>[],
  exported: JsonRulesEngineExport = json(toJsonRulesEngine(table)),
): Promise<Comparison> {
  const compiled = compileTable(table);
  const mismatches: Mismatch[] = [];
  const kinds: Record<string, number> = {};
  for (const input of cases) {
    const a = engineOutcome(compiled, input);
    const b = await jreOutcome(exported, input);
    const kind = 'error' in a ? a.error : a.matched.length === 0 ? 'no match' : 'match';
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    if (!isDeepStrictEqual(a, b)) mismatches.push({ input, engine: a, jre: b });
  }
  return { exported, mismatches, kinds };
}
