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
    status: z.enum(['issued', 'used', 'cancelled', 'expired']),
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
    cancelledAt: z.string().nullable(),
    cancelReason: z.string().nullable(),
    shop: CodeShopView.optional(),
    duplicate: z.boolean().optional(),
  })
  .meta({ id: 'RewardCode' });

export const CancelCodeBody = z
  .strictObject({
    reason: z.string().trim().min(1).max(500).meta({ description: 'Why staff cancel it: kept on the code and in the ledger entry.' }),
  })
  .meta({ id: 'CancelRewardCode' });

export const CancelledCodeView = RewardCodeView.extend({
  pointsReturned: z.number().int().meta({ description: "The code's price, credited back to the member." }),
  entryId: z.string().meta({ description: 'The ledger entry (type reverse) that gave the points back.' }),
  balance: z.number().int().meta({ description: "The member's balance right after the points came back." }),
  duplicate: z.boolean(),
}).meta({ id: 'CancelledRewardCode' });
