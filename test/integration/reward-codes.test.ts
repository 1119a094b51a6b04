/**
 * Reward codes after they are issued, through HTTP and DynamoDB Local: staff
 * cancel an unused one (points, stock and the member's limit come back in one
 * transaction, once), the expiry refund and the cancel both announce
 * reward.cancelled on the local bus, and shop orders that carry a club code
 * mark it used by that order, once, through the real webhook queue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookQueueService } from '../../local/webhook-queue';
import type { RewardDefinition } from '../../shared/domain/rewards';
import { startClubWithBus, type ClubWithBus } from '../support/events';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';
import { fixture, queueDrained, quickWebhookQueue, sendShopify, sendWoo, useWebhookSecrets, waitFor } from '../support/webhooks';
import type { TestClub } from '../support/club';

const CATALOG: RewardDefinition[] = [
  { rewardId: 'ten-off', name: '10 off', kind: 'fixed-discount', amount: '10.00', pointsPrice: 100, validDays: 30 },
  { rewardId: 'one-each', name: 'Gift box', kind: 'free-product', productId: 'SKU-BOX', pointsPrice: 40, stock: 1, perMemberLimit: 1 },
  { rewardId: 'two-each', name: 'Free shipping', kind: 'free-shipping', pointsPrice: 20, perMemberLimit: 1, validDays: 30 },
  { rewardId: 'voucher', name: 'Voucher', kind: 'fixed-discount', amount: '5.00', pointsPrice: 30, validDays: 1, refundOnExpiry: true },
];

let bus: ClubWithBus;
let club: TestClub;
let queue: WebhookQueueService;
beforeAll(async () => {
  useWebhookSecrets();
  queue = quickWebhookQueue();
  bus = await startClubWithBus([queue]);
  club = bus.club;
  const saved = await club.api('PUT', '/v1/admin/program', { expectedVersion: 1, rewards: CATALOG });
  expect(saved.body).toMatchObject({ version: 2 });
});
afterAll(() => club?.stop());

async function memberWith(points: number, profile: Record<string, unknown> = {}): Promise<string> {
  const memberId = uniqueId('c');
  expect((await club.api('POST', '/v1/members', { memberId, ...profile })).status).toBe(201);
  if (points > 0) {
    const earned = await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: String(points), currency: 'USD' });
    expect(earned.status).toBe(200);
  }
  return memberId;
}

async function redeemCode(memberId: string, rewardId: string, points: number): Promise<string> {
  const res = await club.api('POST', '/v1/redeem', { memberId, points, idempotencyKey: uniqueId('k'), rewardId });
  expect(res.status).toBe(200);
  return res.body.reward.code;
}

const cancel = (code: string, reason = 'member changed their mind') => club.api('POST', `/v1/rewards/codes/${code}/cancel`, { reason });

describe('staff cancel an unused code', () => {
  it('gives its points back as a reverse entry of its price, closes it, and says so on the bus', async () => {
    const m = await memberWith(150);
    const code = await redeemCode(m, 'ten-off', 100);
    const res = await cancel(code.toLowerCase(), 'wrong reward picked');
    expect(res.status).toBe(200);
    // 150 earned − 100 spent + 100 back.
    expect(res.body).toMatchObject({
      code,
      status: 'cancelled',
      cancelledAt: expect.any(String),
      cancelReason: 'wrong reward picked',
      pointsReturned: 100,
      balance: 150,
      duplicate: false,
    });
    const back = (await rawLedger(club.client, club.tableName, m)).filter((e) => e.type === 'reverse');
    expect(back).toEqual([expect.objectContaining({ points: 100, rewardCode: code, entryId: res.body.entryId })]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(150);
    expect((await club.api('GET', `/v1/rewards/codes/${code}`)).body).toMatchObject({ status: 'cancelled', usedAt: null });

    const events = await waitFor(async () => {
      const found = await bus.eventsOf(m, 'reward.cancelled');
      return found.length > 0 ? found : undefined;
    }, 'reward.cancelled');
    expect(events).toEqual([
      expect.objectContaining({
        id: `reward-cancelled:${code}`,
        data: { code, rewardId: 'ten-off', reason: 'cancelled', pointsReturned: 100, entryId: res.body.entryId },
      }),
    ]);
  });

  it('answers a second cancel with the first, duplicate: true, giving nothing twice', async () => {
    const m = await memberWith(100);
    const code = await redeemCode(m, 'ten-off', 100);
    const first = await cancel(code);
    const again = await cancel(code, 'another reason');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      duplicate: true,
      entryId: first.body.entryId,
      cancelReason: 'member changed their mind',
      balance: 100,
    });
    expect(await expectBalanceMatchesLedger(club, m)).toBe(100);
  });

  it("frees the stock and the member's limit: a redemption refused on them goes through after the cancel", async () => {
    const m = await memberWith(200);
    const code = await redeemCode(m, 'one-each', 40);
    const other = await memberWith(100);
    const refused = await club.api('POST', '/v1/redeem', {
      memberId: other,
      points: 40,
      idempotencyKey: uniqueId('k'),
      rewardId: 'one-each',
    });
    expect(refused.body.error.code).toBe('OUT_OF_STOCK');
    const limited = await club.api('POST', '/v1/redeem', { memberId: m, points: 40, idempotencyKey: uniqueId('k'), rewardId: 'one-each' });
    expect(limited.status).toBe(409);
    const shipping = await redeemCode(m, 'two-each', 20);
    const overLimit = await club.api('POST', '/v1/redeem', {
      memberId: m,
      points: 20,
      idempotencyKey: uniqueId('k'),
      rewardId: 'two-each',
    });
    expect(overLimit.body.error.code).toBe('REWARD_LIMIT_REACHED');

    expect((await cancel(code)).status).toBe(200);
    expect((await cancel(shipping)).status).toBe(200);
    expect((await redeemCode(other, 'one-each', 40)).length).toBeGreaterThan(0);
    expect((await redeemCode(m, 'two-each', 20)).length).toBeGreaterThan(0);
    // 200 − 40 − 20 + 40 + 20 − 20.
    expect(await expectBalanceMatchesLedger(club, m)).toBe(180);
  });

  it('refuses a used code with CODE_ALREADY_USED, an expired one with CODE_EXPIRED, writing nothing; a cancelled code is not usable', async () => {
    const m = await memberWith(200);
    const used = await redeemCode(m, 'ten-off', 100);
    expect((await club.api('POST', `/v1/rewards/codes/${used}/use`, { orderId: uniqueId('o') })).status).toBe(200);
    const res = await cancel(used);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CODE_ALREADY_USED');

    const voucher = await redeemCode(m, 'voucher', 30);
    const asOf = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect((await club.api('POST', '/v1/admin/jobs/refund-expired-codes/run', { asOf })).body).toMatchObject({ codesRefunded: 1 });
    const expired = await cancel(voucher);
    expect(expired.status).toBe(409);
    expect(expired.body.error.code).toBe('CODE_EXPIRED');
    // 200 − 100 − 30 + 30 back on expiry, nothing more.
    expect(await expectBalanceMatchesLedger(club, m)).toBe(100);

    const cancelled = await redeemCode(m, 'ten-off', 100);
    expect((await cancel(cancelled)).status).toBe(200);
    const use = await club.api('POST', `/v1/rewards/codes/${cancelled}/use`, { orderId: uniqueId('o') });
    expect(use.status).toBe(409);
    expect(use.body.error.code).toBe('CODE_CANCELLED');
  });

  it('refuses a missing reason with 400 and an unknown code with 404', async () => {
    expect((await club.api('POST', '/v1/rewards/codes/RW-00000-00000-00000-00000/cancel', {})).status).toBe(400);
    expect((await cancel('RW-00000-00000-00000-00000')).body.error.code).toBe('CODE_NOT_FOUND');
  });

  it('lets exactly one of a cancel and a use at the till win, however they race', async () => {
    for (let round = 0; round < 4; round++) {
      const m = await memberWith(100);
      const code = await redeemCode(m, 'ten-off', 100);
      const [cancelled, used] = await Promise.all([
        cancel(code),
        club.api('POST', `/v1/rewards/codes/${code}/use`, { orderId: uniqueId('o') }),
      ]);
      expect([cancelled.status, used.status].sort()).toEqual([200, 409]);
      const view = (await club.api('GET', `/v1/rewards/codes/${code}`)).body;
      if (cancelled.status === 200) {
        expect(used.body.error.code).toBe('CODE_CANCELLED');
        expect(view.status).toBe('cancelled');
        expect(await expectBalanceMatchesLedger(club, m)).toBe(100);
      } else {
        expect(cancelled.body.error.code).toBe('CODE_ALREADY_USED');
        expect(view.status).toBe('used');
        expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
      }
    }
  });
});

describe('an unused code refunded on expiry', () => {
  it('announces reward.cancelled with reason expired', async () => {
    const m = await memberWith(30);
    const code = await redeemCode(m, 'voucher', 30);
    const asOf = new Date(Date.now() + 2 * 86_400_000).toISOString();
    expect((await club.api('POST', '/v1/admin/jobs/refund-expired-codes/run', { asOf })).body).toMatchObject({ codesRefunded: 1 });
    const [event] = await waitFor(async () => {
      const found = await bus.eventsOf(m, 'reward.cancelled');
      return found.length > 0 ? found : undefined;
    }, 'reward.cancelled on expiry');
    const entry = (await rawLedger(club.client, club.tableName, m)).find((e) => e.type === 'reverse');
    expect(event).toMatchObject({
      id: `reward-cancelled:${code}`,
      data: { code, rewardId: 'voucher', reason: 'expired', pointsReturned: 30, entryId: entry?.entryId },
    });
  });
});

describe('a shop order that carries a club code', () => {
  let seq = 0;
  const numericId = () => `${Date.now() % 1_000_000}${String(++seq).padStart(3, '0')}`;

  function shopifyOrder(id: string, customerId: string, email: string, codes: string[]) {
    const order = fixture('shopify-orders-paid.json');
    order.id = Number(id);
    order.admin_graphql_api_id = `gid://shopify/Order/${id}`;
    order.customer.id = Number(customerId);
    order.customer.email = email;
    order.email = email;
    order.contact_email = email;
    order.subtotal_price = '50.00';
    order.discount_codes = codes.map((code) => ({ code, amount: '10.00', type: 'fixed_amount' }));
    return order;
  }

  function wooOrder(id: string, email: string, codes: string[], status = 'completed') {
    const base = fixture('woocommerce-order-completed.json');
    return {
      ...base,
      id: Number(id),
      status,
      customer_id: 0,
      billing: { ...base.billing, email },
      coupon_lines: codes.map((code, i) => ({ id: 900 + i, code, discount: '10.00', discount_tax: '0.00', meta_data: [] })),
    };
  }

  const codeStatus = async (code: string) => (await club.api('GET', `/v1/rewards/codes/${code}`)).body.status;
  const failedDeliveries = async () => (await club.api('GET', '/v1/admin/deliveries?status=failed')).body.items as any[];

  it('Shopify orders/paid marks it used by that order, once, whatever the case, beside the shop own codes; redelivered, nothing more', async () => {
    const email = `shop-${numericId()}@example.com`;
    const m = await memberWith(100, { email });
    const code = await redeemCode(m, 'ten-off', 100);
    const orderId = numericId();
    const body = shopifyOrder(orderId, numericId(), email, ['SPRING20', code.toLowerCase()]);
    expect((await sendShopify(club, { topic: 'orders/paid', body })).status).toBe(202);
    await waitFor(async () => ((await codeStatus(code)) === 'used' ? true : undefined), 'the code used by the order');
    // The same order again, as Shopify redelivers it under a new event id.
    expect((await sendShopify(club, { topic: 'orders/paid', body })).status).toBe(202);
    await queueDrained(queue);
    // Used by this very order: the till's same use answers duplicate; another order is refused.
    const same = await club.api('POST', `/v1/rewards/codes/${code}/use`, { orderId: `shopify:${orderId}` });
    expect(same.body).toMatchObject({ status: 'used', duplicate: true });
    expect((await club.api('POST', `/v1/rewards/codes/${code}/use`, { orderId: 'till-1' })).body.error.code).toBe('CODE_ALREADY_USED');
    // 100 − 100 spent + 50 earned once.
    expect(await expectBalanceMatchesLedger(club, m)).toBe(50);
    expect((await failedDeliveries()).filter((d) => d.body.includes(code.toLowerCase()))).toEqual([]);
  });

  it('a second order with the already used code still earns, and leaves the code with its first order', async () => {
    const email = `again-${numericId()}@example.com`;
    const m = await memberWith(100, { email });
    const code = await redeemCode(m, 'ten-off', 100);
    const customerId = numericId();
    const first = numericId();
    expect((await sendShopify(club, { topic: 'orders/paid', body: shopifyOrder(first, customerId, email, [code]) })).status).toBe(202);
    await waitFor(async () => ((await codeStatus(code)) === 'used' ? true : undefined), 'the code used');
    const second = shopifyOrder(numericId(), customerId, email, [code]);
    expect((await sendShopify(club, { topic: 'orders/paid', body: second })).status).toBe(202);
    await waitFor(async () => ((await expectBalanceMatchesLedger(club, m)) === 100 ? true : undefined), 'both orders earned');
    await queueDrained(queue);
    expect((await club.api('POST', `/v1/rewards/codes/${code}/use`, { orderId: `shopify:${first}` })).body.duplicate).toBe(true);
    expect((await failedDeliveries()).filter((d) => d.body.includes(code))).toEqual([]);
  });

  it('WooCommerce coupon_lines mark it used by that order once, across order.created and order.updated', async () => {
    const email = `woo-${numericId()}@example.com`;
    const m = await memberWith(100, { email });
    const code = await redeemCode(m, 'ten-off', 100);
    const orderId = numericId();
    expect(
      (await sendWoo(club, { topic: 'order.created', body: wooOrder(orderId, email, ['spring10', code.toLowerCase()], 'processing') }))
        .status,
    ).toBe(202);
    await waitFor(async () => ((await codeStatus(code)) === 'used' ? true : undefined), 'the code used by the order');
    expect((await sendWoo(club, { topic: 'order.updated', body: wooOrder(orderId, email, ['spring10', code]) })).status).toBe(202);
    await waitFor(async () => ((await expectBalanceMatchesLedger(club, m)) > 0 ? true : undefined), 'the completed order earned');
    await queueDrained(queue);
    expect((await club.api('POST', `/v1/rewards/codes/${code}/use`, { orderId: `woocommerce:${orderId}` })).body.duplicate).toBe(true);
    expect((await failedDeliveries()).filter((d) => d.body.includes(code.toLowerCase()))).toEqual([]);
  });

  it('a pending WooCommerce order does not use it', async () => {
    const email = `pending-${numericId()}@example.com`;
    const m = await memberWith(100, { email });
    const code = await redeemCode(m, 'ten-off', 100);
    expect((await sendWoo(club, { topic: 'order.created', body: wooOrder(numericId(), email, [code], 'pending') })).status).toBe(202);
    await queueDrained(queue);
    expect(await codeStatus(code)).toBe('issued');
  });
});
