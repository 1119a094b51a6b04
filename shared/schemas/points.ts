import * as z from 'zod';
import { Currency, ExternalKey, Instant, MemberId, Money, Points } from './common';

export const EarnBody = z
  .strictObject({
    memberId: MemberId,
    orderId: ExternalKey,
    amount: Money.meta({ description: 'What the order paid for goods, after discounts, without shipping and taxes.' }),
    currency: Currency,
    occurredAt: Instant.optional(),
  })
  .meta({ id: 'Earn' });

export const RefundBody = z
  .strictObject({
    memberId: MemberId,
    orderId: ExternalKey,
    refundId: ExternalKey,
    amount: Money,
    currency: Currency,
    reason: z.string().max(500).optional(),
  })
  .meta({ id: 'Refund' });

export const RedeemBody = z
  .strictObject({
    memberId: MemberId,
    points: Points.positive(),
    idempotencyKey: ExternalKey,
    rewardId: ExternalKey.optional(),
  })
  .meta({ id: 'Redeem' });

export const BalanceChangeView = z
  .object({ entryId: z.string(), points: Points, balance: Points, duplicate: z.boolean() })
  .meta({ id: 'BalanceChange' });

export const RedemptionView = z
  .object({
    redemptionId: z.string(),
    pointsSpent: Points,
    balance: Points,
    reward: z.record(z.string(), z.unknown()).optional(),
    duplicate: z.boolean(),
  })
  .meta({ id: 'Redemption' });
