/**
 * Catalog rewards: a redemption with a rewardId spends the reward's price and
 * issues its code in one transaction (ledger entry, member, code, stock and
 * per-member counters); stores check and use codes once.
 */
import { DomainError } from '../domain/errors';
import type { PointsValidity } from '../domain/lots';
import {
  checkRewardRedeemable,
  codeStatus,
  decideCodeCancel,
  decideCodeRefund,
  decideCodeUse,
  type CodeRefundCause,
  findReward,
  issueCode,
  normalizeRewardCode,
  type RewardCode,
  type RewardDefinition,
} from '../domain/rewards';
import { rewardCancelledEvent, rewardIssuedEvent } from '../events/events';
import { decideRedeem, grantTier, reviewed, type RedeemRequest } from '../domain/rules';
import type { CountedLimit } from '../store/club-store';
import { applyBalanceChange, publishAfterCommit, type BalanceChangeResult } from './balance-change';
import type { ClubDeps } from './deps';

export function rewardCodeView(code: RewardCode, now: Date) {
  return {
    code: code.code,
    status: codeStatus(code, now),
    rewardId: code.rewardId,
    memberId: code.memberId,
    reward: code.reward,
    pointsPrice: code.pointsPrice,
    issuedAt: code.issuedAt,
    expiresAt: code.expiresAt,
    usedAt: code.usedAt ?? null,
    refundedAt: code.refundedAt ?? null,
    cancelledAt: code.cancelledAt ?? null,
    cancelReason: code.cancelReason ?? null,
  };
}

/** The counters a redemption of the reward must stay within (conditional ADD in its transaction). */
function limitsOf(reward: RewardDefinition, memberId: string): CountedLimit[] {
  return [
    ...(reward.stock !== undefined ? [{ counter: 'reward-stock' as const, rewardId: reward.rewardId, limit: reward.stock }] : []),
    ...(reward.perMemberLimit !== undefined
      ? [{ counter: 'member-reward' as const, rewardId: reward.rewardId, memberId, limit: reward.perMemberLimit }]
      : []),
  ];
}

export async function redeemReward(
  deps: ClubDeps,
  memberId: string,
  req: RedeemRequest & { rewardId: string },
): Promise<BalanceChangeResult & { reward: ReturnType<typeof rewardCodeView> }> {
  const program = await deps.program();
  const reward = findReward(program, req.rewardId);
  let issued: RewardCode | undefined;
  const result = await applyBalanceChange(deps, {
    memberId,
    ref: { kind: 'redeem', memberId, key: req.idempotencyKey },
    sameRequest: (existing) => {
      if (-existing.points !== req.points || existing.rewardId !== req.rewardId) {
        throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this idempotencyKey was used for a different redemption', [
          {
            path: 'idempotencyKey',
            message: `first used to redeem ${-existing.points} points${existing.rewardId ? ` for ${existing.rewardId}` : ''}`,
          },
        ]);
      }
    },
    decide: (member) => {
      const now = deps.now();
      // A tier-restricted reward checks the tier a due review leaves, not a stale one.
      const { member: current, state: review } = reviewed(member, program, now);
      checkRewardRedeemable(current, reward, req.points, now);
      const decision = decideRedeem(current, req, program, now);
      // A tier-up reward moves the member in the same transaction that spends the points.
      const tier =
        reward.kind === 'tier-up' && reward.tier ? grantTier(current, program, reward.tier, now, `reward ${reward.rewardId}`) : {};
      issued = { ...issueCode(reward, memberId, req.idempotencyKey, now), counted: limitsOf(reward, memberId).map((l) => l.counter) };
      return {
        next: { ...review, ...decision.next, ...tier },
        entry: { ...decision.entry, rewardId: reward.rewardId, rewardCode: issued.code },
      };
    },
    effects: () => ({ issueCode: issued, limits: limitsOf(reward, memberId) }),
  });
  const code = result.duplicate ? await deps.rewards.getCode(result.entry.rewardCode ?? '') : issued;
  if (!code) throw new Error(`redemption ${result.entry.entryId} has no reward code`);
  await publishAfterCommit(deps, [rewardIssuedEvent(code, result.entry.entryId)]);
  return { ...result, reward: rewardCodeView(code, deps.now()) };
}

async function loadCode(deps: ClubDeps, text: string): Promise<RewardCode> {
  const code = await deps.rewards.getCode(normalizeRewardCode(text));
  if (!code) throw new DomainError('CODE_NOT_FOUND', 'no such reward code', [{ path: 'code', message: 'unknown code' }]);
  return code;
}

export async function getRewardCode(deps: ClubDeps, text: string) {
  return rewardCodeView(await loadCode(deps, text), deps.now());
}

/** Marks a code used, once; the same useKey (order id) again answers the same use. */
export async function useRewardCode(deps: ClubDeps, text: string, useKey: string) {
  const code = await loadCode(deps, text);
  const now = deps.now();
  let duplicate = decideCodeUse(code, useKey, now) === 'already-used-same';
  if (!duplicate) {
    const outcome = await deps.rewards.markUsed(code.code, useKey, now.toISOString());
    // Lost a race: the stored code decides (the same key twice is still the same use).
    if (outcome === 'not-usable') duplicate = decideCodeUse(await loadCode(deps, code.code), useKey, now) === 'already-used-same';
  }
  return { ...rewardCodeView(await loadCode(deps, code.code), now), duplicate };
}

/**
 * The one way an unused code gives its points back, on expiry (the job) or
 * cancelled by staff: a reverse entry, the code closed and the limits it took
 * freed, all in one transaction, then `reward.cancelled` so a shop disables its
 * discount. Both causes share one entry key per code, so a code's points come
 * back at most once whichever path runs first.
 */
export async function giveCodePointsBack(
  deps: ClubDeps,
  code: RewardCode,
  program: { readonly version: number; readonly pointsValidity?: PointsValidity },
  at: Date,
  cause: CodeRefundCause,
): Promise<BalanceChangeResult> {
  const result = await applyBalanceChange(deps, {
    memberId: code.memberId,
    ref: { kind: 'bonus', memberId: code.memberId, key: `CODE-REFUND#${code.code}` },
    decide: (member) => decideCodeRefund(member, code, program, at, cause),
    // The code was never used: the stock and the member's limit it took are free again.
    effects: () => ({
      refundCode: { code: code.code, at: at.toISOString(), ...(cause.kind === 'cancelled' && { cancel: { reason: cause.reason } }) },
      releaseLimits: (code.counted ?? []).map((counter) => ({ counter, rewardId: code.rewardId, memberId: code.memberId })),
    }),
  });
  // Again on a duplicate too: a run that died between commit and publish is mended by the retry (same id).
  const closedBy = !result.duplicate ? cause.kind : (await deps.rewards.getCode(code.code))?.cancelledAt ? 'cancelled' : 'expired';
  await publishAfterCommit(deps, [rewardCancelledEvent(code, result.entry, closedBy)]);
  return result;
}

/**
 * Staff cancel an unused code: its points come back (giveCodePointsBack). A
 * second cancel answers the first; a code used or expired meanwhile (a use at
 * the till racing the cancel) is refused with the reason the code now gives.
 */
export async function cancelRewardCode(deps: ClubDeps, text: string, reason: string, actor?: string) {
  const code = await loadCode(deps, text);
  const now = deps.now();
  let result: BalanceChangeResult;
  try {
    if (decideCodeCancel(code, now) === 'already-cancelled') {
      const entry = await deps.store.getEntry({ kind: 'bonus', memberId: code.memberId, key: `CODE-REFUND#${code.code}` });
      if (!entry) throw new Error(`cancelled code ${code.code} has no refund entry`);
      result = { entry, balance: entry.balanceAfter, duplicate: true };
      await publishAfterCommit(deps, [rewardCancelledEvent(code, entry, 'cancelled')]);
    } else {
      result = await giveCodePointsBack(deps, code, await deps.program(), now, { kind: 'cancelled', reason, actor });
    }
  } catch (err) {
    // The store refused the close (code-not-refundable): the code changed since it was read.
    if (!(err instanceof DomainError && err.code === 'NOTHING_DUE')) throw err;
    decideCodeCancel(await loadCode(deps, code.code), now);
    throw err;
  }
  const closed = await loadCode(deps, code.code);
  // The entry under the code's key was the expiry job's refund, not a cancel.
  if (!closed.cancelledAt) decideCodeCancel(closed, now);
  return {
    ...rewardCodeView(closed, now),
    pointsReturned: result.entry.points,
    entryId: result.entry.entryId,
    balance: result.balance,
    duplicate: result.duplicate,
  };
}

/** What became of a club code a shop order carried. */
export type OrderCodeUse =
  | { readonly outcome: 'used' | 'already-used-by-this-order' }
  /** Unknown to the club, or used elsewhere, expired or cancelled: no retry changes that. */
  | { readonly outcome: 'not-used'; readonly why: string };

/**
 * A shop order that carried a club code uses it, once, keyed by the order: a
 * redelivered or reordered webhook is the same use. The shop already accepted
 * the code, so one another member owns is still used by this order (the shop's
 * discount is tied to its owner; the club records what the shop did). What no
 * retry can change is answered, not thrown, so the order's delivery (and its
 * earn) is neither retried nor parked for it; a store fault still throws, and
 * the whole delivery is retried (each of its commands is idempotent).
 */
export async function useCodeOnOrder(deps: ClubDeps, code: string, orderId: string): Promise<OrderCodeUse> {
  try {
    const used = await useRewardCode(deps, code, orderId);
    return { outcome: used.duplicate ? 'already-used-by-this-order' : 'used' };
  } catch (err) {
    if (err instanceof DomainError && ['CODE_NOT_FOUND', 'CODE_ALREADY_USED', 'CODE_EXPIRED', 'CODE_CANCELLED'].includes(err.code)) {
      return { outcome: 'not-used', why: `${err.code}: ${err.message}` };
    }
    throw err;
  }
}
