/**
 * What a delivery asks the club to do, in the club's words. Each shop's parser
 * turns its payload into these; apply.ts carries them out through the core use
 * cases. Order ids are namespaced per source (`shopify:1001`, `woocommerce:1001`)
 * so two shops' order numbers never meet.
 */
import type { WebhookSource } from '../config';
import type { ParkReason } from '../domain/errors';
import type { Decimal } from '../domain/money';
import { clubCodesIn } from '../domain/rewards';
import { MAX_AMOUNT, parseDecimal, withinMaxAmount } from '../domain/money';

export interface Customer {
  readonly source: WebhookSource;
  /** The shop's customer id (claimed as externalIds.<source>); absent for guests. */
  readonly externalId?: string;
  /** The club's own member id: generic deliveries may name the member directly. */
  readonly memberId?: string;
  readonly email?: string;
  /** As the shop has it; normalized by the program's phone region when the member is enrolled. */
  readonly phone?: string;
  readonly name?: string;
}

export type WebhookCommand =
  | {
      readonly kind: 'earn';
      readonly customer: Customer;
      readonly orderId: string;
      readonly amount: Decimal;
      readonly currency: string;
      readonly occurredAt?: string;
      /** What each line paid, so the program's SKU and category multipliers apply to shop orders too. */
      readonly lineItems?: readonly { readonly sku: string; readonly category?: string; readonly amount: Decimal }[];
    }
  | {
      readonly kind: 'refund';
      readonly orderId: string;
      readonly refundId: string;
      readonly amount: Decimal | 'all';
      readonly currency?: string;
      readonly reason?: string;
      /** Take back only if the club recorded an earn for the order; otherwise there is nothing to take (not worth a retry). */
      readonly onlyIfEarned?: boolean;
      /** Keys this same take-back was stored under before (see `takeBackAllId`): found, it was already applied. */
      readonly formerRefundIds?: readonly string[];
    }
  /**
   * The club's reward codes the order's discount lines carried (normalized): each is
   * used by this order. After the earn, so a code that can't be used never costs the earn.
   */
  | { readonly kind: 'use-codes'; readonly orderId: string; readonly codes: readonly string[] }
  | { readonly kind: 'enrol'; readonly customer: Customer }
  | { readonly kind: 'ignore'; readonly reason: string };

/** A delivery that no retry will make applicable: parked at once, with this code. */
export class WebhookRejected extends Error {
  constructor(
    readonly code: ParkReason,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRejected';
  }
}

/** The use of the club's codes among an order's discount codes; none when it carried none. */
export function codesUsedBy(orderId: string, discountCodes: readonly (string | null | undefined)[]): WebhookCommand[] {
  const codes = clubCodesIn(discountCodes);
  return codes.length > 0 ? [{ kind: 'use-codes', orderId, codes }] : [];
}

export function namespacedOrderId(source: WebhookSource, id: string | number): string {
  return `${source}:${id}`;
}

/**
 * The refund id of "take back all the order earned" (a cancellation, a WooCommerce
 * order refunded as a whole). '#' is in no refund id a shop or the API can send
 * (shop ids are numbers; ours are ExternalKeys), so it never meets a real refund:
 * a refund the shop called "cancel" is that refund, not the cancellation.
 */
export const takeBackAllId = (why: 'cancelled' | 'refunded'): string => `#${why}`;

const ZERO: Decimal = { units: 0n, scale: 0 };

/** A money amount from JSON, given as a string ("19.90") or a number (19.9); "-10.00" reads as 10.00 when allowNegative. */
export function money(value: unknown, what: string, options: { allowNegative?: boolean } = {}): Decimal {
  let text = typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (options.allowNegative && text.startsWith('-')) text = text.slice(1);
  if (text === '') return ZERO;
  const d = parseDecimal(text);
  if (!d) throw new WebhookRejected('MALFORMED_PAYLOAD', `${what} is not a decimal amount: ${JSON.stringify(value)}`);
  if (!withinMaxAmount(d))
    throw new WebhookRejected('MALFORMED_PAYLOAD', `${what} is over ${MAX_AMOUNT}, the most one order may carry: ${JSON.stringify(value)}`);
  return d;
}

/** A line's price × quantity, less its discount (never below zero). */
export function lineAmount(price: Decimal, quantity: number, discount: Decimal): Decimal {
  const q = Number.isSafeInteger(quantity) && quantity > 0 ? BigInt(quantity) : 0n;
  return subtractDecimals({ units: price.units * q, scale: price.scale }, discount);
}

/** The SKU a line is priced by: the shop's SKU, else its product id. */
export const lineSku = (sku: string | null | undefined, productId: string | number | null | undefined): string | undefined =>
  sku?.trim()
    ? sku.trim().slice(0, 128)
    : productId !== null && productId !== undefined && String(productId) !== ''
      ? `product:${productId}`
      : undefined;

export function subtractDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  const units = a.units * 10n ** BigInt(scale - a.scale) - b.units * 10n ** BigInt(scale - b.scale);
  return { units: units < 0n ? 0n : units, scale };
}

export function sumDecimals(values: readonly Decimal[]): Decimal {
  return values.reduce((s, v) => {
    const scale = Math.max(s.scale, v.scale);
    return { units: s.units * 10n ** BigInt(scale - s.scale) + v.units * 10n ** BigInt(scale - v.scale), scale };
  }, ZERO);
}

/** part × numerator / denominator, rounded down at 6 decimals; 0 when the denominator is. */
export function scaleDecimal(part: Decimal, numerator: Decimal, denominator: Decimal): Decimal {
  const SCALE = 6;
  const scale = Math.max(numerator.scale, denominator.scale);
  const num = numerator.units * 10n ** BigInt(scale - numerator.scale);
  const den = denominator.units * 10n ** BigInt(scale - denominator.scale);
  if (den === 0n) return ZERO;
  // part.units / 10^part.scale × num / den, expressed at SCALE decimals.
  const units = (part.units * num * 10n ** BigInt(SCALE)) / (den * 10n ** BigInt(part.scale));
  return { units, scale: SCALE };
}

export function fullName(first: unknown, last: unknown): string | undefined {
  const name = [first, last]
    .filter((s) => typeof s === 'string' && s.trim())
    .join(' ')
    .trim();
  return name || undefined;
}
