import * as z from 'zod';
import { SHOP_PLATFORMS, SHOP_SYNC_STATUSES } from '../domain/shop-discount';

export const ShopSyncListQuery = z.object({
  status: z.enum(SHOP_SYNC_STATUSES).default('failed'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(1024).optional(),
});

export const ShopSyncPath = z.object({
  id: z
    .string()
    .max(80)
    .regex(/^(shopify|woocommerce)_[A-Z0-9-]+$/, 'a push id from GET /v1/admin/shop-sync')
    .meta({ example: 'shopify_RW-7K3QZ-M2X9P-4TNVB-8HDCE' }),
});

/** One reward code's push to a shop, as staff see it. */
export const ShopSyncView = z
  .object({
    id: z.string(),
    code: z.string(),
    platform: z.enum(SHOP_PLATFORMS),
    status: z.enum(SHOP_SYNC_STATUSES),
    memberId: z.string(),
    attempts: z.number().int().meta({ description: 'Pushes tried, each with its own retries against throttling and outages.' }),
    lastError: z.string().nullable().meta({ description: 'What the shop answered the last failed push.' }),
    discountId: z.string().nullable().meta({ description: "The shop's id of the discount (a Shopify gid, a WooCommerce coupon id)." }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ShopSync' });

export const ShopSyncPageView = z
  .object({ items: z.array(ShopSyncView), nextCursor: z.string().nullable().meta({ description: 'null on the last page' }) })
  .meta({ id: 'ShopSyncPage' });

export const ShopSyncRetryView = ShopSyncView.extend({
  duplicate: z.boolean().meta({ description: 'true: it was not failed (already created or disabled), nothing was sent' }),
}).meta({ id: 'ShopSyncRetry' });

/** The code view's `shop`. */
export const CodeShopView = z
  .object({
    platform: z.enum(SHOP_PLATFORMS),
    status: z.enum(SHOP_SYNC_STATUSES),
    updatedAt: z.string().nullable().meta({ description: 'null while the push has not run yet' }),
    lastError: z.string().nullable(),
  })
  .nullable()
  .meta({
    description:
      "The code's discount in the shop: null when no shop is connected, the member is not known to one, or the reward is not a discount (tier-up).",
  });
