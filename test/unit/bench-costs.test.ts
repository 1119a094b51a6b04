/** The bench's cost per 1M earns: from the cost log lines of the requests that made the earns. */
import { describe, expect, it } from 'vitest';
import { apiEarnCost, webhookEarnCost } from '../../bench/costs';
import { caseFigures, memberItemExtraWru, storedItemBytes, weightedMix } from '../../bench/earn-mix';
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

describe('the realistic earn mix', () => {
  it("sizes an item by DynamoDB's rules: names and strings in UTF-8 bytes, numbers by digits, maps and lists with overhead", () => {
    // pk "pk"(2) + "MEMBER#m1"(9) = 11; balance "balance"(7) + 120 → 2 digits/2 rounded up + 1 = 2 → 9;
    // lots "lots"(4) + a list: 3 + (1 + a map: 3 + (1 + "p"(1) + 1 digit → 2)) = 3 + 1 + 7 = 11 → 15. Total 35.
    expect(storedItemBytes({ pk: 'MEMBER#m1', balance: 120, lots: [{ p: 5 }] })).toBe(35);
  });

  it('adds what AWS bills for a member item past 1 KB, which the meter counted as one small item', () => {
    expect(memberItemExtraWru(565)).toBe(0);
    expect(memberItemExtraWru(1024)).toBe(0);
    // 1,838 bytes: 2 KB, 4 WRU in a transaction, where the meter counted 2.
    expect(memberItemExtraWru(1838)).toBe(2);
    expect(memberItemExtraWru(2049)).toBe(4);
  });

  it('prices each case per million earns with and without a trace, and weighs the mix', () => {
    const line = { ...earn, wru: 24, wruAws: 9, durationMs: 40, logBytes: 0, memberBytes: 1838 };
    const long = caseFigures('24 months of history', [line]);
    // 9 + 2 WRU (a 2 KB member item) = 11; DynamoDB 2 × 0.125 + 11 × 0.625 = 7.125; Lambda 0.04 × 0.5 × 0.0000133334 × 1e6 +
    // 0.2 = 0.466668; API 1; event 1 → 9.591668 → $9.59; a trace each: + $5.
    expect(long).toMatchObject({ wru: 11, memberBytes: 1838, perMillion: 9.59, perMillionTraced: 14.59 });
    const first = caseFigures('new member, first earn', [{ ...line, memberBytes: 565 }]);
    // 9 WRU: 7.125 − 1.25 = 5.875 → 9.591668 − 1.25 = 8.341668 → $8.34.
    expect(first.perMillion).toBe(8.34);
    const same = { ...first, case: 'same-day repeat' as const };
    const back = { ...first, case: 'returning, another day' as const };
    // 0.2 × 8.34 + 0.1 × 8.34 + 0.5 × 8.34 + 0.2 × 9.59 = 6.672 + 1.918 = 8.59; WRU 0.8 × 9 + 0.2 × 11 = 9.4.
    expect(weightedMix([first, same, back, long])).toMatchObject({
      case: 'weighted mix',
      wru: 9.4,
      perMillion: 8.59,
      perMillionTraced: 13.59,
    });
  });
});
