/**
 * What one request cost, from what it used, at the price table: pure. The
 * handler edge measures the usage (shared/costs/record.ts); the bench and
 * GET /v1/reports/costs add it up (docs/costs.md).
 */
import type { PriceTable } from './prices';

/** What started the invocation: its per-request charge besides Lambda's own. */
export type Trigger = 'http-api' | 'sqs' | 'scheduler' | 'none';

export interface RequestUsage {
  /** "POST /v1/earn", or a consumer / job name. */
  readonly route: string;
  readonly trigger: Trigger;
  /** DynamoDB request units consumed (ReturnConsumedCapacity). */
  readonly rru: number;
  readonly wru: number;
  readonly durationMs: number;
  readonly memoryMb: number;
  readonly status?: number;
}

export interface CostBreakdown {
  readonly dynamodb: number;
  readonly lambda: number;
  readonly trigger: number;
  readonly total: number;
}

const M = 1_000_000;

export function triggerPrice(trigger: Trigger, prices: PriceTable): number {
  switch (trigger) {
    case 'http-api':
      return prices.httpApiPerMillion / M;
    case 'sqs':
      return prices.sqsPerMillion / M;
    case 'scheduler':
      return prices.schedulerPerMillion / M;
    case 'none':
      return 0;
  }
}

/** USD for one request. Lambda bills duration by the millisecond, rounded up. */
export function costOf(usage: Omit<RequestUsage, 'route'>, prices: PriceTable): CostBreakdown {
  const dynamodb = (usage.rru * prices.dynamodbPerMillionRru + usage.wru * prices.dynamodbPerMillionWru) / M;
  const gbSeconds = (Math.ceil(usage.durationMs) / 1000) * (usage.memoryMb / 1024);
  const lambda = gbSeconds * prices.lambdaPerGbSecond + prices.lambdaPerMillionRequests / M;
  const trigger = triggerPrice(usage.trigger, prices);
  return { dynamodb, lambda, trigger, total: dynamodb + lambda + trigger };
}

export interface RouteCost {
  readonly route: string;
  readonly requests: number;
  readonly rruPerRequest: number;
  readonly wruPerRequest: number;
  readonly msPerRequest: number;
  /** USD per request, and per million requests, split by service. */
  readonly costPerRequest: number;
  readonly costPerMillion: { readonly dynamodb: number; readonly lambda: number; readonly trigger: number; readonly total: number };
}

const round = (x: number, digits = 6) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Usage records summed by route, cost per request and per million at the prices. */
export function costsByRoute(records: readonly RequestUsage[], prices: PriceTable): RouteCost[] {
  const groups = new Map<string, RequestUsage[]>();
  for (const r of records) groups.set(r.route, [...(groups.get(r.route) ?? []), r]);
  return [...groups.entries()]
    .map(([route, list]) => {
      const sum = { dynamodb: 0, lambda: 0, trigger: 0, total: 0, rru: 0, wru: 0, ms: 0 };
      for (const r of list) {
        const c = costOf(r, prices);
        sum.dynamodb += c.dynamodb;
        sum.lambda += c.lambda;
        sum.trigger += c.trigger;
        sum.total += c.total;
        sum.rru += r.rru;
        sum.wru += r.wru;
        sum.ms += r.durationMs;
      }
      const n = list.length;
      const perM = (x: number) => round((x / n) * M, 4);
      return {
        route,
        requests: n,
        rruPerRequest: round(sum.rru / n, 2),
        wruPerRequest: round(sum.wru / n, 2),
        msPerRequest: round(sum.ms / n, 1),
        costPerRequest: round(sum.total / n, 10),
        costPerMillion: { dynamodb: perM(sum.dynamodb), lambda: perM(sum.lambda), trigger: perM(sum.trigger), total: perM(sum.total) },
      };
    })
    .sort((a, b) => b.costPerRequest * b.requests - a.costPerRequest * a.requests);
}

/** The total of a set of records, USD. */
export function totalCost(records: readonly RequestUsage[], prices: PriceTable): number {
  return records.reduce((s, r) => s + costOf(r, prices).total, 0);
}

/**
 * One CloudWatch embedded-metric-format log line (the documented JSON format,
 * written by hand: no library in the bundle). Metrics by Service and by
 * Service+Route; cost in micro-dollars so sums stay readable.
 */
export function emfLine(usage: RequestUsage, cost: CostBreakdown, service: string, at = Date.now()): string {
  return JSON.stringify({
    _aws: {
      Timestamp: at,
      CloudWatchMetrics: [
        {
          Namespace: COST_NAMESPACE,
          Dimensions: [['Service'], ['Service', 'Route']],
          Metrics: [
            { Name: 'CostMicroUsd', Unit: 'None' },
            { Name: 'ReadUnits', Unit: 'Count' },
            { Name: 'WriteUnits', Unit: 'Count' },
            { Name: 'DurationMs', Unit: 'Milliseconds' },
          ],
        },
      ],
    },
    Service: service,
    Route: usage.route,
    CostMicroUsd: round(cost.total * M, 4),
    ReadUnits: usage.rru,
    WriteUnits: usage.wru,
    DurationMs: round(usage.durationMs, 1),
    trigger: usage.trigger,
    memoryMb: usage.memoryMb,
    ...(usage.status !== undefined && { status: usage.status }),
  });
}

/** The CloudWatch namespace of the cost metrics (the stack's dashboard and budget alarm read it). */
export const COST_NAMESPACE = 'LoyaltyClub';
