/**
 * Pricing candidate challenges on past orders: replays each member's orders and
 * refunds, oldest first, through the very rules live progress uses
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
import { addDecimals, minDecimal, type Decimal } from './money';
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
  | { readonly kind: 'refund'; readonly memberId: string; readonly orderId: string; readonly at: string; readonly amount: Decimal };

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

const atOf = (e: PastOrderEvent) => (e.kind === 'order' ? e.activity.at : e.at);

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
