// Runs the engine's static analysis (overlaps, gaps, unreachable rules) off the main thread, so typing in a large
// table stays smooth. The engine is imported as is: the same code the server runs.
import * as engine from '../../../server/engine/index.ts';
import type { AnalysisReport } from '../../../server/engine/analysis/types.ts';
import type { DecisionTable } from '../../../server/engine/index.ts';

type Analyze = (table: DecisionTable) => AnalysisReport;

self.onmessage = (e: MessageEvent<{ seq: number; table: DecisionTable }>) => {
  const { seq, table } = e.data;
  const analyze = (engine as unknown as { analyzeTable?: Analyze }).analyzeTable;
  if (typeof analyze !== 'function') {
    self.postMessage({ seq, unavailable: true });
    return;
  }
  try {
    self.postMessage({ seq, report: analyze(table) });
  } catch (err) {
    self.postMessage({ seq, error: err instanceof Error ? err.message : String(err) });
  }
};
