// The grid's columns: their widths (user-resizable by mouse or Alt+Shift+←/→) and the header row.
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import type { Grid } from './grid.ts';
import { placeEditor } from './grid-edit.ts';
import { colTitle } from './grid-names.ts';

/** The CSS grid template of the columns: the user's widths, or a default per kind of column. */
export function template(g: Grid): string {
  return g.cols
    .map((c) => {
      const w = g.widths.get(c.key);
      if (w) return `${w}px`;
      return c.kind === 'id' ? `${idColumnWidth(g)}px` : c.kind === 'in' ? 'minmax(130px, 170px)' : c.kind === 'out' ? 'minmax(150px, 240px)' : 'minmax(220px, 1fr)';
    })
    .join(' ');
}

/** The id column's narrowest and widest default width; a longer id is cut off, whole in its tooltip and the status line. */
const ID_MIN = 124;
const ID_MAX = 400;
/** Room in an id cell besides the id: the padding, the drag handle and two badges. */
const ID_ROOM = 64;
let measurer: CanvasRenderingContext2D | null | undefined;

/**
 * The id column as wide as its longest id (within ID_MIN…ID_MAX), so ids that differ only at the end ("A-klein-0",
 * "A-klein-1") stay distinguishable; measured in the id cells' own font.
 */
function idColumnWidth(g: Grid): number {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return ID_MIN;
  // Before the grid is in the page its style is empty: the body's font is the grid's (nothing sets another).
  const style = getComputedStyle(g.scroller.isConnected ? g.scroller : document.body);
  measurer.font = `600 ${style.fontSize} ${style.fontFamily}`;
  let widest = 0;
  for (const rule of g.model.table.rules) widest = Math.max(widest, measurer.measureText(rule.id).width);
  return Math.max(ID_MIN, Math.min(ID_MAX, Math.ceil(widest) + ID_ROOM));
}

/** Sets a column's width (mouse on the header's edge, or Alt+Shift+←/→ on a cell). */
export function resizeColumn(g: Grid, c: number, width: number): void {
  const col = g.cols[c];
  if (!col) return;
  g.widths.set(col.key, Math.max(60, Math.min(900, Math.round(width))));
  g.scroller.style.setProperty('--grid-cols', template(g));
  if (g.editing) placeEditor(g);
}

export function columnWidth(g: Grid, c: number): number {
  return g.head.querySelector<HTMLElement>(`[aria-colindex="${c + 1}"]`)?.offsetWidth ?? 150;
}

export function renderHead(g: Grid): void {
  const row = h('div', { class: 'grid-row grid-head-row', role: 'row', 'aria-rowindex': '1' });
  g.cols.forEach((col, c) => {
    const title = colTitle(col);
    const cell = h('div', {
      class: `grid-cell grid-colhead col-${col.kind}`,
      role: 'columnheader',
      'aria-colindex': String(c + 1),
      id: `g${g.gid}-h-${c}`,
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
      if (g.model.readonly || !g.opts.onEditColumn) cell.append(inner);
      else {
        cell.append(
          h(
            'button',
            {
              type: 'button',
              class: 'colhead-button',
              tabindex: '-1',
              title: t('grid.editColumn', { name: title }),
              onclick: () => g.opts.onEditColumn?.(col),
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
      const onMove = (m: MouseEvent): void => resizeColumn(g, c, start + m.clientX - startX);
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
  g.head.replaceChildren(row);
}
