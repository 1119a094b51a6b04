/** The bench's cost per 1M earns: from the cost log lines of the requests that made the earns. */
import { describe, expect, it } from 'vitest';
import { apiEarnCost, webhookEarnCost } from '../../bench/costs';
import type { LoggedUsage } from '../../shared/costs/cost-log';
import { PRICES } from '../../shared/costs/prices';

const at = '2026-11-23T10:00:00.000Z';
const earn: LoggedUsage = {
  at,
  route: 'POST /v1/earn',
  trigger: 'http-api',
  rru: 2,
  wru: 24,
  wruAws: 9,
  durationMs: 40.2,
  memoryMb: 512,
  status: 200,
  eventsPublished: 1,
};

describe('cost per 1M earns', () => {
  it('via API: the new-order earns only, at AWS write units, with API Gateway, Lambda and the published event', () => {
    const duplicate = { ...earn, wru: 0, wruAws: undefined, eventsPublished: undefined };
    const c = apiEarnCost([earn, earn, duplicate, { ...earn, route: 'POST /v1/members' }]);
    expect(c).toMatchObject({
      path: 'API',
      orders: 2,
      lambdaInvocationsPerOrder: 1,
      rruPerOrder: 2,
      wruLocalPerOrder: 24,
      wruPerOrder: 9,
      lambdaMsPerOrder: 41,
    });
    expect(c.per1M.dynamodb).toBeCloseTo(2 * PRICES.dynamodbPerMillionRru + 9 * PRICES.dynamodbPerMillionWru, 2);
    expect(c.per1M.apiGateway).toBe(PRICES.httpApiPerMillion);
    expect(c.per1M.eventBridge).toBe(PRICES.eventBridgePerMillionEvents);
    expect(c.per1M.sqs).toBe(0);
    const lambda = PRICES.lambdaPerMillionRequests + 1e6 * 0.041 * 0.5 * PRICES.lambdaPerGbSecond;
    expect(c.per1M.lambda).toBeCloseTo(lambda, 2);
    expect(c.per1M.total).toBeCloseTo(c.per1M.dynamodb + c.per1M.lambda + c.per1M.apiGateway + c.per1M.eventBridge, 1);
  });

  it('via webhooks: every receiver request and consumer batch over the orders delivered', () => {
    const receiver: LoggedUsage = {
      at,
      route: 'POST /v1/webhooks/shopify',
      trigger: 'http-api',
      rru: 0,
      wru: 0,
      durationMs: 10,
      memoryMb: 512,
      status: 202,
      sqsSends: 1,
    };
    const batch: LoggedUsage = {
      at,
      route: 'SQS webhook-consumer',
      trigger: 'sqs',
      rru: 30,
      wru: 140,
      wruAws: 90,
      durationMs: 400,
      memoryMb: 512,
      records: 10,
      eventsPublished: 10,
    };
    const lines = [...Array.from({ length: 20 }, () => receiver), batch, batch, { ...earn, route: 'GET /v1/members' }];
    const c = webhookEarnCost(lines, 20);
    expect(c).toMatchObject({ path: 'webhooks', orders: 20, lambdaInvocationsPerOrder: 1.1, rruPerOrder: 3, wruPerOrder: 9 });
    // One SendMessage per delivery, and a receive + a delete per batch of ten.
    expect(c.per1M.sqs).toBeCloseTo(PRICES.sqsPerMillion * (1 + 2 / 10), 2);
    expect(c.per1M.apiGateway).toBe(PRICES.httpApiPerMillion);
    expect(c.per1M.eventBridge).toBe(PRICES.eventBridgePerMillionEvents);
  });
});
