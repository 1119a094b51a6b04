/**
 * The webhook path under load: N signed Shopify orders/paid deliveries for N/10
 * customers, sent 20 at a time through HTTP → fauxqs → batch consumer →
 * DynamoDB Local. Reports receiver latency, deliveries per second through the
 * consumer, consumer invocations per 1,000 deliveries (Lambda invocations on
 * AWS: one per batch) and DynamoDB units per applied order.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RunningClub } from '../local/club';
import type { WebhookQueueService } from '../local/webhook-queue';

export interface WebhookFigures {
  readonly deliveries: number;
  readonly receiverP50ms: number;
  readonly receiverP99ms: number;
  readonly deliveriesPerSecond: number;
  readonly invocationsPer1000: number;
  readonly recordsPerInvocation: number;
  readonly rcuPerOrder: number;
  readonly wcuPerOrder: number;
  readonly dynamoCallsPerOrder: number;
}

const SECRET = 'bench-shopify-secret';

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : 0;
}

export async function measureWebhooks(club: RunningClub, queue: WebhookQueueService, n: number): Promise<WebhookFigures> {
  process.env.SHOPIFY_WEBHOOK_SECRET = SECRET;
  const template = JSON.parse(readFileSync('test/fixtures/webhooks/shopify-orders-paid.json', 'utf8'));
  const run = Date.now() % 1_000_000_000;
  const bodies = Array.from({ length: n }, (_, i) => {
    const customer = i % Math.max(1, Math.floor(n / 10));
    return JSON.stringify({
      ...template,
      id: run * 100_000 + i,
      email: `bench-${run}-${customer}@example.com`,
      customer: { ...template.customer, id: run * 10_000 + customer, email: `bench-${run}-${customer}@example.com` },
    });
  });
  const before = { ...queue.stats };
  const latencies: number[] = [];
  const started = performance.now();
  let next = 0;
  const sender = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const t = performance.now();
      const res = await fetch(`${club.url}/v1/webhooks/shopify`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': 'orders/paid',
          'x-shopify-hmac-sha256': createHmac('sha256', SECRET).update(body).digest('base64'),
          'x-shopify-webhook-id': randomUUID(),
          'x-shopify-event-id': randomUUID(),
        },
        body,
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`receiver answered ${res.status}`);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: 20 }, sender));
  const deadline = Date.now() + 10 * 60_000;
  while (queue.stats.records - queue.stats.failures - (before.records - before.failures) < n) {
    if (Date.now() > deadline) throw new Error('the consumer did not finish within 10 minutes');
    await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - started) / 1000;
  const invocations = queue.stats.invocations - before.invocations;
  const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
  latencies.sort((a, b) => a - b);
  return {
    deliveries: n,
    receiverP50ms: round(percentile(latencies, 50), 1),
    receiverP99ms: round(percentile(latencies, 99), 1),
    deliveriesPerSecond: round(n / seconds, 1),
    invocationsPer1000: round((invocations / n) * 1000, 1),
    recordsPerInvocation: round((queue.stats.records - before.records) / invocations, 1),
    rcuPerOrder: round((queue.stats.readCapacityUnits - before.readCapacityUnits) / n),
    wcuPerOrder: round((queue.stats.writeCapacityUnits - before.writeCapacityUnits) / n),
    dynamoCallsPerOrder: round((queue.stats.dynamoCalls - before.dynamoCalls) / n),
  };
}
