/**
 * release-pending: the scheduled side of the program's return window. Orders
 * whose pending points are due are released once each (shared/club/pending.ts
 * keys each release on the order), over the sparse RELEASE#<day> index only,
 * walked like every other job: a page at a time, resumable by continuation.
 */
import { orderDayIndexPk } from '../../store/keys';
import type { IndexBucket } from '../../store/automation-store';
import { releaseDays, releaseOrder } from '../pending';
import { walkBuckets, type JobDeps, type JobInput, type JobResult } from './job-runner';

export const RELEASE_PENDING = 'release-pending';

export async function releasePending(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const program = await deps.program();
  const until = `${input.asOf.toISOString()}#\uffff`;
  const buckets: IndexBucket[] = releaseDays(input.asOf).map((day) => ({
    index: 'activity',
    pk: orderDayIndexPk('release', day),
    skTo: until,
  }));
  // The RELEASE# index items are earn entries (ORDER#<id>): the walker hands over order ids.
  return walkBuckets(deps, RELEASE_PENDING, input, buckets, ['released', 'points', 'skipped'], async (orderId) => {
    const r = await releaseOrder(deps, program, orderId);
    return {
      acted: r.outcome === 'released',
      released: r.outcome === 'released' ? 1 : 0,
      points: r.points,
      skipped: r.outcome === 'skipped' ? 1 : 0,
    };
  });
}
