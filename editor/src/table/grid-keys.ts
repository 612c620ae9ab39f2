// Keyboard navigation and shortcuts of the grid: arrows, Page/Home/End (with Ctrl), Tab, selection with Shift, editing
// (Enter, F2, typing), clearing, undo/redo, select all, find, row moves and operations, column width and dialog.
import { announce } from '../dom.ts';
import type { Grid } from './grid.ts';
import { clearRange } from './grid-clipboard.ts';
import { columnWidth, resizeColumn } from './grid-columns.ts';
import { cancelEdit, commitEdit, startEdit } from './grid-edit.ts';
import { renderRows } from './grid-render.ts';
import { ROW_HEIGHT } from './grid-types.ts';
import { t } from '../i18n/index.ts';

/** Keys on the grid itself (not while a cell is being edited). */
export function onGridKey(g: Grid, e: KeyboardEvent): void {
  if (g.editing || e.target !== g.scroller) return;
  const { r, c } = g.active;
  const rows = g.model.table.rules.length;
  const page = Math.max(1, Math.floor(g.scroller.clientHeight / ROW_HEIGHT) - 2);
  const ctrl = e.ctrlKey || e.metaKey;
  const move = (nr: number, nc: number): void => {
    e.preventDefault();
    g.setActive(nr, nc, e.shiftKey && !e.key.startsWith('Tab'));
  };
  if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
    e.preventDefault();
    const to = e.key === 'ArrowUp' ? r - 1 : r + 1;
    if (to >= 0 && to < rows) {
      g.model.moveRule(r, to);
      g.focusCell(to, c);
    }
    return;
  }
  if (e.altKey && e.shiftKey && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
    e.preventDefault();
    resizeColumn(g, c, columnWidth(g, c) + (e.key === 'ArrowRight' ? 30 : -30));
    return;
  }
  // Alt+Enter opens the column dialog of the active column (the header buttons are outside the Tab order).
  if (e.altKey && e.key === 'Enter') {
    e.preventDefault();
    const col = g.cols[c];
    if (col && (col.kind === 'in' || col.kind === 'out') && !g.model.readonly) g.opts.onEditColumn?.(col);
    return;
  }
  // Rule shortcuts: Insert adds a rule above, Ctrl+D duplicates, Ctrl+Delete deletes the active rule.
  if (!g.model.readonly && ((e.key === 'Insert' && !ctrl) || (ctrl && (e.key === 'd' || e.key === 'D')) || (ctrl && e.key === 'Delete'))) {
    e.preventDefault();
    if (e.key === 'Insert') {
      g.model.insertRule(Math.max(0, r));
      g.focusCell(Math.max(0, r), 1);
    } else if (e.key === 'Delete') {
      const rule = g.model.table.rules[r];
      if (!rule) return;
      g.model.deleteRules(r, r);
      announce(t('grid.deleted', { id: rule.id }));
      g.focusCell(Math.min(r, g.model.table.rules.length - 1), c);
    } else if (rows > 0) {
      g.model.duplicateRule(r);
      g.focusCell(r + 1, c);
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
      return move(r, ctrl ? g.cols.length - 1 : c + 1);
    case 'PageUp':
      return move(r - page, c);
    case 'PageDown':
      return move(r + page, c);
    case 'Home':
      return move(ctrl ? 0 : r, 0);
    case 'End':
      return move(ctrl ? rows - 1 : r, g.cols.length - 1);
    case 'Tab': {
      e.preventDefault();
      if (e.shiftKey) g.setActive(c > 0 ? r : r - 1, c > 0 ? c - 1 : g.cols.length - 1, false);
      else g.setActive(c < g.cols.length - 1 ? r : r + 1, c < g.cols.length - 1 ? c + 1 : 0, false);
      return;
    }
    case 'Enter':
    case 'F2':
      e.preventDefault();
      startEdit(g);
      return;
    case 'Delete':
    case 'Backspace':
      e.preventDefault();
      clearRange(g);
      return;
    case 'Escape':
      g.anchor = { ...g.active };
      renderRows(g);
      return;
  }
  if (ctrl && (e.key === 'z' || e.key === 'Z')) {
    e.preventDefault();
    if (e.shiftKey) g.model.redo();
    else g.model.undo();
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
    g.model.redo();
    return;
  }
  if (ctrl && (e.key === 'a' || e.key === 'A')) {
    e.preventDefault();
    g.anchor = { r: 0, c: 0 };
    g.active = { r: rows - 1, c: g.cols.length - 1 };
    renderRows(g);
    return;
  }
  if (!ctrl && !e.altKey && e.key.length === 1 && !g.model.readonly) {
    e.preventDefault();
    startEdit(g, e.key);
  }
}

/** Keys in the cell editor: Enter/Tab/arrows commit and move, Escape cancels; ↑/↓ and Space serve a drop-down first. */
export function onEditorKey(g: Grid, e: KeyboardEvent): void {
  if (g.choices.onKey(e)) return;
  const { r, c } = g.active;
  switch (e.key) {
    case 'Enter':
      e.preventDefault();
      commitEdit(g);
      g.setActive(e.shiftKey ? r - 1 : r + 1, c, false);
      return;
    case 'Tab':
      e.preventDefault();
      commitEdit(g);
      if (e.shiftKey) g.setActive(c > 0 ? r : r - 1, c > 0 ? c - 1 : g.cols.length - 1, false);
      else g.setActive(c < g.cols.length - 1 ? r : r + 1, c < g.cols.length - 1 ? c + 1 : 0, false);
      return;
    case 'Escape':
      e.preventDefault();
      cancelEdit(g);
      return;
    case 'ArrowUp':
    case 'ArrowDown':
      e.preventDefault();
      commitEdit(g);
      g.setActive(e.key === 'ArrowUp' ? r - 1 : r + 1, c, false);
      return;
  }
}
