/**
 * What the stack costs each month before anyone makes a request: the resources
 * AWS bills by the month (alarms, the dashboard, secrets, custom metrics, the
 * staff user pool, customer KMS keys). The stack is built from these same
 * declarations (infra/function-access.ts takes its function names from here,
 * infra/constructs/club-monitoring.ts its table alarms' operations), and
 * test/infra/costs.suite.ts checks the synthesized template against them, so an
 * alarm or a secret added to the stack without this module fails a test.
 * docs/costs.md "The fixed monthly floor".
 */
import { FUNCTION_NAMES } from '../http/route-table';
import type { PriceTable } from './prices';

/** The functions nothing routes to (infra/function-access.ts's ClubFunctionName is the route functions and these). */
export const UNROUTED_FUNCTIONS = ['webhook-consumer', 'jobs', 'notifier', 'stream-processor', 'shop-sync'] as const;

/** Every Lambda function of the stack: ClubMonitoring.watch gives each one alarm. */
export const CLUB_FUNCTIONS: readonly string[] = [...FUNCTION_NAMES, ...UNROUTED_FUNCTIONS];

/**
 * The DynamoDB operations the table's throttle and system-error alarms sum
 * (ClubMonitoring.watchTable). Each operation is one metric of the alarm, and
 * CloudWatch bills an alarm per metric it evaluates ($0.10 a month): the
 * operations of the busy paths only. Every balance change is a
 * TransactWriteItems after a GetItem or Query; PutItem writes parked events and
 * imports. A hot partition or an AWS incident shows on these first; the rest
 * (Delete, Batch*) are maintenance calls the SDK retries.
 */
export const TABLE_ALARM_OPERATIONS = {
  throttles: ['TransactWriteItems', 'GetItem', 'Query', 'PutItem'],
  systemErrors: ['TransactWriteItems', 'GetItem', 'Query'],
} as const;

export interface StackAlarm {
  /** The alarm's name without the `loyalty-<stage>-` prefix. */
  readonly name: string;
  /** Metrics it evaluates (a metric-math alarm: each metric in the expression). */
  readonly metrics: number;
}

/**
 * How the functions' errors are alarmed (StageConfig.errorAlarms, context `errorAlarms`):
 * `function`, one alarm per function that names it (the default, every stage); `account`,
 * one alarm on Lambda's account-wide Errors ($0.10 a month instead of $0.10 per function),
 * which names no function and, in an account shared with other workloads, fires for
 * their functions too.
 */
export type ErrorAlarms = 'function' | 'account';
export const ERROR_ALARMS: readonly ErrorAlarms[] = ['function', 'account'];

/** Every alarm of the stack and how many metrics each evaluates. */
export function stackAlarms(functions: readonly string[] = CLUB_FUNCTIONS, errorAlarms: ErrorAlarms = 'function'): StackAlarm[] {
  return [
    // errors of each function (or of all of them in one alarm); throttles, which only the
    // account's concurrency causes here (no function reserves any), in one alarm for all of them.
    ...(errorAlarms === 'account'
      ? [{ name: 'lambda-errors', metrics: 1 }]
      : functions.map((fn) => ({ name: `${fn}-errors`, metrics: 1 }))),
    { name: 'lambda-throttles', metrics: 1 },
    { name: 'cost-per-day', metrics: 1 },
    // The member page's daily SMS cap held sign-in codes back.
    { name: 'sign-in-sms-cap', metrics: 1 },
    { name: 'table-throttles', metrics: TABLE_ALARM_OPERATIONS.throttles.length },
    { name: 'table-system-errors', metrics: TABLE_ALARM_OPERATIONS.systemErrors.length },
    { name: 'table-transaction-conflicts', metrics: 1 },
    { name: 'api-5xx', metrics: 1 },
    { name: 'automationsdeadletters-dead-letters', metrics: 1 },
    { name: 'failedinvocations-dead-letters', metrics: 1 },
    { name: 'webhook-dead-letters', metrics: 1 },
    { name: 'webhook-backlog', metrics: 1 },
    // The table stream's processor: behind the table, and records it gave up on.
    { name: 'stream-iterator-age', metrics: 1 },
    { name: 'shopsyncdeadletters-dead-letters', metrics: 1 },
    { name: 'streamfailures-dead-letters', metrics: 1 },
  ];
}

/**
 * The stack's Secrets Manager secrets (API token, portal links, webhook secrets, SMS key, the Shopify app's secret for its app proxy, the shops' Admin API token and WooCommerce keys).
 * Six, because no two are read by the same functions (test/infra/costs.suite.ts checks it):
 * values two secrets shared would be read by the union of their readers, so a function would
 * gain a secret it has no use for. A new value read by exactly an existing secret's functions
 * goes into that secret as a JSON key instead ($0.40 a month each).
 */
export const STACK_SECRETS = ['ApiToken', 'PortalSecret', 'WebhookSecrets', 'SmsApiKey', 'ShopifyAppSecret', 'ShopCredentials'] as const;
/**
 * The stack dashboard (ClubMonitoring) is deployed in every stage but prod unless context
 * `dashboard=true|false` says otherwise (infra/stage-config.ts): finance reads the costs
 * report and the console's Costs tab, operators the alarms; the dashboard is $3.00 a month
 * at list price, free where it is one of the account's first 3.
 */
export const dashboardByDefault = (stage: string) => stage !== 'prod';

/**
 * CloudWatch's free tier, per account and month (https://aws.amazon.com/cloudwatch/pricing/):
 * 3 dashboards of up to 50 metrics each, and 10 standard-resolution alarm metrics. Shared by
 * everything in the account, so the list-price floor is what the stack adds to a busy one.
 */
export const CLOUDWATCH_FREE_TIER = { dashboards: 3, alarmMetrics: 10 } as const;
/** Cognito user pools (the staff sign-in, ClubPages). */
export const STACK_USER_POOLS = 1;
/** Customer-managed KMS keys: none (the table and queues use AWS-managed keys, which have no monthly fee). */
export const STACK_KMS_KEYS = 0;

export interface MonthlyItem {
  readonly resource: 'customMetrics' | 'alarmMetrics' | 'dashboards' | 'secrets' | 'userPools' | 'kmsKeys';
  readonly count: number;
  /** USD per unit per month at the price table. */
  readonly unitPrice: number;
  /** count × unitPrice, USD. */
  readonly monthly: number;
  readonly note: string;
}

export interface FixedMonthly {
  readonly items: readonly MonthlyItem[];
  /** USD per month, the items summed. */
  readonly total: number;
  /** The same without the custom metrics: what a stack that serves no request pays (the idle floor). */
  readonly idle: number;
  /**
   * The idle floor where the account's CloudWatch free tier is all this stack's (CLOUDWATCH_FREE_TIER:
   * its dashboard one of the free 3, 10 of its alarm metrics free): an account that runs only this stack.
   */
  readonly idleInFreeTier: number;
}

/** What the stack deploys besides its fixed parts. */
export interface FloorOptions {
  /** The stack dashboard is deployed (StageConfig.dashboard). */
  readonly dashboard: boolean;
  /** @default 'function' (StageConfig.errorAlarms) */
  readonly errorAlarms?: ErrorAlarms;
  /** @default CLUB_FUNCTIONS */
  readonly functions?: readonly string[];
}

const usd = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The fixed monthly floor at the prices. `customMetrics` is the number of
 * metric series the cost lines emitted (metricSeries in request-cost.ts):
 * CloudWatch bills a custom metric by the hour it receives data, so the item
 * is what they cost if they are sent every hour of the month (an upper bound).
 */
export function fixedMonthly(customMetrics: number, prices: PriceTable, options: FloorOptions): FixedMonthly {
  const alarms = stackAlarms(options.functions ?? CLUB_FUNCTIONS, options.errorAlarms);
  const alarmMetrics = alarms.reduce((n, a) => n + a.metrics, 0);
  const dashboards = options.dashboard ? 1 : 0;
  const item = (resource: MonthlyItem['resource'], count: number, unitPrice: number, note: string): MonthlyItem => ({
    resource,
    count,
    unitPrice,
    monthly: usd(count * unitPrice),
    note,
  });
  const items = [
    item(
      'customMetrics',
      customMetrics,
      prices.cloudwatchPerMetricMonth,
      'Cost metric series the requests in the window emitted (namespace LoyaltyClub); billed by the hour they receive data, so this is the most they cost.',
    ),
    item(
      'alarmMetrics',
      alarmMetrics,
      prices.cloudwatchPerAlarmMetricMonth,
      `${alarms.length} standard-resolution alarms${options.errorAlarms === 'account' ? " (one for every function's errors: context errorAlarms=account)" : ', one per function on its errors'}; a metric-math alarm is billed per metric it evaluates. List price: an account's first ${CLOUDWATCH_FREE_TIER.alarmMetrics} alarm metrics are free.`,
    ),
    item(
      'dashboards',
      dashboards,
      prices.cloudwatchPerDashboardMonth,
      options.dashboard
        ? `The stack dashboard, at list price: $0 where it is one of the account's first ${CLOUDWATCH_FREE_TIER.dashboards} (up to 50 metrics each).`
        : 'No dashboard deployed (context dashboard=false, the prod default): the costs report and the alarms stand in for it.',
    ),
    item('secrets', STACK_SECRETS.length, prices.secretsManagerPerSecretMonth, STACK_SECRETS.join(', ')),
    item(
      'userPools',
      STACK_USER_POOLS,
      prices.cognitoPerUserPoolMonth,
      'Staff sign-in: no fee per pool; monthly active users past the free 10,000 are billed per user.',
    ),
    item('kmsKeys', STACK_KMS_KEYS, prices.kmsPerKeyMonth, 'None: the table and queues use AWS-managed keys.'),
  ];
  const total = items.reduce((s, i) => s + i.monthly, 0);
  const idle = total - items[0]!.monthly;
  // The free tier takes the dashboard (1 of 3) and up to 10 alarm metrics off the idle floor.
  const freeAlarmMetrics = Math.min(alarmMetrics, CLOUDWATCH_FREE_TIER.alarmMetrics);
  const idleInFreeTier = idle - dashboards * prices.cloudwatchPerDashboardMonth - freeAlarmMetrics * prices.cloudwatchPerAlarmMetricMonth;
  return { items, total: usd(total), idle: usd(idle), idleInFreeTier: usd(idleInFreeTier) };
}
