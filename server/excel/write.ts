// Decision tables → an .xlsx workbook (exceljs): one sheet per table in the layout of ./layout.ts, with the
// allowed values as drop-downs and the inputs and outputs coloured as in the editor's grid.
// Every cell is written as text with the text number format (`@`), so Excel and LibreOffice keep what a person
// types into it as typed (`1` stays the FEEL text `1`, `10-12` does not become a date).
import ExcelJS from 'exceljs';
import type { DecisionTable, InputColumn, JsonValue, OutputColumn } from '../engine/types.ts';
import {
  COLOURS,
  COLUMN_ROW,
  COLUMN_ROW_ORDER,
  HEADER,
  HEADER_ORDER,
  KIND_INPUT,
  KIND_OUTPUT,
  LIST_SHEET,
  NO,
  NOTE_HEADING,
  SOURCES_HEADING,
  FORMATS,
  TYPES,
  YES,
  columnLetter,
  sheetName,
  type ColumnRowKey,
  type HeaderKey,
} from './layout.ts';
import { valuesText } from './values-text.ts';

/** Rows below the rules that still get the drop-downs, for rules a person adds. */
const SPARE_ROWS = 200;
const KNOWN_META = new Set(['owner', 'source', 'confidence', 'reviewBy']);
const HIT_POLICIES = ['UNIQUE', 'ANY', 'PRIORITY', 'FIRST', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];

/** exceljs takes a validation for a whole range (`B20:B300`, one entry in the file) but does not type it. */
type RangeValidations = { dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void } };

type Column = { kind: 'input'; col: InputColumn } | { kind: 'output'; col: OutputColumn };

function headerValue(t: DecisionTable, key: HeaderKey): string {
  const meta = t.meta ?? {};
  switch (key) {
    case 'id':
      return t.id;
    case 'title':
      return t.title;
    case 'hitPolicy':
      return t.hitPolicy ?? '';
    case 'aggregation':
      return t.aggregation ?? '';
    case 'owner':
    case 'source':
    case 'confidence':
    case 'reviewBy':
      return typeof meta[key] === 'string' ? (meta[key] as string) : '';
    case 'description':
      return t.description ?? '';
    case 'requires':
      return (t.requires ?? []).join(', ');
    case 'version':
      return t.version === undefined ? '' : String(t.version);
    case 'validFrom':
      return t.validFrom ?? '';
    case 'metaRest': {
      const rest = Object.fromEntries(Object.entries(meta).filter(([k]) => !KNOWN_META.has(k) || typeof meta[k] !== 'string'));
      return Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
    }
  }
}

function columnValue(c: Column, key: ColumnRowKey): string {
  const col = c.col;
  switch (key) {
    case 'kind':
      return c.kind === 'input' ? KIND_INPUT : KIND_OUTPUT;
    case 'name':
      return col.name;
    case 'label':
      return col.label ?? '';
    case 'type':
      return col.type;
    case 'values':
      return col.values ? valuesText(col.values) : '';
    case 'description':
      return col.description ?? '';
    case 'sources':
      return col.sources ? JSON.stringify(col.sources) : '';
    case 'unit':
      return col.unit ?? '';
    case 'format':
      return col.format ?? '';
    case 'optional':
      return c.kind === 'input' && c.col.optional !== undefined ? (c.col.optional ? YES : NO) : '';
    case 'path':
      return c.kind === 'input' ? (c.col.path ?? '') : '';
    case 'expression':
      return c.kind === 'input' ? (c.col.expression ?? '') : '';
    case 'default':
      return c.kind === 'output' ? (c.col.default ?? '') : '';
  }
}

/** A drop-down that proposes values but accepts any text (a cell may hold `-`, a range or a list of values). */
function dropDown(range: string): ExcelJS.DataValidation {
  return { type: 'list', allowBlank: true, formulae: [range], showErrorMessage: false };
}

/** The FEEL literal a rule cell holds for an allowed value. */
function literal(v: JsonValue): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

class Lists {
  private next = 1;
  constructor(private readonly sheet: ExcelJS.Worksheet) {}

  /** Writes `items` into a fresh column of the list sheet and returns its absolute range. */
  add(items: readonly string[]): string {
    const col = this.next++;
    items.forEach((item, i) => {
      const cell = this.sheet.getCell(i + 1, col);
      cell.value = item;
    });
    const letter = columnLetter(col);
    return `'${LIST_SHEET}'!$${letter}$1:$${letter}$${items.length}`;
  }
}

function writeSheet(ws: ExcelJS.Worksheet, t: DecisionTable, lists: Lists, fixed: Record<string, string>): void {
  const text = (row: number, col: number, value: string): ExcelJS.Cell => {
    const cell = ws.getCell(row, col);
    cell.numFmt = '@';
    if (value !== '') cell.value = value;
    return cell;
  };
  let row = 1;
  const headerRow: Partial<Record<HeaderKey, number>> = {};
  for (const key of HEADER_ORDER) {
    const value = headerValue(t, key);
    if (key === 'metaRest' && value === '') continue;
    const label = text(row, 1, HEADER[key]);
    label.font = { bold: true };
    label.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: COLOURS.headFill } };
    text(row, 2, value);
    headerRow[key] = row;
    row++;
  }
  ws.getCell(headerRow.hitPolicy!, 2).dataValidation = dropDown(fixed.hitPolicy!);
  ws.getCell(headerRow.aggregation!, 2).dataValidation = dropDown(fixed.aggregation!);
  ws.getCell(headerRow.confidence!, 2).dataValidation = dropDown(fixed.confidence!);
  row++;

  const columns: Column[] = [...t.inputs.map((col): Column => ({ kind: 'input', col })), ...t.outputs.map((col): Column => ({ kind: 'output', col }))];
  const noteCol = columns.length + 2;
  const sourcesCol = noteCol + 1;
  const firstColRow = row;
  for (const key of COLUMN_ROW_ORDER) {
    const label = text(row, 1, COLUMN_ROW[key]);
    label.font = { bold: true };
    label.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: COLOURS.headFill } };
    columns.forEach((c, i) => {
      const cell = text(row, i + 2, columnValue(c, key));
      const input = c.kind === 'input';
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: input ? COLOURS.inFill : COLOURS.outFill } };
      cell.font = { color: { argb: input ? COLOURS.inInk : COLOURS.outInk }, bold: key === 'name' || key === 'label' || key === 'kind' };
      if (key === 'type') cell.dataValidation = dropDown(fixed.type!);
      if (key === 'optional' && input) cell.dataValidation = dropDown(fixed.optional!);
      if (key === 'kind') cell.dataValidation = dropDown(fixed.kind!);
      if (key === 'format') cell.dataValidation = dropDown(fixed.format!);
    });
    text(row, noteCol, key === 'name' ? NOTE_HEADING : '').font = { bold: true };
    text(row, sourcesCol, key === 'name' ? SOURCES_HEADING : '').font = { bold: true };
    row++;
  }
  const namesRow = row - 1;
  ws.getRow(firstColRow + COLUMN_ROW_ORDER.indexOf('label')).height = 30;

  const firstRule = row;
  for (const rule of t.rules) {
    text(row, 1, rule.id).font = { bold: true };
    columns.forEach((c, i) => {
      const cells = c.kind === 'input' ? rule.when : rule.then;
      const cell = text(row, i + 2, Object.hasOwn(cells, c.col.name) ? cells[c.col.name]! : '');
      cell.font = { name: 'Consolas' };
    });
    text(row, noteCol, rule.note ?? '');
    text(row, sourcesCol, rule.sources ? JSON.stringify(rule.sources) : '');
    row++;
  }
  const lastRow = firstRule + t.rules.length + SPARE_ROWS - 1;
  // Text format on the spare rows too, so a rule typed there keeps its cells as typed.
  for (let r = row; r <= lastRow; r++) for (let c = 1; c <= sourcesCol; c++) ws.getCell(r, c).numFmt = '@';
  columns.forEach((c, i) => {
    if (!c.col.values || c.col.values.length === 0) return;
    const items = c.col.values.map(literal);
    const range = lists.add(c.kind === 'input' ? [...items, '-'] : items);
    const letter = columnLetter(i + 2);
    (ws as unknown as RangeValidations).dataValidations.add(`${letter}${firstRule}:${letter}${lastRow}`, dropDown(range));
  });

  ws.getColumn(1).width = 22;
  ws.getColumn(2).width = 28;
  for (let i = 3; i < noteCol; i++) ws.getColumn(i).width = 22;
  ws.getColumn(noteCol).width = 50;
  ws.getColumn(sourcesCol).width = 30;
  ws.views = [{ state: 'frozen', xSplit: 1, ySplit: namesRow }];
}

/** The workbook of `tables`, one sheet each in the given order, as .xlsx bytes. */
export async function tablesToXlsx(tables: readonly DecisionTable[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Beslis';
  const taken = new Set<string>();
  const sheets = tables.map((t) => wb.addWorksheet(sheetName(t.id, taken)));
  const listSheet = wb.addWorksheet(LIST_SHEET, { state: 'hidden' });
  const lists = new Lists(listSheet);
  const fixed = {
    hitPolicy: lists.add(HIT_POLICIES),
    aggregation: lists.add(['SUM', 'MIN', 'MAX', 'COUNT']),
    confidence: lists.add(['H', 'M', 'L']),
    type: lists.add(TYPES),
    optional: lists.add([YES, NO]),
    kind: lists.add([KIND_INPUT, KIND_OUTPUT]),
    format: lists.add([...FORMATS]),
  };
  tables.forEach((t, i) => writeSheet(sheets[i]!, t, lists, fixed));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
