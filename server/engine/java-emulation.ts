// FEEL's externally defined Java functions (DMN 1.5 10.3.2.13.3: `function(x) external {java: {class: "…", method
// signature: "…"}}`, and a boxed function definition of kind "Java"), emulated: Beslis runs no JVM, so a fixed list of
// static methods of java.lang is written out here (JAVA_METHODS; the README lists them). Any other class or method is
// refused by name. Arguments are converted as Java would receive them (a FEEL number to a double, float, int, long,
// short or byte; a one-character string to a char; a string to a java.lang.String; the rest to an Object... varargs
// array) and the result back to FEEL (10.3.2.13.3's mapping of Java types: numbers, strings); an argument Java would
// not take (a fraction for an int, "abc" for a char, an int out of range) or an exception (NumberFormatException, a
// NaN or infinity FEEL cannot hold) is null.
import { Dec, isContext, isNumber, type FeelFunction, type FeelValue } from './values.ts';

type JavaType = 'double' | 'float' | 'int' | 'long' | 'short' | 'byte' | 'char' | 'String' | 'Object...';

/** Java's value of an argument: a JS number (double, float), a Dec (the integral types, exact), or a string. */
type JavaValue = number | Dec | string | FeelValue[];

const JAVA_TYPES: Readonly<Record<string, JavaType>> = {
  double: 'double',
  float: 'float',
  int: 'int',
  long: 'long',
  short: 'short',
  byte: 'byte',
  char: 'char',
  'java.lang.String': 'String',
  String: 'String',
  '[Ljava.lang.Object;': 'Object...',
  'java.lang.Object...': 'Object...',
};

const INTEGRAL: Readonly<Record<string, [bigint, bigint]>> = {
  byte: [-(2n ** 7n), 2n ** 7n - 1n],
  short: [-(2n ** 15n), 2n ** 15n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** A FEEL value as Java receives it for a parameter type; undefined when Java would not take it. */
function toJava(v: FeelValue, type: JavaType): JavaValue | undefined {
  switch (type) {
    case 'double':
      return isNumber(v) ? Number(v.valueOf()) : undefined;
    case 'float':
      return isNumber(v) ? Math.fround(Number(v.valueOf())) : undefined;
    case 'char':
      // A Java char is one UTF-16 unit.
      return typeof v === 'string' && v.length === 1 ? v : undefined;
    case 'String':
      return typeof v === 'string' ? v : undefined;
    case 'Object...':
      return undefined; // gathered from the rest of the arguments (javaFunction)
    default: {
      if (!isNumber(v)) return undefined;
      const d = new Dec(v);
      if (!d.isInteger()) return undefined;
      const [min, max] = INTEGRAL[type]!;
      const n = BigInt(d.toFixed(0));
      return n < min || n > max ? undefined : d;
    }
  }
}

/** The shortest decimal that reads back as the same float (Java's Float.toString digits): 456.78f is 456.78. */
function floatToFeel(f: number): FeelValue {
  if (!Number.isFinite(f)) return null;
  for (let p = 1; p <= 9; p++) {
    const text = f.toPrecision(p);
    if (Math.fround(Number(text)) === f) return new Dec(text);
  }
  return new Dec(f);
}

const doubleToFeel = (d: number): FeelValue => (Number.isFinite(d) ? d : null);

/** Java's parse of a decimal floating-point string (Double.valueOf); undefined for what throws NumberFormatException. */
function parseJavaFloat(s: string): number | undefined {
  // Java trims characters up to U+0020 and takes an optional f/F/d/D suffix. NaN and Infinity parse, but FEEL has
  // no number for them: the caller makes those null. Hexadecimal floating-point strings are not emulated.
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  const t = s.slice(start, end);
  if (/^[+-]?(NaN|Infinity)$/.test(t)) return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(t)) return undefined;
  return Number(t.replace(/[fFdD]$/, ''));
}

/** Java's parse of an integer string (Integer.valueOf, Long.valueOf); undefined when it throws. */
function parseJavaInt(s: string, type: 'int' | 'long'): Dec | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = BigInt(s);
  const [min, max] = INTEGRAL[type]!;
  return n < min || n > max ? undefined : new Dec(s);
}

/** String.format with %s, %d, %% and %n (the conversions emulated); any other conversion is null. */
function javaFormat(format: string, args: FeelValue[]): FeelValue {
  let next = 0;
  let failed = false;
  const out = format.replace(/%([sdn%])|%./g, (_, c: string | undefined) => {
    if (c === '%') return '%';
    if (c === 'n') return '\n';
    if (c === undefined) {
      failed = true;
      return '';
    }
    const v = next < args.length ? args[next++]! : undefined;
    if (v === undefined) failed = true; // MissingFormatArgumentException
    else if (c === 'd') {
      if (isNumber(v) && new Dec(v).isInteger()) return new Dec(v).toFixed(0);
      failed = true; // IllegalFormatConversionException
    } else if (v === null || typeof v === 'string' || typeof v === 'boolean' || isNumber(v)) return v === null ? 'null' : String(v.valueOf());
    else failed = true; // an Object whose toString Beslis does not know
    return '';
  });
  return failed ? null : out;
}

const maxOf = (a: JavaValue, b: JavaValue) => (a instanceof Dec && b instanceof Dec ? Dec.max(a, b) : Math.max(a as number, b as number));
const minOf = (a: JavaValue, b: JavaValue) => (a instanceof Dec && b instanceof Dec ? Dec.min(a, b) : Math.min(a as number, b as number));

/** What a method gives back, by its Java result type, as FEEL. */
function resultOf(v: JavaValue, type: JavaType): FeelValue {
  if (typeof v === 'string' || v instanceof Dec) return v;
  if (typeof v !== 'number') return null;
  return type === 'float' ? floatToFeel(v) : doubleToFeel(v);
}

type Body = (args: JavaValue[]) => JavaValue | undefined;

interface JavaMethod {
  params: JavaType[];
  /** The Java result type when it is not the parameters' (float results read back as floats). */
  result: JavaType;
  body: Body;
}

const unary = (f: (x: number) => number): Body => ([x]) => f(x as number);
const binary = (f: (x: number, y: number) => number): Body => ([x, y]) => f(x as number, y as number);

/** java.lang.Math's methods for each of the types Java overloads them on. */
function overloads(name: string, types: readonly JavaType[], arity: 1 | 2, body: Body): [string, JavaMethod][] {
  return types.map((t) => [`java.lang.Math.${name}(${Array(arity).fill(t).join(',')})`, { params: Array<JavaType>(arity).fill(t), result: t, body }]);
}

const NUMERIC: readonly JavaType[] = ['double', 'float', 'int', 'long'];

/**
 * Every method emulated, by `class.method(parameter types)` (types as Java's reflection names them). java.lang.Math:
 * abs, max, min (double, float, int, long); the double functions sin, cos, tan, asin, acos, atan, exp, log, log10,
 * sqrt, cbrt, floor, ceil, rint, signum, toDegrees, toRadians, atan2, pow, hypot. The boxed types' parsers and
 * valueOf: Byte/Short.valueOf of their primitive, Integer/Long.valueOf and parseInt/parseLong of a String,
 * Float/Double.valueOf and parseFloat/parseDouble of a String. java.lang.String: valueOf(char), valueOf(int),
 * valueOf(long), valueOf(double), format(String, Object...).
 */
export const JAVA_METHODS: ReadonlyMap<string, JavaMethod> = new Map<string, JavaMethod>([
  ...overloads('abs', NUMERIC, 1, ([x]) => {
    if (x instanceof Dec) return x.abs();
    return Math.abs(x as number);
  }),
  ...overloads('max', NUMERIC, 2, ([a, b]) => maxOf(a!, b!)),
  ...overloads('min', NUMERIC, 2, ([a, b]) => minOf(a!, b!)),
  ...(
    [
      ['sin', Math.sin],
      ['cos', Math.cos],
      ['tan', Math.tan],
      ['asin', Math.asin],
      ['acos', Math.acos],
      ['atan', Math.atan],
      ['exp', Math.exp],
      ['log', Math.log],
      ['log10', Math.log10],
      ['sqrt', Math.sqrt],
      ['cbrt', Math.cbrt],
      ['floor', Math.floor],
      ['ceil', Math.ceil],
      // Java's rint rounds half to even; Math.round in JS rounds half up.
      ['rint', (x: number) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x))],
      ['signum', Math.sign],
      ['toDegrees', (x: number) => (x * 180) / Math.PI],
      ['toRadians', (x: number) => (x / 180) * Math.PI],
    ] as const
  ).map(([name, f]): [string, JavaMethod] => [`java.lang.Math.${name}(double)`, { params: ['double'], result: 'double', body: unary(f) }]),
  ...(
    [
      ['atan2', Math.atan2],
      ['pow', Math.pow],
      ['hypot', Math.hypot],
    ] as const
  ).map(([name, f]): [string, JavaMethod] => [`java.lang.Math.${name}(double,double)`, { params: ['double', 'double'], result: 'double', body: binary(f) }]),
  ['java.lang.Byte.valueOf(byte)', { params: ['byte'], result: 'byte', body: ([x]) => x }],
  ['java.lang.Short.valueOf(short)', { params: ['short'], result: 'short', body: ([x]) => x }],
  ...(['java.lang.Integer.valueOf', 'java.lang.Integer.parseInt'] as const).map((m): [string, JavaMethod] => [
    `${m}(String)`,
    { params: ['String'], result: 'int', body: ([s]) => parseJavaInt(s as string, 'int') },
  ]),
  ...(['java.lang.Long.valueOf', 'java.lang.Long.parseLong'] as const).map((m): [string, JavaMethod] => [
    `${m}(String)`,
    { params: ['String'], result: 'long', body: ([s]) => parseJavaInt(s as string, 'long') },
  ]),
  ...(['java.lang.Float.valueOf', 'java.lang.Float.parseFloat'] as const).map((m): [string, JavaMethod] => [
    `${m}(String)`,
    { params: ['String'], result: 'float', body: ([s]) => { const f = parseJavaFloat(s as string); return f === undefined ? undefined : Math.fround(f); } },
  ]),
  ...(['java.lang.Double.valueOf', 'java.lang.Double.parseDouble'] as const).map((m): [string, JavaMethod] => [
    `${m}(String)`,
    { params: ['String'], result: 'double', body: ([s]) => parseJavaFloat(s as string) },
  ]),
  ['java.lang.String.valueOf(char)', { params: ['char'], result: 'String', body: ([c]) => c }],
  ...(['int', 'long'] as const).map((t): [string, JavaMethod] => [`java.lang.String.valueOf(${t})`, { params: [t], result: 'String', body: ([x]) => (x as Dec).toFixed(0) }]),
  ['java.lang.String.valueOf(double)', { params: ['double'], result: 'String', body: ([x]) => javaDoubleText(x as number) }],
  ['java.lang.String.format(String,Object...)', { params: ['String', 'Object...'], result: 'String', body: ([f, rest]) => javaFormatResult(f as string, rest as FeelValue[]) }],
]);

function javaFormatResult(format: string, args: FeelValue[]): string | undefined {
  const out = javaFormat(format, args);
  return typeof out === 'string' ? out : undefined;
}

/** Double.toString: the shortest digits, with a `.0` on whole numbers and an `E` exponent outside 10^-3..10^7. */
function javaDoubleText(d: number): string | undefined {
  if (!Number.isFinite(d)) return Number.isNaN(d) ? 'NaN' : d > 0 ? 'Infinity' : '-Infinity';
  const abs = Math.abs(d);
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [m, e] = d.toExponential().split('e');
  return `${m!.includes('.') ? m : `${m}.0`}E${Number(e)}`;
}

/** `max(double, double)` → `max(double,double)`, with java.lang.String as String: the key JAVA_METHODS uses. */
function methodKey(className: string, signature: string): string | null {
  const m = /^\s*([\w$]+)\s*\(([^)]*)\)\s*$/.exec(signature);
  if (!m) return null;
  const params = m[2]!.trim() === '' ? [] : m[2]!.split(',').map((p) => p.trim());
  const types = params.map((p) => JAVA_TYPES[p]);
  if (types.some((t) => t === undefined)) return `${className.trim()}.${m[1]}(${params.join(',')})`;
  return `${className.trim()}.${m[1]}(${types.join(',')})`;
}

/** Why a mapping is refused: the method Beslis does not emulate, named. */
export class JavaRefusal {
  constructor(readonly method: string) {}
}

/**
 * The FEEL function for a Java mapping (its class and method signature), with `arity` FEEL parameters; a JavaRefusal
 * naming the method when it is not one Beslis emulates.
 */
export function javaFunction(className: string, signature: string, arity: number): FeelFunction | JavaRefusal {
  const key = methodKey(className, signature);
  const method = key === null ? undefined : JAVA_METHODS.get(key);
  if (!method) return new JavaRefusal(key ?? `${className}.${signature}`);
  const varargs = method.params[method.params.length - 1] === 'Object...';
  const fixed = varargs ? method.params.length - 1 : method.params.length;
  return (...args: FeelValue[]) => {
    // The FEEL function's own parameters decide the count (10.3.2.13.3); Java then needs as many as it declares.
    if (args.length !== arity || (varargs ? args.length < fixed : args.length !== fixed)) return null;
    const java: JavaValue[] = [];
    for (let i = 0; i < fixed; i++) {
      const v = toJava(args[i]!, method.params[i]!);
      if (v === undefined) return null;
      java.push(v);
    }
    if (varargs) java.push(args.slice(fixed));
    const out = method.body(java);
    return out === undefined ? null : resultOf(out, method.result);
  };
}

/** A mapping context `{java: {class, method signature}}` (FEEL) or `{class, method signature}` (a boxed Java function). */
export function javaMappingOf(v: FeelValue, boxed: boolean): { className: string; signature: string } | null {
  const ctx = (x: FeelValue) => (isContext(x) ? x : null);
  const outer = ctx(v);
  const java = boxed ? outer : outer && ctx(outer.java ?? null);
  const className = java?.class;
  const signature = java?.['method signature'];
  return typeof className === 'string' && typeof signature === 'string' ? { className, signature } : null;
}
