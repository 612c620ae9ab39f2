import { describe, expect, it } from 'vitest';
import { tooDeepAt } from './json-depth.ts';

const nested = (n: number): unknown => JSON.parse(`${'['.repeat(n)}${']'.repeat(n)}`);

describe('tooDeepAt', () => {
  it('finds nothing in scalars, null and documents within the limit', () => {
    for (const v of [null, 1, 'text', true, {}, [], { a: { b: [1, 2, { c: 3 }] } }, nested(5)]) expect(tooDeepAt(v, 5)).toBeNull();
  });

  it('names the first value past the limit as a JSON pointer, escaping ~ and /', () => {
    expect(tooDeepAt(nested(6), 5)).toBe('/0/0/0/0/0');
    expect(tooDeepAt({ ok: [1], 'a/b': { 'c~d': nested(3) } }, 3)).toBe('/a~1b/c~0d/0');
  });

  it('walks a million levels without exhausting the stack', () => {
    let deep: unknown = [];
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(tooDeepAt(deep, 64)).toBe(`/${Array(64).fill('0').join('/')}`);
  });
});
