import * as z from 'zod';
import { Instant } from './common';

export const JobPathParams = z.object({
  job: z.string().min(1).max(64).meta({
    description:
      'A scheduled job (expire-points, expiry-reminders, reengage, welcome, …) or a maintenance job run by hand only: reindex-names, normalize-phones.',
    example: 'expire-points',
  }),
});

export const RunJobBody = z
  .strictObject({
    asOf: Instant.optional().meta({ description: 'Run as if the clock read this instant; default now.', example: '2027-04-01T00:00:00Z' }),
    continuation: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .meta({ description: 'From an earlier result with complete: false: resume there.' }),
  })
  .meta({ id: 'RunJobRequest' });

/** What EventBridge Scheduler (and a job's own continuation) sends the jobs Lambda. */
export const JobInvocation = z.object({
  job: z.string().min(1).max(64),
  /** Scheduler fills this from <aws.scheduler.scheduled-time>, so its retries share one asOf. */
  asOf: Instant.optional(),
  continuation: z.string().min(1).max(2048).optional(),
  /**
   * From the hourly schedules: run only when asOf is in the program's daily hour
   * (automation.runAtHour in the program's time zone), so a store's edit of its
   * zone or hour moves the runs without a redeploy.
   */
  daily: z.boolean().optional(),
  /** How many times this run has continued itself; a runaway chain stops. */
  hop: z.number().int().min(0).max(1000).optional(),
});
export type JobInvocation = z.infer<typeof JobInvocation>;

export const JobResultView = z
  .looseObject({
    job: z.string(),
    asOf: z.string(),
    processed: z.number().int().meta({ description: 'Members the run changed something for; 0 on a rerun for the same asOf.' }),
    examined: z.number().int().meta({ description: 'Candidates read from the sparse index.' }),
    failed: z.number().int(),
    complete: z.boolean().meta({ description: 'false: send continuation back to finish the run.' }),
    continuation: z.string().optional(),
  })
  .meta({ id: 'JobResult', description: 'Plus per-job counts: lotsExpired/pointsExpired, reminders/pointsExpiring, offers/bonusPoints.' });
