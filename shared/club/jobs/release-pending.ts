/**
 * release-pending: the scheduled side of the program's return window. Orders
 * whose pending points are due are released once each (shared/club/pending.ts
 * keys each release on the order), over the sparse RELEASE#<day> index only.
 */
import { releasePendingPoints } from '../pending';
import type { JobDeps, JobInput, JobResult } from './job-runner';

export const RELEASE_PENDING = 'release-pending';

export async function releasePending(deps: JobDeps, input: JobInput): Promise<JobResult> {
  const report = await releasePendingPoints(deps, input.asOf);
  return {
    job: RELEASE_PENDING,
    asOf: input.asOf.toISOString(),
    processed: report.released,
    examined: report.processed,
    failed: 0,
    complete: true,
    released: report.released,
    points: report.points,
    skipped: report.skipped,
  };
}
