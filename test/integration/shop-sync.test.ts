/**
 * Rewards become shop discounts, through the real path: a redemption over HTTP,
 * its reward.issued event through the local events sink and the shop-sync queue
 * into functions/shop-sync.ts, against fake Shopify and WooCommerce servers that
 * answer as their docs describe (throttling, outages, duplicate codes included).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localEventsAndNotifier } from '../../local/automations';
import { shopSyncQueueService } from '../../local/shop-sync-queue';
import { handler as shopSyncHandler } from '../../functions/shop-sync';
import type { RewardDefinition } from '../../shared/domain/rewards';
import { processEvents } from '../../shared/events/events';
import { startTestClub, type TestClub } from '../support/club';
import { SHOPIFY_TEST_TOKEN, startFakeShopify, type FakeShopify } from '../support/fake-shopify';
import { startFakeWooCommerce, WOO_TEST_KEY, WOO_TEST_SECRET, type FakeWooCommerce } from '../support/fake-woocommerce';
import { uniqueId } from '../support/ledger';
import { waitFor } from '../support/webhooks';

const CATALOG: RewardDefinition[] = [
  { rewardId: 'ten-off', name: '10 off', kind: 'fixed-discount', amount: '10.00', pointsPrice: 100, validDays: 30 },
  { rewardId: 'fifteen-pct', name: '15% off', kind: 'percent-discount', percent: 15, pointsPrice: 50, validDays: 7 },
  { rewardId: 'ship', name: 'Free shipping', kind: 'free-shipping', pointsPrice: 20 },
  { rewardId: 'go-gold', name: 'Move up to Gold', kind: 'tier-up', tier: 'gold', pointsPrice: 40 },
];

const SHOP_ENV = [
  'SHOPIFY_SHOP',
  'SHOPIFY_ADMIN_TOKEN',
  'SHOPIFY_ADMIN_API_URL',
  'WOOCOMMERCE_URL',
  'WOOCOMMERCE_CONSUMER_KEY',
  'WOOCOMMERCE_CONSUMER_SECRET',
] as const;

let club: TestClub;
let shopify: FakeShopify;
let woo: FakeWooCommerce;

beforeAll(async () => {
  shopify = await startFakeShopify();
  woo = await startFakeWooCommerce();
  process.env.SHOPIFY_SHOP = 'club-test.myshopify.com';
  process.env.SHOPIFY_ADMIN_TOKEN = SHOPIFY_TEST_TOKEN;
  process.env.SHOPIFY_ADMIN_API_URL = shopify.url;
  process.env.WOOCOMMERCE_URL = woo.url;
  process.env.WOOCOMMERCE_CONSUMER_KEY = WOO_TEST_KEY;
  process.env.WOOCOMMERCE_CONSUMER_SECRET = WOO_TEST_SECRET;
  // One receive: a push the shop still refuses after its own retries is failed at once (no redelivery racing staff's retry).
  club = await startTestClub({
    services: [localEventsAndNotifier(), shopSyncQueueService({ visibilityTimeoutSeconds: 2, maxReceives: 1 })],
  });
  const saved = await club.api('PUT', '/v1/admin/program', {
    expectedVersion: 1,
    rewards: CATALOG,
    tiers: { levels: [{ id: 'gold', name: 'Gold', threshold: 1_000_000 }] },
  });
  expect(saved.status, saved.text).toBe(200);
});

afterEach(() => {
  shopify.outage(false);
  shopify.throttle(0);
  woo.outage(false);
  woo.rateLimit(0);
});

afterAll(async () => {
  await club?.stop();
  for (const name of SHOP_ENV) delete process.env[name];
  await shopify?.stop();
  await woo?.stop();
});

async function member(profile: Record<string, unknown>, points: number): Promise<string> {
  const memberId = uniqueId('s');
  const created = await club.api('POST', '/v1/members', { memberId, ...profile });
  expect(created.status, created.text).toBe(201);
  const earned = await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: String(points), currency: 'USD' });
  expect(earned.status, earned.text).toBe(200);
  return memberId;
}

async function redeem(memberId: string, rewardId: string, points: number, idempotencyKey = uniqueId('k')) {
  const res = await club.api('POST', '/v1/redeem', { memberId, points, idempotencyKey, rewardId });
  expect(res.status, res.text).toBe(200);
  return res.body.reward as { code: string; expiresAt: string; issuedAt: string };
}

const shopOf = async (code: string) => (await club.api('GET', `/v1/rewards/codes/${code}`)).body.shop;
const untilShopStatus = (code: string, status: string) =>
  waitFor(async () => {
    const shop = await shopOf(code);
    return shop?.status === status ? shop : undefined;
  }, `code ${code} ${status} in the shop`);

const shopifyDiscounts = (code: string) => shopify.discounts.filter((d) => d.input.code === code);

describe('Shopify', () => {
  it('a redeemed fixed discount becomes exactly one discount code for that customer, once, until the code expires', async () => {
    const m = await member({ externalIds: { shopify: '7001' } }, 150);
    const reward = await redeem(m, 'ten-off', 100);

    const shop = await untilShopStatus(reward.code, 'created');
    expect(shop).toMatchObject({ platform: 'shopify', status: 'created', lastError: null });
    expect(shopifyDiscounts(reward.code)).toHaveLength(1);
    const [d] = shopifyDiscounts(reward.code);
    expect(d!.kind).toBe('basic');
    expect(d!.input).toMatchObject({
      code: reward.code,
      context: { customers: { add: ['gid://shopify/Customer/7001'] } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
      startsAt: reward.issuedAt,
      endsAt: reward.expiresAt,
      customerGets: { value: { discountAmount: { amount: '10.00', appliesOnEachItem: false } }, items: { all: true } },
    });
    // Looked up before it was created: a retry finds it instead of making another.
    const ops = shopify.requests.filter((r) => r.variables?.code === reward.code || r.variables?.basicCodeDiscount?.code === reward.code);
    expect(ops.map((r) => r.operation)).toEqual(['codeDiscountNodeByCode', 'discountCodeBasicCreate']);
  });

  it('free shipping becomes a free-shipping discount code', async () => {
    const m = await member({ externalIds: { shopify: '7002' } }, 30);
    const reward = await redeem(m, 'ship', 20);
    await untilShopStatus(reward.code, 'created');
    const [d] = shopifyDiscounts(reward.code);
    expect(d).toMatchObject({ kind: 'free-shipping', input: { usageLimit: 1, destination: { all: true }, endsAt: reward.expiresAt } });
  });

  it('a redelivered reward.issued creates nothing new', async () => {
    const m = await member({ externalIds: { shopify: '7003' } }, 60);
    const key = uniqueId('k');
    const reward = await redeem(m, 'fifteen-pct', 50, key);
    await untilShopStatus(reward.code, 'created');
    // The same redemption again publishes the same event again; and the queue may deliver any message twice.
    await redeem(m, 'fifteen-pct', 50, key);
    const event = { id: `reward:${reward.code}`, type: 'reward.issued', version: 1, memberId: m, data: { code: reward.code } };
    const sqs = {
      Records: [{ messageId: 'again-1', body: JSON.stringify({ detail: event }), attributes: { ApproximateReceiveCount: '1' } }],
    };
    const answer = await shopSyncHandler(sqs as never, { getRemainingTimeInMillis: () => 10_000 } as never);
    expect(answer).toEqual({ batchItemFailures: [] });
    await waitFor(async () => (await shopOf(reward.code))?.status === 'created' || undefined, 'still created');
    expect(shopifyDiscounts(reward.code)).toHaveLength(1);
    expect(shopifyDiscounts(reward.code)[0]!.input.customerGets.value).toEqual({ percentage: 0.15 });
  });

  it('throttled calls are retried until the bucket refills', async () => {
    const m = await member({ externalIds: { shopify: '7004' } }, 150);
    const before = shopify.requests.length;
    shopify.throttle(2);
    const reward = await redeem(m, 'ten-off', 100);
    await untilShopStatus(reward.code, 'created');
    expect(shopifyDiscounts(reward.code)).toHaveLength(1);
    // Two throttled answers, then the lookup and the create.
    expect(shopify.requests.length - before).toBe(4);
  });

  it('an outage leaves the push failed and listed; after the shop is back, staff retry it into exactly one discount', async () => {
    const m = await member({ externalIds: { shopify: '7005' } }, 150);
    shopify.outage(true);
    const redeemed = await club.api('POST', '/v1/redeem', { memberId: m, points: 100, idempotencyKey: uniqueId('k'), rewardId: 'ten-off' });
    // The redemption does not wait for the shop.
    expect(redeemed.status).toBe(200);
    const code: string = redeemed.body.reward.code;
    const id = `shopify_${code}`;
    const listed = await waitFor(async () => {
      const page = await club.api('GET', '/v1/admin/shop-sync?status=failed&limit=100');
      expect(page.status).toBe(200);
      return page.body.items.find((i: { id: string }) => i.id === id);
    }, 'the failed push listed');
    expect(listed).toMatchObject({ code, platform: 'shopify', status: 'failed', memberId: m, attempts: 1, discountId: null });
    expect(listed.lastError).toMatch(/503/);
    expect(await shopOf(code)).toMatchObject({ platform: 'shopify', status: 'failed' });
    expect(shopifyDiscounts(code)).toHaveLength(0);

    shopify.outage(false);
    const retried = await club.api('POST', `/v1/admin/shop-sync/${id}/retry`);
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body).toMatchObject({ id, status: 'created', attempts: 2, lastError: null, duplicate: false });
    expect(shopifyDiscounts(code)).toHaveLength(1);
    expect(retried.body.discountId).toBe(shopifyDiscounts(code)[0]!.id);

    const again = await club.api('POST', `/v1/admin/shop-sync/${id}/retry`);
    expect(again.body).toMatchObject({ status: 'created', duplicate: true });
    expect(shopifyDiscounts(code)).toHaveLength(1);
    const failedNow = await club.api('GET', '/v1/admin/shop-sync?status=failed&limit=100');
    expect(failedNow.body.items.map((i: { id: string }) => i.id)).not.toContain(id);
  });

  it('reward.cancelled deactivates the discount', async () => {
    const m = await member({ externalIds: { shopify: '7006' } }, 150);
    const reward = await redeem(m, 'ten-off', 100);
    await untilShopStatus(reward.code, 'created');
    await processEvents.publish([
      {
        id: `reward-cancelled:${reward.code}`,
        type: 'reward.cancelled',
        version: 1,
        occurredAt: new Date().toISOString(),
        memberId: m,
        data: { code: reward.code, reason: 'cancelled' },
      },
    ]);
    await untilShopStatus(reward.code, 'disabled');
    expect(shopifyDiscounts(reward.code).map((d) => d.status)).toEqual(['EXPIRED']);
  });
});

describe('order of events', () => {
  it('a reward.cancelled handled while the push is still creating the discount: it ends deactivated, made once, the record disabled', async () => {
    const m = await member({ externalIds: { shopify: '7008' } }, 150);
    const held = shopify.holdCreates();
    let code = '';
    try {
      code = (await redeem(m, 'ten-off', 100)).code;
      // The queue's push has looked the code up (none) and now waits on the shop's create.
      await held.started;
      // Another consumer handles the code's reward.cancelled meanwhile, as Lambda runs batches side by side.
      // (Not through the cancel route: the local queue drains in order, so its own delivery would come after the push.)
      const event = {
        id: `reward-cancelled:${code}`,
        type: 'reward.cancelled',
        version: 1,
        memberId: m,
        data: { code, reason: 'cancelled' },
      };
      const sqs = {
        Records: [{ messageId: 'cancel-1', body: JSON.stringify({ detail: event }), attributes: { ApproximateReceiveCount: '1' } }],
      };
      expect(await shopSyncHandler(sqs as never, { getRemainingTimeInMillis: () => 10_000 } as never)).toEqual({ batchItemFailures: [] });
      // The cancel found nothing in the shop yet.
      expect(shopifyDiscounts(code)).toHaveLength(0);
    } finally {
      held.release();
    }
    // The create lands; the push finds the cancel's mark and deactivates what it made instead of recording it live.
    await waitFor(async () => shopifyDiscounts(code)[0]?.status === 'EXPIRED' || undefined, 'the discount deactivated');
    const listed = await waitFor(async () => {
      const page = await club.api('GET', '/v1/admin/shop-sync?status=disabled&limit=100');
      return page.body.items.find((i: { id: string; discountId: string | null }) => i.id === `shopify_${code}` && i.discountId);
    }, 'the push recorded disabled with the discount it made');
    expect(listed).toMatchObject({ status: 'disabled', discountId: shopifyDiscounts(code)[0]!.id });
    expect(await shopOf(code)).toMatchObject({ status: 'disabled' });
    expect(shopifyDiscounts(code)).toHaveLength(1);
  });
});

describe('WooCommerce', () => {
  const coupons = (code: string) => woo.coupons.filter((c) => c.code === code.toLowerCase());

  it('a member with an email and no Shopify id gets one coupon for their email, used once, until the code expires', async () => {
    const m = await member({ email: 'Dana@Example.com' }, 60);
    const reward = await redeem(m, 'fifteen-pct', 50);
    const shop = await untilShopStatus(reward.code, 'created');
    expect(shop.platform).toBe('woocommerce');
    expect(coupons(reward.code)).toHaveLength(1);
    expect(coupons(reward.code)[0]).toMatchObject({
      discount_type: 'percent',
      amount: '15',
      usage_limit: 1,
      usage_limit_per_user: 1,
      email_restrictions: ['dana@example.com'],
      date_expires_gmt: reward.expiresAt.replace(/\.\d{3}Z$/, ''),
    });
    // Looked up first, then created.
    const mine = woo.requests.filter((r) => r.path.includes(encodeURIComponent(reward.code)) || r.body?.code === reward.code);
    expect(mine.map((r) => r.method)).toEqual(['GET', 'POST']);
  });

  it('429s are retried; a fixed discount is a fixed_cart coupon', async () => {
    const m = await member({ email: 'eli@example.com' }, 150);
    woo.rateLimit(2);
    const reward = await redeem(m, 'ten-off', 100);
    await untilShopStatus(reward.code, 'created');
    expect(coupons(reward.code)).toHaveLength(1);
    expect(coupons(reward.code)[0]).toMatchObject({ discount_type: 'fixed_cart', amount: '10.00' });
  });

  it('reward.cancelled turns the coupon into a draft', async () => {
    const m = await member({ email: 'fay@example.com' }, 150);
    const reward = await redeem(m, 'ten-off', 100);
    await untilShopStatus(reward.code, 'created');
    await processEvents.publish([
      {
        id: `reward-cancelled:${reward.code}`,
        type: 'reward.cancelled',
        version: 1,
        occurredAt: new Date().toISOString(),
        memberId: m,
        data: { code: reward.code, reason: 'expired' },
      },
    ]);
    await untilShopStatus(reward.code, 'disabled');
    expect(coupons(reward.code).map((c) => c.status)).toEqual(['draft']);
  });
});

describe('what is not pushed', () => {
  it('a tier-up reward, or a member no shop knows, has no shop discount: shop is null', async () => {
    const tierUp = await redeem(await member({ externalIds: { shopify: '7010' } }, 50), 'go-gold', 40);
    const unknown = await redeem(await member({ phone: '+14155550123' }, 150), 'ten-off', 100);
    expect(await shopOf(tierUp.code)).toBeNull();
    expect(await shopOf(unknown.code)).toBeNull();
    expect(shopifyDiscounts(tierUp.code)).toHaveLength(0);
    expect(shopifyDiscounts(unknown.code)).toHaveLength(0);
  });

  it('an unknown push id is 404 SHOP_SYNC_NOT_FOUND', async () => {
    const res = await club.api('POST', '/v1/admin/shop-sync/shopify_RW-00000-00000-00000-00000/retry');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('SHOP_SYNC_NOT_FOUND');
  });
});
