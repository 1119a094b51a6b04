/**
 * The generic signed webhook for other sales or accounting systems
 * (docs/webhooks.md). One JSON shape, four events, the same commands as the shops.
 */
import * as z from 'zod';
import { normalizeEmail } from '../domain/member';
import { ExternalKey, MemberId } from '../schemas/common';
import { money, namespacedOrderId, WebhookRejected, type WebhookCommand } from './commands';
import { Amount, Currency, read, Text, utc } from './payload';

const Key = ExternalKey;

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

export function genericCommands(payload: unknown): WebhookCommand[] {
  const event = (payload as { event?: unknown } | null)?.event;
  if (typeof event === 'string' && !['order.paid', 'order.refunded', 'order.cancelled', 'customer.created'].includes(event)) {
    throw new WebhookRejected('UNKNOWN_TOPIC', `the club does not handle the event "${event}"`);
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
        },
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
      return [{ kind: 'refund', orderId: namespacedOrderId('generic', e.orderId), refundId: 'cancel', amount: 'all', reason: e.reason ?? 'order cancelled' }];
    case 'customer.created':
      return [{ kind: 'enrol', customer: customer(e.customer) }];
  }
}
