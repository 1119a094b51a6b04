import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { floorDecimal, formatDecimal, parseDecimal, proportionFloor } from '../../../../shared/domain/money';

describe('decimal money', () => {
  it('parses exactly, without floats', () => {
    expect(parseDecimal('199.90')).toEqual({ units: 19990n, scale: 2 });
    expect(parseDecimal('50000000')).toEqual({ units: 50000000n, scale: 0 });
    expect(floorDecimal(parseDecimal('123456789012345678.99')!)).toBe(123456789012345678n);
    for (const bad of ['-1', '1e3', '01', '1.', '.5', ' 1', 'NaN', '']) expect(parseDecimal(bad), bad).toBeUndefined();
  });

  it('round-trips its text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), fc.integer({ min: 0, max: 6 }), (units, scale) => {
        const d = { units, scale };
        expect(parseDecimal(formatDecimal(d))).toEqual(d);
      }),
    );
  });

  it('takes floor(whole × part / total) exactly, as integer arithmetic would', () => {
    expect(proportionFloor(100, parseDecimal('33.33')!, parseDecimal('100.00')!)).toBe(33);
    expect(proportionFloor(199, parseDecimal('0.1')!, parseDecimal('199.90')!)).toBe(0);
    expect(proportionFloor(5, parseDecimal('1')!, parseDecimal('0')!)).toBe(0);
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.nat(10_000_000), fc.integer({ min: 1, max: 10_000_000 }), (whole, part, total) => {
        const p = Math.min(part, total);
        const got = proportionFloor(whole, { units: BigInt(p), scale: 2 }, { units: BigInt(total), scale: 2 });
        expect(got).toBe(Number((BigInt(whole) * BigInt(p)) / BigInt(total)));
        expect(got).toBeLessThanOrEqual(whole);
      }),
    );
  });
});
