import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { tracedByDefault } from '../shared/costs/estimate';
import { dashboardByDefault, ERROR_ALARMS, type ErrorAlarms } from '../shared/costs/monthly-floor';

/**
 * Everything that differs between a throwaway stage and the one holding real
 * members' points. Constructs take this instead of reading context themselves,
 * so a test can build any stage without an App context.
 */
export interface StageConfig {
  readonly stage: string;
  /** Real members' balances live here: keep data, protect the table, allow more traffic. */
  readonly isProd: boolean;
  /** Applied to the table and log groups. */
  readonly removalPolicy: RemovalPolicy;
  readonly logRetention: RetentionDays;
  /**
   * X-Ray active tracing of every function (context `tracing=true|false`). Lambda samples
   * at a fixed rate no sampling rule changes (the first request each second and 5% of the
   * rest: https://docs.aws.amazon.com/xray/latest/devguide/xray-services-lambda.html), so at
   * a small store's traffic it records nearly every request, at $5 per million traces
   * (https://aws.amazon.com/xray/pricing/). On in dev, where it is for debugging; off in prod.
   */
  readonly tracing: boolean;
  /**
   * The stack's CloudWatch dashboard (context `dashboard=true|false`): $3.00 a month at list
   * price, free where it is one of the account's first 3 (https://aws.amazon.com/cloudwatch/pricing/).
   * Off in prod, where finance reads the costs report and the console's Costs tab and operators
   * get the alarms (each on its own metric, readable in the CloudWatch console without a dashboard);
   * on elsewhere, for debugging. The costs report's floor counts it only when deployed.
   */
  readonly dashboard: boolean;
  /**
   * The functions' error alarms (context `errorAlarms=function|account`, ErrorAlarms in
   * shared/costs/monthly-floor.ts): one per function ($0.10 a month each, 19 today) in every
   * stage by default, or one on Lambda's account-wide Errors for a stack in an account of its own.
   */
  readonly errorAlarms: ErrorAlarms;
  /** The handlers' log level (POWERTOOLS_LOG_LEVEL, context `logLevel`): CloudWatch Logs bills ingestion by the GB. */
  readonly logLevel: LogLevelName;
  /** Steady-state requests per second and burst of each API route (API Gateway applies it per route). */
  readonly throttle: Throttle;
  /** The same for each webhook route, apart from the API: a shop replaying a backlog can't starve checkouts' earn calls. */
  readonly webhookThrottle: Throttle;
  /** Webhook consumer invocations at once (the SQS event source's maximum concurrency, ≥ 2). */
  readonly webhookConsumerConcurrency: number;
  /**
   * Table warm throughput (units per second it can take at once, not a limit): a
   * new on-demand table starts at 4,000 writes/s; a flash sale needs more from the
   * first second. Billed once per raise. Unset: on-demand's own warm-up.
   */
  readonly tableWarmThroughput?: { readonly readUnitsPerSecond: number; readonly writeUnitsPerSecond: number };
  /**
   * Report counter shards per UTC day (LOYALTY_COUNTER_SHARDS, context `counterShards`):
   * the stream processor adds each batch's counters to one day-counter item of its choice,
   * and transactions on one item at once cancel each other (the processor then tries another).
   * Raise only, never lower: a report sums shards 0..N−1, so counts in a shard above a lowered
   * N would no longer be read.
   */
  readonly counterShards: number;
  /** API 5xx answers in 5 minutes at which the 5xx alarm fires. */
  readonly api5xxAlarmThreshold: number;
  /** DynamoDB transaction conflicts in 5 minutes at which the conflicts alarm fires (a few are normal: two writers on one member). */
  readonly transactionConflictAlarmThreshold: number;
  /** Where alarm notifications go (context `alarmEmail`); the topic exists either way. */
  readonly alarmEmail?: string;
  /** ISO 4217; handed to the handlers as LOYALTY_CURRENCY. */
  readonly currency: string;
  /** Requests' cost per day (USD, list prices) above which the cost alarm fires. */
  readonly dailyCostBudgetUsd: number;
  /** The shop's origins that may frame the member page (context `portalFrameAncestors`, as PORTAL_FRAME_ANCESTORS); none by default. */
  readonly portalFrameAncestors: readonly string[];
  /** The staff sign-in's Cognito domain prefix (context `staffDomainPrefix`); unset: loyalty-<stage>-<from the stack id>. */
  readonly staffDomainPrefix?: string;
  /**
   * The member page's SMS guards, handed to the functions that send sign-in codes
   * (LOYALTY_SIGN_IN_PER_COUNTRY, LOYALTY_SIGN_IN_DAILY_SMS_CAP; context
   * `signInPerCountry`, `signInDailySmsCap`): codes per country calling code per 15
   * minutes, and SMS codes per UTC day. SMS cost money; a throwaway stage sends few.
   */
  readonly signIn: { readonly perCountry: number; readonly dailySmsCap: number };
}

export type LogLevelName = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

const STAGE_NAME = /^[a-z][a-z0-9-]{0,19}$/;

export function stageConfig(stage: string, overrides: Partial<Omit<StageConfig, 'stage' | 'isProd'>> = {}): StageConfig {
  // The stage ends up in the stack name and resource names: keep it boring.
  if (!STAGE_NAME.test(stage)) {
    throw new Error(`stage must match ${STAGE_NAME} (got ${JSON.stringify(stage)})`);
  }
  const isProd = stage === 'prod';
  return {
    stage,
    isProd,
    removalPolicy: isProd ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    logRetention: isProd ? RetentionDays.ONE_YEAR : RetentionDays.ONE_MONTH,
    // One rule with the cost estimate (npx loyalty costs estimate --stage): off in prod only.
    tracing: tracedByDefault(stage),
    // One rule with the costs report's floor and the estimate: off in prod only.
    dashboard: dashboardByDefault(stage),
    // Every stage names the failing function; `account` is a choice for an account of its own.
    errorAlarms: 'function',
    // Prod keeps the per-job and per-notification INFO lines (operators read them); dev shows DEBUG too.
    logLevel: isProd ? 'INFO' : 'DEBUG',
    // Prod takes a flash sale of 2,000 orders/s (docs/scale.md) on earn or on the webhooks,
    // under the account's 10,000 rps default so one store can't starve other APIs in it.
    throttle: isProd ? { rateLimit: 2_500, burstLimit: 5_000 } : { rateLimit: 25, burstLimit: 50 },
    webhookThrottle: isProd ? { rateLimit: 2_500, burstLimit: 5_000 } : { rateLimit: 25, burstLimit: 50 },
    webhookConsumerConcurrency: isProd ? 50 : 5,
    // 2,000 orders/s × ~9 WRU per earn = 18,000 WRU/s, ~2 RRU each = 4,000 RRU/s (docs/scale.md).
    ...(isProd && { tableWarmThroughput: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 20_000 } }),
    // A sale's stream batches spread over 32 counter items: their conflicts stay rare (docs/scale.md).
    counterShards: isProd ? 32 : 8,
    api5xxAlarmThreshold: isProd ? 5 : 1,
    transactionConflictAlarmThreshold: isProd ? 500 : 50,
    currency: 'USD',
    dailyCostBudgetUsd: isProd ? 10 : 1,
    portalFrameAncestors: [],
    signIn: isProd ? { perCountry: 200, dailySmsCap: 1000 } : { perCountry: 20, dailySmsCap: 50 },
    ...overrides,
  };
}

const LOG_LEVELS: readonly LogLevelName[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Context `logLevel`, checked: a typo must fail synth, not ship DEBUG to prod. */
export function logLevelOf(value: string): LogLevelName {
  const level = value.toUpperCase() as LogLevelName;
  if (!LOG_LEVELS.includes(level)) throw new Error(`logLevel must be one of ${LOG_LEVELS.join(', ')} (got ${JSON.stringify(value)})`);
  return level;
}

/** A true|false context value (`dashboard`), checked: a typo must fail synth, not silently deploy (or drop) the dashboard. */
export function flagOf(key: string, value: string | boolean): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`${key} must be true or false (got ${JSON.stringify(value)})`);
}

/** Context `errorAlarms`: checked, so a typo fails the synth instead of dropping the per-function alarms. */
export function errorAlarmsOf(value: string): ErrorAlarms {
  const choice = ERROR_ALARMS.find((c) => c === value);
  if (!choice) throw new Error(`errorAlarms must be one of ${ERROR_ALARMS.join(', ')} (got ${JSON.stringify(value)})`);
  return choice;
}

/** Context `logRetentionDays`: one of the periods CloudWatch Logs offers (1, 3, 5, 7, 14, 30, 60, 90, ...). */
export function retentionOf(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number' && v > 0);
  if (!allowed.includes(days)) throw new Error(`logRetentionDays must be one of ${allowed.join(', ')} (got ${days})`);
  return days as RetentionDays;
}
