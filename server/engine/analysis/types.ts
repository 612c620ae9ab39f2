// The shape of a static-analysis report (docs/architecture.md). Shared by the analysis modules, the API and
// the editor, which shows each finding next to the cell or rule its `path` points at.
import type { HitPolicy, JsonValue } from '../types.ts';

export type FindingKind = 'syntax' | 'overlap' | 'conflict' | 'gap' | 'unreachable' | 'value-outside' | 'inexact';
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /**
   * Ids of the rules involved: for overlaps and conflicts both rules in table order (`path` points at the later one);
   * for unreachable rules the rule itself first, then the rules that take its cases. Empty for gaps.
   */
  rules: string[];
  /** JSON pointer into the table: a cell (`/rules/3/when/leeftijd`), a rule (`/rules/3`) or the rule list. */
  path: string;
  /** Plain English a policy advisor can act on. */
  message: string;
  /** An input case that shows the finding: both rules match it (overlap) or no rule does (gap). */
  example?: Record<string, JsonValue>;
  /** 1-based column inside the cell's text (syntax findings). */
  column?: number;
  /**
   * Set on overlap, conflict, gap and unreachable findings: false when the finding rests on cells the analysis cannot
   * evaluate exactly (it may then not hold; see the 'inexact' findings), true when it holds for certain.
   */
  exact?: boolean;
  /**
   * For the table-wide notes that are not about one rule or case (a check stopped at its budget, more findings than
   * listed): what the note says apart from its wording, and the numbers it names, so the editor words it in its own
   * language (editor/src/table/analysis.ts) as it does for the engine's messages.
   */
  code?: AnalysisNoteCode;
  params?: Record<string, number>;
}

export type AnalysisNoteCode = 'PAIRS_INCOMPLETE' | 'REACH_INCOMPLETE' | 'GAPS_INCOMPLETE' | 'GAPS_TOTAL' | 'PAIRS_MORE';

export interface GapSummary {
  /** Disjoint uncovered regions found (boxes of value ranges); a lower bound when `complete` is false. */
  regions: number;
  /** Uncovered input combinations, when every input has a finite set of values; otherwise null. */
  combinations: number | null;
  /** False when the search stopped at its budget before visiting every region. */
  complete: boolean;
}

export interface AnalysisReport {
  tableId: string;
  hitPolicy: HitPolicy;
  findings: Finding[];
  /** True when every cell could be analysed exactly (no 'inexact' findings). */
  exact: boolean;
  /** False when a search was cut short by its budget; findings are then a subset of the problems. */
  complete: boolean;
  /** Gap totals; null when gaps are not checked (COLLECT, RULE ORDER, OUTPUT ORDER, or an output has a default). */
  gaps: GapSummary | null;
}
