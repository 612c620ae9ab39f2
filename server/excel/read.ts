// An .xlsx workbook (or a CSV file) → decision tables, the reverse of ./write.ts. Nothing a person may put in a
// cell makes it throw: every problem is collected with the cell it is in (`Boete!C7: …`, in Dutch), and a sheet
// with problems yields no table. The table's own checks (FEEL in the cells, names, hit policy) are the engine's;
// `locate` turns the paths of its problems into cells, so those are named by cell too.
import ExcelJS from 'exceljs';
import type { ColumnType, DecisionTable, JsonValue, HitPolicy, InputColumn, OutputColumn, Problem, Rule, TableMeta } from '../engine/types.ts';
import { typedToFeel } from '../engine/cell-text.ts';
import { parseCsv } from './csv.ts';
import { COLUMN_ROW, COLUMN_ROW_ORDER, FORMATS, HEADER, HEADER_ORDER, KIND_INPUT, KIND_OUTPUT, LIST_SHEET, NO, NOTE_HEADING, SOURCES_HEADING, TYPES, YES, cellRef, type ColumnRowKey, type HeaderKey } from './layout.ts';
import { parseValuesText } from './values-text.ts';

export interface CellProblem {
  /** `Boete!C7`, or the sheet alone when the problem has no one cell. */
  cell: string;
  message: string;
  /** An engine problem's code and parameters (server/engine/messages.ts), for the editor to word. */
  code?: string;
  params?: Record<string, string | number>;
}

export interface SheetTable {
  sheet: string;
  /** The table as far as it could be read: with `problems`, not to be stored, but still worth the engine's check. */
  table: DecisionTable;
  /** What is wrong in this sheet (also in the workbook's `problems`). */
  problems: CellProblem[];
  /** The cell that holds what a JSON path into the table (`/rules/3/when/gedrag`) points at. */
  locate(path: string): string;
}

export interface WorkbookContent {
  tables: SheetTable[];
  problems: CellProblem[];
  /** Sheet name → the table id its header names (also for sheets with problems), to tell whose problems they are. */
  sheetIds: Record<string, string>;
}

const HIT_POLICIES: readonly string[] = ['UNIQUE', 'ANY', 'PRIORITY', 'FIRST', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];
const AGGREGATIONS: readonly string[] = ['SUM', 'MIN', 'MAX', 'COUNT'];
/** The schema's limit on rules, and a bound on what the reader walks through. */
const MAX_ROWS = 50_100;
const MAX_COLUMNS = 1_002;

/** `problem: text` for one problem. */
export function describeCellProblem(p: CellProblem): string {
  return `${p.cell}: ${p.message}`;
}

function isoDate(d: Date): string {
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/**
 * The text of a cell as the table file would hold it. Excel and LibreOffice may store what a person typed as a
 * number, a truth value or a date (when the text format of the cell was lost); those come back as the text they
 * stand for. A formula counts by its computed result.
 */
function cellText(value: ExcelJS.CellValue): { text: string } | { error: string } {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') return Number.isFinite(value) ? { text: String(value) } : { error: 'het getal in deze cel is te groot' };
  if (typeof value === 'boolean') return { text: value ? 'true' : 'false' };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? { error: 'deze cel bevat een ongeldige datum' } : { text: isoDate(value) };
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return { text: value.richText.map((r) => r.text ?? '').join('') };
    if ('error' in value) return { error: `deze cel bevat een fout (${String(value.error)}); typ er de waarde in` };
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: unknown }).result;
      if (result === undefined || result === null) return { error: 'deze cel bevat een formule zonder uitkomst; typ er de waarde in' };
      if (typeof result === 'object' && !(result instanceof Date)) return { error: 'de formule in deze cel geeft een fout; typ er de waarde in' };
      return cellText(result as ExcelJS.CellValue);
    }
    if ('text' in value) return cellText((value as { text: ExcelJS.CellValue }).text);
  }
  return { error: 'deze cel bevat iets anders dan tekst of een getal' };
}

class SheetReader {
  readonly problems: CellProblem[] = [];
  constructor(
    readonly ws: ExcelJS.Worksheet,
    readonly name: string,
  ) {}

  ref(col: number, row: number): string {
    return cellRef(this.name, col, row);
  }

  problem(col: number, row: number, message: string): void {
    this.problems.push({ cell: this.ref(col, row), message });
  }

  /** The cell's text; a cell whose content cannot be read is a problem and counts as empty. */
  text(row: number, col: number): string {
    const got = cellText(this.ws.getCell(row, col).value);
    if ('error' in got) {
      this.problem(col, row, got.error);
      return '';
    }
    return got.text;
  }

  /** The cell's value as a date column's cell: a date the spreadsheet made of typed text becomes a FEEL date. */
  ruleCell(row: number, col: number, type: ColumnType): string {
    const value = this.ws.getCell(row, col).value;
    if (value instanceof Date && !Number.isNaN(value.getTime())) {
      const iso = isoDate(value);
      if (type === 'date') return `date("${iso.slice(0, 10)}")`;
      if (type === 'dateTime') return `date and time("${iso.replace('Z', '')}")`;
    }
    return this.text(row, col);
  }

  label(row: number): string {
    const v = cellText(this.ws.getCell(row, 1).value);
    return 'text' in v ? v.text.trim() : '';
  }
}

function headerRows(r: SheetReader, lastRow: number): { rows: Partial<Record<HeaderKey, number>>; columnStart: number | null } {
  const rows: Partial<Record<HeaderKey, number>> = {};
  const byLabel = new Map<string, HeaderKey>(HEADER_ORDER.map((k) => [HEADER[k].toLowerCase(), k]));
  for (let row = 1; row <= lastRow; row++) {
    const label = r.label(row).toLowerCase();
    if (label === COLUMN_ROW.kind.toLowerCase()) return { rows, columnStart: row };
    const key = byLabel.get(label);
    if (!key) continue;
    if (rows[key] !== undefined) r.problem(1, row, `"${HEADER[key]}" staat twee keer in de kop (ook in rij ${rows[key]})`);
    else rows[key] = row;
  }
  return { rows, columnStart: null };
}

function readSheet(r: SheetReader): SheetTable | null {
  const lastRow = Math.min(r.ws.rowCount, MAX_ROWS);
  if (r.ws.rowCount > MAX_ROWS) r.problem(1, MAX_ROWS + 1, `een tabel heeft hoogstens 50.000 regels; dit blad heeft ${r.ws.rowCount} rijen`);
  const { rows: header, columnStart } = headerRows(r, lastRow);
  const head = (key: HeaderKey): string => (header[key] === undefined ? '' : r.text(header[key]!, 2).trim());
  const loc = new Map<string, string>();
  const at = (path: string, col: number, row: number) => loc.set(path, r.ref(col, row));

  if (header.id === undefined) {
    r.problems.push({ cell: r.name, message: `dit blad heeft geen rij "${HEADER.id}" met het id van de tabel` });
    return null;
  }
  const table: Partial<DecisionTable> & { meta?: TableMeta } = {};
  const id = head('id');
  if (id === '') r.problem(2, header.id, 'het id van de tabel ontbreekt');
  table.id = id;
  at('/id', 2, header.id);
  if (header.title !== undefined) at('/title', 2, header.title);
  table.title = head('title');
  if (table.title === '') {
    if (header.title === undefined) r.problems.push({ cell: r.name, message: `dit blad heeft geen rij "${HEADER.title}"` });
    else r.problem(2, header.title, 'de titel ontbreekt');
  }
  const description = head('description');
  if (description !== '') table.description = description;
  const hitPolicy = head('hitPolicy').toUpperCase();
  if (hitPolicy !== '') {
    if (HIT_POLICIES.includes(hitPolicy)) table.hitPolicy = hitPolicy as HitPolicy;
    else r.problem(2, header.hitPolicy!, `onbekende beslisregel '${head('hitPolicy')}'; kies uit ${HIT_POLICIES.join(', ')}`);
  }
  const aggregation = head('aggregation').toUpperCase();
  if (aggregation !== '') {
    if (AGGREGATIONS.includes(aggregation)) table.aggregation = aggregation as DecisionTable['aggregation'];
    else r.problem(2, header.aggregation!, `onbekende aggregatie '${head('aggregation')}'; kies uit ${AGGREGATIONS.join(', ')}`);
  }
  const requires = head('requires');
  if (requires !== '') table.requires = requires.split(/[,;\s]+/).filter((s) => s !== '');
  for (const key of ['version', 'validFrom'] as const) if (header[key] !== undefined) at(`/${key}`, 2, header[key]!);
  const version = head('version');
  if (version !== '') {
    if (/^[1-9][0-9]{0,8}$/.test(version)) table.version = Number(version);
    else r.problem(2, header.version!, `de versie moet een heel getal vanaf 1 zijn, niet '${version}'`);
  }
  const validFrom = head('validFrom');
  if (validFrom !== '') table.validFrom = validFrom;
  if (header.requires !== undefined) at('/requires', 2, header.requires);

  const meta: TableMeta = {};
  const rest = head('metaRest');
  if (rest !== '') {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) Object.assign(meta, parsed);
      else r.problem(2, header.metaRest!, 'de overige meta moet een JSON-object zijn, zoals {"team": "Toezicht"}');
    } catch {
      r.problem(2, header.metaRest!, 'de overige meta is geen geldige JSON; schrijf een object, zoals {"team": "Toezicht"}');
    }
  }
  for (const key of ['owner', 'source', 'confidence', 'reviewBy'] as const) {
    const value = head(key);
    if (header[key] !== undefined) at(`/meta/${key}`, 2, header[key]!);
    if (value !== '') (meta as Record<string, unknown>)[key] = key === 'confidence' ? value.toUpperCase() : value;
  }
  if (Object.keys(meta).length > 0) table.meta = meta;
  if (header.metaRest !== undefined) at('/meta', 2, header.metaRest);

  if (columnStart === null) {
    r.problems.push({ cell: r.name, message: `dit blad heeft geen kolomblok: een rij "${COLUMN_ROW.kind}" met invoer en uitkomst per kolom` });
    return null;
  }
  // The column block: its rows by label, from "Soort" down to "Regel".
  const colRows: Partial<Record<ColumnRowKey, number>> = {};
  const byLabel = new Map<string, ColumnRowKey>(COLUMN_ROW_ORDER.map((k) => [COLUMN_ROW[k].toLowerCase(), k]));
  let namesRow = 0;
  for (let row = columnStart; row <= lastRow; row++) {
    const key = byLabel.get(r.label(row).toLowerCase());
    if (!key) continue;
    if (colRows[key] === undefined) colRows[key] = row;
    if (key === 'name') {
      namesRow = row;
      break;
    }
  }
  if (namesRow === 0) {
    r.problem(1, columnStart, `onder "${COLUMN_ROW.kind}" ontbreekt de rij "${COLUMN_ROW.name}" met de namen van de kolommen`);
    return null;
  }
  const lastCol = Math.min(r.ws.columnCount, MAX_COLUMNS);
  const inputs: InputColumn[] = [];
  const outputs: OutputColumn[] = [];
  const columns: { col: number; kind: 'input' | 'output'; name: string; type: ColumnType; values: JsonValue[] | undefined }[] = [];
  let noteCol = 0;
  let sourcesCol = 0;
  for (let col = 2; col <= lastCol; col++) {
    const prop = (key: ColumnRowKey): string => (colRows[key] === undefined ? '' : r.text(colRows[key]!, col));
    const kind = prop('kind').trim().toLowerCase();
    const name = prop('name').trim();
    if (kind === '' && name.toLowerCase() === NOTE_HEADING.toLowerCase()) {
      noteCol = col;
      continue;
    }
    if (kind === '' && name.toLowerCase() === SOURCES_HEADING.toLowerCase()) {
      sourcesCol = col;
      continue;
    }
    if (kind === '' && name === '') continue;
    if (kind !== KIND_INPUT && kind !== KIND_OUTPUT) {
      r.problem(col, columnStart, `de soort van deze kolom moet "${KIND_INPUT}" of "${KIND_OUTPUT}" zijn, niet '${prop('kind')}'`);
      continue;
    }
    if (name === '') {
      r.problem(col, namesRow, 'deze kolom heeft geen naam');
      continue;
    }
    const list = kind === KIND_INPUT ? inputs : outputs;
    const base = `/${kind === KIND_INPUT ? 'inputs' : 'outputs'}/${list.length}`;
    for (const key of COLUMN_ROW_ORDER) if (key !== 'kind' && colRows[key] !== undefined) at(`${base}/${key}`, col, colRows[key]!);
    loc.set(base, r.ref(col, namesRow));
    const typeText = prop('type').trim();
    // An unknown type is read as `any`, so the engine's check of the cells adds no complaints caused by the guess.
    let type: ColumnType = 'any';
    if ((TYPES as readonly string[]).includes(typeText)) type = typeText as ColumnType;
    else r.problem(col, colRows.type ?? namesRow, `onbekend type '${typeText}'; kies uit ${TYPES.join(', ')}`);
    const c: InputColumn & OutputColumn = { name, type };
    const label = prop('label');
    if (label !== '') c.label = label;
    const valuesText = prop('values').trim();
    if (valuesText !== '') {
      const parsed = parseValuesText(valuesText, type);
      if ('error' in parsed) r.problem(col, colRows.values!, parsed.error);
      else c.values = parsed.values;
    }
    if (kind === KIND_INPUT) {
      const optional = prop('optional').trim().toLowerCase();
      if (optional === YES || optional === 'true') c.optional = true;
      else if (optional === NO || optional === 'false') c.optional = false;
      else if (optional !== '') r.problem(col, colRows.optional!, `optioneel is "${YES}" of "${NO}", niet '${prop('optional')}'`);
      const path = prop('path').trim();
      if (path !== '') c.path = path;
      const expression = prop('expression');
      if (expression.trim() !== '') c.expression = expression;
    } else {
      for (const key of ['optional', 'path', 'expression'] as const) {
        if (prop(key).trim() !== '') r.problem(col, colRows[key]!, `een uitkomst heeft geen "${COLUMN_ROW[key].toLowerCase()}"; dat hoort bij invoer`);
      }
      const dflt = prop('default');
      if (dflt.trim() !== '') c.default = dflt;
    }
    if (kind === KIND_INPUT && prop('default').trim() !== '') r.problem(col, colRows.default!, 'een invoer heeft geen standaarduitkomst; dat hoort bij een uitkomst');
    const description = prop('description');
    if (description !== '') c.description = description;
    const unit = prop('unit').trim();
    if (unit !== '') c.unit = unit;
    const format = prop('format').trim().toLowerCase();
    if (format !== '') {
      if ((FORMATS as readonly string[]).includes(format)) c.format = format as InputColumn['format'];
      else r.problem(col, colRows.format!, `onbekende weergave '${prop('format')}'; kies uit ${FORMATS.join(', ')}`);
    }
    const sources = prop('sources').trim();
    if (sources !== '') {
      const parsed = jsonList(sources);
      if (parsed) c.sources = parsed as InputColumn['sources'];
      else r.problem(col, colRows.sources!, SOURCES_ERROR);
    }
    if (kind === KIND_INPUT) inputs.push(c);
    else outputs.push(c);
    columns.push({ col, kind: kind === KIND_INPUT ? 'input' : 'output', name, type, values: c.values });
  }
  const seen = new Map<string, number>();
  for (const c of columns) {
    const key = `${c.kind}:${c.name}`;
    if (seen.has(key)) r.problem(c.col, namesRow, `de naam '${c.name}' staat al boven een andere kolom (${r.ref(seen.get(key)!, namesRow)})`);
    else seen.set(key, c.col);
  }

  // The rules: every non-empty row under the names.
  const inputNames = columns.filter((c) => c.kind === 'input').map((c) => c.name);
  const rules: Rule[] = [];
  const ruleRows = new Map<string, number>();
  for (let row = namesRow + 1; row <= lastRow; row++) {
    const id = r.text(row, 1).trim();
    const when: Record<string, string> = {};
    const then: Record<string, string> = {};
    for (const c of columns) {
      const text = r.ruleCell(row, c.col, c.type);
      if (text.trim() === '') continue;
      // Plain text in a text column (`A`, `Den Haag`) is that text, as the editor's grid takes it.
      (c.kind === 'input' ? when : then)[c.name] = typedToFeel(text, c.kind, c, inputNames);
    }
    const note = noteCol ? r.text(row, noteCol) : '';
    const sources = sourcesCol ? r.text(row, sourcesCol).trim() : '';
    const empty = id === '' && Object.keys(when).length === 0 && Object.keys(then).length === 0 && note.trim() === '' && sources === '';
    if (empty) continue;
    const index = rules.length;
    at(`/rules/${index}`, 1, row);
    at(`/rules/${index}/id`, 1, row);
    if (noteCol) at(`/rules/${index}/note`, noteCol, row);
    if (sourcesCol) at(`/rules/${index}/sources`, sourcesCol, row);
    for (const c of columns) at(`/rules/${index}/${c.kind === 'input' ? 'when' : 'then'}/${c.name}`, c.col, row);
    if (id === '') {
      r.problem(1, row, 'deze regel heeft geen id; geef elke regel een eigen id (zoals R1)');
      continue;
    }
    if (ruleRows.has(id)) r.problem(1, row, `het id '${id}' heeft ook de regel in rij ${ruleRows.get(id)}; elk id komt één keer voor`);
    ruleRows.set(id, row);
    const rule: Rule = { id, when, then };
    if (note !== '') rule.note = note;
    if (sources !== '') {
      const parsed = jsonList(sources);
      if (parsed) rule.sources = parsed as Rule['sources'];
      else r.problem(sourcesCol, row, SOURCES_ERROR);
    }
    rules.push(rule);
  }
  const full: DecisionTable = {
    id: table.id!,
    ...(table.version !== undefined ? { version: table.version } : {}),
    ...(table.validFrom !== undefined ? { validFrom: table.validFrom } : {}),
    title: table.title!,
    ...(table.description !== undefined ? { description: table.description } : {}),
    ...(table.hitPolicy !== undefined ? { hitPolicy: table.hitPolicy } : {}),
    ...(table.aggregation !== undefined ? { aggregation: table.aggregation } : {}),
    inputs,
    outputs,
    rules,
    ...(table.requires !== undefined ? { requires: table.requires } : {}),
    ...(table.meta !== undefined ? { meta: table.meta } : {}),
  };
  const locate = (path: string): string => {
    // The nearest enclosing path that names a cell: `/rules/3/when/x/…` → the cell, `/inputs/0/values/2` → the list.
    for (let p = path; p !== ''; p = p.slice(0, p.lastIndexOf('/'))) {
      const cell = loc.get(p);
      if (cell) return cell;
    }
    return r.name;
  };
  return { sheet: r.name, table: full, problems: r.problems, locate };
}

const SOURCES_ERROR = 'de bronnen zijn geen geldige JSON-lijst; schrijf ze zoals [{"bwb": "BWBR0005537", "artikel": "5:1"}]';

/** A JSON array, or null when `text` is not one. */
function jsonList(text: string): unknown[] | null {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

async function loadXlsx(bytes: Uint8Array): Promise<ExcelJS.Workbook | CellProblem> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    return wb;
  } catch {
    return { cell: '(bestand)', message: 'dit is geen Excel-bestand (.xlsx) dat gelezen kan worden; sla het op als Excel 2007-365 (.xlsx) of als CSV' };
  }
}

/** The tables in a workbook's sheets (the hidden list sheet and sheets without a table header are left out). */
export async function readXlsx(bytes: Uint8Array): Promise<WorkbookContent> {
  const wb = await loadXlsx(bytes);
  if (!(wb instanceof ExcelJS.Workbook)) return { tables: [], problems: [wb], sheetIds: {} };
  return readWorkbook(wb);
}

function readWorkbook(wb: ExcelJS.Workbook): WorkbookContent {
  const out: WorkbookContent = { tables: [], problems: [], sheetIds: {} };
  for (const ws of wb.worksheets) {
    if (ws.name === LIST_SHEET) continue;
    const r = new SheetReader(ws, ws.name);
    // A sheet without the header's first label is not a table (notes, a pivot a person added).
    let idRow = 0;
    for (let row = 1; row <= Math.min(ws.rowCount, 50) && idRow === 0; row++) if (r.label(row).toLowerCase() === HEADER.id.toLowerCase()) idRow = row;
    if (idRow === 0) continue;
    const id = cellText(ws.getCell(idRow, 2).value);
    out.sheetIds[ws.name] = 'text' in id ? id.text.trim() : '';
    const got = readSheet(r);
    out.problems.push(...r.problems);
    if (got) out.tables.push(got);
  }
  if (out.tables.length === 0 && out.problems.length === 0) {
    out.problems.push({ cell: '(bestand)', message: `geen blad in dit bestand heeft een beslistabel (een rij "${HEADER.id}" in kolom A)` });
  }
  return out;
}

/** A CSV file (one table, laid out like a sheet of the workbook) read as the sheet `sheet`. */
export function readCsv(text: string, sheet: string): WorkbookContent {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet.replace(/[[\]:*?/\\]/g, '-').slice(0, 31) || 'CSV');
  const parsed = parseCsv(text);
  if ('error' in parsed) return { tables: [], problems: [{ cell: cellRef(ws.name, parsed.col, parsed.row), message: parsed.error }], sheetIds: {} };
  parsed.rows.forEach((cells, i) => cells.forEach((value, j) => {
    if (value !== '') ws.getCell(i + 1, j + 1).value = value;
  }));
  return readWorkbook(wb);
}

/**
 * The sheet's own problems and those of the engine's check of its table (paths into the table), each named by its
 * cell; an engine problem in a cell the reader already found wrong is left out (it is the same mistake).
 */
export function locateProblems(sheet: SheetTable, problems: readonly Problem[]): CellProblem[] {
  const named = new Set(sheet.problems.map((p) => p.cell));
  return [...sheet.problems, ...problems.map((p) => ({ cell: sheet.locate(p.path), message: p.message, ...(p.code === undefined ? {} : { code: p.code, params: p.params ?? {} }) })).filter((p) => !named.has(p.cell))];
}
