/**
 * The member's own view of the club (the /v1/me routes): always the member a
 * portal link names, never another. Reads the member and the program; spends
 * through the same redeem as the API.
 */
import { DomainError, notFound } from '../domain/errors';
import { displayUnitOf } from '../domain/currency';
import { challengesOf } from '../domain/challenges';
import { pointsValidityOf, programRunsFor, tierLevel, type Program } from '../domain/program';
import { tierView } from '../http/views';
import { expiringSoon, howToEarn, rewardOptions } from '../portal/explain';
import { entryReason, type EntryReason } from '../portal/reasons';
import type { ClubDeps } from './deps';
import { expiringPoints, type Member } from '../domain/member';
import { memberLedger } from './members';
import { redeem } from './points';
import { rewardCodeView } from './rewards';
import { referralCode } from './referrals';
import { profileCard } from './self-service';

/** `member`: as the link's check read it (one strongly consistent read per request). */
export async function memberOverview(deps: ClubDeps, member: Member) {
  const { memberId } = member;
  const program = await deps.program();
  const now = deps.now();
  const tier = tierView(member, program, now);
  const tierId = tier.tier ?? member.tier;
  return {
    memberId: member.memberId,
    name: member.name ?? null,
    tier: tierId,
    tierName: tierLevel(program, tierId)?.name ?? null,
    tierProgress: tier.tierProgress ?? null,
    balance: member.balance,
    lifetimePoints: member.lifetimePoints,
    pendingPoints: (member.pending ?? []).reduce((s, p) => s + p.points, 0),
    expiring: expiringPoints(member.lots),
    expiringSoon: expiringSoon(member.lots, now),
    joinedAt: member.joinedAt,
    referralCode: await referralCode(deps, memberId),
    // Collecting before launch: no promise of points the member won't get yet.
    collecting: programRunsFor(program, member) ? null : { launchesAt: program.pilot.launchesAt ?? null },
    profile: await profileCard(deps, member, program),
    program: {
      currency: program.currency,
      ...displayUnitOf(program),
      timeZone: program.timeZone,
      pointsValidity: pointsValidityOf(program),
      howToEarn: howToEarn(program, now),
    },
  };
}

const NAMES_A_MEMBER = new Set(['referred', 'referrer', 'bonus-taken-back']);

/** A challenge's reward on the member's page: the challenge's names (null once it left the program), not its id. */
function challengeReasonParams(program: Program, why: EntryReason | undefined): EntryReason | undefined {
  if (why?.kind !== 'challenge-completed' && why?.kind !== 'challenge-taken-back') return why;
  const challenge = challengesOf(program).find((c) => c.id === why.challengeId);
  return { kind: why.kind, name: challenge?.name ?? null };
}

export async function memberHistory(deps: ClubDeps, memberId: string, page: { limit: number; cursor?: string }) {
  const [result, program] = await Promise.all([memberLedger(deps, memberId, page), deps.program()]);
  return {
    // Staff names (actor) and internal keys stay off the member's page.
    items: result.items.map((e) => {
      const { kind, ...params } = challengeReasonParams(program, entryReason(e)) ?? {};
      return {
        entryId: e.entryId,
        type: e.type,
        points: e.points,
        balanceAfter: e.balanceAfter,
        ...(e.orderId !== undefined && { orderId: e.orderId }),
        // The stored English text, except where it may name another member (a referral); the page words reasonKind.
        ...(e.reason !== undefined && !NAMES_A_MEMBER.has(kind ?? '') && { reason: e.reason }),
        ...(kind !== undefined && { reasonKind: kind, reasonParams: params }),
        ...(e.rewardId !== undefined && { rewardId: e.rewardId }),
        ...(e.pendingPoints !== undefined && { pendingPoints: e.pendingPoints }),
        at: e.at,
      };
    }),
    nextCursor: result.nextCursor ?? null,
  };
}

export async function memberRewards(deps: ClubDeps, member: Member) {
  const program = await deps.program();
  return { balance: member.balance, items: rewardOptions(program, member, deps.now()) };
}

/** A member redeems a catalog reward from their page: its price, once per idempotency key. */
export async function redeemFromPortal(deps: ClubDeps, member: Member, req: { rewardId: string; idempotencyKey: string }) {
  const { items } = await memberRewards(deps, member);
  const option = items.find((r) => r.rewardId === req.rewardId);
  if (!option) {
    throw new DomainError('REWARD_NOT_FOUND', `reward ${req.rewardId} is not offered to this member`, [
      { path: 'body.rewardId', message: 'not in the catalog for this member now' },
    ]);
  }
  // Checked here to answer plainly; the redeem transaction checks the balance again, race-free.
  if (!option.affordable) {
    throw new DomainError('INSUFFICIENT_POINTS', `${option.name} needs ${option.pointsPrice} points`, [
      { path: 'body.rewardId', message: `${option.pointsToGo} points to go` },
    ]);
  }
  const result = await redeem(deps, member.memberId, {
    points: option.pointsPrice,
    idempotencyKey: `portal:${req.idempotencyKey}`,
    rewardId: option.rewardId,
  });
  return {
    redemptionId: result.entry.entryId,
    pointsSpent: -result.entry.points,
    balance: result.balance,
    ...(result.reward ? { reward: result.reward } : {}),
    duplicate: result.duplicate,
  };
}

/** Withdraws every portal link of the member issued until now (a link shared or leaked); links issued later work. */
export async function revokePortalLinks(deps: ClubDeps, memberId: string): Promise<{ memberId: string; revokedAt: string }> {
  const revokedAt = deps.now().toISOString();
  if (!(await deps.store.revokePortalLinks(memberId, revokedAt))) throw notFound('member', memberId, 'MEMBER_NOT_FOUND');
  return { memberId, revokedAt };
}

/**
 * The member's own reward codes, newest first, each as GET /v1/rewards/codes/{code}
 * answers it. A page may hold fewer than `limit` when the history is long: follow nextCursor.
 */
export async function memberCodes(deps: ClubDeps, memberId: string, page: { limit: number; cursor?: string }) {
  const { codes, nextCursor } = await deps.store.listIssuedCodes(memberId, page);
  const found = await Promise.all(codes.map((code) => deps.rewards.getCode(code)));
  const now = deps.now();
  return {
    items: found.filter((c): c is NonNullable<typeof c> => c !== undefined).map((c) => rewardCodeView(c, now)),
    nextCursor: nextCursor ?? null,
  };
}
