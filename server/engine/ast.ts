// The syntax tree of FEEL expressions and unary tests, as the parser builds it and the compiler and analysis read it.
import type { FeelType } from './feel-types.ts';
import type { FeelValue } from './values.ts';

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Expr =
  | { t: 'lit'; value: FeelValue; column: number }
  | { t: 'name'; name: string; column: number }
  /** `?`: the value under test inside a unary test. */
  | { t: 'input'; column: number }
  | { t: 'neg'; e: Expr; column: number }
  | { t: 'arith'; op: '+' | '-' | '*' | '/' | '**'; l: Expr; r: Expr; column: number }
  | { t: 'compare'; op: Comparator; l: Expr; r: Expr; column: number }
  | { t: 'and' | 'or'; l: Expr; r: Expr; column: number }
  | { t: 'between'; e: Expr; low: Expr; high: Expr; column: number }
  | { t: 'in'; e: Expr; tests: Test[]; column: number }
  | { t: 'list'; items: Expr[]; column: number }
  | { t: 'context'; entries: [string, Expr][]; column: number }
  /** `iteration`: the `a..b` of a for expression (DMN 1.5 10.3.2.14), which may go down; any other range may not. */
  | { t: 'range'; lowClosed: boolean; low: Expr | null; high: Expr | null; highClosed: boolean; iteration?: true; column: number }
  /** `(< 10)`, `(= 10)`: a comparison test as a value, a range (DMN 1.5 10.3.2.7) that remembers its comparison. */
  | { t: 'comparisonRange'; op: Comparator; e: Expr; column: number }
  | { t: 'path'; e: Expr; key: string; column: number }
  | { t: 'filter'; e: Expr; filter: Expr; column: number }
  | { t: 'call'; fn: string; args: Expr[]; named: [string, Expr][] | null; column: number }
  | { t: 'if'; cond: Expr; then: Expr; else: Expr; column: number }
  | { t: 'quantified'; kind: 'some' | 'every'; bindings: [string, Expr][]; satisfies: Expr; column: number }
  | { t: 'for'; bindings: [string, Expr][]; body: Expr; column: number }
  /**
   * `function(a, b) a + b`: a function value (a closure over the scope it is evaluated in). `external`: the body is
   * the mapping of an externally defined function (`function(x) external {java: …}`, java-emulation.ts).
   */
  | { t: 'function'; params: string[]; types: FeelType[]; body: Expr; external?: true; column: number }
  | { t: 'instance'; e: Expr; type: FeelType; column: number }
  /** A call of the function value an expression gives: `(function(a) a + 1)(2)`, `m.f(1)`. */
  | { t: 'apply'; e: Expr; args: Expr[]; column: number };

/** One positive unary test: `< 5`, `[1..5]`, `"A"`, `null`, or any expression. */
export type Test =
  | { t: 'compare'; op: Comparator; e: Expr; column: number }
  | { t: 'range'; lowClosed: boolean; low: Expr; high: Expr; highClosed: boolean; column: number }
  | { t: 'expr'; e: Expr; column: number };

/** A whole input entry: `-`, `not(tests)`, or a comma list of tests (any may hold). */
export type UnaryTests = { t: 'any' } | { t: 'not'; tests: Test[] } | { t: 'tests'; tests: Test[] };
