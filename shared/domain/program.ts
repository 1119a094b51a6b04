import { floorDecimal, type Decimal } from './money';

/**
 * The rules that price an order. Until a store configures its own program the
 * contract's default applies: 1 point per whole unit of the program's currency,
 * points expiring at the end of the 12th month after the month earned.
 */
export interface Program {
  readonly version: number;
  readonly currency: string;
}

export function defaultProgram(currency: string): Program {
  return { version: 1, currency: currency.toUpperCase() };
}

/** Points an order earns: floor of the amount, exactly. */
export function pointsForOrder(_program: Program, amount: Decimal): number {
  const points = floorDecimal(amount);
  if (points > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('amount too large to price');
  return Number(points);
}
