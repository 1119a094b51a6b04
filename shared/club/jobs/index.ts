/** The scheduled jobs by name: what the schedules, the jobs Lambda and the admin route run. */
import { DomainError } from '../../domain/errors';
import { expirePoints, EXPIRE_POINTS } from './expire-points';
import { expiryReminders, EXPIRY_REMINDERS } from './expiry-reminders';
import type { JobDeps, JobInput, JobResult } from './job-runner';
import { reengage, REENGAGE, welcome, WELCOME } from './reengage';
import { refundExpiredCodes, REFUND_EXPIRED_CODES } from './refund-expired-codes';
import { birthday, BIRTHDAY } from './birthday';
import { releasePending, RELEASE_PENDING } from './release-pending';
import { tierReview, TIER_REVIEW } from './tier-review';
import { republishEvents, REPUBLISH_EVENTS } from './republish-events';
import { reindexNames, REINDEX_NAMES } from './reindex-names';
import { normalizePhones, NORMALIZE_PHONES } from './normalize-phones';

export type { JobDeps, JobInput, JobResult } from './job-runner';

export const JOBS = {
  [EXPIRE_POINTS]: expirePoints,
  [EXPIRY_REMINDERS]: expiryReminders,
  [REENGAGE]: reengage,
  [WELCOME]: welcome,
  [REFUND_EXPIRED_CODES]: refundExpiredCodes,
  [BIRTHDAY]: birthday,
  [RELEASE_PENDING]: releasePending,
  [TIER_REVIEW]: tierReview,
  [REPUBLISH_EVENTS]: republishEvents,
  // Maintenance, by hand only (POST /v1/admin/jobs/reindex-names/run, npx loyalty jobs run reindex-names): not in DAILY_JOBS or HOURLY_JOBS.
  [REINDEX_NAMES]: reindexNames,
  // Once, by hand, after upgrading to phones kept in E.164.
  [NORMALIZE_PHONES]: normalizePhones,
} as const satisfies Record<string, (deps: JobDeps, input: JobInput) => Promise<JobResult>>;

export type JobName = keyof typeof JOBS;
export const JOB_NAMES = Object.keys(JOBS) as JobName[];

/**
 * The daily order: pending points are released first (they become lots that may
 * be reminded of), and expiry runs before reminders, so nobody is reminded of
 * points already gone. The tier review comes last: it moves no points.
 */
export const DAILY_JOBS: readonly JobName[] = [
  RELEASE_PENDING,
  EXPIRE_POINTS,
  EXPIRY_REMINDERS,
  REENGAGE,
  WELCOME,
  REFUND_EXPIRED_CODES,
  BIRTHDAY,
  TIER_REVIEW,
];

/** Every hour, not once a day: events the bus refused should not wait a day. */
export const HOURLY_JOBS: readonly JobName[] = [REPUBLISH_EVENTS];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOBS, name);
}

export async function runJob(deps: JobDeps, name: string, input: JobInput): Promise<JobResult> {
  if (!isJobName(name)) {
    throw new DomainError('JOB_NOT_FOUND', `no job ${name}; jobs are ${JOB_NAMES.join(', ')}`, [{ path: 'job', message: 'unknown job' }]);
  }
  return JOBS[name](deps, input);
}
