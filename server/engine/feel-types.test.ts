import { describe, expect, it } from 'vitest';
import { argumentsAs, type FeelType } from './feel-types.ts';
import { Dec } from './values.ts';

const num: FeelType = { k: 'number' };
const str: FeelType = { k: 'string' };

describe('argumentsAs: the arguments of a typed call', () => {
  it('converts a singleton list to its item and an item to a list where the parameter asks, and keeps untyped ones', () => {
    expect(argumentsAs([[new Dec(10)], 'a'], [num, undefined])).toEqual([new Dec(10), 'a']);
    expect(argumentsAs(['a'], [{ k: 'list', of: str }])).toEqual([['a']]);
    expect(argumentsAs([null, 'b'], [num, str])).toEqual([null, 'b']);
  });

  it('is null when one argument does not conform even so: the call is then null', () => {
    expect(argumentsAs([new Dec(1), 'twee'], [num, num])).toBeNull();
    expect(argumentsAs([[[new Dec(10)]]], [num])).toBeNull();
  });
});
