import * as z from 'zod';
import { ExternalKey } from './common';
import { CodeShopView } from './shop-sync';

export const CodePathParams = z.object({
  code: z
    .string()
    .min(4)
    .max(64)
    .regex(/^[A-Za-z0-9 -]+$/, 'letters, digits, spaces and dashes')
    .meta({ example: 'RW-7K3QZ-M2X9P-4TNVB-8HDCE' }),
});

export const UseCodeBody = z
  .strictObject({
    orderId: ExternalKey.optional().meta({
      description: 'The order the code is used on; using it again for the same order is the same use.',
    }),
    idempotencyKey: ExternalKey.optional(),
  })
  .meta({ id: 'UseRewardCode' });

export const RewardCodeView = z
  .object({
    code: z.string(),
    status: z.enum(['issued', 'used', 'expired']),
    rewardId: z.string(),
    memberId: z.string(),
    reward: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The reward as it was when issued: kind, name, amount/percent/productId/tier, validDays.' }),
    pointsPrice: z.number().int(),
    issuedAt: z.string(),
    expiresAt: z.string(),
    usedAt: z.string().nullable(),
    refundedAt: z.string().nullable(),
    shop: CodeShopView.optional(),
    duplicate: z.boolean().optional(),
  })
  .meta({ id: 'RewardCode' });
