/**
 * The one loop every balance write goes through: read, decide by the pure
 * rules, commit entry + member in one conditional transaction; on a lost race
 * read again. A taken idempotency key ends the loop with the first result.
 * The change's domain events are read off the committed items by the table's
 * stream (the outbox), not published from here.
 */
import { concurrentUpdate, DomainError, notFound } from '../domain/errors';
import type { LedgerEntry } from '../domain/ledger';
import type { Member, ProgramState } from '../domain/member';
import type { BalanceUpdate, Decision } from '../domain/rules';
import { newId } from '../ids';
import { AGAIN, AGAIN_NOW, withRetries, type RetryPolicy } from '../retry';
import type { BalanceSideEffects } from '../store/club-store';
import type { EntryRef } from '../store/keys';
import { DeadlineReached } from '../store/write-deadline';
import { tierMoveOf } from '../events/events';
import { planChallengeMoves, type PlannedReward } from './challenges';
import type { ClubDeps } from './deps';

/**
 * Without a deadline (CLI, tests): enough for dozens of writers on one member; each round one of them wins.
 * The wait grows to 1 s so a crowd spreads out: capped at 50 ms, 100 redemptions at once on one member kept
 * colliding and 35 ran out of time (503); at 1 s all 100 commit (`npm run bench -- --only contention`).
 * The first retries wait what they did (5, 10, 20… ms): two or three writers never come near the cap.
 */
const LOST_RACES: RetryPolicy = { attempts: 60, baseMs: 5, capMs: 1000 };

/**
 * No commit is sent with less time left than this: one transaction, the events
 * after it and the answer fit well inside it, so a commit never lands behind
 * the function's timeout (and its error answer). Above the store's own guard
 * (WRITE_RESERVE_MS), so contention answers CONCURRENT_UPDATE, not a timeout.
 */
export const COMMIT_RESERVE_MS = 1_500;

export interface BalanceChangeResult {
  readonly entry: LedgerEntry;
  readonly balance: number;
  readonly duplicate: boolean;
}

export interface BalanceChange {
  readonly memberId: string;
  readonly ref: EntryRef;
  /** Checks a stored entry under the same key is the same request; throws if it isn't. */
  readonly sameRequest?: (existing: LedgerEntry) => void;
  /** Decides the entry from a fresh member read; throws DomainError to refuse. */
  readonly decide: (member: Member) => Promise<Decision> | Decision;
  /** Writes that commit with the entry (a reward code, stock counters), from the attempt's decision. */
  readonly effects?: (member: Member, decision: Decision) => BalanceSideEffects;
  /**
   * Entries the member is owed that this change pays with it (a profile bonus held back
   * while the club was collecting): read on each attempt, committed after the change's own
   * entry in the same transaction, each Put only if its key is new, so once.
   */
  readonly owed?: (member: Member) => Promise<Owed>;
}

/** What a change pays with it, and what the reads behind that found already paid. */
export interface Owed {
  readonly entries: readonly ChainedEntry[];
  /** Member fields the change writes with its own (a bonus found paid, so no later change reads it again). */
  readonly settled?: ProgramState;
}

const NOTHING_OWED: Owed = { entries: [] };

/** A ledger entry committed after the change's own, decided on the member as the entries before it leave them. */
export interface ChainedEntry {
  readonly ref: EntryRef;
  readonly decide: (member: Member) => Decision;
  /** A challenge's catalog prize: its code issued, or closed on a take-back, with the entry. */
  readonly issueCode?: PlannedReward['issueCode'];
  readonly cancelCode?: PlannedReward['cancelCode'];
}

const LIMIT_REFUSAL: Record<string, () => DomainError> = {
  'reward-stock': () => new DomainError('OUT_OF_STOCK', 'this reward has no codes left'),
  'member-reward': () => new DomainError('REWARD_LIMIT_REACHED', 'this member has redeemed this reward as often as allowed'),
  'code-not-refundable': () => new DomainError('NOTHING_DUE', 'the reward code was used or refunded meanwhile'),
};

export async function applyBalanceChange(deps: ClubDeps, change: BalanceChange): Promise<BalanceChangeResult> {
  const deadline = { remainingMs: deps.remainingMs, reserveMs: COMMIT_RESERVE_MS };
  return withRetries(
    { ...LOST_RACES, deadline },
    async () => {
      // No read of the change's own entry first: the Put's condition is what guarantees once, and
      // a first try (nearly every request) then costs the member read alone. The entry is read only
      // where a repeat shows itself: a cancelled commit, or a refusal a repeat can meet (a repeated
      // redemption whose points are spent answers its first result, not 422).
      const member = await deps.store.getMember(change.memberId);
      if (!member) return (await repeatOf(deps, change)) ?? throwError(notFound('member', change.memberId, 'MEMBER_NOT_FOUND'));
      let planned: [Decision, Owed];
      try {
        planned = await Promise.all([change.decide(member), change.owed?.(member) ?? NOTHING_OWED]);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        return (await repeatOf(deps, change)) ?? throwError(err);
      }
      const [decision, owed] = planned;
      const now = deps.now();
      // A move by points or a reward is told from the entry; a review's from the member item (its own id).
      const base: LedgerEntry = {
        ...decision.entry,
        entryId: newId(now.getTime()),
        memberId: member.memberId,
        at: now.toISOString(),
        seq: member.seq + 1,
        balanceAfter: decision.next.balance,
      };
      const own = owed.settled ? { ...decision.next, ...owed.settled } : decision.next;
      const paid = chainEntries({ state: { ...member, ...own, seq: base.seq }, next: own, entries: [] }, owed.entries, now);
      // Only entries that move a challenge read progress: without challenges a change costs what it did.
      const challenges = [base, ...paid.entries.map((e) => e.entry)].flatMap((e) => e.challenges ?? []);
      const moves = challenges.length > 0 ? await planChallengeMoves(deps, member, { ...decision.entry, challenges }) : undefined;
      if (deps.remainingMs && deps.remainingMs() < COMMIT_RESERVE_MS) throw busy(member.memberId);
      const chained = chainEntries(paid, moves?.rewards ?? [], now);
      const next = chained.next;
      // Told on the change's own entry, with the entries it brought (owed bonus, challenge rewards) counted in.
      const tierMove = tierMoveOf(member.tier, next);
      const entry: LedgerEntry = tierMove ? { ...base, tierMove } : base;
      const effects = change.effects?.(member, decision);
      const outcome = await deps.store
        .commitBalanceChange(
          member,
          change.ref,
          entry,
          next,
          chained.entries.length > 0 || moves
            ? { ...effects, entries: chained.entries, progress: moves?.progress, started: moves?.started }
            : effects,
        )
        .catch((err: unknown) => {
          // The store's guard refused to send the commit this close to the deadline: nothing was
          // written, and the time went on losing races (or a slow store), so the caller retries.
          if (err instanceof DeadlineReached) throw busy(member.memberId);
          throw err;
        });
      if (typeof outcome === 'object') return (await repeatOf(deps, change)) ?? throwError(LIMIT_REFUSAL[outcome.refused]!());
      // Its events come from the table's stream (shared/events/stream-events.ts): nothing to lose between here and the bus.
      if (outcome === 'committed') {
        return { entry, balance: next.balance, duplicate: false };
      }
      // entry-exists: a repeat (or a racing twin that won) answers the committed entry's result.
      if (outcome === 'entry-exists') return (await repeatOf(deps, change)) ?? AGAIN_NOW;
      // member-changed: decide again, after a jittered wait.
      return AGAIN;
    },
    () => busy(change.memberId),
  );
}

/** The result a change already committed answers again, or undefined if it never committed. */
async function repeatOf(deps: ClubDeps, change: BalanceChange): Promise<BalanceChangeResult | undefined> {
  const existing = await deps.store.getEntry(change.ref);
  if (!existing) return undefined;
  change.sameRequest?.(existing);
  // Nothing to publish again: the commit's events came off the table's stream.
  return { entry: existing, balance: existing.balanceAfter, duplicate: true };
}

function throwError(err: unknown): never {
  throw err;
}

interface Chain {
  /** The member as the entries so far leave them. */
  readonly state: Member;
  readonly next: BalanceUpdate;
  readonly entries: NonNullable<BalanceSideEffects['entries']>;
}

/**
 * Entries after the change's own (owed bonuses, then challenge rewards): each decided
 * on the member as the entries before it leave them, with the next seq, so the ledger
 * reads in order and the member's balance is the last entry's.
 */
function chainEntries(start: Chain, items: readonly ChainedEntry[], now: Date): Chain {
  let { state, next } = start;
  const entries = [...start.entries];
  for (const item of items) {
    const d = item.decide(state);
    const chainedEntry: LedgerEntry = {
      ...d.entry,
      entryId: newId(now.getTime()),
      memberId: state.memberId,
      at: now.toISOString(),
      seq: state.seq + 1,
      balanceAfter: d.next.balance,
    };
    state = { ...state, ...d.next, seq: chainedEntry.seq };
    next = { ...next, ...d.next };
    // A prize code's reward.issued / reward.cancelled come off its item's stream record, like a redemption's.
    entries.push({
      ref: item.ref,
      entry: chainedEntry,
      ...(item.issueCode && { issueCode: item.issueCode }),
      ...(item.cancelCode && {
        cancelCode: { code: item.cancelCode.code.code, at: chainedEntry.at, reason: item.cancelCode.reason },
      }),
    });
  }
  return { state, next, entries };
}

const busy = (memberId: string) =>
  concurrentUpdate(`member ${memberId} kept changing under this request; nothing was written, send it again`);
