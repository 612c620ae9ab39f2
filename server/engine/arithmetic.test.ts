// FEEL number arithmetic against an independent oracle: decimal.js, set up as decimal128 (34 digits, half-even:
// DMN 1.5 10.3.2.3.1), computed directly. And date arithmetic against the platform's calendar (Date in UTC).
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression } from './index.ts';

const feel = (text: string) => compileExpression(text)();
const D = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_EVEN });

/** A decimal with up to 15 digits before and 6 after the point, written as FEEL writes a number literal. */
const decimal = fc
  .tuple(fc.bigInt({ min: -(10n ** 21n) + 1n, max: 10n ** 21n - 1n }), fc.integer({ min: 0, max: 6 }))
  .map(([units, scale]) => new D(units.toString()).div(new D(10).pow(scale)));
const literal = (x: Decimal) => (x.isNegative() ? `(${x.toFixed()})` : x.toFixed());

describe('numbers, against decimal.js', () => {
  it('adds, subtracts, multiplies and divides as decimal128 does', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const [x, y] = [literal(a), literal(b)];
        expect(feel(`${x} + ${y} = ${a.plus(b).toFixed()}`), `${x} + ${y}`).toBe(true);
        expect(feel(`${x} - ${y} = ${a.minus(b).toFixed()}`), `${x} - ${y}`).toBe(true);
        expect(feel(`${x} * ${y} = ${a.times(b).toFixed()}`), `${x} * ${y}`).toBe(true);
        if (!b.isZero()) expect(feel(`${x} / ${y} = ${a.div(b).toFixed()}`), `${x} / ${y}`).toBe(true);
        else expect(feel(`${x} / ${y}`)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it('rounds and compares as decimal.js does', () => {
    fc.assert(
      fc.property(decimal, fc.integer({ min: 0, max: 4 }), decimal, (a, scale, b) => {
        const x = literal(a);
        expect(feel(`decimal(${x}, ${scale}) = ${a.toDecimalPlaces(scale, Decimal.ROUND_HALF_EVEN).toFixed()}`)).toBe(true);
        expect(feel(`floor(${x}, ${scale}) = ${a.toDecimalPlaces(scale, Decimal.ROUND_FLOOR).toFixed()}`)).toBe(true);
        expect(feel(`round half up(${x}, ${scale}) = ${a.toDecimalPlaces(scale, Decimal.ROUND_HALF_UP).toFixed()}`)).toBe(true);
        expect(feel(`${x} < ${literal(b)}`)).toBe(a.lt(b));
        expect(feel(`${x} = ${literal(b)}`)).toBe(a.eq(b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('dates, against the platform calendar', () => {
  const DAY = 86_400_000;
  const day = fc.integer({ min: Date.UTC(1, 0, 1) / DAY, max: Date.UTC(9999, 11, 31) / DAY });
  const iso = (d: number) => new Date(d * DAY).toISOString().slice(0, 10);

  it('adds days, and subtracts dates into days, as Date in UTC counts them', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -20_000, max: 20_000 }), (d, n) => {
        fc.pre(d + n >= Date.UTC(1, 0, 1) / DAY && d + n <= Date.UTC(9999, 11, 31) / DAY);
        const duration = n < 0 ? `-P${-n}D` : `P${n}D`;
        expect(feel(`string(@"${iso(d)}" + duration("${duration}"))`)).toBe(iso(d + n));
        expect(feel(`@"${iso(d + n)}" - @"${iso(d)}" = duration("${duration}")`)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('adds months with the day clipped to the month, as Date sets them', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -240, max: 240 }), (d, months) => {
        const start = new Date(d * DAY);
        const target = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + months, 1));
        fc.pre(target.getUTCFullYear() >= 1 && target.getUTCFullYear() <= 9999);
        const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
        target.setUTCDate(Math.min(start.getUTCDate(), last));
        const duration = months < 0 ? `-P${-months}M` : `P${months}M`;
        expect(feel(`string(@"${iso(d)}" + duration("${duration}"))`)).toBe(target.toISOString().slice(0, 10));
      }),
      { numRuns: 300 },
    );
  });
});
