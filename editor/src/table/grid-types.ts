// Shared shapes of the rules grid (editor/src/table/grid*.ts): row height, marks and options.
import type { GridColumn } from './model.ts';

export const ROW_HEIGHT = 34;
/** Rows rendered above and below the visible ones, so fast scrolling does not show gaps. */
export const OVERSCAN = 8;

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

/** A rectangular selection, inclusive, in row and column indexes. */
export interface Range {
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
