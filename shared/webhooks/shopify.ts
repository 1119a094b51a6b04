/**
 * Shopify topics → club commands. Amounts are in the shop's currency (`currency`,
 * not the customer's presentment currency).
 *
 * - orders/paid: earn on `subtotal_price`: after discounts, before shipping and
 *   taxes. Not `current_subtotal_price`, which shrinks with later refunds: those
 *   are taken back by refunds/create, so counting them here too would take twice.
 *   When the shop's prices include taxes, the line items' taxes are subtracted.
 * - refunds/create: take back in proportion to the refunded goods: the sum of
 *   `refund_line_items[].subtotal`; a refund without line items (an amount typed
 *   in by staff) counts its successful refund transactions less any shipping refund.
 * - orders/cancelled: take back all the order earned (refund id `#cancelled`); an order
 *   cancelled before it was paid had nothing to take back.
 * - customers/create: enrol (or find) the customer.
 * - orders/paid with a club code in `discount_codes[].code`: the code is used by
 *   that order (after the earn; the shop's own discount codes are left alone).
 *
 * The topic header is not signed, only the body is: a body that contradicts its
 * topic (an orders/paid body sent as orders/cancelled: no `cancelled_at`) is
 * refused as TOPIC_MISMATCH and parked, never applied.
 *
 * Order lines carry `vendor` but no `product_type` (the REST order payload has none),
 * so a line's category is `vendor:<vendor>`.
 */
import * as z from 'zod';
import { normalizeEmail } from '../domain/member';
import {
  codesUsedBy,
  fullName,
  lineAmount,
  lineSku,
  money,
  namespacedOrderId,
  subtractDecimals,
  sumDecimals,
  takeBackAllId,
  WebhookRejected,
  type Customer,
  type WebhookCommand,
} from './commands';
import { Amount, Currency, Id, read, Text, utc } from './payload';

const ShopifyCustomer = z.object({
  id: Id,
  email: Text,
  phone: Text,
  default_address: z.object({ phone: Text }).nullish(),
  first_name: Text,
  last_name: Text,
});

const ShopifyOrder = z.object({
  id: Id,
  email: Text,
  contact_email: Text,
  currency: Currency,
  subtotal_price: Amount,
  taxes_included: z.boolean().nullish(),
  line_items: z
    .array(
      z.object({
        sku: Text,
        product_id: Id.nullish(),
        price: Amount.nullish(),
        quantity: z.number().int().nonnegative().nullish(),
        total_discount: Amount.nullish(),
        tax_lines: z.array(z.object({ price: Amount })).nullish(),
        vendor: Text,
      }),
    )
    .nullish(),
  customer: ShopifyCustomer.nullish(),
  billing_address: z.object({ phone: Text }).nullish(),
  processed_at: Text,
  created_at: Text,
  financial_status: Text,
  cancelled_at: Text,
  discount_codes: z.array(z.object({ code: Text })).nullish(),
});

const ShopifyRefund = z.object({
  id: Id,
  order_id: Id,
  note: Text,
  refund_line_items: z
    .array(
      z.object({
        subtotal: Amount.nullish(),
        subtotal_set: z.object({ shop_money: z.object({ amount: Amount, currency_code: Currency }) }).nullish(),
      }),
    )
    .nullish(),
  transactions: z.array(z.object({ kind: Text, status: Text, amount: Amount, currency: Currency.nullish() })).nullish(),
  order_adjustments: z.array(z.object({ kind: Text, amount: Amount })).nullish(),
});

function customerOf(order: z.output<typeof ShopifyOrder>): Customer {
  const c = order.customer;
  const email = c?.email ?? order.email ?? order.contact_email;
  return {
    source: 'shopify',
    externalId: c?.id,
    email: email ? normalizeEmail(email) : undefined,
    phone: c?.phone ?? order.billing_address?.phone ?? undefined,
    name: fullName(c?.first_name, c?.last_name),
  };
}

function paidAmount(order: z.output<typeof ShopifyOrder>) {
  const subtotal = money(order.subtotal_price, 'subtotal_price');
  if (!order.taxes_included) return subtotal;
  const taxes = (order.line_items ?? []).flatMap((l) => (l.tax_lines ?? []).map((t) => money(t.price, 'line_items.tax_lines.price')));
  return subtractDecimals(subtotal, sumDecimals(taxes));
}

function refundAmount(refund: z.output<typeof ShopifyRefund>) {
  const lines = refund.refund_line_items ?? [];
  if (lines.length > 0) {
    return sumDecimals(lines.map((l) => money(l.subtotal_set?.shop_money.amount ?? l.subtotal, 'refund_line_items.subtotal')));
  }
  const refunded = sumDecimals(
    (refund.transactions ?? [])
      .filter((t) => t.kind === 'refund' && t.status === 'success')
      .map((t) => money(t.amount, 'transactions.amount')),
  );
  const shipping = sumDecimals(
    (refund.order_adjustments ?? [])
      .filter((a) => a.kind === 'shipping_refund')
      .map((a) => money(a.amount, 'order_adjustments.amount', { allowNegative: true })),
  );
  return subtractDecimals(refunded, shipping);
}

const NEVER_PAID = new Set(['pending', 'authorized', 'voided', 'expired']);

function mismatch(topic: string, why: string): never {
  throw new WebhookRejected('TOPIC_MISMATCH', `the body contradicts its topic ${topic}: ${why}`);
}

/** An order (not a refund or a customer): what only orders carry. */
const looksLikeOrder = (payload: unknown): boolean =>
  !!payload && typeof payload === 'object' && ('line_items' in payload || 'financial_status' in payload || 'order_number' in payload);

/** The category a line is priced by: its vendor, the only product grouping Shopify's order lines carry. */
const lineCategory = (vendor: string | undefined) => (vendor ? `vendor:${vendor}`.slice(0, 64) : undefined);

export function shopifyCommands(topic: string, payload: unknown): WebhookCommand[] {
  switch (topic) {
    case 'orders/paid': {
      const order = read(ShopifyOrder, payload, 'orders/paid');
      if (order.financial_status && NEVER_PAID.has(order.financial_status))
        mismatch(topic, `its financial_status is ${order.financial_status}`);
      return [
        {
          kind: 'earn',
          customer: customerOf(order),
          orderId: namespacedOrderId('shopify', order.id),
          amount: paidAmount(order),
          currency: order.currency,
          occurredAt: utc(order.processed_at) ?? utc(order.created_at),
          lineItems: (order.line_items ?? []).flatMap((l) => {
            const sku = lineSku(l.sku, l.product_id);
            const amount = lineAmount(
              money(l.price, 'line_items.price'),
              l.quantity ?? 1,
              money(l.total_discount, 'line_items.total_discount'),
            );
            return sku ? [{ sku, category: lineCategory(l.vendor), amount }] : [];
          }),
        },
        ...codesUsedBy(
          namespacedOrderId('shopify', order.id),
          (order.discount_codes ?? []).map((d) => d.code),
        ),
      ];
    }
    case 'refunds/create': {
      if (looksLikeOrder(payload)) mismatch(topic, 'it is an order, not a refund');
      const refund = read(ShopifyRefund, payload, 'refunds/create');
      const currency = refund.refund_line_items?.find((l) => l.subtotal_set)?.subtotal_set?.shop_money.currency_code;
      return [
        {
          kind: 'refund',
          orderId: namespacedOrderId('shopify', refund.order_id),
          refundId: refund.id,
          amount: refundAmount(refund),
          currency,
          reason: refund.note,
        },
      ];
    }
    case 'orders/cancelled': {
      const order = read(ShopifyOrder, payload, 'orders/cancelled');
      // The one field that says the order was cancelled; without it this may be any order body.
      if (!order.cancelled_at) mismatch(topic, 'the order has no cancelled_at');
      if (order.financial_status && NEVER_PAID.has(order.financial_status)) {
        return [{ kind: 'ignore', reason: `order cancelled while ${order.financial_status}: it earned nothing` }];
      }
      return [
        {
          kind: 'refund',
          orderId: namespacedOrderId('shopify', order.id),
          refundId: takeBackAllId('cancelled'),
          // Before the '#' key a cancellation was stored as refund "cancel".
          formerRefundIds: ['cancel'],
          amount: 'all',
          reason: 'order cancelled',
        },
      ];
    }
    case 'customers/create': {
      if (looksLikeOrder(payload)) mismatch(topic, 'it is an order, not a customer');
      const c = read(ShopifyCustomer, payload, 'customers/create');
      return [
        {
          kind: 'enrol',
          customer: {
            source: 'shopify',
            externalId: c.id,
            email: c.email ? normalizeEmail(c.email) : undefined,
            phone: c.phone ?? c.default_address?.phone ?? undefined,
            name: fullName(c.first_name, c.last_name),
          },
        },
      ];
    }
    default:
      throw new WebhookRejected('UNKNOWN_TOPIC', `the club does not handle the Shopify topic "${topic}"`);
  }
}
