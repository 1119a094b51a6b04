/**
 * The automations on one machine, through the very handlers AWS runs
 * (functions/jobs.ts, functions/notifier.ts) with the events AWS sends them: domain
 * events go to events.jsonl and, as the bus's rule would, to the notifier
 * (messages to outbox.jsonl, printed, never sent); the schedule fires every hour
 * as EventBridge Scheduler does, and the jobs handler decides, as on AWS, whether
 * it is the program's hour. Only *when* is decided here. LOYALTY_SCHEDULES=off
 * turns the schedule off (the tests run jobs by hand through the admin route).
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { handler as jobsHandler } from '../functions/jobs';
import { handler as notifierHandler, type NotifierEvent } from '../functions/notifier';
import { DAILY_JOBS, HOURLY_JOBS, type JobResult } from '../shared/club/jobs';
import { readLocalConfig } from '../shared/config';
import { separateInvocation } from '../shared/costs/record';
import { EVENT_SOURCE, type DomainEvent } from '../shared/events/events';
import { JOB_CONTINUE_DETAIL_TYPE, JOB_EVENT_SOURCE } from '../shared/events/job-events';
import type { NotifyOutcome } from '../shared/notify/notifier';
import { TEMPLATES } from '../shared/notify/templates';
import type { JobInvocation } from '../shared/schemas/jobs';
import { localStandIns, setLocalStandIns } from '../shared/wiring';
import type { ClubContext, ClubService } from './club';
import { LOCAL_REGION } from './dynamodb-local';
import { LocalEventsService } from './events';
import { FUNCTION_TIMEOUT_MS, lambdaContext } from './lambda-context';
import { OutboxSender } from './outbox';

/** An event as an EventBridge rule delivers it to its target. */
function ruleEvent<D>(source: string, detailType: string, detail: D, time = new Date()): EventBridgeEvent<string, D> {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': detailType,
    source,
    account: '000000000000',
    time: time.toISOString(),
    region: LOCAL_REGION,
    resources: [],
    detail,
  };
}

/** The notifier's invocation for one event, as the bus's rule makes it: its own, paid by itself (docs/costs.md). */
function invokeNotifier(event: NotifierEvent): Promise<unknown> {
  return separateInvocation(() => notifierHandler(event, lambdaContext('notifier', FUNCTION_TIMEOUT_MS.notifier)));
}

/** Events file + the notifier handler, whose messages go to the outbox. */
export function localEventsAndNotifier(options: { dir?: string } = {}): ClubService & Pick<LocalEventsService, 'drained'> {
  const events = new LocalEventsService({
    dir: options.dir,
    // Where SES and the SMS panel would be: the outbox file and the console; set before the first event can arrive.
    beforePolling: (dir, ctx) =>
      setLocalStandIns({ senders: { sms: new OutboxSender('sms', dir, ctx.log), email: new OutboxSender('email', dir, ctx.log) } }),
    onEvents: async (published, ctx) => {
      // As on AWS: the bus's rule invokes the notifier once per event that has a template.
      const outcomes: NotifyOutcome[] = [];
      const failures: unknown[] = [];
      for (const event of published.filter((e) => TEMPLATES[e.type])) {
        try {
          outcomes.push(
            ...((await invokeNotifier(
              ruleEvent<DomainEvent>(EVENT_SOURCE, event.type, event, new Date(event.occurredAt)),
            )) as NotifyOutcome[]),
          );
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length) throw new AggregateError(failures, `${failures.length} message(s) failed`);
      // Sent ones print from the outbox; say why the others did not go out (yet).
      for (const o of outcomes) {
        if (o.status !== 'sent')
          ctx.log(
            `[notifier] ${o.eventId}: ${o.status}${o.reason ? ` (${o.reason})` : o.status === 'deferred' ? ' until quiet hours end' : ''}`,
          );
      }
    },
  });
  return {
    name: events.name,
    async start(ctx) {
      await events.start(ctx);
    },
    allStarted: () => events.allStarted(),
    drained: () => events.drained(),
    async stop() {
      setLocalStandIns({ senders: undefined });
      await events.stop();
    },
  };
}

/** One invocation the schedule made, and what the handler answered (or why it failed). */
export interface ScheduledInvocation {
  readonly function: 'jobs' | 'notifier';
  readonly event: unknown;
  readonly result?: unknown;
  readonly error?: string;
}

/**
 * Fires as the stack's schedules do, once per UTC hour (checked every minute, and
 * at start): each of DAILY_JOBS with {job, asOf, daily: true}, HOURLY_JOBS with
 * {job, asOf}, then the notifier's {flushDeferred: true}. A job with more work
 * than one invocation continues through the handler's `job.continue` event, which
 * this delivers back to it as the bus's rule would.
 */
export class LocalScheduleService implements ClubService {
  readonly name = 'schedules (daily jobs)';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ScheduledInvocation[]> | undefined;
  private lastHour = '';
  private continuations: JobInvocation[] = [];
  private ctx: ClubContext | undefined;

  constructor(private readonly options: { enabled?: boolean; tickMs?: number; firstTickMs?: number; now?: () => Date } = {}) {}

  async start(ctx: ClubContext): Promise<void> {
    const enabled = this.options.enabled ?? readLocalConfig().schedules;
    if (!enabled) return;
    this.ctx = ctx;
    setLocalStandIns({ continueJob: async (next) => void this.continuations.push(next) });
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 60_000);
    this.timer.unref();
    // The first check shortly after start, once the HTTP API is up.
    setTimeout(() => void this.tick(), this.options.firstTickMs ?? 2_000).unref();
  }

  /** One check: invokes what is due now, and answers what it invoked. Exposed for tests. */
  tick(): Promise<ScheduledInvocation[]> {
    this.running ??= this.runDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runDue(): Promise<ScheduledInvocation[]> {
    const ctx = this.ctx;
    if (!ctx) return [];
    const now = this.options.now?.() ?? new Date();
    const hour = now.toISOString().slice(0, 13);
    if (hour === this.lastHour) return [];
    this.lastHour = hour;
    const asOf = now.toISOString();
    const invoked: ScheduledInvocation[] = [];
    for (const job of DAILY_JOBS) invoked.push(...(await this.invokeJob({ job, asOf, daily: true }, ctx)));
    for (const job of HOURLY_JOBS) invoked.push(...(await this.invokeJob({ job, asOf }, ctx)));
    // Only where the club runs its notifier (the outbox is its senders).
    if (this.notifierRunning()) {
      const event = { flushDeferred: true };
      try {
        invoked.push({
          function: 'notifier',
          event,
          result: await notifierHandler(event, lambdaContext('notifier', FUNCTION_TIMEOUT_MS.notifier)),
        });
      } catch (err) {
        ctx.log(`[schedules] sending deferred messages failed: ${String(err)}`);
        invoked.push({ function: 'notifier', event, error: String(err) });
      }
    }
    return invoked;
  }

  private notifierRunning(): boolean {
    return localStandIns().senders !== undefined;
  }

  /** The schedule's invocation, then the continuations it hands to the bus, one after another. */
  private async invokeJob(payload: JobInvocation, ctx: ClubContext): Promise<ScheduledInvocation[]> {
    const invoked: ScheduledInvocation[] = [];
    let event: unknown = payload;
    for (;;) {
      const job = payload.job;
      try {
        const result = (await jobsHandler(event, lambdaContext('jobs', FUNCTION_TIMEOUT_MS.jobs))) as JobResult & { skipped?: string };
        invoked.push({ function: 'jobs', event, result });
        if (!result.skipped && (result.processed || result.failed || payload.daily)) {
          ctx.log(`[schedules] ${job}: processed ${result.processed}${result.failed ? `, ${result.failed} failed` : ''}`);
        }
      } catch (err) {
        ctx.log(`[schedules] ${job} failed: ${String(err)}`);
        invoked.push({ function: 'jobs', event, error: String(err) });
      }
      const next = this.continuations.shift();
      if (!next) return invoked;
      event = ruleEvent(JOB_EVENT_SOURCE, JOB_CONTINUE_DETAIL_TYPE, next);
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    if (this.ctx) setLocalStandIns({ continueJob: undefined });
    this.ctx = undefined;
  }
}
