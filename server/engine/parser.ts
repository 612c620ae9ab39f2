// A recursive-descent parser for FEEL expressions (then-cells, defaults, literal decisions) and unary tests
// (when-cells). Errors are CellSyntaxErrors carrying the 1-based column of the offending token.
import type { Comparator, Expr, Test, UnaryTests } from './ast.ts';
import { MULTIWORD_NAMES } from './builtins.ts';
import { PROPERTY_NAMES } from './properties.ts';
import { CellSyntaxError } from './errors.ts';
import type { EngineMessageCode, MessageParams } from './messages.ts';
import { NAMED_TYPES, type FeelType } from './feel-types.ts';
import { MAX_LIST_ITEMS, RESERVED_NAMES } from './limits.ts';
import { tokenize, type Token } from './lexer.ts';
import { numberLiteral, temporalLiteral } from './literals.ts';
import { Dec } from './values.ts';


const COMPARATORS = new Set(['=', '!=', '<', '<=', '>', '>=']);

/** Deeper nesting than any policy cell needs; the limit keeps a hostile cell from exhausting the stack. */
export const MAX_NESTING = 100;

/** Ends the whole parse: unlike other errors, no alternative reading (interval or list) may swallow it. */
class TooDeep extends CellSyntaxError {}

const RESERVED = new Set(RESERVED_NAMES);

type Remembered = { expr: Expr; end: number } | { error: unknown };

class Parser {
  private pos = 0;
  private noFilter = 0;
  private depth = 0;
  /**
   * Bracketed primaries already parsed, by position. `[`, `(` and `]` may open an interval or a list/group, and the
   * parser tries the interval first: without this memory every nested bracket would be parsed twice, and n nested
   * brackets 2^n times.
   */
  private readonly bracketed = new Map<string, Remembered>();
  private readonly tokens: Token[];
  private readonly multiword: string[];

  constructor(
    text: string,
    knownNames: readonly string[],
    /** Named types `instance of` may use beside the built-in ones (a DMN model's item definitions). */
    private readonly typeNames: Readonly<Record<string, FeelType>> = {},
  ) {
    this.tokens = tokenize(text);
    this.multiword = [...MULTIWORD_NAMES, ...PROPERTY_NAMES, ...knownNames.filter((n) => /\s|[-+*/]/.test(n))];
  }

  private get tok(): Token {
    return this.tokens[this.pos]!;
  }

  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private is(text: string): boolean {
    const t = this.tok;
    return (t.type === 'punct' || t.type === 'name') && t.text === text;
  }

  private accept(text: string): boolean {
    if (this.is(text)) {
      this.pos++;
      return true;
    }
    return false;
  }

  private expect(text: string): Token {
    if (!this.is(text)) throw this.error('FEEL_EXPECTED_TOKEN', { token: text });
    return this.tokens[this.pos++]!;
  }

  private error(code: EngineMessageCode, params: MessageParams = {}, token: Token = this.tok): CellSyntaxError {
    if (token.type !== 'eof') params = { ...params, found: token.type === 'string' ? `"${token.text}"` : token.text };
    return new CellSyntaxError(code, params, token.column);
  }

  expectEnd(): void {
    if (this.tok.type !== 'eof') throw this.error('FEEL_UNEXPECTED_TEXT');
  }

  // ---- unary tests --------------------------------------------------------------------------------------------

  unaryTests(): UnaryTests {
    if (this.is('-') && this.peek().type === 'eof') {
      this.pos++;
      return { t: 'any' };
    }
    if (this.is('not') && this.peek().text === '(') {
      const save = this.pos;
      this.pos += 2;
      const tests = this.testList(')');
      this.expect(')');
      if (this.tok.type === 'eof') return { t: 'not', tests };
      this.pos = save; // `not(x) and y`: an ordinary expression after all
    }
    return { t: 'tests', tests: this.testList('eof') };
  }

  /** Counts one more item of a list, comma list, call or context; past MAX_LIST_ITEMS the cell is refused. */
  private more(items: unknown[]): void {
    if (items.length >= MAX_LIST_ITEMS) throw new TooDeep('FEEL_TOO_MANY_ITEMS', { limit: MAX_LIST_ITEMS }, this.tok.column);
  }

  private testList(end: string): Test[] {
    const tests = [this.positiveTest()];
    while (this.accept(',')) {
      this.more(tests);
      tests.push(this.positiveTest());
    }
    if (end === 'eof' ? this.tok.type !== 'eof' : !this.is(end)) {
      throw (end === 'eof' ? this.error('FEEL_EXPECTED_COMMA_OR_END') : this.error('FEEL_EXPECTED_COMMA_OR_TOKEN', { token: end }));
    }
    return tests;
  }

  positiveTest(): Test {
    const column = this.tok.column;
    if (this.tok.type === 'punct' && COMPARATORS.has(this.tok.text)) {
      const op = this.tok.text as Comparator;
      this.pos++;
      return { t: 'compare', op, e: this.endpoint(), column };
    }
    const range = this.tryInterval();
    if (range) {
      if (range.low === null || range.high === null) throw this.error('FEEL_INTERVAL_ENDPOINTS');
      return { t: 'range', lowClosed: range.lowClosed, low: range.low, high: range.high, highClosed: range.highClosed, column };
    }
    return { t: 'expr', e: this.expression(), column };
  }

  private endpoint(): Expr {
    return this.additive();
  }

  /** `[a..b]`, `(a..b)`, `]a..b[` and mixes; restores the position and returns null when it is not an interval. */
  private tryInterval(): Extract<Expr, { t: 'range' }> | null {
    if (!(this.is('[') || this.is('(') || this.is(']'))) return null;
    const save = this.pos;
    const column = this.tok.column;
    const lowClosed = this.tok.text === '[';
    this.pos++;
    let low: Expr;
    try {
      low = this.endpoint();
    } catch (err) {
      this.pos = save;
      if (err instanceof TooDeep || this.tokens[save + 1]?.type === 'eof') throw err;
      return null;
    }
    if (!this.accept('..')) {
      this.pos = save;
      return null;
    }
    // In `]1..5[` the `[` closes the interval; it must not be read as a filter on 5.
    this.noFilter++;
    let high: Expr;
    try {
      high = this.endpoint();
    } finally {
      this.noFilter--;
    }
    let highClosed: boolean;
    if (this.accept(']')) highClosed = true;
    else if (this.accept(')') || this.accept('[')) highClosed = false;
    else throw this.error('FEEL_EXPECTED_TOKEN', { token: ']' });
    return { t: 'range', lowClosed, low, high, highClosed, column };
  }

  // ---- expressions --------------------------------------------------------------------------------------------

  expression(): Expr {
    if (this.is('if')) return this.ifExpression();
    if ((this.is('some') || this.is('every')) && this.peek().type === 'name' && this.peek(2).text === 'in') return this.quantified();
    if (this.is('for') && this.peek().type === 'name' && this.peek(2).text === 'in') return this.forExpression();
    return this.disjunction();
  }

  private ifExpression(): Expr {
    const column = this.tok.column;
    this.expect('if');
    const cond = this.expression();
    this.expect('then');
    const then = this.expression();
    this.expect('else');
    return { t: 'if', cond, then, else: this.expression(), column };
  }

  private bindings(): [string, Expr][] {
    const out: [string, Expr][] = [];
    do {
      const name = this.tok;
      if (name.type !== 'name') throw this.error('FEEL_EXPECTED_NAME');
      this.pos++;
      this.expect('in');
      const column = this.tok.column;
      const source = this.disjunction();
      // `for i in 1..3`: an iteration over the integers from one end to the other (either way up).
      if (this.accept('..')) out.push([name.text, { t: 'range', lowClosed: true, low: source, high: this.disjunction(), highClosed: true, iteration: true, column }]);
      else out.push([name.text, source]);
    } while (this.accept(','));
    return out;
  }

  private quantified(): Expr {
    const column = this.tok.column;
    const kind = this.tok.text as 'some' | 'every';
    this.pos++;
    const bindings = this.bindings();
    this.expect('satisfies');
    return { t: 'quantified', kind, bindings, satisfies: this.expression(), column };
  }

  private forExpression(): Expr {
    const column = this.tok.column;
    this.expect('for');
    const bindings = this.bindings();
    this.expect('return');
    return { t: 'for', bindings, body: this.expression(), column };
  }

  private disjunction(): Expr {
    return this.chain(() => this.conjunction(), ['or']);
  }

  private conjunction(): Expr {
    return this.chain(() => this.comparison(), ['and']);
  }

  private comparison(): Expr {
    const l = this.additive();
    const column = this.tok.column;
    if (this.tok.type === 'punct' && COMPARATORS.has(this.tok.text)) {
      const op = this.tok.text as Comparator;
      this.pos++;
      return { t: 'compare', op, l, r: this.additive(), column };
    }
    if (this.accept('between')) {
      const low = this.additive();
      this.expect('and');
      return { t: 'between', e: l, low, high: this.additive(), column };
    }
    if (this.accept('in')) {
      let tests: Test[];
      const range = this.tryInterval();
      if (range) {
        if (range.low === null || range.high === null) throw this.error('FEEL_INTERVAL_ENDPOINTS');
        tests = [{ t: 'range', lowClosed: range.lowClosed, low: range.low, high: range.high, highClosed: range.highClosed, column: range.column }];
      } else if (this.accept('(')) {
        tests = this.testList(')');
        this.expect(')');
      } else {
        tests = [this.positiveTest()];
      }
      return { t: 'in', e: l, tests, column };
    }
    if (this.is('instance') && this.peek().text === 'of') {
      this.pos += 2;
      return { t: 'instance', e: l, type: this.type(), column };
    }
    return l;
  }

  /** A type of FEEL's type language: a built-in name (the longest multi-word one), or list<…>, range<…>, context<…>, function<…> -> …. */
  private type(): FeelType {
    if (this.tok.type !== 'name') throw this.error('FEEL_EXPECTED_TYPE');
    const word = this.tok.text;
    if ((word === 'list' || word === 'range') && this.peek().text === '<') {
      this.pos += 2;
      const of = this.type();
      this.expect('>');
      return { k: word, of };
    }
    if (word === 'context' && this.peek().text === '<') {
      this.pos += 2;
      const entries: [string, FeelType][] = [];
      if (!this.is('>')) {
        do {
          if (this.tok.type !== 'name' && this.tok.type !== 'string') throw this.error('FEEL_EXPECTED_CONTEXT_KEY');
          const key = this.tokens[this.pos++]!.text;
          this.expect(':');
          entries.push([key, this.type()]);
        } while (this.accept(','));
      }
      this.expect('>');
      return { k: 'context', entries };
    }
    if (word === 'function' && this.peek().text === '<') {
      this.pos += 2;
      const params: FeelType[] = [];
      if (!this.is('>')) {
        do params.push(this.type());
        while (this.accept(','));
      }
      this.expect('>');
      this.expect('-');
      this.expect('>');
      return { k: 'function', params, result: this.type() };
    }
    for (const name of [...NAMED_TYPES].sort((a, b) => b.length - a.length)) {
      const words = name.split(' ');
      if (words.every((w, i) => this.tokens[this.pos + i]?.type === 'name' && this.tokens[this.pos + i]!.text === w)) {
        this.pos += words.length;
        return { k: name } as FeelType;
      }
    }
    if (Object.hasOwn(this.typeNames, word)) {
      this.pos++;
      return this.typeNames[word]!;
    }
    throw this.error('FEEL_UNKNOWN_TYPE');
  }

  private additive(): Expr {
    return this.chain(() => this.multiplicative(), ['+', '-']);
  }

  private multiplicative(): Expr {
    return this.chain(() => this.power(), ['*', '/']);
  }

  private power(): Expr {
    return this.chain(() => this.unary(), ['**']);
  }

  /** `a op b op c …`, left-associative; every operator counts as one level of depth (see `deeper`). */
  private chain(operand: () => Expr, operators: readonly ('+' | '-' | '*' | '/' | '**' | 'and' | 'or')[]): Expr {
    let l = operand();
    const outer = this.depth;
    try {
      for (let op = this.operatorIn(operators); op; op = this.operatorIn(operators)) {
        this.deeper();
        const column = this.tok.column;
        this.pos++;
        const r = operand();
        l = op === 'and' || op === 'or' ? { t: op, l, r, column } : { t: 'arith', op, l, r, column };
      }
    } finally {
      this.depth = outer;
    }
    return l;
  }

  private operatorIn<T extends string>(operators: readonly T[]): T | undefined {
    return operators.find((op) => this.is(op));
  }

  private unary(): Expr {
    this.deeper();
    try {
      return this.unaryAtDepth();
    } finally {
      this.depth--;
    }
  }

  /**
   * One level more: a bracket, a minus sign or one more operator in a chain (`1+1+…` compiles to a tree as deep as
   * it is long). Compilation and evaluation recurse over the tree, so the limit protects them as well.
   */
  private deeper(): void {
    if (++this.depth > MAX_NESTING) throw new TooDeep('FEEL_NESTING_TOO_DEEP', { limit: MAX_NESTING }, this.tok.column);
  }

  private unaryAtDepth(): Expr {
    if (this.is('-')) {
      const column = this.tok.column;
      this.pos++;
      const e = this.unary();
      if (e.t === 'lit' && typeof e.value === 'number') return { t: 'lit', value: -e.value, column };
      if (e.t === 'lit' && e.value instanceof Dec) return { t: 'lit', value: e.value.neg(), column };
      return { t: 'neg', e, column };
    }
    return this.postfix(this.primary());
  }

  private postfix(e: Expr): Expr {
    for (;;) {
      const column = this.tok.column;
      if (this.is('.') && this.peek().type === 'name') {
        this.pos++;
        e = { t: 'path', e, key: this.name(), column };
      } else if (this.is('[') && this.noFilter === 0) {
        this.pos++;
        const filter = this.expression();
        this.expect(']');
        e = { t: 'filter', e, filter, column };
      } else if (this.is('(') && e.t === 'name') {
        e = this.call(e, e.column);
      } else if (this.is('(') && (e.t === 'path' || e.t === 'function' || e.t === 'apply' || e.t === 'call' || e.t === 'lit')) {
        // A literal called (`"abs"(-1)`, `null()`, `123()`) is no function: it parses, and the call is null (DMN 1.5 10.3.2.13).
        this.pos++;
        const args: Expr[] = [];
        if (!this.is(')')) {
          do {
            this.more(args);
            args.push(this.expression());
          } while (this.accept(','));
        }
        this.expect(')');
        e = { t: 'apply', e, args, column };
      } else {
        return e;
      }
    }
  }

  private call(callee: Expr, column: number): Expr {
    if (callee.t !== 'name') throw this.error('FEEL_ONLY_BUILTINS');
    this.expect('(');
    const args: Expr[] = [];
    let named: [string, Expr][] | null = null;
    if (!this.is(')')) {
      do {
        const key = this.parameterName();
        if (key !== null) {
          named ??= [];
          named.push([key, this.expression()]);
        } else {
          this.more(args);
          args.push(this.expression());
        }
      } while (this.accept(','));
    }
    this.expect(')');
    return { t: 'call', fn: callee.name, args, named, column };
  }

  private primary(): Expr {
    const tok = this.tok;
    const column = tok.column;
    switch (tok.type) {
      case 'number': {
        this.pos++;
        return { t: 'lit', value: numberLiteral(tok.text), column };
      }
      case 'string':
        this.pos++;
        return { t: 'lit', value: tok.text, column };
      case 'at': {
        this.pos++;
        const value = temporalLiteral(tok.text);
        if (value === null) throw new CellSyntaxError('FEEL_NOT_TEMPORAL', { text: tok.text }, column);
        return { t: 'lit', value, column };
      }
      case 'eof':
        throw this.error('FEEL_EXPECTED_VALUE');
      case 'punct':
        return this.punctPrimary(tok);
      case 'name':
        return this.namePrimary(tok);
    }
  }

  private punctPrimary(tok: Token): Expr {
    if (tok.text !== '(' && tok.text !== '[' && tok.text !== ']') return this.punctPrimaryOnce(tok);
    const key = `${this.pos}:${this.noFilter > 0 ? 1 : 0}`;
    let known = this.bracketed.get(key);
    if (!known) {
      try {
        known = { expr: this.punctPrimaryOnce(tok), end: this.pos };
      } catch (error) {
        known = { error };
      }
      this.bracketed.set(key, known);
    }
    if ('error' in known) throw known.error;
    this.pos = known.end;
    return known.expr;
  }

  private punctPrimaryOnce(tok: Token): Expr {
    const column = tok.column;
    if (tok.text === '?') {
      this.pos++;
      return { t: 'input', column };
    }
    if (tok.text === '(' || tok.text === '[' || tok.text === ']') {
      const range = this.tryInterval();
      if (range) return range;
    }
    if (tok.text === '(') {
      this.pos++;
      const op = this.tok.type === 'punct' && COMPARATORS.has(this.tok.text) ? (this.tok.text as Comparator) : undefined;
      if (op) {
        // `(< 10)`: a comparison test in brackets is a range value (DMN 1.5 10.3.2.7).
        this.pos++;
        const e = this.expression();
        this.expect(')');
        return { t: 'comparisonRange', op, e, column };
      }
      const e = this.expression();
      this.expect(')');
      return e;
    }
    if (tok.text === '[') {
      this.pos++;
      const items: Expr[] = [];
      if (!this.is(']')) {
        do {
          this.more(items);
          items.push(this.expression());
        } while (this.accept(','));
      }
      this.expect(']');
      return { t: 'list', items, column };
    }
    if (tok.text === '{') {
      this.pos++;
      const entries: [string, Expr][] = [];
      if (!this.is('}')) {
        do {
          const key = this.tok;
          if (key.type !== 'name' && key.type !== 'string') throw this.error('FEEL_EXPECTED_CONTEXT_KEY');
          if (RESERVED.has(key.text)) throw new TooDeep('FEEL_RESERVED_CONTEXT_KEY', { name: key.text }, key.column);
          this.more(entries);
          this.pos++;
          entries.push([this.contextKeyRest(key), this.expression()]);
        } while (this.accept(','));
      }
      this.expect('}');
      return { t: 'context', entries, column };
    }
    throw this.error('FEEL_EXPECTED_VALUE');
  }

  /**
   * The rest of a context key up to its `:`: a name key may hold more words and the name symbols `+ - * / .`
   * (`{foo bar: 1}`, `{foo+bar: 1}`, DMN 1.5 grammar rules 27–30); words are joined by one space, symbols as written.
   */
  private contextKeyRest(first: Token): string {
    let key = first.text;
    if (first.type === 'name') {
      while (!this.is(':')) {
        const t = this.tok;
        const symbol = t.type === 'punct' && ['+', '-', '*', '/', '.'].includes(t.text);
        if (t.type !== 'name' && t.type !== 'number' && !symbol) break;
        const prev = this.tokens[this.pos - 1]!;
        const adjacent = prev.column + prev.text.length === t.column;
        key += adjacent || symbol || /[+\-*/.]$/.test(key) ? t.text : ` ${t.text}`;
        this.pos++;
      }
    }
    this.expect(':');
    return key;
  }

  private namePrimary(tok: Token): Expr {
    const column = tok.column;
    switch (tok.text) {
      case 'true':
      case 'false':
        this.pos++;
        return { t: 'lit', value: tok.text === 'true', column };
      case 'null':
        this.pos++;
        return { t: 'lit', value: null, column };
      case 'function':
        if (this.peek().text === '(') return this.functionLiteral();
    }
    return { t: 'name', name: this.name(), column };
  }

  /**
   * A name at a name token, greedily joined with what follows into a known name: words with a space (`date and time`,
   * `Applicant Age`), and the additional name symbols - + * / written with no space around them (DMN 1.5 grammar rule
   * 30: `Pre-bureauRiskCategory`, `Date-Time`). Only a name of the scope joins, so `a-b` stays a subtraction unless
   * `a-b` is a name there, and `a - b` is always one.
   */
  private name(): string {
    let name = this.tok.text;
    this.pos++;
    let best = { name, pos: this.pos };
    let probe = this.pos;
    for (;;) {
      const next = this.tokens[probe];
      let joined: string;
      let after: number;
      if (next?.type === 'name' || next?.type === 'number') {
        joined = `${name} ${next.text}`;
        after = probe + 1;
      } else if (next?.type === 'punct' && '-+*/'.includes(next.text) && this.adjacent(probe - 1, probe) && this.adjacent(probe, probe + 1) && ['name', 'number'].includes(this.tokens[probe + 1]?.type ?? '')) {
        joined = `${name}${next.text}${this.tokens[probe + 1]!.text}`;
        after = probe + 2;
      } else break;
      if (!this.multiword.some((m) => m === joined || m.startsWith(joined))) break;
      name = joined;
      probe = after;
      if (this.multiword.includes(name)) best = { name, pos: probe };
    }
    this.pos = best.pos;
    return best.name;
  }

  /** Token `b` starts where token `a` ends (no space between them). */
  private adjacent(a: number, b: number): boolean {
    const ta = this.tokens[a];
    const tb = this.tokens[b];
    return ta !== undefined && tb !== undefined && ta.column + ta.text.length === tb.column;
  }

  /**
   * `function(a, b: number) body`. A parameter's type is kept for `instance of function<…>`, and a call converts
   * each argument to it (feel.ts compileFunction: one that does not conform makes the call null).
   */
  private functionLiteral(): Expr {
    const column = this.tok.column;
    this.pos += 2; // function (
    const params: string[] = [];
    const types: FeelType[] = [];
    if (!this.is(')')) {
      do {
        if (this.tok.type !== 'name') throw this.error('FEEL_EXPECTED_PARAMETER');
        this.more(params);
        params.push(this.name());
        types.push(this.accept(':') ? this.type() : { k: 'Any' });
      } while (this.accept(','));
    }
    this.expect(')');
    // Grammar rule 57: `external` before the body makes it a mapping (DMN 1.5 10.3.2.13.3). Not a reserved word:
    // read so only when a context, a parenthesis or a name follows (`function(x) external + 1` adds to a name).
    const after = this.peek();
    if (this.tok.type === 'name' && this.tok.text === 'external' && (after.text === '{' || after.text === '(' || after.type === 'name')) {
      this.pos++;
      return { t: 'function', params, types, body: this.expression(), external: true, column };
    }
    return { t: 'function', params, types, body: this.expression(), column };
  }

  /** `start position:` in a call: the parameter's name, past its colon; null (and nothing read) for a positional argument. */
  private parameterName(): string | null {
    if (this.tok.type !== 'name') return null;
    const save = this.pos;
    const name = this.name();
    if (this.accept(':')) return name;
    // A parameter name is a FEEL name (grammar rule 41), so it may hold spaces even when no function has it
    // (`decimal sep:`): such a call names an unknown parameter, which the call's check reports (or makes null).
    this.pos = save;
    const words: string[] = [];
    while (this.tok.type === 'name') {
      words.push(this.tok.text);
      this.pos++;
    }
    if (words.length > 1 && this.accept(':')) return words.join(' ');
    this.pos = save;
    return null;
  }
}

/** Parses an input entry (when-cell). `knownNames` lets names with spaces be recognised. */
export function parseUnaryTests(text: string, knownNames: readonly string[] = []): UnaryTests {
  if (text.trim() === '' ) return { t: 'any' };
  const p = new Parser(text, knownNames);
  const result = p.unaryTests();
  p.expectEnd();
  return result;
}

/** Parses an expression (then-cell, default, literal decision). */
export function parseExpression(text: string, knownNames: readonly string[] = [], typeNames: Readonly<Record<string, FeelType>> = {}): Expr {
  const p = new Parser(text, knownNames, typeNames);
  if (text.trim() === '') throw new CellSyntaxError('FEEL_EXPECTED_VALUE', {}, 1);
  const e = p.expression();
  p.expectEnd();
  return e;
}
