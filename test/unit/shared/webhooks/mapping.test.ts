/** Shop payloads → club commands, on the fixtures exactly as the platforms send them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDecimal } from '../../../../shared/domain/money';
import { money, type WebhookRejected } from '../../../../shared/webhooks/commands';
import { genericCommands } from '../../../../shared/webhooks/generic';
import { parsePayload } from '../../../../shared/webhooks/payload';
import { shopifyCommands } from '../../../../shared/webhooks/shopify';
import { woocommerceCommands } from '../../../../shared/webhooks/woocommerce';

// As the consumer reads them: ids beyond 2^53 stay exact.
const fixture = (name: string) => parsePayload(readFileSync(new URL(`../../../fixtures/webhooks/${name}.json`, import.meta.url), 'utf8'));
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

const cancelledOrder = () => ({
  ...(fixture('shopify-orders-paid') as any),
  cancelled_at: '2026-03-21T10:00:00-05:00',
  financial_status: 'paid',
});
const wooOrder = (patch: Record<string, unknown>) => ({ ...(fixture('woocommerce-order-completed') as any), ...patch });
const rejection = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return { code: (err as WebhookRejected).code, message: (err as Error).message };
  }
  return undefined;
};

describe('a cancellation never meets a refund the shop named', () => {
  // Any refund id a shop or the generic webhook can send: printable, no spaces, no '#'.
  const anyRefundId = /^[^\s#\u0000-\u001f\u007f]+$/;

  it('keys the generic, Shopify and WooCommerce cancellations where no refund id can be', () => {
    const generic = genericCommands({ event: 'order.cancelled', orderId: 'INV-1' }) as any[];
    const shopify = shopifyCommands('orders/cancelled', cancelledOrder()) as any[];
    const woo = woocommerceCommands('order.updated', wooOrder({ status: 'cancelled' })) as any[];
    const refunded = woocommerceCommands('order.updated', wooOrder({ status: 'refunded' })) as any[];
    for (const c of [generic[0], shopify[0], woo.at(-1), refunded.at(-1)]) {
      expect(c).toMatchObject({ kind: 'refund', amount: 'all' });
      expect(c.refundId).not.toMatch(anyRefundId);
    }
    // A real refund may be called "cancel": it stays what the shop named it.
    const refund = genericCommands({ event: 'order.refunded', orderId: 'INV-1', refundId: 'cancel', amount: '10.00' }) as any[];
    expect(refund[0].refundId).toBe('cancel');
  });
});

describe('a body that contradicts its topic is refused, not applied', () => {
  it('Shopify orders/cancelled needs cancelled_at: a captured orders/paid body under that topic takes nothing back', () => {
    const paidBody = fixture('shopify-orders-paid');
    expect(rejection(() => shopifyCommands('orders/cancelled', paidBody))).toMatchObject({
      code: 'TOPIC_MISMATCH',
      message: expect.stringContaining('cancelled_at'),
    });
    expect(shopifyCommands('orders/cancelled', cancelledOrder())).toMatchObject([{ kind: 'refund', amount: 'all' }]);
  });

  it('Shopify orders/paid refuses an order its body says is not paid', () => {
    const pending = { ...(fixture('shopify-orders-paid') as any), financial_status: 'pending' };
    expect(rejection(() => shopifyCommands('orders/paid', pending))).toMatchObject({ code: 'TOPIC_MISMATCH' });
  });

  it('Shopify refunds/create and customers/create refuse an order body', () => {
    const order = fixture('shopify-orders-paid');
    expect(rejection(() => shopifyCommands('refunds/create', order))?.code).toMatch(/TOPIC_MISMATCH|MALFORMED_PAYLOAD/);
    expect(rejection(() => shopifyCommands('customers/create', order))).toMatchObject({ code: 'TOPIC_MISMATCH' });
  });

  it('WooCommerce customer.created refuses an order body, and order topics a customer body', () => {
    const order = fixture('woocommerce-order-completed');
    expect(rejection(() => woocommerceCommands('customer.created', order))).toMatchObject({ code: 'TOPIC_MISMATCH' });
    const customer = {
      id: 25,
      email: 'john.doe@example.com',
      first_name: 'John',
      last_name: 'Doe',
      role: 'customer',
      username: 'john.doe',
    };
    expect(rejection(() => woocommerceCommands('order.updated', customer))?.code).toMatch(/TOPIC_MISMATCH|MALFORMED_PAYLOAD/);
  });

  it('the generic webhook refuses an X-Loyalty-Event header that names another event than the signed body', () => {
    const cancel = { event: 'order.cancelled', orderId: 'INV-1' };
    expect(rejection(() => genericCommands(cancel, 'order.paid'))).toMatchObject({ code: 'TOPIC_MISMATCH' });
    expect(genericCommands(cancel, 'order.cancelled')).toMatchObject([{ kind: 'refund' }]);
    expect(genericCommands(cancel, '')).toMatchObject([{ kind: 'refund' }]);
  });
});

describe('WooCommerce take-backs without date_completed_gmt', () => {
  it('a refunded or cancelled order takes back what it earned, if it earned, even with no completion date', () => {
    for (const status of ['refunded', 'cancelled']) {
      const commands = woocommerceCommands('order.updated', wooOrder({ status, date_completed_gmt: null, date_completed: null })) as any[];
      expect(commands).toEqual([expect.objectContaining({ kind: 'refund', amount: 'all', onlyIfEarned: true })]);
    }
    // With its completion date it surely earned: the take-back waits for the earn (retried), as before.
    const completed = woocommerceCommands('order.updated', wooOrder({ status: 'refunded' })) as any[];
    expect(completed.at(-1)).toMatchObject({ kind: 'refund', amount: 'all' });
    expect(completed.at(-1).onlyIfEarned).toBeFalsy();
  });
});

describe('line categories for category multipliers', () => {
  it("Shopify lines carry their vendor (Shopify's order lines carry no product_type)", () => {
    const order = fixture('shopify-orders-paid') as any;
    order.line_items[0].vendor = 'Apple';
    const [earn] = shopifyCommands('orders/paid', order) as any[];
    expect(earn.lineItems.map((l: any) => l.category)).toEqual(['vendor:Apple', undefined]);
  });

  it('the generic order.paid takes a category per line', () => {
    const [earn] = genericCommands({
      event: 'order.paid',
      orderId: 'INV-9',
      amount: '30.00',
      currency: 'USD',
      customer: { email: 'a@example.com' },
      lineItems: [
        { sku: 'latte', category: 'coffee', amount: '10.00' },
        { sku: 'mug', amount: '20.00' },
      ],
    }) as any[];
    expect(earn.lineItems.map((l: any) => [l.sku, l.category, formatDecimal(l.amount)])).toEqual([
      ['latte', 'coffee', '10.00'],
      ['mug', undefined, '20.00'],
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

describe("the customer's phone", () => {
  it('Shopify: customer.phone, else billing_address.phone (orders); customer.phone, else default_address.phone (customers/create)', () => {
    const order = fixture('shopify-orders-paid') as any;
    const phoneOf = (o: unknown) => (shopifyCommands('orders/paid', o) as any[])[0].customer.phone;
    expect(phoneOf({ ...order, customer: { ...order.customer, phone: '+989121234567' } })).toBe('+989121234567');
    expect(
      phoneOf({
        ...order,
        customer: { ...order.customer, phone: null },
        billing_address: { ...order.billing_address, phone: '0912 123 4567' },
      }),
    ).toBe('0912 123 4567');
    const customer = fixture('shopify-customers-create') as any;
    const enrolled = (c: unknown) => (shopifyCommands('customers/create', c) as any[])[0].customer.phone;
    expect(enrolled({ ...customer, phone: '۰۹۱۲۱۲۳۴۵۶۷' })).toBe('۰۹۱۲۱۲۳۴۵۶۷');
    expect(enrolled({ ...customer, phone: null, default_address: { phone: '+98 912 123 4567' } })).toBe('+98 912 123 4567');
  });

  it('WooCommerce: billing.phone, on orders and customer.created; an empty one is none', () => {
    const order = fixture('woocommerce-order-completed') as any;
    const phoneOf = (o: unknown) => (woocommerceCommands('order.updated', o) as any[])[0].customer.phone;
    expect(phoneOf(order)).toBe('(555) 555-5555');
    expect(phoneOf({ ...order, billing: { ...order.billing, phone: '' } })).toBeUndefined();
    const created = woocommerceCommands('customer.created', { id: 7, email: 'a@example.com', billing: { phone: '09121234567' } }) as any[];
    expect(created[0].customer.phone).toBe('09121234567');
  });
});

describe("orders that carry the club's codes", () => {
  const CODE = 'RW-7K3QM-2Z9TR-H4B8N-C6WPD';

  it("Shopify orders/paid: a club code among discount_codes is used by the order after its earn; the shop's own codes are not", () => {
    const order = fixture('shopify-orders-paid') as any;
    expect(shopifyCommands('orders/paid', order).map((c) => c.kind)).toEqual(['earn']);
    order.discount_codes = [...order.discount_codes, { code: 'rw-7k3qm-2z9tr-h4b8n-c6wpd', amount: '10.00', type: 'fixed_amount' }];
    expect(shopifyCommands('orders/paid', order)).toEqual([
      expect.objectContaining({ kind: 'earn' }),
      { kind: 'use-codes', orderId: 'shopify:820982911946154508', codes: [CODE] },
    ]);
  });

  it('WooCommerce: a club code among coupon_lines is used by a processing, on-hold or completed order, never a pending or failed one', () => {
    const order = fixture('woocommerce-order-completed') as any;
    expect(woocommerceCommands('order.updated', order).some((c) => c.kind === 'use-codes')).toBe(false);
    order.coupon_lines = [...order.coupon_lines, { id: 320, code: ` ${CODE.toLowerCase()} `, discount: '5.00' }];
    for (const status of ['processing', 'on-hold', 'completed']) {
      expect(woocommerceCommands('order.updated', { ...order, status })).toContainEqual({
        kind: 'use-codes',
        orderId: 'woocommerce:727',
        codes: [CODE],
      });
    }
    for (const status of ['pending', 'failed', 'cancelled']) {
      expect(woocommerceCommands('order.updated', { ...order, status }).some((c) => c.kind === 'use-codes')).toBe(false);
    }
  });

  it('the generic order.paid: discountCodes', () => {
    const paid = { event: 'order.paid', orderId: 'INV-9', amount: '10', currency: 'USD', customer: { email: 'a@example.com' } };
    expect(genericCommands({ ...paid, discountCodes: ['SPRING', CODE] })).toContainEqual({
      kind: 'use-codes',
      orderId: 'generic:INV-9',
      codes: [CODE],
    });
    expect(genericCommands(paid).map((c) => c.kind)).toEqual(['earn']);
  });
});
