import { describe, expect, it } from 'vitest';
import { fixedMonthly, stackAlarms } from '../../../../shared/costs/monthly-floor';
import { PRICES } from '../../../../shared/costs/prices';

describe('fixedMonthly', () => {
  it('prices every monthly resource at its count', () => {
    // Two functions: 2 error alarms of 1 metric, plus the stack's own: Lambda throttles 1, cost 1,
    // table throttles 4, table system errors 3, conflicts 1, API 5xx 1, the automations' two
    // dead-letter queues 1 + 1, the webhook dead letters 1 and backlog 1, the stream's iterator
    // age 1, the shop-sync dead letters 1, the stream's failure queue 1 and the sign-in's daily SMS
    // cap 1 = 19. 21 alarm metrics.
    // Secrets: API token, portal, webhooks, SMS key, the Shopify app's, the shops' credentials = 6.
    const floor = fixedMonthly(10, PRICES, ['earn', 'jobs']);
    const by = Object.fromEntries(floor.items.map((i) => [i.resource, i]));
    expect(by.customMetrics).toMatchObject({ count: 10, unitPrice: 0.3, monthly: 3 });
    expect(by.alarmMetrics).toMatchObject({ count: 21, unitPrice: 0.1, monthly: 2.1 });
    expect(by.dashboards).toMatchObject({ count: 1, unitPrice: 3, monthly: 3 });
    expect(by.secrets).toMatchObject({ count: 6, unitPrice: 0.4, monthly: 2.4 });
    expect(by.userPools).toMatchObject({ count: 1, monthly: 0 });
    expect(by.kmsKeys).toMatchObject({ count: 0, monthly: 0 });
    // 3 + 2.1 + 3 + 2.4 = 10.5; idle (no requests, no custom metrics) 7.5.
    expect(floor.total).toBeCloseTo(10.5, 9);
    expect(floor.idle).toBeCloseTo(7.5, 9);
  });

  it('has one alarm per function besides the stack-wide ones', () => {
    expect(stackAlarms(['a', 'b', 'c']).length - stackAlarms([]).length).toBe(3);
  });
});
