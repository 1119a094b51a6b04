/**
 * Cost per 1M earns, via the API and via webhooks, at the dated price table
 * (shared/costs/prices.ts), from what the bench's own requests recorded in the
 * club's cost log: DynamoDB units (write units by AWS's rule for transactions,
 * where DynamoDB Local reports its own), the handlers' measured durations at
 * their configured memory, one Lambda invocation per request or consumer
 * batch, the API Gateway, SQS and EventBridge charges. docs/costs.md.
 */
import { readFileSync, statSync } from 'node:fs';
import type { LoggedUsage } from '../shared/costs/cost-log';
import { PRICES } from '../shared/costs/prices';
import { costOf, isWebhookPath, type CostBreakdown } from '../shared/costs/request-cost';

/** Where the cost log ends now: read what a phase added with costLogSince. */
export function costLogOffset(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

export function costLogSince(file: string, offset: number): LoggedUsage[] {
  let text: string;
  try {
    text = readFileSync(file).subarray(offset).toString('utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LoggedUsage);
}

export interface EarnCost {
  readonly path: 'API' | 'webhooks';
  readonly orders: number;
  readonly lambdaInvocationsPerOrder: number;
  readonly lambdaMsPerOrder: number;
  readonly rruPerOrder: number;
  /** As DynamoDB Local reported, and as AWS bills (2 WRU per item-KB in a transaction). */
  readonly wruLocalPerOrder: number;
  readonly wruPerOrder: number;
  /** USD per 1M earns, by service. */
  readonly per1M: Pick<CostBreakdown, 'dynamodb' | 'lambda' | 'apiGateway' | 'sqs' | 'eventBridge' | 'total'>;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** The cost of `orders` earns from the invocations that made them (their log lines). */
export function earnCost(path: EarnCost['path'], lines: readonly LoggedUsage[], orders: number): EarnCost {
  const sum = { dynamodb: 0, lambda: 0, apiGateway: 0, sqs: 0, eventBridge: 0, scheduler: 0, total: 0, ms: 0, rru: 0, wru: 0, wruAws: 0 };
  for (const l of lines) {
    const c = costOf(l, PRICES);
    sum.dynamodb += c.dynamodb;
    sum.lambda += c.lambda;
    sum.apiGateway += c.apiGateway;
    sum.sqs += c.sqs;
    sum.eventBridge += c.eventBridge;
    sum.scheduler += c.scheduler;
    sum.total += c.total;
    sum.ms += Math.ceil(l.durationMs);
    sum.rru += l.rru;
    sum.wru += l.wru;
    sum.wruAws += l.wruAws ?? l.wru;
  }
  const perOrder = (x: number) => (orders > 0 ? x / orders : 0);
  const perM = (x: number) => round(perOrder(x) * 1_000_000, 2);
  return {
    path,
    orders,
    lambdaInvocationsPerOrder: round(perOrder(lines.length), 3),
    lambdaMsPerOrder: round(perOrder(sum.ms), 1),
    rruPerOrder: round(perOrder(sum.rru)),
    wruLocalPerOrder: round(perOrder(sum.wru)),
    wruPerOrder: round(perOrder(sum.wruAws)),
    per1M: {
      dynamodb: perM(sum.dynamodb),
      lambda: perM(sum.lambda),
      apiGateway: perM(sum.apiGateway),
      sqs: perM(sum.sqs),
      eventBridge: perM(sum.eventBridge),
      total: perM(sum.total),
    },
  };
}

/** API: the new-order earns (POST /v1/earn that wrote something; a duplicate writes nothing). */
export function apiEarnCost(lines: readonly LoggedUsage[]): EarnCost {
  const earns = lines.filter((l) => l.route === 'POST /v1/earn' && l.status === 200 && l.wru > 0);
  return earnCost('API', earns, earns.length);
}

/** Webhooks: every receiver request and consumer batch of the run, over the orders delivered. */
export function webhookEarnCost(lines: readonly LoggedUsage[], deliveries: number): EarnCost {
  const path = lines.filter((l) => isWebhookPath(l.route));
  return earnCost('webhooks', path, deliveries);
}

export function earnCostRows(costs: readonly EarnCost[]): Record<string, string | number>[] {
  return costs.map((c) => ({
    'earns via': c.path,
    orders: c.orders,
    'Lambda invocations/order': c.lambdaInvocationsPerOrder,
    'Lambda ms/order': c.lambdaMsPerOrder,
    'RRU/order': c.rruPerOrder,
    'WRU/order (AWS rule)': c.wruPerOrder,
    'DynamoDB $': c.per1M.dynamodb,
    'Lambda $': c.per1M.lambda,
    'API Gateway $': c.per1M.apiGateway,
    'SQS $': c.per1M.sqs,
    'EventBridge $': c.per1M.eventBridge,
    'total $ per 1M earns': c.per1M.total,
  }));
}

export const PRICE_NOTE = `USD at the list prices of ${PRICES.asOf} (${PRICES.region}, on-demand, arm64, no free tier)`;
