/**
 * A scheduled invocation: run the job within the Lambda's time, and when there
 * is more work than one run's worth, hand the rest to the next run (through
 * the `continue` callback: on AWS an event on the club's bus that invokes the
 * jobs function again). Failed members make the invocation fail after the rest
 * is done, so the schedule's retry policy reruns it (idempotent per asOf).
 * The schedules fire hourly; a `daily` invocation outside the program's hour
 * returns at once (one program read), which is what lets the store move its
 * time zone or hour without a redeploy.
 */
import { localTime } from '../../domain/automations';
import type { JobInvocation } from '../../schemas/jobs';
import { runJob, type JobDeps, type JobResult } from './index';

export const MAX_HOPS = 200;

export interface ScheduledRunOptions {
  /** Milliseconds this invocation may still use. */
  readonly remainingMs: () => number;
  /** Kept free at the end for the continuation and the response. */
  readonly reserveMs?: number;
  readonly continueWith: (next: JobInvocation) => Promise<void>;
}

export async function runScheduled(deps: JobDeps, invocation: JobInvocation, options: ScheduledRunOptions): Promise<JobResult> {
  const asOf = invocation.asOf ? new Date(invocation.asOf) : deps.now();
  // A continuation carries on whatever the hour; only the schedule's own firing is gated.
  if (invocation.daily && !invocation.continuation) {
    const settings = await deps.settings();
    const local = localTime(asOf, settings.timeZone);
    if (local.hour !== settings.runAtHour) {
      return {
        job: invocation.job,
        asOf: asOf.toISOString(),
        processed: 0,
        examined: 0,
        failed: 0,
        complete: true,
        skipped: `runs at ${String(settings.runAtHour).padStart(2, '0')}:00 ${settings.timeZone}; it is ${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')} there`,
      };
    }
  }
  const reserve = options.reserveMs ?? 20_000;
  const result = await runJob(deps, invocation.job, {
    asOf,
    continuation: invocation.continuation,
    shouldStop: () => options.remainingMs() < reserve,
  });
  if (!result.complete && result.continuation) {
    const hop = (invocation.hop ?? 0) + 1;
    if (hop > MAX_HOPS) throw new Error(`${invocation.job} for ${asOf.toISOString()} continued ${MAX_HOPS} times without finishing`);
    await options.continueWith({ job: invocation.job, asOf: asOf.toISOString(), continuation: result.continuation, hop });
  }
  if (result.failed > 0) {
    throw new Error(
      `${invocation.job} for ${asOf.toISOString()}: ${result.failed} member(s) failed; the retry finishes them (${JSON.stringify(result.errors ?? [])})`,
    );
  }
  return result;
}
