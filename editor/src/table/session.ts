// Everything the editor holds for one open table: the working copy, its draft revision, checks, analysis, the
// simulator's last case and the fixtures. Kept across tab switches and language switches, so unsaved work survives.
import { api, ApiError, type Draft, type FixtureSet, type TableDetail } from '../api.ts';
import { debounce } from '../dom.ts';
import type { DecisionTable } from '../../../server/engine/index.ts';
import { Analyzer, describeFinding, type AnalysisResult } from './analysis.ts';
import { Checker, type TableCheck } from './checks.ts';
import { selectVersion } from '../../../server/engine/versions.ts';
import { draftChanges, type DraftChanges } from './draft-changes.ts';
import { Grid, type CellMark, type RowMark } from './grid.ts';
import { TableModel } from './model.ts';
import { mayEdit } from '../session.ts';

export interface FixtureState {
  set: FixtureSet;
  revision: number | null;
  savedJson: string;
  /** The set belongs to the draft (saved with PUT …/draft/fixtures and a reason), not to the adopted table. */
  inDraft?: boolean;
}

export class TableSession {
  readonly id: string;
  readonly version: number | undefined;
  model: TableModel;
  grid!: Grid;
  draft: Draft | null = null;
  revision = 0;
  savedGeneration = 0;
  detail: TableDetail | null = null;
  check: TableCheck = { cells: new Map(), table: [], valid: true };
  analysis: AnalysisResult | null = null;
  fixtures: FixtureState | null = null;
  /** The simulator's last case, per input name. */
  simInput: Record<string, unknown> = {};
  simDate = '';
  matched = new Set<string>();
  traceMarks = new Map<string, CellMark>();
  coverage: Map<string, number> | null = null;
  /** The published version the draft is compared with (the one in force today), and what the draft changes in it. */
  baseline: { version: number; validFrom: string; table: DecisionTable } | null = null;
  changes: DraftChanges | null = null;
  showCoverage = false;
  conflict = false;
  onEditColumn: ((kind: 'in' | 'out', index: number) => void) | null = null;
  private readonly checker = new Checker();
  private readonly analyzer = new Analyzer();
  private readonly listeners = new Set<() => void>();

  /** Read-only because the user may not edit (no role editor), not because a published version is shown. */
  readonly viewOnly: boolean;

  constructor(id: string, table: DecisionTable, version?: number) {
    this.id = id;
    this.version = version;
    this.viewOnly = version === undefined && !mayEdit();
    this.model = new TableModel(table, version !== undefined || this.viewOnly);
    this.makeGrid();
    this.model.onChange(() => this.scheduleCheck());
    this.runChecks();
  }

  private makeGrid(): void {
    this.grid = new Grid(this.model, {
      id: 'rules-grid',
      onEditColumn: (col) => {
        if (col.kind === 'in' || col.kind === 'out') this.onEditColumn?.(col.kind, col.index);
      },
    });
  }

  /**
   * A published version is shown (the panels then work on that version). A viewer's draft is not `readonly` but
   * `viewOnly`: the panels show the draft, and its model (the grid, the JSON) refuses every change.
   */
  get readonly(): boolean {
    return this.version !== undefined;
  }

  /** Unsaved work: the table differs from what was loaded or saved (undoing back to it is not a change). */
  dirty(): boolean {
    if (this.readonly || this.model.generation === this.savedGeneration) return false;
    if (this.dirtyMemo?.generation !== this.model.generation) {
      this.dirtyMemo = { generation: this.model.generation, dirty: JSON.stringify(this.model.table) !== this.savedJson };
    }
    return this.dirtyMemo.dirty;
  }

  private savedJson = '';
  private dirtyMemo: { generation: number; dirty: boolean } | null = null;

  private markSaved(table: DecisionTable, generation: number): void {
    this.savedGeneration = generation;
    this.savedJson = JSON.stringify(table);
    this.dirtyMemo = null;
  }

  fixturesDirty(): boolean {
    return Boolean(this.fixtures && JSON.stringify(this.fixtures.set) !== this.fixtures.savedJson);
  }

  /** Called after checks, analysis, saves: the page updates its header and panels. */
  onUpdate(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  notify(): void {
    for (const l of this.listeners) l();
  }

  private readonly scheduleCheck = debounce(() => this.runChecks(), 120);

  runChecks(): void {
    this.updateChanges();
    this.check = this.checker.check(this.model.table, this.model);
    this.grid.setCheck(this.check);
    this.scheduleAnalysis();
    this.notify();
  }

  /** True from a change until the analysis of the changed table is back (the shown findings may be outdated). */
  analysisPending = false;

  private scheduleAnalysis(): void {
    this.analysisPending = true;
    this.runAnalysis();
  }

  private readonly runAnalysis = debounce(() => {
    void this.analyzer.run(structuredClone(this.model.table)).then((r) => {
      if (!r) return;
      this.analysis = r;
      this.analysisPending = false;
      this.updateMarks();
      this.notify();
    });
  }, 300);

  /** Combines findings, simulation matches and coverage into the grid's row marks. */
  updateMarks(): void {
    const marks = new Map<string, RowMark>();
    const get = (id: string): RowMark => {
      let m = marks.get(id);
      if (!m) marks.set(id, (m = {}));
      return m;
    };
    if (this.analysis && 'report' in this.analysis) {
      for (const f of this.analysis.report.findings) {
        const d = describeFinding(f);
        if (!d || !f.rules[0]) continue;
        (get(f.rules[0]).findings ??= []).push(d);
      }
    }
    for (const id of this.matched) get(id).matched = true;
    if (this.showCoverage && this.coverage) {
      for (const rule of this.model.table.rules) get(rule.id).coverage = this.coverage.get(rule.id) ?? 0;
    }
    this.grid.setRowMarks(marks);
    this.grid.setCellMarks(this.traceMarks);
  }

  /** Compares the working copy with the version in force and marks the changed cells and added rules in the grid. */
  updateChanges(): void {
    this.changes = this.baseline && !this.readonly ? draftChanges(this.model.table, this.baseline.table) : null;
    this.grid.setChanges(this.changes?.cells ?? new Set(), this.changes?.added ?? new Set());
  }

  /** The version in force today (else the newest), which the draft's changes are marked against. */
  private async loadBaseline(): Promise<void> {
    const versions = this.detail?.versions ?? [];
    const meta = selectVersion(versions, {}) ?? versions.at(-1);
    if (!meta) return;
    const table = await api.version(this.id, meta.version).catch(() => null);
    if (!table) return;
    this.baseline = { version: meta.version, validFrom: meta.validFrom, table };
    this.updateChanges();
    this.notify();
  }

  /** Loads the draft (or the version, read-only) and the table's metadata. */
  static async open(id: string, version?: number): Promise<TableSession> {
    if (version !== undefined) {
      const [table, detail] = await Promise.all([api.version(id, version), api.table(id).catch(() => null)]);
      const s = new TableSession(id, table, version);
      s.detail = detail;
      return s;
    }
    const [draft, detail] = await Promise.all([api.draft(id), api.table(id).catch(() => null)]);
    const s = new TableSession(id, draft.table);
    s.applyDraft(draft);
    s.detail = detail;
    // Without a stored draft the working copy starts as the newest version; edits are marked against it all the same.
    await s.loadBaseline();
    return s;
  }

  applyDraft(draft: Draft): void {
    this.draft = draft;
    this.revision = draft.revision;
    this.markSaved(this.model.table, this.model.generation);
    this.conflict = false;
  }

  /** PUT the draft with If-Match; a 409 sets `conflict` and never overwrites. */
  async save(): Promise<Draft> {
    const generation = this.model.generation;
    const table = structuredClone(this.model.table);
    try {
      const draft = await api.saveDraft(this.id, table, this.revision);
      this.draft = { ...draft, table: draft.table ?? table };
      this.revision = draft.revision;
      this.markSaved(table, generation);
      this.conflict = false;
      return draft;
    } catch (err) {
      // A newer draft is a conflict to resolve; a draft submitted meanwhile is not (the refusal says to withdraw it).
      if (err instanceof ApiError && (err.status === 409 || err.code === 'STALE_REVISION') && err.code !== 'DRAFT_SUBMITTED') this.conflict = true;
      throw err;
    } finally {
      this.notify();
    }
  }

  /** Reloads the draft from the server, dropping local edits (after a conflict, or on request). */
  async reload(): Promise<void> {
    const draft = await api.draft(this.id);
    this.model.replace(draft.table, 'reload', false);
    this.applyDraft(draft);
    this.notify();
  }

  async refreshDetail(): Promise<void> {
    this.detail = await api.table(this.id).catch(() => this.detail);
    this.notify();
  }

  destroy(): void {
    this.grid.destroy();
    this.analyzer.destroy();
  }
}

let cached: TableSession | null = null;

/** The session for a table: reused while the same table (and version) stays open. */
export async function sessionFor(id: string, version?: number): Promise<TableSession> {
  if (cached && cached.id === id && cached.version === version) return cached;
  if (cached && !cached.dirty()) {
    cached.destroy();
    cached = null;
  }
  const s = await TableSession.open(id, version);
  if (cached && cached.dirty()) {
    // A dirty session of another table stays until it is saved or the user confirms leaving; keep only one.
    cached.destroy();
  }
  cached = s;
  return s;
}
