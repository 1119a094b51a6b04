/** Sending signed webhooks the way Shopify and WooCommerce do, and waiting for the consumer. */
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webhookQueueService, type WebhookQueueService } from '../../local/webhook-queue';
import type { ApiResponse, TestClub } from './club';

export const SHOPIFY_SECRET = 'shpss_test_secret_0123456789';
export const WOO_SECRET = 'woo test secret with spaces & symbols';
export const GENERIC_SECRET = 'generic-secret';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'webhooks');

/** A fixture as a parsed object, to change before sending. */
export function fixture<T = any>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

/** A fixture's exact text. */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function hmacBase64(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export function useWebhookSecrets(): void {
  process.env.SHOPIFY_WEBHOOK_SECRET = SHOPIFY_SECRET;
  process.env.WOOCOMMERCE_WEBHOOK_SECRET = WOO_SECRET;
  process.env.LOYALTY_WEBHOOK_SECRET = GENERIC_SECRET;
}

export interface ShopifyDelivery {
  readonly topic: string;
  readonly body: string | object;
  readonly eventId?: string;
  readonly webhookId?: string;
  /** Override the signature (bad ones); null sends none. */
  readonly signature?: string | null;
}

export function sendShopify(club: TestClub, d: ShopifyDelivery): Promise<ApiResponse> {
  const body = typeof d.body === 'string' ? d.body : JSON.stringify(d.body);
  return club.api('POST', '/v1/webhooks/shopify', body, {
    authorization: undefined,
    'content-type': 'application/json',
    'x-shopify-topic': d.topic,
    'x-shopify-hmac-sha256': d.signature === null ? undefined : (d.signature ?? hmacBase64(SHOPIFY_SECRET, body)),
    'x-shopify-shop-domain': 'jsmith.myshopify.com',
    'x-shopify-api-version': '2025-10',
    'x-shopify-webhook-id': d.webhookId ?? randomUUID(),
    'x-shopify-event-id': d.eventId ?? randomUUID(),
    'x-shopify-triggered-at': new Date().toISOString(),
  });
}

export interface WooDelivery {
  readonly topic: string;
  readonly body: string | object;
  readonly signature?: string | null;
}

export function sendWoo(club: TestClub, d: WooDelivery): Promise<ApiResponse> {
  const body = typeof d.body === 'string' ? d.body : JSON.stringify(d.body);
  const [resource, event] = d.topic.split('.');
  return club.api('POST', '/v1/webhooks/woocommerce', body, {
    authorization: undefined,
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/9.6.0 Hookshot (WordPress/6.7.1)',
    'x-wc-webhook-source': 'https://example.com/',
    'x-wc-webhook-topic': d.topic,
    'x-wc-webhook-resource': resource,
    'x-wc-webhook-event': event,
    'x-wc-webhook-signature': d.signature === null ? undefined : (d.signature ?? hmacBase64(WOO_SECRET, body)),
    'x-wc-webhook-id': '12',
    // New on every delivery, as WooCommerce does.
    'x-wc-webhook-delivery-id': String(Math.floor(Math.random() * 1e9)),
  });
}

export function sendGeneric(
  club: TestClub,
  event: object,
  options: { eventId?: string; signature?: string | null } = {},
): Promise<ApiResponse> {
  const body = JSON.stringify(event);
  return club.api('POST', '/v1/webhooks/generic', body, {
    authorization: undefined,
    'content-type': 'application/json',
    'x-loyalty-signature':
      options.signature === null
        ? undefined
        : (options.signature ?? `sha256=${createHmac('sha256', GENERIC_SECRET).update(body).digest('hex')}`),
    'x-loyalty-event-id': options.eventId,
  });
}

/** Polls until check returns a value (not undefined) or the time runs out. */
export async function waitFor<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function memberBy(club: TestClub, query: string): Promise<any | undefined> {
  const res = await club.api('GET', `/v1/members?${query}`);
  return res.body?.items?.[0];
}

/** Waits until the member found by `query` has `balance`. */
export function waitForBalance(club: TestClub, query: string, balance: number, timeoutMs?: number): Promise<any> {
  return waitFor(
    async () => {
      const m = await memberBy(club, query);
      return m && m.balance === balance ? m : undefined;
    },
    `${query} to reach ${balance} points`,
    timeoutMs,
  );
}

/**
 * Waits until nothing is visible or in flight. A balance shows before the
 * consumer's batch is counted and deleted, so counts are read after this.
 */
export function queueDrained(queue: Pick<WebhookQueueService, 'depth'>, timeoutMs?: number): Promise<true> {
  return waitFor(
    async () => {
      const d = await queue.depth();
      return d.queue + d.inFlight === 0 ? true : undefined;
    },
    'the queue to drain',
    timeoutMs,
  );
}

/**
 * The local webhook queue tuned for tests: a failed delivery is seen again after 2 s and
 * parked after 3 tries, and the consumer's batch window is 20 ms, so a test waits seconds.
 * Not 1 s: a batch slowed by a busy machine became visible again mid-way and, received once
 * more than maxReceives, went to the DLQ instead of being parked.
 */
export function quickWebhookQueue(): WebhookQueueService {
  return webhookQueueService({ visibilityTimeoutSeconds: 2, waitTimeSeconds: 1, batchWindowMs: 20, maxReceives: 3 });
}
