// The editor's side of the analysis worker: the latest report wins; findings become row marks.
import type { AnalysisReport, DecisionTable, Finding as EngineFinding, JsonValue } from '../../../server/engine/index.ts';
import { t } from '../i18n/index.ts';
import AnalysisWorker from './analysis.worker.ts?worker';
import type { Finding } from './grid.ts';

export type { AnalysisReport, EngineFinding };

export type AnalysisResult = { report: AnalysisReport } | { error: string };

export class Analyzer {
  private worker: Worker | null = null;
  private seq = 0;
  private pending: ((r: AnalysisResult | null) => void) | null = null;


  /** Analyses `table`; an older request still running resolves with null (superseded). */
  run(table: DecisionTable): Promise<AnalysisResult | null> {
    if (!this.worker) {
      this.worker = new AnalysisWorker();
      this.worker.onmessage = (e: MessageEvent<{ seq: number } & Partial<{ report: AnalysisReport; error: string }>>) => {
        if (e.data.seq !== this.seq || !this.pending) return;
        const resolve = this.pending;
        this.pending = null;
        if (e.data.report) resolve({ report: e.data.report });
        else resolve({ error: e.data.error ?? 'analysis failed' });
      };
    }
    this.pending?.(null);
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending = resolve;
      this.worker!.postMessage({ seq, table });
    });
  }

  destroy(): void {
    this.worker?.terminate();
    this.worker = null;
  }
}

export function exampleText(example: Record<string, JsonValue> | undefined): string {
  if (!example) return '';
  return Object.entries(example)
    .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
    .join(', ');
}

/** Words a finding for the grid (Dutch first); the engine's English message stays available in English. */
export function describeFinding(f: EngineFinding): Finding | null {
  const others = f.rules.slice(1).join(', ');
  switch (f.kind) {
    case 'overlap':
    case 'conflict':
      return { kind: 'overlap', message: `${t('analysis.overlapWith', { rules: others || '?' })}${f.example ? ` (${exampleText(f.example)})` : ''}` };
    case 'unreachable':
      return { kind: 'unreachable', message: t('analysis.unreachableBy', { rules: others || '?' }) };
    case 'gap':
      return { kind: 'gap', message: t('analysis.gapExample', { example: exampleText(f.example) || f.message }) };
    default:
      return null;
  }
}
