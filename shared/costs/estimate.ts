/**
 * The monthly bill before deploying (`npx loyalty costs estimate`): the fixed
 * floor (monthly-floor.ts) plus what a month of orders costs per request, at
 * the dated price table. Pure: takes the workload and the prices, returns lines.
 * Each request is priced by costOf (request-cost.ts), the same model the cost
 * log and the report use; the per-earn usage is the bench's measurement
 * (EARN_PROFILE). docs/costs.md "Estimate before deploying".
 */
import { DAILY_JOBS, HOURLY_JOBS } from '../club/jobs';
import { dashboardByDefault, fixedMonthly, type FixedMonthly } from './monthly-floor';
import type { PriceTable } from './prices';
import { costRoute } from './record';
import { costOf, metricSeries, type RequestUsage, WEBHOOK_CONSUMER_ROUTE } from './request-cost';

export interface Workload {
  readonly ordersPerMonth: number;
  readonly members: number;
  /** Share of the orders that arrive as store webhooks (the rest through POST /v1/earn), 0..1. */
  readonly webhookShare: number;
  /** The stage: X-Ray active tracing is on in every stage but prod (infra/stage-config.ts). */
  readonly stage: string;
}

type Usage = Omit<RequestUsage, 'route' | 'logBytes' | 'traced' | 'initMs'>;

/**
 * What one earn uses, by path, measured by `npm run bench` (the API earn's write units:
 * the realistic mix of `npm run bench -- --only earn-mix`, docs/costs.md; DynamoDB units by
 * AWS's rule for transactions; durations on a loaded 2-core machine against
 * DynamoDB Local, so an upper bound) at the functions' 512 MB.
 */
export interface EarnProfile {
  /** POST /v1/earn: one API request, its transaction (the ledger entry and the member). */
  readonly apiEarn: Usage;
  /** A webhook delivery's receiver request (POST /v1/webhooks/*): one SendMessage. */
  readonly webhookReceiver: Usage;
  /** A consumer batch (SQS webhook-consumer) of `records` deliveries, each an earn. */
  readonly webhookBatch: Usage & { readonly records: number };
  /**
   * The stream processor after every earn (functions/stream-processor.ts): per invocation its
   * Lambda time; per order its counted record's marker (2 WRU in the transaction) and its
   * points.earned event; per invocation the day's counter item (2 WRU). How many orders an
   * invocation takes follows from the rate: those of its batching window, at least 1.
   */
  readonly streamProcessor: {
    readonly durationMs: number;
    readonly memoryMb: number;
    readonly wruPerOrder: number;
    readonly wruPerInvocation: number;
    readonly batchingWindowSeconds: number;
    readonly maxOrdersPerInvocation: number;
  };
  /** One scheduled invocation of the jobs or notifier Lambda (most find nothing due in the hour). */
  readonly scheduledRun: Usage;
  /** Bytes of log per invocation: the handler's lines at INFO, its cost line, Lambda's START/END/REPORT. */
  readonly logBytesPerInvocation: number;
  /** Share of invocations that start a new execution environment, and its INIT duration. */
  readonly coldStartShare: number;
  readonly initMs: number;
  /** Bytes a member keeps in the table (member item, its claims and name index items). */
  readonly bytesPerMember: number;
  /** Bytes one order adds (its ledger entry and order record). */
  readonly bytesPerOrder: number;
}

export const EARN_PROFILE: EarnProfile = {
  apiEarn: { trigger: 'http-api', rru: 1, wru: 7.2, durationMs: 18, memoryMb: 512 },
  webhookReceiver: { trigger: 'http-api', rru: 0, wru: 0, durationMs: 20, memoryMb: 512, sqsSends: 1 },
  webhookBatch: { trigger: 'sqs', rru: 20.5, wru: 74, durationMs: 715, memoryMb: 512, records: 10 },
  // `npm run bench -- --only earn-mix`: 12.3 ms an invocation, ~4 WRU a change at one change an invocation.
  streamProcessor: {
    durationMs: 12.3,
    memoryMb: 512,
    wruPerOrder: 2,
    wruPerInvocation: 2,
    batchingWindowSeconds: 1,
    maxOrdersPerInvocation: 100,
  },
  scheduledRun: { trigger: 'scheduler', rru: 1, wru: 0, durationMs: 30, memoryMb: 512 },
  logBytesPerInvocation: 1536,
  coldStartShare: 0.01,
  initMs: 400,
  bytesPerMember: 2048,
  bytesPerOrder: 512,
};

/**
 * Scheduled invocations an hour (infra/constructs/club-automations.ts): each daily job's
 * schedule fires hourly (the job runs in the program's hour only), each hourly job, and
 * the notifier's hourly flush of quiet-hours messages.
 */
export const SCHEDULED_RUNS_PER_HOUR = DAILY_JOBS.length + HOURLY_JOBS.length + 1;
/** AWS's month: 730 hours. */
export const HOURS_PER_MONTH = 730;
const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const GB = 1024 ** 3;
const M = 1_000_000;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Tracing on by default: every stage but prod (infra/stage-config.ts). */
export const tracedByDefault = (stage: string) => stage !== 'prod';

/**
 * The share of invocations Lambda's active tracing records at `perSecond`
 * invocations a second, spread as a Poisson process: the first request each
 * second and 5% of the rest (https://docs.aws.amazon.com/xray/latest/devguide/xray-services-lambda.html).
 * A second holds a first request with probability 1 − e^−λ, so firsts are (1 − e^−λ)/λ of the requests.
 */
export function tracedShare(perSecond: number): number {
  if (perSecond <= 0) return 1;
  const firsts = (1 - Math.exp(-perSecond)) / perSecond;
  return firsts + 0.05 * (1 - firsts);
}

export interface BillLine {
  readonly line: string;
  /** How many of `unit` a month. */
  readonly count: number;
  readonly unit: string;
  /** USD per unit. */
  readonly unitPrice: number;
  /** count × unitPrice, USD a month. */
  readonly monthly: number;
  readonly note: string;
}

export interface MonthlyBill {
  readonly workload: Workload;
  readonly pricesAsOf: string;
  readonly fixed: FixedMonthly;
  readonly perRequest: readonly BillLine[];
  readonly perRequestTotal: number;
  /** fixed.total + perRequestTotal, USD a month. */
  readonly total: number;
}

/** The usage's own charges: DynamoDB, Lambda and its trigger (logs, tracing and INIT are lines of their own). */
const own = (u: Usage, prices: PriceTable) => costOf(u, prices).total;

export function estimateMonthlyBill(workload: Workload, prices: PriceTable, profile: EarnProfile = EARN_PROFILE): MonthlyBill {
  const { ordersPerMonth, members, webhookShare, stage } = workload;
  const webhookOrders = ordersPerMonth * webhookShare;
  const apiOrders = ordersPerMonth - webhookOrders;
  const batches = webhookOrders / profile.webhookBatch.records;
  const scheduled = SCHEDULED_RUNS_PER_HOUR * HOURS_PER_MONTH;
  const stream = profile.streamProcessor;
  // One stream shard's batches: the orders of one batching window, at least one (a quiet store's every order alone).
  const ordersPerStreamInvocation = Math.min(
    stream.maxOrdersPerInvocation,
    Math.max(1, (ordersPerMonth / SECONDS_PER_MONTH) * stream.batchingWindowSeconds),
  );
  const streamInvocations = ordersPerMonth / ordersPerStreamInvocation;
  const invocations = apiOrders + webhookOrders + batches + scheduled + streamInvocations;
  const traced = tracedByDefault(stage) ? invocations * tracedShare(invocations / SECONDS_PER_MONTH) : 0;
  const coldStarts = invocations * profile.coldStartShare;
  const storedGb = (members * profile.bytesPerMember + ordersPerMonth * profile.bytesPerOrder) / GB;
  const line = (l: Omit<BillLine, 'monthly'>): BillLine => ({ ...l, monthly: l.count * l.unitPrice });
  const perRequest = [
    line({
      line: 'API earns',
      count: apiOrders,
      unit: 'earn',
      unitPrice: own(profile.apiEarn, prices),
      note: `POST /v1/earn: ${profile.apiEarn.rru} RRU + ${profile.apiEarn.wru} WRU, ${profile.apiEarn.durationMs} ms Lambda, 1 API request`,
    }),
    line({
      line: 'webhook earns',
      count: webhookOrders,
      unit: 'earn',
      unitPrice: own(profile.webhookReceiver, prices) + own(profile.webhookBatch, prices) / profile.webhookBatch.records,
      note: `receiver request (1 API request, 1 SendMessage) + 1/${profile.webhookBatch.records} of a consumer batch (2 SQS requests, ${profile.webhookBatch.rru / profile.webhookBatch.records} RRU + ${profile.webhookBatch.wru / profile.webhookBatch.records} WRU per earn)`,
    }),
    line({
      line: 'stream processor',
      count: streamInvocations,
      unit: 'invocation',
      unitPrice: own(
        {
          trigger: 'dynamodb-stream',
          rru: 0,
          wru: stream.wruPerInvocation + stream.wruPerOrder * ordersPerStreamInvocation,
          durationMs: stream.durationMs,
          memoryMb: stream.memoryMb,
          eventsPublished: ordersPerStreamInvocation,
        },
        prices,
      ),
      note: `after each earn: its report counters (${stream.wruPerOrder} WRU an order + ${stream.wruPerInvocation} an invocation) and its event; ${round2(ordersPerStreamInvocation)} order(s) an invocation (the ${stream.batchingWindowSeconds} s batching window at this rate), ${stream.durationMs} ms Lambda`,
    }),
    line({
      line: 'scheduled jobs',
      count: scheduled,
      unit: 'run',
      unitPrice: own(profile.scheduledRun, prices),
      note: `${SCHEDULED_RUNS_PER_HOUR} scheduled invocations an hour × ${HOURS_PER_MONTH} h (each a Scheduler invocation and a ${profile.scheduledRun.durationMs} ms run)`,
    }),
    line({
      line: 'CloudWatch Logs',
      count: (invocations * profile.logBytesPerInvocation) / GB,
      unit: 'GB',
      unitPrice: prices.cloudwatchLogsPerGbIngested,
      note: `${profile.logBytesPerInvocation.toLocaleString('en-US')} bytes per invocation (INFO), ${Math.round(invocations).toLocaleString('en-US')} invocations`,
    }),
    line({
      line: 'X-Ray tracing',
      count: traced,
      unit: 'trace',
      unitPrice: prices.xrayPerMillionTraces / M,
      note: tracedByDefault(stage)
        ? 'active tracing (on in this stage): the first invocation each second and 5% of the rest'
        : 'active tracing off in prod',
    }),
    line({
      line: 'Lambda INIT',
      count: coldStarts,
      unit: 'cold start',
      unitPrice: (Math.ceil(profile.initMs) / 1000) * (profile.apiEarn.memoryMb / 1024) * prices.lambdaPerGbSecond,
      note: `assumed ${profile.coldStartShare * 100}% of invocations start cold, ${profile.initMs} ms INIT at ${profile.apiEarn.memoryMb} MB`,
    }),
    line({
      line: 'DynamoDB storage',
      count: storedGb,
      unit: 'GB-month',
      unitPrice: prices.dynamodbPerGbMonth,
      note: `${profile.bytesPerMember.toLocaleString('en-US')} bytes per member, ${profile.bytesPerOrder} per order of the month (the table keeps every month's: it grows)`,
    }),
  ];
  // The cost metric series these requests emit (each a custom metric of the floor).
  const routes: Pick<RequestUsage, 'route' | 'trigger'>[] = [
    ...(apiOrders > 0 ? [{ route: 'POST /v1/earn', trigger: 'http-api' as const }] : []),
    ...(ordersPerMonth > 0 ? [{ route: costRoute('dynamodb-stream', 'stream-processor'), trigger: 'dynamodb-stream' as const }] : []),
    ...(webhookOrders > 0
      ? [
          { route: 'POST /v1/webhooks/shopify', trigger: 'http-api' as const },
          { route: WEBHOOK_CONSUMER_ROUTE, trigger: 'sqs' as const },
        ]
      : []),
  ];
  // The stage's dashboard default (infra/stage-config.ts): none in prod.
  const floor = fixedMonthly(metricSeries(routes, 'loyalty-club').size, prices, { dashboard: dashboardByDefault(stage) });
  const fixed: FixedMonthly = {
    ...floor,
    items: floor.items.map((i) =>
      i.resource === 'customMetrics'
        ? {
            ...i,
            note: 'Cost metric series these requests emit (by Service; by Route for earn, the webhook receiver and consumer, the stream processor), each sent every hour.',
          }
        : i,
    ),
  };
  const perRequestTotal = perRequest.reduce((s, l) => s + l.monthly, 0);
  return { workload, pricesAsOf: prices.asOf, fixed, perRequest, perRequestTotal, total: fixed.total + perRequestTotal };
}
