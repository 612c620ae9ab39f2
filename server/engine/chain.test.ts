// `requires` chains walked by the engine: required tables first, their outputs fill the inputs the case leaves out,
// a cycle and a required table's error are said as such.
import { describe, expect, it } from 'vitest';
import { chainedTable, evaluateChain, RequiredTableError, RequiresCycleError, type RequiredTables } from './chain.ts';
import { compileTable } from './index.ts';
import type { CompiledTable, DecisionTable } from './types.ts';

const gedrag: DecisionTable = {
  id: 't.gedrag',
  title: 'Gedrag',
  inputs: [{ name: 'houding', type: 'string', values: ['welwillend', 'calculerend'] }],
  outputs: [{ name: 'gedrag', type: 'string' }],
  rules: [
    { id: 'G1', when: { houding: '"welwillend"' }, then: { gedrag: '"A"' } },
    { id: 'G2', when: { houding: '"calculerend"' }, then: { gedrag: '"C"' } },
  ],
};
const matrix: DecisionTable = {
  id: 't.matrix',
  title: 'Matrix',
  requires: ['t.gedrag'],
  inputs: [
    { name: 'gedrag', type: 'string', values: ['A', 'C'] },
    { name: 'gevolgen', type: 'number' },
  ],
  outputs: [{ name: 'kwadrant', type: 'number' }],
  rules: [
    { id: 'M1', when: { gedrag: '"A"' }, then: { kwadrant: 'gevolgen' } },
    { id: 'M2', when: { gedrag: '"C"' }, then: { kwadrant: '4' } },
  ],
};

function library(...tables: DecisionTable[]): { required: RequiredTables; asked: string[]; get: (id: string) => CompiledTable } {
  const compiled = new Map(tables.map((t) => [t.id, compileTable(t)]));
  const asked: string[] = [];
  const get = (id: string) => compiled.get(id)!;
  return {
    asked,
    get,
    required: (id) => {
      asked.push(id);
      const t = compiled.get(id);
      if (!t) throw new Error(`no table ${id}`);
      return t;
    },
  };
}

describe('evaluateChain', () => {
  it('decides the required table first and feeds its output to an input the case leaves out', () => {
    const lib = library(gedrag, matrix);
    const r = evaluateChain(lib.get('t.matrix'), { houding: 'calculerend', gevolgen: 1 }, lib.required);
    expect(r.output).toEqual({ kwadrant: 4 });
    expect(r.matched).toEqual(['M2']);
    expect(r.steps.map((s) => [s.table.table.id, s.result.matched])).toEqual([
      ['t.gedrag', ['G2']],
      ['t.matrix', ['M2']],
    ]);
    expect(r.steps[1]!.input).toEqual({ houding: 'calculerend', gevolgen: 1, gedrag: 'C' });
  });

  it('lets an input the case gives win over a required output, and leaves the case itself unchanged', () => {
    const lib = library(gedrag, matrix);
    const input = { houding: 'calculerend', gedrag: 'A', gevolgen: 2 };
    const r = evaluateChain(lib.get('t.matrix'), input, lib.required);
    expect(r.output).toEqual({ kwadrant: 2 });
    expect(input).toEqual({ houding: 'calculerend', gedrag: 'A', gevolgen: 2 });
  });

  it('names the required table whose input is refused, with the engine error code', () => {
    const lib = library(gedrag, matrix);
    let error: unknown;
    try {
      evaluateChain(lib.get('t.matrix'), { gevolgen: 1 }, lib.required);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RequiredTableError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', details: [{ path: '/houding' }], table: { table: { id: 't.gedrag' } } });
    expect((error as Error).message).toMatch(/^t\.gedrag: invalid input/);
  });

  it('refuses a cycle, naming it', () => {
    const a: DecisionTable = { ...gedrag, id: 't.a', requires: ['t.b'] };
    const b: DecisionTable = { ...gedrag, id: 't.b', requires: ['t.a'] };
    const lib = library(a, b);
    expect(() => evaluateChain(lib.get('t.a'), { houding: 'welwillend' }, lib.required)).toThrow(RequiresCycleError);
    expect(() => evaluateChain(lib.get('t.a'), { houding: 'welwillend' }, lib.required)).toThrow('t.a → t.b → t.a');
  });

  it('leaves out a required table whose output the case already gives, so its own inputs need not be given', () => {
    const lib = library(gedrag, matrix);
    const r = evaluateChain(lib.get('t.matrix'), { gedrag: 'C', gevolgen: 1 }, lib.required);
    expect(r.output).toEqual({ kwadrant: 4 });
    expect(r.steps.map((s) => s.table.table.id)).toEqual(['t.matrix']);
  });

  it('decides a table every branch requires once (a diamond)', () => {
    const left: DecisionTable = { ...gedrag, id: 't.left', requires: ['t.gedrag'], outputs: [{ name: 'l', type: 'string' }], rules: [{ id: 'L', when: {}, then: { l: 'gedrag' } }], inputs: [{ name: 'gedrag', type: 'string' }] };
    const right: DecisionTable = { ...left, id: 't.right', outputs: [{ name: 'r', type: 'string' }], rules: [{ id: 'R', when: {}, then: { r: 'gedrag' } }] };
    const top: DecisionTable = {
      id: 't.top',
      title: 'Top',
      requires: ['t.left', 't.right'],
      inputs: [{ name: 'l', type: 'string' }, { name: 'r', type: 'string' }],
      outputs: [{ name: 'x', type: 'string' }],
      rules: [{ id: 'T', when: {}, then: { x: 'l + r' } }],
    };
    const lib = library(gedrag, left, right, top);
    const r = evaluateChain(lib.get('t.top'), { houding: 'welwillend' }, lib.required);
    expect(r.output).toEqual({ x: 'AA' });
    expect(r.steps.map((s) => s.table.table.id)).toEqual(['t.gedrag', 't.left', 't.right', 't.top']);
  });

  it('chainedTable evaluates the chain behind the CompiledTable interface, and is the table itself without requires', () => {
    const lib = library(gedrag, matrix);
    const chained = chainedTable(lib.get('t.matrix'), lib.required);
    expect(chained.table.id).toBe('t.matrix');
    expect(chained.evaluate({ houding: 'welwillend', gevolgen: 3 })).toEqual({ output: { kwadrant: 3 }, matched: ['M1'] });
    expect(chainedTable(lib.get('t.gedrag'), lib.required)).toBe(lib.get('t.gedrag'));
  });
});
