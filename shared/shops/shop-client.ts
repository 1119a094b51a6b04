/**
 * What the club asks of a shop's checkout, whichever shop it is: make a code's
 * discount exist (once: looked up first, "already exists" read as done) and
 * disable it. Throttling and 5xx are retried here with backoff (shared/retry.ts);
 * what still fails throws a ShopError saying whether trying later may help.
 */
import type { ShopCustomer, ShopDiscount, ShopPlatform } from '../domain/shop-discount';
import type { RetryPolicy } from '../retry';

export interface ShopClient {
  readonly platform: ShopPlatform;
  /** The shop's id of the code's discount; created only when the shop has no discount with this code. */
  ensureDiscount(discount: ShopDiscount, customer: ShopCustomer): Promise<{ readonly discountId: string; readonly created: boolean }>;
  /** 'not-found' when the shop holds no discount with this code (nothing to disable). */
  disableDiscount(code: string): Promise<'disabled' | 'not-found'>;
}

export class ShopError extends Error {
  constructor(
    message: string,
    /** Throttled, 5xx, the network: the same call may succeed later. Not: refused credentials or input. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ShopError';
  }
}

/**
 * One call to a shop, with its own waits: Shopify's bucket refills at its restore rate
 * (points per second), so a throttled call is worth a few tries within the invocation;
 * past them the queue's redelivery (and then staff) take over.
 */
export const SHOP_CALL: RetryPolicy = { attempts: 4, baseMs: 250, capMs: 4_000 };

export const isRetryableStatus = (status: number) => status === 429 || status >= 500;
