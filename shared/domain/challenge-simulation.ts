/**
 * Pricing candidate challenges on past orders: replays each member's orders and
 * refunds (and the referrals and profile completions paid among them), oldest first, through the very rules live progress uses
 * (contributionsFor, takenBack, decideProgress) and counts who would have
 * taken part, who would have completed each period, and the points held at
 * the end (a refund that drops the progress below the target takes its reward
 * back, as it would for real). Writes nothing; knows nothing of the store.
 */
import {
  contributionsFor,
  decideProgress,
  rewardCostOf,
  takenBack,
  type ChallengeActivity,
  type ChallengeContribution,
  type ChallengeMember,
  type ChallengeProgress,
  type ChallengeRules,
} from './challenges';
import { addDecimals, compareDecimals, minDecimal, type Decimal } from './money';
import { DomainError } from './errors';
import type { Program } from './program';
import { checkoutValue } from './rules';

/** A past order or refund, in the order they happened. */
export type PastOrderEvent =
  | {
      readonly kind: 'order';
      readonly member: ChallengeMember;
      readonly orderId: string;
      readonly activity: Extract<ChallengeActivity, { kind: 'order' }>;
      /** What the order paid, in its own currency: refunds take back by their share of it. */
      readonly paid: Decimal;
    }
  | { readonly kind: 'refund'; readonly memberId: string; readonly orderId: string; readonly at: string; readonly amount: Decimal }
  | {
      /** A referral paid to `member` (the referrer), or a profile-completion bonus paid to `member`. */
      readonly kind: 'activity';
      readonly member: ChallengeMember;
      readonly activity: Exclude<ChallengeActivity, { kind: 'order' }>;
      /** A referral: the friend's order that paid it; refunded in full, it takes the referral back, as it does live. */
      readonly paidBy?: { readonly memberId: string; readonly orderId: string };
    };

export interface ChallengePeriodFigures {
  readonly period: string;
  /** Members whose progress moved above zero in the period. */
  readonly participants: number;
  /** Members who ended the period with the goal met (after refunds). */
  readonly completions: number;
}

export interface ChallengeFigures {
  readonly id: string;
  readonly participants: number;
  readonly completions: number;
  /** The rewards still held at the end: completions × the reward's points (a catalog prize's points price). */
  readonly points: number;
  /** Their value at the program's pointValue, when it has one. */
  readonly pointsValue?: string;
  readonly periods: readonly ChallengePeriodFigures[];
}

const atOf = (e: PastOrderEvent) => (e.kind === 'refund' ? e.at : e.activity.at);

export function simulateChallenges(
  program: Program,
  candidates: readonly ChallengeRules[],
  events: readonly PastOrderEvent[],
): ChallengeFigures[] {
  // The candidates stand in for the program's challenges, so contributionsFor measures them exactly as it would live.
  const trial: Program = { ...program, challenges: [...candidates] };
  const byId = new Map(candidates.map((c) => [c.id, c]));
  // One standing per (member, challenge, period), as the store keeps them.
  const progress = new Map<string, { memberId: string; standing: ChallengeProgress; started: boolean }>();
  const orders = new Map<string, { contributions: ChallengeContribution[]; paid: Decimal; refunded: Decimal }>();
  // Referrals by the order that paid them: a full refund of that order takes them back from the referrer.
  const referrals = new Map<string, { memberId: string; contributions: ChallengeContribution[] }[]>();
  const key = (memberId: string, id: string, period: string) => JSON.stringify([memberId, id, period]);

  const move = (memberId: string, c: ChallengeContribution, change: number, at: string) => {
    const challenge = byId.get(c.id)!;
    const k = key(memberId, c.id, c.period);
    const prior = progress.get(k);
    const { after } = decideProgress(challenge, prior?.standing, c.period, change, at);
    progress.set(k, { memberId, standing: after, started: (prior?.started ?? false) || after.progress > 0 });
  };

  // Stable: events at the same instant keep the order they were given in.
  const sorted = [...events].sort((a, b) => (atOf(a) < atOf(b) ? -1 : atOf(a) > atOf(b) ? 1 : 0));
  for (const e of sorted) {
    if (e.kind === 'activity') {
      const contributions = contributionsFor(trial, e.member, e.activity);
      for (const c of contributions) move(e.member.memberId, c, c.added, e.activity.at);
      if (e.paidBy && contributions.length > 0) {
        const k = JSON.stringify([e.paidBy.memberId, e.paidBy.orderId]);
        referrals.set(k, [...(referrals.get(k) ?? []), { memberId: e.member.memberId, contributions }]);
      }
      continue;
    }
    if (e.kind === 'order') {
      const contributions = contributionsFor(trial, e.member, e.activity);
      orders.set(JSON.stringify([e.member.memberId, e.orderId]), { contributions, paid: e.paid, refunded: { units: 0n, scale: 0 } });
      for (const c of contributions) move(e.member.memberId, c, c.added, e.activity.at);
      continue;
    }
    // A refund of an order outside the window took back nothing the simulation added.
    const order = orders.get(JSON.stringify([e.memberId, e.orderId]));
    if (!order) continue;
    const before = order.refunded;
    const after = minDecimal(addDecimals(before, e.amount), order.paid);
    order.refunded = after;
    for (const c of order.contributions) {
      const taken = takenBack(c, { before: minDecimal(before, order.paid), after, paid: order.paid });
      if (taken > 0) move(e.memberId, c, -taken, e.at);
    }
    // Refunded in full now: the referral it paid goes back (each once: later refunds find it taken).
    const paidReferrals = compareDecimals(after, order.paid) >= 0 ? referrals.get(JSON.stringify([e.memberId, e.orderId])) : undefined;
    for (const r of paidReferrals ?? []) for (const c of r.contributions) move(r.memberId, c, -c.added, e.at);
    if (paidReferrals) referrals.delete(JSON.stringify([e.memberId, e.orderId]));
  }

  return candidates.map((challenge) => {
    const periods = new Map<string, { participants: number; completions: number }>();
    const members = new Set<string>();
    for (const { memberId, standing, started } of progress.values()) {
      if (standing.challengeId !== challenge.id || !started) continue;
      members.add(memberId);
      const f = periods.get(standing.period) ?? { participants: 0, completions: 0 };
      periods.set(standing.period, {
        participants: f.participants + 1,
        completions: f.completions + (standing.completedAt !== undefined ? 1 : 0),
      });
    }
    const rows = [...periods].sort(([a], [b]) => (a < b ? -1 : 1)).map(([period, f]) => ({ period, ...f }));
    const completions = rows.reduce((s, r) => s + r.completions, 0);
    const points = completions * rewardCostOf(challenge, program);
    return {
      id: challenge.id,
      participants: members.size,
      completions,
      points,
      ...(program.pointValue !== undefined && { pointsValue: checkoutValue(points, program.pointValue) }),
      periods: rows,
    };
  });
}

/**
 * Which candidate goals the simulator can price, and on what: orders, spend and category on
 * any orders; referrals where the program pays the referrer (a referral counts where its
 * bonus is paid, as live); a complete profile only on the club's real history (lastDays),
 * where the profile-completion bonuses are in the ledgers read, and only when the program
 * pays that bonus. Anything else would price at zero, which would mislead: refused.
 */
export function checkSimulatable(
  challenges: readonly ChallengeRules[],
  program: Pick<Program, 'bonuses'>,
  form: 'orders' | 'lastDays',
): void {
  const details = challenges.flatMap((c, i) => {
    const path = `body.challenges.${i}.goal.kind`;
    if (c.goal.kind === 'referrals' && program.bonuses.referral.referrer === 0)
      return [{ path, message: 'a referrals goal counts the referral bonuses paid to the referrer: the program pays none' }];
    if (c.goal.kind === 'profile' && program.bonuses.profileCompletion === 0)
      return [{ path, message: 'a profile goal counts the profile-completion bonus: the program pays none' }];
    if (c.goal.kind === 'profile' && form === 'orders')
      return [{ path, message: "a profile goal is priced on the club's real history: send lastDays instead of orders" }];
    return [];
  });
  if (details.length > 0) throw new DomainError('VALIDATION_FAILED', 'these candidate challenges cannot be priced', details);
}
