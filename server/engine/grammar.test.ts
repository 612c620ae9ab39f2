// FEEL grammar beyond the first cells: function literals (closures, named arguments, function values passed to
// built-ins) and `instance of` with the type language (DMN 1.5 10.3.2.9).
import { describe, expect, it } from 'vitest';
import { CellSyntaxError } from './errors.ts';
import { compileExpression } from './index.ts';

const feel = (text: string, scope: Record<string, unknown> = {}) => compileExpression(text)(scope);

describe('function literals', () => {
  it('make closures over the scope they are evaluated in, called by position or by name', () => {
    expect(feel('{add: function(a, b) a + b, r: add(2, 3)}.r')).toBe(5);
    expect(feel('{add: function(a, b) a - b, r: add(b: 2, a: 10)}.r')).toBe(8);
    expect(feel('{k: 10, scale: function(x) x * k, r: scale(4)}.r')).toBe(40);
    expect(feel('{f: function(x) x + 1, r: for i in [1, 2] return f(i)}.r')).toEqual([2, 3]);
    // recursion through the context that holds the function
    expect(feel('{fac: function(n) if n <= 1 then 1 else n * fac(n - 1), r: fac(5)}.r')).toBe(120);
  });

  it('answer null for a call with the wrong number of arguments, and are values no arithmetic applies to', () => {
    expect(feel('{f: function(a) a, r: f(1, 2)}.r')).toBeNull();
    expect(feel('10 * (function(a) a)')).toBeNull();
    expect(feel('{f: function(a) a, r: f(z: 1)}.r')).toBeNull();
  });

  it('go to the built-ins that take one: sort and list replace', () => {
    expect(feel('sort([3, 1, 2], function(x, y) x > y)')).toEqual([3, 2, 1]);
    expect(feel('list replace([2, 4, 7, 8], function(item, newItem) item < newItem, 5)')).toEqual([5, 5, 7, 8]);
    expect(feel('sort([3, 1], function(x, y) "no")')).toBeNull();
  });

  it('a name that is not a local is still a built-in or an error in a cell', () => {
    expect(() => compileExpression('frobnicate(1)')).toThrow(CellSyntaxError);
  });
});

describe('instance of', () => {
  it('checks the built-in types; null is an instance of Null only', () => {
    expect(feel('[1 instance of number, "a" instance of string, true instance of boolean, @"2024-01-01" instance of date]')).toEqual([true, true, true, true]);
    expect(feel('[@"2024-01-01" instance of date and time, @"2024-01-01T10:00:00" instance of date and time]')).toEqual([false, true]);
    expect(feel('[@"P1D" instance of days and time duration, @"P1Y" instance of years and months duration, @"P1Y" instance of days and time duration]')).toEqual([true, true, false]);
    expect(feel('[null instance of Any, null instance of Null, null instance of number, 1 instance of Any]')).toEqual([false, true, false, true]);
    expect(feel('1 + 1 instance of number and true')).toBe(true);
  });

  it('checks list<…>, range<…>, context<…> structurally and function<…> -> … by its parameters', () => {
    expect(feel('[[1, 2] instance of list<number>, [1, "a"] instance of list<number>, 1 instance of list<number>]')).toEqual([true, false, false]);
    expect(feel('[[1..3] instance of range<number>, ["a".."c"] instance of range<number>]')).toEqual([true, false]);
    expect(feel('[{a: "x", b: 1} instance of context<a: string>, {a: "x"} instance of context<a: string, b: number>, {} instance of context<>]')).toEqual([true, false, true]);
    expect(feel('[(function(a: string, b: number) a) instance of function<string, number> -> Any, (function(a: string, b: string) a) instance of function<string> -> Any]')).toEqual([true, false]);
    // parameters are contravariant: a function taking any context takes one with more entries
    expect(feel('(function(a: context<a: string>) 1) instance of function<context<a: string, b: string>> -> Any')).toBe(true);
    expect(feel('(function(a: context<a: string, b: string>) 1) instance of function<context<a: string>> -> Any')).toBe(false);
  });

  it('refuses a type it does not know when the cell is compiled', () => {
    expect(() => compileExpression('1 instance of frobnicate')).toThrow(CellSyntaxError);
  });
});

describe('for, with ranges and partial results', () => {
  it('iterates a range written without brackets, up or down, and dates day by day', () => {
    expect(feel('for i in 2..4 return i')).toEqual([2, 3, 4]);
    expect(feel('for i in 1..-1 return i')).toEqual([1, 0, -1]);
    expect(feel('for i in 1+1..1+3 return i')).toEqual([2, 3, 4]);
    expect(feel('for d in @"1980-01-01"..@"1980-01-03" return string(d)')).toEqual(['1980-01-01', '1980-01-02', '1980-01-03']);
    expect(feel('for d in [@"1980-01-01"..@"1980-01-03"] return day of year(d)')).toEqual([1, 2, 3]);
    // A range in brackets is a range value, whose start may not lie after its end (DMN 1.5 10.3.2.7): no range, so
    // nothing to iterate; only the bare a..b of a for goes down.
    expect(feel('for d in [@"1980-01-03"..@"1980-01-01"] return day of year(d)')).toBeNull();
    expect(feel('for i in [2..1] return i')).toBeNull();
    expect(feel('[2..1]')).toBeNull();
    expect(feel('[1.."a"]')).toBeNull();
    expect(feel('2 in [1..3]')).toBe(true);
  });

  it('gives the body the results so far as partial', () => {
    expect(feel('for i in 0..4 return if i = 0 then 1 else i * partial[-1]')).toEqual([1, 1, 2, 6, 24]);
  });
});

describe('comments', () => {
  it('skips // to the end of the line and /* … */', () => {
    expect(feel('1 + /* 1 + */ 1')).toBe(2);
    expect(feel('1 + // eol comment\n 1')).toBe(2);
    expect(feel('10 / 2')).toBe(5);
    expect(() => compileExpression('1 + /* open')).toThrow(CellSyntaxError);
  });
});

describe('names with spaces', () => {
  it('may hold number words (`Extra days case 1`), read as one name when the name is known', () => {
    const f = compileExpression('max(Extra days case 1, Extra days case 2) + 1', { names: ['Extra days case 1', 'Extra days case 2'] });
    expect(f({ 'Extra days case 1': 4, 'Extra days case 2': 7 })).toBe(8);
    // an unknown name followed by a number is still an error, not a longer name
    expect(() => compileExpression('days 1', { names: ['days'] })).toThrow(CellSyntaxError);
  });
});

describe('calling a function value an expression gives', () => {
  it('calls a parenthesised function literal, a context entry by path, and a function a function returns', () => {
    expect(feel('(function(a) a + 1)(2)')).toBe(3);
    expect(feel('{m: {f: function(x) x * 2}, r: m.f(21)}.r')).toBe(42);
    expect(feel('{make: function(a) function(b) a * b, r: make(10)(3)}.r')).toBe(30);
    expect(feel('{m: {f: 1}, r: m.f(2)}.r')).toBeNull();
  });
});

describe('a comparison test in brackets is a range value (DMN 1.5 10.3.2.7)', () => {
  it('equals the same comparison only, not the interval it covers', () => {
    expect(feel('(< 10) = (< 10)')).toBe(true);
    expect(feel('(< 10) = (null..10)')).toBe(false);
    expect(feel('(= 10) = [10..10]')).toBe(false);
    expect(feel('(!= 10) = (!= 10)')).toBe(true);
    expect(feel('(<= 10) = (< 10)')).toBe(false);
  });

  it('holds the values the comparison accepts', () => {
    expect(feel('5 in (< 10)')).toBe(true);
    expect(feel('10 in (< 10)')).toBe(false);
    expect(feel('10 in (>= 10)')).toBe(true);
    expect(feel('3 in (!= 10)')).toBe(true);
    expect(feel('10 in (!= 10)')).toBe(false);
    expect(feel('includes((< 10), 3)')).toBe(true);
  });
});

describe('characters beyond U+FFFF', () => {
  it('are one character in a string, written or escaped as \\U and six hex digits, and may be names', () => {
    expect(feel('string length("\\U01F40E")')).toBe(1);
    expect(feel('"\\U01F40E" = "🐎"')).toBe(true);
    expect(feel('substring("\\U01F40Efoo", 2)')).toBe('foo');
    expect(feel('{🐎: "bar"}')).toEqual({ '🐎': 'bar' });
    expect(() => feel('"\\U11FFFF"')).toThrow(CellSyntaxError);
  });
});

describe('calling what is not a function', () => {
  it('parses, and is null (DMN 1.5 10.3.2.13)', () => {
    expect(feel('"abs"(-1)')).toBe(null);
    expect(feel('null()')).toBe(null);
    expect(feel('123()')).toBe(null);
    expect(feel('@"2023-11-11"()')).toBe(null);
  });
});

describe('context keys', () => {
  it('may hold more words and the name symbols + - * / . (DMN 1.5 grammar, names)', () => {
    expect(feel('{foo bar: "foo"}')).toEqual({ 'foo bar': 'foo' });
    expect(feel('{foo+bar: "foo"}')).toEqual({ 'foo+bar': 'foo' });
    expect(feel('{Extra days case 1: 2}')).toEqual({ 'Extra days case 1': 2 });
  });
});
