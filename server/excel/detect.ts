// Which reader a file needs: an .xlsx is a ZIP archive (it starts with "PK"); anything else is taken as CSV text.
import { readCsv, readXlsx, type WorkbookContent } from './read.ts';

export function isXlsx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The tables of an uploaded or given file; `name` (the file's name without extension) names a CSV's one sheet. */
export async function readSpreadsheet(bytes: Uint8Array, name: string): Promise<WorkbookContent> {
  if (isXlsx(bytes)) return readXlsx(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { tables: [], problems: [{ cell: '(bestand)', message: 'dit bestand is geen .xlsx en geen CSV in UTF-8; sla het op als Excel-werkmap (.xlsx) of als CSV UTF-8' }], sheetIds: {} };
  }
  return readCsv(text, name);
}
