/**
 * The one loop every balance write goes through: read, decide by the pure
 * rules, commit entry + member in one conditional transaction; on a lost race
 * read again. A taken idempotency key ends the loop with the first result.
 * The change's domain events are read off the committed items by the table's
 * stream (the outbox), not published from here.
 */
import { concurrentUpdate, DomainError, notFound } from '../domain/errors';
import type { LedgerEntry } from '../domain/ledger';
import type { Member } from '../domain/member';
import type { BalanceUpdate, Decision } from '../domain/rules';
import { newId } from '../ids';
import { AGAIN, AGAIN_NOW, withRetries, type RetryPolicy } from '../retry';
import type { BalanceSideEffects } from '../store/club-store';
import type { EntryRef } from '../store/keys';
import { DeadlineReached } from '../store/write-deadline';
import { tierMoveOf } from '../events/events';
import { planChallengeMoves, type ChallengeMoves } from './challenges';
import type { ClubDeps } from './deps';

/** Without a deadline (CLI, tests): enough for dozens of writers on one member; each round one of them wins. */
const LOST_RACES: RetryPolicy = { attempts: 60, baseMs: 5, capMs: 50 };

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
      // The entry read runs beside the member read (no added latency) and is what
      // makes a retried webhook cost 2 reads instead of a cancelled transaction,
      // and a repeated redemption answer its first result even once the points are
      // spent. The Put's condition, not this read, is what guarantees once.
      const [existing, member] = await Promise.all([deps.store.getEntry(change.ref), deps.store.getMember(change.memberId)]);
      if (existing) {
        change.sameRequest?.(existing);
        return { entry: existing, balance: existing.balanceAfter, duplicate: true };
      }
      if (!member) throw notFound('member', change.memberId, 'MEMBER_NOT_FOUND');
      const decision = await change.decide(member);
      // Only an entry that moves a challenge reads progress: without challenges a change costs what it did.
      const moves = decision.entry.challenges?.length ? await planChallengeMoves(deps, member, decision.entry) : undefined;
      if (deps.remainingMs && deps.remainingMs() < COMMIT_RESERVE_MS) throw busy(member.memberId);
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
      const rewards = moves && chainRewards(member, base, decision, moves, now);
      const next = rewards?.next ?? decision.next;
      // Told on the change's own entry, with the challenge rewards it brought counted in.
      const tierMove = tierMoveOf(member.tier, next);
      const entry: LedgerEntry = tierMove ? { ...base, tierMove } : base;
      const effects = change.effects?.(member, decision);
      const outcome = await deps.store
        .commitBalanceChange(
          member,
          change.ref,
          entry,
          next,
          moves ? { ...effects, entries: rewards!.entries, progress: moves.progress, started: moves.started } : effects,
        )
        .catch((err: unknown) => {
          // The store's guard refused to send the commit this close to the deadline: nothing was
          // written, and the time went on losing races (or a slow store), so the caller retries.
          if (err instanceof DeadlineReached) throw busy(member.memberId);
          throw err;
        });
      if (typeof outcome === 'object') throw LIMIT_REFUSAL[outcome.refused]!();
      // Its events come from the table's stream (shared/events/stream-events.ts): nothing to lose between here and the bus.
      if (outcome === 'committed') {
        return { entry, balance: next.balance, duplicate: false };
      }
      // entry-exists: the next read returns the winner's result. member-changed: decide again, after a jittered wait.
      return outcome === 'member-changed' ? AGAIN : AGAIN_NOW;
    },
    () => busy(change.memberId),
  );
}

/**
 * The challenge rewards after the change's own entry: each decided on the member
 * as the entries before it leave them, with the next seq, so the ledger reads in
 * order and the member's balance is the last entry's.
 */
function chainRewards(member: Member, entry: LedgerEntry, decision: Decision, moves: ChallengeMoves, now: Date) {
  let state: Member = { ...member, ...decision.next, seq: entry.seq };
  let next: BalanceUpdate = decision.next;
  const entries: { ref: EntryRef; entry: LedgerEntry }[] = [];
  for (const [i, reward] of moves.rewards.entries()) {
    const d = reward.decide(state);
    const rewardEntry: LedgerEntry = {
      ...d.entry,
      entryId: newId(now.getTime()),
      memberId: member.memberId,
      at: now.toISOString(),
      seq: entry.seq + 1 + i,
      balanceAfter: d.next.balance,
    };
    state = { ...state, ...d.next, seq: rewardEntry.seq };
    next = { ...next, ...d.next };
    entries.push({ ref: reward.ref, entry: rewardEntry });
  }
  return { next, entries };
}

const busy = (memberId: string) =>
  concurrentUpdate(`member ${memberId} kept changing under this request; nothing was written, send it again`);
