/**
 * The generic signed webhook for other sales or accounting systems
 * (docs/webhooks.md). One JSON shape, four events, the same commands as the shops.
 */
import * as z from 'zod';
import { normalizeEmail } from '../domain/member';
import { ExternalKey, MemberId } from '../schemas/common';
import { codesUsedBy, money, namespacedOrderId, takeBackAllId, WebhookRejected, type WebhookCommand } from './commands';
import { Amount, Currency, read, Text, utc } from './payload';

const Key = ExternalKey;

/** A line of the order: the program's SKU and category multipliers price it. */
const GenericLine = z.object({
  sku: z.string().trim().min(1).max(128),
  category: z.string().trim().min(1).max(64).optional(),
  amount: Amount,
});

const GenericCustomer = z
  .object({ memberId: MemberId.optional(), email: z.string().email().optional(), name: Text })
  .refine((c) => c.memberId || c.email, { message: 'give customer.memberId or customer.email' });

export const GenericEvent = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('order.paid'),
    orderId: Key,
    amount: Amount,
    currency: Currency,
    occurredAt: Text,
    customer: GenericCustomer,
    lineItems: z.array(GenericLine).max(500).optional(),
    discountCodes: z
      .array(z.string().max(64))
      .max(20)
      .optional()
      .meta({ description: "Discount codes the order used: the club's reward codes among them are used by this order." }),
  }),
  z.object({
    event: z.literal('order.refunded'),
    orderId: Key,
    refundId: Key,
    amount: Amount,
    currency: Currency.optional(),
    reason: Text,
  }),
  z.object({ event: z.literal('order.cancelled'), orderId: Key, reason: Text }),
  z.object({ event: z.literal('customer.created'), customer: GenericCustomer }),
]);

/**
 * `topic` is the X-Loyalty-Event header, if sent. It isn't signed, the body's
 * `event` is: a header that names another event is refused, never believed.
 */
export function genericCommands(payload: unknown, topic = ''): WebhookCommand[] {
  const event = (payload as { event?: unknown } | null)?.event;
  if (typeof event === 'string' && !['order.paid', 'order.refunded', 'order.cancelled', 'customer.created'].includes(event)) {
    throw new WebhookRejected('UNKNOWN_TOPIC', `the club does not handle the event "${event}"`);
  }
  if (topic && typeof event === 'string' && topic !== event) {
    throw new WebhookRejected('TOPIC_MISMATCH', `the X-Loyalty-Event header says "${topic}" but the signed body is an "${event}" event`);
  }
  const e = read(GenericEvent, payload, 'generic event');
  const customer = (c: z.output<typeof GenericCustomer>) => ({
    source: 'generic' as const,
    memberId: c.memberId,
    email: c.email ? normalizeEmail(c.email) : undefined,
    name: c.name,
  });
  switch (e.event) {
    case 'order.paid':
      return [
        {
          kind: 'earn',
          customer: customer(e.customer),
          orderId: namespacedOrderId('generic', e.orderId),
          amount: money(e.amount, 'amount'),
          currency: e.currency,
          occurredAt: utc(e.occurredAt),
          lineItems: e.lineItems?.map((l) => ({ sku: l.sku, category: l.category, amount: money(l.amount, 'lineItems.amount') })),
        },
        ...codesUsedBy(namespacedOrderId('generic', e.orderId), e.discountCodes ?? []),
      ];
    case 'order.refunded':
      return [
        {
          kind: 'refund',
          orderId: namespacedOrderId('generic', e.orderId),
          refundId: e.refundId,
          amount: money(e.amount, 'amount'),
          currency: e.currency,
          reason: e.reason,
        },
      ];
    case 'order.cancelled':
      return [
        {
          kind: 'refund',
          orderId: namespacedOrderId('generic', e.orderId),
          refundId: takeBackAllId('cancelled'),
          // Before the '#' key a cancellation was stored as refund "cancel".
          formerRefundIds: ['cancel'],
          amount: 'all',
          reason: e.reason ?? 'order cancelled',
        },
      ];
    case 'customer.created':
      return [{ kind: 'enrol', customer: customer(e.customer) }];
  }
}
