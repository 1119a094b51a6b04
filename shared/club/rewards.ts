/**
 * Catalog rewards: a redemption with a rewardId spends the reward's price and
 * issues its code in one transaction (ledger entry, member, code, stock and
 * per-member counters); stores check and use codes once.
 */
import { DomainError } from '../domain/errors';
import {
  checkRewardRedeemable,
  codeStatus,
  decideCodeUse,
  findReward,
  issueCode,
  normalizeRewardCode,
  type RewardCode,
  type RewardDefinition,
} from '../domain/rewards';
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
  await publishAfterCommit(deps, [
    {
      id: `reward:${code.code}`,
      type: 'reward.issued',
      version: 1,
      occurredAt: code.issuedAt,
      memberId,
      data: {
        rewardId: code.rewardId,
        code: code.code,
        kind: code.reward.kind,
        pointsPrice: code.pointsPrice,
        expiresAt: code.expiresAt,
        redemptionId: result.entry.entryId,
      },
    },
  ]);
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
