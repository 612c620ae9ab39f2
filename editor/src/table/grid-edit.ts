// In-place editing of a grid cell and the cell validation messages: the editor input over the active cell, the live
// check of what is typed (aria-invalid and the status line under the grid), commit and cancel.
import { t } from '../i18n/index.ts';
import { checkCell, type CellProblem } from './checks.ts';
import type { Grid } from './grid.ts';
import { cellId, colTitle } from './grid-names.ts';
import { ROW_HEIGHT } from './grid-types.ts';
import { TableModel } from './model.ts';

/** Puts the active cell's problem (or its text) in the status line under the grid. */
export function describeActive(g: Grid): void {
  const rule = g.model.table.rules[g.active.r];
  const col = g.cols[g.active.c];
  if (!rule || !col) {
    g.status.textContent = '';
    return;
  }
  const problem = g.check?.cells.get(g.active.r)?.get(col.key);
  g.status.className = `grid-status${problem ? ` status-${problem.severity}` : ''}`;
  g.status.textContent = problem
    ? t('grid.cellError', { rule: rule.id, column: colTitle(col), message: problem.message })
    : `${t('grid.cellLabel', { rule: rule.id, column: colTitle(col) })}: ${TableModel.cellText(rule, col)}`;
}

export function startEdit(g: Grid, initial?: string): void {
  if (g.model.readonly) return;
  const rule = g.model.table.rules[g.active.r];
  const col = g.cols[g.active.c];
  if (!rule || !col) return;
  const original = TableModel.cellText(rule, col);
  g.editing = { r: g.active.r, c: g.active.c, original };
  g.editor.value = initial ?? (col.kind === 'in' && original === '-' ? '-' : original);
  g.editor.hidden = false;
  g.editor.setAttribute('aria-label', t('grid.cellLabel', { rule: rule.id, column: colTitle(col) }));
  placeEditor(g);
  g.editor.focus();
  if (initial === undefined) g.editor.select();
  else g.editor.setSelectionRange(initial.length, initial.length);
  liveCheck(g);
}

export function placeEditor(g: Grid): void {
  if (!g.editing) return;
  const cell = g.body.querySelector<HTMLElement>(`#${cellId(g, g.editing.r, g.editing.c)}`);
  if (!cell) return;
  g.editor.style.top = `${g.editing.r * ROW_HEIGHT}px`;
  g.editor.style.left = `${cell.offsetLeft}px`;
  g.editor.style.width = `${Math.max(cell.offsetWidth, 220)}px`;
}

/** Checks the text being typed: marks the editor invalid and says why in the status line. */
export function liveCheck(g: Grid): void {
  if (!g.editing) return;
  const col = g.cols[g.editing.c]!;
  const rule = g.model.table.rules[g.editing.r]!;
  const p: CellProblem | null = checkCell(g.editor.value, col, g.model.table.inputs.map((x) => x.name));
  g.editor.classList.toggle('invalid', p?.severity === 'error');
  g.editor.setAttribute('aria-invalid', p?.severity === 'error' ? 'true' : 'false');
  g.status.className = `grid-status${p ? ` status-${p.severity}` : ''}`;
  g.status.textContent = p ? t('grid.cellError', { rule: rule.id, column: colTitle(col), message: p.message }) : '';
}

export function commitEdit(g: Grid): void {
  const e = g.editing;
  if (!e) return;
  g.editing = null;
  g.editor.hidden = true;
  const value = g.editor.value;
  const col = g.cols[e.c];
  if (col && value !== e.original) {
    g.model.update('cells', (tb) => {
      const rule = tb.rules[e.r];
      if (rule) TableModel.setCellText(rule, col, value);
    });
  }
  g.scroller.focus({ preventScroll: true });
}

export function cancelEdit(g: Grid): void {
  g.editing = null;
  g.editor.hidden = true;
  g.scroller.focus({ preventScroll: true });
  describeActive(g);
}
