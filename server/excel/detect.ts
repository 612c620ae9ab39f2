// Which reader a file needs: an .xlsx is a ZIP archive (it starts with "PK"); anything else is taken as CSV text.
// Before a ZIP is unpacked, the sizes its directory declares are added up: a small upload that would unpack to
// gigabytes (a "zip bomb") is refused instead of filling the server's memory.
import { readCsv, readXlsx, type WorkbookContent } from './read.ts';

/** What the files of an uploaded workbook may unpack to, together: far beyond any table, far below the memory. */
export const MAX_UNPACKED_BYTES = 200 * 1024 * 1024;

/**
 * The total uncompressed size the ZIP's central directory declares, or null when the directory cannot be read (or
 * uses ZIP64 sizes, which no workbook of a decision table needs).
 */
export function declaredUnpackedSize(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: 22 bytes, after at most a 65,535-byte comment.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return null;
    const size = view.getUint32(at + 24, true);
    if (size === 0xffffffff) return null;
    total += size;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return total;
}

export function isXlsx(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The tables of an uploaded or given file; `name` (the file's name without extension) names a CSV's one sheet. */
export async function readSpreadsheet(bytes: Uint8Array, name: string, maxUnpacked = MAX_UNPACKED_BYTES): Promise<WorkbookContent> {
  if (isXlsx(bytes)) {
    const size = declaredUnpackedSize(bytes);
    if (size === null) return { tables: [], problems: [{ cell: '(bestand)', message: 'dit is geen Excel-bestand (.xlsx) dat gelezen kan worden; sla het op als Excel 2007-365 (.xlsx) of als CSV' }], sheetIds: {} };
    if (size > maxUnpacked) {
      const mb = (n: number) => `${Math.ceil(n / 1024 / 1024)} MB`;
      return { tables: [], problems: [{ cell: '(bestand)', message: `dit bestand pakt uit tot ${mb(size)}, meer dan de ${mb(maxUnpacked)} die een werkmap hier mag zijn` }], sheetIds: {} };
    }
    return readXlsx(bytes);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { tables: [], problems: [{ cell: '(bestand)', message: 'dit bestand is geen .xlsx en geen CSV in UTF-8; sla het op als Excel-werkmap (.xlsx) of als CSV UTF-8' }], sheetIds: {} };
  }
  return readCsv(text, name);
}
