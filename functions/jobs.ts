/**
 * The scheduled jobs on AWS: EventBridge Scheduler invokes this with
 * {job, asOf: <aws.scheduler.scheduled-time>}; a run with more work than fits
 * continues itself through a `job.continue` event on the club's bus, which a
 * rule routes back here. `npm start` invokes this same handler with the same
 * payloads (local/automations.ts).
 */
import type { Context } from 'aws-lambda';
import { runScheduled } from '../shared/club/jobs/scheduled';
import { jobCostRoute, withCost } from '../shared/costs/record';
import { lambdaHandler, logger } from '../shared/lambda';
import { withWriteDeadline } from '../shared/store/write-deadline';
import { JobInvocation } from '../shared/schemas/jobs';
import { wiring } from '../shared/wiring';

// Scheduler sends the payload itself; the continuation rule sends an EventBridge event around it.
const fromRule = (event: unknown) => Boolean(event && typeof event === 'object' && 'detail' in event);
const payload = (event: unknown) => (fromRule(event) ? (event as { detail: unknown }).detail : event);

export const handler = lambdaHandler(
  withCost(
    {
      route: (event: unknown) =>
        jobCostRoute(fromRule(event) ? 'eventbridge' : 'scheduler', JobInvocation.safeParse(payload(event)).data?.job),
      trigger: (event: unknown) => (fromRule(event) ? 'eventbridge' : 'scheduler'),
    },
    run,
  ),
);

async function run(event: unknown, context: Context) {
  const invocation = JobInvocation.parse(payload(event));
  const { jobs, continueJob } = wiring();
  const remainingMs = () => context.getRemainingTimeInMillis();
  // The members' retry loops and writes stop by the invocation's deadline too (shared/store/write-deadline.ts).
  const result = await withWriteDeadline(remainingMs, () =>
    runScheduled({ ...jobs, remainingMs }, invocation, {
      remainingMs,
      continueWith: async (next) => {
        await continueJob(next);
        logger.info('job continues in a new invocation', { job: next.job, asOf: next.asOf, hop: next.hop });
      },
    }),
  );
  // A firing outside the program's hour is most of them (23 a day per job): not worth a line each.
  if (result.skipped) logger.debug('job not due', { job: result.job, skipped: result.skipped });
  else logger.info('job run', { ...result, continuation: undefined });
  return result;
}
