/**
 * What one request cost, from what it used, at the price table: pure. The
 * handler edge measures the usage (shared/costs/record.ts); the bench and
 * GET /v1/reports/costs add it up (docs/costs.md).
 */
import type { PriceTable } from './prices';

/**
 * What started the invocation, which sets its per-invocation charge besides
 * Lambda's own: an HTTP API request; an SQS batch (the event source mapping's
 * ReceiveMessage and DeleteMessageBatch: two SQS requests per batch); an
 * EventBridge Scheduler invocation; an EventBridge rule delivering an event
 * (free: the event was charged to whoever published it); none.
 */
export type Trigger = 'http-api' | 'sqs' | 'scheduler' | 'eventbridge' | 'dynamodb-stream' | 'none';

export interface RequestUsage {
  /** "POST /v1/earn", or "<TRIGGER> <function> [what]" for the other handlers ("SQS webhook-consumer"). */
  readonly route: string;
  readonly trigger: Trigger;
  /** DynamoDB request units consumed (ReturnConsumedCapacity). */
  readonly rru: number;
  readonly wru: number;
  /**
   * Locally only: the write units by AWS's rule for transactions, where DynamoDB Local
   * reported its own figure in `wru` (shared/store/capacity-meter.ts). Priced instead of wru.
   */
  readonly wruAws?: number;
  /**
   * Write units of transactions DynamoDB cancelled, by AWS's rule (shared/store/capacity-meter.ts):
   * billed, but not in the units the responses report (wru). Priced on top of wru / wruAws. @default 0
   */
  readonly wruCancelled?: number;
  readonly durationMs: number;
  readonly memoryMb: number;
  readonly status?: number;
  /** Items the invocation handled: the records of an SQS batch. @default 1 */
  readonly records?: number;
  /** SQS requests it made (SendMessage: the webhook receiver's one per delivery). @default 0 */
  readonly sqsSends?: number;
  /** EventBridge events it published (PutEvents entries). @default 0 */
  readonly eventsPublished?: number;
  /** Bytes of log it wrote: its own lines, its cost line, Lambda's START/END/REPORT (record.ts). @default 0 */
  readonly logBytes?: number;
  /** X-Ray recorded it (Lambda sampled it: a trace billed). @default false */
  readonly traced?: boolean;
  /** A cold start's INIT phase, ms (on Lambda, the first invocation of an execution environment): billed as duration since August 2025. */
  readonly initMs?: number;
}

export interface CostBreakdown {
  readonly dynamodb: number;
  readonly lambda: number;
  readonly apiGateway: number;
  readonly sqs: number;
  readonly scheduler: number;
  readonly eventBridge: number;
  /** Everything but DynamoDB and Lambda: apiGateway + sqs + scheduler + eventBridge. */
  readonly trigger: number;
  /** CloudWatch Logs ingestion of the invocation's log bytes. */
  readonly logs: number;
  /** X-Ray: one trace if it was recorded. */
  readonly xray: number;
  /** Lambda's INIT phase of a cold start, at the function's memory. */
  readonly init: number;
  /** dynamodb + lambda + trigger + logs + xray + init. */
  readonly total: number;
}

const M = 1_000_000;
/** AWS bills data by the GB of 2^30 bytes. */
const GB = 1024 ** 3;

/** SQS requests Lambda's event source mapping makes per batch: one ReceiveMessage, one DeleteMessageBatch. */
export const SQS_REQUESTS_PER_BATCH = 2;

/** USD per invocation that the trigger itself charges (the whole `trigger` part of a usage without sends or events). */
export function triggerPrice(trigger: Trigger, prices: PriceTable): number {
  switch (trigger) {
    case 'http-api':
      return prices.httpApiPerMillion / M;
    case 'sqs':
      return (SQS_REQUESTS_PER_BATCH * prices.sqsPerMillion) / M;
    case 'scheduler':
      return prices.schedulerPerMillion / M;
    case 'eventbridge':
    // GetRecords calls Lambda makes for a DynamoDB trigger are free (aws.amazon.com/dynamodb/pricing/on-demand, "DynamoDB Streams").
    case 'dynamodb-stream':
    case 'none':
      return 0;
  }
}

/** USD for one invocation. Lambda bills duration by the millisecond, rounded up. */
export function costOf(usage: Omit<RequestUsage, 'route'>, prices: PriceTable): CostBreakdown {
  const wru = (usage.wruAws ?? usage.wru) + (usage.wruCancelled ?? 0);
  const dynamodb = (usage.rru * prices.dynamodbPerMillionRru + wru * prices.dynamodbPerMillionWru) / M;
  const gbSeconds = (Math.ceil(usage.durationMs) / 1000) * (usage.memoryMb / 1024);
  const lambda = gbSeconds * prices.lambdaPerGbSecond + prices.lambdaPerMillionRequests / M;
  const own = triggerPrice(usage.trigger, prices);
  const apiGateway = usage.trigger === 'http-api' ? own : 0;
  const scheduler = usage.trigger === 'scheduler' ? own : 0;
  const sqs = (usage.trigger === 'sqs' ? own : 0) + ((usage.sqsSends ?? 0) * prices.sqsPerMillion) / M;
  const eventBridge = ((usage.eventsPublished ?? 0) * prices.eventBridgePerMillionEvents) / M;
  const trigger = apiGateway + sqs + scheduler + eventBridge;
  const logs = ((usage.logBytes ?? 0) / GB) * prices.cloudwatchLogsPerGbIngested;
  const xray = usage.traced ? prices.xrayPerMillionTraces / M : 0;
  const init = usage.initMs ? (Math.ceil(usage.initMs) / 1000) * (usage.memoryMb / 1024) * prices.lambdaPerGbSecond : 0;
  return {
    dynamodb,
    lambda,
    apiGateway,
    sqs,
    scheduler,
    eventBridge,
    trigger,
    logs,
    xray,
    init,
    total: dynamodb + lambda + trigger + logs + xray + init,
  };
}

export interface RouteCost {
  readonly route: string;
  readonly requests: number;
  readonly rruPerRequest: number;
  readonly wruPerRequest: number;
  /** The write units priced: AWS's rule for transactions where DynamoDB Local reported its own (else = wruPerRequest). */
  readonly wruPricedPerRequest: number;
  /** Write units of cancelled transactions a request (priced besides wruPricedPerRequest). */
  readonly wruCancelledPerRequest: number;
  readonly msPerRequest: number;
  /** Items handled (an SQS batch's records; 1 per request otherwise) and per request. */
  readonly records: number;
  readonly recordsPerRequest: number;
  /** USD per request (invocation), per record (a webhook delivery), and per million requests split by service. */
  readonly costPerRequest: number;
  readonly costPerRecord: number;
  readonly costPerMillion: Record<Exclude<keyof CostBreakdown, never>, number>;
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

const noCost = (): Record<keyof CostBreakdown, number> => ({
  dynamodb: 0,
  lambda: 0,
  apiGateway: 0,
  sqs: 0,
  scheduler: 0,
  eventBridge: 0,
  trigger: 0,
  logs: 0,
  xray: 0,
  init: 0,
  total: 0,
});

/** Usage records summed by route, cost per request and per million at the prices. */
export function costsByRoute(records: readonly RequestUsage[], prices: PriceTable): RouteCost[] {
  const groups = new Map<string, RequestUsage[]>();
  for (const r of records) groups.set(r.route, [...(groups.get(r.route) ?? []), r]);
  return [...groups.entries()]
    .map(([route, list]) => {
      const cost = noCost();
      const sum = { rru: 0, wru: 0, wruPriced: 0, wruCancelled: 0, ms: 0, records: 0 };
      for (const r of list) {
        const c = costOf(r, prices);
        for (const k of Object.keys(cost) as (keyof CostBreakdown)[]) cost[k] += c[k];
        sum.rru += r.rru;
        sum.wru += r.wru;
        sum.wruPriced += r.wruAws ?? r.wru;
        sum.wruCancelled += r.wruCancelled ?? 0;
        sum.ms += r.durationMs;
        sum.records += r.records ?? 1;
      }
      const n = list.length;
      const perM = (x: number) => round((x / n) * M, 4);
      return {
        route,
        requests: n,
        rruPerRequest: round(sum.rru / n, 2),
        wruPerRequest: round(sum.wru / n, 2),
        wruPricedPerRequest: round(sum.wruPriced / n, 2),
        wruCancelledPerRequest: round(sum.wruCancelled / n, 2),
        msPerRequest: round(sum.ms / n, 1),
        records: sum.records,
        recordsPerRequest: round(sum.records / n, 2),
        costPerRequest: round(cost.total / n, 10),
        costPerRecord: sum.records > 0 ? round(cost.total / sum.records, 10) : 0,
        costPerMillion: Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, perM(v)])) as Record<keyof CostBreakdown, number>,
      };
    })
    .sort((a, b) => b.costPerRequest * b.requests - a.costPerRequest * a.requests);
}

/** The cost of a set of records summed by service, USD (not rounded: see roundSplit). */
export function costSplit(records: readonly RequestUsage[], prices: PriceTable): CostBreakdown {
  const sum = noCost();
  for (const r of records) {
    const c = costOf(r, prices);
    for (const k of Object.keys(sum) as (keyof CostBreakdown)[]) sum[k] += c[k];
  }
  return sum;
}

/** A split for showing: each part to 1e-10 USD (a request costs about 1e-6). */
export function roundSplit(split: CostBreakdown): CostBreakdown {
  return Object.fromEntries(Object.entries(split).map(([k, v]) => [k, round(v, 10)])) as unknown as CostBreakdown;
}

/** The webhook consumer's route in the cost log (one line per SQS batch). */
export const WEBHOOK_CONSUMER_ROUTE = 'SQS webhook-consumer';

/** A webhook receiver request (`POST /v1/webhooks/shopify|woocommerce|generic`): one per delivery a store sent. */
export const isWebhookReceiver = (route: string) => route.startsWith('POST /v1/webhooks/');

/** What handling webhook deliveries costs: the receiver's requests and the consumer's batches. */
export const isWebhookPath = (route: string) => isWebhookReceiver(route) || route === WEBHOOK_CONSUMER_ROUTE;

/**
 * The cost metrics an invocation's EMF line emits: the one place that says
 * which metric goes with which dimensions, read by emfLine and by metricSeries
 * (what they bill: each metric × dimension values is one custom metric). Cut to
 * what finance and the alarms read: the daily cost and units by Service (cost
 * alarm, dashboard), the cost by Route (cost per route), and the records of
 * SQS batches by Route (cost per webhook delivery). Duration stays a log field:
 * Lambda's own Duration metric is free.
 */
export function costMetricSets(
  trigger: Trigger,
): readonly { readonly dimensions: readonly string[]; readonly metrics: readonly string[] }[] {
  return [
    { dimensions: ['Service'], metrics: ['CostMicroUsd', 'ReadUnits', 'WriteUnits'] },
    { dimensions: ['Service', 'Route'], metrics: trigger === 'sqs' ? ['CostMicroUsd', 'Records'] : ['CostMicroUsd'] },
  ];
}

const METRIC_UNITS: Record<string, string> = { CostMicroUsd: 'None', ReadUnits: 'Count', WriteUnits: 'Count', Records: 'Count' };

/** The custom metrics (metric × dimension values) that these invocations' EMF lines emit: each one is billed. */
export function metricSeries(usages: readonly Pick<RequestUsage, 'route' | 'trigger'>[], service: string): Set<string> {
  const series = new Set<string>();
  for (const u of usages)
    for (const set of costMetricSets(u.trigger)) {
      const values = set.dimensions.map((d) => (d === 'Service' ? service : u.route));
      for (const m of set.metrics) series.add(JSON.stringify([m, ...values]));
    }
  return series;
}

/**
 * One CloudWatch embedded-metric-format log line (the documented JSON format,
 * written by hand: no library in the bundle), one directive per metric set of
 * costMetricSets; cost in micro-dollars so sums stay readable.
 */
export function emfLine(usage: RequestUsage, cost: CostBreakdown, service: string, at = Date.now()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: costMetricSets(usage.trigger).map((set) => ({
        Namespace: COST_NAMESPACE,
        Dimensions: [set.dimensions],
        Metrics: set.metrics.map((Name) => ({ Name, Unit: METRIC_UNITS[Name] })),
      })),
    },
    Service: service,
    Route: usage.route,
    CostMicroUsd: round(cost.total * M, 4),
    ReadUnits: usage.rru,
    WriteUnits: usage.wru,
    DurationMs: round(usage.durationMs, 1),
    Records: usage.records ?? 1,
    trigger: usage.trigger,
    memoryMb: usage.memoryMb,
    ...(usage.status !== undefined && { status: usage.status }),
    ...(usage.sqsSends ? { sqsSends: usage.sqsSends } : {}),
    ...(usage.eventsPublished ? { eventsPublished: usage.eventsPublished } : {}),
    ...(usage.logBytes ? { logBytes: usage.logBytes } : {}),
    ...(usage.traced ? { traced: true } : {}),
    ...(usage.initMs ? { initMs: round(usage.initMs, 1) } : {}),
    ...(usage.wruCancelled ? { cancelledWriteUnits: usage.wruCancelled } : {}),
  });
}

/** The CloudWatch namespace of the cost metrics (the stack's dashboard and budget alarm read it). */
export const COST_NAMESPACE = 'LoyaltyClub';

/** Counted each time the daily SMS cap holds a sign-in code back (ClubMonitoring's sign-in-sms-cap alarm). */
export const SMS_CAP_METRIC = 'SignInSmsCapReached';

/**
 * The EMF line of one code the daily SMS cap held back: a metric only when it
 * happens, so it costs nothing on the days it doesn't (CloudWatch bills a
 * custom metric by the hours it receives data).
 */
export function smsCapLine(service: string, at = Date.now()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [{ Namespace: COST_NAMESPACE, Dimensions: [['Service']], Metrics: [{ Name: SMS_CAP_METRIC, Unit: 'Count' }] }],
    },
    Service: service,
    [SMS_CAP_METRIC]: 1,
  });
}
