import { describe, expect, it } from 'vitest';
import { dashboardByDefault, fixedMonthly, stackAlarms } from '../../../../shared/costs/monthly-floor';
import { PRICES } from '../../../../shared/costs/prices';

describe('fixedMonthly', () => {
  it('prices every monthly resource at its count', () => {
    // Two functions: 2 error alarms of 1 metric, plus the stack's own: Lambda throttles 1, cost 1,
    // table throttles 4, table system errors 3, conflicts 1, API 5xx 1, the automations' two
    // dead-letter queues 1 + 1, the webhook dead letters 1 and backlog 1, the shop-sync dead
    // letters 1, the sign-in's daily SMS cap 1, the table stream's iterator age 1 and failures 1 = 19. 21 alarm metrics. Secrets: API token, portal,
    // webhooks, SMS key, the Shopify app's, the shops' credentials = 6.
    const floor = fixedMonthly(10, PRICES, { dashboard: true, functions: ['earn', 'jobs'] });
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
    // The account's free tier all this stack's: the dashboard one of the free 3, 10 of the 21 alarm
    // metrics free: 1.1 + 0 + 2.4 = 3.5.
    expect(floor.idleInFreeTier).toBeCloseTo(3.5, 9);
  });

  it('counts no dashboard when none is deployed', () => {
    const floor = fixedMonthly(0, PRICES, { dashboard: false, functions: ['earn', 'jobs'] });
    expect(floor.items.find((i) => i.resource === 'dashboards')).toMatchObject({ count: 0, unitPrice: 3, monthly: 0 });
    // 2.1 alarms + 2.4 secrets.
    expect(floor.idle).toBeCloseTo(4.5, 9);
    expect(floor.idleInFreeTier).toBeCloseTo(3.5, 9);
  });

  it('gives the idle prod stack $6.30 at list prices, $5.30 in an account whose CloudWatch free tier is all its own', () => {
    // Prod deploys no dashboard by default; dev does (a context setting either way).
    expect(dashboardByDefault('prod')).toBe(false);
    expect(dashboardByDefault('dev')).toBe(true);
    // 20 functions' errors, Lambda throttles, cost per day, the SMS cap, table throttles (4 operations),
    // table system errors (3), conflicts, API 5xx, 5 dead-letter queues, the webhook backlog, the stream's age:
    // 20 + 1 + 1 + 1 + 4 + 3 + 1 + 1 + 5 + 1 + 1 = 39 alarm metrics, $3.90; 6 secrets $2.40; no dashboard.
    const prod = fixedMonthly(0, PRICES, { dashboard: dashboardByDefault('prod') });
    expect(prod.items.find((i) => i.resource === 'alarmMetrics')!.count).toBe(39);
    expect(prod.idle).toBeCloseTo(6.3, 9);
    // 29 billed alarm metrics $2.90 + $2.40.
    expect(prod.idleInFreeTier).toBeCloseTo(5.3, 9);
    // With the dashboard: $3.00 more at list price, nothing more where it is one of the account's first 3.
    const withDashboard = fixedMonthly(0, PRICES, { dashboard: true });
    expect(withDashboard.idle).toBeCloseTo(9.3, 9);
    expect(withDashboard.idleInFreeTier).toBeCloseTo(5.3, 9);
  });

  it("with errorAlarms=account, one alarm on every function's errors: $4.40 for the idle prod stack at list prices", () => {
    // 39 alarm metrics less the 20 functions' own, plus the one account-wide errors alarm: 20, $2.00; 6 secrets $2.40.
    const floor = fixedMonthly(0, PRICES, { dashboard: false, errorAlarms: 'account' });
    expect(floor.items.find((i) => i.resource === 'alarmMetrics')!.count).toBe(20);
    expect(floor.idle).toBeCloseTo(4.4, 9);
    // 10 billed alarm metrics past the free 10: $1.00 + $2.40.
    expect(floor.idleInFreeTier).toBeCloseTo(3.4, 9);
    const names = stackAlarms(['earn', 'jobs'], 'account').map((a) => a.name);
    expect(names).toContain('lambda-errors');
    expect(names).not.toContain('earn-errors');
  });

  it('has one alarm per function besides the stack-wide ones', () => {
    expect(stackAlarms(['a', 'b', 'c']).length - stackAlarms([]).length).toBe(3);
  });
});
