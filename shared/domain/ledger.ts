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
  /** Lots the points came out of (debits) or went into (credits). */
  readonly lots?: readonly PointsLot[];
}

export type LedgerEntryDraft = Omit<LedgerEntry, 'balanceAfter' | 'seq' | 'memberId' | 'entryId' | 'at'>;
