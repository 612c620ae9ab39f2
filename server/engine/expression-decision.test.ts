// Decisions whose logic is a boxed expression, business knowledge models and decision services: compiled once,
// every name resolved and checked then (a problem names its place by JSON path and code), evaluated as a table is,
// explained step by step.
import { describe, expect, it } from 'vitest';
import { evaluateChain, type RequiredTables } from './chain.ts';
import { compileTable } from './compile.ts';
import { compileService } from './decision-service.ts';
import { LimitError } from './errors.ts';
import { compileExpressionDecision, type CompiledExpression } from './expression-decision.ts';
import { compileKnowledgeModel } from './knowledge-model.ts';
import { MAX_BOXED_DEPTH, MAX_BOXED_ENTRIES, MAX_KNOWLEDGE_CALL_DEPTH } from './limits.ts';
import { modelLibrary } from './model-library.ts';
import type { RequiredDocuments } from './model-requirements.ts';
import { ModelError } from './boxed-logic.ts';
import type { BoxedLogic, BusinessKnowledgeModel, CompiledTable, DecisionTable, ExpressionDecision, ParameterSet, PolicyDocument, Problem } from './types.ts';

const lit = (text: string): BoxedLogic => ({ kind: 'literal', text });

const categorie: DecisionTable = {
  id: 'alcohol.categorie',
  title: 'Categorie van de overtreding',
  inputs: [{ name: 'artikel', type: 'string' }],
  outputs: [{ name: 'categorie', type: 'string' }],
  rules: [
    { id: 'C1', when: { artikel: '"20"' }, then: { categorie: '"A"' } },
    { id: 'C2', when: { artikel: '"24"' }, then: { categorie: '"B"' } },
  ],
};

const bedragen2013: ParameterSet = {
  kind: 'parameters',
  id: 'alcohol.bedragen',
  version: 1,
  validFrom: '2013-01-01',
  title: 'Boetebedragen Alcoholwet',
  parameters: [
    { name: 'boete_A', type: 'number', value: 785, unit: 'EUR' },
    { name: 'boete_B', type: 'number', value: 1360, unit: 'EUR' },
  ],
};
const bedragen2024: ParameterSet = {
  ...bedragen2013,
  version: 2,
  validFrom: '2024-01-01',
  parameters: [
    { name: 'boete_A', type: 'number', value: 850, unit: 'EUR' },
    { name: 'boete_B', type: 'number', value: 1470, unit: 'EUR' },
  ],
};

const factor: BusinessKnowledgeModel = {
  kind: 'bkm',
  id: 'alcohol.factor',
  title: 'Factor naar omvang',
  name: 'factor',
  parameters: [{ name: 'werknemers', type: 'number' }],
  resultType: 'number',
  body: { kind: 'conditional', if: lit('werknemers > 50'), then: lit('2'), else: { kind: 'conditional', if: lit('werknemers > 10'), then: lit('1.5'), else: lit('1') } },
};

const boete: ExpressionDecision = {
  kind: 'expression',
  id: 'alcohol.boete',
  title: 'Boete',
  inputs: [
    { name: 'artikel', type: 'string' },
    { name: 'werknemers', type: 'number' },
  ],
  output: { name: 'boete', type: 'number' },
  requires: ['alcohol.categorie', 'alcohol.bedragen', 'alcohol.factor'],
  logic: {
    kind: 'context',
    entries: [
      { name: 'basis', type: 'number', value: { kind: 'conditional', if: lit('categorie = "A"'), then: lit('boete_A'), else: lit('boete_B') } },
      { name: 'maal', value: { kind: 'invocation', bkm: 'factor', bindings: { werknemers: lit('werknemers') } } },
      { value: lit('basis * maal') },
    ],
  },
};

/** Required documents from a list of documents, knowledge models compiled on the way. */
function library(...docs: PolicyDocument[]): RequiredDocuments {
  const byId = new Map(docs.map((d) => [d.id, d]));
  return modelLibrary((id) => byId.get(id)).required;
}

function problemsOf(compile: () => unknown): Problem[] {
  try {
    compile();
  } catch (err) {
    if (err instanceof ModelError) return err.details;
    throw err;
  }
  throw new Error('compiled without problems');
}

const expression = (logic: BoxedLogic, more: Partial<ExpressionDecision> = {}): ExpressionDecision => ({
  kind: 'expression',
  id: 'test.expressie',
  title: 'Test',
  inputs: [
    { name: 'a', type: 'number' },
    { name: 'naam', type: 'string', optional: true },
  ],
  output: { name: 'uitkomst', type: 'any' },
  logic,
  ...more,
});

const run = (logic: BoxedLogic, input: Record<string, unknown> = { a: 3 }, more: Partial<ExpressionDecision> = {}, docs: PolicyDocument[] = []) =>
  compileExpressionDecision(expression(logic, more), library(...docs)).evaluate(input).output;

describe('boxed expressions of every kind', () => {
  it('a literal, a list, a relation, a conditional', () => {
    expect(run(lit('a * 2 + 1'))).toEqual({ uitkomst: 7 });
    expect(run({ kind: 'list', items: [lit('a'), lit('a + 1'), { kind: 'list', items: [lit('"x"')] }] })).toEqual({ uitkomst: [3, 4, ['x']] });
    expect(run({ kind: 'relation', columns: ['naam', 'leeftijd'], rows: [[lit('"Ans"'), lit('a * 10')], [lit('"Bo"'), lit('12')]] })).toEqual({
      uitkomst: [
        { naam: 'Ans', leeftijd: 30 },
        { naam: 'Bo', leeftijd: 12 },
      ],
    });
    const cond: BoxedLogic = { kind: 'conditional', if: lit('a > 2'), then: lit('"groot"'), else: lit('"klein"') };
    expect(run(cond)).toEqual({ uitkomst: 'groot' });
    expect(run(cond, { a: 1 })).toEqual({ uitkomst: 'klein' });
  });

  it('a context: entries in order, each seeing the earlier ones; without a result entry the context itself', () => {
    expect(run({ kind: 'context', entries: [{ name: 'x', value: lit('a + 1') }, { name: 'y', value: lit('x * x') }, { value: lit('y - x') }] })).toEqual({ uitkomst: 12 });
    expect(run({ kind: 'context', entries: [{ name: 'x', value: lit('a + 1') }, { name: 'Volledige naam', value: lit('"T. " + naam') }] }, { a: 1, naam: 'Jansen' })).toEqual({
      uitkomst: { x: 2, 'Volledige naam': 'T. Jansen' },
    });
  });

  it('filter, for, some and every; a filter of a relation reads its columns by name', () => {
    const mensen: BoxedLogic = { kind: 'relation', columns: ['naam', 'leeftijd'], rows: [[lit('"Ans"'), lit('30')], [lit('"Bo"'), lit('12')], [lit('"Cas"'), lit('a * 20')]] };
    expect(run({ kind: 'filter', in: mensen, match: lit('leeftijd >= 18') })).toEqual({ uitkomst: [{ naam: 'Ans', leeftijd: 30 }, { naam: 'Cas', leeftijd: 60 }] });
    expect(run({ kind: 'filter', in: lit('[1, 2, 3, 4]'), match: lit('item > a') })).toEqual({ uitkomst: [4] });
    expect(run({ kind: 'for', variable: 'n', in: lit('[1, 2, 3]'), return: lit('n * a') })).toEqual({ uitkomst: [3, 6, 9] });
    expect(run({ kind: 'some', variable: 'n', in: lit('[1, 2, 3]'), satisfies: lit('n > a - 1') })).toEqual({ uitkomst: true });
    expect(run({ kind: 'every', variable: 'n', in: lit('[1, 2, 3]'), satisfies: lit('n > a - 1') })).toEqual({ uitkomst: false });
  });

  it('a function defined in a context and called by a later entry; a decision table on the names in scope', () => {
    const logic: BoxedLogic = {
      kind: 'context',
      entries: [
        { name: 'verdubbel', value: { kind: 'function', parameters: [{ name: 'x', type: 'number' }], body: lit('x * 2') } },
        {
          name: 'klasse',
          value: {
            kind: 'table',
            hitPolicy: 'FIRST',
            inputs: [{ name: 'a', type: 'number' }],
            outputs: [{ name: 'klasse', type: 'string' }],
            rules: [
              { id: 'R1', when: { a: '< 5' }, then: { klasse: '"laag"' } },
              { id: 'R2', when: {}, then: { klasse: '"hoog"' } },
            ],
          },
        },
        { value: lit('string(verdubbel(a)) + " " + klasse') },
      ],
    };
    expect(run(logic)).toEqual({ uitkomst: '6 laag' });
    expect(run(logic, { a: 8 })).toEqual({ uitkomst: '16 hoog' });
  });

  it('the declared output type converts the result: a date stays a date, typed', () => {
    const d = compileExpressionDecision(expression(lit('date("2024-01-01") + duration("P14D")'), { output: { name: 'frist', type: 'date' } }), library());
    expect(d.evaluate({ a: 1 }, { types: true })).toEqual({ output: { frist: '2024-01-15' }, matched: [], types: { '/frist': 'date' } });
  });
});

describe('names resolved when the document compiles', () => {
  it('an unknown name is refused at the literal, by JSON path and code', () => {
    const problems = problemsOf(() => compileExpressionDecision(expression({ kind: 'context', entries: [{ name: 'x', value: lit('a') }, { name: 'y', value: lit('x') }, { value: lit('x + onbekend') }] }), library()));
    expect(problems).toEqual([expect.objectContaining({ path: '/logic/entries/2/value/text', code: 'FEEL_UNKNOWN_NAME', params: { name: 'onbekend' }, column: 5 })]);
  });

  it('a context entry that uses a later entry is told so, naming where that entry is', () => {
    const problems = problemsOf(() => compileExpressionDecision(expression({ kind: 'context', entries: [{ name: 'x', value: lit('y + 1') }, { name: 'y', value: lit('a') }] }), library()));
    expect(problems).toEqual([expect.objectContaining({ path: '/logic/entries/0/value/text', code: 'BOXED_LATER_ENTRY', params: { name: 'y', at: '/logic/entries/1' } })]);
    expect(problems[0]!.message).toBe("'y' is a later entry of this context (at /logic/entries/1): an entry sees only the entries before it");
  });

  it('entries named twice, an unnamed entry before the last, an unknown kind, a condition that is no boolean', () => {
    const problems = problemsOf(() =>
      compileExpressionDecision(
        expression({
          kind: 'context',
          entries: [
            { name: 'x', value: lit('1') },
            { name: 'x', value: lit('2') },
            { value: lit('3') },
            { name: 'z', value: { kind: 'nonsense' } as unknown as BoxedLogic },
            { name: 'w', value: { kind: 'conditional', if: lit('"ja"'), then: lit('1'), else: lit('2') } },
          ],
        }),
        library(),
      ),
    );
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['/logic/entries/1/name', 'BOXED_DUPLICATE_ENTRY'],
      ['/logic/entries/2/name', 'BOXED_UNNAMED_ENTRY'],
      ['/logic/entries/3/value/kind', 'BOXED_UNKNOWN_KIND'],
      ['/logic/entries/4/value/if', 'BOXED_TYPE_MISMATCH'],
    ]);
  });

  it('a name in scope twice (a parameter named like an input), an unknown requirement', () => {
    const problems = problemsOf(() =>
      compileExpressionDecision(expression(lit('a'), { inputs: [{ name: 'boete_A', type: 'number' }], requires: ['alcohol.bedragen', 'bestaat.niet'] }), library(bedragen2013)),
    );
    expect(problems.map((p) => [p.path, p.code, p.params])).toEqual([
      ['/requires/0', 'BOXED_NAME_TWICE', { name: 'boete_A', at: '/inputs/0/name' }],
      ['/requires/1', 'BOXED_UNKNOWN_REQUIREMENT', { id: 'bestaat.niet' }],
      ['/logic/text', 'FEEL_UNKNOWN_NAME', { name: 'a' }],
    ]);
  });

  it('an invocation binding an unknown parameter, a binding of the wrong type, an unknown knowledge model', () => {
    const problems = problemsOf(() =>
      compileExpressionDecision(
        expression(
          {
            kind: 'list',
            items: [
              { kind: 'invocation', bkm: 'factor', bindings: { medewerkers: lit('a') } },
              { kind: 'invocation', bkm: 'factor', bindings: { werknemers: lit('"veel"') } },
              { kind: 'invocation', bkm: 'boete', bindings: {} },
            ],
          },
          { requires: ['alcohol.factor'] },
        ),
        library(factor),
      ),
    );
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['/logic/items/0/bindings/medewerkers', 'BOXED_UNKNOWN_PARAMETER'],
      ['/logic/items/1/bindings/werknemers', 'BOXED_TYPE_MISMATCH'],
      ['/logic/items/2/bkm', 'BOXED_UNKNOWN_KNOWLEDGE'],
    ]);
    expect(problems[0]!.message).toBe("'factor' has no parameter 'medewerkers': its parameters are werknemers");
  });

  it('a FEEL call of a knowledge model is checked: the number of arguments, named ones, their types', () => {
    const problems = problemsOf(() =>
      compileExpressionDecision(expression({ kind: 'list', items: [lit('factor(1, 2)'), lit('factor(mensen: 3)'), lit('factor("veel")'), lit('a(1)')] }, { requires: ['alcohol.factor'] }), library(factor)),
    );
    expect(problems.map((p) => [p.path, p.code])).toEqual([
      ['/logic/items/0/text', 'BOXED_ARGUMENT_COUNT'],
      ['/logic/items/1/text', 'BOXED_UNKNOWN_PARAMETER'],
      ['/logic/items/2/text', 'BOXED_TYPE_MISMATCH'],
      ['/logic/items/3/text', 'BOXED_NOT_A_FUNCTION'],
    ]);
  });

  it('the logic must give the output type where it is known', () => {
    const problems = problemsOf(() => compileExpressionDecision(expression(lit('"tekst"'), { output: { name: 'bedrag', type: 'number' } }), library()));
    expect(problems).toEqual([expect.objectContaining({ path: '/logic', code: 'BOXED_TYPE_MISMATCH', params: { actual: 'string', type: 'number' } })]);
  });

  it(`boxes nested deeper than ${MAX_BOXED_DEPTH} levels and more than ${MAX_BOXED_ENTRIES} entries are refused, named`, () => {
    let deep: BoxedLogic = lit('1');
    for (let i = 0; i < MAX_BOXED_DEPTH + 5; i++) deep = { kind: 'list', items: [deep] };
    const problems = problemsOf(() => compileExpressionDecision(expression(deep), library()));
    expect(problems).toEqual([expect.objectContaining({ code: 'BOXED_TOO_DEEP', path: `/logic${'/items/0'.repeat(MAX_BOXED_DEPTH)}` })]);
    let ok: BoxedLogic = lit('1');
    for (let i = 0; i < MAX_BOXED_DEPTH - 1; i++) ok = { kind: 'list', items: [ok] };
    expect(() => compileExpressionDecision(expression(ok), library())).not.toThrow();
    const wide: BoxedLogic = { kind: 'context', entries: Array.from({ length: MAX_BOXED_ENTRIES + 1 }, (_, i) => ({ name: `e${i}`, value: lit('1') })) };
    expect(problemsOf(() => compileExpressionDecision(expression(wide), library()))).toEqual([expect.objectContaining({ code: 'BOXED_TOO_MANY', path: '/logic/entries' })]);
  });
});

describe('a decision model: a table, a parameter set and a knowledge model required by an expression decision', () => {
  const docs = [categorie, bedragen2013, factor, boete];
  const compiled = compileExpressionDecision(boete, library(...docs));
  const tables = new Map<string, CompiledTable>([['alcohol.categorie', compileTable(categorie)]]);
  const required: RequiredTables = (id) => tables.get(id)!;

  it('the chain decides the table first and feeds its output; the parameters and the knowledge model do their part', () => {
    const result = evaluateChain(compiled, { artikel: '20', werknemers: 25 }, required);
    expect(result.output).toEqual({ boete: 1177.5 });
    expect(result.steps.map((s) => s.table.table.id)).toEqual(['alcohol.categorie', 'alcohol.boete']);
    expect(evaluateChain(compiled, { artikel: '24', werknemers: 3 }, required).output).toEqual({ boete: 1360 });
  });

  it('the parameter set version the evaluation uses gives the values (2013 and 2024), and a case never overrides a parameter', () => {
    const fed = { artikel: '20', categorie: 'A', werknemers: 60 };
    expect(compiled.evaluate(fed, { parameterSet: () => bedragen2013 }).output).toEqual({ boete: 1570 });
    expect(compiled.evaluate(fed, { parameterSet: () => bedragen2024 }).output).toEqual({ boete: 1700 });
    expect(compiled.evaluate({ ...fed, boete_A: 1 }, { parameterSet: () => bedragen2024 }).output).toEqual({ boete: 1700 });
  });

  it('the trace explains the logic: each entry, the knowledge model invoked with what', () => {
    const result = compiled.evaluate({ artikel: '20', categorie: 'A', werknemers: 25 }, { trace: true });
    expect(result.logic).toEqual([
      { document: 'alcohol.boete', path: '/logic/entries/0/value', kind: 'conditional', name: 'then', value: 785 },
      { document: 'alcohol.boete', path: '/logic/entries/0', kind: 'context', name: 'basis', value: 785 },
      { document: 'alcohol.factor', path: '/body/else', kind: 'conditional', name: 'then', value: 1.5 },
      { document: 'alcohol.factor', path: '/body', kind: 'conditional', name: 'else', value: 1.5 },
      { document: 'alcohol.factor', path: '/body', kind: 'call', knowledge: 'factor', arguments: { werknemers: 25 }, value: 1.5 },
      { document: 'alcohol.boete', path: '/logic/entries/1/value', kind: 'invocation', knowledge: 'factor', arguments: { werknemers: 25 }, value: 1.5 },
      { document: 'alcohol.boete', path: '/logic/entries/1', kind: 'context', name: 'maal', value: 1.5 },
      { document: 'alcohol.boete', path: '/logic/entries/2', kind: 'context', value: 1177.5 },
    ]);
    expect(compiled.evaluate({ artikel: '20', categorie: 'A', werknemers: 25 }).logic).toBeUndefined();
  });

  it("a case's inputs are checked as a table checks them", () => {
    expect(() => compiled.evaluate({ artikel: '20', categorie: 'A', werknemers: 'veel' })).toThrow("invalid input /werknemers: must be a number, got \"veel\"");
    expect(() => compiled.evaluate({ categorie: 'A', werknemers: 1 })).toThrow('invalid input /artikel: artikel is required');
  });
});

describe('business knowledge models', () => {
  const faculteit: BusinessKnowledgeModel = {
    kind: 'bkm',
    id: 'reken.faculteit',
    title: 'Faculteit',
    name: 'faculteit',
    parameters: [{ name: 'n', type: 'number' }],
    resultType: 'number',
    body: { kind: 'conditional', if: lit('n <= 1'), then: lit('1'), else: lit('n * faculteit(n - 1)') },
  };
  const use = (text: string, model: BusinessKnowledgeModel): CompiledExpression =>
    compileExpressionDecision(expression(lit(text), { requires: [model.id] }), library(model));

  it('a knowledge model is a FEEL function by its name, called by position or by name, and may call itself', () => {
    expect(use('faculteit(a)', faculteit).evaluate({ a: 10 }).output).toEqual({ uitkomst: 3628800 });
    expect(use('faculteit(n: a)', faculteit).evaluate({ a: 5 }).output).toEqual({ uitkomst: 120 });
  });

  it(`calls inside one another are held to ${MAX_KNOWLEDGE_CALL_DEPTH} levels: a recursion without end is a limit error`, () => {
    expect(use(`faculteit(${MAX_KNOWLEDGE_CALL_DEPTH})`, faculteit).evaluate({ a: 1 }).output).toEqual({ uitkomst: expect.any(Number) });
    const eindeloos: BusinessKnowledgeModel = { ...faculteit, id: 'reken.eindeloos', name: 'eindeloos', body: lit('eindeloos(n + 1)') };
    const d = use('eindeloos(1)', eindeloos);
    expect(() => d.evaluate({ a: 1 })).toThrow(LimitError);
    expect(() => d.evaluate({ a: 1 })).toThrow(`business knowledge models would call one another more than ${MAX_KNOWLEDGE_CALL_DEPTH} levels deep`);
  });

  it('its body is checked when it compiles: an unknown name, a result of the wrong type, a parameter named twice', () => {
    const bad: BusinessKnowledgeModel = { ...faculteit, parameters: [{ name: 'n', type: 'number' }, { name: 'n', type: 'string' }], body: { kind: 'list', items: [lit('m')] } };
    expect(problemsOf(() => compileKnowledgeModel(bad, library())).map((p) => [p.path, p.code])).toEqual([
      ['/parameters/1/name', 'BOXED_NAME_TWICE'],
      ['/body/items/0/text', 'FEEL_UNKNOWN_NAME'],
      ['/body', 'BOXED_TYPE_MISMATCH'],
    ]);
  });

  it('knowledge models that require one another in a cycle are refused, naming the cycle', () => {
    const a: BusinessKnowledgeModel = { ...faculteit, id: 'reken.a', name: 'a1', body: lit('b1(n)'), requires: ['reken.b'] };
    const b: BusinessKnowledgeModel = { ...faculteit, id: 'reken.b', name: 'b1', body: lit('a1(n)'), requires: ['reken.a'] };
    expect(problemsOf(() => compileExpressionDecision(expression(lit('a1(1)'), { requires: ['reken.a'] }), library(a, b)))).toEqual([
      expect.objectContaining({ code: 'BOXED_REQUIRES_CYCLE', params: { cycle: 'reken.a → reken.b → reken.a' } }),
    ]);
  });

  it('a knowledge model that uses a parameter set reads the version the evaluation uses', () => {
    const boeteVan: BusinessKnowledgeModel = { kind: 'bkm', id: 'alcohol.boetevan', title: 'Boete van', name: 'boete van', parameters: [{ name: 'cat', type: 'string' }], body: lit('if cat = "A" then boete_A else boete_B'), requires: ['alcohol.bedragen'] };
    const d = compileExpressionDecision(expression(lit('boete van("A")'), { requires: ['alcohol.boetevan'] }), library(boeteVan, bedragen2013));
    expect(d.evaluate({ a: 1 }).output).toEqual({ uitkomst: 785 });
    expect(d.evaluate({ a: 1 }, { parameterSet: (id) => (id === 'alcohol.bedragen' ? bedragen2024 : undefined) }).output).toEqual({ uitkomst: 850 });
  });
});

describe('decision services', () => {
  const compiledBoete = compileExpressionDecision(boete, library(categorie, bedragen2013, factor, boete));
  const decisions = new Map<string, CompiledTable>([
    ['alcohol.categorie', compileTable(categorie)],
    ['alcohol.boete', compiledBoete],
  ]);

  it('decides its output decisions and what they require from the inputs it is given', () => {
    const service = compileService(
      { kind: 'service', id: 'alcohol.dienst', title: 'Boetedienst', outputs: ['alcohol.categorie', 'alcohol.boete'], inputs: [{ name: 'artikel', type: 'string' }, { name: 'werknemers', type: 'number' }] },
      (id) => decisions.get(id),
    );
    const result = service.evaluate({ artikel: '24', werknemers: 80 });
    expect(result.output).toEqual({ categorie: 'B', boete: 2720 });
    // The table both outputs need is decided once.
    expect(result.steps.map((s) => s.table.table.id)).toEqual(['alcohol.categorie', 'alcohol.boete']);
  });

  it('an input decision is given by value, not decided', () => {
    const service = compileService(
      { kind: 'service', id: 'alcohol.dienst2', title: 'Boete bij categorie', outputs: ['alcohol.boete'], inputDecisions: ['alcohol.categorie'], inputs: [{ name: 'artikel', type: 'string' }, { name: 'werknemers', type: 'number' }] },
      (id) => decisions.get(id),
    );
    // Article 20 would be category A: the given B wins, as the caller decided it.
    expect(service.evaluate({ artikel: '20', werknemers: 1, categorie: 'B' }).output).toEqual({ boete: 1360 });
    expect(() => service.evaluate({ artikel: '20', werknemers: 1 })).toThrow('invalid input /categorie: categorie is required');
  });

  it('an output that is no decision is refused by its place', () => {
    expect(problemsOf(() => compileService({ kind: 'service', id: 'x.y', title: 'x', outputs: ['alcohol.geen'], inputs: [] }, (id) => decisions.get(id)))).toEqual([
      expect.objectContaining({ path: '/outputs/0', code: 'BOXED_NOT_A_DECISION' }),
    ]);
  });
});
