/**
 * Challenges in the club: an entry that moves progress (an order, its refund, a
 * referral or profile bonus) says so in its `challenges`; the balance change
 * that commits it reads those progress items with the member, decides by the
 * pure rules (shared/domain/challenges.ts) and commits progress and rewards in
 * the same transaction. A program without challenges reads and writes nothing
 * more than before.
 */
import {
  challengeApplies,
  challengesOf,
  contributionsFor,
  decidePrize,
  decidePrizeTakeBack,
  decideProgress,
  periodOf,
  prizeDefinition,
  startOfLocalDay,
  type ChallengeActivity,
  type ChallengeProgress,
} from '../domain/challenges';
import type { LedgerEntryDraft } from '../domain/ledger';
import type { Member } from '../domain/member';
import { toWhole } from '../domain/ratio';
import { notFound } from '../domain/errors';
import { findReward, issueCode, type RewardCode } from '../domain/rewards';
import { valueInProgramCurrency, type Program } from '../domain/program';
import { decideBonus, type Decision, type EarnRequest } from '../domain/rules';
import type { EntryRef } from '../store/keys';
import type { ClubDeps } from './deps';

/** A reward (or its take-back) the change commits after its own entry. */
export interface PlannedReward {
  readonly ref: EntryRef;
  readonly decide: (member: Member) => Decision;
  /** A catalog prize's code, written with the grant (only if new). */
  readonly issueCode?: RewardCode;
  /** A take-back's prize code, closed in the same transaction (only while unused). */
  readonly cancelCode?: { readonly code: RewardCode; readonly reason: string };
}

export interface ChallengeMoves {
  readonly progress: readonly ChallengeProgress[];
  readonly rewards: readonly PlannedReward[];
  /** Challenges whose period the change starts for the member (no progress before): the reports' participants. */
  readonly started: readonly string[];
}

/** An entry's draft with what its activity adds to the member's challenges (unchanged when none apply). */
export function withChallenges(decision: Decision, program: Program, member: Member, activity: () => ChallengeActivity): Decision {
  if (challengesOf(program).length === 0) return decision;
  const challenges = contributionsFor(program, member, activity());
  return challenges.length === 0 ? decision : { ...decision, entry: { ...decision.entry, challenges } };
}

const whole = (program: Program, amount: EarnRequest['amount'], currency: string) =>
  Math.min(Number(toWhole(valueInProgramCurrency(program, amount, currency), 'floor')), Number.MAX_SAFE_INTEGER);

/** An order as challenges measure it: when it happened, its whole units of program currency, and by line category. */
export function orderActivity(
  program: Program,
  req: Pick<EarnRequest, 'amount' | 'currency' | 'lineItems'>,
  entry: Pick<LedgerEntryDraft, 'occurredAt'>,
  now: Date,
): Extract<ChallengeActivity, { kind: 'order' }> {
  const categories: Record<string, number> = {};
  if (challengesOf(program).some((c) => c.goal.kind === 'category')) {
    // Summed exactly per category before the floor, like the order's own value.
    const byCategory = new Map<string, EarnRequest['amount'][]>();
    for (const line of req.lineItems ?? []) {
      if (line.category !== undefined) byCategory.set(line.category, [...(byCategory.get(line.category) ?? []), line.amount]);
    }
    for (const [category, amounts] of byCategory) {
      categories[category] = amounts.reduce((sum, a) => sum + whole(program, a, req.currency), 0);
    }
  }
  return { kind: 'order', at: entry.occurredAt ?? now.toISOString(), spend: whole(program, req.amount, req.currency), categories };
}

/**
 * What the entry's challenge changes do to the progress items (read fresh, with
 * the member) and which rewards they grant or take back. Challenges removed from
 * the program since are left alone.
 */
export async function planChallengeMoves(deps: ClubDeps, member: Member, entry: LedgerEntryDraft): Promise<ChallengeMoves | undefined> {
  const program = await deps.program();
  const changes = (entry.challenges ?? []).flatMap((c) => {
    const challenge = challengesOf(program).find((d) => d.id === c.id);
    return challenge ? [{ challenge, period: c.period, change: c.added }] : [];
  });
  if (changes.length === 0) return undefined;
  const stored = await deps.store.getChallengeProgress(
    member.memberId,
    changes.map((c) => ({ challengeId: c.challenge.id, period: c.period })),
  );
  const at = deps.now().toISOString();
  const progress: ChallengeProgress[] = [];
  const rewards: PlannedReward[] = [];
  const started: string[] = [];
  for (const { challenge, period, change } of changes) {
    const before = stored.find((p) => p.challengeId === challenge.id && p.period === period);
    let decided = decideProgress(challenge, before, period, change, at);
    // A take-back of a prize reads its code: a code already used at the till stays the member's, and so does the completion.
    let prizeCode: RewardCode | undefined;
    if (decided.reward?.move === 'take-back' && before?.rewardCode !== undefined) {
      prizeCode = await deps.rewards.getCode(before.rewardCode);
      if (decidePrizeTakeBack(prizeCode) === 'keep') decided = decideProgress(challenge, before, period, change, at, true);
    }
    const { after, reward } = decided;
    if (before === undefined && after.progress > 0) started.push(challenge.id);
    if (!reward) {
      progress.push(after);
      continue;
    }
    const ref: EntryRef = {
      kind: 'challenge',
      memberId: member.memberId,
      challengeId: challenge.id,
      period,
      round: reward.round,
      ...(reward.move === 'take-back' && { takeBack: true }),
    };
    const name = `challenge ${challenge.id} (${period})`;
    const key = `challenge-${challenge.id}-${period}-${reward.round}${reward.move === 'take-back' ? '-back' : ''}`;
    const stamp = (d: Decision): Decision => ({
      ...d,
      entry: { ...d.entry, challengeId: challenge.id, period, ...(entry.orderId !== undefined && { orderId: entry.orderId }) },
    });
    if (reward.move === 'grant') {
      // What challenge.completed says, on the grant's entry: the table's stream tells the event from it.
      const challengeCompleted = { name: challenge.name, target: challenge.goal.target, progress: after.progress };
      const completes = (d: Decision): Decision => ({ ...d, entry: { ...d.entry, challengeCompleted } });
      if ('rewardId' in challenge.reward) {
        // A catalog prize: its code is issued free in this transaction, whatever the catalog's stock and limits say.
        const catalog = findReward(program, challenge.reward.rewardId);
        const code = issueCode(prizeDefinition(catalog), member.memberId, key, deps.now());
        progress.push({ ...after, rewardCode: code.code, prizePoints: catalog.pointsPrice });
        const prize = { move: 'grant' as const, rewardId: catalog.rewardId, code: code.code, pointsPrice: catalog.pointsPrice };
        rewards.push({
          ref,
          decide: (m) =>
            completes(
              stamp(
                decidePrize(
                  m,
                  prize,
                  { reason: `${name} completed: reward ${catalog.rewardId}`, key, programVersion: program.version },
                  deps.now(),
                ),
              ),
            ),
          issueCode: code,
        });
        continue;
      }
      const points = challenge.reward.points;
      progress.push({ ...after, rewardPoints: points });
      rewards.push({
        ref,
        decide: (m) => completes(stamp(decideBonus(m, { points, reason: `${name} completed`, key }, program, deps.now()))),
      });
    } else if (before?.rewardCode !== undefined) {
      const { rewardCode: _code, prizePoints, ...rest } = after;
      const rewardCode = before.rewardCode;
      progress.push(rest);
      const closing = decidePrizeTakeBack(prizeCode) === 'cancel' ? prizeCode : undefined;
      const why = `${name} reward taken back: the goal is no longer met`;
      const prize = {
        move: 'take-back' as const,
        rewardId: prizeCode?.rewardId ?? ('rewardId' in challenge.reward ? challenge.reward.rewardId : ''),
        code: rewardCode,
        pointsPrice: prizePoints ?? 0,
      };
      rewards.push({
        ref,
        decide: (m) =>
          stamp(
            decidePrize(
              m,
              prize,
              { reason: `${why}; code ${rewardCode} ${closing ? 'cancelled' : 'already closed'}`, key, programVersion: program.version },
              deps.now(),
            ),
          ),
        ...(closing && { cancelCode: { code: closing, reason: why } }),
      });
    } else {
      const { rewardPoints: held, ...rest } = after;
      progress.push(rest);
      const points = held ?? ('points' in challenge.reward ? challenge.reward.points : 0);
      rewards.push({
        ref,
        decide: (m) =>
          stamp(
            decideBonus(m, { points: -points, reason: `${name} reward taken back: the goal is no longer met`, key }, program, deps.now()),
          ),
      });
    }
  }
  return { progress, rewards, started };
}

/** The challenges a member plays now, with their progress in the current period: the member page and staff read this. */
export async function memberChallenges(deps: ClubDeps, memberId: string, known?: Member) {
  const member = known ?? (await deps.store.getMember(memberId));
  if (!member) throw notFound('member', memberId, 'MEMBER_NOT_FOUND');
  const program = await deps.program();
  const now = deps.now();
  const running = challengesOf(program).flatMap((challenge) => {
    if (!challengeApplies(challenge, member, program)) return [];
    const period = periodOf(challenge, now, program.timeZone);
    return period ? [{ challenge, period }] : [];
  });
  const stored = await deps.store.getChallengeProgress(
    memberId,
    running.map((r) => ({ challengeId: r.challenge.id, period: r.period.key })),
  );
  return running.map(({ challenge, period }) => {
    const p = stored.find((s) => s.challengeId === challenge.id && s.period === period.key);
    return {
      id: challenge.id,
      name: challenge.name,
      kind: challenge.goal.kind,
      ...(challenge.goal.category !== undefined && { category: challenge.goal.category }),
      target: challenge.goal.target,
      progress: p?.progress ?? 0,
      completedAt: p?.completedAt ?? null,
      reward:
        'points' in challenge.reward
          ? challenge.reward
          : { rewardId: challenge.reward.rewardId, name: findReward(program, challenge.reward.rewardId).name },
      period: period.key,
      endsAt: startOfLocalDay(period.next, program.timeZone),
    };
  });
}
