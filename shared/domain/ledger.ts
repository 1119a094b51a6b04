import type { ChallengeContribution } from './challenges';
import type { PointsLot } from './lots';

export const LEDGER_TYPES = ['earn', 'bonus', 'redeem', 'reverse', 'expire', 'adjust'] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

/** One line of a member's ledger. Written once, never changed. */
export interface LedgerEntry {
  readonly entryId: string;
  readonly memberId: string;
  readonly type: LedgerType;
  /** Signed: + credits, − debits. */
  readonly points: number;
  readonly balanceAfter: number;
  /** Position in the member's ledger, 1-based. */
  readonly seq: number;
  readonly at: string;
  readonly programVersion: number;
  readonly orderId?: string;
  readonly refundId?: string;
  readonly reason?: string;
  /** Earn: what the order paid (decimal string) and in which currency. */
  readonly amount?: string;
  readonly currency?: string;
  /** Redeem and adjust: the caller's key. */
  readonly idempotencyKey?: string;
  readonly rewardId?: string;
  /** Redeem of a catalog reward: the code it issued. */
  readonly rewardCode?: string;
  /** Adjust: who made it (audit). */
  readonly actor?: string;
  /** Earn: the campaigns that priced the order. */
  readonly campaigns?: readonly string[];
  /**
   * Points that are not (or no longer) spendable: + on an earn still in its return
   * window, − on a refund that cancelled pending points. Not part of the balance.
   */
  readonly pendingPoints?: number;
  /** Earn with pending points: when the release makes them spendable. */
  readonly releaseAt?: string;
  /** Earn: recorded with no points because the program ran for its pilot group only. */
  readonly heldByPilot?: boolean;
  /** Earn: when the order happened, when the caller said so and it was before the entry was recorded. */
  readonly occurredAt?: string;
  /** Earn: the member's first paid order (first-purchase and referral bonuses hang on it). */
  readonly firstPurchase?: boolean;
  /** Earn, when tiers count spend: the whole units of program currency the order qualified with. */
  readonly qualifyingSpend?: number;
  /** Earn: the month bucket its qualifying (tier) points went into; refunds take them back from it. */
  readonly tierMonth?: string;
  /** An order's local day under a per-day cap: a refund gives that day's room back. */
  readonly earnDay?: string;
  /** Earn: what the order added to each challenge's period; its refunds take that back. */
  readonly challenges?: readonly ChallengeContribution[];
  /** A challenge's reward (or its take-back): the challenge and period it was for. */
  readonly challengeId?: string;
  readonly period?: string;
  /** A challenge's grant: what its challenge.completed event tells (read off the table's stream). */
  readonly challengeCompleted?: {
    readonly name: { readonly fa: string; readonly en: string };
    readonly target: number;
    readonly progress: number;
  };
  /** A challenge's catalog prize (no points move): its reward's points price, + on the grant, − on the take-back; what reports count as its cost. */
  readonly prizePoints?: number;
  /** Lots the points came out of (debits) or went into (credits). */
  readonly lots?: readonly PointsLot[];
  /**
   * The tier this change moved the member to by itself (points reached it, a
   * reward granted it): written on the entry so the table's stream, which sees
   * items one at a time, can tell tier.changed from the entry alone.
   */
  readonly tierMove?: TierMove;
  /**
   * An order's earn: the member's order history before it, when they had ordered before.
   * Written on the entry so the table's stream, which derives the report counters from
   * items one at a time, tells a repeat order and its gap from the entry alone.
   */
  readonly priorOrders?: { readonly orders: number; readonly firstOrderAt: string; readonly lastOrderAt: string };
  /** The challenges whose period this change started for the member (their first progress): each counts a participant. */
  readonly challengesStarted?: readonly string[];
}

export interface TierMove {
  readonly tier: string;
  readonly previousTier: string;
  readonly reason?: string;
}

export type LedgerEntryDraft = Omit<LedgerEntry, 'balanceAfter' | 'seq' | 'memberId' | 'entryId' | 'at'>;

/** All an order earned: points spendable at once plus those that waited out the return window. */
export function orderPoints(earn: Pick<LedgerEntry, 'points' | 'pendingPoints'>): number {
  return earn.points + (earn.pendingPoints ?? 0);
}
