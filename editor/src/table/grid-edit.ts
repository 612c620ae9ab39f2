// In-place editing of a grid cell and the cell validation messages: the editor input over the active cell, the live
// check of what is typed (aria-invalid and the status line under the grid), commit and cancel.
import { t } from '../i18n/index.ts';
import { checkCell, type CellProblem } from './checks.ts';
import type { Grid } from './grid.ts';
import { shownText, typedText } from './cell-view.ts';
import { cellId, colTitle, inputNames } from './grid-names.ts';
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
    : `${t('grid.cellLabel', { rule: rule.id, column: colTitle(col) })}: ${shownText(rule, col, inputNames(g))}`;
}

export function startEdit(g: Grid, initial?: string): void {
  if (g.model.readonly) return;
  const rule = g.model.table.rules[g.active.r];
  const col = g.cols[g.active.c];
  if (!rule || !col) return;
  // The editor holds the text as the grid shows it (without quotes in that view); commitEdit turns it back into FEEL.
  const original = shownText(rule, col, inputNames(g));
  g.editing = { r: g.active.r, c: g.active.c, original };
  g.editor.value = initial ?? original;
  g.editor.hidden = false;
  g.editor.setAttribute('aria-label', t('grid.cellLabel', { rule: rule.id, column: colTitle(col) }));
  placeEditor(g);
  g.choices.show(col);
  g.editor.focus();
  if (initial === undefined) g.editor.select();
  else g.editor.setSelectionRange(initial.length, initial.length);
  liveCheck(g);
}

/** Puts the editor over its cell: the overlay covers the scroller's visible part, so a cell scrolled away hides it. */
export function placeEditor(g: Grid): void {
  if (!g.editing) return;
  const cell = g.body.querySelector<HTMLElement>(`#${cellId(g, g.editing.r, g.editing.c)}`);
  if (!cell) return;
  const s = g.scroller;
  const o = g.overlay.style;
  o.top = `${s.offsetTop}px`;
  o.left = `${s.offsetLeft}px`;
  o.width = `${s.clientWidth}px`;
  o.height = `${s.clientHeight}px`;
  const at = g.overlay.getBoundingClientRect();
  const box = cell.getBoundingClientRect();
  g.editor.style.top = `${box.top - at.top}px`;
  g.editor.style.left = `${box.left - at.left}px`;
  g.editor.style.width = `${Math.max(box.width, 220)}px`;
  g.choices.place();
}

/** Checks the text being typed: marks the editor invalid and says why in the status line. */
export function liveCheck(g: Grid): void {
  if (!g.editing) return;
  const col = g.cols[g.editing.c]!;
  const rule = g.model.table.rules[g.editing.r]!;
  const names = inputNames(g);
  const p: CellProblem | null = checkCell(typedText(g.editor.value, col, names), col, names);
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
  g.choices.hide();
  const value = g.editor.value;
  const col = g.cols[e.c];
  if (col && value !== e.original) {
    const feel = typedText(value, col, inputNames(g));
    g.model.update('cells', (tb) => {
      const rule = tb.rules[e.r];
      if (rule) TableModel.setCellText(rule, col, feel);
    });
  }
  g.scroller.focus({ preventScroll: true });
}

export function cancelEdit(g: Grid): void {
  g.editing = null;
  g.editor.hidden = true;
  g.choices.hide();
  g.scroller.focus({ preventScroll: true });
  describeActive(g);
}
