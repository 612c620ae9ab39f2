// Row operations with the mouse: dragging a rule by the handle in its id cell to another place (a drop line shows
// where it lands). The keyboard's row operations (Alt+↑/↓, Insert, Ctrl+D, Ctrl+Delete) are in grid-keys.ts.
import type { Grid } from './grid.ts';
import { ROW_HEIGHT } from './grid-types.ts';

/** The position between rows nearest to the pointer (0 … number of rules). */
function dropIndex(g: Grid, e: DragEvent): number {
  const y = e.clientY - g.body.getBoundingClientRect().top;
  return Math.max(0, Math.min(g.model.table.rules.length, Math.round(y / ROW_HEIGHT)));
}

export function wireRowDrag(g: Grid): void {
  let dragFrom = -1;
  g.body.addEventListener('dragstart', (e) => {
    const handle = (e.target as HTMLElement).closest('.drag-handle');
    const row = handle?.closest<HTMLElement>('.grid-row');
    if (!row?.dataset.row) return;
    dragFrom = Number(row.dataset.row);
    e.dataTransfer?.setData('text/plain', g.model.table.rules[dragFrom]?.id ?? '');
    if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
  });
  g.body.addEventListener('dragover', (e) => {
    if (dragFrom < 0) return;
    e.preventDefault();
    const to = dropIndex(g, e);
    g.dropLine.hidden = false;
    g.dropLine.style.top = `${to * ROW_HEIGHT - 1}px`;
  });
  g.body.addEventListener('dragleave', (e) => {
    if (e.target === g.body) g.dropLine.hidden = true;
  });
  g.body.addEventListener('drop', (e) => {
    if (dragFrom < 0) return;
    e.preventDefault();
    const to = dropIndex(g, e);
    const from = dragFrom;
    dragFrom = -1;
    g.dropLine.hidden = true;
    const target = to > from ? to - 1 : to;
    if (target !== from) {
      g.model.moveRule(from, target);
      g.focusCell(target, g.active.c);
    }
  });
  g.body.addEventListener('dragend', () => {
    dragFrom = -1;
    g.dropLine.hidden = true;
  });
}
