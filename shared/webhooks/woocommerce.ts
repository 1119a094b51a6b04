/**
 * WooCommerce topics → club commands. WooCommerce sends the whole order on every
 * change (order.created / order.updated / order.restored), so the order's state
 * decides, and every rule is safe to apply again:
 *
 * - status `completed` → earn on `total − total_tax − shipping_total` (goods after
 *   discounts, without taxes and shipping; fees count as goods).
 * - each entry of `refunds[]` → take back once, keyed by the refund's id. A refund
 *   carries only its total (negative, "-10.00"), taxes and shipping included, so it
 *   counts in proportion to the order's `total`: |refund| × net / total.
 * - status `refunded` or `cancelled` → take back all the order earned (refund id
 *   `#refunded` / `#cancelled`). An order with a completion date earned (or its earn
 *   is on the way, so the take-back waits for it); one without takes back only if the
 *   club recorded an earn for it, and is otherwise ignored.
 * - order lines carry no categories in WooCommerce's payload: category multipliers
 *   can't apply to WooCommerce orders (SKU multipliers do).
 * - customer.created → enrol. Other statuses and topics that carry no points
 *   (processing, on-hold, order.deleted, customer.updated) are acknowledged and ignored.
 */
import * as z from 'zod';
import { normalizeEmail } from '../domain/member';
import {
  codesUsedBy,
  fullName,
  lineSku,
  money,
  namespacedOrderId,
  scaleDecimal,
  subtractDecimals,
  takeBackAllId,
  WebhookRejected,
  type Customer,
  type WebhookCommand,
} from './commands';
import { Amount, Currency, Id, read, Text, utc } from './payload';

const WooOrder = z.object({
  id: Id,
  status: z.string(),
  currency: Currency,
  total: Amount,
  total_tax: Amount.nullish(),
  shipping_total: Amount.nullish(),
  customer_id: Id.nullish(),
  billing: z.object({ email: Text, phone: Text, first_name: Text, last_name: Text }).nullish(),
  date_created_gmt: Text,
  date_paid_gmt: Text,
  date_completed_gmt: Text,
  refunds: z.array(z.object({ id: Id, reason: Text, total: Amount })).nullish(),
  line_items: z.array(z.object({ sku: Text, product_id: Id.nullish(), total: Amount.nullish() })).nullish(),
  coupon_lines: z.array(z.object({ code: Text })).nullish(),
});

/**
 * Statuses of an order the customer has paid for (or will, on-hold): its coupons
 * are spent. Pending, failed, draft, cancelled or refunded orders don't use a club code.
 */
const COUPONS_SPENT = new Set(['processing', 'on-hold', 'completed']);

const WooCustomer = z.object({ id: Id, email: Text, first_name: Text, last_name: Text, billing: z.object({ phone: Text }).nullish() });

const IGNORED_TOPICS = new Set([
  'order.deleted',
  'customer.updated',
  'customer.deleted',
  'product.created',
  'product.updated',
  'product.deleted',
  'coupon.created',
  'coupon.updated',
]);

function customerOf(order: z.output<typeof WooOrder>): Customer {
  const email = order.billing?.email;
  return {
    source: 'woocommerce',
    externalId: order.customer_id && order.customer_id !== '0' ? order.customer_id : undefined,
    email: email ? normalizeEmail(email) : undefined,
    phone: order.billing?.phone ?? undefined,
    name: fullName(order.billing?.first_name, order.billing?.last_name),
  };
}

function orderCommands(order: z.output<typeof WooOrder>): WebhookCommand[] {
  const orderId = namespacedOrderId('woocommerce', order.id);
  const total = money(order.total, 'total');
  const net = subtractDecimals(subtractDecimals(total, money(order.total_tax, 'total_tax')), money(order.shipping_total, 'shipping_total'));
  const commands: WebhookCommand[] = [];
  // Completed once: it earned (or its earn is on the way), so take-backs wait for it.
  // Without a completion date, the club's ledger decides: what it earned is taken back.
  const completed = order.status === 'completed' || !!order.date_completed_gmt;
  const onlyIfEarned = completed ? {} : { onlyIfEarned: true };
  if (order.status === 'completed') {
    commands.push({
      kind: 'earn',
      customer: customerOf(order),
      orderId,
      amount: net,
      currency: order.currency,
      occurredAt: utc(order.date_completed_gmt) ?? utc(order.date_paid_gmt) ?? utc(order.date_created_gmt),
      // A line's total is after its discounts, without tax.
      lineItems: (order.line_items ?? []).flatMap((l) => {
        const sku = lineSku(l.sku, l.product_id);
        return sku ? [{ sku, amount: money(l.total, 'line_items.total') }] : [];
      }),
    });
  }
  for (const r of order.refunds ?? []) {
    commands.push({
      kind: 'refund',
      orderId,
      refundId: r.id,
      amount: scaleDecimal(money(r.total, 'refunds.total', { allowNegative: true }), net, total),
      currency: order.currency,
      reason: r.reason,
      ...onlyIfEarned,
    });
  }
  if (COUPONS_SPENT.has(order.status)) {
    commands.push(
      ...codesUsedBy(
        orderId,
        (order.coupon_lines ?? []).map((c) => c.code),
      ),
    );
  }
  if (order.status === 'refunded' || order.status === 'cancelled') {
    commands.push({
      kind: 'refund',
      orderId,
      refundId: takeBackAllId(order.status),
      // The order's other whole take-back, and the keys both had before '#': found, all is taken.
      formerRefundIds: ['refunded', 'cancelled', takeBackAllId(order.status === 'refunded' ? 'cancelled' : 'refunded')],
      amount: 'all',
      currency: order.currency,
      reason: `order ${order.status}`,
      ...onlyIfEarned,
    });
  }
  if (commands.length === 0) commands.push({ kind: 'ignore', reason: `order status ${order.status} earns and takes back nothing` });
  return commands;
}

export function woocommerceCommands(topic: string, payload: unknown): WebhookCommand[] {
  if (topic === 'order.created' || topic === 'order.updated' || topic === 'order.restored') {
    return orderCommands(read(WooOrder, payload, topic));
  }
  if (topic === 'customer.created') {
    // The topic header isn't signed: an order body (which has an id too) must not enrol its order number.
    if (payload && typeof payload === 'object' && ('line_items' in payload || 'order_key' in payload)) {
      throw new WebhookRejected('TOPIC_MISMATCH', `the body contradicts its topic ${topic}: it is an order, not a customer`);
    }
    const c = read(WooCustomer, payload, topic);
    return [
      {
        kind: 'enrol',
        customer: {
          source: 'woocommerce',
          externalId: c.id,
          email: c.email ? normalizeEmail(c.email) : undefined,
          phone: c.billing?.phone ?? undefined,
          name: fullName(c.first_name, c.last_name),
        },
      },
    ];
  }
  if (IGNORED_TOPICS.has(topic)) return [{ kind: 'ignore', reason: `topic ${topic} carries no points` }];
  throw new WebhookRejected('UNKNOWN_TOPIC', `the club does not handle the WooCommerce topic "${topic}"`);
}
