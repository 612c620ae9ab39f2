// A column's allowed values in one cell: JSON literals separated by commas (`"A", "B", "C"`, `1, 2, 3`), the way
// they read in the table file. People also type a list of plain words (`A, B, C`); in a text column that means the
// words themselves, since the column dialog of the editor asks for values without quotes too.
import type { ColumnType, JsonValue } from '../engine/types.ts';

export function valuesText(values: readonly JsonValue[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

/** The values in `text`, or a Dutch message saying what is wrong with it. */
export function parseValuesText(text: string, type: ColumnType): { values: JsonValue[] } | { error: string } {
  try {
    const parsed: unknown = JSON.parse(`[${text}]`);
    if (Array.isArray(parsed) && parsed.length > 0) return { values: parsed as JsonValue[] };
  } catch {
    // Not JSON: plain words, below.
  }
  const words = text.split(',').map((w) => w.trim());
  if (type === 'string' && words.every((w) => w !== '' && !w.includes('"'))) return { values: words };
  return {
    error:
      type === 'string'
        ? 'de toegestane waarden zijn geen lijst; schrijf ze gescheiden door komma\'s, bijvoorbeeld "A", "B", "C"'
        : 'de toegestane waarden zijn geen lijst; schrijf ze gescheiden door komma\'s, bijvoorbeeld 1, 2, 3 (tekst tussen aanhalingstekens)',
  };
}
