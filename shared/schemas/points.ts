import * as z from 'zod';
import { RewardCodeView } from './rewards';
import { Currency, ExternalKey, Instant, MemberId, Money, Points, PointsMoved } from './common';

/** One line of the order: multipliers by SKU or category price it (docs/program.md). */
export const LineItem = z.strictObject({
  sku: z.string().min(1).max(128),
  category: z.string().min(1).max(64).optional(),
  amount: Money.meta({ description: 'What the line paid, in the order currency.' }),
});

export const EarnBody = z
  .strictObject({
    memberId: MemberId,
    orderId: ExternalKey,
    amount: Money.meta({ description: 'What the order paid for goods, after discounts, without shipping and taxes.' }),
    currency: Currency,
    occurredAt: Instant.optional(),
    lineItems: z
      .array(LineItem)
      .max(500)
      .optional()
      .meta({ description: 'Optional; lets the program apply SKU and category multipliers.' }),
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
    points: PointsMoved.positive(),
    idempotencyKey: ExternalKey,
    rewardId: ExternalKey.optional(),
  })
  .meta({ id: 'Redeem' });

export const BalanceChangeView = z
  .object({
    entryId: z.string(),
    points: Points,
    balance: Points,
    duplicate: z.boolean(),
    pendingPoints: Points.optional().meta({ description: 'Earn: points pending for the return window; refund: pending points cancelled.' }),
  })
  .meta({ id: 'BalanceChange' });

export const RedemptionView = z
  .object({
    redemptionId: z.string(),
    pointsSpent: Points,
    balance: Points,
    reward: RewardCodeView.optional().meta({ description: 'With a rewardId: the code issued for it.' }),
    value: z
      .object({ amount: z.string(), currency: z.string() })
      .optional()
      .meta({ description: "Points as payment (the program's pointValue set, no rewardId): the money to take off at checkout." }),
    duplicate: z.boolean(),
  })
  .meta({ id: 'Redemption' });
