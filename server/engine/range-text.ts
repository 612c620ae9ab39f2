// `range(from)` (DMN 1.5 10.3.4.1): a range from its literal text, `"[1..10)"`. The text is read by the FEEL parser,
// and each end point must be a literal: a number, a string, an `@"…"` literal, or a call of date, time, date and
// time or duration on a string literal (`date("2024-01-01")`). Anything else, ends of different kinds, or a low end
// above the high one, gives null. This module calls the parser and the compiler, which import the built-in
// registry that calls it: the cycle is only at call time, never while the modules load.
import type { Expr } from './ast.ts';
import { compileExpr } from './feel.ts';
import { parseExpression } from './parser.ts';
import { compare, FeelRange, kindOf, type FeelValue } from './values.ts';

const TEMPORAL_CONSTRUCTORS = new Set(['date', 'time', 'date and time', 'duration']);

function literalEnd(e: Expr): boolean {
  if (e.t === 'lit') return true;
  if (e.t === 'neg') return e.e.t === 'lit';
  return e.t === 'call' && TEMPORAL_CONSTRUCTORS.has(e.fn) && e.named === null && e.args.length === 1 && e.args[0]!.t === 'lit' && typeof e.args[0]!.value === 'string';
}

export function rangeFromText(text: string): FeelRange | null {
  let e: Expr;
  try {
    e = parseExpression(text);
  } catch {
    return null;
  }
  if (e.t !== 'range' || e.low === null || e.high === null || !literalEnd(e.low) || !literalEnd(e.high)) return null;
  const range = compileExpr(e)({ inputs: [], vars: null, q: null });
  if (!(range instanceof FeelRange)) return null;
  const [low, high] = [range.low ?? null, range.high ?? null];
  if (low === null && high === null) return null;
  if (low !== null && high !== null) {
    if (kindOf(low) !== kindOf(high)) return null;
    const c = compare(low as FeelValue, high as FeelValue);
    if (c === null || c > 0) return null;
  }
  return new FeelRange(range.lowClosed, low ?? undefined, high ?? undefined, range.highClosed);
}
