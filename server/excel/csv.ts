// CSV as RFC 4180 writes it (quoted fields, "" for a quote inside one, line breaks inside quotes), with the
// separator Dutch Excel uses (`;`) or the comma, whichever the first line has more of outside quotes. A byte order
// mark is dropped. Small enough to keep here rather than depend on a parser for it.

export type CsvResult = { rows: string[][] } | { error: string; row: number; col: number };

function separatorOf(text: string): string {
  let semi = 0;
  let comma = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ';') semi++;
    else if (!quoted && ch === ',') comma++;
  }
  return semi > comma ? ';' : ',';
}

export function parseCsv(input: string): CsvResult {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const sep = separatorOf(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStartedQuoted = false;
  let quoteRow = 0;
  let quoteCol = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && field === '' && !fieldStartedQuoted) {
      quoted = true;
      fieldStartedQuoted = true;
      quoteRow = rows.length + 1;
      quoteCol = row.length + 1;
    } else if (ch === sep) {
      row.push(field);
      field = '';
      fieldStartedQuoted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStartedQuoted = false;
    } else field += ch;
  }
  if (quoted) return { error: 'een aanhalingsteken in deze cel wordt nergens gesloten', row: quoteRow, col: quoteCol };
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return { rows };
}
