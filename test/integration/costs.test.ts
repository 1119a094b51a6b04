/**
 * Cost per request: every handled request — HTTP routes, the webhook queue's
 * consumer batches, the scheduled jobs — lands in the local cost log, and
 * GET /v1/reports/costs prices it.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localEventsAndNotifier, LocalScheduleService } from '../../local/automations';
import { webhookQueueService, type WebhookQueueService } from '../../local/webhook-queue';
import { STACK_SECRETS, stackAlarms } from '../../shared/costs/monthly-floor';
import { PRICES } from '../../shared/costs/prices';
import { costOf } from '../../shared/costs/request-cost';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { fixture, queueDrained, sendShopify, useWebhookSecrets, waitForBalance } from '../support/webhooks';

let club: TestClub;
let queue: WebhookQueueService;
// The daily jobs run in the program's hour (03:00 UTC): the next one, tomorrow's, takes in today's members.
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const outbox = mkdtempSync(join(tmpdir(), 'costs-outbox-'));
const schedule = new LocalScheduleService({
  enabled: true,
  tickMs: 3_600_000,
  firstTickMs: 3_600_000,
  now: () => new Date(`${tomorrow}T03:00:00Z`),
});

const events = localEventsAndNotifier({ dir: outbox });

beforeAll(async () => {
  useWebhookSecrets();
  queue = webhookQueueService({ visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, batchWindowMs: 20 });
  club = await startTestClub({ services: [queue, schedule, events] });
});
afterAll(() => club?.stop());

type Line = {
  route: string;
  trigger: 'http-api' | 'sqs' | 'scheduler' | 'eventbridge' | 'dynamodb-stream' | 'none';
  rru: number;
  wru: number;
  wruAws?: number;
  durationMs: number;
  memoryMb: number;
  records?: number;
  sqsSends?: number;
  eventsPublished?: number;
  logBytes?: number;
  traced?: boolean;
};
const SERVICES = ['dynamodb', 'lambda', 'apiGateway', 'sqs', 'scheduler', 'eventBridge', 'logs', 'xray', 'init'] as const;
/** The cost of some log lines by service, priced line by line here (the report sums them its own way). */
function priced(lines: readonly Line[]): Record<(typeof SERVICES)[number] | 'total', number> {
  const sum = { dynamodb: 0, lambda: 0, apiGateway: 0, sqs: 0, scheduler: 0, eventBridge: 0, logs: 0, xray: 0, init: 0, total: 0 };
  for (const l of lines) {
    const c = costOf(l, PRICES);
    for (const k of [...SERVICES, 'total'] as const) sum[k] += c[k];
  }
  return sum;
}
const costLines = (): Line[] =>
  readFileSync(club.costsFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('cost per request', () => {
  it('records each request and reports cost per route, per 1,000 orders and per member per month', async () => {
    for (let i = 0; i < 3; i++) {
      const m = (await club.api('POST', '/v1/members', { memberId: uniqueId('c') })).body.memberId;
      for (let j = 0; j < 2; j++) {
        expect((await club.api('POST', '/v1/earn', { memberId: m, orderId: uniqueId('o'), amount: '20', currency: 'USD' })).status).toBe(
          200,
        );
      }
    }
    // The earns' events are published by the stream processor, priced on lines of its own: all in before reading.
    await events.drained();
    const lines = readFileSync(club.costsFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
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
    // Every line carries its log bytes (Lambda's lines and the cost line at least), priced as CloudWatch Logs
    // ingestion; nothing is traced locally, so X-Ray is 0.
    for (const e of earns) expect(e.logBytes).toBeGreaterThan(300);
    const logBytes = lines.reduce((s, l) => s + (l.logBytes ?? 0), 0);
    expect(report.byService.logs).toBeCloseTo((logBytes / 1024 ** 3) * 0.5, 9);
    expect(report.byService.xray).toBe(0);
    expect(earnRoute.costPerMillion.logs).toBeGreaterThan(0);
    expect(report.costPer1000Orders).toBeCloseTo((report.totalCost / 6) * 1000, 3);
    expect(report.costPerMemberPerMonth).toBeGreaterThan(0);

    const csv = await club.api('GET', '/v1/reports/costs?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text).toMatch(/^route,requests,/);
    expect(csv.text).toContain('POST /v1/earn,6,');
  });

  it("shows the fixed monthly floor: the stack's alarms, dashboard, secrets, and the cost metrics the requests emitted", async () => {
    await club.api('GET', '/v1/members?limit=1');
    const lines = costLines();
    // Emitted: cost, read and write units by Service (3), the cost of each route, and the records of SQS batches by route.
    const routes = new Set(lines.map((l) => l.route));
    const sqsRoutes = new Set(lines.filter((l) => l.trigger === 'sqs').map((l) => l.route));
    const series = 3 + routes.size + sqsRoutes.size;
    const alarmMetrics = stackAlarms().reduce((n, a) => n + a.metrics, 0);

    const { body } = await club.api('GET', '/v1/reports/costs');
    const by = Object.fromEntries(body.fixedMonthly.items.map((i: { resource: string }) => [i.resource, i]));
    expect(by.customMetrics).toMatchObject({ count: series, unitPrice: 0.3 });
    expect(by.customMetrics.monthly).toBeCloseTo(series * 0.3, 6);
    expect(by.alarmMetrics).toMatchObject({ count: alarmMetrics, unitPrice: 0.1 });
    expect(by.dashboards).toMatchObject({ count: 1, unitPrice: 3, monthly: 3 });
    expect(by.secrets).toMatchObject({ count: STACK_SECRETS.length, unitPrice: 0.4 });
    expect(by.kmsKeys).toMatchObject({ count: 0, monthly: 0 });
    const sum = body.fixedMonthly.items.reduce((s: number, i: { monthly: number }) => s + i.monthly, 0);
    expect(body.fixedMonthly.total).toBeCloseTo(sum, 6);
    expect(body.fixedMonthly.idle).toBeCloseTo(sum - by.customMetrics.monthly, 6);

    const csv = (await club.api('GET', '/v1/reports/costs?format=csv')).text.trim().split('\r\n');
    const head = csv[0]!.split(',');
    const row = (name: string) => {
      const cells = csv.find((l: string) => l.startsWith(`${name},`))!.split(',');
      return Object.fromEntries(head.map((c: string, i: number) => [c, cells[i]]));
    };
    expect(row('(fixed monthly) secrets')).toMatchObject({ count: String(STACK_SECRETS.length), unitPrice: '0.4' });
    expect(Number(row('(fixed monthly) secrets').cost)).toBeCloseTo(STACK_SECRETS.length * 0.4, 6);
    expect(Number(row('(fixed monthly) total').cost)).toBeGreaterThanOrEqual(body.fixedMonthly.idle);
  });

  it('records the webhook consumer per batch and the scheduled jobs, and counts webhook orders per 1,000 orders', async () => {
    const before = (await club.api('GET', '/v1/reports/costs')).body;
    const id = `${Date.now() % 1_000_000}${Math.floor(Math.random() * 1000)}`;
    const email = `costs-${id}@example.com`;
    const order = fixture('shopify-orders-paid.json');
    // Placed now: an order counts on its own day, and the report's window is the last 30 days.
    const now = new Date().toISOString();
    Object.assign(order, {
      id: Number(id),
      admin_graphql_api_id: `gid://shopify/Order/${id}`,
      email,
      contact_email: email,
      subtotal_price: '150.00',
      created_at: now,
      processed_at: now,
      updated_at: now,
    });
    Object.assign(order.customer, { id: Number(id), email });
    expect((await sendShopify(club, { topic: 'orders/paid', body: order })).status).toBe(202);
    await waitForBalance(club, `email=${encodeURIComponent(email)}`, 150);
    await queueDrained(queue);
    await schedule.tick();
    await events.drained();

    const lines = costLines();
    const receiver = lines.filter((l) => l.route === 'POST /v1/webhooks/shopify');
    expect(receiver).toHaveLength(1);
    // The receiver's one SendMessage is priced with it.
    expect(receiver[0]).toMatchObject({ trigger: 'http-api', sqsSends: 1 });
    const batches = lines.filter((l) => l.route === 'SQS webhook-consumer');
    expect(batches.length).toBeGreaterThanOrEqual(1);
    expect(batches.reduce((s, b) => s + (b.records ?? 0), 0)).toBe(queue.stats.records);
    expect(batches.reduce((s, b) => s + b.wru, 0)).toBe(queue.stats.writeCapacityUnits);
    // The consumer publishes nothing itself: the order's points.earned comes off the table's stream,
    // and the stream processor's invocation pays for publishing it.
    expect(batches[0]).toMatchObject({ trigger: 'sqs', memoryMb: 512 });
    expect(batches[0]!.eventsPublished ?? 0).toBe(0);
    const streamed = lines.filter((l) => l.route === 'DYNAMODB-STREAM stream-processor');
    expect(streamed.every((l) => l.trigger === 'dynamodb-stream')).toBe(true);
    expect(streamed.reduce((s, l) => s + (l.eventsPublished ?? 0), 0)).toBeGreaterThanOrEqual(1);
    const jobs = lines.filter((l) => l.route.startsWith('SCHEDULER jobs '));
    expect(jobs.map((l) => l.route)).toContain('SCHEDULER jobs expire-points');
    for (const j of jobs) expect(j.trigger).toBe('scheduler');
    expect(lines.filter((l) => l.route === 'SCHEDULER notifier flush-deferred')).toHaveLength(1);
    // The welcome job's member.welcomed events reach the notifier, an invocation of its own per event:
    // its reads are its own, not the job's that published the events (which pays for publishing them).
    const welcomes = lines.filter((l) => l.route === 'EVENTBRIDGE notifier member.welcomed');
    const welcomeJob = jobs.find((l) => l.route === 'SCHEDULER jobs welcome')!;
    expect(welcomes.length).toBeGreaterThan(0);
    expect(welcomes.length).toBe(welcomeJob.eventsPublished);
    for (const w of welcomes) expect(w).toMatchObject({ trigger: 'eventbridge', memoryMb: 512 });
    expect(welcomes.every((w) => w.rru > 0)).toBe(true);

    const report = (await club.api('GET', '/v1/reports/costs')).body;
    const route = (name: string) => report.routes.find((r: { route: string }) => r.route === name);
    const consumer = route('SQS webhook-consumer');
    // One delivery; under load the queue may hand it out again after its 1 s visibility timeout: every record counts.
    expect(consumer).toMatchObject({ requests: batches.length, records: queue.stats.records });
    expect(consumer.wruPerRequest).toBeGreaterThan(0);
    expect(consumer.costPerRecord).toBeGreaterThan(0);
    expect(consumer.costPerMillion.sqs).toBeGreaterThan(0);
    expect(consumer.costPerMillion.apiGateway).toBe(0);
    // Nothing due to expire (DynamoDB Local reports 0 units for an empty query), but the run is priced;
    // welcome reads and marks today's new members (the webhook's customer among them).
    expect(route('SCHEDULER jobs expire-points')).toMatchObject({ requests: 1 });
    expect(route('SCHEDULER jobs expire-points').costPerMillion.scheduler).toBeGreaterThan(0);
    expect(route('SCHEDULER jobs welcome').rruPerRequest).toBeGreaterThan(0);
    expect(route('SCHEDULER jobs welcome').wruPerRequest).toBeGreaterThan(0);
    expect(route('POST /v1/webhooks/shopify').costPerMillion.sqs).toBeGreaterThan(0);
    // The webhook's order is an order like an API earn: counted per 1,000 orders.
    expect(report.orders).toBe(before.orders + 1);
    expect(report.costPer1000Orders).toBeCloseTo((report.totalCost / report.orders) * 1000, 3);

    // The window's cost by service, and webhook deliveries' cost per 1,000: what the log lines add up to.
    const all = priced(lines);
    for (const k of SERVICES) expect(report.byService[k], k).toBeCloseTo(all[k], 9);
    expect(report.byService.total).toBeCloseTo(report.totalCost, 6);
    expect(SERVICES.reduce((s, k) => s + report.byService[k], 0)).toBeCloseTo(report.byService.total, 9);
    // Nothing is traced locally (no X-Ray) and the local runtime has no cold starts: every other service has a cost.
    for (const k of SERVICES) expect(report.byService[k], k)[k === 'xray' || k === 'init' ? 'toBe' : 'toBeGreaterThan'](0);
    const webhookLines = lines.filter((l) => l.route.startsWith('POST /v1/webhooks/') || l.route === 'SQS webhook-consumer');
    const webhook = priced(webhookLines);
    expect(report.webhooks.deliveries).toBe(before.webhooks.deliveries + 1);
    expect(report.webhooks.deliveries).toBe(receiver.length);
    expect(report.webhooks.batches).toBe(batches.length);
    expect(report.webhooks.totalCost).toBeCloseTo(webhook.total, 6);
    expect(report.webhooks.costPer1000Deliveries).toBeCloseTo((webhook.total / receiver.length) * 1000, 5);
    for (const k of SERVICES) expect(report.webhooks.byService[k], k).toBeCloseTo(webhook[k], 9);
    // The receiver's API request and SendMessage, the batches' SQS requests; no scheduler, and no
    // events: the stream processor publishes them, on its own line (DYNAMODB-STREAM stream-processor).
    expect(report.webhooks.byService.apiGateway).toBeGreaterThan(0);
    expect(report.webhooks.byService.sqs).toBeGreaterThan(0);
    expect(report.webhooks.byService.eventBridge).toBe(0);
    expect(report.webhooks.byService.scheduler).toBe(0);

    // The CSV: per route by service, then the webhook deliveries and the total (the log now also has the report's own request).
    const latest = priced(costLines());
    const csv = (await club.api('GET', '/v1/reports/costs?format=csv')).text
      .trim()
      .split('\r\n')
      .map((l: string) => l.split(','));
    const head = csv[0]!;
    expect(head).toEqual([
      'route',
      'requests',
      'rruPerRequest',
      'wruPerRequest',
      'wruPricedPerRequest',
      'wruCancelledPerRequest',
      'msPerRequest',
      'costPerRequest',
      'costPerMillion',
      'records',
      'costPerRecord',
      'cost',
      ...SERVICES,
      'count',
      'unitPrice',
    ]);
    const row = (name: string) => Object.fromEntries(head.map((c, i) => [c, csv.find((r) => r[0] === name)![i]]));
    expect(Number(row('(total)').cost)).toBeCloseTo(latest.total, 9);
    expect(Number(row('(total)').lambda)).toBeCloseTo(latest.lambda, 9);
    expect(Number(row('(total)').sqs)).toBeCloseTo(all.sqs, 9);
    expect(row('(webhook deliveries)')).toMatchObject({ records: '1', requests: String(1 + batches.length) });
    // The API rounds to the micro-dollar.
    expect(Number(row('(webhook deliveries)').costPerRecord) * 1000).toBeCloseTo(report.webhooks.costPer1000Deliveries, 5);
    expect(Number(row('SQS webhook-consumer').eventBridge)).toBeCloseTo(priced(batches).eventBridge, 9);
  });
});
