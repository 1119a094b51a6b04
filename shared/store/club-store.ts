/**
 * The store the club's use cases talk to. The interface is in the club's
 * words; DynamoClubStore is its only implementation and owns the key design.
 */
import type { ChallengeProgress } from '../domain/challenges';
import type { LedgerEntry } from '../domain/ledger';
import type { Claim, Member, ProgramState } from '../domain/member';
import type { RewardCode } from '../domain/rewards';
import type { BalanceUpdate } from '../domain/rules';
import type { EntryRef, OrderDayIndex } from './keys';

/** A limit a balance change must stay within, counted in the same transaction. */
export interface CountedLimit {
  readonly counter: 'reward-stock' | 'member-reward';
  readonly rewardId: string;
  readonly memberId?: string;
  readonly limit: number;
}

/** Writes that belong to a balance change and commit (or fail) with it. */
export interface BalanceSideEffects {
  /** A reward code issued by the redemption; written only if the code is new. */
  readonly issueCode?: RewardCode;
  readonly limits?: readonly CountedLimit[];
  /**
   * An unused reward code whose points this change gives back: closed in the same transaction, refused if it was used.
   * With `cancel`, staff cancel it: refused too once it expired, so a use at the till and a cancel never both win.
   */
  readonly refundCode?: { readonly code: string; readonly at: string; readonly cancel?: { readonly reason: string } };
  /** Limits a refunded code had counted: their counters go down by one, with the refund. */
  readonly releaseLimits?: readonly Omit<CountedLimit, 'limit'>[];
  /**
   * Challenge rewards (or their take-backs) the change completes: ledger entries after
   * the main one (the next seqs), each Put only if its key is new, so once per grant.
   */
  readonly entries?: readonly {
    readonly ref: EntryRef;
    readonly entry: LedgerEntry;
    /** A catalog prize's code, put only if new. */
    readonly issueCode?: RewardCode;
    /** A prize code a take-back cancels: only while unused and open (a use at the till since means read again). */
    readonly cancelCode?: { readonly code: string; readonly at: string; readonly reason: string };
  }[];
  /** The member's challenge progress items as the change leaves them; the member's seq condition keeps them exact. */
  readonly progress?: readonly ChallengeProgress[];
  /** Challenges whose period this change starts for the member: counted as participants in the reports, with the entry. */
  readonly started?: readonly string[];
}

export type CommitOutcome =
  /** Written. */
  | 'committed'
  /** The entry's idempotency key is already taken: a duplicate, or a race lost to one. */
  | 'entry-exists'
  /** Someone else changed the member since it was read: read again and retry. */
  | 'member-changed'
  /** A side effect was refused: a limit reached (out of stock, member's limit), or the code to refund was used. */
  | { readonly refused: CountedLimit['counter'] | 'code-not-refundable' };

export interface LedgerPage {
  readonly items: LedgerEntry[];
  readonly nextCursor?: string;
}

export interface OrderEntries {
  readonly earn?: LedgerEntry;
  readonly refunds: LedgerEntry[];
}

/** A member to create as it will be after its opening entry (seq 1, the balance and lots of the entry). */
export interface NewMember {
  readonly member: Member;
  readonly opening?: { readonly ref: EntryRef; readonly entry: LedgerEntry };
}

export interface ClubStore {
  getMember(memberId: string): Promise<Member | undefined>;
  /** Creates the member and claims its identities in one transaction. */
  createMember(member: Member): Promise<'created' | { conflict: 'member' } | { conflict: Claim }>;
  /**
   * New members (each with its opening ledger entry, if any) in as few transactions as
   * their items fit: 'created', or 'alone' for a member whose own conditions failed (a
   * taken id or claim) or whose transaction could not commit; the caller enrols those one
   * by one (createMember), which gives the exact answer. shouldStop is asked before each
   * transaction: once true, the members not yet sent are answered 'alone' too.
   */
  createMembers(batch: readonly NewMember[], shouldStop?: () => boolean): Promise<('created' | 'alone')[]>;
  /** Updates profile fields, moving identity claims in the same transaction. */
  /** `at`: when, for the report's complete-profiles counter (updated in the same transaction). */
  updateProfile(member: Member, next: Member, at: string): Promise<'updated' | 'member-changed' | { conflict: Claim }>;
  findMemberIdByClaim(claim: Claim): Promise<string | undefined>;
  getEntry(ref: EntryRef): Promise<LedgerEntry | undefined>;
  getOrderEntries(orderId: string): Promise<OrderEntries>;
  /** The entry and the member's new balance, in one conditional transaction. */
  commitBalanceChange(
    member: Member,
    ref: EntryRef,
    entry: LedgerEntry,
    next: BalanceUpdate,
    effects?: BalanceSideEffects,
  ): Promise<CommitOutcome>;
  /**
   * A scheduled tier review's outcome on the member item (no ledger entry: points
   * don't move), only onto the member as it was reviewed.
   */
  commitTierReview(member: Member, review: ProgramState): Promise<'committed' | 'member-changed'>;
  /** Stamps the member so every portal link issued until `at` is refused; false if there is no such member. */
  revokePortalLinks(memberId: string, at: string): Promise<boolean>;
  /** The member's progress items of these challenge periods (strongly consistent: a balance change decides on them). */
  getChallengeProgress(memberId: string, periods: readonly { challengeId: string; period: string }[]): Promise<ChallengeProgress[]>;
  listLedger(memberId: string, page: { limit: number; cursor?: string }): Promise<LedgerPage>;
  /** The reward codes the member's redemptions issued, newest first, from their ledger (cursor as listLedger's). */
  listIssuedCodes(memberId: string, page: { limit: number; cursor?: string }): Promise<{ codes: string[]; nextCursor?: string }>;
  /**
   * Orders in a day partition (yyyy-mm-dd, UTC) of an order-day index, up to `until`:
   * pending points released that day, or orders the pilot gate held back.
   */
  ordersOnDay(index: OrderDayIndex, day: string, until: string): Promise<OrderOnDay[]>;
  /** Members whose last purchase was on `day` (yyyy-mm-dd, UTC), from the sparse activity index. */
  membersLastBoughtOn(day: string): Promise<string[]>;
}

export interface OrderOnDay {
  readonly orderId: string;
  readonly memberId: string;
  /** The release time, or when the held order was recorded. */
  readonly at: string;
}
