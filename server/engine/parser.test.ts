import { describe, expect, it } from 'vitest';
import { CellSyntaxError } from './errors.ts';
import { parseExpression, parseUnaryTests } from './parser.ts';

function syntaxError(fn: () => unknown): CellSyntaxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CellSyntaxError) return err;
    throw err;
  }
  throw new Error('expected a CellSyntaxError');
}

describe('unary tests', () => {
  it('reads the cell forms of the table format', () => {
    expect(parseUnaryTests('-')).toEqual({ t: 'any' });
    expect(parseUnaryTests('')).toEqual({ t: 'any' });
    expect(parseUnaryTests('"A"')).toMatchObject({ t: 'tests', tests: [{ t: 'expr', e: { t: 'lit', value: 'A' } }] });
    expect(parseUnaryTests('< 5')).toMatchObject({ t: 'tests', tests: [{ t: 'compare', op: '<', e: { value: 5 } }] });
    expect(parseUnaryTests('>= date("2024-01-01")')).toMatchObject({ tests: [{ t: 'compare', op: '>=', e: { t: 'call', fn: 'date' } }] });
    expect(parseUnaryTests('[1..5]')).toMatchObject({ tests: [{ t: 'range', lowClosed: true, highClosed: true }] });
    expect(parseUnaryTests('(1..5]')).toMatchObject({ tests: [{ t: 'range', lowClosed: false, highClosed: true }] });
    expect(parseUnaryTests(']1..5[')).toMatchObject({ tests: [{ t: 'range', lowClosed: false, highClosed: false }] });
    expect(parseUnaryTests('"A","B"')).toMatchObject({ tests: [{ e: { value: 'A' } }, { e: { value: 'B' } }] });
    expect(parseUnaryTests('<3, >7').t).toBe('tests');
    expect(parseUnaryTests('not("A", "B")')).toMatchObject({ t: 'not', tests: [{}, {}] });
    expect(parseUnaryTests('null')).toMatchObject({ tests: [{ t: 'expr', e: { t: 'lit', value: null } }] });
    expect(parseUnaryTests('> drempel')).toMatchObject({ tests: [{ t: 'compare', e: { t: 'name', name: 'drempel' } }] });
    expect(parseUnaryTests('-5')).toMatchObject({ tests: [{ e: { t: 'lit', value: -5 } }] });
  });

  it('recognises input names with spaces when told about them', () => {
    expect(parseUnaryTests('> Applicant Age', ['Applicant Age'])).toMatchObject({
      tests: [{ t: 'compare', e: { t: 'name', name: 'Applicant Age' } }],
    });
  });

  it('points at the column of the problem', () => {
    const open = syntaxError(() => parseUnaryTests('[1..5'));
    expect(open.message).toBe("expected ']' at column 5");
    expect(open.column).toBe(5);
    const stray = syntaxError(() => parseUnaryTests('"A" "B"'));
    expect(stray.column).toBe(5);
    expect(stray.message).toContain("expected ',' or the end of the cell");
    const unclosed = syntaxError(() => parseUnaryTests('"Waarschuwing'));
    expect(unclosed.message).toContain("expected '\"'");
    const bad = syntaxError(() => parseUnaryTests('< €5'));
    expect(bad.message).toBe("unexpected character '€' at column 3");
    expect(syntaxError(() => parseUnaryTests('>> 5')).message).toBe("expected a value but found '>' at column 2");
    expect(syntaxError(() => parseUnaryTests('< < 3')).column).toBe(3);
    expect(syntaxError(() => parseExpression('@"morgen"')).message).toContain('is not a date, time, date-time or duration');
    const empty = syntaxError(() => parseUnaryTests('>='));
    expect(empty.message).toBe('expected a value at column 2');
  });
});

describe('expressions', () => {
  it('reads a name of the scope with - + * / in it as one name (DMN 1.5 rule 30), and only then', () => {
    const known = ['Date-Time', 'Pre-bureauRiskCategory', 'Pre-bureau Risk Category'];
    expect(parseExpression('Date-Time', known)).toEqual({ t: 'name', name: 'Date-Time', column: 1 });
    expect(parseExpression('Pre-bureauRiskCategory = "HIGH"', known)).toMatchObject({ l: { t: 'name', name: 'Pre-bureauRiskCategory' } });
    expect(parseExpression('Pre-bureau Risk Category', known)).toMatchObject({ t: 'name', name: 'Pre-bureau Risk Category' });
    // With spaces around it, or when the joined name is not in scope, the minus subtracts.
    expect(parseExpression('Date - Time', known)).toMatchObject({ t: 'arith', op: '-', l: { name: 'Date' }, r: { name: 'Time' } });
    expect(parseExpression('a-b', known)).toMatchObject({ t: 'arith', op: '-', l: { name: 'a' }, r: { name: 'b' } });
    expect(parseExpression('Date-Time-1', known)).toMatchObject({ t: 'arith', op: '-', l: { name: 'Date-Time' }, r: { t: 'lit' } });
  });

  it('respects precedence and keeps multi-word function names together', () => {
    expect(parseExpression('boete_basis * 1.5 + 10')).toMatchObject({ t: 'arith', op: '+', l: { t: 'arith', op: '*' } });
    expect(parseExpression('date and time("2024-01-01T10:00:00")')).toMatchObject({ t: 'call', fn: 'date and time' });
    expect(parseExpression('if a > 1 then "x" else "y"')).toMatchObject({ t: 'if' });
    expect(parseExpression('{a: 1, b: [1, 2]}')).toMatchObject({ t: 'context' });
    expect(parseExpression('x in [1..10]')).toMatchObject({ t: 'in', tests: [{ t: 'range' }] });
  });

  it('reads @"…" temporal literals by their shape', () => {
    const kinds = ['@"2024-01-01"', '@"10:30:00"', '@"2024-01-01T10:30:00Z"', '@"P14D"'].map((t) => {
      const e = parseExpression(t);
      return e.t === 'lit' && e.value !== null ? (e.value as object).constructor.name : e.t;
    });
    expect(kinds).toEqual(['FeelDate', 'FeelTime', 'FeelDateTime', 'FeelDuration']);
  });

  it('keeps long decimals exact instead of rounding them to a double', () => {
    const e = parseExpression('0.1234567890123456789');
    expect(e.t).toBe('lit');
    expect(String((e as { value: unknown }).value)).toBe('0.1234567890123456789');
  });

  it('reports an empty cell and trailing text with positions', () => {
    expect(syntaxError(() => parseExpression('')).column).toBe(1);
    expect(syntaxError(() => parseExpression('1 + ')).message).toBe('expected a value at column 3');
    expect(syntaxError(() => parseExpression('"a" b')).message).toContain('at column 5');
  });
});

describe('hostile nesting', () => {
  const nest = (n: number, open: string, close: string, inner: string) => `${open.repeat(n)}${inner}${close.repeat(n)}`;

  it('reads nested brackets once, not once per way to read them (no exponential backtracking)', () => {
    // `[` may open an interval or a list; 60 levels tried both ways each would take 2^60 steps.
    const list = parseExpression(nest(60, '[', ']', '1'));
    let depth = 0;
    for (let e = list; e.t === 'list'; e = e.items[0]!) depth++;
    expect(depth).toBe(60);
    expect(parseUnaryTests(nest(60, '(', ')', '1'))).toMatchObject({ t: 'tests' });
    expect(parseUnaryTests(`[${nest(40, '(', ')', '1')}..${nest(40, '(', ')', '5')}]`)).toMatchObject({ t: 'tests', tests: [{ t: 'range', lowClosed: true }] });
  });

  it('refuses nesting past the limit with a syntax error, also where another reading is tried first', () => {
    for (const text of [nest(10_000, '[', ']', '1'), nest(10_000, '(', ')', '1'), nest(1_000, 'not(', ')', '1'), `${'-'.repeat(100_000)}1`]) {
      expect(syntaxError(() => parseExpression(text)).message).toMatch(/^nested more than 100 levels deep at column \d+$/);
      expect(syntaxError(() => parseUnaryTests(text)).message).toMatch(/nested more than 100 levels deep|expected/);
    }
  });

  it('counts a long operator chain as depth (it compiles to a tree as deep as it is long)', () => {
    expect(parseExpression(Array(90).fill('1').join(' + '))).toMatchObject({ t: 'arith', op: '+' });
    expect(syntaxError(() => parseExpression(Array(200_000).fill('1').join('+'))).message).toContain('nested more than 100 levels deep');
    expect(syntaxError(() => parseExpression(Array(500).fill('true').join(' or '))).message).toContain('nested more than 100 levels deep');
  });
});
