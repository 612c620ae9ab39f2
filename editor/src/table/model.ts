// The table being edited: one working copy of the DecisionTable, every change through `update`, undo/redo by
// snapshots, and listeners (grid, JSON view, simulator) told what kind of change happened.
import type { DecisionTable, InputColumn, OutputColumn, Rule } from '../../../server/engine/index.ts';

export type ChangeKind = 'cells' | 'rows' | 'columns' | 'meta' | 'replace';
export interface Change {
  kind: ChangeKind;
  /** Who made it: listeners skip their own changes (the JSON view does not reload what it just typed). */
  source?: string;
}

/** A column of the grid: the rule id, an input, an output, or the note. */
export type GridColumn =
  | { kind: 'id'; key: 'id' }
  | { kind: 'in'; key: string; index: number; col: InputColumn }
  | { kind: 'out'; key: string; index: number; col: OutputColumn }
  | { kind: 'note'; key: 'note' };

const MAX_UNDO = 60;

export class TableModel {
  table: DecisionTable;
  readonly readonly: boolean;
  private readonly listeners = new Set<(c: Change) => void>();
  private undoStack: string[] = [];
  private redoStack: string[] = [];
  /** Bumped on every change: the page compares it to the saved generation to know about unsaved work. */
  generation = 0;

  constructor(table: DecisionTable, readonly = false) {
    this.table = structuredClone(table);
    this.readonly = readonly;
  }

  onChange(fn: (c: Change) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Applies `mutate` to the table (unless read-only), remembering the state before for undo. */
  update(kind: ChangeKind, mutate: (t: DecisionTable) => void, source?: string): void {
    if (this.readonly) return;
    this.undoStack.push(JSON.stringify(this.table));
    if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
    this.redoStack = [];
    mutate(this.table);
    this.emit({ kind, source });
  }

  /** Replaces the whole table (JSON view, reload). */
  replace(table: DecisionTable, source?: string, keepUndo = true): void {
    if (keepUndo && !this.readonly) {
      this.undoStack.push(JSON.stringify(this.table));
      if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
      this.redoStack = [];
    } else {
      this.undoStack = [];
      this.redoStack = [];
    }
    this.table = structuredClone(table);
    this.emit({ kind: 'replace', source });
  }

  undo(): boolean {
    const prev = this.undoStack.pop();
    if (prev === undefined) return false;
    this.redoStack.push(JSON.stringify(this.table));
    this.table = JSON.parse(prev) as DecisionTable;
    this.emit({ kind: 'replace' });
    return true;
  }

  redo(): boolean {
    const next = this.redoStack.pop();
    if (next === undefined) return false;
    this.undoStack.push(JSON.stringify(this.table));
    this.table = JSON.parse(next) as DecisionTable;
    this.emit({ kind: 'replace' });
    return true;
  }

  private emit(c: Change): void {
    this.generation++;
    for (const l of this.listeners) l(c);
  }

  columns(): GridColumn[] {
    return [
      { kind: 'id', key: 'id' },
      ...this.table.inputs.map((col, index) => ({ kind: 'in' as const, key: `in:${col.name}`, index, col })),
      ...this.table.outputs.map((col, index) => ({ kind: 'out' as const, key: `out:${col.name}`, index, col })),
      { kind: 'note', key: 'note' },
    ];
  }

  /** The text of a cell as shown and edited: a missing condition is `-`. */
  static cellText(rule: Rule, col: GridColumn): string {
    switch (col.kind) {
      case 'id':
        return rule.id;
      case 'in':
        return Object.hasOwn(rule.when, col.col.name) ? rule.when[col.col.name]! : '-';
      case 'out':
        return Object.hasOwn(rule.then, col.col.name) ? rule.then[col.col.name]! : '';
      case 'note':
        return rule.note ?? '';
    }
  }

  /** Writes a cell's text into a rule: `-` or empty removes a condition; empty removes a note. */
  static setCellText(rule: Rule, col: GridColumn, text: string): void {
    const v = text.trim();
    switch (col.kind) {
      case 'id':
        rule.id = v;
        break;
      case 'in':
        if (v === '' || v === '-') delete rule.when[col.col.name];
        else rule.when[col.col.name] = v;
        break;
      case 'out':
        if (v === '') delete rule.then[col.col.name];
        else rule.then[col.col.name] = v;
        break;
      case 'note':
        if (text.trim() === '') delete rule.note;
        else rule.note = text;
        break;
    }
  }

  /** A rule id not used yet, like R17. */
  freshRuleId(prefix = 'R'): string {
    const used = new Set(this.table.rules.map((r) => r.id));
    let n = this.table.rules.length + 1;
    while (used.has(`${prefix}${n}`)) n++;
    return `${prefix}${n}`;
  }

  /** An empty rule: every condition `-`, every output empty. */
  blankRule(): Rule {
    return { id: this.freshRuleId(), when: {}, then: {} };
  }

  insertRule(at: number, rule: Rule = this.blankRule()): void {
    this.update('rows', (t) => t.rules.splice(at, 0, rule));
  }

  duplicateRule(at: number): void {
    const src = this.table.rules[at];
    if (!src) return;
    const copy: Rule = structuredClone(src);
    copy.id = this.freshRuleId();
    this.update('rows', (t) => t.rules.splice(at + 1, 0, copy));
  }

  deleteRules(from: number, to: number): void {
    this.update('rows', (t) => t.rules.splice(from, to - from + 1));
  }

  moveRule(from: number, to: number): void {
    if (from === to || to < 0 || to >= this.table.rules.length) return;
    this.update('rows', (t) => {
      const [r] = t.rules.splice(from, 1);
      t.rules.splice(to, 0, r!);
    });
  }

  /** Renames a column and the cells that use its name as key. */
  static renameColumn(t: DecisionTable, kind: 'in' | 'out', from: string, to: string): void {
    if (from === to) return;
    for (const rule of t.rules) {
      const map = kind === 'in' ? rule.when : rule.then;
      if (Object.hasOwn(map, from)) {
        const value = map[from]!;
        delete map[from];
        map[to] = value;
      }
    }
  }
}
