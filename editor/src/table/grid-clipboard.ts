// Copy, cut and paste of cell ranges as tab-separated text (what Excel and LibreOffice put on the clipboard), and
// clearing a range. Cells are copied as the grid shows them and pasted as if typed.
import { announce } from '../dom.ts';
import { t } from '../i18n/index.ts';
import type { Grid } from './grid.ts';
import { shownText, typedText } from './cell-view.ts';
import { inputNames } from './grid-names.ts';
import { renderRows } from './grid-render.ts';
import { TableModel } from './model.ts';

/** The selected range as TSV, with its size. */
export function copyText(g: Grid): { text: string; rows: number; cols: number } {
  const s = g.range();
  const lines: string[] = [];
  const names = inputNames(g);
  for (let r = s.r0; r <= s.r1; r++) {
    const rule = g.model.table.rules[r]!;
    const cells: string[] = [];
    for (let c = s.c0; c <= s.c1; c++) cells.push(tsvQuote(shownText(rule, g.cols[c]!, names)));
    lines.push(cells.join('\t'));
  }
  return { text: lines.join('\r\n'), rows: s.r1 - s.r0 + 1, cols: s.c1 - s.c0 + 1 };
}

/**
 * Pastes a TSV block at the active cell; rules are added at the end when the block is longer. Plain text pasted
 * into a text column is that text (`Den Haag` → `"Den Haag"`), as when it is typed.
 */
export function pasteText(g: Grid, text: string): void {
  if (g.model.readonly) return;
  const block = parseTsv(text);
  if (block.length === 0) return;
  const names = inputNames(g);
  const { r: r0, c: c0 } = g.active;
  const width = Math.max(...block.map((l) => l.length));
  g.model.update('rows', (tb) => {
    block.forEach((line, i) => {
      let rule = tb.rules[r0 + i];
      if (!rule) {
        rule = { id: g.model.freshRuleId(), when: {}, then: {} };
        tb.rules.push(rule);
      }
      line.forEach((value, j) => {
        const col = g.cols[c0 + j];
        if (col) TableModel.setCellText(rule, col, typedText(value, col, names));
      });
    });
  });
  g.anchor = { r: r0, c: c0 };
  g.active = { r: Math.min(r0 + block.length - 1, g.model.table.rules.length - 1), c: Math.min(c0 + width - 1, g.cols.length - 1) };
  renderRows(g);
  announce(t('grid.pasted', { rows: block.length, cols: width }), 'ok');
}

/** Empties the selected cells (a condition becomes `-`); the rule id column is left alone. */
export function clearRange(g: Grid): void {
  if (g.model.readonly) return;
  const s = g.range();
  g.model.update('cells', (tb) => {
    for (let r = s.r0; r <= s.r1; r++) {
      for (let c = Math.max(1, s.c0); c <= s.c1; c++) {
        const col = g.cols[c]!;
        TableModel.setCellText(tb.rules[r]!, col, col.kind === 'in' ? '-' : '');
      }
    }
  });
}

/** Listens to the document's copy, cut and paste while the grid (not its cell editor) has the focus. */
export function wireClipboard(g: Grid): void {
  const s = g.scroller;
  const onCopy = (e: ClipboardEvent): void => {
    if (document.activeElement !== s || g.editing) return;
    const { text, rows, cols } = copyText(g);
    e.clipboardData?.setData('text/plain', text);
    e.preventDefault();
    announce(t('grid.copied', { rows, cols }));
    if (e.type === 'cut') clearRange(g);
  };
  const onPaste = (e: ClipboardEvent): void => {
    if (document.activeElement !== s || g.editing) return;
    const text = e.clipboardData?.getData('text/plain');
    if (text === undefined) return;
    e.preventDefault();
    pasteText(g, text);
  };
  document.addEventListener('copy', onCopy);
  document.addEventListener('cut', onCopy);
  document.addEventListener('paste', onPaste);
  g.unlisten.push(() => {
    document.removeEventListener('copy', onCopy);
    document.removeEventListener('cut', onCopy);
    document.removeEventListener('paste', onPaste);
  });
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
