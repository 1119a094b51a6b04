/**
 * refund-expired-codes: reward codes that expired unused give their points back
 * when their reward says so (refundOnExpiry). Such codes carry a sparse index
 * entry by expiry day (CODEEXP#<day>) until they are used or refunded, so the
 * job reads only those. The refund and the code's closing are one transaction.
 */
import { addDays, dayOf } from '../../domain/automations';
import { DomainError } from '../../domain/errors';
import type { IndexBucket } from '../../store/automation-store';
import { codeExpiryIndexPk } from '../../store/keys';
import { giveCodePointsBack } from '../rewards';
import { walkBuckets, type JobDeps, type JobInput, type JobResult, type MemberOutcome } from './job-runner';

export const REFUND_EXPIRED_CODES = 'refund-expired-codes';

/**
 * Days of CODEEXP# partitions a run reads: the points are owed however long the
 * jobs were down, and an empty day costs one small query (60 a day in all).
 */
export const CODE_REFUND_LOOKBACK_DAYS = 60;

export async function refundExpiredCodes(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const settings = await deps.settings();
  const program = await deps.program();
  const asOf = input.asOf;
  const buckets: IndexBucket[] = Array.from({ length: Math.max(settings.catchUpDays, CODE_REFUND_LOOKBACK_DAYS) }, (_, i) => ({
    index: 'activity' as const,
    pk: codeExpiryIndexPk(dayOf(addDays(asOf, -i).toISOString())),
  }));
  return walkBuckets(
    deps,
    REFUND_EXPIRED_CODES,
    input,
    buckets,
    ['codesRefunded', 'pointsReturned'],
    async (codeId): Promise<MemberOutcome> => {
      const code = await deps.rewards.getCode(codeId);
      if (!code || code.usedAt || code.refundedAt || code.expiresAt > asOf.toISOString()) return { acted: false };
      try {
        const result = await giveCodePointsBack(deps, code, program, asOf, { kind: 'expired' });
        return result.duplicate ? { acted: false } : { acted: true, codesRefunded: 1, pointsReturned: result.entry.points };
      } catch (err) {
        if (err instanceof DomainError && err.code === 'NOTHING_DUE') return { acted: false };
        throw err;
      }
    },
  );
}
