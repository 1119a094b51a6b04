/**
 * Webhooks that try to take more than they should: bodies that contradict their
 * (unsigned) topic, cancellations meeting refunds with the same name, replays
 * racing each other, signed bodies that are not UTF-8, and shop lines priced
 * by category. Through the real path: HTTP → queue → consumer → DynamoDB Local.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookQueueService, type WebhookQueueService } from '../../local/webhook-queue';
import { startTestClub, type TestClub } from '../support/club';
import { programApi } from '../support/program';
import {
  fixture,
  GENERIC_SECRET,
  memberBy,
  queueDrained,
  sendGeneric,
  sendShopify,
  sendWoo,
  SHOPIFY_SECRET,
  useWebhookSecrets,
  waitFor,
  waitForBalance,
} from '../support/webhooks';

let club: TestClub;
let queue: WebhookQueueService;
let seq = 0;
const uid = () => `${Date.now() % 1_000_000}${String(++seq).padStart(3, '0')}`;
const { putProgram } = programApi(() => club);

beforeAll(async () => {
  useWebhookSecrets();
  queue = webhookQueueService({ visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, batchWindowMs: 20, maxReceives: 3 });
  club = await startTestClub({ services: [queue] });
});
afterAll(() => club?.stop());

async function ledger(memberId: string) {
  return (await club.api('GET', `/v1/members/${memberId}/ledger?limit=100`)).body.items as any[];
}

async function failedDelivery(match: (d: any) => boolean, what: string) {
  return waitFor(
    async () => {
      const items = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
      return items.find(match);
    },
    what,
    20_000,
  );
}

function shopifyOrder(id: string, email: string, subtotal = '398.00') {
  const order = fixture('shopify-orders-paid.json');
  order.id = Number(id);
  order.customer.id = Number(id);
  order.customer.email = email;
  order.email = email;
  order.contact_email = email;
  order.subtotal_price = subtotal;
  return order;
}

function wooOrder(id: string, email: string, patch: Record<string, unknown> = {}) {
  const order = fixture('woocommerce-order-completed.json');
  return { ...order, id: Number(id), customer_id: Number(id), billing: { ...order.billing, email }, ...patch };
}

describe('a body that contradicts its topic', () => {
  it('an orders/paid body sent as orders/cancelled is parked as TOPIC_MISMATCH and takes nothing back', async () => {
    const id = uid();
    const body = JSON.stringify(shopifyOrder(id, `topic-${id}@example.com`));
    await sendShopify(club, { topic: 'orders/paid', body });
    await waitForBalance(club, `shopifyCustomerId=${id}`, 398);
    // The same captured body (and so a valid signature) with another topic header.
    await sendShopify(club, { topic: 'orders/cancelled', body });
    const parked = await failedDelivery((d) => d.body === body && d.topic === 'orders/cancelled', 'the mislabelled delivery to be parked');
    expect(parked.reason).toMatchObject({ code: 'TOPIC_MISMATCH', message: expect.stringContaining('cancelled_at') });
    await queueDrained(queue);
    expect((await memberBy(club, `shopifyCustomerId=${id}`)).balance).toBe(398);
  });
});

describe('a cancellation and a refund with the same name', () => {
  it('generic: paid 100, refund "cancel" of 10, cancelled → 0', async () => {
    const id = uid();
    const email = `cx-${id}@example.com`;
    await sendGeneric(club, { event: 'order.paid', orderId: `INV-${id}`, amount: '100.00', currency: 'USD', customer: { email } });
    const m = await waitForBalance(club, `email=${email}`, 100);
    await sendGeneric(club, { event: 'order.refunded', orderId: `INV-${id}`, refundId: 'cancel', amount: '10.00' });
    await waitForBalance(club, `email=${email}`, 90);
    await sendGeneric(club, { event: 'order.cancelled', orderId: `INV-${id}` });
    await waitForBalance(club, `email=${email}`, 0);
    expect((await ledger(m.memberId)).map((e) => e.points).sort((a, b) => a - b)).toEqual([-90, -10, 100]);
  });

  it('a cancellation stored under the former "cancel" key, redelivered now, takes nothing twice (generic and Shopify)', async () => {
    const id = uid();
    const email = `old-${id}@example.com`;
    await sendGeneric(club, { event: 'order.paid', orderId: `INV-${id}`, amount: '100.00', currency: 'USD', customer: { email } });
    const m = await waitForBalance(club, `email=${email}`, 100);
    // What the old code stored for order.cancelled: refund "cancel" of the whole paid amount.
    const old = await club.api('POST', '/v1/refunds', {
      memberId: m.memberId,
      orderId: `generic:INV-${id}`,
      refundId: 'cancel',
      amount: '100.00',
      currency: 'USD',
    });
    expect(old.status, JSON.stringify(old.body)).toBe(200);
    await sendGeneric(club, { event: 'order.cancelled', orderId: `INV-${id}` });

    const sid = uid();
    await sendShopify(club, { topic: 'orders/paid', body: shopifyOrder(sid, `old-s-${sid}@example.com`, '50.00') });
    const s = await waitForBalance(club, `shopifyCustomerId=${sid}`, 50);
    const oldShopify = await club.api('POST', '/v1/refunds', {
      memberId: s.memberId,
      orderId: `shopify:${sid}`,
      refundId: 'cancel',
      amount: '50.00',
      currency: 'USD',
    });
    expect(oldShopify.status).toBe(200);
    await sendShopify(club, {
      topic: 'orders/cancelled',
      body: { ...shopifyOrder(sid, `old-s-${sid}@example.com`, '50.00'), cancelled_at: '2026-03-21T10:00:00-05:00' },
    });

    await queueDrained(queue);
    expect((await memberBy(club, `email=${email}`)).balance).toBe(0);
    expect((await ledger(m.memberId)).map((e) => [e.refundId ?? null, e.points])).toEqual(
      expect.arrayContaining([
        [null, 100],
        ['cancel', -100],
      ]),
    );
    expect(await ledger(m.memberId)).toHaveLength(2);
    expect(await ledger(s.memberId)).toHaveLength(2);
  });
});

describe('WooCommerce take-backs without a completion date', () => {
  it('an order that earned and arrives refunded without date_completed_gmt takes it all back', async () => {
    const id = uid();
    const email = `wnd-${id}@example.com`;
    await sendWoo(club, { topic: 'order.updated', body: wooOrder(id, email) });
    const m = await waitForBalance(club, `email=${email}`, 90);
    await sendWoo(club, {
      topic: 'order.updated',
      body: wooOrder(id, email, { status: 'refunded', date_completed_gmt: null, date_completed: null }),
    });
    await waitForBalance(club, `email=${email}`, 0);
    expect((await ledger(m.memberId)).map((e) => e.points).sort((a, b) => a - b)).toEqual([-90, 90]);
  });
});

describe('replaying one parked delivery', () => {
  it('four concurrent replays with different corrected bodies: exactly one applies', async () => {
    const id = uid();
    const email = `race-${id}@example.com`;
    const broken = JSON.stringify({ ...shopifyOrder(id, email), subtotal_price: 'ten' });
    await sendShopify(club, { topic: 'orders/paid', body: broken });
    const parked = await failedDelivery((d) => d.body === broken, 'the malformed order to be parked');
    // Each correction names another order, so no order id can dedupe them: only the claim can.
    const bodies = [1, 2, 3, 4].map((n) =>
      JSON.stringify({ ...shopifyOrder(`${id}${n}`, email), customer: { ...shopifyOrder(id, email).customer }, subtotal_price: '10.00' }),
    );
    const answers = await Promise.all(bodies.map((body) => club.api('POST', `/v1/admin/deliveries/${parked.id}/replay`, { body })));
    const applied = answers.filter((a) => a.status === 200 && a.body.duplicate === false);
    expect(applied, JSON.stringify(answers.map((a) => [a.status, a.body]))).toHaveLength(1);
    for (const a of answers.filter((x) => !applied.includes(x))) {
      expect([200, 409]).toContain(a.status);
      if (a.status === 200) expect(a.body.duplicate).toBe(true);
      else expect(a.body.error.code).toBe('REPLAY_IN_PROGRESS');
    }
    const m = await waitForBalance(club, `shopifyCustomerId=${id}`, 10);
    await queueDrained(queue);
    expect(await ledger(m.memberId)).toHaveLength(1);
    // Replayed once, and listed so.
    const replayed = (await club.api('GET', '/v1/admin/deliveries?status=replayed&limit=100')).body.items.find(
      (d: any) => d.id === parked.id,
    );
    expect(replayed).toMatchObject({ status: 'replayed', replayedBody: applied[0]!.body.replayedBody });
  });
});

describe('a signed body that is not UTF-8', () => {
  it('is accepted (202), not 401, and parked as MALFORMED_PAYLOAD', async () => {
    const id = uid();
    // Latin-1 "é" (0xE9) alone is not UTF-8.
    const bytes = Buffer.concat([
      Buffer.from(
        `{"event":"order.paid","orderId":"INV-${id}","amount":"10.00","currency":"USD","customer":{"email":"l1-${id}@example.com","name":"Ren`,
      ),
      Buffer.from([0xe9]),
      Buffer.from('"}}'),
    ]);
    const res = await club.api('POST', '/v1/webhooks/generic', bytes, {
      authorization: undefined,
      'content-type': 'application/json',
      'x-loyalty-signature': `sha256=${createHmac('sha256', GENERIC_SECRET).update(bytes).digest('hex')}`,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const shopifyBytes = Buffer.concat([Buffer.from(`{"id":${id},"note":"caf`), Buffer.from([0xe9]), Buffer.from('"}')]);
    const shopify = await club.api('POST', '/v1/webhooks/shopify', shopifyBytes, {
      authorization: undefined,
      'content-type': 'application/json',
      'x-shopify-topic': 'orders/paid',
      'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(shopifyBytes).digest('base64'),
    });
    expect(shopify.status).toBe(202);
    const parked = await failedDelivery(
      (d) => d.source === 'generic' && d.reason.message.includes('UTF-8') && d.body.includes(`INV-${id}`),
      'the non-UTF-8 delivery to be parked',
    );
    expect(parked.reason.code).toBe('MALFORMED_PAYLOAD');
    const parkedShopify = await failedDelivery(
      (d) => d.source === 'shopify' && d.body.includes(`"id":${id},`),
      'the non-UTF-8 Shopify delivery to be parked',
    );
    expect(parkedShopify.reason.code).toBe('MALFORMED_PAYLOAD');
    // Kept exactly as signed, for staff to read and correct.
    expect(Buffer.from(parkedShopify.bodyBase64, 'base64').equals(shopifyBytes)).toBe(true);
    expect(await memberBy(club, `email=l1-${id}@example.com`)).toBeUndefined();
  });
});

describe('category multipliers on shop orders', () => {
  it('prices Shopify lines by their vendor and generic lines by the category they carry', async () => {
    await putProgram({ earning: { categoryMultipliers: { 'vendor:Acme': '2', coffee: '3' } } });
    try {
      const id = uid();
      const order = shopifyOrder(id, `cat-${id}@example.com`);
      // 398.00 = 189.00 + 209.00: the first line's vendor doubles it → 189 × 2 + 209 = 587.
      order.line_items[0].vendor = 'Acme';
      await sendShopify(club, { topic: 'orders/paid', body: order });
      await waitForBalance(club, `shopifyCustomerId=${id}`, 587);

      const email = `gcat-${id}@example.com`;
      const lineItems = [
        { sku: 'latte', category: 'coffee', amount: '10.00' },
        { sku: 'mug', amount: '20.00' },
      ];
      await sendGeneric(club, {
        event: 'order.paid',
        orderId: `INV-${id}`,
        amount: '30.00',
        currency: 'USD',
        customer: { email },
        lineItems,
      });
      // 10 × 3 + 20 = 50.
      await waitForBalance(club, `email=${email}`, 50);
    } finally {
      await putProgram({});
    }
  });
});
