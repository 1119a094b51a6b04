/** Cost per request: every handled request lands in the local cost log, and GET /v1/reports/costs prices it. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());

describe('cost per request', () => {
  it('records each request and reports cost per route, per 1,000 orders and per member per month', async () => {
    for (let i = 0; i < 3; i++) {
      const m = (await club.api('POST', '/v1/members', { memberId: uniqueId('c') })).body.memberId;
      for (let j = 0; j < 2; j++) {
        expect((await club.api('POST', '/v1/earn', { memberId: m, orderId: uniqueId('o'), amount: '20', currency: 'USD' })).status).toBe(200);
      }
    }
    const lines = readFileSync(club.costsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const earns = lines.filter((l) => l.route === 'POST /v1/earn');
    expect(earns).toHaveLength(6);
    expect(earns[0]).toMatchObject({ trigger: 'http-api', memoryMb: 512, status: 200 });
    expect(earns[0].wru).toBeGreaterThan(0);

    const res = await club.api('GET', '/v1/reports/costs');
    expect(res.status).toBe(200);
    const report = res.body;
    expect(report).toMatchObject({ source: 'local-log', orders: 6, members: 3 });
    expect(report.prices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const earnRoute = report.routes.find((r: { route: string }) => r.route === 'POST /v1/earn');
    expect(earnRoute).toMatchObject({ requests: 6 });
    expect(earnRoute.wruPerRequest).toBe(earns.reduce((s, e) => s + e.wru, 0) / 6);
    expect(earnRoute.costPerMillion.total).toBeGreaterThan(earnRoute.costPerMillion.dynamodb);
    expect(report.totalCost).toBeGreaterThan(0);
    expect(report.costPer1000Orders).toBeCloseTo((report.totalCost / 6) * 1000, 3);
    expect(report.costPerMemberPerMonth).toBeGreaterThan(0);

    const csv = await club.api('GET', '/v1/reports/costs?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toMatch(/^route,requests,/);
    expect(csv.text).toContain('POST /v1/earn,6,');
  });
});
