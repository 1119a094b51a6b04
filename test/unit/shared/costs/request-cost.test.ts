import { describe, expect, it } from 'vitest';
import { PRICES } from '../../../../shared/costs/prices';
import {
  costOf,
  costsByRoute,
  costSplit,
  emfLine,
  metricSeries,
  isWebhookPath,
  isWebhookReceiver,
  type RequestUsage,
} from '../../../../shared/costs/request-cost';

const earn: RequestUsage = { route: 'POST /v1/earn', trigger: 'http-api', rru: 2, wru: 8, durationMs: 40.2, memoryMb: 512 };

describe('costOf', () => {
  it("prices a cold start's INIT phase as Lambda duration at the function's memory", () => {
    // 250.2 ms rounds up to 251 ms: 0.251 s × 0.5 GB × $0.0000133334 per GB-s.
    const c = costOf({ ...earn, initMs: 250.2 }, PRICES);
    expect(c.init).toBeCloseTo(0.251 * 0.5 * 0.0000133334, 15);
    expect(costOf(earn, PRICES).init).toBe(0);
    expect(c.total - costOf(earn, PRICES).total).toBeCloseTo(c.init, 15);
  });

  it('prices the log bytes at CloudWatch Logs ingestion and a recorded trace at X-Ray', () => {
    // 1 MiB of log at $0.50 per GB (2^30 bytes) = 0.5 / 1024 = $0.00048828125; one trace at $5 per million.
    const c = costOf({ ...earn, logBytes: 1024 * 1024, traced: true }, PRICES);
    expect(c.logs).toBeCloseTo(0.00048828125, 15);
    expect(c.xray).toBeCloseTo(0.000005, 15);
    const plain = costOf(earn, PRICES);
    expect(plain).toMatchObject({ logs: 0, xray: 0 });
    expect(c.total - plain.total).toBeCloseTo(0.00048828125 + 0.000005, 15);
  });

  it('prices DynamoDB units, Lambda GB-seconds (ms rounded up) and requests, and the API charge', () => {
    const c = costOf(earn, PRICES);
    expect(c.dynamodb).toBeCloseTo((2 * 0.125 + 8 * 0.625) / 1e6, 15);
    expect(c.lambda).toBeCloseTo(0.041 * 0.5 * PRICES.lambdaPerGbSecond + 0.2 / 1e6, 15);
    expect(c.trigger).toBeCloseTo(1 / 1e6, 15);
    expect(c.total).toBeCloseTo(c.dynamodb + c.lambda + c.trigger + c.logs + c.xray + c.init, 15);
    expect(c.apiGateway).toBe(c.trigger);
    expect(costOf({ ...earn, trigger: 'scheduler' }, PRICES)).toMatchObject({ scheduler: 1 / 1e6, apiGateway: 0, sqs: 0 });
  });

  it('prices a consumer batch at two SQS requests (receive + delete), however many records it holds', () => {
    const batch = costOf({ ...earn, trigger: 'sqs', records: 10 }, PRICES);
    expect(batch.sqs).toBeCloseTo((2 * 0.4) / 1e6, 15);
    expect(batch.trigger).toBeCloseTo(batch.sqs, 15);
    expect(batch.apiGateway).toBe(0);
  });

  it("prices AWS's write units where DynamoDB Local reported its own (wruAws), and reports both", () => {
    const local = { ...earn, wru: 20, wruAws: 10 };
    expect(costOf(local, PRICES).dynamodb).toBeCloseTo((2 * 0.125 + 10 * 0.625) / 1e6, 15);
    const [route] = costsByRoute([local], PRICES);
    expect(route).toMatchObject({ wruPerRequest: 20, wruPricedPerRequest: 10 });
  });

  it('prices the write units of cancelled transactions, which their response does not report, on a line of their own', () => {
    // 8 WRU committed + 6 WRU of a cancelled transaction (a condition failed): 2 × 0.125 + 14 × 0.625 = $9.0e-6.
    const c = costOf({ ...earn, wruCancelled: 6 }, PRICES);
    expect(c.dynamodb).toBeCloseTo(9.0e-6, 15);
    const [route] = costsByRoute([{ ...earn, wruCancelled: 6 }, earn], PRICES);
    // Two requests, one cancelled transaction of 6: 3 a request; the committed units as before.
    expect(route).toMatchObject({ wruPerRequest: 8, wruPricedPerRequest: 8, wruCancelledPerRequest: 3 });
    expect(JSON.parse(emfLine({ ...earn, wruCancelled: 6 }, c, 'loyalty-club', 0))).toMatchObject({
      WriteUnits: 8,
      cancelledWriteUnits: 6,
    });
  });

  it('adds the SQS sends and the EventBridge events a request made', () => {
    const receiver = costOf({ ...earn, sqsSends: 1, eventsPublished: 2 }, PRICES);
    expect(receiver.sqs).toBeCloseTo(0.4 / 1e6, 15);
    expect(receiver.eventBridge).toBeCloseTo(2 / 1e6, 15);
    expect(receiver.trigger).toBeCloseTo((1 + 0.4 + 2) / 1e6, 15);
    // A rule delivering an event to the notifier is free: the publisher paid for it.
    expect(costOf({ ...earn, trigger: 'eventbridge' }, PRICES).trigger).toBe(0);
  });

  it('adds up by route, most expensive first, per request and per million', () => {
    const routes = costsByRoute([earn, earn, { ...earn, route: 'GET /health', rru: 0, wru: 0, durationMs: 1 }], PRICES);
    expect(routes.map((r) => r.route)).toEqual(['POST /v1/earn', 'GET /health']);
    expect(routes[0]).toMatchObject({ requests: 2, rruPerRequest: 2, wruPerRequest: 8, msPerRequest: 40.2 });
    expect(routes[0]!.costPerMillion.total).toBeCloseTo(costOf(earn, PRICES).total * 1e6, 3);
    expect(routes[0]).toMatchObject({ records: 2, recordsPerRequest: 1 });
  });

  it('divides a consumer route by its records: cost per delivery', () => {
    const batch: RequestUsage = {
      route: 'SQS webhook-consumer',
      trigger: 'sqs',
      rru: 30,
      wru: 60,
      durationMs: 250,
      memoryMb: 512,
      records: 10,
    };
    const [route] = costsByRoute([batch, { ...batch, records: 6 }], PRICES);
    expect(route).toMatchObject({ requests: 2, records: 16, recordsPerRequest: 8 });
    expect(route!.costPerRecord).toBeCloseTo((2 * costOf(batch, PRICES).total) / 16, 9);
    expect(route!.costPerMillion.sqs).toBeCloseTo(0.8, 4);
  });
});

describe('costSplit', () => {
  it('sums each service over the records; the services add up to the total', () => {
    const receiver: RequestUsage = {
      route: 'POST /v1/webhooks/shopify',
      trigger: 'http-api',
      rru: 0,
      wru: 0,
      durationMs: 12,
      memoryMb: 512,
      sqsSends: 1,
    };
    const batch: RequestUsage = {
      route: 'SQS webhook-consumer',
      trigger: 'sqs',
      rru: 3,
      wru: 6,
      durationMs: 90,
      memoryMb: 512,
      records: 2,
      eventsPublished: 2,
    };
    const job: RequestUsage = { route: 'SCHEDULER jobs welcome', trigger: 'scheduler', rru: 1, wru: 0, durationMs: 5, memoryMb: 512 };
    const split = costSplit([earn, receiver, receiver, batch, job], PRICES);
    expect(split.apiGateway).toBeCloseTo(3 / 1e6, 15);
    expect(split.sqs).toBeCloseTo((2 * 0.4 + 2 * 0.4) / 1e6, 15);
    expect(split.eventBridge).toBeCloseTo(2 / 1e6, 15);
    expect(split.scheduler).toBeCloseTo(1 / 1e6, 15);
    expect(split.dynamodb).toBeCloseTo((6 * 0.125 + 14 * 0.625) / 1e6, 15);
    expect(split.total).toBeCloseTo(
      split.dynamodb +
        split.lambda +
        split.apiGateway +
        split.sqs +
        split.scheduler +
        split.eventBridge +
        split.logs +
        split.xray +
        split.init,
      15,
    );
    expect(split.total).toBeCloseTo(
      [earn, receiver, receiver, batch, job].reduce((s, r) => s + costOf(r, PRICES).total, 0),
      15,
    );
    expect(costSplit([], PRICES).total).toBe(0);
  });

  it('tells the webhook path (receivers and the consumer) from the other routes', () => {
    expect(
      ['POST /v1/webhooks/shopify', 'POST /v1/webhooks/generic', 'SQS webhook-consumer', 'POST /v1/earn', 'GET /v1/admin/deliveries'].map(
        isWebhookPath,
      ),
    ).toEqual([true, true, true, false, false]);
    expect(isWebhookReceiver('SQS webhook-consumer')).toBe(false);
  });
});

describe('emfLine', () => {
  it('is a CloudWatch embedded metric format document with the metric values at the root', () => {
    const doc = JSON.parse(emfLine(earn, costOf(earn, PRICES), 'loyalty-club', 1_700_000_000_000));
    const directives = doc._aws.CloudWatchMetrics;
    expect(doc._aws.Timestamp).toBe(1_700_000_000_000);
    for (const d of directives) expect(d.Namespace).toBe('LoyaltyClub');
    // Cut to what finance and the alarms read: cost and units by Service, cost by Route.
    expect(directives.map((d: any) => [d.Dimensions, d.Metrics.map((m: any) => m.Name)])).toEqual([
      [[['Service']], ['CostMicroUsd', 'ReadUnits', 'WriteUnits']],
      [[['Service', 'Route']], ['CostMicroUsd']],
    ]);
    // Every dimension and metric a directive names is a member of the root.
    for (const d of directives) {
      for (const name of d.Dimensions.flat()) expect(typeof doc[name]).toBe('string');
      for (const m of d.Metrics) expect(typeof doc[m.Name]).toBe('number');
    }
    expect(doc.CostMicroUsd).toBeCloseTo(costOf(earn, PRICES).total * 1e6, 3);
    expect(doc).toMatchObject({ Service: 'loyalty-club', Route: 'POST /v1/earn', ReadUnits: 2, WriteUnits: 8, Records: 1 });
  });

  it('adds Records by Route for an SQS batch only (cost per webhook delivery)', () => {
    const batch: RequestUsage = { ...earn, route: 'SQS webhook-consumer', trigger: 'sqs', records: 7 };
    const doc = JSON.parse(emfLine(batch, costOf(batch, PRICES), 'loyalty-club'));
    expect(doc._aws.CloudWatchMetrics[1].Metrics.map((m: any) => m.Name)).toEqual(['CostMicroUsd', 'Records']);
    expect(doc.Records).toBe(7);
  });
});

describe('metricSeries', () => {
  it('counts each metric × dimension values the lines emit once', () => {
    const lines: RequestUsage[] = [
      earn,
      earn,
      { ...earn, route: 'GET /v1/members/{memberId}' },
      { ...earn, route: 'SQS webhook-consumer', trigger: 'sqs', records: 3 },
    ];
    // By Service: CostMicroUsd, ReadUnits, WriteUnits (3). By Route: earn's cost, the member read's cost,
    // the consumer's cost and records (4). 7 custom metrics.
    expect(metricSeries(lines, 'loyalty-club').size).toBe(7);
    expect(metricSeries([], 'loyalty-club').size).toBe(0);
  });
});
