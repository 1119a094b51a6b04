/**
 * expire-points: every lot whose expiry is at or before asOf leaves its member's
 * balance with one `expire` ledger entry per member and lot. Only the members
 * whose OLDEST lot is due are read: the expiry index buckets members by the
 * month of that lot and sorts them by its instant.
 */
import { dueExpiryMonths } from '../../domain/automations';
import { DomainError } from '../../domain/errors';
import { dueLots } from '../../domain/lots';
import { decideExpiry } from '../../domain/rules';
import type { IndexBucket } from '../../store/automation-store';
import { expiryIndexPk } from '../../store/keys';
import { applyBalanceChange } from '../balance-change';
import { walkBuckets, type JobDeps, type JobInput, type JobResult, type MemberOutcome } from './job-runner';

export const EXPIRE_POINTS = 'expire-points';

export async function expirePoints(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const settings = await deps.settings();
  const program = await deps.program();
  const asOf = input.asOf;
  // Sort keys are `<expiresAt>#<memberId>`: everything up to asOf, inclusive.
  const buckets: IndexBucket[] = dueExpiryMonths(asOf, settings.expiryLookbackMonths).map((month) => ({
    index: 'expiry',
    pk: expiryIndexPk(month),
    skTo: `${asOf.toISOString()}#\uffff`,
  }));

  const expireOne = async (memberId: string, expiresAt: string, round?: number) =>
    applyBalanceChange(deps, {
      memberId,
      ref: { kind: 'expire', memberId, expiresAt, ...(round === undefined ? {} : { round }) },
      decide: (member) => decideExpiry(member, { expiresAt }, program, asOf),
    });

  return walkBuckets(deps, EXPIRE_POINTS, input, buckets, ['lotsExpired', 'pointsExpired'], async (memberId): Promise<MemberOutcome> => {
    const member = await deps.store.getMember(memberId);
    if (!member) return { acted: false };
    let lots = 0;
    let points = 0;
    for (const lot of dueLots(member.lots, asOf)) {
      try {
        let result = await expireOne(memberId, lot.expiresAt);
        if (result.duplicate) {
          // This lot's expiry is already written. If the member holds points of that
          // expiry again (an order reported long after it was paid), they go too.
          const now = await deps.store.getMember(memberId);
          if (now?.lots.some((l) => l.expiresAt === lot.expiresAt)) result = await expireOne(memberId, lot.expiresAt, now.seq);
        }
        if (!result.duplicate) {
          lots += 1;
          points += -result.entry.points;
        }
      } catch (err) {
        // Spent or expired by someone else between the read and the write: nothing left to do.
        if (err instanceof DomainError && err.code === 'NOTHING_DUE') continue;
        throw err;
      }
    }
    return { acted: lots > 0, lotsExpired: lots, pointsExpired: points };
  });
}
