/**
 * Challenges as pure rules: which period a moment falls in (program time zone),
 * which challenges a member plays, what an order, a refund, a referral or a
 * completed profile adds to each, and when the goal is met or no longer met.
 * The store keeps one progress item per (member, challenge, period); because
 * the period is in its key, a repeating challenge starts fresh each period and
 * nothing ever has to touch a member who did nothing.
 */
import type { ChallengeRules } from '../schemas/program';
import { DomainError } from './errors';
import { jalaliToGregorian } from './jalali';
import type { Member } from './member';
import { findReward, type ProgramWithRewards, type RewardCode, type RewardDefinition } from './rewards';
import type { Decision } from './rules';
import { compareDecimals, proportionFloor, type Decimal } from './money';
import { localTime, programRunsFor, type Program } from './program';

export type { ChallengeRules };

/** The programs saved before challenges existed have none. */
export const challengesOf = (program: Pick<Program, 'challenges'>): readonly ChallengeRules[] => program.challenges ?? [];

// ---------------------------------------------------------------- periods

/**
 * The calendar an Iranian store lives by: a monthly challenge in Asia/Tehran
 * runs for a Jalali month (1 Farvardin to the month's last day) and a weekly one
 * from Saturday (shanbe) to Friday, the Iranian week. Everywhere else a month is
 * the calendar month and a week runs Monday to Sunday (ISO, as reports count
 * weeks). Days are always the program time zone's days, like campaigns'.
 */
const usesJalali = (timeZone: string) => timeZone === 'Asia/Tehran';

export interface Period {
  /** Goes into the progress item's and the reward's keys: 'once', 'M2027-03', 'J1405-01', 'W2027-03-15' (the week's first day). */
  readonly key: string;
  /** The first local day of the period (yyyy-mm-dd, Gregorian). */
  readonly start: string;
  /** The day after its last (exclusive end), local. */
  readonly next: string;
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
const addDays = (date: string, n: number) => dateOf(dayNumber(date) + n);
const pad = (n: number) => String(n).padStart(2, '0');

/** The Jalali year and month a Gregorian day is in, with the Gregorian first days of that month and the next. */
function jalaliMonthOf(date: string): { jy: number; jm: number; start: string; next: string } {
  let jy = Number(date.slice(0, 4)) - 621;
  if (date < jalaliToGregorian(jy, 1, 1)) jy -= 1;
  let jm = 12;
  while (jm > 1 && jalaliToGregorian(jy, jm, 1) > date) jm -= 1;
  const next = jm === 12 ? jalaliToGregorian(jy + 1, 1, 1) : jalaliToGregorian(jy, jm + 1, 1);
  return { jy, jm, start: jalaliToGregorian(jy, jm, 1), next };
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** The period of a challenge a moment falls in; undefined when a dated challenge does not run then. */
export function periodOf(challenge: Pick<ChallengeRules, 'period'>, at: string | Date, timeZone: string): Period | undefined {
  const local = localTime(at, timeZone);
  const p = challenge.period;
  if ('from' in p) return local.date < p.from || local.date > p.to ? undefined : { key: 'once', start: p.from, next: addDays(p.to, 1) };
  if (p.repeat === 'monthly') {
    if (usesJalali(timeZone)) {
      const j = jalaliMonthOf(local.date);
      return { key: `J${j.jy}-${pad(j.jm)}`, start: j.start, next: j.next };
    }
    const [y, m] = [Number(local.date.slice(0, 4)), Number(local.date.slice(5, 7))];
    const start = `${local.date.slice(0, 7)}-01`;
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
    return { key: `M${local.date.slice(0, 7)}`, start, next };
  }
  const firstDay = usesJalali(timeZone) ? 6 : 1; // Saturday in Iran, Monday elsewhere (index in WEEKDAYS)
  const back = (WEEKDAYS.indexOf(local.weekday) - firstDay + 7) % 7;
  const start = addDays(local.date, -back);
  return { key: `W${start}`, start, next: addDays(start, 7) };
}

/** The instant a local day starts in the time zone (what "ends at" means for a period's exclusive end). */
export function startOfLocalDay(date: string, timeZone: string): string {
  const wall = Date.parse(`${date}T00:00:00Z`);
  let guess = wall;
  // Two rounds settle a DST change; the offset is read back from the zone itself.
  for (let i = 0; i < 2; i++) {
    const l = localTime(new Date(guess), timeZone);
    const offset = Date.parse(`${l.date}T${l.time}:00Z`) - guess;
    guess = wall - offset;
  }
  return new Date(guess).toISOString();
}

// ---------------------------------------------------------------- who plays

export type ChallengeMember = Pick<Member, 'memberId' | 'tier' | 'tags' | 'joinedAt'>;

/** The audience rule of campaigns' targets: every given condition holds; and the program runs for the member (pilot). */
export function challengeApplies(challenge: ChallengeRules, member: ChallengeMember, program: Program): boolean {
  if (!programRunsFor(program, member)) return false;
  const a = challenge.audience;
  if (!a) return true;
  if (a.tiers && !a.tiers.includes(member.tier)) return false;
  if (a.tags && !(member.tags ?? []).some((t) => a.tags!.includes(t))) return false;
  if (a.joinedAfter && !(Date.parse(member.joinedAt) > Date.parse(a.joinedAfter))) return false;
  return true;
}

// ---------------------------------------------------------------- progress

/** What moved a member toward their challenges. */
export type ChallengeActivity =
  | {
      readonly kind: 'order';
      /** When the order happened: decides the period. */
      readonly at: string;
      /** Whole units of program currency the order is worth. */
      readonly spend: number;
      /** Whole units of program currency by line category. */
      readonly categories: Readonly<Record<string, number>>;
    }
  | { readonly kind: 'referral'; readonly at: string }
  | { readonly kind: 'profile'; readonly at: string };

/** What one activity added to one challenge's period; an order keeps these so its refunds take them back. */
export interface ChallengeContribution {
  readonly id: string;
  readonly period: string;
  readonly kind: ChallengeRules['goal']['kind'];
  readonly added: number;
}

/** What the activity adds to the challenge's goal (0: nothing). */
export function contributionOf(challenge: ChallengeRules, activity: ChallengeActivity): number {
  const g = challenge.goal;
  switch (activity.kind) {
    case 'order':
      if (g.kind === 'orders') return 1;
      if (g.kind === 'spend') return activity.spend;
      if (g.kind === 'category') return activity.categories[g.category!] ?? 0;
      return 0;
    case 'referral':
      return g.kind === 'referrals' ? 1 : 0;
    case 'profile':
      return g.kind === 'profile' ? 1 : 0;
  }
}

/** The challenges an activity moves, with their periods and what it adds: only those that apply to the member and run then. */
export function contributionsFor(program: Program, member: ChallengeMember, activity: ChallengeActivity): ChallengeContribution[] {
  const out: ChallengeContribution[] = [];
  for (const c of challengesOf(program)) {
    if (!challengeApplies(c, member, program)) continue;
    const added = contributionOf(c, activity);
    if (added <= 0) continue;
    const period = periodOf(c, activity.at, program.timeZone);
    if (period) out.push({ id: c.id, period: period.key, kind: c.goal.kind, added });
  }
  return out;
}

/**
 * What a refund takes back of what the order added: an order stops counting
 * once refunded in full; spend goes back by the same cumulative share as the
 * points (floor of the whole times the refunded share, minus what earlier
 * refunds took), so partial refunds never drift and all of them take it all.
 */
export function takenBack(
  contribution: Pick<ChallengeContribution, 'kind' | 'added'>,
  refunded: { readonly before: Decimal; readonly after: Decimal; readonly paid: Decimal },
): number {
  const full = (d: Decimal) => compareDecimals(d, refunded.paid) >= 0;
  if (contribution.kind !== 'spend' && contribution.kind !== 'category') {
    return full(refunded.after) && !full(refunded.before) ? contribution.added : 0;
  }
  const share = (d: Decimal) => (full(d) ? contribution.added : proportionFloor(contribution.added, d, refunded.paid));
  return share(refunded.after) - share(refunded.before);
}

/** One member's standing in one challenge's period (the progress item). */
export interface ChallengeProgress {
  readonly challengeId: string;
  readonly period: string;
  readonly progress: number;
  /** Set while the goal is met; cleared when a refund drops the progress below the target. */
  readonly completedAt?: string;
  /** How many times the reward was granted in this period; each grant has its own key, each take-back its grant's. */
  readonly grants: number;
  /** Points the held reward granted: what a take-back reverses, whatever the program says by then. */
  readonly rewardPoints?: number;
  /** A catalog prize held: the code it issued (what a take-back cancels) and its reward's points price (what reports count). */
  readonly rewardCode?: string;
  readonly prizePoints?: number;
}

export type RewardMove = { readonly move: 'grant' | 'take-back'; readonly round: number };

/**
 * Progress after a change: never below zero; the reward is granted when the
 * target is reached (one grant held at a time), and taken back only when a
 * refund (a negative change) drops the progress below the target.
 */
export function decideProgress(
  challenge: Pick<ChallengeRules, 'id' | 'goal'>,
  before: ChallengeProgress | undefined,
  period: string,
  change: number,
  at: string,
  /** The held reward can't be taken back (a prize code already used): a drop below the target keeps the completion. */
  rewardKept = false,
): { after: ChallengeProgress; reward?: RewardMove } {
  const prior: ChallengeProgress = before ?? { challengeId: challenge.id, period, progress: 0, grants: 0 };
  const raw = Math.max(0, prior.progress + change);
  // A profile is complete or not: it never counts twice.
  const progress = challenge.goal.kind === 'profile' ? Math.min(raw, 1) : raw;
  const met = progress >= challenge.goal.target;
  if (met && prior.completedAt === undefined) {
    const grants = prior.grants + 1;
    return { after: { ...prior, progress, completedAt: at, grants }, reward: { move: 'grant', round: grants } };
  }
  if (!met && prior.completedAt !== undefined && change < 0 && !rewardKept) {
    const { completedAt: _done, ...rest } = prior;
    return { after: { ...rest, progress }, reward: { move: 'take-back', round: prior.grants } };
  }
  return { after: { ...prior, progress } };
}

// ---------------------------------------------------------------- catalog prizes

/** What a take-back does to a prize's code: an unused one is cancelled; a used one stays the member's; a closed one is left as it is. */
export type PrizeTakeBack = 'cancel' | 'keep' | 'closed';

/**
 * A prize code already used at the till was consumed: it can't be given back, so the
 * member keeps it and the period stays completed (no second prize in it). An unused
 * code is cancelled with the take-back; one staff already cancelled needs nothing more.
 */
export function decidePrizeTakeBack(code: Pick<RewardCode, 'usedAt' | 'refundedAt' | 'cancelledAt'> | undefined): PrizeTakeBack {
  if (code?.usedAt) return 'keep';
  if (!code || code.refundedAt || code.cancelledAt) return 'closed';
  return 'cancel';
}

/**
 * The ledger line of a catalog prize (or its take-back): no points move, so the balance and
 * lots stay; it names the reward and the code (a grant, so "my codes" lists it) and carries
 * the reward's points price, signed, as what the prize cost (the reports' figure).
 */
export function decidePrize(
  member: Pick<Member, 'balance' | 'lots' | 'lifetimePoints'>,
  prize: { readonly move: RewardMove['move']; readonly rewardId: string; readonly code: string; readonly pointsPrice: number },
  entry: { readonly reason: string; readonly key: string; readonly programVersion: number },
  now: Date,
): Decision {
  const grant = prize.move === 'grant';
  return {
    entry: {
      type: grant ? 'bonus' : 'reverse',
      points: 0,
      reason: entry.reason,
      programVersion: entry.programVersion,
      idempotencyKey: entry.key,
      rewardId: prize.rewardId,
      ...(grant && { rewardCode: prize.code }),
      prizePoints: grant ? prize.pointsPrice : -prize.pointsPrice,
    },
    next: {
      balance: member.balance,
      lots: member.lots,
      lifetimePoints: member.lifetimePoints,
      ...(grant && { lastActivityAt: now.toISOString() }),
    },
  };
}

/** What one completion costs in points: the reward's points, or the catalog prize's points price (REWARD_NOT_FOUND when the catalog lacks it). */
export function rewardCostOf(challenge: Pick<ChallengeRules, 'reward'>, program: ProgramWithRewards): number {
  return 'points' in challenge.reward ? challenge.reward.points : findReward(program, challenge.reward.rewardId).pointsPrice;
}

/** The catalog reward a prize code is issued from: free (nothing to give back when cancelled or expired). */
export function prizeDefinition(reward: RewardDefinition): RewardDefinition {
  return { ...reward, pointsPrice: 0, refundOnExpiry: false };
}

/**
 * A program whose challenge gives a catalog reward that has ended (`availableUntil`
 * passed) is refused when saved: a new period would promise a reward the store has
 * retired. A reward that ends after the save still pays the periods already promised.
 */
export function checkPrizesAvailable(
  program: { readonly challenges?: readonly ChallengeRules[]; readonly rewards?: readonly RewardDefinition[] },
  now: Date,
): void {
  const details = (program.challenges ?? []).flatMap((c, i) => {
    if (!('rewardId' in c.reward)) return [];
    const rewardId = c.reward.rewardId;
    const reward = (program.rewards ?? []).find((r) => r.rewardId === rewardId);
    return reward?.availableUntil !== undefined && Date.parse(reward.availableUntil) <= now.getTime()
      ? [{ path: `body.challenges.${i}.reward.rewardId`, message: `reward ${rewardId} ended at ${reward.availableUntil}` }]
      : [];
  });
  if (details.length > 0) throw new DomainError('VALIDATION_FAILED', "a challenge's prize is a reward no longer available", details);
}
