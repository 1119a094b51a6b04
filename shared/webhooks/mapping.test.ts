/** Shop payloads → club commands, on the fixtures exactly as the platforms send them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDecimal } from '../domain/money';
import { money } from './commands';
import { parsePayload } from './payload';
import { shopifyCommands } from './shopify';
import { woocommerceCommands } from './woocommerce';

// As the consumer reads them: ids beyond 2^53 stay exact.
const fixture = (name: string) => parsePayload(readFileSync(new URL(`../../test/fixtures/webhooks/${name}.json`, import.meta.url), 'utf8'));
const lines = (c: any) => c.lineItems.map((l: any) => [l.sku, formatDecimal(l.amount)]);

describe('shop orders as earn commands', () => {
  it('Shopify orders/paid: the subtotal after discounts, and each line by SKU, less its discount', () => {
    const [earn] = shopifyCommands('orders/paid', fixture('shopify-orders-paid')) as any[];
    expect(earn).toMatchObject({ kind: 'earn', currency: 'USD' });
    expect(formatDecimal(earn.amount)).toBe('398.00');
    expect(lines(earn)).toEqual([
      ['IPOD2008PINK', '189.00'],
      ['IPOD2008BLACK', '209.00'],
    ]);
  });

  it('WooCommerce completed: total − tax − shipping, and each line by SKU or, without one, by product id', () => {
    const [earn] = woocommerceCommands('order.updated', fixture('woocommerce-order-completed')) as any[];
    expect(formatDecimal(earn.amount)).toBe('90.00');
    expect(lines(earn)).toEqual([
      [expect.stringMatching(/^product:\d+$/), '55.00'],
      [expect.stringMatching(/^product:\d+$/), '35.00'],
    ]);
  });
});

describe('amounts from the shop', () => {
  it('refuses one over the club limit (100,000,000,000) as a malformed payload, not an overflow later', () => {
    expect(formatDecimal(money('100000000000.00', 'total'))).toBe('100000000000.00');
    expect(() => money('100000000000.01', 'total')).toThrow(expect.objectContaining({ code: 'MALFORMED_PAYLOAD' }));
    expect(() => money(900719925474.0992, 'total')).toThrow(/over 100000000000/);
  });
});
