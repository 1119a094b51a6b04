/** Earning, refunds, redemptions and staff adjustments: the contract's balance routes. */
import { DomainError } from '../domain/errors';
import { orderPoints, type LedgerEntry } from '../domain/ledger';
import {
  decideAdjust,
  decideEarn,
  decideRedeem,
  decideRefund,
  type AdjustRequest,
  type EarnRequest,
  type RedeemRequest,
  type RefundRequest,
} from '../domain/rules';
import { applyBalanceChange, type BalanceChangeResult } from './balance-change';
import { afterEarn, afterFullRefund, owedProfileBonus, refundMayReverseBonuses } from './bonuses';
import { orderActivity, withChallenges } from './challenges';
import type { ClubDeps } from './deps';
import { redeemReward, type rewardCodeView } from './rewards';

type RewardCodeView = ReturnType<typeof rewardCodeView>;

export async function earn(deps: ClubDeps, memberId: string, req: EarnRequest): Promise<BalanceChangeResult> {
  const program = await deps.program();
  const result = await applyBalanceChange(deps, {
    memberId,
    ref: { kind: 'earn', orderId: req.orderId },
    sameRequest: (existing) => {
      if (existing.memberId !== memberId) {
        throw new DomainError('ALREADY_EXISTS', `order ${req.orderId} already earned points for another member`, [
          { path: 'orderId', message: 'already earned by another member' },
        ]);
      }
    },
    decide: (member) => {
      const now = deps.now();
      const decision = decideEarn(member, req, program, now);
      return withChallenges(decision, program, member, () => orderActivity(program, req, decision.entry, now));
    },
    // A profile bonus the member is owed rides on the order's write (same transaction, once).
    owed: (member) => owedProfileBonus(deps, program, member),
  });
  // Bonuses the order earns are their own entries; a retried order grants what is missing.
  await afterEarn(deps, program, result.entry);
  return result;
}

export async function refund(deps: ClubDeps, memberId: string, req: RefundRequest): Promise<BalanceChangeResult> {
  let order: { earn?: LedgerEntry; refunds: LedgerEntry[] } | undefined;
  const result = await applyBalanceChange(deps, {
    memberId,
    ref: { kind: 'refund', orderId: req.orderId, refundId: req.refundId },
    decide: async (member) => {
      // Read on every attempt: a concurrent refund of the same order changes what is left to take.
      order = await deps.store.getOrderEntries(req.orderId);
      const earned = order.earn;
      if (!earned) {
        throw new DomainError('ORDER_NOT_FOUND', `order ${req.orderId} has earned no points yet`, [
          { path: 'orderId', message: 'no earn recorded for this order' },
        ]);
      }
      if (earned.memberId !== memberId) {
        throw new DomainError('ORDER_MEMBER_MISMATCH', `order ${req.orderId} belongs to another member`, [
          { path: 'memberId', message: 'not the member who earned on this order' },
        ]);
      }
      return decideRefund(member, earned, order.refunds, req, deps.now());
    },
  });
  // An order refunded in full takes back the bonuses it paid (first purchase, referral).
  if (result.duplicate || refundMayReverseBonuses(await deps.program(), order?.earn)) {
    const now = await deps.store.getOrderEntries(req.orderId);
    const taken = now.refunds.reduce((s, r) => s - r.points - (r.pendingPoints ?? 0), 0);
    if (now.earn && orderPoints(now.earn) > 0 && taken >= orderPoints(now.earn)) await afterFullRefund(deps, now.earn);
  }
  return result;
}

export async function redeem(
  deps: ClubDeps,
  memberId: string,
  req: RedeemRequest,
): Promise<BalanceChangeResult & { reward?: RewardCodeView }> {
  // A catalog reward: spent and issued in one transaction (shared/club/rewards.ts).
  if (req.rewardId !== undefined) return redeemReward(deps, memberId, { ...req, rewardId: req.rewardId });
  const program = await deps.program();
  return applyBalanceChange(deps, {
    memberId,
    ref: { kind: 'redeem', memberId, key: req.idempotencyKey },
    sameRequest: (existing) => {
      if (-existing.points !== req.points) {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this idempotencyKey was used for a different redemption', [
          { path: 'idempotencyKey', message: `first used to redeem ${-existing.points} points` },
        ]);
      }
    },
    decide: (member) => decideRedeem(member, req, program, deps.now()),
  });
}

export async function adjust(deps: ClubDeps, memberId: string, req: AdjustRequest): Promise<BalanceChangeResult> {
  const program = await deps.program();
  return applyBalanceChange(deps, {
    memberId,
    ref: { kind: 'adjust', memberId, key: req.idempotencyKey },
    sameRequest: (existing) => {
      if (existing.points !== req.points) {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this idempotency key was used for a different adjustment');
      }
    },
    decide: (member) => decideAdjust(member, req, program, deps.now()),
  });
}
