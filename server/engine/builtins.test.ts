// The built-in registry: every name it holds parses, compiles and runs; names, named parameters and argument counts
// are checked from the same entries.
import { describe, expect, it } from 'vitest';
import { BUILTIN_NAMES, MULTIWORD_NAMES, resolveCall } from './builtins.ts';
import { CellSyntaxError } from './errors.ts';
import { compileExpression } from './index.ts';
import { parseExpression } from './parser.ts';

const feel = (text: string, scope: Record<string, unknown> = {}) => compileExpression(text)(scope);

function cellError(text: string): string {
  try {
    compileExpression(text);
  } catch (err) {
    if (err instanceof CellSyntaxError) return err.message;
    throw err;
  }
  throw new Error(`expected '${text}' to be refused`);
}

describe('the built-in registry', () => {
  it('round half up parses as one name and rounds half away from zero', () => {
    expect(parseExpression('round half up(5.5, 0)')).toMatchObject({ t: 'call', fn: 'round half up' });
    expect(feel('round half up(5.5, 0)')).toBe(6);
    expect(feel('round half up(-5.5, 0)')).toBe(-6);
    expect(feel('round half up(1.125, 2)')).toBe(1.13);
    expect(feel('decimal(5.5, 0)')).toBe(6);
    expect(feel('decimal(4.5, 0)')).toBe(4);
  });

  it('get entries gives the key/value pairs of a context', () => {
    expect(feel('get entries({a: 1})')).toEqual([{ key: 'a', value: 1 }]);
    expect(feel('get entries({a: 1, b: "x"})[key = "b"].value')).toEqual(['x']);
    expect(feel('get entries(5)')).toBeNull();
  });

  it('insert before exists, counting positions from 1 (negative from the end)', () => {
    expect(feel('insert before([1, 3], 2, 2)')).toEqual([1, 2, 3]);
    expect(feel('insert before([1, 3], -1, 2)')).toEqual([1, 2, 3]);
    expect(feel('insert before([1, 3], 3, 2)')).toBeNull();
    expect(feel('insert before([1, 3], 0, 2)')).toBeNull();
  });

  it('substring before and after exist', () => {
    expect(feel('substring before("foobar", "bar")')).toBe('foo');
    expect(feel('substring after("foobar", "ob")')).toBe('ar');
    expect(feel('substring after("foobar", "x")')).toBe('');
  });

  it('every multi-word name the parser knows is a built-in or one of their parameters, and parses as one name', () => {
    expect(MULTIWORD_NAMES).toContain('round half up');
    expect(MULTIWORD_NAMES).toContain('start position');
    for (const name of BUILTIN_NAMES) {
      const form = parseExpression(`${name}(1)`);
      expect(form, name).toMatchObject({ t: 'call', fn: name });
    }
    // Names the parser once knew without a function behind them are no longer read as one.
    expect(() => parseExpression('is defined(x)')).toThrow(CellSyntaxError);
  });

  it('takes named parameters, also multi-word ones, in any order', () => {
    expect(feel('substring(string: "abcdef", start position: 2, length: 3)')).toBe('bcd');
    expect(feel('substring(start position: 3, string: "abcdef")')).toBe('cdef');
    expect(feel('date(from: "2024-02-29")')).toBe('2024-02-29');
    expect(feel('date(year: 2024, month: 2, day: 29)')).toBe('2024-02-29');
    expect(feel('round half up(scale: 1, n: 2.25)')).toBe(2.3);
  });

  it('refuses, when the cell is compiled, a call the registry does not allow', () => {
    expect(cellError('round half up(5.5)')).toBe("'round half up' cannot take 1 argument: expected round half up(n, scale) at column 1");
    expect(cellError('date(1, 2)')).toContain('expected date(from) or date(year, month, day)');
    expect(cellError('substring(string: "a", begin: 1)')).toContain("'substring' has no parameter 'begin'");
    expect(cellError('substring(string: "a")')).toContain("'substring' cannot take the parameters string");
    expect(cellError('substring("a", start position: 1)')).toContain('positional or named arguments, not both');
    expect(cellError('decimal(n: 1, n: 2)')).toContain("parameter 'n' of 'decimal' is given twice");
    expect(cellError('frobnicate(1)')).toBe("unknown function 'frobnicate' at column 1");
    expect(cellError('1 + upper case()')).toContain('at column 5');
  });

  it('lets list functions take a list or the items one by one, and a rest parameter take none', () => {
    expect(feel('sum([1, 2, 3])')).toBe(6);
    expect(feel('sum(1, 2, 3)')).toBe(6);
    expect(feel('max(list: [1, 7, 3])')).toBe(7);
    expect(feel('append([1])')).toEqual([1]);
    expect(feel('concatenate([1], [2, 3])')).toEqual([1, 2, 3]);
    expect(feel('count()')).toBe(0);
  });

  it('answers a built-in with a value it cannot use with null, not an error', () => {
    expect(feel('round half up("x", 0)')).toBeNull();
    expect(feel('string length(5)')).toBeNull();
    expect(feel('get value({a: 1}, 2)')).toBeNull();
  });

  it('resolves a call to a body and the positional place of each named argument', () => {
    const call = resolveCall('substring', 0, ['length', 'string', 'start position']);
    expect(typeof call).toBe('object');
    expect(call).toMatchObject({ order: [2, 0, 1], arity: 3 });
    expect(resolveCall('constructor', 1, null)).toBe("unknown function 'constructor'");
  });
});
