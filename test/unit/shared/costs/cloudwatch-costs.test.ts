import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cachedCostMetrics, readCostMetrics, reportFromMetrics } from '../../../../shared/costs/cloudwatch-costs';

const cw = mockClient(CloudWatchClient);
// Test files share a worker (isolate: false): give the real client back.
afterAll(() => cw.restore());
afterEach(() => cw.reset());

const SERVICE = 'loyalty-club';
const svc = { Name: 'Service', Value: SERVICE };
const route = (r: string) => [svc, { Name: 'Route', Value: r }];
const EARN = 'POST /v1/earn';
const CONSUMER = 'SQS webhook-consumer';
const RECEIVER = 'POST /v1/webhooks/shopify';

/** What the handlers emitted (two ListMetrics pages), plus a metric of the namespace that is not a cost metric. */
function listed() {
  const pages = [
    {
      Metrics: [
        { Namespace: 'LoyaltyClub', MetricName: 'CostMicroUsd', Dimensions: [svc] },
        { Namespace: 'LoyaltyClub', MetricName: 'CostMicroUsd', Dimensions: route(EARN) },
        { Namespace: 'LoyaltyClub', MetricName: 'SignInSmsCapReached', Dimensions: [svc] },
      ],
      NextToken: 'list-2',
    },
    {
      Metrics: [
        { Namespace: 'LoyaltyClub', MetricName: 'CostMicroUsd', Dimensions: route(CONSUMER) },
        { Namespace: 'LoyaltyClub', MetricName: 'Records', Dimensions: route(CONSUMER) },
        { Namespace: 'LoyaltyClub', MetricName: 'CostMicroUsd', Dimensions: route(RECEIVER) },
        { Namespace: 'LoyaltyClub', MetricName: 'ReadUnits', Dimensions: [svc] },
        { Namespace: 'LoyaltyClub', MetricName: 'WriteUnits', Dimensions: [svc] },
      ],
    },
  ];
  cw.on(ListMetricsCommand).callsFake((input) => pages[input.NextToken === 'list-2' ? 1 : 0]);
}

/** Answers by what each query asks (metric, route, stat), in two pages: the second call carries NextToken. */
function answered(pages: Record<string, number[]>[]) {
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const page = input.NextToken ? Number(input.NextToken) : 0;
    const values = pages[page]!;
    return {
      MetricDataResults: input.MetricDataQueries!.map((q) => {
        const m = q.MetricStat!;
        const r = m.Metric!.Dimensions!.find((d) => d.Name === 'Route')?.Value ?? '(service)';
        return { Id: q.Id, Values: values[`${m.Metric!.MetricName} ${r} ${m.Stat}`] ?? [] };
      }),
      NextToken: page + 1 < pages.length ? String(page + 1) : undefined,
    };
  });
}

const TWO_PAGES: Record<string, number[]>[] = [
  {
    'CostMicroUsd (service) Sum': [1000],
    [`CostMicroUsd ${EARN} Sum`]: [800],
    [`CostMicroUsd ${EARN} SampleCount`]: [100],
    [`CostMicroUsd ${CONSUMER} Sum`]: [300],
    [`Records ${CONSUMER} Sum`]: [60],
  },
  {
    'CostMicroUsd (service) Sum': [650],
    [`CostMicroUsd ${EARN} Sum`]: [400],
    [`CostMicroUsd ${EARN} SampleCount`]: [50],
    [`CostMicroUsd ${CONSUMER} Sum`]: [100],
    [`CostMicroUsd ${CONSUMER} SampleCount`]: [20],
    [`Records ${CONSUMER} Sum`]: [40],
    [`CostMicroUsd ${RECEIVER} Sum`]: [50],
    [`CostMicroUsd ${RECEIVER} SampleCount`]: [100],
  },
];

describe('readCostMetrics (GetMetricData on AWS)', () => {
  it('asks one query per emitted series and stat, pages with NextToken, and sums every page per query', async () => {
    listed();
    answered(TWO_PAGES);
    const m = await readCostMetrics(new CloudWatchClient({ region: 'eu-west-1' }), { from: '2026-03-01', to: '2026-03-02' }, SERVICE);

    // Two ListMetrics pages, the second with its token.
    const lists = cw.commandCalls(ListMetricsCommand).map((c) => c.args[0].input);
    expect(lists).toEqual([
      { Namespace: 'LoyaltyClub', Dimensions: [svc], NextToken: undefined },
      { Namespace: 'LoyaltyClub', Dimensions: [svc], NextToken: 'list-2' },
    ]);
    const calls = cw.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.NextToken)).toEqual([undefined, '1']);
    // Whole UTC days: 1 March 00:00 to 3 March 00:00, daily periods.
    expect(calls[0]!.StartTime).toEqual(new Date('2026-03-01T00:00:00Z'));
    expect(calls[0]!.EndTime).toEqual(new Date('2026-03-03T00:00:00Z'));
    // total; earn cost + count; consumer cost + count + records; receiver cost + count = 8 (units and the SMS cap not read).
    expect(calls[0]!.MetricDataQueries).toHaveLength(8);
    expect(new Set(calls[0]!.MetricDataQueries!.map((q) => q.MetricStat!.Period))).toEqual(new Set([86_400]));

    expect(m.totalMicroUsd).toBe(1650); // 1000 + 650
    expect(m.routes).toEqual([
      { route: EARN, requests: 150, microUsd: 1200, records: 150 }, // 100 + 50 requests, 800 + 400 µ$
      { route: CONSUMER, requests: 20, microUsd: 400, records: 100 }, // 300 + 100 µ$, 60 + 40 records
      { route: RECEIVER, requests: 100, microUsd: 50, records: 100 },
    ]);
    // Series with data: total, ReadUnits, WriteUnits, 3 routes' cost, consumer's Records = 7.
    expect(m.series).toBe(7);
  });

  it('turns the sums into the costs answer: cost per request, per delivery, per 1,000 deliveries', async () => {
    listed();
    answered(TWO_PAGES);
    const m = await readCostMetrics(new CloudWatchClient({}), { from: '2026-03-01', to: '2026-03-02' }, SERVICE);
    const r = reportFromMetrics(m);
    expect(r.totalCost).toBe(0.00165);
    expect(r.requests).toBe(270); // 150 + 20 + 100
    expect(r.routes.map((x) => [x.route, x.costPerRequest, x.costPerRecord])).toEqual([
      [EARN, 0.000008, 0.000008], // 1200 µ$ / 150
      [CONSUMER, 0.00002, 0.000004], // 400 µ$ / 20 batches, / 100 records
      [RECEIVER, 0.0000005, 0.0000005], // 50 µ$ / 100
    ]);
    // Deliveries: the receiver's 100 requests; their cost: 400 + 50 µ$ = 0.00045 $, per 1,000: 0.0045.
    expect(r.webhooks).toMatchObject({ deliveries: 100, batches: 20, totalCost: 0.00045, costPer1000Deliveries: 0.0045 });
    expect(r.byService.total).toBe(0.00165);
  });

  it('reuses an answer for five minutes in the container: the second call within the window asks AWS nothing', async () => {
    listed();
    answered(TWO_PAGES);
    let now = new Date('2026-03-02T10:00:00Z');
    const read = cachedCostMetrics(new CloudWatchClient({}), SERVICE, () => now);
    const days = { from: '2026-03-01', to: '2026-03-02' };
    const first = await read(days);
    const sent = cw.calls().length;
    expect(sent).toBe(4); // 2 ListMetrics + 2 GetMetricData pages

    now = new Date('2026-03-02T10:04:59Z');
    expect(await read(days)).toEqual(first);
    expect(cw.calls()).toHaveLength(sent);

    now = new Date('2026-03-02T10:05:00Z');
    await read(days);
    expect(cw.calls().length).toBeGreaterThan(sent);
  });
});
