// Externally defined Java functions in FEEL (DMN 1.5 10.3.2.13.3), emulated: the methods of JAVA_METHODS answer as
// Java would, arguments Java would not take and Java's exceptions are null, and any other method is refused by name.
import { describe, expect, it } from 'vitest';
import { CellSyntaxError, compileFeelValue, feelValues } from './index.ts';
import { JAVA_METHODS } from './java-emulation.ts';

/** The JSON value of `fn(args…)` where fn maps to the Java method. */
function call(className: string, signature: string, params: string, args: string): unknown {
  const text = `{f: function(${params}) external {java: {class: "${className}", method signature: "${signature}"}}, r: f(${args})}.r`;
  return feelValues.toJson(compileFeelValue(text, { invalidCalls: 'null' })({}));
}

describe('Java methods Beslis emulates', () => {
  it('java.lang.Math on doubles, floats, ints and longs', () => {
    expect(call('java.lang.Math', 'max(double, double)', 'a, b', '123.45, 456.78')).toBe(456.78);
    expect(call('java.lang.Math', 'max(int,int)', 'a, b', '123, 456')).toBe(456);
    // A long keeps all its digits (a double would not: 2^53 + 1).
    expect(String(feelValues.toJson(compileFeelValue('{f: function(a, b) external {java: {class: "java.lang.Math", method signature: "min(long,long)"}}, r: string(f(-9007199254740993, 1))}.r')({})))).toBe('-9007199254740993');
    // A float result reads back with the float's own digits, not the double's (456.779998779296875).
    expect(call('java.lang.Math', 'max(float,float)', 'a, b', '123.46, 456.78')).toBe(456.78);
    expect(call('java.lang.Math', 'cos(double)', 'x', '0')).toBe(1);
    expect(call('java.lang.Math', 'pow(double,double)', 'x, y', '2, 10')).toBe(1024);
    expect(call('java.lang.Math', 'rint(double)', 'x', '2.5')).toBe(2);
    expect(call('java.lang.Math', 'abs(int)', 'x', '-7')).toBe(7);
  });

  it('the boxed types’ valueOf and parse methods, with Java’s NumberFormatException as null', () => {
    expect(call('java.lang.Short', 'valueOf(short)', 's', '123')).toBe(123);
    expect(call('java.lang.Byte', 'valueOf(byte)', 'b', '3')).toBe(3);
    expect(call('java.lang.Integer', 'valueOf(java.lang.String)', 's', '"-123"')).toBe(-123);
    expect(call('java.lang.Integer', 'parseInt(java.lang.String)', 's', '"12.5"')).toBeNull();
    expect(call('java.lang.Integer', 'valueOf(java.lang.String)', 's', '"2147483648"')).toBeNull();
    expect(call('java.lang.Float', 'valueOf(java.lang.String)', 's', '"1234.56"')).toBe(1234.56);
    expect(call('java.lang.Double', 'valueOf(java.lang.String)', 's', '" 1e3 "')).toBe(1000);
    // NaN parses in Java, but FEEL has no number for it.
    expect(call('java.lang.Double', 'valueOf(java.lang.String)', 's', '"NaN"')).toBeNull();
  });

  it('java.lang.String: valueOf a char or a number, and format with %s, %d, %% and %n', () => {
    expect(call('java.lang.String', 'valueOf(char)', 'c', '"a"')).toBe('a');
    expect(call('java.lang.String', 'valueOf(double)', 'd', '2')).toBe('2.0');
    expect(call('java.lang.String', 'format(java.lang.String, [Ljava.lang.Object;)', 's, x', '"foo %s", "bar"')).toBe('foo bar');
    expect(call('java.lang.String', 'format(java.lang.String, [Ljava.lang.Object;)', 's, x, y', '"%d%% of %s", 40, "them"')).toBe('40% of them');
    // A conversion not emulated (%x) is null rather than a guess.
    expect(call('java.lang.String', 'format(java.lang.String, [Ljava.lang.Object;)', 's, x', '"%x", 255')).toBeNull();
  });

  it('gives null for an argument Java would not take: a fraction for an int, a string of three chars for a char', () => {
    expect(call('java.lang.Math', 'max(int,int)', 'a, b', '1.5, 2')).toBeNull();
    expect(call('java.lang.Math', 'abs(int)', 'x', '2147483648')).toBeNull();
    expect(call('java.lang.String', 'valueOf(char)', 'c', '"abc"')).toBeNull();
    expect(call('java.lang.Math', 'cos(double)', 'x', '"0"')).toBeNull();
    expect(call('java.lang.Math', 'max(double,double)', 'a, b', '1')).toBeNull();
  });

  it('converts arguments to the FEEL parameters’ types first', () => {
    const text = '{f: function(x: number) external {java: {class: "java.lang.Math", method signature: "abs(double)"}}, r: [f([-2]), f("a")]}.r';
    expect(feelValues.toJson(compileFeelValue(text)({}))).toEqual([2, null]);
  });

  it('lists each method it emulates, by class, name and parameter types', () => {
    expect(JAVA_METHODS.has('java.lang.Math.max(double,double)')).toBe(true);
    expect(JAVA_METHODS.has('java.lang.String.format(String,Object...)')).toBe(true);
    expect(JAVA_METHODS.has('java.lang.System.exit(int)')).toBe(false);
  });
});

describe('Java methods Beslis does not emulate', () => {
  const refused = (className: string, signature: string) => () =>
    compileFeelValue(`function(a) external {java: {class: "${className}", method signature: "${signature}"}}`);

  it('are refused when the expression compiles, naming the method', () => {
    expect(refused('java.lang.Math', 'foo(double)')).toThrow(CellSyntaxError);
    expect(refused('java.lang.Math', 'foo(double)')).toThrow(/unknown function 'java\.lang\.Math\.foo\(double\)'/);
    expect(refused('java.lang.Foo', 'valueOf(double)')).toThrow(/java\.lang\.Foo\.valueOf\(double\)/);
    expect(refused('java.lang.Math', 'max(java.lang.String, java.lang.String)')).toThrow(/java\.lang\.Math\.max\(String,String\)/);
    expect(refused('java.lang.System', 'exit(int)')).toThrow(/System\.exit/);
    expect(() => compileFeelValue('function(a) external {pmml: {document: "d", model: "m"}}')).toThrow(/unknown function 'external/);
  });

  it('are null when the mapping is computed as the expression runs', () => {
    const fn = compileFeelValue('{m: {java: {class: c, method signature: "max(double,double)"}}, f: function(a, b) external m, r: f(1, 2)}.r', { names: ['c'] });
    expect(fn({ c: 'java.lang.Math' })).toBe(2);
    expect(fn({ c: 'java.lang.Runtime' })).toBeNull();
  });

  it('leave a name `external` alone where no mapping follows', () => {
    expect(feelValues.toJson(compileFeelValue('(function(external) external + 1)(2)')({}))).toBe(3);
  });
});
