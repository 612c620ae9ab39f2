// Property-based differential test: generated tables (columns of type string-enum, number, boolean and date; cells
// from the whole cell grammar; any hit policy and aggregation) and generated cases. The compiled engine and the
// json-rules-engine export must agree on every case: the same matched rules and outputs, or the same error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Aggregation, DecisionTable, HitPolicy, InputColumn, OutputColumn, Rule } from '../../server/engine/types.ts';
import { compare } from './harness.ts';

type Kind = 'enum' | 'number' | 'boolean' | 'date';
interface Col {
  kind: Kind;
  optional: boolean;
  withValues: boolean;
}
interface Named extends Col {
  name: string;
}

const NAMES = ['gedrag', 'max bedrag', 'c_3', 'd4'];
const ENUM = ['A', 'B', 'C', 'D'];
const NUMS = [-1, 0, 1, 2, 2.5, 3, 10];
// Years from 1000 on: the engine reads years 0–99 as 1900–1999 (reported separately), which is not what this tests.
const DATES = ['1999-12-31', '2024-01-01', '2024-02-29', '2024-03-01'];
const POLICIES: HitPolicy[] = ['UNIQUE', 'ANY', 'PRIORITY', 'FIRST', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];

const colArb: fc.Arbitrary<Col> = fc.record({
  kind: fc.constantFrom<Kind>('enum', 'number', 'boolean', 'date'),
  optional: fc.boolean(),
  withValues: fc.boolean(),
});

function literal(kind: Kind): fc.Arbitrary<string> {
  switch (kind) {
    case 'enum':
      return fc.constantFrom(...ENUM).map((s) => JSON.stringify(s));
    case 'number':
      return fc.constantFrom(...NUMS).map(String);
    case 'boolean':
      return fc.constantFrom('true', 'false');
    case 'date':
      return fc.constantFrom(...DATES).map((d) => `date("${d}")`);
  }
}

const ORDERED: Kind[] = ['enum', 'number', 'date'];

/** One positive unary test: a literal, a comparison or an interval. */
function positive(kind: Kind): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 4, arbitrary: literal(kind) },
    { weight: 1, arbitrary: fc.constant('null') },
    { weight: 2, arbitrary: fc.tuple(fc.constantFrom('=', '!='), literal(kind)).map(([op, v]) => `${op} ${v}`) },
  ];
  if (ORDERED.includes(kind)) {
    options.push(
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom('<', '<=', '>', '>='), literal(kind)).map(([op, v]) => `${op} ${v}`) },
      {
        weight: 3,
        arbitrary: fc
          .tuple(fc.constantFrom('[', '(', ']'), literal(kind), literal(kind), fc.constantFrom(']', ')', '['))
          .map(([a, lo, hi, b]) => `${a}${lo}..${hi}${b}`),
      },
    );
  }
  return fc.oneof(...options);
}

/** A when-cell for column `c` of the table's columns; `odd` tables also get cells only the FEEL evaluator runs. */
function cell(c: Named, cols: Named[], odd: boolean): fc.Arbitrary<string> {
  const others = cols.filter((o) => o.name !== c.name);
  const list = fc.array(positive(c.kind), { minLength: 1, maxLength: 3 }).map((l) => l.join(', '));
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 6, arbitrary: fc.constant('-') },
    { weight: 6, arbitrary: positive(c.kind) },
    { weight: 3, arbitrary: list },
    { weight: 3, arbitrary: list.map((l) => `not(${l})`) },
  ];
  if (others.length > 0) {
    // Names of other inputs: of the same kind, or a boolean (which decides by itself); any kind in `odd` tables.
    const sameKind = others.filter((o) => o.kind === c.kind);
    const bare = odd ? others : others.filter((o) => o.kind === c.kind || o.kind === 'boolean');
    const compared = odd ? others : sameKind;
    const ops = ORDERED.includes(c.kind) ? ['= ', '!= ', '< ', '>= '] : ['= ', '!= '];
    if (bare.length > 0) {
      const names = fc.constantFrom(...bare).map((o) => o.name);
      options.push({ weight: 2, arbitrary: names }, { weight: 1, arbitrary: names.map((n) => `not(${n})`) });
    }
    if (compared.length > 0) {
      const names = fc.constantFrom(...compared).map((o) => o.name);
      options.push({ weight: 2, arbitrary: fc.tuple(fc.constantFrom(...ops), names).map(([op, n]) => `${op}${n}`) });
    }
    if (ORDERED.includes(c.kind) && sameKind.length > 0) {
      const names = fc.constantFrom(...sameKind).map((o) => o.name);
      options.push({ weight: 1, arbitrary: fc.tuple(names, literal(c.kind)).map(([n, v]) => `[${v}..${n}]`) });
      options.push({ weight: 1, arbitrary: fc.tuple(names, literal(c.kind)).map(([n, v]) => `not((${n}..${v}))`) });
    }
  }
  if (odd) {
    // A literal of another kind (`"A"` in a number column): the export carries it for the FEEL evaluator.
    const other = (['enum', 'number', 'boolean', 'date'] as Kind[]).filter((k) => k !== c.kind);
    options.push({ weight: 2, arbitrary: fc.constantFrom(...other).chain(literal) });
  }
  return fc.oneof(...options);
}

type OutKind = 'number' | 'string' | 'boolean';
const OUT_STRINGS = ['x', 'y', 'z'];

function thenCell(kind: OutKind, cols: Named[]): fc.Arbitrary<string> {
  const ofKind = (k: Kind) => cols.filter((c) => c.kind === k).map((c) => c.name);
  const options: fc.Arbitrary<string>[] = [fc.constant('null')];
  if (kind === 'number') {
    options.push(fc.constantFrom(...NUMS).map(String), fc.constant('0.1 + 0.2'));
    const nums = ofKind('number');
    if (nums.length > 0) {
      const n = fc.constantFrom(...nums);
      options.push(n, n.map((x) => `${x} * 1.5`), n.map((x) => `-${x} + 0.1`), n.map((x) => `10 / ${x}`));
    }
  } else if (kind === 'string') {
    options.push(fc.constantFrom(...OUT_STRINGS).map((s) => JSON.stringify(s)));
    const enums = ofKind('enum');
    if (enums.length > 0) options.push(fc.constantFrom(...enums), fc.constantFrom(...enums).map((e) => `"p" + ${e}`));
    const dates = ofKind('date');
    if (dates.length > 0) options.push(fc.constantFrom(...dates));
  } else {
    options.push(fc.constantFrom('true', 'false'));
    const bools = ofKind('boolean');
    if (bools.length > 0) options.push(fc.constantFrom(...bools));
  }
  return fc.oneof(...options);
}

interface Spec {
  cols: Named[];
  outs: { name: string; kind: OutKind; values: boolean }[];
  policy: HitPolicy;
  aggregation: Aggregation | null;
  /** Whether cells may compare values of different kinds (only the FEEL evaluator runs those). */
  odd: boolean;
}

const specArb: fc.Arbitrary<Spec> = fc
  .record({
    cols: fc.array(colArb, { minLength: 1, maxLength: 4 }),
    outs: fc.array(fc.record({ kind: fc.constantFrom<OutKind>('number', 'string', 'boolean'), values: fc.boolean() }), { minLength: 1, maxLength: 2 }),
    policy: fc.constantFrom(...POLICIES),
    aggregation: fc.option(fc.constantFrom<Aggregation>('SUM', 'MIN', 'MAX', 'COUNT'), { freq: 2 }),
    odd: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 4, arbitrary: fc.constant(false) }),
  })
  .map(({ cols, outs, policy, aggregation, odd }) => {
    const agg = policy === 'COLLECT' ? aggregation : null;
    const outputs = (agg ? outs.slice(0, 1) : outs).map((o, i) => ({ ...o, name: `uit${i}`, kind: agg === 'SUM' ? ('number' as const) : o.kind }));
    return { cols: cols.map((c, i) => ({ ...c, name: NAMES[i]! })), outs: outputs, policy, aggregation: agg, odd };
  });

function inputColumn(c: Named): InputColumn {
  const type = c.kind === 'enum' ? 'string' : c.kind;
  const col: InputColumn = { name: c.name, type };
  if (c.optional) col.optional = true;
  if (c.withValues && c.kind === 'enum') col.values = ENUM;
  if (c.withValues && c.kind === 'number') col.values = NUMS;
  return col;
}

function outputValues(kind: OutKind): OutputColumn['values'] {
  return kind === 'number' ? [10, 3, 1, 0] : kind === 'string' ? ['z', 'x', 'y'] : [true, false];
}

function caseValue(c: Named): fc.Arbitrary<unknown> {
  const valid: Record<Kind, fc.Arbitrary<unknown>> = {
    enum: fc.constantFrom(...ENUM),
    number: fc.oneof(fc.constantFrom(...NUMS), fc.constantFrom(0.5, 2.4, 5, -0)),
    boolean: fc.boolean(),
    date: fc.oneof(fc.constantFrom(...DATES), fc.constantFrom('2023-12-31', '2024-02-28', '02024-01-01')),
  };
  const wrong: Record<Kind, unknown> = { enum: 7, number: '1', boolean: 'ja', date: '2024-02-30' };
  return fc.oneof(
    { weight: 12, arbitrary: valid[c.kind] },
    { weight: c.optional ? 3 : 1, arbitrary: fc.constantFrom(null, undefined) },
    { weight: 1, arbitrary: fc.constant(c.kind === 'enum' ? 'E' : wrong[c.kind]) },
  );
}

const tableAndCases = specArb.chain((spec) => {
  const ruleArb = fc.record({
    when: fc.tuple(...spec.cols.map((c) => cell(c, spec.cols, spec.odd))),
    then: fc.tuple(...spec.outs.map((o) => thenCell(o.kind, spec.cols))),
  });
  const caseArb = fc.tuple(...spec.cols.map(caseValue)).map((vals) => {
    const input: Record<string, unknown> = {};
    spec.cols.forEach((c, i) => {
      if (vals[i] !== undefined) input[c.name] = vals[i];
    });
    return input;
  });
  return fc.record({
    rules: fc.array(ruleArb, { minLength: 0, maxLength: 10 }),
    defaults: fc.tuple(...spec.outs.map((o) => fc.option(thenCell(o.kind, spec.cols), { freq: 3 }))),
    cases: fc.array(caseArb, { minLength: 1, maxLength: 12 }),
  }).map(({ rules, defaults, cases }) => {
    const table: DecisionTable = {
      id: 'test.generated',
      title: 'Gegenereerd',
      hitPolicy: spec.policy,
      inputs: spec.cols.map(inputColumn),
      outputs: spec.outs.map((o, i): OutputColumn => {
        const out: OutputColumn = { name: o.name, type: o.kind };
        if (o.values) out.values = outputValues(o.kind);
        if (defaults[i] !== null && defaults[i] !== undefined) out.default = defaults[i];
        return out;
      }),
      rules: rules.map(
        (r, i): Rule => ({
          id: `r${i}`,
          when: Object.fromEntries(spec.cols.map((c, j) => [c.name, r.when[j]!]).filter(([, t]) => t !== '-')),
          then: Object.fromEntries(spec.outs.map((o, j) => [o.name, r.then[j]!])),
        }),
      ),
    };
    if (spec.aggregation) table.aggregation = spec.aggregation;
    return { table, cases };
  });
});

describe('generated tables and cases', () => {
  it('the compiled engine and json-rules-engine agree (several hundred tables, time-bounded)', async () => {
    const seen = { tables: 0, cases: 0, matches: 0, errors: 0, feel: 0 };
    const result = await fc.check(
      fc.asyncProperty(tableAndCases, async ({ table, cases }) => {
        const { mismatches, kinds, exported } = await compare(table, cases);
        seen.tables++;
        seen.cases += cases.length;
        seen.matches += kinds.match ?? 0;
        seen.errors += (kinds.INVALID_INPUT ?? 0) + (kinds.HIT_POLICY_VIOLATION ?? 0);
        if (exported.requiresFeel.length > 0) seen.feel++;
        expect(mismatches).toEqual([]);
      }),
      { numRuns: 600, interruptAfterTimeLimit: 40_000, markInterruptAsFailure: false },
    );
    if (result.failed) throw new Error(fc.defaultReportMessage(result) ?? 'property failed');
    console.info(`differential/property: ${JSON.stringify(seen)} (${result.interrupted ? 'stopped at the time limit' : 'all runs'})`);
    // A slow machine may stop early, but never before the property has been tried on a real number of tables.
    expect(result.numRuns).toBeGreaterThanOrEqual(100);
    expect(seen.matches).toBeGreaterThan(seen.tables);
  }, 60_000);
});
