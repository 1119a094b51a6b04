/**
 * The release of pending points: orders whose return window is over make their
 * points spendable, one transaction each, keyed by the order (ORDER#id/RELEASE)
 * so running the release twice for the same asOf changes nothing the second
 * time. Due orders come from the sparse RELEASE#<day> partitions of gsi3,
 * never a scan.
 */
import { DomainError } from '../domain/errors';
import { decideRelease } from '../domain/rules';
import { applyBalanceChange } from './balance-change';
import { rewardReferral } from './bonuses';
import type { ClubDeps } from './deps';
import type { Program } from '../domain/program';

/** Days back the release looks for due orders, so a few missed runs catch up. */
export const RELEASE_LOOKBACK_DAYS = 14;

export interface ReleaseReport {
  readonly processed: number;
  readonly released: number;
  readonly points: number;
  /** Already released, or cancelled by a refund. */
  readonly skipped: number;
}

const DAY_MS = 86_400_000;

/** The days whose RELEASE# partitions a release as of `asOf` reads, oldest first. */
export function releaseDays(asOf: Date): string[] {
  return Array.from({ length: RELEASE_LOOKBACK_DAYS + 1 }, (_, i) =>
    new Date(asOf.getTime() - (RELEASE_LOOKBACK_DAYS - i) * DAY_MS).toISOString().slice(0, 10),
  );
}

export type ReleaseOutcome = { readonly outcome: 'released' | 'skipped' | 'missing'; readonly points: number };

/** One due order: its pending points become spendable (once), and a first order pays its referral. */
export async function releaseOrder(deps: ClubDeps, program: Program, orderId: string): Promise<ReleaseOutcome> {
  const earned = await deps.store.getEntry({ kind: 'earn', orderId });
  if (!earned) return { outcome: 'missing', points: 0 };
  try {
    const result = await applyBalanceChange(deps, {
      memberId: earned.memberId,
      ref: { kind: 'release', orderId },
      decide: (member) => decideRelease(member, earned, deps.now()),
    });
    // A qualifying order that outlived its return window pays the referral now, if none has (keyed once).
    const { referrer, referred } = program.bonuses.referral;
    if (result.entry.points > 0 && (referrer > 0 || referred > 0)) {
      const member = await deps.store.getMember(earned.memberId);
      if (member) await rewardReferral(deps, program, member, earned);
    }
    return result.duplicate ? { outcome: 'skipped', points: 0 } : { outcome: 'released', points: result.entry.points };
  } catch (err) {
    if (err instanceof DomainError && err.code === 'NOTHING_PENDING') return { outcome: 'skipped', points: 0 };
    throw err;
  }
}

/** Every due order, in this call (the admin route); the scheduled job walks the same days resumably. */
export async function releasePendingPoints(deps: ClubDeps, asOf: Date): Promise<ReleaseReport> {
  const until = asOf.toISOString();
  let processed = 0;
  let released = 0;
  let points = 0;
  let skipped = 0;
  const program = await deps.program();
  for (const day of releaseDays(asOf)) {
    for (const due of await deps.store.ordersOnDay('release', day, until)) {
      processed++;
      const r = await releaseOrder(deps, program, due.orderId);
      if (r.outcome === 'released') released++;
      if (r.outcome === 'skipped') skipped++;
      points += r.points;
    }
  }
  return { processed, released, points, skipped };
}
