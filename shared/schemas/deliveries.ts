import * as z from 'zod';

export const DeliveryListQuery = z.object({
  status: z.enum(['failed', 'replayed', 'dismissed']).default('failed'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(1024).optional(),
});

export const DeliveryPath = z.object({
  id: z.string().regex(/^[a-z]+-[0-9a-f]{32}$/, 'a delivery id from GET /v1/admin/deliveries'),
});

/** Optional: the delivery's body corrected by staff (e.g. a malformed amount); the order and refund ids still decide what is new. */
export const ReplayBody = z.object({
  body: z
    .string()
    .min(1)
    .max(256 * 1024)
    .optional(),
});

/** Why staff dismiss a delivery (required, kept with it). */
export const DismissBody = z.strictObject({
  reason: z
    .string()
    .trim()
    .min(1)
    .max(500)
    .meta({ description: 'Why this delivery needs no applying, e.g. "topic products/update is not a club event".' }),
});

/** A parked webhook delivery as staff see it: why it failed, and the raw body and headers to fix it from. */
export const DeliveryView = z
  .object({
    id: z.string(),
    status: z.enum(['failed', 'replayed', 'dismissed']),
    source: z.string().meta({ description: 'shopify, woocommerce or generic' }),
    topic: z.string(),
    reason: z.object({ code: z.string(), message: z.string() }).meta({ description: 'Why it could not be applied.' }),
    attempts: z.number().int(),
    deliveryId: z.string(),
    receivedAt: z.string(),
    failedAt: z.string(),
    replayedAt: z.string().optional(),
    replayedBody: z.string().optional(),
    dismissedAt: z.string().optional(),
    dismissedBy: z.string().optional(),
    dismissReason: z.string().optional(),
    headers: z.record(z.string(), z.string()),
    body: z.string(),
    bodyBase64: z.string().optional().meta({ description: 'The exact bytes, when they are not UTF-8.' }),
  })
  .meta({ id: 'Delivery' });

export const DeliveryPageView = z
  .object({ items: z.array(DeliveryView), nextCursor: z.string().nullable().meta({ description: 'null on the last page' }) })
  .meta({ id: 'DeliveryPage' });

export const ReplayView = DeliveryView.extend({
  effects: z
    .array(
      z.object({
        kind: z.string(),
        memberId: z.string().optional(),
        orderId: z.string().optional(),
        refundId: z.string().optional(),
        points: z.number().int().optional().meta({ description: 'Positive earned, negative taken back.' }),
        duplicate: z.boolean().optional(),
        note: z.string().optional(),
      }),
    )
    .meta({ description: 'What the replay did: one entry per command the delivery carried.' }),
  duplicate: z.boolean().meta({ description: 'true: it had been replayed already; nothing was applied again.' }),
}).meta({ id: 'DeliveryReplay' });
