// The spreadsheet-like grid of a table's rules: virtualised (only the visible rows exist in the DOM, so a table of
// thousands of rules scrolls smoothly), an ARIA grid with one focus stop (aria-activedescendant), in-place editing,
// keyboard navigation, TSV copy/paste to and from Excel, row drag and drop, and marks from checks, analysis,
// simulation, fixtures coverage and diffs.
//
// This file holds the grid's state, its public methods and the mouse selection; the jobs live next to it:
// grid-render.ts (rows, virtualisation, marks), grid-columns.ts (header, titles, widths), grid-edit.ts (cell editor
// and validation messages), grid-keys.ts (keyboard), grid-clipboard.ts (copy/paste ranges), grid-rows.ts (row drag).
// Their functions take the Grid; the fields they share are public but meant for those files only.
import { h } from '../dom.ts';
import { onLangChange, t } from '../i18n/index.ts';
import type { TableCheck } from './checks.ts';
import { pasteText, wireClipboard } from './grid-clipboard.ts';
import { renderHead, template } from './grid-columns.ts';
import { colTitle, inputNames } from './grid-names.ts';
import { onPlainViewChange, shownText } from './cell-view.ts';
import { CellChoices } from './grid-choice.ts';
import { commitEdit, describeActive, liveCheck, startEdit } from './grid-edit.ts';
import { onEditorKey, onGridKey } from './grid-keys.ts';
import { renderRows } from './grid-render.ts';
import { wireRowDrag } from './grid-rows.ts';
import { ROW_HEIGHT, type CellMark, type GridOptions, type Range, type RowMark } from './grid-types.ts';
import { TableModel, type GridColumn } from './model.ts';

export { parseTsv } from './grid-clipboard.ts';
export { ROW_HEIGHT, type CellMark, type Finding, type GridOptions, type RowMark } from './grid-types.ts';

let gridCounter = 0;

export class Grid {
  readonly el: HTMLElement;
  // ---- shared with the grid-*.ts files ----
  readonly scroller: HTMLElement;
  readonly head: HTMLElement;
  readonly body: HTMLElement;
  readonly status: HTMLElement;
  readonly editor: HTMLInputElement;
  /** Over the scroller, outside the ARIA grid (a grid holds rows only): the cell editor and its drop-down. */
  readonly overlay: HTMLElement;
  readonly dropLine: HTMLElement;
  readonly gid = ++gridCounter;
  readonly choices: CellChoices;
  cols: GridColumn[] = [];
  active = { r: 0, c: 1 };
  anchor = { r: 0, c: 1 };
  editing: { r: number; c: number; original: string } | null = null;
  check: TableCheck | null = null;
  rowMarks = new Map<string, RowMark>();
  cellMarks = new Map<string, CellMark>();
  /** The draft's changes against the version in force (draft-changes.ts): `ruleId|colKey` cells and added rule ids. */
  changedCells = new Set<string>();
  addedRules = new Set<string>();
  /** Column widths set by the user (px), by column key; kept while the table stays open. */
  readonly widths = new Map<string, number>();
  readonly unlisten: (() => void)[] = [];
  private frame = 0;
  private dragging = false;

  constructor(
    readonly model: TableModel,
    readonly opts: GridOptions = {},
  ) {
    this.head = h('div', { class: 'grid-head', role: 'rowgroup' });
    this.body = h('div', { class: 'grid-body', role: 'rowgroup' });
    this.editor = h('input', {
      class: 'cell-editor',
      type: 'text',
      hidden: true,
      spellcheck: 'false',
      autocomplete: 'off',
      'aria-describedby': `grid-status-${this.gid}`,
    });
    this.dropLine = h('div', { class: 'drop-line', hidden: true, 'aria-hidden': 'true' });
    this.choices = new CellChoices(this);
    this.overlay = h('div', { class: 'grid-overlay' }, this.editor, this.choices.el);
    this.body.append(this.dropLine);
    this.scroller = h('div', {
      id: opts.id,
      class: 'grid-scroll',
      role: 'grid',
      tabindex: '0',
      'aria-label': opts.label ?? t('grid.label'),
      'aria-multiselectable': 'true',
      'aria-readonly': model.readonly ? 'true' : undefined,
      'aria-describedby': `grid-help-${this.gid}`,
    });
    this.scroller.append(this.head, this.body);
    this.status = h('div', { class: 'grid-status', id: `grid-status-${this.gid}`, 'aria-live': 'polite' });
    const help = h('p', { class: 'grid-help', id: `grid-help-${this.gid}` }, t('grid.help'));
    this.el = h('div', { class: 'grid-wrap' }, this.scroller, this.overlay, this.status, help);
    this.wire();
    this.unlisten.push(model.onChange(() => this.refresh()));
    // The grid outlives a language switch (unsaved work stays): re-word it.
    this.unlisten.push(
      onLangChange(() => {
        help.textContent = t('grid.help');
        this.scroller.setAttribute('aria-label', this.opts.label ?? t('grid.label'));
        this.refresh();
        describeActive(this);
      }),
    );
    // Text without quotes or with: the same cells drawn again.
    this.unlisten.push(
      onPlainViewChange(() => {
        this.schedule();
        describeActive(this);
      }),
    );
    this.refresh();
  }

  destroy(): void {
    this.choices.hide();
    for (const u of this.unlisten) u();
    cancelAnimationFrame(this.frame);
  }

  /** Re-reads columns and rows from the model. */
  refresh(): void {
    this.cols = this.model.columns();
    const rows = this.model.table.rules.length;
    this.active.r = Math.min(this.active.r, Math.max(0, rows - 1));
    this.active.c = Math.min(this.active.c, this.cols.length - 1);
    this.anchor = { ...this.active };
    this.scroller.style.setProperty('--grid-cols', template(this));
    this.scroller.setAttribute('aria-rowcount', String(rows + 1));
    this.scroller.setAttribute('aria-colcount', String(this.cols.length));
    this.body.style.height = `${rows * ROW_HEIGHT}px`;
    renderHead(this);
    this.schedule();
  }

  setCheck(check: TableCheck): void {
    this.check = check;
    this.schedule();
    describeActive(this);
  }

  setRowMarks(marks: Map<string, RowMark>): void {
    this.rowMarks = marks;
    this.schedule();
  }

  setChanges(cells: Set<string>, added: Set<string>): void {
    this.changedCells = cells;
    this.addedRules = added;
    this.schedule();
  }

  setCellMarks(marks: Map<string, CellMark>): void {
    this.cellMarks = marks;
    this.schedule();
  }

  /** Moves the active cell (and scrolls it into view). */
  focusCell(r: number, c: number, focus = true): void {
    this.setActive(r, c, false);
    if (focus) this.scroller.focus({ preventScroll: true });
  }

  focusRule(id: string, colKey?: string, focus = true): void {
    const r = this.model.table.rules.findIndex((x) => x.id === id);
    if (r < 0) return;
    const c = colKey ? this.cols.findIndex((x) => x.key === colKey) : this.active.c;
    this.focusCell(r, c < 0 ? 1 : c, focus);
  }

  activeRow(): number {
    return this.active.r;
  }

  /**
   * Finds the next cell (after the active one, wrapping) whose text holds `query`, case-insensitive, and makes it
   * active. The browser's own find cannot see rows that are not rendered, so the grid searches its model.
   */
  findNext(query: string): { rule: string; column: string } | null {
    const q = query.trim().toLowerCase();
    const rules = this.model.table.rules;
    if (!q || rules.length === 0) return null;
    const width = this.cols.length;
    const start = this.active.r * width + this.active.c;
    const total = rules.length * width;
    const names = inputNames(this);
    for (let step = 1; step <= total; step++) {
      const i = (start + step) % total;
      const r = Math.floor(i / width);
      const c = i % width;
      if (shownText(rules[r]!, this.cols[c]!, names).toLowerCase().includes(q)) {
        this.setActive(r, c, false);
        return { rule: rules[r]!.id, column: colTitle(this.cols[c]!) };
      }
    }
    return null;
  }

  /** Renders the visible rows only. */
  renderRows(): void {
    renderRows(this);
  }

  /** Confirms the cell being edited (the drop-down's click) and gives the grid the focus back. */
  commitEditing(): void {
    commitEdit(this);
  }

  /** Pastes a TSV block at the active cell; rules are added at the end when the block is longer. */
  paste(text: string): void {
    pasteText(this, text);
  }

  private schedule(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => renderRows(this));
  }

  // ---- selection and movement ----

  range(): Range {
    return {
      r0: Math.min(this.anchor.r, this.active.r),
      r1: Math.max(this.anchor.r, this.active.r),
      c0: Math.min(this.anchor.c, this.active.c),
      c1: Math.max(this.anchor.c, this.active.c),
    };
  }

  setActive(r: number, c: number, extend: boolean): void {
    const rows = this.model.table.rules.length;
    r = Math.max(0, Math.min(rows - 1, r));
    c = Math.max(0, Math.min(this.cols.length - 1, c));
    this.active = { r, c };
    if (!extend) this.anchor = { r, c };
    this.scrollIntoView(r, c);
    renderRows(this);
    describeActive(this);
  }

  private scrollIntoView(r: number, c: number): void {
    const s = this.scroller;
    const headH = this.head.offsetHeight;
    const y = r * ROW_HEIGHT;
    if (y < s.scrollTop) s.scrollTop = y;
    else if (y + ROW_HEIGHT > s.scrollTop + s.clientHeight - headH) s.scrollTop = y + ROW_HEIGHT - s.clientHeight + headH;
    const headCell = this.head.querySelector<HTMLElement>(`[aria-colindex="${c + 1}"]`);
    if (headCell) {
      const x = headCell.offsetLeft;
      const w = headCell.offsetWidth;
      const stickyW = c === 0 ? 0 : (this.head.querySelector<HTMLElement>('[aria-colindex="1"]')?.offsetWidth ?? 0);
      if (x - stickyW < s.scrollLeft) s.scrollLeft = Math.max(0, x - stickyW);
      else if (x + w > s.scrollLeft + s.clientWidth) s.scrollLeft = x + w - s.clientWidth;
    }
  }

  // ---- events ----

  private cellFromEvent(e: Event): { r: number; c: number } | null {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('[role=gridcell]');
    const row = cell?.closest<HTMLElement>('.grid-row');
    if (!cell || !row?.dataset.row) return null;
    return { r: Number(row.dataset.row), c: Number(cell.dataset.col) };
  }

  private wire(): void {
    const s = this.scroller;
    s.addEventListener('scroll', () => this.schedule(), { passive: true });
    // Rendered while detached (clientHeight 0) or resized: draw the rows that are visible now.
    const ro = new ResizeObserver(() => this.schedule());
    ro.observe(s);
    this.unlisten.push(() => ro.disconnect());
    s.addEventListener('mousedown', (e) => {
      if ((e.target as HTMLElement).closest('.colhead-button, .drag-handle')) return;
      const at = this.cellFromEvent(e);
      if (!at) return;
      if (this.editing) commitEdit(this);
      e.preventDefault();
      s.focus({ preventScroll: true });
      this.setActive(at.r, at.c, e.shiftKey);
      this.dragging = true;
    });
    s.addEventListener('mousemove', (e) => {
      if (!this.dragging || !(e.buttons & 1)) return;
      const at = this.cellFromEvent(e);
      if (at && (at.r !== this.active.r || at.c !== this.active.c)) this.setActive(at.r, at.c, true);
    });
    window.addEventListener('mouseup', this.onMouseUp);
    this.unlisten.push(() => window.removeEventListener('mouseup', this.onMouseUp));
    s.addEventListener('dblclick', (e) => {
      const at = this.cellFromEvent(e);
      if (at) startEdit(this);
    });
    s.addEventListener('keydown', (e) => onGridKey(this, e));
    this.editor.addEventListener('input', () => {
      liveCheck(this);
      this.choices.sync();
    });
    this.editor.addEventListener('keydown', (e) => onEditorKey(this, e));
    this.editor.addEventListener('blur', () => {
      if (this.editing) commitEdit(this);
    });
    wireClipboard(this);
    // Rows are dragged by their handle in the rule-id cell.
    wireRowDrag(this);
  }

  private readonly onMouseUp = (): void => {
    this.dragging = false;
  };
}
