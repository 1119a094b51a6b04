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

export async function releasePendingPoints(deps: ClubDeps, asOf: Date): Promise<ReleaseReport> {
  const until = asOf.toISOString();
  let processed = 0;
  let released = 0;
  let points = 0;
  let skipped = 0;
  const program = await deps.program();
  for (let back = RELEASE_LOOKBACK_DAYS; back >= 0; back--) {
    const day = new Date(asOf.getTime() - back * DAY_MS).toISOString().slice(0, 10);
    for (const due of await deps.store.ordersOnDay('release', day, until)) {
      processed++;
      const earned = await deps.store.getEntry({ kind: 'earn', orderId: due.orderId });
      if (!earned) continue;
      try {
        const result = await applyBalanceChange(deps, {
          memberId: due.memberId,
          ref: { kind: 'release', orderId: due.orderId },
          decide: (member) => decideRelease(member, earned, deps.now()),
        });
        if (result.duplicate) skipped++;
        else {
          released++;
          points += result.entry.points;
        }
        // A first order that outlived its return window pays its referral now.
        if (earned.firstPurchase && result.entry.points > 0) {
          const member = await deps.store.getMember(due.memberId);
          if (member) await rewardReferral(deps, program, member, earned);
        }
      } catch (err) {
        if (err instanceof DomainError && err.code === 'NOTHING_PENDING') skipped++;
        else throw err;
      }
    }
  }
  return { processed, released, points, skipped };
}
