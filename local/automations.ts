/**
 * The automations on one machine: domain events to events.jsonl feeding the
 * notifier (messages to outbox.jsonl, printed, never sent), and the daily
 * schedule that runs the jobs at the program's hour. LOYALTY_SCHEDULES=off
 * turns the schedule off (the tests run jobs by hand through the admin route).
 */
import { DAILY_JOBS, HOURLY_JOBS, runJob } from '../shared/club/jobs';
import { costed, jobCostRoute, notifierCostRoute, separateInvocation } from '../shared/costs/record';
import { localTime } from '../shared/domain/automations';
import { jobRuntime } from '../shared/http/job-runtime';
import { flushDeferred, notify, type NotifierDeps, type NotifyOutcome } from '../shared/notify/notifier';
import { TEMPLATES } from '../shared/notify/templates';
import type { ClubContext, ClubService } from './club';
import { LocalEventsService } from './events';
import { OutboxSender } from './outbox';

function notifierDeps(dir: string, log: (line: string) => void): NotifierDeps {
  const { deps } = jobRuntime();
  return {
    store: deps.store,
    automation: deps.automation,
    settings: deps.settings,
    now: deps.now,
    program: deps.program,
    senders: { sms: new OutboxSender('sms', dir, log), email: new OutboxSender('email', dir, log) },
  };
}

/** Events file + in-process notifier writing to the outbox. */
export function localEventsAndNotifier(options: { dir?: string } = {}): LocalEventsService {
  return new LocalEventsService({
    dir: options.dir,
    onEvents: async (events, ctx) => {
      // As on AWS: the bus's rule invokes the notifier once per event that has a template, each
      // invocation paid by itself (not by the request that published the event: docs/costs.md).
      const outcomes: NotifyOutcome[] = [];
      const failures: unknown[] = [];
      for (const event of events.filter((e) => TEMPLATES[e.type])) {
        const deps = notifierDeps(ctx.dir, ctx.log);
        try {
          outcomes.push(...(await separateInvocation(() => costed({ route: notifierCostRoute('eventbridge', event.type), trigger: 'eventbridge' }, () => notify(deps, [event])))));
        } catch (err) {
          failures.push(err);
        }
      }
      if (failures.length) throw new AggregateError(failures, `${failures.length} message(s) failed`);
      // Sent ones print from the outbox; say why the others did not go out (yet).
      for (const o of outcomes) {
        if (o.status !== 'sent') ctx.log(`[notifier] ${o.eventId}: ${o.status}${o.reason ? ` (${o.reason})` : o.status === 'deferred' ? ' until quiet hours end' : ''}`);
      }
    },
  });
}

/**
 * Runs DAILY_JOBS once a day at the program's local hour (checked every
 * minute), plus HOURLY_JOBS and the quiet-hours flush every hour. A day missed while the club
 * was off is caught up at the next start after the hour: the jobs are
 * idempotent per asOf and look back (catch-up days, expiry look-back).
 */
export class LocalScheduleService implements ClubService {
  readonly name = 'schedules (daily jobs)';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastDay = '';
  private lastFlushHour = '';
  private lastHourlyHour = '';
  private ctx: ClubContext | undefined;

  constructor(
    private readonly options: { enabled?: boolean; dir?: string; tickMs?: number; firstTickMs?: number; now?: () => Date } = {},
  ) {}

  async start(ctx: ClubContext): Promise<void> {
    const enabled = this.options.enabled ?? process.env.LOYALTY_SCHEDULES !== 'off';
    if (!enabled) return;
    this.ctx = ctx;
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 60_000);
    this.timer.unref();
    // The first check shortly after start, once the HTTP API is up.
    setTimeout(() => void this.tick(), this.options.firstTickMs ?? 2_000).unref();
  }

  /** One check: runs what is due now. Exposed for tests. */
  tick(): Promise<void> {
    this.running ??= this.runDue().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runDue(): Promise<void> {
    const ctx = this.ctx;
    if (!ctx) return;
    const { deps } = jobRuntime();
    const settings = await deps.settings();
    const now = this.options.now?.() ?? deps.now();
    const local = localTime(now, settings.timeZone);
    if (local.hour >= settings.runAtHour && local.date !== this.lastDay) {
      this.lastDay = local.date;
      for (const job of DAILY_JOBS) {
        try {
          const result = await costed({ route: jobCostRoute('scheduler', job), trigger: 'scheduler' }, () => runJob(deps, job, { asOf: now }));
          ctx.log(`[schedules] ${job}: processed ${result.processed}${result.failed ? `, ${result.failed} failed` : ''}`);
        } catch (err) {
          ctx.log(`[schedules] ${job} failed: ${String(err)}`);
        }
      }
    }
    const hour = now.toISOString().slice(0, 13);
    const dir = this.options.dir ?? ctx.dataDir;
    if (hour !== this.lastHourlyHour) {
      this.lastHourlyHour = hour;
      for (const job of HOURLY_JOBS) {
        try {
          const result = await costed({ route: jobCostRoute('scheduler', job), trigger: 'scheduler' }, () => runJob(deps, job, { asOf: now }));
          if (result.processed || result.failed) ctx.log(`[schedules] ${job}: processed ${result.processed}${result.failed ? `, ${result.failed} failed` : ''}`);
        } catch (err) {
          ctx.log(`[schedules] ${job} failed: ${String(err)}`);
        }
      }
    }
    if (dir && hour !== this.lastFlushHour) {
      this.lastFlushHour = hour;
      try {
        const deps = notifierDeps(dir, ctx.log);
        await costed({ route: notifierCostRoute('scheduler', 'flush-deferred'), trigger: 'scheduler' }, () => flushDeferred(deps));
      } catch (err) {
        ctx.log(`[schedules] sending deferred messages failed: ${String(err)}`);
      }
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    this.ctx = undefined;
  }
}
