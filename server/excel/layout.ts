// The sheet layout of a decision table in a workbook, shared by the writer and the reader so they cannot drift.
// A sheet is, top to bottom: a header block (label in column A, value in B), a blank row, the column block (one
// spreadsheet column per table column, a label in column A per property) ending in the row "Regel" that holds the
// column names, and then one row per rule (its id in A, the cells, the note in the last column).
// The reader finds every row by its label in column A, so a person may move the header rows around; the labels are
// Dutch because the people who edit these sheets are.
import type { ColumnType, HitPolicy } from '../engine/types.ts';

/** The header block's rows: label in column A → the table property it holds. */
export const HEADER = {
  id: 'Tabel',
  title: 'Titel',
  hitPolicy: 'Beslisregel',
  aggregation: 'Aggregatie',
  owner: 'Eigenaar',
  source: 'Bron',
  confidence: 'Zekerheid',
  reviewBy: 'Herzien vóór',
  description: 'Omschrijving',
  requires: 'Vereist',
  version: 'Versie',
  validFrom: 'Geldig vanaf',
  /** The meta fields beyond owner, source, confidence and reviewBy, as JSON (written only when there are any). */
  metaRest: 'Meta (overig)',
} as const;
export type HeaderKey = keyof typeof HEADER;
/** The header block's rows, top to bottom: the order of HEADER's keys. */
export const HEADER_ORDER = Object.keys(HEADER) as readonly HeaderKey[];

/** The column block's rows, top to bottom; the last one ("Regel") holds the names and heads the rules. */
export const COLUMN_ROW = {
  kind: 'Soort',
  description: 'Omschrijving',
  /** Structured source references (a BWB article, a CVDR regulation, a URL), as JSON. */
  sources: 'Bronnen',
  path: 'Pad',
  expression: 'Expressie',
  default: 'Standaard',
  optional: 'Optioneel',
  values: 'Toegestane waarden',
  format: 'Weergave',
  unit: 'Eenheid',
  type: 'Type',
  label: 'Label',
  name: 'Regel',
} as const;
export type ColumnRowKey = keyof typeof COLUMN_ROW;
export const COLUMN_ROW_ORDER = Object.keys(COLUMN_ROW) as readonly ColumnRowKey[];

/** What the "Soort" row says of a column. */
export const KIND_INPUT = 'invoer';
export const KIND_OUTPUT = 'uitkomst';
/** The headings of the note column and the rules' sources column (JSON) in the "Regel" row. */
export const NOTE_HEADING = 'Toelichting';
export const SOURCES_HEADING = 'Bronnen';
export const FORMATS = ['money', 'count', 'number'] as const;
export const YES = 'ja';
export const NO = 'nee';

/** The hidden sheet that holds the drop-down lists (a list in a formula is limited to 255 characters). */
export const LIST_SHEET = 'Lijsten';

/** The grid's colours (editor/src/styles.css: --in, --in-ink, --out, --out-ink), as ARGB. */
export const COLOURS = {
  inFill: 'FFE8F0FB',
  inInk: 'FF1F4F8A',
  outFill: 'FFEAF5EC',
  outInk: 'FF23653A',
  headFill: 'FFF5F6F8',
} as const;

export const TYPES: readonly ColumnType[] = ['string', 'number', 'boolean', 'date', 'time', 'dateTime', 'duration', 'any'];
export type { HitPolicy };

/** A sheet name Excel accepts (at most 31 characters, none of []:*?/\), unique among `taken` (compared case-blind). */
export function sheetName(tableId: string, taken: Set<string>): string {
  const last = tableId.split('.').at(-1) ?? tableId;
  const base = (last.charAt(0).toUpperCase() + last.slice(1)).replace(/[[\]:*?/\\]/g, '-').slice(0, 31) || 'Tabel';
  let name = base;
  for (let n = 2; taken.has(name.toLowerCase()) || name.toLowerCase() === LIST_SHEET.toLowerCase(); n++) {
    const suffix = ` (${n})`;
    name = base.slice(0, 31 - suffix.length) + suffix;
  }
  taken.add(name.toLowerCase());
  return name;
}

/** `A`, `B`, …, `Z`, `AA`, … for a 1-based column number. */
export function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** `Boete!C7`: how a problem names its cell (quoted as Excel does when the sheet name has spaces or punctuation). */
export function cellRef(sheet: string, col: number, row: number): string {
  const quoted = /^[\p{L}\p{N}_]+$/u.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return `${quoted}!${columnLetter(col)}${row}`;
}
