/**
 * Exact non-negative fractions over BigInt: what pricing multiplies amounts,
 * rates and multipliers with, so a 50,000,000 IRR order times 1.5 is exactly
 * 75,000,000 and rounding happens once, at the end, by the program's mode.
 */
import type { Decimal } from './money';

export interface Ratio {
  readonly n: bigint;
  /** Always > 0. */
  readonly d: bigint;
}

export type RoundingMode = 'floor' | 'round' | 'ceil';

export const ZERO: Ratio = { n: 0n, d: 1n };
export const ONE: Ratio = { n: 1n, d: 1n };

export function fromDecimal(x: Decimal): Ratio {
  return { n: x.units, d: 10n ** BigInt(x.scale) };
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y) [x, y] = [y, x % y];
  return x || 1n;
}

function reduce(r: Ratio): Ratio {
  const g = gcd(r.n, r.d);
  return g === 1n ? r : { n: r.n / g, d: r.d / g };
}

export const mul = (a: Ratio, b: Ratio): Ratio => reduce({ n: a.n * b.n, d: a.d * b.d });
export const add = (a: Ratio, b: Ratio): Ratio => reduce({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
export const div = (a: Ratio, b: Ratio): Ratio => {
  if (b.n === 0n) throw new RangeError('division by zero');
  return reduce({ n: a.n * b.d, d: a.d * b.n });
};
export const compare = (a: Ratio, b: Ratio): -1 | 0 | 1 => {
  const x = a.n * b.d;
  const y = b.n * a.d;
  return x < y ? -1 : x > y ? 1 : 0;
};

/** To a whole number by the mode; 'round' is half up. Values are never negative. */
export function toWhole(r: Ratio, mode: RoundingMode): bigint {
  const q = r.n / r.d;
  const rem = r.n % r.d;
  if (rem === 0n) return q;
  if (mode === 'floor') return q;
  if (mode === 'ceil') return q + 1n;
  return rem * 2n >= r.d ? q + 1n : q;
}
