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
  body: z.string().min(1).max(256 * 1024).optional(),
});

/** Why staff dismiss a delivery (required, kept with it). */
export const DismissBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).meta({ description: 'Why this delivery needs no applying, e.g. "topic products/update is not a club event".' }),
});
