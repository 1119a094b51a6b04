/**
 * Domain events: what other systems (and the notifier) learn about the club.
 * Schema and examples: docs/events.md. Ids are deterministic where the fact
 * is (a ledger entry, a reminder for a lot, a lapse stage), so a publisher may
 * deliver at least once and consumers dedupe by id.
 */
import { chargeEvents } from '../costs/charges';
import type { LedgerEntry, TierMove } from '../domain/ledger';
import type { RewardCode } from '../domain/rewards';
import { isTierReview } from '../domain/program';

export const EVENT_SOURCE = 'loyalty.club';

export const EVENT_TYPES = [
  'points.earned',
  'points.redeemed',
  'points.reversed',
  'points.adjusted',
  'points.expiring',
  'points.expired',
  'member.lapsed',
  'member.welcomed',
  'member.birthday',
  'reward.issued',
  'reward.cancelled',
  'tier.changed',
  'challenge.completed',
] as const;
export type DomainEventType = (typeof EVENT_TYPES)[number];

export interface DomainEvent<D extends Record<string, unknown> = Record<string, unknown>> {
  /** Unique per fact; the same fact published twice carries the same id. */
  readonly id: string;
  readonly type: DomainEventType;
  /** Schema version of `data` for this type. */
  readonly version: 1;
  readonly occurredAt: string;
  readonly memberId: string;
  readonly data: D;
}

export interface EventPublisher {
  /** Resolves once every event is accepted; throws if any could not be. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export const noEvents: EventPublisher = { publish: async () => {} };

const LEDGER_EVENT: Record<LedgerEntry['type'], DomainEventType> = {
  earn: 'points.earned',
  bonus: 'points.earned',
  redeem: 'points.redeemed',
  reverse: 'points.reversed',
  adjust: 'points.adjusted',
  expire: 'points.expired',
};

/** The event a committed ledger entry becomes. */
export function ledgerEvent(entry: LedgerEntry): DomainEvent {
  const data: Record<string, unknown> = {
    entryId: entry.entryId,
    entryType: entry.type,
    points: entry.points,
    balance: entry.balanceAfter,
  };
  for (const k of ['orderId', 'refundId', 'reason', 'rewardId', 'amount', 'currency'] as const) {
    if (entry[k] !== undefined) data[k] = entry[k];
  }
  if (entry.type === 'expire' && entry.lots?.[0]) data.expiresAt = entry.lots[0].expiresAt;
  return {
    id: `ledger:${entry.entryId}`,
    type: LEDGER_EVENT[entry.type],
    version: 1,
    occurredAt: entry.at,
    memberId: entry.memberId,
    data,
  };
}

/** A member met a challenge's goal in a period; one per grant (the reward's ledger entry), so the id is that entry's. */
export function challengeCompletedEvent(
  reward: LedgerEntry,
  challenge: { id: string; name: { fa: string; en: string }; target: number; period: string; progress: number },
): DomainEvent {
  return {
    id: `challenge:${reward.entryId}`,
    type: 'challenge.completed',
    version: 1,
    occurredAt: reward.at,
    memberId: reward.memberId,
    data: {
      challengeId: challenge.id,
      name: challenge.name,
      period: challenge.period,
      target: challenge.target,
      progress: challenge.progress,
      points: reward.points,
      // A catalog prize: the code it issued (its reward.issued carries no notice of its own).
      ...(reward.rewardCode !== undefined && { rewardId: reward.rewardId, code: reward.rewardCode }),
      entryId: reward.entryId,
      ...(reward.orderId !== undefined && { orderId: reward.orderId }),
    },
  };
}

/**
 * An issued code, so a shop can create its discount: by a redemption, or as a
 * challenge's catalog prize (`challengeId`, nothing spent). From the code item
 * the transaction wrote (it carries the redemption's or the grant's entry id). One per code.
 */
export function rewardIssuedEvent(code: RewardCode): DomainEvent {
  return {
    id: `reward:${code.code}`,
    type: 'reward.issued',
    version: 1,
    occurredAt: code.issuedAt,
    memberId: code.memberId,
    data: {
      rewardId: code.rewardId,
      code: code.code,
      kind: code.reward.kind,
      pointsPrice: code.pointsPrice,
      expiresAt: code.expiresAt,
      redemptionId: code.redemptionId,
      ...(code.challengeId !== undefined && { challengeId: code.challengeId }),
    },
  };
}

/**
 * An unused code closed with its points given back (staff cancelled it, or it
 * expired and its reward refunds), so a shop can disable its discount. One per
 * code: a code is closed once. From the closed code item: its refund entry's id
 * and the points it returned (the code's price) were written with the close.
 */
export function rewardCancelledEvent(code: RewardCode): DomainEvent {
  return {
    id: `reward-cancelled:${code.code}`,
    type: 'reward.cancelled',
    version: 1,
    occurredAt: code.refundedAt ?? code.issuedAt,
    memberId: code.memberId,
    data: {
      code: code.code,
      rewardId: code.rewardId,
      reason: code.cancelledAt ? 'cancelled' : 'expired',
      pointsReturned: code.pointsPrice,
      entryId: code.refundEntryId,
    },
  };
}

/**
 * The id of a review's tier.changed, the same whether the tier-review job or a
 * balance change that found the review due first writes it, so a subscriber
 * sees one change even if both publish.
 */
export const tierReviewEventId = (memberId: string, at: string) => `tier:review:${memberId}:${at}`;

/**
 * The tier move a balance change made by itself (reached by points, granted by
 * a reward), kept on its ledger entry so the entry's stream record says it; a
 * move by a review is told from the member item instead (tierReviewedEvent),
 * under the review's own id. None if the tier stayed or the last move was a review.
 */
export function tierMoveOf(
  previousTier: string,
  next: { readonly tier?: string; readonly tierHistory?: readonly { readonly at: string; readonly reason: string }[] },
): TierMove | undefined {
  if (next.tier === undefined || next.tier === previousTier) return undefined;
  const last = next.tierHistory?.[next.tierHistory.length - 1];
  if (last && isTierReview(last)) return undefined;
  return { tier: next.tier, previousTier, ...(last?.reason && { reason: last.reason }) };
}

/** The tier.changed of a ledger entry that moved the tier (tierMoveOf). */
export function tierChangedEvent(entry: LedgerEntry): DomainEvent | undefined {
  if (!entry.tierMove) return undefined;
  return {
    id: `tier:${entry.entryId}`,
    type: 'tier.changed',
    version: 1,
    occurredAt: entry.at,
    memberId: entry.memberId,
    data: { ...entry.tierMove, balance: entry.balanceAfter },
  };
}

/**
 * A review that moved the member (the job's, or one a balance change applied
 * first). The id is the member and the review's instant, so whichever wrote it
 * is one event.
 */
export function tierReviewedEvent(
  memberId: string,
  previousTier: string,
  review: { readonly tier: string; readonly tierHistory: readonly { readonly at: string; readonly reason: string }[] },
  balance: number,
): DomainEvent | undefined {
  const last = review.tierHistory[review.tierHistory.length - 1];
  if (review.tier === previousTier || !last || !isTierReview(last)) return undefined;
  return {
    id: tierReviewEventId(memberId, last.at),
    type: 'tier.changed',
    version: 1,
    occurredAt: last.at,
    memberId,
    data: { tier: review.tier, previousTier, reason: last.reason, balance },
  };
}

/**
 * The process-wide sink the local runtime plugs its events file and in-process
 * notifier into (on AWS the runtime uses the EventBridge publisher instead).
 */
let processSink: EventPublisher | undefined;

export function setProcessEventSink(sink: EventPublisher | undefined): void {
  processSink = sink;
}

export const processEvents: EventPublisher = {
  publish: async (events) => {
    // Stands in for the bus: the events are priced as EventBridge would charge for them.
    chargeEvents(events.length);
    if (processSink && events.length) await processSink.publish(events);
  },
};
