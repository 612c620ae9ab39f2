// How the grid shows and takes text cells. What a person types in a text column is plain text unless it is clearly
// FEEL (server/engine/cell-text.ts decides, for the grid, paste and the Excel reader alike); the view setting "text
// without quotes" shows such cells as the person would type them, and truth values as ja/nee. The table itself always holds the FEEL.
import { feelToPlain, typedToFeel, type CellColumn, type CellKind, type Rule, type TruthWords } from '../../../server/engine/index.ts';
import { t } from '../i18n/index.ts';
import { TableModel, type GridColumn } from './model.ts';

const STORAGE_KEY = 'beslis.grid.plainText';
const listeners = new Set<() => void>();
let plain = readSetting();

function readSetting(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false; // storage may be disabled
  }
}

/** Whether text cells are shown without their quotes (remembered in this browser). */
export function plainView(): boolean {
  return plain;
}

export function setPlainView(on: boolean): void {
  if (on === plain) return;
  plain = on;
  try {
    localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
  } catch {
    /* the setting then lasts until the page is left */
  }
  for (const l of listeners) l();
}

export function onPlainViewChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The engine's view of a condition or outcome column; null for the rule id and the note. */
function cellColumn(col: GridColumn): { kind: CellKind; col: CellColumn } | null {
  return col.kind === 'in' ? { kind: 'input', col: col.col } : col.kind === 'out' ? { kind: 'output', col: col.col } : null;
}

/** A cell's text as the grid shows it and offers it for editing and copying: the FEEL, or without quotes. */
export function shownText(rule: Rule, col: GridColumn, names: readonly string[]): string {
  const text = TableModel.cellText(rule, col);
  const c = cellColumn(col);
  return plain && c ? feelToPlain(text, c.kind, c.col, names, truthWords()) : text;
}

/** How the view without quotes shows `true` and `false`: ja/nee (yes/no in English). */
export function truthWords(): TruthWords {
  return { true: t('common.yes'), false: t('common.no') };
}

/** The FEEL of what was typed or pasted into a cell: plain text in a text column becomes a string. */
export function typedText(text: string, col: GridColumn, names: readonly string[]): string {
  const c = cellColumn(col);
  return c ? typedToFeel(text, c.kind, c.col, names) : text;
}
