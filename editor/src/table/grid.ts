// The spreadsheet-like grid of a table's rules: virtualised (only the visible rows exist in the DOM, so a table of
// thousands of rules scrolls smoothly), an ARIA grid with one focus stop (aria-activedescendant), in-place editing,
// keyboard navigation, TSV copy/paste to and from Excel, row drag and drop, and marks from checks, analysis,
// simulation, fixtures coverage and diffs.
import { announce, h } from '../dom.ts';
import { onLangChange, t } from '../i18n/index.ts';
import { checkCell, type CellProblem, type TableCheck } from './checks.ts';
import { TableModel, type GridColumn } from './model.ts';

export const ROW_HEIGHT = 34;
const OVERSCAN = 8;

export interface Finding {
  kind: 'overlap' | 'gap' | 'unreachable';
  message: string;
}

export interface RowMark {
  matched?: boolean;
  /** Number of fixture cases reaching the rule; 0 shows "not covered". */
  coverage?: number;
  findings?: Finding[];
  diff?: 'added' | 'changed' | 'moved';
}

export type CellMark = 'held' | 'failed' | 'changed';

interface Range {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

export interface GridOptions {
  onEditColumn?: (col: GridColumn) => void;
  label?: string;
  id?: string;
}

let gridCounter = 0;

export class Grid {
  readonly el: HTMLElement;
  private readonly scroller: HTMLElement;
  private readonly head: HTMLElement;
  private readonly body: HTMLElement;
  private readonly status: HTMLElement;
  private readonly editor: HTMLInputElement;
  private readonly dropLine: HTMLElement;
  private readonly gid = ++gridCounter;
  private cols: GridColumn[] = [];
  private active = { r: 0, c: 1 };
  private anchor = { r: 0, c: 1 };
  private editing: { r: number; c: number; original: string } | null = null;
  private check: TableCheck | null = null;
  private rowMarks = new Map<string, RowMark>();
  private cellMarks = new Map<string, CellMark>();
  private frame = 0;
  private dragging = false;
  private dragFrom = -1;
  /** Column widths set by the user (px), by column key; kept while the table stays open. */
  private readonly widths = new Map<string, number>();
  private readonly unlisten: (() => void)[] = [];

  constructor(
    private readonly model: TableModel,
    private readonly opts: GridOptions = {},
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
    this.body.append(this.editor, this.dropLine);
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
    this.el = h('div', { class: 'grid-wrap' }, this.scroller, this.status, help);
    this.wire();
    this.unlisten.push(model.onChange(() => this.refresh()));
    // The grid outlives a language switch (unsaved work stays): re-word it.
    this.unlisten.push(
      onLangChange(() => {
        help.textContent = t('grid.help');
        this.scroller.setAttribute('aria-label', this.opts.label ?? t('grid.label'));
        this.refresh();
        this.describeActive();
      }),
    );
    this.refresh();
  }

  destroy(): void {
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
    this.scroller.style.setProperty('--grid-cols', this.template());
    this.scroller.setAttribute('aria-rowcount', String(rows + 1));
    this.scroller.setAttribute('aria-colcount', String(this.cols.length));
    this.body.style.height = `${rows * ROW_HEIGHT}px`;
    this.renderHead();
    this.schedule();
  }

  setCheck(check: TableCheck): void {
    this.check = check;
    this.schedule();
    this.describeActive();
  }

  setRowMarks(marks: Map<string, RowMark>): void {
    this.rowMarks = marks;
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
    for (let step = 1; step <= total; step++) {
      const i = (start + step) % total;
      const r = Math.floor(i / width);
      const c = i % width;
      if (TableModel.cellText(rules[r]!, this.cols[c]!).toLowerCase().includes(q)) {
        this.setActive(r, c, false);
        return { rule: rules[r]!.id, column: this.colTitle(this.cols[c]!) };
      }
    }
    return null;
  }

  // ---- layout ----

  private template(): string {
    return this.cols
      .map((c) => {
        const w = this.widths.get(c.key);
        if (w) return `${w}px`;
        return c.kind === 'id' ? '124px' : c.kind === 'in' ? 'minmax(130px, 170px)' : c.kind === 'out' ? 'minmax(150px, 240px)' : 'minmax(220px, 1fr)';
      })
      .join(' ');
  }

  /** Sets a column's width (mouse on the header's edge, or Alt+Shift+←/→ on a cell). */
  private resizeColumn(c: number, width: number): void {
    const col = this.cols[c];
    if (!col) return;
    this.widths.set(col.key, Math.max(60, Math.min(900, Math.round(width))));
    this.scroller.style.setProperty('--grid-cols', this.template());
    if (this.editing) this.placeEditor();
  }

  private columnWidth(c: number): number {
    return this.head.querySelector<HTMLElement>(`[aria-colindex="${c + 1}"]`)?.offsetWidth ?? 150;
  }

  private colTitle(col: GridColumn): string {
    switch (col.kind) {
      case 'id':
        return t('grid.rule');
      case 'in':
        return col.col.label ?? col.col.name;
      case 'out':
        return col.col.label ?? col.col.name;
      case 'note':
        return t('grid.note');
    }
  }

  private renderHead(): void {
    const row = h('div', { class: 'grid-row grid-head-row', role: 'row', 'aria-rowindex': '1' });
    this.cols.forEach((col, c) => {
      const title = this.colTitle(col);
      const cell = h('div', {
        class: `grid-cell grid-colhead col-${col.kind}`,
        role: 'columnheader',
        'aria-colindex': String(c + 1),
        id: `g${this.gid}-h-${c}`,
      });
      if (col.kind === 'in' || col.kind === 'out') {
        const kind = col.kind === 'in' ? t('grid.input') : t('grid.output');
        const inner = h(
          'span',
          { class: 'colhead-text' },
          h('span', { class: 'colhead-kind' }, kind),
          h('span', { class: 'colhead-label' }, title),
          h('span', { class: 'colhead-meta' }, `${col.col.name} · ${t(`type.${col.col.type}`)}`),
        );
        if (this.model.readonly || !this.opts.onEditColumn) cell.append(inner);
        else {
          cell.append(
            h(
              'button',
              {
                type: 'button',
                class: 'colhead-button',
                tabindex: '-1',
                title: t('grid.editColumn', { name: title }),
                onclick: () => this.opts.onEditColumn?.(col),
              },
              inner,
              h('span', { class: 'sr-only' }, ` (${t('grid.editColumnHint')})`),
            ),
          );
        }
      } else cell.append(h('span', { class: 'colhead-label' }, title));
      const resizer = h('span', { class: 'col-resizer', 'aria-hidden': 'true', title: t('grid.resize') });
      resizer.addEventListener('mousedown', (e) => {
        e.preventDefault();
        e.stopPropagation();
        const startX = e.clientX;
        const start = cell.offsetWidth;
        const onMove = (m: MouseEvent): void => this.resizeColumn(c, start + m.clientX - startX);
        const onUp = (): void => {
          window.removeEventListener('mousemove', onMove);
          window.removeEventListener('mouseup', onUp);
        };
        window.addEventListener('mousemove', onMove);
        window.addEventListener('mouseup', onUp);
      });
      cell.append(resizer);
      row.append(cell);
    });
    this.head.replaceChildren(row);
  }

  private schedule(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.renderRows());
  }

  /** Renders the visible rows only. */
  renderRows(): void {
    const rules = this.model.table.rules;
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(rules.length - 1, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const sel = this.range();
    const frag = document.createDocumentFragment();
    for (let r = first; r <= last; r++) frag.append(this.renderRow(r, sel));
    for (const old of Array.from(this.body.querySelectorAll(':scope > .grid-row'))) old.remove();
    this.body.prepend(frag);
    this.scroller.setAttribute('aria-activedescendant', this.cellId(this.active.r, this.active.c));
    if (this.editing) this.placeEditor();
  }

  private cellId(r: number, c: number): string {
    return `g${this.gid}-c-${r}-${c}`;
  }

  private renderRow(r: number, sel: Range): HTMLElement {
    const rule = this.model.table.rules[r]!;
    const mark = this.rowMarks.get(rule.id);
    const problems = this.check?.cells.get(r);
    const classes = ['grid-row'];
    if (mark?.matched) classes.push('row-matched');
    if (mark?.coverage === 0) classes.push('row-uncovered');
    if (mark?.findings?.length) classes.push('row-finding');
    if (mark?.diff) classes.push(`row-diff-${mark.diff}`);
    if (problems && [...problems.values()].some((p) => p.severity === 'error')) classes.push('row-error');
    const row = h('div', {
      class: classes.join(' '),
      role: 'row',
      'aria-rowindex': String(r + 2),
      style: `transform: translateY(${r * ROW_HEIGHT}px)`,
      dataset: { row: String(r) },
    });
    this.cols.forEach((col, c) => {
      const text = TableModel.cellText(rule, col);
      const problem = problems?.get(col.key);
      const cm = this.cellMarks.get(`${rule.id}|${col.key}`);
      const selected = r >= sel.r0 && r <= sel.r1 && c >= sel.c0 && c <= sel.c1;
      const isActive = r === this.active.r && c === this.active.c;
      const cls = ['grid-cell', `col-${col.kind}`];
      if (selected) cls.push('selected');
      if (isActive) cls.push('active');
      if (problem) cls.push(problem.severity === 'error' ? 'cell-error' : 'cell-warning');
      if (cm) cls.push(`cell-${cm}`);
      if (col.kind === 'in' && text === '-') cls.push('cell-any');
      const labelParts = [t('grid.cellLabel', { rule: rule.id, column: this.colTitle(col) }), text === '-' && col.kind === 'in' ? t('grid.any') : text];
      if (problem) labelParts.push(problem.message);
      if (col.kind === 'id') {
        if (mark?.matched) labelParts.push(t('grid.matched'));
        for (const f of mark?.findings ?? []) labelParts.push(f.message);
        if (mark?.coverage !== undefined) labelParts.push(mark.coverage === 0 ? t('grid.uncovered') : t('grid.covered', { n: mark.coverage }));
      }
      const cell = h('div', {
        class: cls.join(' '),
        role: 'gridcell',
        id: this.cellId(r, c),
        'aria-colindex': String(c + 1),
        'aria-selected': selected ? 'true' : 'false',
        'aria-invalid': problem?.severity === 'error' ? 'true' : undefined,
        'aria-label': labelParts.filter(Boolean).join('. '),
        title: problem ? problem.message : text.length > 18 ? text : undefined,
        dataset: { col: String(c) },
      });
      if (col.kind === 'id') {
        if (!this.model.readonly) {
          cell.append(h('span', { class: 'drag-handle', draggable: 'true', title: t('grid.dragRow', { id: rule.id }), 'aria-hidden': 'true' }, '⋮⋮'));
        }
        cell.append(h('span', { class: 'cell-text' }, text));
        const badges = h('span', { class: 'row-badges', 'aria-hidden': 'true' });
        if (mark?.matched) badges.append(h('span', { class: 'badge badge-match', title: t('grid.matched') }, '✓'));
        // One badge per kind of finding (with a count), so the rule id stays readable.
        const byKind = new Map<Finding['kind'], Finding[]>();
        for (const f of mark?.findings ?? []) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
        for (const [kind, list] of byKind) {
          const symbol = kind === 'gap' ? '∅' : kind === 'overlap' ? '⚠' : '✗';
          badges.append(h('span', { class: `badge badge-${kind}`, title: list.map((f) => f.message).join('\n') }, list.length > 1 ? `${symbol}${list.length}` : symbol));
        }
        if (mark?.coverage === 0) badges.append(h('span', { class: 'badge badge-uncovered', title: t('grid.uncovered') }, '○'));
        else if (mark?.coverage !== undefined) badges.append(h('span', { class: 'badge badge-covered', title: t('grid.covered', { n: mark.coverage }) }, String(mark.coverage)));
        cell.append(badges);
      } else {
        cell.append(h('span', { class: 'cell-text' }, text));
      }
      row.append(cell);
    });
    return row;
  }

  // ---- selection and movement ----

  private range(): Range {
    return {
      r0: Math.min(this.anchor.r, this.active.r),
      r1: Math.max(this.anchor.r, this.active.r),
      c0: Math.min(this.anchor.c, this.active.c),
      c1: Math.max(this.anchor.c, this.active.c),
    };
  }

  private setActive(r: number, c: number, extend: boolean): void {
    const rows = this.model.table.rules.length;
    r = Math.max(0, Math.min(rows - 1, r));
    c = Math.max(0, Math.min(this.cols.length - 1, c));
    this.active = { r, c };
    if (!extend) this.anchor = { r, c };
    this.scrollIntoView(r, c);
    this.renderRows();
    this.describeActive();
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

  /** Puts the active cell's problem (or its text) in the status line under the grid. */
  private describeActive(): void {
    const rule = this.model.table.rules[this.active.r];
    const col = this.cols[this.active.c];
    if (!rule || !col) {
      this.status.textContent = '';
      return;
    }
    const problem = this.check?.cells.get(this.active.r)?.get(col.key);
    this.status.className = `grid-status${problem ? ` status-${problem.severity}` : ''}`;
    this.status.textContent = problem
      ? t('grid.cellError', { rule: rule.id, column: this.colTitle(col), message: problem.message })
      : `${t('grid.cellLabel', { rule: rule.id, column: this.colTitle(col) })}: ${TableModel.cellText(rule, col)}`;
  }

  // ---- editing ----

  private startEdit(initial?: string): void {
    if (this.model.readonly) return;
    const rule = this.model.table.rules[this.active.r];
    const col = this.cols[this.active.c];
    if (!rule || !col) return;
    const original = TableModel.cellText(rule, col);
    this.editing = { r: this.active.r, c: this.active.c, original };
    this.editor.value = initial ?? (col.kind === 'in' && original === '-' ? '-' : original);
    this.editor.hidden = false;
    this.editor.setAttribute('aria-label', t('grid.cellLabel', { rule: rule.id, column: this.colTitle(col) }));
    this.placeEditor();
    this.editor.focus();
    if (initial === undefined) this.editor.select();
    else this.editor.setSelectionRange(initial.length, initial.length);
    this.liveCheck();
  }

  private placeEditor(): void {
    if (!this.editing) return;
    const cell = this.body.querySelector<HTMLElement>(`#${this.cellId(this.editing.r, this.editing.c)}`);
    if (!cell) return;
    this.editor.style.top = `${this.editing.r * ROW_HEIGHT}px`;
    this.editor.style.left = `${cell.offsetLeft}px`;
    this.editor.style.width = `${Math.max(cell.offsetWidth, 220)}px`;
  }

  private liveCheck(): void {
    if (!this.editing) return;
    const col = this.cols[this.editing.c]!;
    const rule = this.model.table.rules[this.editing.r]!;
    const p: CellProblem | null = checkCell(this.editor.value, col, this.model.table.inputs.map((x) => x.name));
    this.editor.classList.toggle('invalid', p?.severity === 'error');
    this.editor.setAttribute('aria-invalid', p?.severity === 'error' ? 'true' : 'false');
    this.status.className = `grid-status${p ? ` status-${p.severity}` : ''}`;
    this.status.textContent = p ? t('grid.cellError', { rule: rule.id, column: this.colTitle(col), message: p.message }) : '';
  }

  private commitEdit(): void {
    const e = this.editing;
    if (!e) return;
    this.editing = null;
    this.editor.hidden = true;
    const value = this.editor.value;
    const col = this.cols[e.c];
    if (col && value !== e.original) {
      this.model.update('cells', (tb) => {
        const rule = tb.rules[e.r];
        if (rule) TableModel.setCellText(rule, col, value);
      });
    }
    this.scroller.focus({ preventScroll: true });
  }

  private cancelEdit(): void {
    this.editing = null;
    this.editor.hidden = true;
    this.scroller.focus({ preventScroll: true });
    this.describeActive();
  }

  // ---- clipboard ----

  private copyText(): { text: string; rows: number; cols: number } {
    const s = this.range();
    const lines: string[] = [];
    for (let r = s.r0; r <= s.r1; r++) {
      const rule = this.model.table.rules[r]!;
      const cells: string[] = [];
      for (let c = s.c0; c <= s.c1; c++) cells.push(tsvQuote(TableModel.cellText(rule, this.cols[c]!)));
      lines.push(cells.join('\t'));
    }
    return { text: lines.join('\r\n'), rows: s.r1 - s.r0 + 1, cols: s.c1 - s.c0 + 1 };
  }

  /** Pastes a TSV block at the active cell; rules are added at the end when the block is longer. */
  paste(text: string): void {
    if (this.model.readonly) return;
    const block = parseTsv(text);
    if (block.length === 0) return;
    const { r: r0, c: c0 } = this.active;
    const width = Math.max(...block.map((l) => l.length));
    this.model.update('rows', (tb) => {
      block.forEach((line, i) => {
        let rule = tb.rules[r0 + i];
        if (!rule) {
          rule = { id: this.model.freshRuleId(), when: {}, then: {} };
          tb.rules.push(rule);
        }
        line.forEach((value, j) => {
          const col = this.cols[c0 + j];
          if (col) TableModel.setCellText(rule, col, value);
        });
      });
    });
    this.anchor = { r: r0, c: c0 };
    this.active = { r: Math.min(r0 + block.length - 1, this.model.table.rules.length - 1), c: Math.min(c0 + width - 1, this.cols.length - 1) };
    this.renderRows();
    announce(t('grid.pasted', { rows: block.length, cols: width }), 'ok');
  }

  private clearRange(): void {
    if (this.model.readonly) return;
    const s = this.range();
    this.model.update('cells', (tb) => {
      for (let r = s.r0; r <= s.r1; r++) {
        for (let c = Math.max(1, s.c0); c <= s.c1; c++) {
          const col = this.cols[c]!;
          TableModel.setCellText(tb.rules[r]!, col, col.kind === 'in' ? '-' : '');
        }
      }
    });
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
      if ((e.target as HTMLElement).closest('.cell-editor, .colhead-button, .drag-handle')) return;
      const at = this.cellFromEvent(e);
      if (!at) return;
      if (this.editing) this.commitEdit();
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
      if ((e.target as HTMLElement).closest('.cell-editor')) return;
      const at = this.cellFromEvent(e);
      if (at) this.startEdit();
    });
    s.addEventListener('keydown', (e) => this.onKey(e));
    this.editor.addEventListener('input', () => this.liveCheck());
    this.editor.addEventListener('keydown', (e) => this.onEditorKey(e));
    this.editor.addEventListener('blur', () => {
      if (this.editing) this.commitEdit();
    });

    const onCopy = (e: ClipboardEvent): void => {
      if (document.activeElement !== s || this.editing) return;
      const { text, rows, cols } = this.copyText();
      e.clipboardData?.setData('text/plain', text);
      e.preventDefault();
      announce(t('grid.copied', { rows, cols }));
      if (e.type === 'cut') this.clearRange();
    };
    const onPaste = (e: ClipboardEvent): void => {
      if (document.activeElement !== s || this.editing) return;
      const text = e.clipboardData?.getData('text/plain');
      if (text === undefined) return;
      e.preventDefault();
      this.paste(text);
    };
    document.addEventListener('copy', onCopy);
    document.addEventListener('cut', onCopy);
    document.addEventListener('paste', onPaste);
    this.unlisten.push(() => {
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('cut', onCopy);
      document.removeEventListener('paste', onPaste);
    });

    // Rows are dragged by their handle in the rule-id cell.
    this.body.addEventListener('dragstart', (e) => {
      const handle = (e.target as HTMLElement).closest('.drag-handle');
      const row = handle?.closest<HTMLElement>('.grid-row');
      if (!row?.dataset.row) return;
      this.dragFrom = Number(row.dataset.row);
      e.dataTransfer?.setData('text/plain', this.model.table.rules[this.dragFrom]?.id ?? '');
      if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
    });
    this.body.addEventListener('dragover', (e) => {
      if (this.dragFrom < 0) return;
      e.preventDefault();
      const to = this.dropIndex(e);
      this.dropLine.hidden = false;
      this.dropLine.style.top = `${to * ROW_HEIGHT - 1}px`;
    });
    this.body.addEventListener('dragleave', (e) => {
      if (e.target === this.body) this.dropLine.hidden = true;
    });
    this.body.addEventListener('drop', (e) => {
      if (this.dragFrom < 0) return;
      e.preventDefault();
      const to = this.dropIndex(e);
      const from = this.dragFrom;
      this.dragFrom = -1;
      this.dropLine.hidden = true;
      const target = to > from ? to - 1 : to;
      if (target !== from) {
        this.model.moveRule(from, target);
        this.focusCell(target, this.active.c);
      }
    });
    this.body.addEventListener('dragend', () => {
      this.dragFrom = -1;
      this.dropLine.hidden = true;
    });
  }

  private readonly onMouseUp = (): void => {
    this.dragging = false;
  };

  private dropIndex(e: DragEvent): number {
    const y = e.clientY - this.body.getBoundingClientRect().top;
    return Math.max(0, Math.min(this.model.table.rules.length, Math.round(y / ROW_HEIGHT)));
  }

  private onKey(e: KeyboardEvent): void {
    if (this.editing || e.target !== this.scroller) return;
    const { r, c } = this.active;
    const rows = this.model.table.rules.length;
    const page = Math.max(1, Math.floor(this.scroller.clientHeight / ROW_HEIGHT) - 2);
    const ctrl = e.ctrlKey || e.metaKey;
    const move = (nr: number, nc: number): void => {
      e.preventDefault();
      this.setActive(nr, nc, e.shiftKey && !e.key.startsWith('Tab'));
    };
    if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
      e.preventDefault();
      const to = e.key === 'ArrowUp' ? r - 1 : r + 1;
      if (to >= 0 && to < rows) {
        this.model.moveRule(r, to);
        this.focusCell(to, c);
      }
      return;
    }
    if (e.altKey && e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
      e.preventDefault();
      this.resizeColumn(c, this.columnWidth(c) + (e.key === 'ArrowRight' ? 30 : -30));
      return;
    }
    // Alt+Enter opens the column dialog of the active column (the header buttons are outside the Tab order).
    if (e.altKey && e.key === 'Enter') {
      e.preventDefault();
      const col = this.cols[c];
      if (col && (col.kind === 'in' || col.kind === 'out') && !this.model.readonly) this.opts.onEditColumn?.(col);
      return;
    }
    // Rule shortcuts: Insert adds a rule above, Ctrl+D duplicates, Ctrl+Delete deletes the active rule.
    if (!this.model.readonly && ((e.key === 'Insert' && !ctrl) || (ctrl && (e.key === 'd' || e.key === 'D')) || (ctrl && e.key === 'Delete'))) {
      e.preventDefault();
      if (e.key === 'Insert') {
        this.model.insertRule(Math.max(0, r));
        this.focusCell(Math.max(0, r), 1);
      } else if (e.key === 'Delete') {
        const rule = this.model.table.rules[r];
        if (!rule) return;
        this.model.deleteRules(r, r);
        announce(t('grid.deleted', { id: rule.id }));
        this.focusCell(Math.min(r, this.model.table.rules.length - 1), c);
      } else if (rows > 0) {
        this.model.duplicateRule(r);
        this.focusCell(r + 1, c);
      }
      return;
    }
    switch (e.key) {
      case 'ArrowUp':
        return move(ctrl ? 0 : r - 1, c);
      case 'ArrowDown':
        return move(ctrl ? rows - 1 : r + 1, c);
      case 'ArrowLeft':
        return move(r, ctrl ? 0 : c - 1);
      case 'ArrowRight':
        return move(r, ctrl ? this.cols.length - 1 : c + 1);
      case 'PageUp':
        return move(r - page, c);
      case 'PageDown':
        return move(r + page, c);
      case 'Home':
        return move(ctrl ? 0 : r, 0);
      case 'End':
        return move(ctrl ? rows - 1 : r, this.cols.length - 1);
      case 'Tab': {
        e.preventDefault();
        if (e.shiftKey) this.setActive(c > 0 ? r : r - 1, c > 0 ? c - 1 : this.cols.length - 1, false);
        else this.setActive(c < this.cols.length - 1 ? r : r + 1, c < this.cols.length - 1 ? c + 1 : 0, false);
        return;
      }
      case 'Enter':
      case 'F2':
        e.preventDefault();
        this.startEdit();
        return;
      case 'Delete':
      case 'Backspace':
        e.preventDefault();
        this.clearRange();
        return;
      case 'Escape':
        this.anchor = { ...this.active };
        this.renderRows();
        return;
    }
    if (ctrl && (e.key === 'z' || e.key === 'Z')) {
      e.preventDefault();
      if (e.shiftKey) this.model.redo();
      else this.model.undo();
      return;
    }
    if (ctrl && (e.key === 'f' || e.key === 'F')) {
      const box = document.getElementById('grid-find');
      if (box) {
        e.preventDefault();
        box.focus();
      }
      return;
    }
    if (ctrl && (e.key === 'y' || e.key === 'Y')) {
      e.preventDefault();
      this.model.redo();
      return;
    }
    if (ctrl && (e.key === 'a' || e.key === 'A')) {
      e.preventDefault();
      this.anchor = { r: 0, c: 0 };
      this.active = { r: rows - 1, c: this.cols.length - 1 };
      this.renderRows();
      return;
    }
    if (!ctrl && !e.altKey && e.key.length === 1 && !this.model.readonly) {
      e.preventDefault();
      this.startEdit(e.key);
    }
  }

  private onEditorKey(e: KeyboardEvent): void {
    const { r, c } = this.active;
    switch (e.key) {
      case 'Enter':
        e.preventDefault();
        this.commitEdit();
        this.setActive(e.shiftKey ? r - 1 : r + 1, c, false);
        return;
      case 'Tab':
        e.preventDefault();
        this.commitEdit();
        if (e.shiftKey) this.setActive(c > 0 ? r : r - 1, c > 0 ? c - 1 : this.cols.length - 1, false);
        else this.setActive(c < this.cols.length - 1 ? r : r + 1, c < this.cols.length - 1 ? c + 1 : 0, false);
        return;
      case 'Escape':
        e.preventDefault();
        this.cancelEdit();
        return;
      case 'ArrowUp':
      case 'ArrowDown':
        e.preventDefault();
        this.commitEdit();
        this.setActive(e.key === 'ArrowUp' ? r - 1 : r + 1, c, false);
        return;
    }
  }
}

function tsvQuote(s: string): string {
  return /[\t\r\n"]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Parses tab-separated text as Excel writes it (quoted cells may hold tabs, newlines and doubled quotes). */
export function parseTsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let atCellStart = true;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && atCellStart) {
      quoted = true;
      atCellStart = false;
      i++;
      continue;
    }
    if (ch === '\t') {
      row.push(cell);
      cell = '';
      atCellStart = true;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      atCellStart = true;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    cell += ch;
    atCellStart = false;
    i++;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}
