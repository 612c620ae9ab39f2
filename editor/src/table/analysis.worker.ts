// Runs the engine's static analysis (overlaps, gaps, unreachable rules) off the main thread, so typing in a large
// table stays smooth. The engine is imported as is: the same code the server runs.
import { analyzeTable, type DecisionTable } from '../../../server/engine/index.ts';

self.onmessage = (e: MessageEvent<{ seq: number; table: DecisionTable }>) => {
  const { seq, table } = e.data;
  try {
    self.postMessage({ seq, report: analyzeTable(table) });
  } catch (err) {
    self.postMessage({ seq, error: err instanceof Error ? err.message : String(err) });
  }
};
