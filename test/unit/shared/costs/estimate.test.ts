import { describe, expect, it } from 'vitest';
import { estimateMonthlyBill, tracedShare } from '../../../../shared/costs/estimate';
import { PRICES } from '../../../../shared/costs/prices';

/*
 * Worked by hand from the price table of 2026-12-07 and EARN_PROFILE:
 * 100,000 orders a month, half through webhooks, 10,000 members, prod (no tracing).
 *
 * API earn (1 RRU, 7.2 WRU: the bench's weighted mix): DynamoDB (1 × 0.125 + 7.2 × 0.625) / 1e6 = 4.625e-6; Lambda 18 ms ×
 *   0.5 GB = 0.009 GB-s × 0.0000133334 = 1.200006e-7 + 2e-7 a request; API Gateway 1e-6 → 5.9450006e-6;
 *   × 50,000 = $0.29725003. (Its event is the stream processor's.)
 * Webhook earn: receiver 20 ms → 0.01 GB-s = 1.33334e-7 + 2e-7, API 1e-6, SendMessage 0.4e-6 = 1.733334e-6;
 *   a batch of 10: DynamoDB (20.5 × 0.125 + 74 × 0.625) / 1e6 = 48.8125e-6, Lambda 715 ms → 0.3575 GB-s =
 *   4.76669050e-6 + 0.2e-6, SQS 2 × 0.4e-6 = 54.5791905e-6, a tenth 5.45791905e-6;
 *   7.19125305e-6 an earn × 50,000 = $0.3595626525.
 * Stream processor: 100,000 orders in 2,628,000 s is 0.038 a second, so one order an invocation (its 1 s window):
 *   100,000 invocations of 2 WRU (the order's marker) + 2 WRU (the day's counter item) = 2.5e-6, Lambda 13 ms
 *   (12.3 billed up) → 0.0065 GB-s = 8.66671e-8 + 2e-7, the order's event 1e-6 = 3.7866671e-6 → $0.37866671.
 * Scheduled: (8 daily + 1 hourly job + the notifier's flush) × 730 h = 7,300 runs at 0.125e-6 + (0.015 GB-s =
 *   2.00001e-7 + 2e-7) + 1e-6 = 1.525001e-6 → $0.0111325073.
 * Invocations 50,000 + 50,000 + 5,000 + 7,300 + 100,000 = 212,300. Logs 212,300 × 1,536 B = 326,092,800 B / 2^30 =
 *   0.3036975860595703 GB × $0.50 = $0.15184879302978516. INIT: 2,123 cold starts × 0.4 s × 0.5 GB ×
 *   0.0000133334 = $0.00566136164. Storage: 10,000 × 2,048 + 100,000 × 512 = 71,680,000 B = 0.066757202 GB
 *   × $0.25 = $0.016689300537109375.
 * Fixed: 8 cost metric series (3 by Service; CostMicroUsd by Route for earn, the webhook receiver, the consumer
 *   and the stream processor; Records for the consumer) × $0.30 = $2.40, + 39 alarm metrics $3.90 + 6 secrets
 *   $2.40 = $8.70 (prod deploys no dashboard by default; dev's adds $3.00).
 */
describe('estimateMonthlyBill', () => {
  const bill = estimateMonthlyBill({ ordersPerMonth: 100_000, members: 10_000, webhookShare: 0.5, stage: 'prod' }, PRICES);
  const by = Object.fromEntries(bill.perRequest.map((l) => [l.line, l]));

  it('prices each per-request line from the price table', () => {
    expect(by['API earns']).toMatchObject({ count: 50_000, unit: 'earn' });
    expect(by['API earns']!.unitPrice).toBeCloseTo(5.9450006e-6, 15);
    expect(by['API earns']!.monthly).toBeCloseTo(0.29725003, 10);
    expect(by['webhook earns']!.unitPrice).toBeCloseTo(7.19125305e-6, 15);
    expect(by['webhook earns']!.monthly).toBeCloseTo(0.3595626525, 10);
    expect(by['stream processor']).toMatchObject({ count: 100_000, unit: 'invocation' });
    expect(by['stream processor']!.unitPrice).toBeCloseTo(3.7866671e-6, 15);
    expect(by['stream processor']!.monthly).toBeCloseTo(0.37866671, 10);
    expect(by['scheduled jobs']).toMatchObject({ count: 7_300, unit: 'run' });
    expect(by['scheduled jobs']!.monthly).toBeCloseTo(0.0111325073, 10);
    expect(by['CloudWatch Logs']!.count).toBeCloseTo(0.3036975860595703, 12);
    expect(by['CloudWatch Logs']!.monthly).toBeCloseTo(0.15184879302978516, 12);
    expect(by['X-Ray tracing']).toMatchObject({ count: 0, monthly: 0 });
    expect(by['Lambda INIT']!.count).toBeCloseTo(2_123, 9);
    expect(by['Lambda INIT']!.monthly).toBeCloseTo(0.00566136164, 12);
    expect(by['DynamoDB storage']!.monthly).toBeCloseTo(0.016689300537109375, 12);
  });

  it('adds the fixed floor with the metric series these requests emit', () => {
    const fixed = Object.fromEntries(bill.fixed.items.map((i) => [i.resource, i]));
    expect(fixed.customMetrics).toMatchObject({ count: 8 });
    expect(fixed.customMetrics!.monthly).toBeCloseTo(2.4, 9);
    expect(fixed.dashboards).toMatchObject({ count: 0, monthly: 0 });
    expect(bill.fixed.total).toBeCloseTo(8.7, 9);
    const perRequest = 0.29725003 + 0.3595626525 + 0.37866671 + 0.0111325073 + 0.15184879302978516 + 0.00566136164 + 0.016689300537109375;
    expect(bill.perRequestTotal).toBeCloseTo(perRequest, 9);
    expect(bill.total).toBeCloseTo(8.7 + perRequest, 9);
  });

  it('traces in a stage other than prod: nearly every invocation at a store’s rate', () => {
    const dev = estimateMonthlyBill({ ordersPerMonth: 100_000, members: 10_000, webhookShare: 0.5, stage: 'dev' }, PRICES);
    const xray = dev.perRequest.find((l) => l.line === 'X-Ray tracing')!;
    // 212,300 invocations in 2,628,000 s: 0.081 a second, so about 96% are the first of their second.
    expect(xray.count).toBeGreaterThan(0.95 * 212_300);
    expect(xray.count).toBeLessThan(212_300);
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
