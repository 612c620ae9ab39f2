// The values of FEEL literals as the lexer hands them over: numbers and `@"…"` temporal literals. Shared by the
// parser and by `range("[1..10)")`, which reads a range's literal end points without the parser (the parser needs
// the built-in registry's names, and the registry needs `range`).
import { Dec, parseDate, parseDateTime, parseDuration, parseTime, type FeelValue } from './values.ts';

/** A number literal: a JS number where a double holds it exactly as written, a Decimal otherwise. */
export function numberLiteral(text: string): number | Dec {
  const n = Number(text);
  // A double holds any decimal of at most 15 significant digits exactly as written (DBL_DIG); a longer one
  // (`115094053.18966464`) would come back as a neighbour.
  const digits = text.replace('.', '').replace(/^0+/, '');
  const exact = String(n) === text || (/^\d+(\.\d+)?$/.test(text) && digits.length <= 15);
  return exact && Number.isFinite(n) ? n : new Dec(text);
}

/** The value of `@"…"`: its shape says whether it is a duration, a date-time, a date or a time. */
export function temporalLiteral(text: string): FeelValue {
  if (/^-?P/.test(text)) return parseDuration(text);
  // The `T` of a date-time comes before any zone name (`23:00:50@Etc/GMT` is a time).
  if (text.split('@')[0]!.includes('T')) return parseDateTime(text);
  return parseDate(text) ?? parseTime(text);
}
