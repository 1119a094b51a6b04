import { describe, expect, it } from 'vitest';
import { PRICES } from './prices';
import { costOf, costsByRoute, emfLine, type RequestUsage } from './request-cost';

const earn: RequestUsage = { route: 'POST /v1/earn', trigger: 'http-api', rru: 2, wru: 8, durationMs: 40.2, memoryMb: 512 };

describe('costOf', () => {
  it('prices DynamoDB units, Lambda GB-seconds (ms rounded up) and requests, and the API charge', () => {
    const c = costOf(earn, PRICES);
    expect(c.dynamodb).toBeCloseTo((2 * 0.125 + 8 * 0.625) / 1e6, 15);
    expect(c.lambda).toBeCloseTo(0.041 * 0.5 * PRICES.lambdaPerGbSecond + 0.2 / 1e6, 15);
    expect(c.trigger).toBeCloseTo(1 / 1e6, 15);
    expect(c.total).toBeCloseTo(c.dynamodb + c.lambda + c.trigger, 15);
    expect(costOf({ ...earn, trigger: 'sqs' }, PRICES).trigger).toBeCloseTo(0.4 / 1e6, 15);
    expect(costOf({ ...earn, trigger: 'scheduler' }, PRICES).trigger).toBeCloseTo(1 / 1e6, 15);
  });

  it('adds up by route, most expensive first, per request and per million', () => {
    const routes = costsByRoute([earn, earn, { ...earn, route: 'GET /health', rru: 0, wru: 0, durationMs: 1 }], PRICES);
    expect(routes.map((r) => r.route)).toEqual(['POST /v1/earn', 'GET /health']);
    expect(routes[0]).toMatchObject({ requests: 2, rruPerRequest: 2, wruPerRequest: 8, msPerRequest: 40.2 });
    expect(routes[0]!.costPerMillion.total).toBeCloseTo(costOf(earn, PRICES).total * 1e6, 3);
  });
});

describe('emfLine', () => {
  it('is a CloudWatch embedded metric format document with the metric values at the root', () => {
    const doc = JSON.parse(emfLine(earn, costOf(earn, PRICES), 'loyalty-club', 1_700_000_000_000));
    const directive = doc._aws.CloudWatchMetrics[0];
    expect(doc._aws.Timestamp).toBe(1_700_000_000_000);
    expect(directive.Namespace).toBe('LoyaltyClub');
    expect(directive.Dimensions).toEqual([['Service'], ['Service', 'Route']]);
    // Every dimension and metric the directive names is a member of the root.
    for (const name of directive.Dimensions.flat()) expect(typeof doc[name]).toBe('string');
    for (const m of directive.Metrics) expect(typeof doc[m.Name]).toBe('number');
    expect(doc.CostMicroUsd).toBeCloseTo(costOf(earn, PRICES).total * 1e6, 3);
    expect(doc).toMatchObject({ Service: 'loyalty-club', Route: 'POST /v1/earn', ReadUnits: 2, WriteUnits: 8 });
  });
});
