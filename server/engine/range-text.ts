// `range(from)` (DMN 1.5 10.3.4.1): a range from its literal text, `"[1..10)"`. Each end point must be a literal:
// a number, a string, an `@"…"` literal, or a call of date, time, date and time or duration on a string literal
// (`date("2024-01-01")`), or null for an open side. Anything else, ends of different kinds, or a low end above the high one, gives null.
// The text is read from the lexer's tokens, not by the parser: the parser and the compiler depend on the built-in
// registry, which holds `range`, and a module circle between them is what the layering forbids.
import { tokenize, type Token } from './lexer.ts';
import { numberLiteral, temporalLiteral } from './literals.ts';
import { compare, Dec, FeelRange, kindOf, parseDate, parseDateTime, parseDuration, parseTime, type FeelValue } from './values.ts';

const TEMPORAL_CONSTRUCTORS: Record<string, (text: string) => FeelValue> = {
  date: parseDate,
  time: parseTime,
  'date and time': parseDateTime,
  duration: parseDuration,
};

/** Reads one literal end point from `tokens` at `at`; null when it is not one. */
function endPoint(tokens: Token[], at: number): { value: FeelValue; next: number } | null {
  const tok = tokens[at]!;
  if (tok.type === 'number') return { value: numberLiteral(tok.text), next: at + 1 };
  if (tok.type === 'string') return { value: tok.text, next: at + 1 };
  if (tok.type === 'at') {
    const value = temporalLiteral(tok.text);
    return value === null ? null : { value, next: at + 1 };
  }
  if (tok.type === 'punct' && tok.text === '-' && tokens[at + 1]?.type === 'number') {
    const n = numberLiteral(tokens[at + 1]!.text);
    return { value: n instanceof Dec ? n.neg() : -n, next: at + 2 };
  }
  if (tok.type === 'name' && tok.text === 'null') return { value: null, next: at + 1 };
  if (tok.type === 'name') {
    // `date and time` arrives as three names.
    let name = tok.text;
    let next = at + 1;
    if (name === 'date' && tokens[next]?.text === 'and' && tokens[next + 1]?.text === 'time') {
      name = 'date and time';
      next += 2;
    }
    const construct = TEMPORAL_CONSTRUCTORS[name];
    const [open, arg, close] = [tokens[next], tokens[next + 1], tokens[next + 2]];
    if (!construct || open?.text !== '(' || arg?.type !== 'string' || close?.text !== ')') return null;
    const value = construct(arg.text);
    return value === null ? null : { value, next: next + 3 };
  }
  return null;
}

export function rangeFromText(text: string): FeelRange | null {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch {
    return null;
  }
  const first = tokens[0]!;
  if (first.type !== 'punct' || !['[', '(', ']'].includes(first.text)) return null;
  const low = endPoint(tokens, 1);
  if (!low || tokens[low.next]?.text !== '..') return null;
  const high = endPoint(tokens, low.next + 1);
  if (!high) return null;
  const last = tokens[high.next];
  if (last?.type !== 'punct' || ![']', ')', '['].includes(last.text) || tokens[high.next + 1]?.type !== 'eof') return null;
  // `null` leaves that side unbounded (`[null..10]`); both unbounded is no range.
  if (low.value === null && high.value === null) return null;
  if (low.value !== null && high.value !== null) {
    if (kindOf(low.value) !== kindOf(high.value)) return null;
    const c = compare(low.value, high.value);
    if (c === null || c > 0) return null;
  }
  return new FeelRange(first.text === '[', low.value ?? undefined, high.value ?? undefined, last.text === ']');
}
