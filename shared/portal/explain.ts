/**
 * What a member's page needs from the program, as facts the page words in the
 * member's language: how points are earned, what tiers there are, what the
 * catalog offers them. Pure: the program and the member in, plain data out.
 */
import type { PointsLot, PointsValidity } from '../domain/lots';
import type { Member } from '../domain/member';
import { localTime, pointsValidityOf, type Program } from '../domain/program';

export type EarnRule =
  | { kind: 'per-unit'; pointsPerUnit: string; currency: string; rounding: 'floor' | 'round' | 'ceil' }
  | { kind: 'minimum-order'; amount: string; currency: string }
  | { kind: 'category'; category: string; multiplier: string }
  | { kind: 'pending'; days: number }
  | { kind: 'expiry'; validity: PointsValidity }
  | {
      kind: 'tier';
      tierId: string;
      name: string;
      threshold: number;
      basis: 'points' | 'spend';
      multiplier: string;
      perks: readonly string[];
    }
  | { kind: 'bonus'; bonus: 'signUp' | 'firstPurchase' | 'birthday' | 'profileCompletion' | 'referrer' | 'referred'; points: number }
  | {
      kind: 'campaign';
      name: string;
      start: string;
      end: string;
      effect: { type: string; multiplier?: string; points?: number; over?: string };
    };

/** The program's rules a member can act on, in order of how much they matter. Campaigns: running or still to come. */
export function howToEarn(program: Program, now: Date): EarnRule[] {
  const e = program.earning;
  const rules: EarnRule[] = [{ kind: 'per-unit', pointsPerUnit: e.pointsPerUnit, currency: program.currency, rounding: e.rounding }];
  if (e.minimumOrder !== '0') rules.push({ kind: 'minimum-order', amount: e.minimumOrder, currency: program.currency });
  for (const [category, multiplier] of Object.entries(e.categoryMultipliers)) rules.push({ kind: 'category', category, multiplier });
  if (e.returnWindowDays > 0) rules.push({ kind: 'pending', days: e.returnWindowDays });
  const today = localTime(now, program.timeZone).date;
  for (const c of program.campaigns) {
    // Campaigns aimed at a tag or the pilot are not advertised to everyone.
    if (c.end < today || c.target.tags || c.target.pilotOnly) continue;
    rules.push({ kind: 'campaign', name: c.name, start: c.start, end: c.end, effect: c.effect });
  }
  const b = program.bonuses;
  const bonuses = [
    ['signUp', b.signUp],
    ['firstPurchase', b.firstPurchase],
    ['birthday', b.birthday],
    ['profileCompletion', b.profileCompletion],
    ['referrer', b.referral.referrer],
    ['referred', b.referral.referred],
  ] as const;
  for (const [bonus, points] of bonuses) if (points > 0) rules.push({ kind: 'bonus', bonus, points });
  for (const l of program.tiers.levels) {
    rules.push({
      kind: 'tier',
      tierId: l.id,
      name: l.name,
      threshold: l.threshold,
      basis: program.tiers.basis,
      multiplier: l.multiplier,
      perks: l.perks,
    });
  }
  rules.push({ kind: 'expiry', validity: pointsValidityOf(program) });
  return rules;
}

export interface RewardOption {
  readonly rewardId: string;
  readonly name: string;
  readonly kind: string;
  readonly pointsPrice: number;
  readonly amount: string | null;
  readonly percent: number | null;
  /** The member has the points (and the reward is for them, now). */
  readonly affordable: boolean;
  /** Points still missing; 0 when affordable. */
  readonly pointsToGo: number;
}

/** The catalog as this member sees it: what is for them now, cheapest first, each saying whether they can afford it. */
export function rewardOptions(program: Program, member: Pick<Member, 'balance' | 'tier'>, now: Date): RewardOption[] {
  const catalog = program.rewards ?? [];
  const t = now.toISOString();
  return catalog
    .filter((r) => !(r.availableFrom && t < r.availableFrom) && !(r.availableUntil && t > r.availableUntil))
    .filter((r) => !r.tiers || r.tiers.includes(member.tier))
    .map((r) => ({
      rewardId: r.rewardId,
      name: r.name,
      kind: r.kind,
      pointsPrice: r.pointsPrice,
      amount: r.amount ?? null,
      percent: r.percent ?? null,
      affordable: member.balance >= r.pointsPrice,
      pointsToGo: Math.max(0, r.pointsPrice - member.balance),
    }))
    .sort((a, b) => a.pointsPrice - b.pointsPrice || a.rewardId.localeCompare(b.rewardId));
}

/** Lots expiring within `days` of now ("soon" on the page), oldest first; lots that never expire never are. */
export function expiringSoon(lots: readonly PointsLot[], now: Date, days = 90) {
  const until = new Date(now.getTime() + days * 86_400_000).toISOString();
  return lots.flatMap((l) =>
    l.points > 0 && l.expiresAt !== undefined && l.expiresAt <= until ? [{ points: l.points, expiresAt: l.expiresAt }] : [],
  );
}
