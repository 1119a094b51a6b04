/**
 * What the club knows about currencies without being told: the Toman (IRT, what
 * Iranian WooCommerce stores send) is ten rials, the unit an Iranian store
 * shows its prices in, and what a point is worth when nobody said.
 */

/** Fixed rates no program has to configure: program currency → order currency → program units per order unit. */
const BUILT_IN_RATES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  IRR: { IRT: '10' },
  IRT: { IRR: '0.1' },
};

/** Program-currency units one unit of `other` is worth by the built-in rates; undefined when none. */
export function builtInRate(programCurrency: string, other: string): string | undefined {
  return BUILT_IN_RATES[programCurrency.toUpperCase()]?.[other.toUpperCase()];
}

/**
 * A point's value when the program sets no `pointValue` and LOYALTY_POINT_VALUE is
 * unset: a hundredth of the unit (a cent) where the unit has cents; where it has
 * none worth counting, the smallest amount a price is written in (1 yen, 1 won,
 * 1 Toman = 10 rials), so a liability of 1,031,161 points reads 1,031,161 Toman.
 */
const DEFAULT_POINT_VALUES: Readonly<Record<string, string>> = { IRR: '10', IRT: '1', JPY: '1', KRW: '1' };
export const DEFAULT_POINT_VALUE = '0.01';

export function defaultPointValue(currency: string): string {
  return DEFAULT_POINT_VALUES[currency.toUpperCase()] ?? DEFAULT_POINT_VALUE;
}

/** Where the unit people read differs from the unit the books are kept in, by default. */
const DISPLAY_BY_CURRENCY: Readonly<Record<string, string>> = { IRR: 'IRT', IRT: 'IRT' };

export interface DisplayUnit {
  /** The unit pages show money in. */
  readonly displayCurrency: string;
  /** Display units per program-currency unit, a decimal string ("0.1": rials shown as Toman). */
  readonly displayRate: string;
}

/**
 * The unit the store's pages show money in: the program's `displayCurrency` when
 * it names the program currency or one the club converts to without a rate
 * (IRR ↔ IRT), else Toman for IRR and IRT programs, else the program currency.
 */
export function displayUnitOf(program: { readonly currency: string; readonly displayCurrency?: string }): DisplayUnit {
  const currency = program.currency.toUpperCase();
  const wanted = (program.displayCurrency ?? DISPLAY_BY_CURRENCY[currency] ?? currency).toUpperCase();
  if (wanted === currency) return { displayCurrency: currency, displayRate: '1' };
  const rate = builtInRate(wanted, currency);
  return rate ? { displayCurrency: wanted, displayRate: rate } : { displayCurrency: currency, displayRate: '1' };
}
