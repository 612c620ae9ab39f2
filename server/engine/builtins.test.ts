// The built-in registry: every name it holds parses, compiles and runs; names, named parameters and argument counts
// are checked from the same entries.
import Decimal from 'decimal.js';
import fc from 'fast-check';
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
    expect(cellError('date(1, 2)')).toContain('expected date(from) | date(year, month, day)');
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
    expect(resolveCall('constructor', 1, null)).toEqual({ code: 'FEEL_UNKNOWN_FUNCTION', params: { name: 'constructor' } });
  });
});

describe('the DMN 1.5 built-ins beyond the first set', () => {
  const dmn = (text: string) => compileExpression(text, { invalidCalls: 'null' })();

  it('numbers: rounding with a scale, exp and log, odd and even, product, median, stddev, mode', () => {
    expect(feel('round up(5.5, 0)')).toBe(6);
    expect(feel('round up(-5.5, 0)')).toBe(-6);
    expect(feel('round down(5.5, 0)')).toBe(5);
    expect(feel('round half down(5.5, 0)')).toBe(5);
    expect(feel('round half down(-5.51, 1)')).toBe(-5.5);
    expect(feel('floor(-1.56, 1)')).toBe(-1.6);
    expect(feel('ceiling(1.52, 1)')).toBe(1.6);
    expect(feel('floor(1.5)')).toBe(1);
    expect(feel('decimal(1/3, 2.5)')).toBe(0.33); // a scale's fraction is dropped
    expect(feel('log(10) = 2.302585092994045684017991454684364')).toBe(true);
    expect(feel('log(0)')).toBeNull();
    expect(feel('exp(0)')).toBe(1);
    expect(feel('[odd(5), odd(-5), odd(2), even(0), even(2.5)]')).toEqual([true, true, false, true, null]);
    expect(feel('product([2, 3, 4])')).toBe(24);
    expect(feel('product(2, 3, 4)')).toBe(24);
    expect(feel('product([])')).toBeNull();
    expect(feel('median([8, 2, 5, 3, 4])')).toBe(4);
    expect(feel('median([6, 1, 2, 3])')).toBe(2.5);
    expect(feel('median([])')).toBeNull();
    expect(feel('stddev([2, 4, 7, 5]) = 2.081665999466132735282297706979931')).toBe(true);
    expect(feel('stddev([47])')).toBeNull();
    expect(feel('mode([6, 3, 9, 6, 6])')).toEqual([6]);
    expect(feel('mode([6, 1, 9, 6, 1])')).toEqual([1, 6]);
    expect(feel('mode([])')).toEqual([]);
    expect(feel('product([1, "x"])')).toBeNull();
  });

  it('number with grouping and decimal separators', () => {
    expect(feel('number("1.000.000,01", ".", ",")')).toBe(1000000.01);
    expect(feel('number("1 000 000.01", " ", ".")')).toBe(1000000.01);
    expect(feel('number("1,000,000.01", ":", ".")')).toBeNull();
    expect(feel('number("1,000", ",", ",")')).toBeNull();
  });

  it('strings: matches, replace, split and string join, with XPath regexes', () => {
    expect(feel('matches("abracadabra", "^a.*a$")')).toBe(true);
    expect(feel('matches("abracadabra", "bra", "z")')).toBeNull();
    expect(feel('replace("abracadabra", "a(.)", "a$1$1")')).toBe('abbraccaddabbra');
    expect(feel('replace("0123456789", "(\\d{3})(\\d{3})(\\d{4})", "($1) $2-$3")')).toBe('(012) 345-6789');
    expect(feel('replace("abc", "x*", "-")')).toBeNull(); // matches the empty string: an error in XPath 3.1
    expect(feel('split("John Doe", "\\s")')).toEqual(['John', 'Doe']);
    expect(feel('split("a;b;c;;", ";")')).toEqual(['a', 'b', 'c', '', '']);
    expect(feel('string join(["a", null, "c"], "-")')).toBe('a-c');
    expect(feel('string join(["a", "b"])')).toBe('ab');
    expect(feel('string join([1, 2], "X")')).toBeNull();
    expect(feel('string join("a", "X")')).toBe('a'); // one value where a list is expected is a list of it
  });

  it('lists: sublist, remove, list replace, union, sort', () => {
    expect(feel('sublist([1, 2, 3], 2)')).toEqual([2, 3]);
    expect(feel('sublist([1, 2, 3], -2, 1)')).toEqual([2]);
    expect(feel('sublist([1, 2, 3], 0)')).toBeNull();
    expect(feel('remove([1, 2, 3], 2)')).toEqual([1, 3]);
    expect(feel('remove([1, 2, 3], 4)')).toBeNull();
    expect(feel('list replace([1, 2, 3], 2, 4)')).toEqual([1, 4, 3]);
    expect(feel('list replace(position: -1, newItem: 9, list: [1, 2, 3])')).toEqual([1, 2, 9]);
    expect(feel('union([1, 2], [2, 3])')).toEqual([1, 2, 3]);
    expect(feel('sort([3, 1, 2])')).toEqual([1, 2, 3]);
    expect(feel('sort([3, "a"])')).toBeNull();
  });

  it('contexts: context put (also along a path of keys), context merge, context', () => {
    expect(feel('context put({a: 1}, "b", 2)')).toEqual({ a: 1, b: 2 });
    expect(feel('context put({a: 1, b: 2}, "a", 3)')).toEqual({ a: 3, b: 2 });
    expect(feel('context put({x: {y: 1}}, ["x", "y"], 2)')).toEqual({ x: { y: 2 } });
    expect(feel('context put({x: 1}, ["x", "y"], 2)')).toBeNull();
    expect(feel('context merge([{a: 1}, {a: 2, b: 3}])')).toEqual({ a: 2, b: 3 });
    expect(feel('context([{key: "a", value: 1}, {key: "b", value: 2}])')).toEqual({ a: 1, b: 2 });
    expect(feel('context([{key: "a", value: 1}, {key: "a", value: 2}])')).toBeNull();
  });

  it('is: same kind, same value and the same offset', () => {
    expect(feel('is(1, 1.0)')).toBe(true);
    expect(feel('is(@"2012-12-25", @"2012-12-25T00:00:00")')).toBe(false);
    expect(feel('is(@"23:00:50Z", @"23:00:50+00:00")')).toBe(true);
    expect(feel('is(@"23:00:50", @"23:00:50Z")')).toBe(false);
    expect(feel('@"23:00:50" = @"23:00:50Z"')).toBe(true); // where = says they are equal
  });

  it('keeps a number literal of more than 15 significant digits exact (a double would give a neighbour)', () => {
    expect(feel('string(-115094053.18966464)')).toBe('-115094053.18966464');
    expect(feel('string(0.1234567890123456789)')).toBe('0.1234567890123456789');
    expect(feel('0.1 + 0.2 = 0.3')).toBe(true);
  });

  it('ranges: range(from) and the interval functions of Table 78', () => {
    expect(feel('2 in range("[1..3]")')).toBe(true);
    expect(feel('range("(1..3]") = (1..3]')).toBe(true);
    expect(feel('range("[date(\\"1970-01-01\\")..@\\"1970-01-02\\"]") = [@"1970-01-01"..@"1970-01-02"]')).toBe(true);
    expect(feel('range("[3..1]")')).toBeNull();
    expect(feel('-2 in range("[-5..-1)")')).toBe(true);
    expect(feel('100 in range("[null..10]")')).toBe(false);
    expect(feel('-100 in range("[null..10]")')).toBe(true);
    expect(feel('range("[date and time(\\"2024-01-01T10:00:00\\")..@\\"2024-01-02T00:00:00\\"]") = [@"2024-01-01T10:00:00"..@"2024-01-02T00:00:00"]')).toBe(true);
    // Only literals: a name, an expression or text after the range gives null.
    expect(feel('range("[x..3]")')).toBeNull();
    expect(feel('range("[1+1..3]")')).toBeNull();
    expect(feel('range("[1..3] or")')).toBeNull();
    expect(feel('range("[null..null]")')).toBeNull();
    expect(feel('range("[1..\\"b\\"]")')).toBeNull();
    expect(feel('range("[date(x)..@\\"1970-01-02\\"]")')).toBeNull();
    expect(feel('[before(1, 2), before(1, (1..5]), before([1..5], 5), before([1..5), [5..10])]')).toEqual([true, true, false, true]);
    expect(feel('[after(10, [1..5]), after((5..10], 5), after([1..5], [1..3])]')).toEqual([true, true, false]);
    expect(feel('[meets([1..5], [5..10]), meets([1..5), [5..10]), met by([5..10], [1..5])]')).toEqual([true, false, true]);
    expect(feel('[overlaps([1..5], [3..8]), overlaps([1..5), [5..8]), overlaps before([1..5], [3..8]), overlaps after([3..8], [1..5])]')).toEqual([true, false, true, true]);
    expect(feel('[finishes(5, [1..5]), finishes([3..5], [1..5]), finished by([1..5], [3..5])]')).toEqual([true, true, true]);
    expect(feel('[includes([1..10], 5), includes([1..10], [4..6]), during(5, [1..10]), during([4..6], [1..10])]')).toEqual([true, true, true, true]);
    expect(feel('[starts(1, [1..5]), starts([1..3], [1..5]), started by([1..5], [1..3]), coincides([1..5], [1..5]), coincides(1, 2)]')).toEqual([true, true, true, true, false]);
    expect(feel('before(1, "a")')).toBeNull();
    expect(feel('before(point: 1, range: [2..3])')).toBe(true);
  });

  it('dates: day of year, day of week, month of year, week of year, today and now', () => {
    expect(feel('day of year(@"2024-12-31")')).toBe(366);
    expect(feel('day of week(@"2024-06-03")')).toBe('Monday');
    expect(feel('month of year(@"2024-06-03T10:00:00")')).toBe('June');
    expect(feel('week of year(@"2021-01-03")')).toBe(53);
    expect(feel('week of year(@"2024-12-30")')).toBe(1);
    expect(feel('string(today())')).toBe(new Date().toISOString().slice(0, 10));
    expect(feel('now() > @"2024-01-01T00:00:00Z"')).toBe(true);
  });

  it('agrees with an independent calendar (JS Date, in UTC) on day of year, weekday and ISO week', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1600, 0, 1) / 86_400_000, max: Date.UTC(2400, 11, 31) / 86_400_000 }), (day) => {
        const d = new Date(day * 86_400_000);
        const iso = d.toISOString().slice(0, 10);
        const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1) / 86_400_000;
        const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
        const thursday = new Date((day - weekday + 3) * 86_400_000);
        const week = Math.floor((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / (7 * 86_400_000)) + 1;
        expect(feel(`day of year(@"${iso}")`)).toBe(day - jan1 + 1);
        expect(feel(`day of week(@"${iso}")`)).toBe(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][weekday]);
        expect(feel(`week of year(@"${iso}")`)).toBe(week);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with decimal.js, computed directly, on product, median and stddev of random decimals', () => {
    const D = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN }); // decimal128
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -99_999, max: 99_999 }), { minLength: 2, maxLength: 12 }), (cents) => {
        const xs = cents.map((c) => new D(c).div(100));
        const list = `[${xs.map((x) => x.toString()).join(', ')}]`;
        const product = xs.reduce((a, b) => a.times(b), new D(1));
        const sorted = [...xs].sort((a, b) => a.cmp(b));
        const mid = Math.floor(sorted.length / 2);
        const median = sorted.length % 2 ? sorted[mid]! : sorted[mid - 1]!.plus(sorted[mid]!).div(2);
        const mean = xs.reduce((a, b) => a.plus(b), new D(0)).div(xs.length);
        const sd = xs.reduce((a, b) => a.plus(b.minus(mean).pow(2)), new D(0)).div(xs.length - 1).sqrt();
        expect(feel(`product(${list}) = ${product.toString()}`)).toBe(true);
        expect(feel(`median(${list}) = ${median.toString()}`)).toBe(true);
        expect(feel(`string(stddev(${list}))`)).toBe(sd.toString());
      }),
      { numRuns: 200 },
    );
  });

  it('in a DMN model, a call the registry does not allow is null, as FEEL says; in a table cell it stays an error', () => {
    expect(dmn('median()')).toBeNull();
    expect(dmn('string join(lst: ["a"], delimiter: "X")')).toBeNull();
    expect(dmn('matches("input")')).toBeNull();
    expect(cellError('matches("input")')).toContain("'matches' cannot take 1 argument");
    expect(() => compileExpression('frobnicate(1)', { invalidCalls: 'null' })).toThrow(CellSyntaxError);
  });
});

describe('calls as DMN 1.5 10.3.2.13 binds them', () => {
  const dmn = (text: string) => compileExpression(text, { invalidCalls: 'null' })();

  it('unwraps a singleton list where a built-in takes one value (10.3.2.9.4), and no other list', () => {
    expect(feel('upper case(["Bob"])')).toBe('BOB');
    expect(feel('upper case(["Bob", "Ann"])')).toBeNull();
    expect(feel('string length(["abc"])')).toBe(3);
    expect(feel('substring(["abcdef"], [2], 3)')).toBe('bcd');
    expect(feel('abs([-2])')).toBe(2);
    expect(feel('date(["2024-02-29"])')).toBe('2024-02-29');
    // Functions over lists keep the list: a list of one is still that list.
    expect(feel('count([[1, 2]])')).toBe(1);
  });

  it('binds a named parameter left out to null in a DMN model (10.3.2.13.5); an editor cell is told of it', () => {
    expect(dmn('is(value1: @"2021-02-13")')).toBe(false);
    expect(dmn('is(value2: @"2021-02-13")')).toBe(false);
    expect(dmn('substring(string: "abc")')).toBeNull();
    expect(dmn('is(value1: 1, value2: 1, value3: 2)')).toBeNull();
    expect(cellError('is(value1: 1)')).toContain("'is' cannot take the parameters value1");
  });

  it('reads a parameter name of several words that no function has, and answers null for it', () => {
    expect(dmn('number(from: "1.000.000,01", decimal sep: ",", grouping sep: ".")')).toBeNull();
    expect(dmn('number(from: "1.000.000,01", decimal separator: ",", grouping separator: ".")')).toBe(1000000.01);
    expect(cellError('number(from: "1", decimal sep: ",")')).toContain("'number' has no parameter 'decimal sep'");
  });

  it('wants one or more arguments where the list form is written out (Table 75: N > 0)', () => {
    for (const name of ['all', 'any', 'sum', 'mean', 'min', 'max']) expect(dmn(`${name}()`), name).toBeNull();
    expect(dmn('all([])')).toBe(true);
    expect(dmn('any([])')).toBe(false);
    expect(dmn('all(true, false)')).toBe(false);
    expect(dmn('sum(1, 2)')).toBe(3);
    // An empty list has no sum (Table 75: sum([]) = null), nor a mean; it has a count.
    expect(dmn('sum([])')).toBeNull();
    expect(dmn('mean([])')).toBeNull();
    expect(dmn('count([])')).toBe(0);
  });

  it('context put: key names one entry, keys a path', () => {
    expect(dmn('context put(context: {x: 1, y: {a: 0}}, key: ["y", "a"], value: 2)')).toBeNull();
    expect(dmn('context put(context: {x: 1, y: {a: 0}}, keys: ["y", "a"], value: 2)')).toEqual({ x: 1, y: { a: 2 } });
    expect(dmn('context put(context: {x: 1}, key: "y", value: 2)')).toEqual({ x: 1, y: 2 });
    expect(dmn('context put(context: {x: 1}, key: ["y"], value: 2)')).toEqual({ x: 1, y: 2 });
    expect(dmn('context put({x: 1, y: {a: 0}}, ["y", "a"], 2)')).toEqual({ x: 1, y: { a: 2 } });
  });

  it('a context with a key twice is no context (10.3.2.6: keys are distinct)', () => {
    expect(feel('{foo: "bar", foo: "baz"}')).toBeNull();
    expect(feel('{foo: "bar", "foo": "baz"}')).toBeNull();
    expect(feel('{foo: "bar", fob: "baz"}')).toEqual({ foo: 'bar', fob: 'baz' });
  });
});
