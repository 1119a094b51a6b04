/**
 * Money as exact decimals. Amounts arrive as strings ("199.90", "50000000") so
 * no float ever touches them; an IRR order of fifty million is as exact as a
 * USD order of ten cents.
 */
export interface Decimal {
  /** The value times 10^scale. */
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^(0|[1-9]\d{0,29})(?:\.(\d{1,12}))?$/;

/** Parses a non-negative decimal; undefined when the text isn't one. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const fraction = m[2] ?? '';
  return { units: BigInt(m[1]! + fraction), scale: fraction.length };
}

export function isDecimalString(text: string): boolean {
  return DECIMAL.test(text);
}

/**
 * The largest amount one order, refund or line may carry, in the order currency:
 * a hundred billion, room for a large IRR store (10^11 rials). The report counters
 * keep money in ten-thousandths, so one entry adds at most 10^15, a safe integer
 * (under 2^53, about 9.007 × 10^15); their sums are read exactly whatever their size.
 */
export const MAX_AMOUNT = 100_000_000_000;
/** The most points one adjustment or redemption may move: balances stay exact integers. */
export const MAX_POINTS = 1_000_000_000;

/** Within MAX_AMOUNT. */
export function withinMaxAmount(d: Decimal): boolean {
  return d.units <= BigInt(MAX_AMOUNT) * 10n ** BigInt(d.scale);
}

/** Same value at a larger scale. */
function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

export function compareDecimals(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return compareDecimals(a, b) <= 0 ? a : b;
}

/** Whole units, rounded down (amounts are never negative). */
export function floorDecimal(d: Decimal): bigint {
  return d.units / 10n ** BigInt(d.scale);
}

/** floor(whole × part / total), exact; 0 when total is zero. */
export function proportionFloor(whole: number, part: Decimal, total: Decimal): number {
  const scale = Math.max(part.scale, total.scale);
  const t = rescale(total, scale);
  if (t === 0n) return 0;
  return Number((BigInt(whole) * rescale(part, scale)) / t);
}

/** Canonical text: no trailing zeros beyond what was given, so "199.90" stays "199.90". */
export function formatDecimal(d: Decimal): string {
  if (d.scale === 0) return d.units.toString();
  const s = d.units.toString().padStart(d.scale + 1, '0');
  return `${s.slice(0, -d.scale)}.${s.slice(-d.scale)}`;
}
