// The editor's side of the analysis worker: the latest report wins; findings become row marks.
import type { AnalysisReport, DecisionTable, Finding as EngineFinding, JsonValue } from '../../../server/engine/index.ts';
import { formatNumber, t } from '../i18n/index.ts';
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

/** A table-wide note of the analysis (a check stopped at its budget, more findings than listed) from its code. */
function noteText(code: NonNullable<EngineFinding['code']>, p: Record<string, number>): string {
  const n = (k: string) => formatNumber(p[k] ?? 0);
  switch (code) {
    case 'PAIRS_INCOMPLETE':
      return t('analysis.note.pairsIncomplete');
    case 'REACH_INCOMPLETE':
      return t('analysis.note.reachIncomplete');
    case 'GAPS_INCOMPLETE':
      return t('analysis.note.gapsIncomplete', { count: n('count'), listed: n('listed') });
    case 'GAPS_TOTAL':
      return p.combinations !== undefined
        ? t('analysis.note.gapsTotalCombinations', { count: n('count'), combinations: n('combinations'), listed: n('listed') })
        : t('analysis.note.gapsTotal', { count: n('count'), listed: n('listed') });
    case 'PAIRS_MORE':
      return t(p.atLeast ? 'analysis.note.pairsMoreAtLeast' : 'analysis.note.pairsMore', { count: n('count'), listed: n('listed') });
  }
}

/** Words a finding for the grid (Dutch first); the engine's English message stays available in English. */
export function describeFinding(f: EngineFinding): Finding | null {
  const others = f.rules.slice(1).join(', ');
  const kind = f.kind === 'conflict' ? 'overlap' : f.kind;
  if (f.code && (kind === 'overlap' || kind === 'gap' || kind === 'unreachable')) return { kind, message: noteText(f.code, f.params ?? {}) };
  switch (f.kind) {
    case 'overlap':
    case 'conflict':
      return { kind: 'overlap', message: `${t('analysis.overlapWith', { rules: others || '?' })}${f.example ? ` (${exampleText(f.example)})` : ''}` };
    case 'unreachable':
      return { kind: 'unreachable', message: t('analysis.unreachableBy', { rules: others || '?' }) };
    case 'gap':
      // A possible gap: some rules may match it, through cells the analysis cannot check exactly.
      if (f.rules.length > 0) return { kind: 'gap', message: t('analysis.gapMaybe', { example: exampleText(f.example), rules: f.rules.join(', ') }) };
      return { kind: 'gap', message: f.example ? t('analysis.gapExample', { example: exampleText(f.example) }) : t('analysis.gapAll') };
    default:
      return null;
  }
}
