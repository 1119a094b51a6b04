/**
 * The scheduled jobs on AWS: EventBridge Scheduler invokes this with
 * {job, asOf: <aws.scheduler.scheduled-time>}; a run with more work than fits
 * continues itself through a `job.continue` event on the club's bus, which a
 * rule routes back here.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { runScheduled } from '../shared/club/jobs/scheduled';
import { chargeEvents } from '../shared/costs/charges';
import { jobCostRoute, withCost } from '../shared/costs/record';
import { JOB_CONTINUE_DETAIL_TYPE, JOB_EVENT_SOURCE } from '../shared/events/job-events';
import { jobRuntime } from '../shared/http/job-runtime';
import { withWriteDeadline } from '../shared/store/write-deadline';
import { JobInvocation } from '../shared/schemas/jobs';

const logger = new Logger({ serviceName: 'loyalty-club' });
const eventBridge = new EventBridgeClient({});

// Scheduler sends the payload itself; the continuation rule sends an EventBridge event around it.
const fromRule = (event: unknown) => Boolean(event && typeof event === 'object' && 'detail' in event);
const payload = (event: unknown) => (fromRule(event) ? (event as { detail: unknown }).detail : event);

export const handler = withCost(
  {
    route: (event: unknown) => jobCostRoute(fromRule(event) ? 'eventbridge' : 'scheduler', JobInvocation.safeParse(payload(event)).data?.job),
    trigger: (event: unknown) => (fromRule(event) ? 'eventbridge' : 'scheduler'),
  },
  run,
);

async function run(event: unknown, context: Context) {
  const invocation = JobInvocation.parse(payload(event));
  const { runtime, deps } = jobRuntime();
  const remainingMs = () => context.getRemainingTimeInMillis();
  // The members' retry loops and writes stop by the invocation's deadline too (shared/store/write-deadline.ts).
  const result = await withWriteDeadline(remainingMs, () => runScheduled({ ...deps, remainingMs }, invocation, {
    remainingMs,
    continueWith: async (next) => {
      if (!runtime.config.eventBusName) throw new Error('LOYALTY_EVENT_BUS is not set: cannot continue a long job');
      const out = await eventBridge.send(
        new PutEventsCommand({
          Entries: [{ EventBusName: runtime.config.eventBusName, Source: JOB_EVENT_SOURCE, DetailType: JOB_CONTINUE_DETAIL_TYPE, Detail: JSON.stringify(next) }],
        }),
      );
      if (out.FailedEntryCount) throw new Error(`continuation of ${next.job} not accepted: ${out.Entries?.[0]?.ErrorCode}`);
      chargeEvents(1);
      logger.info('job continues in a new invocation', { job: next.job, asOf: next.asOf, hop: next.hop });
    },
  }));
  logger.info('job run', { ...result, continuation: undefined });
  return result;
}
