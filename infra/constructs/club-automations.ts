import { Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput, ContextAttribute } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { deadLetterQueue } from './dead-letter-queue';
import { Construct } from 'constructs';
import { DAILY_JOBS, HOURLY_JOBS } from '../../shared/club/jobs';
import { JOB_CONTINUE_DETAIL_TYPE, JOB_EVENT_SOURCE } from '../../shared/events/job-events';
import { EVENT_SOURCE } from '../../shared/events/events';
import { TEMPLATES } from '../../shared/notify/templates';
import type { LoyaltyStack } from '../loyalty-stack';
import { pascal } from '../names';
import { handlerEntry, handlerExists } from '../paths';
import type { ClubFunction } from './club-function';

/** Minutes between the daily jobs' schedules: eight jobs fit the first half hour. */
const JOB_SPACING_MINUTES = 4;

export interface ClubAutomationsProps {
  readonly stack: LoyaltyStack;
  /** Where functions/jobs.ts and functions/notifier.ts live. */
  readonly functionsDir?: string;
  /** SES identity messages come from (context `emailFrom`); no email without it. */
  readonly emailFrom?: string;
  /** SMS panel URL (context `smsUrl`), `{apiKey}` replaced by the key in the SmsApiKey secret. */
  readonly smsUrl?: string;
  readonly smsSender?: string;
}

/**
 * The automations on AWS: the club's event bus (domain events for anyone to
 * subscribe to), the jobs function on EventBridge Scheduler schedules in the
 * program's time zone, the notifier on a rule for the events that need a
 * message, retries everywhere and one dead-letter queue for what still fails.
 */
export class ClubAutomations extends Construct {
  readonly bus: EventBus;
  readonly deadLetters: Queue;
  /**
   * Scheduler and the rules invoke asynchronously: when the function itself fails
   * (not the delivery), Lambda retries twice and then sends the event here, with the
   * error, instead of dropping it.
   */
  readonly failedInvocations: Queue;
  readonly jobs?: ClubFunction;
  readonly notifier?: ClubFunction;
  readonly schedules: Schedule[] = [];
  /** Where the notifier's messages go out: absent without functions/notifier.ts. */
  readonly senders?: { readonly smsKey: Secret; readonly emailFrom?: string; readonly smsUrl?: string; readonly smsSender?: string };

  constructor(scope: Construct, id: string, props: ClubAutomationsProps) {
    super(scope, id);
    const { stack } = props;
    const config = stack.config;

    this.bus = new EventBus(this, 'Bus', {
      eventBusName: `loyalty-club-${config.stage}`,
      description: `Loyalty club domain events (${config.stage}); schema in docs/events.md`,
    });

    // Who publishes on it is declared in infra/function-access.ts (publishesEvents).

    this.deadLetters = deadLetterQueue(this, 'DeadLetters', {
      removalPolicy: config.removalPolicy,
      whose: 'the schedules and event rules',
    });
    const delivery = { deadLetterQueue: this.deadLetters, retryAttempts: 3, maxEventAge: Duration.hours(6) };
    this.failedInvocations = deadLetterQueue(this, 'FailedInvocations', {
      removalPolicy: config.removalPolicy,
      whose: "the jobs' and notifier's asynchronous invocations (on-failure destination)",
    });
    const onFailure = (fn: ClubFunction) =>
      fn.fn.configureAsyncInvoke({
        onFailure: new SqsDestination(this.failedInvocations),
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      });
    // One role for every schedule, usable only by this account's Scheduler.
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: `EventBridge Scheduler: invoke the loyalty club jobs and notifier (${config.stage})`,
    });
    const scheduled = (fn: ClubFunction) => {
      const logicalId = Stack.of(this).getLogicalId(fn.fn.node.defaultChild as CfnFunction);
      Validations.of(schedulerRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason:
          'LambdaInvoke grants lambda:InvokeFunction on this one function and its versions/aliases (ARN:*); no other function is reachable.',
      });
      return { ...delivery, role: schedulerRole };
    };

    if (handlerExists('jobs', props.functionsDir)) {
      const jobs = stack.addFunction('jobs', {
        entry: handlerEntry('jobs', props.functionsDir),
        description: `scheduled jobs: ${[...DAILY_JOBS, ...HOURLY_JOBS].join(', ')}`,
        // A run stops 20 s before this and continues itself through the bus.
        timeout: Duration.minutes(5),
      });
      this.jobs = jobs;
      onFailure(jobs);
      // Hourly, four minutes apart in this order (within the first half hour, so the order holds in
      // half-hour zones such as Tehran's too). The function runs a job only in the program's hour
      // (automation.runAtHour in program.timeZone): the store moves it by editing the program.
      DAILY_JOBS.forEach((job, i) => {
        const minute = String(i * JOB_SPACING_MINUTES).padStart(2, '0');
        this.schedules.push(
          new Schedule(this, `${pascal(job)}Schedule`, {
            description: `${job} hourly at :${minute} UTC; runs in the program's daily hour, in its time zone`,
            schedule: ScheduleExpression.cron({ minute, hour: '*', timeZone: TimeZone.ETC_UTC }),
            // The scheduled time is the asOf, so the schedule's retries rerun the same, idempotent run.
            target: new LambdaInvoke(jobs.fn, {
              input: ScheduleTargetInput.fromObject({ job, asOf: ContextAttribute.scheduledTime, daily: true }),
              ...scheduled(jobs),
            }),
          }),
        );
      });
      // Every hour, half past (clear of the daily jobs): no daily gate.
      HOURLY_JOBS.forEach((job) => {
        this.schedules.push(
          new Schedule(this, `${pascal(job)}Schedule`, {
            description: `${job} every hour at :30 UTC`,
            schedule: ScheduleExpression.cron({ minute: '30', hour: '*', timeZone: TimeZone.ETC_UTC }),
            target: new LambdaInvoke(jobs.fn, {
              input: ScheduleTargetInput.fromObject({ job, asOf: ContextAttribute.scheduledTime }),
              ...scheduled(jobs),
            }),
          }),
        );
      });
      new Rule(this, 'JobContinuation', {
        eventBus: this.bus,
        description: 'a job with more than one run of work continues itself',
        eventPattern: { source: [JOB_EVENT_SOURCE], detailType: [JOB_CONTINUE_DETAIL_TYPE] },
        targets: [new LambdaFunction(jobs.fn, delivery)],
      });
    }

    if (handlerExists('notifier', props.functionsDir)) {
      const smsKey = new Secret(this, 'SmsApiKey', {
        description: `API key of the SMS panel (${config.stage}); set it after deploy (docs/automations.md)`,
        removalPolicy: config.removalPolicy,
      });
      Validations.of(smsKey).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: 'The SMS panel issues this key; it is rotated in the panel and pasted here, which Secrets Manager rotation cannot do.',
      });
      const notifier = stack.addFunction('notifier', {
        entry: handlerEntry('notifier', props.functionsDir),
        description: 'turns domain events into SMS and email',
        timeout: Duration.seconds(30),
      });
      this.notifier = notifier;
      onFailure(notifier);
      // The notifier's environment and grants for these are wired with its other needs (LoyaltyStack.wireFunctions).
      this.senders = { smsKey, emailFrom: props.emailFrom, smsUrl: props.smsUrl, smsSender: props.smsSender };
      new Rule(this, 'NotifyRule', {
        eventBus: this.bus,
        description: 'domain events that become a message',
        eventPattern: { source: [EVENT_SOURCE], detailType: Object.keys(TEMPLATES) },
        targets: [new LambdaFunction(notifier.fn, delivery)],
      });
      this.schedules.push(
        new Schedule(this, 'FlushDeferredSchedule', {
          description: 'hourly: send the messages quiet hours held back',
          schedule: ScheduleExpression.rate(Duration.hours(1)),
          target: new LambdaInvoke(notifier.fn, { input: ScheduleTargetInput.fromObject({ flushDeferred: true }), ...scheduled(notifier) }),
        }),
      );
    }
  }
}
