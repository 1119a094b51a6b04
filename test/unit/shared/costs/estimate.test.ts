import { describe, expect, it } from 'vitest';
import { estimateMonthlyBill, tracedShare } from '../../../../shared/costs/estimate';
import { PRICES } from '../../../../shared/costs/prices';

/*
 * Worked by hand from the price table of 2026-12-07 and EARN_PROFILE:
 * 100,000 orders a month, half through webhooks, 10,000 members, prod (no tracing).
 *
 * API earn (1 RRU, 9.2 WRU: the bench's weighted mix): DynamoDB (1 × 0.125 + 9.2 × 0.625) / 1e6 = 5.875e-6; Lambda 24 ms ×
 *   0.5 GB = 0.012 GB-s × 0.0000133334 = 1.600008e-7 + 2e-7 a request; API Gateway 1e-6; EventBridge 1e-6 →
 *   8.2350008e-6; × 50,000 = $0.41175004.
 * Webhook earn: receiver 20 ms → 0.01 GB-s = 1.33334e-7 + 2e-7, API 1e-6, SendMessage 0.4e-6 = 1.733334e-6;
 *   a batch of 10: DynamoDB (30.5 × 0.125 + 96 × 0.625) / 1e6 = 63.8125e-6, Lambda 1,128 ms → 0.564 GB-s =
 *   7.5200376e-6 + 0.2e-6, SQS 2 × 0.4e-6, events 10e-6 = 82.3325376e-6, a tenth 8.23325376e-6;
 *   9.96658776e-6 an earn × 50,000 = $0.498329388.
 * Scheduled: (8 daily + 1 hourly job + the notifier's flush) × 730 h = 7,300 runs at 0.125e-6 + (0.015 GB-s =
 *   2.00001e-7 + 2e-7) + 1e-6 = 1.525001e-6 → $0.0111325073.
 * Invocations 50,000 + 50,000 + 5,000 + 7,300 = 112,300. Logs 112,300 × 1,536 B = 172,492,800 B / 2^30 =
 *   0.16064643859863281 GB × $0.50 = $0.0803232192993164. INIT: 1,123 cold starts × 0.4 s × 0.5 GB ×
 *   0.0000133334 = $0.00299468164. Storage: 10,000 × 2,048 + 100,000 × 512 = 71,680,000 B = 0.066757202 GB
 *   × $0.25 = $0.016689300537109375.
 * Fixed: 7 cost metric series (3 by Service; CostMicroUsd by Route for earn, the webhook receiver and the
 *   consumer; Records for the consumer) × $0.30 = $2.10, + 39 alarm metrics $3.90 + 6 secrets $2.40 = $8.40
 *   (prod deploys no dashboard by default; dev's adds $3.00).
 */
describe('estimateMonthlyBill', () => {
  const bill = estimateMonthlyBill({ ordersPerMonth: 100_000, members: 10_000, webhookShare: 0.5, stage: 'prod' }, PRICES);
  const by = Object.fromEntries(bill.perRequest.map((l) => [l.line, l]));

  it('prices each per-request line from the price table', () => {
    expect(by['API earns']).toMatchObject({ count: 50_000, unit: 'earn' });
    expect(by['API earns']!.unitPrice).toBeCloseTo(8.2350008e-6, 15);
    expect(by['API earns']!.monthly).toBeCloseTo(0.41175004, 10);
    expect(by['webhook earns']!.unitPrice).toBeCloseTo(9.96658776e-6, 15);
    expect(by['webhook earns']!.monthly).toBeCloseTo(0.498329388, 10);
    expect(by['scheduled jobs']).toMatchObject({ count: 7_300, unit: 'run' });
    expect(by['scheduled jobs']!.monthly).toBeCloseTo(0.0111325073, 10);
    expect(by['CloudWatch Logs']!.count).toBeCloseTo(0.16064643859863281, 12);
    expect(by['CloudWatch Logs']!.monthly).toBeCloseTo(0.0803232192993164, 12);
    expect(by['X-Ray tracing']).toMatchObject({ count: 0, monthly: 0 });
    expect(by['Lambda INIT']!.count).toBeCloseTo(1_123, 9);
    expect(by['Lambda INIT']!.monthly).toBeCloseTo(0.00299468164, 12);
    expect(by['DynamoDB storage']!.monthly).toBeCloseTo(0.016689300537109375, 12);
  });

  it('adds the fixed floor with the metric series these requests emit', () => {
    const fixed = Object.fromEntries(bill.fixed.items.map((i) => [i.resource, i]));
    expect(fixed.customMetrics).toMatchObject({ count: 7, monthly: 2.1 });
    expect(fixed.dashboards).toMatchObject({ count: 0, monthly: 0 });
    expect(bill.fixed.total).toBeCloseTo(8.4, 9);
    const perRequest = 0.41175004 + 0.498329388 + 0.0111325073 + 0.0803232192993164 + 0.00299468164 + 0.016689300537109375;
    expect(bill.perRequestTotal).toBeCloseTo(perRequest, 9);
    expect(bill.total).toBeCloseTo(8.4 + perRequest, 9);
  });

  it('traces in a stage other than prod: nearly every invocation at a store’s rate', () => {
    const dev = estimateMonthlyBill({ ordersPerMonth: 100_000, members: 10_000, webhookShare: 0.5, stage: 'dev' }, PRICES);
    const xray = dev.perRequest.find((l) => l.line === 'X-Ray tracing')!;
    // 112,300 invocations in 2,628,000 s: 0.043 a second, so about 98% are the first of their second.
    expect(xray.count).toBeGreaterThan(0.97 * 112_300);
    expect(xray.count).toBeLessThan(112_300);
    expect(xray.monthly).toBeCloseTo(xray.count * 5e-6, 12);
  });
});

describe('tracedShare', () => {
  it('is the first request each second and 5% of the rest', () => {
    // One a second: 1 − e^−1 = 0.6321205588 of the requests are firsts; 5% of the other 0.3678794412 = 0.0183939721.
    expect(tracedShare(1)).toBeCloseTo(0.6505145309, 9);
    // A thousand a second: firsts 1/1000 (e^−1000 ≈ 0), + 5% of 0.999.
    expect(tracedShare(1000)).toBeCloseTo(0.001 + 0.04995, 9);
  });
});
