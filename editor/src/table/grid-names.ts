// The names the grid's parts share: a cell's element id, a column's title and the inputs' names. A leaf module, so the renderer, the
// cell editor and the column header can all use them without importing each other.
import { t } from '../i18n/index.ts';
import type { Grid } from './grid.ts';
import type { GridColumn } from './model.ts';

/** The element id of a rendered cell (unique per grid on the page). */
export function cellId(g: Grid, r: number, c: number): string {
  return `g${g.gid}-c-${r}-${c}`;
}

/** The table's input names: a cell naming one compares with (or gives) that input. */
export function inputNames(g: Grid): string[] {
  return g.model.table.inputs.map((x) => x.name);
}

export function colTitle(col: GridColumn): string {
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
