import { describe, expect, it } from 'vitest';
import { fixedMonthly, stackAlarms } from '../../../../shared/costs/monthly-floor';
import { PRICES } from '../../../../shared/costs/prices';

describe('fixedMonthly', () => {
  it('prices every monthly resource at its count', () => {
    // Two functions: 2 alarms of 2 metrics (errors + throttles) = 4 alarm metrics, plus the stack's
    // own: cost 1, table throttles 8, table system errors 8, conflicts 1, API 5xx 1, the automations'
    // two dead-letter queues 1 + 1, the webhook dead letters 1 and backlog 1 = 23. 27 alarm metrics.
    const floor = fixedMonthly(10, PRICES, ['earn', 'jobs']);
    const by = Object.fromEntries(floor.items.map((i) => [i.resource, i]));
    expect(by.customMetrics).toMatchObject({ count: 10, unitPrice: 0.3, monthly: 3 });
    expect(by.alarmMetrics).toMatchObject({ count: 17, unitPrice: 0.1, monthly: 1.7 });
    expect(by.dashboards).toMatchObject({ count: 1, unitPrice: 3, monthly: 3 });
    expect(by.secrets).toMatchObject({ count: 4, unitPrice: 0.4, monthly: 1.6 });
    expect(by.userPools).toMatchObject({ count: 1, monthly: 0 });
    expect(by.kmsKeys).toMatchObject({ count: 0, monthly: 0 });
    // 3 + 1.7 + 3 + 1.6 = 9.3; idle (no requests, no custom metrics) 6.3.
    expect(floor.total).toBeCloseTo(9.3, 9);
    expect(floor.idle).toBeCloseTo(6.3, 9);
  });

  it('has one alarm per function besides the stack-wide ones', () => {
    expect(stackAlarms(['a', 'b', 'c']).length - stackAlarms([]).length).toBe(3);
  });
});
