import { CostExplorerClient, GetCostAndUsageCommand, type GetCostAndUsageCommandInput } from '@aws-sdk/client-cost-explorer';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { costCsvRows, costReport, type AwsCostReaders } from '../../../../shared/club/costs';
import type { ClubDeps } from '../../../../shared/club/deps';
import { billedCosts, costExplorerClient, type BillCache, type KeptBill } from '../../../../shared/costs/billed-costs';
import type { CostDays } from '../../../../shared/costs/cloudwatch-costs';
import { CostReportView } from '../../../../shared/schemas/reports';

const ce = mockClient(CostExplorerClient);
// Test files share a worker (isolate: false): give the real client back.
afterAll(() => ce.restore());
afterEach(() => ce.reset());

const DAYS = { from: '2026-03-01', to: '2026-03-02' };
const cost = (service: string, amount: string) => ({ Keys: [service], Metrics: { UnblendedCost: { Amount: amount, Unit: 'USD' } } });

/** Two pages of daily results grouped by service, as Cost Explorer pages them (NextPageToken). */
function billed() {
  ce.on(GetCostAndUsageCommand).callsFake((input: GetCostAndUsageCommandInput) =>
    input.NextPageToken === 'p2'
      ? {
          ResultsByTime: [
            {
              TimePeriod: { Start: '2026-03-02', End: '2026-03-03' },
              Groups: [cost('AWS Lambda', '0.0077'), cost('Amazon API Gateway', '0.005')],
            },
          ],
        }
      : {
          ResultsByTime: [
            {
              TimePeriod: { Start: '2026-03-01', End: '2026-03-02' },
              Groups: [cost('AWS Lambda', '0.0123'), cost('Amazon DynamoDB', '0.03')],
            },
          ],
          NextPageToken: 'p2',
        },
  );
}

/** The table's keeping, in memory: what the store does, by range and day read. */
function memoryCache(): BillCache & { items: Map<string, { bill: KeptBill; removeAfter: number }> } {
  const items = new Map<string, { bill: KeptBill; removeAfter: number }>();
  const key = (d: CostDays, readOn: string) => `${d.from}/${d.to}/${readOn}`;
  return {
    items,
    get: async (d, readOn) => items.get(key(d, readOn))?.bill,
    put: async (d, bill, removeAfter) => void items.set(key(d, bill.readOn), { bill, removeAfter }),
  };
}

describe('billedCosts (Cost Explorer GetCostAndUsage)', () => {
  it('asks us-east-1, daily, grouped by SERVICE, filtered by the project and stage tags, and sums each service over the pages', async () => {
    billed();
    const client = costExplorerClient();
    expect(await client.config.region()).toBe('us-east-1');
    const bill = await billedCosts(client, memoryCache(), DAYS, 'prod', new Date('2026-03-03T08:00:00Z'));

    const calls = ce.commandCalls(GetCostAndUsageCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toEqual({
      TimePeriod: { Start: '2026-03-01', End: '2026-03-03' }, // End is exclusive
      Granularity: 'DAILY',
      Metrics: ['UnblendedCost'],
      GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
      Filter: {
        And: [
          { Tags: { Key: 'project', Values: ['loyalty-club'], MatchOptions: ['EQUALS'] } },
          { Tags: { Key: 'stage', Values: ['prod'], MatchOptions: ['EQUALS'] } },
        ],
      },
      NextPageToken: undefined,
    });
    expect(calls[1]!.NextPageToken).toBe('p2');
    expect(bill).toEqual({
      available: true,
      readOn: '2026-03-03',
      // Lambda 0.0123 + 0.0077 = 0.02; most billed first.
      services: [
        { service: 'Amazon DynamoDB', amount: 0.03 },
        { service: 'AWS Lambda', amount: 0.02 },
        { service: 'Amazon API Gateway', amount: 0.005 },
      ],
      total: 0.055,
    });
  });

  it('keeps the answer for the day: a second read the same day makes no call, the next day asks again', async () => {
    billed();
    const cache = memoryCache();
    const client = new CostExplorerClient({ region: 'us-east-1' });
    await billedCosts(client, cache, DAYS, 'prod', new Date('2026-03-03T08:00:00Z'));
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(2);
    // Kept until the end of the next day (4 March 24:00 UTC = 5 March 00:00).
    expect([...cache.items.values()][0]!.removeAfter).toBe(Date.parse('2026-03-05T00:00:00Z') / 1000);

    const again = await billedCosts(client, cache, DAYS, 'prod', new Date('2026-03-03T23:59:00Z'));
    expect(again).toMatchObject({ available: true, total: 0.055 });
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(2);

    await billedCosts(client, cache, DAYS, 'prod', new Date('2026-03-04T00:01:00Z'));
    expect(ce.commandCalls(GetCostAndUsageCommand)).toHaveLength(4);
  });

  it.each([
    ['AccessDeniedException', 'User is not authorized to perform: ce:GetCostAndUsage'],
    ['DataUnavailableException', 'Data is not available. Please try to adjust the time period.'],
  ])('answers %s as an unavailable bill, keeps nothing, and asks again next time', async (name, message) => {
    ce.on(GetCostAndUsageCommand).rejects(Object.assign(new Error(message), { name }));
    const cache = memoryCache();
    const bill = await billedCosts(new CostExplorerClient({ region: 'us-east-1' }), cache, DAYS, 'prod', new Date('2026-03-03T08:00:00Z'));
    expect(bill).toEqual({ available: false, reason: `${name}: ${message}` });
    expect(cache.items.size).toBe(0);
  });
});

describe('costReport on AWS: the bill beside the model', () => {
  const deps = {
    now: () => new Date('2026-03-03T08:00:00Z'),
    reports: { daysUpTo: async () => new Map() },
  } as unknown as ClubDeps;
  const window = { from: '2026-03-01', to: '2026-03-30' };
  // 30 days: the fixed floor for them is its monthly total × 30 / 30.4375.
  const metrics: AwsCostReaders['metrics'] = async () => ({
    totalMicroUsd: 2_000_000, // $2.00 of requests
    routes: [{ route: 'POST /v1/earn', requests: 1000, microUsd: 2_000_000, records: 1000 }],
    series: 0,
  });

  it('shows the billed amount per service, the modelled figure and their difference; the CSV carries them', async () => {
    billed();
    const aws: AwsCostReaders = {
      metrics,
      bill: (days, now) => billedCosts(new CostExplorerClient({ region: 'us-east-1' }), memoryCache(), days, 'prod', now),
    };
    const report = await costReport(deps, window, undefined, aws);
    expect(report.source).toBe('cloudwatch');
    expect(report.totalCost).toBe(2);
    // The answer is the documented one (the OpenAPI document is made from this schema).
    expect(CostReportView.safeParse(report).error).toBeUndefined();
    if (!('billed' in report)) throw new Error('no billed figure on AWS');
    // modelled = $2 + the idle floor (no custom metrics: series 0) × 30 / 30.4375.
    const floor = report.fixedMonthly.total;
    const modelled = Math.round((2 + (floor * 30) / 30.4375) * 1e6) / 1e6;
    expect(report.billed).toMatchObject({ available: true, total: 0.055, modelled });
    expect(report.billed.difference).toBeCloseTo(0.055 - modelled, 6);
    const rows = costCsvRows(report);
    expect(rows.filter((r) => String(r.route).startsWith('(billed)'))).toEqual([
      { route: '(billed) Amazon DynamoDB', cost: 0.03 },
      { route: '(billed) AWS Lambda', cost: 0.02 },
      { route: '(billed) Amazon API Gateway', cost: 0.005 },
      { route: '(billed) total', cost: 0.055 },
      { route: '(billed) modelled', cost: modelled },
      { route: '(billed) difference', cost: report.billed.difference },
    ]);
  });

  it('answers the report with the bill marked unavailable when Cost Explorer refuses (not a failure)', async () => {
    ce.on(GetCostAndUsageCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const aws: AwsCostReaders = {
      metrics,
      bill: (days, now) => billedCosts(new CostExplorerClient({ region: 'us-east-1' }), memoryCache(), days, 'prod', now),
    };
    const report = await costReport(deps, window, undefined, aws);
    expect(report.totalCost).toBe(2);
    if (!('billed' in report)) throw new Error('no billed figure on AWS');
    expect(report.billed).toMatchObject({
      available: false,
      reason: 'AccessDeniedException: not authorized',
      services: [],
      total: null,
      difference: null,
    });
  });
});
