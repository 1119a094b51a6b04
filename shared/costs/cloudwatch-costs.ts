/**
 * On AWS the cost of each invocation is a CloudWatch embedded metric (emfLine in
 * request-cost.ts), not a line in a local log: GET /v1/reports/costs reads the
 * sums back with GetMetricData (docs/costs.md). GetMetricData bills per metric
 * requested ($0.01 per 1,000), so the reader asks only for the series the
 * handlers actually emitted (ListMetrics) and keeps each answer in the Lambda
 * for a few minutes: the console's refreshes don't each pay for it.
 */
import {
  GetMetricDataCommand,
  ListMetricsCommand,
  type CloudWatchClient,
  type Dimension,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { COST_NAMESPACE, costMetricSets, isWebhookPath, isWebhookReceiver, type CostBreakdown, type RouteCost } from './request-cost';

/** The window of whole UTC days a report covers (inclusive). */
export interface CostDays {
  readonly from: string;
  readonly to: string;
}

export interface RouteMetrics {
  readonly route: string;
  /** Invocations: one CostMicroUsd value per invocation, so its SampleCount. */
  readonly requests: number;
  readonly microUsd: number;
  /** Sum of Records (SQS batches only; else one per request). */
  readonly records: number;
}

export interface MetricCosts {
  /** sum(CostMicroUsd) by [Service]: everything the club ran in the window. */
  readonly totalMicroUsd: number;
  readonly routes: readonly RouteMetrics[];
  /** The cost metric series (metric × dimension values) with data in the window: each a billed custom metric. */
  readonly series: number;
}

const DAY_SECONDS = 86_400;
/** GetMetricData takes at most 500 queries a call (CloudWatch API reference, GetMetricData). */
const QUERIES_PER_CALL = 500;
/** The metrics costMetricSets emits, whatever the trigger (ReadUnits and WriteUnits go with every CostMicroUsd by Service). */
const COST_METRICS = new Set(
  [...costMetricSets('http-api'), ...costMetricSets('sqs')].flatMap((s) => s.metrics.map((m) => `${m}:${s.dimensions.join(',')}`)),
);

const dayStart = (day: string) => new Date(`${day}T00:00:00Z`);
const dayAfter = (day: string) => new Date(dayStart(day).getTime() + DAY_SECONDS * 1000);

/** Every cost metric series of this service, paged with NextToken. */
async function listSeries(cw: CloudWatchClient, service: string): Promise<{ metric: string; dimensions: Dimension[] }[]> {
  const found: { metric: string; dimensions: Dimension[] }[] = [];
  let NextToken: string | undefined;
  do {
    const out = await cw.send(
      new ListMetricsCommand({ Namespace: COST_NAMESPACE, Dimensions: [{ Name: 'Service', Value: service }], NextToken }),
    );
    for (const m of out.Metrics ?? []) {
      const dimensions = m.Dimensions ?? [];
      const names = dimensions.map((d) => d.Name).sort((a, b) => (a === 'Service' ? -1 : b === 'Service' ? 1 : 0));
      if (m.MetricName && COST_METRICS.has(`${m.MetricName}:${names.join(',')}`)) found.push({ metric: m.MetricName, dimensions });
    }
    NextToken = out.NextToken;
  } while (NextToken);
  return found;
}

/**
 * The window's cost metrics summed: the total by Service, and per Route its
 * invocations, cost and records. Daily periods over whole UTC days; every page
 * of every call is added up per query id.
 */
export async function readCostMetrics(cw: CloudWatchClient, days: CostDays, service: string): Promise<MetricCosts> {
  const series = await listSeries(cw, service);
  const routeOf = (dims: Dimension[]) => dims.find((d) => d.Name === 'Route')?.Value;
  const queries: MetricDataQuery[] = [];
  const ask = (Id: string, metric: string, dimensions: Dimension[], Stat: 'Sum' | 'SampleCount') =>
    queries.push({
      Id,
      MetricStat: { Metric: { Namespace: COST_NAMESPACE, MetricName: metric, Dimensions: dimensions }, Period: DAY_SECONDS, Stat },
      ReturnData: true,
    });
  const routes: string[] = [];
  // Units by Service are emitted with every cost line: counted as series, not read (nothing shows them).
  const unitsBy = series.filter((s) => s.metric !== 'CostMicroUsd' && s.metric !== 'Records').length;
  for (const s of series) {
    const route = routeOf(s.dimensions);
    if (route === undefined) {
      if (s.metric === 'CostMicroUsd') ask('total', s.metric, s.dimensions, 'Sum');
      continue;
    }
    let i = routes.indexOf(route);
    if (i < 0) i = routes.push(route) - 1;
    if (s.metric === 'CostMicroUsd') {
      ask(`cost${i}`, s.metric, s.dimensions, 'Sum');
      ask(`count${i}`, s.metric, s.dimensions, 'SampleCount');
    } else ask(`records${i}`, s.metric, s.dimensions, 'Sum');
  }
  const sums = new Map<string, number>();
  const seen = new Set<string>();
  for (let at = 0; at < queries.length; at += QUERIES_PER_CALL) {
    let NextToken: string | undefined;
    do {
      const out = await cw.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries.slice(at, at + QUERIES_PER_CALL),
          StartTime: dayStart(days.from),
          EndTime: dayAfter(days.to),
          NextToken,
        }),
      );
      for (const r of out.MetricDataResults ?? []) {
        if (!r.Id) continue;
        const values = r.Values ?? [];
        if (values.length > 0) seen.add(r.Id);
        sums.set(r.Id, (sums.get(r.Id) ?? 0) + values.reduce((a, v) => a + v, 0));
      }
      NextToken = out.NextToken;
    } while (NextToken);
  }
  const sum = (id: string) => sums.get(id) ?? 0;
  const rows = routes
    .map((route, i) => ({ route, requests: sum(`count${i}`), microUsd: sum(`cost${i}`), records: sum(`records${i}`) || sum(`count${i}`) }))
    .filter((r) => r.requests > 0);
  const withData = [...seen].filter((id) => !id.startsWith('count')).length;
  return {
    totalMicroUsd: sum('total'),
    routes: rows,
    series: withData + (seen.has('total') ? unitsBy : 0),
  };
}

/** How long an answer is reused in the Lambda: the console refreshes often, the metrics move by the minute. */
export const METRICS_CACHE_MS = 5 * 60_000;

/** readCostMetrics with each window's answer kept for METRICS_CACHE_MS in this container. */
export function cachedCostMetrics(
  cw: CloudWatchClient,
  service: string,
  now: () => Date = () => new Date(),
): (days: CostDays) => Promise<MetricCosts> {
  const kept = new Map<string, { at: number; value: Promise<MetricCosts> }>();
  return (days) => {
    const key = `${days.from}/${days.to}`;
    const t = now().getTime();
    const hit = kept.get(key);
    if (hit && t - hit.at < METRICS_CACHE_MS) return hit.value;
    const value = readCostMetrics(cw, days, service);
    kept.set(key, { at: t, value });
    // A failed read is not kept: the next refresh asks again.
    value.catch(() => kept.delete(key));
    return value;
  };
}

const M = 1_000_000;
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
/** The metrics carry each invocation's total only: the split by service is not there, only `total`. */
const totalOnly = (total: number): CostBreakdown => ({
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
  total,
});

/** The metrics in the costs answer's shape: what the local log gives, less what the metrics don't carry (units, ms, the split). */
export function reportFromMetrics(m: MetricCosts) {
  const usd = (micro: number) => round(micro / M, 10);
  const routes: RouteCost[] = m.routes
    .map((r) => ({
      route: r.route,
      requests: r.requests,
      rruPerRequest: 0,
      wruPerRequest: 0,
      wruPricedPerRequest: 0,
      wruCancelledPerRequest: 0,
      msPerRequest: 0,
      records: r.records,
      recordsPerRequest: round(r.records / r.requests, 2),
      costPerRequest: usd(r.microUsd / r.requests),
      costPerRecord: r.records > 0 ? usd(r.microUsd / r.records) : 0,
      costPerMillion: totalOnly(round(r.microUsd / r.requests, 4)),
    }))
    .sort((a, b) => b.costPerRequest * b.requests - a.costPerRequest * a.requests);
  const webhookLines = m.routes.filter((r) => isWebhookPath(r.route));
  const deliveries = webhookLines.filter((r) => isWebhookReceiver(r.route)).reduce((a, r) => a + r.requests, 0);
  const batches = webhookLines.filter((r) => !isWebhookReceiver(r.route)).reduce((a, r) => a + r.requests, 0);
  const webhookMicro = webhookLines.reduce((a, r) => a + r.microUsd, 0);
  return {
    requests: m.routes.reduce((a, r) => a + r.requests, 0),
    totalCost: usd(m.totalMicroUsd),
    routes,
    byService: totalOnly(usd(m.totalMicroUsd)),
    webhooks: {
      deliveries,
      batches,
      totalCost: usd(webhookMicro),
      costPer1000Deliveries: deliveries > 0 ? usd((webhookMicro / deliveries) * 1000) : null,
      byService: totalOnly(usd(webhookMicro)),
    },
  };
}
