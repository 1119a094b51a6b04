/**
 * Shopify and WooCommerce webhooks through the real path: HTTP receiver →
 * fauxqs queue → batch consumer → DynamoDB Local, with the platforms' own payloads.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookQueueService } from '../../local/webhook-queue';
import { startTestClub, type TestClub } from '../support/club';
import {
  fixture,
  fixtureText,
  hmacBase64,
  memberBy,
  queueDrained,
  quickWebhookQueue,
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
/** Unique ids per test so cases never share orders or customers. */
const uid = () => `${Date.now() % 1_000_000}${String(++seq).padStart(3, '0')}`;

beforeAll(async () => {
  useWebhookSecrets();
  queue = quickWebhookQueue();
  club = await startTestClub({ services: [queue] });
});
afterAll(() => club?.stop());

const drained = () => queueDrained(queue);

async function ledger(memberId: string) {
  return (await club.api('GET', `/v1/members/${memberId}/ledger?limit=100`)).body.items as any[];
}

function shopifyOrder(id: string, customerId: string, email: string, subtotal = '398.00') {
  const order = fixture('shopify-orders-paid.json');
  order.id = Number(id);
  order.admin_graphql_api_id = `gid://shopify/Order/${id}`;
  order.customer.id = Number(customerId);
  order.customer.email = email;
  order.email = email;
  order.contact_email = email;
  order.subtotal_price = subtotal;
  return order;
}

function shopifyRefund(id: string, orderId: string, subtotal: string) {
  const refund = fixture('shopify-refunds-create.json');
  refund.id = Number(id);
  refund.order_id = Number(orderId);
  refund.refund_line_items[0].subtotal = Number(subtotal);
  refund.refund_line_items[0].subtotal_set.shop_money.amount = subtotal;
  return refund;
}

function wooOrder(id: string, customerId: number, email: string, patch: Record<string, unknown> = {}) {
  return {
    ...fixture('woocommerce-order-completed.json'),
    id: Number(id),
    customer_id: customerId,
    billing: { ...fixture('woocommerce-order-completed.json').billing, email },
    ...patch,
  };
}

describe('signatures', () => {
  it('takes the fixture exactly as Shopify signed it, with a 202', async () => {
    const text = fixtureText('shopify-orders-paid.json');
    const res = await sendShopify(club, { topic: 'orders/paid', body: text });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: true, deliveryId: expect.any(String) });
    // The 18-digit ids keep every digit (no float rounding).
    const member = await waitFor(() => memberBy(club, 'shopifyCustomerId=115310627314723954'), 'the Shopify customer');
    expect(member.email).toBe('jon@example.com');
    const m = await waitForBalance(club, 'shopifyCustomerId=115310627314723954', 398);
    const entries = await ledger(m.memberId);
    expect(entries).toMatchObject([{ type: 'earn', points: 398, orderId: 'shopify:820982911946154508' }]);
  });

  it('answers 401 and queues nothing for a bad, missing or wrong-secret signature', async () => {
    const id = uid();
    const order = shopifyOrder(id, id, `sig-${id}@example.com`);
    const body = JSON.stringify(order);
    const bad = [
      await sendShopify(club, { topic: 'orders/paid', body, signature: hmacBase64('wrong-secret', body) }),
      await sendShopify(club, { topic: 'orders/paid', body, signature: null }),
      await sendShopify(club, { topic: 'orders/paid', body, signature: hmacBase64(SHOPIFY_SECRET, `${body} `) }),
      await sendShopify(club, { topic: 'orders/paid', body, signature: 'not base64 at all' }),
      await sendWoo(club, { topic: 'order.updated', body: wooOrder(id, 1, 'x@example.com'), signature: hmacBase64(SHOPIFY_SECRET, 'x') }),
    ];
    for (const res of bad) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHORIZED');
    }
    // A good delivery sent after them is applied; the bad ones never were: a queued one would
    // have enrolled its customer or been parked. (Not by counting the consumer's records: an
    // earlier test's refund-before-order comes back after its visibility timeout, any time.)
    const ok = await sendShopify(club, { topic: 'orders/paid', body: JSON.stringify(shopifyOrder(uid(), uid(), `ok-${id}@example.com`)) });
    expect(ok.status).toBe(202);
    await waitForBalance(club, `email=ok-${id}@example.com`, 398);
    await drained();
    expect(await memberBy(club, `email=sig-${id}@example.com`)).toBeUndefined();
    const parked = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
    expect(parked.filter((d) => JSON.stringify(d).includes(`sig-${id}`))).toEqual([]);
  });

  it('answers 401 while no secret is configured', async () => {
    const saved = process.env.SHOPIFY_WEBHOOK_SECRET;
    delete process.env.SHOPIFY_WEBHOOK_SECRET;
    try {
      const body = JSON.stringify(shopifyOrder(uid(), uid(), 'nosecret@example.com'));
      const res = await sendShopify(club, { topic: 'orders/paid', body, signature: hmacBase64('', body) });
      expect(res.status).toBe(401);
    } finally {
      process.env.SHOPIFY_WEBHOOK_SECRET = saved;
    }
  });

  it('accepts the previous secret while a rotation is under way', async () => {
    process.env.SHOPIFY_WEBHOOK_SECRET_PREVIOUS = 'the-old-secret';
    try {
      const id = uid();
      const body = JSON.stringify(shopifyOrder(id, id, `rot-${id}@example.com`));
      expect((await sendShopify(club, { topic: 'orders/paid', body, signature: hmacBase64('the-old-secret', body) })).status).toBe(202);
      await waitForBalance(club, `email=rot-${id}@example.com`, 398);
    } finally {
      delete process.env.SHOPIFY_WEBHOOK_SECRET_PREVIOUS;
    }
  });

  it("answers WooCommerce's unsigned creation ping 200 and queues nothing", async () => {
    // The previous test's delivery may still be finishing after its balance showed.
    await drained();
    const ping = `webhook_id=${uid()}`;
    const res = await club.api('POST', '/v1/webhooks/woocommerce', ping, {
      authorization: undefined,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(200);
    // Longer than the consumer's wait + batch window: a queued ping would be taken by now, and parked
    // (it is no order). Not by counting the consumer's records: an earlier test's refund-before-order
    // comes back after its visibility timeout, any time.
    await new Promise((r) => setTimeout(r, 1500));
    const depth = await queue.depth();
    expect(depth.queue + depth.inFlight).toBe(0);
    const parked = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
    expect(parked.filter((d) => JSON.stringify(d).includes(ping))).toEqual([]);
  });
});

describe('Shopify', () => {
  it('earns once however often the order is delivered, with the same or a new delivery id', async () => {
    const id = uid();
    const email = `dup-${id}@example.com`;
    const body = JSON.stringify(shopifyOrder(id, id, email));
    const eventId = `evt-${id}`;
    const sends = await Promise.all([
      sendShopify(club, { topic: 'orders/paid', body, eventId, webhookId: 'w-1' }),
      sendShopify(club, { topic: 'orders/paid', body, eventId, webhookId: 'w-1' }),
      sendShopify(club, { topic: 'orders/paid', body, eventId: `other-${id}`, webhookId: 'w-2' }),
    ]);
    expect(sends.map((s) => s.status)).toEqual([202, 202, 202]);
    const m = await waitForBalance(club, `shopifyCustomerId=${id}`, 398);
    await drained();
    expect((await memberBy(club, `shopifyCustomerId=${id}`)).balance).toBe(398);
    expect(await ledger(m.memberId)).toHaveLength(1);
  });

  it('takes partial refunds back in proportion, each once, and a cancel takes the rest', async () => {
    const id = uid();
    await sendShopify(club, { topic: 'orders/paid', body: shopifyOrder(id, id, `ref-${id}@example.com`) });
    await waitForBalance(club, `shopifyCustomerId=${id}`, 398);
    const r1 = shopifyRefund(`${id}1`, id, '100.00');
    await sendShopify(club, { topic: 'refunds/create', body: r1 });
    await sendShopify(club, { topic: 'refunds/create', body: r1 }); // redelivered
    await sendShopify(club, { topic: 'refunds/create', body: shopifyRefund(`${id}2`, id, '99.50') });
    // 398 earned on 398.00: 100.00 → 100 points, 99.50 → floor(398 × 199.50 / 398) − 100 = 99.
    const m = await waitForBalance(club, `shopifyCustomerId=${id}`, 199);
    const cancelled = {
      ...shopifyOrder(id, id, `ref-${id}@example.com`),
      cancelled_at: '2026-03-21T10:00:00-05:00',
      financial_status: 'partially_refunded',
    };
    await sendShopify(club, { topic: 'orders/cancelled', body: cancelled });
    await sendShopify(club, { topic: 'orders/cancelled', body: cancelled });
    await waitForBalance(club, `shopifyCustomerId=${id}`, 0);
    const entries = await ledger(m.memberId);
    expect(entries.map((e) => e.points).sort((a, b) => a - b)).toEqual([-199, -100, -99, 398]);
  });

  it('retries a refund that arrives before its order until the order is there', async () => {
    const id = uid();
    const failuresBefore = queue.stats.failures;
    expect((await sendShopify(club, { topic: 'refunds/create', body: shopifyRefund(`${id}9`, id, '39.80') })).status).toBe(202);
    // Let the refund fail at least once before the order exists.
    await waitFor(async () => (queue.stats.failures > failuresBefore ? true : undefined), 'the refund to fail once');
    await sendShopify(club, { topic: 'orders/paid', body: shopifyOrder(id, id, `early-${id}@example.com`) });
    // 398 − floor(398 × 39.80 / 398) = 359.
    await waitForBalance(club, `shopifyCustomerId=${id}`, 359);
  });

  it('enrols on customers/create and finds the same member on the first order', async () => {
    const id = uid();
    const customer = { ...fixture('shopify-customers-create.json'), id: Number(id), email: `new-${id}@Example.com` };
    await sendShopify(club, { topic: 'customers/create', body: customer });
    const m = await waitFor(() => memberBy(club, `shopifyCustomerId=${id}`), 'the enrolment');
    expect(m).toMatchObject({ email: `new-${id}@example.com`, name: 'Bob Biller', balance: 0 });
    await sendShopify(club, { topic: 'orders/paid', body: shopifyOrder(uid(), id, `new-${id}@example.com`, '25.50') });
    const after = await waitForBalance(club, `shopifyCustomerId=${id}`, 25);
    expect(after.memberId).toBe(m.memberId);
  });

  it('makes one member of a new customer whose first orders arrive together', async () => {
    const id = uid();
    const email = `race-${id}@example.com`;
    const orders = Array.from({ length: 6 }, (_, i) => shopifyOrder(`${id}${i}`, id, email, '10.00'));
    const sends = await Promise.all(orders.map((o) => sendShopify(club, { topic: 'orders/paid', body: o })));
    expect(sends.every((s) => s.status === 202)).toBe(true);
    const m = await waitForBalance(club, `shopifyCustomerId=${id}`, 60);
    expect((await memberBy(club, `email=${email}`)).memberId).toBe(m.memberId);
    expect(await ledger(m.memberId)).toHaveLength(6);
  });
});

describe('WooCommerce', () => {
  it('earns on total − tax − shipping when completed, takes each refund once in proportion, and the rest when refunded', async () => {
    const id = uid();
    const email = `woo-${id}@example.com`;
    const customerId = Number(id);
    // Processing: nothing yet.
    await sendWoo(club, {
      topic: 'order.created',
      body: wooOrder(id, customerId, email, { status: 'processing', date_completed_gmt: null }),
    });
    await sendWoo(club, { topic: 'order.updated', body: wooOrder(id, customerId, email) });
    await sendWoo(club, { topic: 'order.updated', body: wooOrder(id, customerId, email) });
    // 105.00 − 5.00 tax − 10.00 shipping = 90.00 → 90 points.
    const m = await waitForBalance(club, `woocommerceCustomerId=${customerId}`, 90);
    expect(m.email).toBe(email);
    // A refund of 21.00 of the 105.00 total: 20% of the goods → 18 points.
    const refunds = [{ id: Number(`${id}1`), reason: 'damaged', total: '-21.00' }];
    await sendWoo(club, { topic: 'order.updated', body: wooOrder(id, customerId, email, { refunds }) });
    await sendWoo(club, { topic: 'order.updated', body: wooOrder(id, customerId, email, { refunds }) });
    await waitForBalance(club, `woocommerceCustomerId=${customerId}`, 72);
    const both = [{ id: Number(`${id}2`), reason: '', total: '-42.00' }, ...refunds];
    await sendWoo(club, { topic: 'order.updated', body: wooOrder(id, customerId, email, { refunds: both }) });
    await waitForBalance(club, `woocommerceCustomerId=${customerId}`, 36);
    await sendWoo(club, { topic: 'order.updated', body: wooOrder(id, customerId, email, { status: 'refunded', refunds: both }) });
    await waitForBalance(club, `woocommerceCustomerId=${customerId}`, 0);
    const entries = await ledger(m.memberId);
    expect(entries.map((e) => e.points).sort((a, b) => a - b)).toEqual([-36, -36, -18, 90]);
  });

  it('keeps a Shopify order and a WooCommerce order with the same number apart', async () => {
    const id = uid();
    await sendShopify(club, { topic: 'orders/paid', body: shopifyOrder(id, id, `same-${id}@example.com`, '50.00') });
    await sendWoo(club, { topic: 'order.updated', body: wooOrder(id, Number(id), `same-${id}@example.com`) });
    const m = await waitForBalance(club, `email=same-${id}@example.com`, 140);
    expect((await ledger(m.memberId)).map((e) => e.orderId).sort()).toEqual([`shopify:${id}`, `woocommerce:${id}`]);
  });

  it('ignores an order cancelled before it was ever completed', async () => {
    const id = uid();
    const body = wooOrder(id, Number(id), `cancel-${id}@example.com`, {
      status: 'cancelled',
      date_completed_gmt: null,
      date_completed: null,
    });
    const before = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items.length;
    await sendWoo(club, { topic: 'order.updated', body });
    await drained();
    expect(await memberBy(club, `email=cancel-${id}@example.com`)).toBeUndefined();
    expect((await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items.length).toBe(before);
  });
});

describe('failed deliveries', () => {
  it('parks an order in an unknown currency with its reason, never blocking the others', async () => {
    const id = uid();
    const eur = { ...shopifyOrder(id, id, `eur-${id}@example.com`), currency: 'EUR' };
    const text = JSON.stringify(eur);
    await sendShopify(club, { topic: 'orders/paid', body: text });
    await sendShopify(club, { topic: 'orders/paid', body: text }); // the shop retries: still one item
    await sendShopify(club, { topic: 'orders/paid', body: shopifyOrder(uid(), `${id}7`, `fine-${id}@example.com`) });
    await waitForBalance(club, `email=fine-${id}@example.com`, 398);
    const parked = await waitFor(async () => {
      const items = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
      return items.find((d) => d.body === text);
    }, 'the EUR order in the failed list');
    expect(parked).toMatchObject({
      status: 'failed',
      source: 'shopify',
      topic: 'orders/paid',
      reason: { code: 'CURRENCY_MISMATCH' },
      headers: expect.objectContaining({ 'x-shopify-topic': 'orders/paid' }),
    });
    expect(parked.headers['x-shopify-hmac-sha256']).toBeUndefined();
    const items = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
    expect(items.filter((d) => d.body === text)).toHaveLength(1);
    // Replaying without a fix fails again, and it stays listed.
    const replay = await club.api('POST', `/v1/admin/deliveries/${parked.id}/replay`);
    expect(replay.status).toBe(422);
    expect(replay.body.error.code).toBe('REPLAY_FAILED');
    expect(replay.body.error.details[0].path).toBe('CURRENCY_MISMATCH');
  });

  it('parks malformed orders and unknown topics', async () => {
    const id = uid();
    const broken = '{"id": 1, "currency": "USD", "subtotal_price": "abc"';
    await sendShopify(club, { topic: 'orders/paid', body: broken });
    await sendShopify(club, { topic: 'orders/paid', body: { id: Number(id), currency: 'USD', subtotal_price: 'twelve' } });
    await sendShopify(club, { topic: 'products/create', body: { id: Number(id), title: 'Hat' } });
    const reasons = await waitFor(async () => {
      const items = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
      const mine = items.filter((d) => d.body === broken || d.body.includes(`"id":${id}`));
      return mine.length === 3 ? mine.map((d) => d.reason.code).sort() : undefined;
    }, 'three parked deliveries');
    expect(reasons).toEqual(['MALFORMED_PAYLOAD', 'MALFORMED_PAYLOAD', 'UNKNOWN_TOPIC']);
  });

  it('parks a refund whose order never comes, and replays it once the order is there', async () => {
    const id = uid();
    const dlqBefore = (await queue.depth()).dlq;
    const refund = shopifyRefund(`${id}5`, id, '199.00');
    const text = JSON.stringify(refund);
    await sendShopify(club, { topic: 'refunds/create', body: text });
    const parked = await waitFor(
      async () => {
        const items = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
        return items.find((d) => d.body === text);
      },
      'the orphan refund to be parked',
      20_000,
    );
    expect(parked.reason.code).toBe('ORDER_NOT_FOUND');
    expect(parked.attempts).toBe(3);
    expect((await queue.depth()).dlq).toBe(dlqBefore);

    await sendShopify(club, { topic: 'orders/paid', body: shopifyOrder(id, id, `late-${id}@example.com`) });
    await waitForBalance(club, `shopifyCustomerId=${id}`, 398);
    const replay = await club.api('POST', `/v1/admin/deliveries/${parked.id}/replay`);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ id: parked.id, status: 'replayed', effects: [{ kind: 'refund', points: -199 }] });
    await waitForBalance(club, `shopifyCustomerId=${id}`, 199);
    // A second replay changes nothing.
    const again = await club.api('POST', `/v1/admin/deliveries/${parked.id}/replay`);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    expect((await memberBy(club, `shopifyCustomerId=${id}`)).balance).toBe(199);
    const failed = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
    expect(failed.find((d) => d.id === parked.id)).toBeUndefined();
    const replayed = (await club.api('GET', '/v1/admin/deliveries?status=replayed')).body.items as any[];
    expect(replayed.find((d) => d.id === parked.id)).toMatchObject({ status: 'replayed' });
  });

  it('replays a malformed order with the body staff corrected, once', async () => {
    const id = uid();
    const email = `fix-${id}@example.com`;
    const broken = JSON.stringify({ ...shopifyOrder(id, id, email), subtotal_price: '12,50' });
    await sendShopify(club, { topic: 'orders/paid', body: broken, eventId: `evt-fix-${id}` });
    const parked = await waitFor(async () => {
      const items = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
      return items.find((d) => d.body === broken);
    }, 'the malformed order in the failed list');
    expect(parked.reason).toMatchObject({ code: 'MALFORMED_PAYLOAD', message: expect.stringContaining('subtotal_price') });

    // A body that isn't a string is refused at the edge and changes nothing.
    const refused = await club.api('POST', `/v1/admin/deliveries/${parked.id}/replay`, { body: { subtotal_price: '12.50' } });
    expect(refused.status).toBe(400);
    // A correction that is still wrong fails again; the delivery stays listed with its original body.
    const stillBad = await club.api('POST', `/v1/admin/deliveries/${parked.id}/replay`, { body: broken.replace('12,50', 'twelve') });
    expect(stillBad.status).toBe(422);
    expect(stillBad.body.error.details[0].path).toBe('MALFORMED_PAYLOAD');
    const relisted = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items.find(
      (d: any) => d.id === parked.id,
    );
    expect(relisted).toMatchObject({ body: broken, attempts: parked.attempts + 1 });

    const fixed = broken.replace('12,50', '12.50');
    const replay = await club.api('POST', `/v1/admin/deliveries/${parked.id}/replay`, { body: fixed });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({
      id: parked.id,
      status: 'replayed',
      duplicate: false,
      effects: [{ kind: 'earn', points: 12, orderId: `shopify:${id}` }],
    });
    const m = await waitForBalance(club, `shopifyCustomerId=${id}`, 12);
    expect(m.email).toBe(email);
    // Listed as replayed, keeping what the shop sent and what staff made of it.
    const replayed = (await club.api('GET', '/v1/admin/deliveries?status=replayed&limit=100')).body.items.find(
      (d: any) => d.id === parked.id,
    );
    expect(replayed).toMatchObject({ status: 'replayed', body: broken, replayedBody: fixed });
    expect(
      (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items.find((d: any) => d.id === parked.id),
    ).toBeUndefined();

    // Again, with the corrected body or a different one: nothing more.
    const again = await club.api('POST', `/v1/admin/deliveries/${parked.id}/replay`, { body: broken.replace('12,50', '99.00') });
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    expect((await memberBy(club, `shopifyCustomerId=${id}`)).balance).toBe(12);
    expect(await ledger(m.memberId)).toHaveLength(1);
  });

  it('lets the order id decide when a corrected body names an order already applied', async () => {
    const id = uid();
    const email = `late-fix-${id}@example.com`;
    const broken = JSON.stringify({ ...shopifyOrder(id, id, email), subtotal_price: 'n/a' });
    await sendShopify(club, { topic: 'orders/paid', body: broken });
    const parked = await waitFor(async () => {
      const items = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
      return items.find((d) => d.body === broken);
    }, 'the malformed order in the failed list');
    // Meanwhile the shop sent the order again, well formed: it earned.
    await sendShopify(club, { topic: 'orders/paid', body: shopifyOrder(id, id, email, '40.00') });
    const m = await waitForBalance(club, `shopifyCustomerId=${id}`, 40);
    // Staff's correction (with another amount) finds the order applied: no second earn.
    const replay = await club.api('POST', `/v1/admin/deliveries/${parked.id}/replay`, { body: broken.replace('n/a', '45.00') });
    expect(replay.status).toBe(200);
    expect(replay.body.effects).toMatchObject([{ kind: 'earn', orderId: `shopify:${id}`, points: 40, duplicate: true }]);
    expect((await memberBy(club, `shopifyCustomerId=${id}`)).balance).toBe(40);
    expect(await ledger(m.memberId)).toHaveLength(1);
  });

  it('lets staff dismiss a delivery the club will never apply (an unknown topic), recording who and why, once', async () => {
    const id = uid();
    await sendShopify(club, { topic: 'products/update', body: { id: Number(id), title: 'Scarf' } });
    const parked = await waitFor(async () => {
      const items = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
      return items.find((d) => d.body.includes(`"id":${id}`));
    }, 'the unknown topic in the failed list');
    expect(parked.reason.code).toBe('UNKNOWN_TOPIC');
    // A reason is required; nothing changes without one.
    const noReason = await club.api('POST', `/v1/admin/deliveries/${parked.id}/dismiss`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.details[0].path).toMatch(/reason$/);
    const dismissed = await club.api(
      'POST',
      `/v1/admin/deliveries/${parked.id}/dismiss`,
      { reason: 'product updates are not club events' },
      { 'x-loyalty-actor': 'sara' },
    );
    expect(dismissed.status).toBe(200);
    expect(dismissed.body).toMatchObject({
      id: parked.id,
      status: 'dismissed',
      dismissedBy: 'sara',
      dismissReason: 'product updates are not club events',
    });
    const failed = (await club.api('GET', '/v1/admin/deliveries?status=failed&limit=100')).body.items as any[];
    expect(failed.find((d) => d.id === parked.id)).toBeUndefined();
    const listed = (await club.api('GET', '/v1/admin/deliveries?status=dismissed&limit=100')).body.items as any[];
    expect(listed.find((d) => d.id === parked.id)).toMatchObject({ dismissedBy: 'sara', body: parked.body });
    // Again: what was recorded; a replay finds nothing to apply.
    const again = await club.api('POST', `/v1/admin/deliveries/${parked.id}/dismiss`, { reason: 'another reason' });
    expect(again.body).toMatchObject({ status: 'dismissed', dismissReason: 'product updates are not club events' });
    expect((await club.api('POST', `/v1/admin/deliveries/${parked.id}/replay`, {})).status).toBe(404);
    expect((await club.api('POST', `/v1/admin/deliveries/deliveries-${'0'.repeat(32)}/dismiss`, { reason: 'x' })).status).toBe(404);
  });

  it('needs the API token to list or replay', async () => {
    const res = await club.api('GET', '/v1/admin/deliveries', undefined, { authorization: undefined });
    expect(res.status).toBe(401);
    const replay = await club.api('POST', '/v1/admin/deliveries/shopify-00000000000000000000000000000000/replay');
    expect(replay.status).toBe(404);
  });
});

describe('generic signed webhook', () => {
  it('earns, refunds and cancels through the documented JSON', async () => {
    const id = uid();
    const email = `gen-${id}@example.com`;
    const paid = { event: 'order.paid', orderId: `INV-${id}`, amount: '120.00', currency: 'USD', customer: { email, name: 'Gen Eric' } };
    expect((await sendGeneric(club, paid, { eventId: `e-${id}` })).status).toBe(202);
    expect((await sendGeneric(club, paid, { eventId: `e-${id}` })).status).toBe(202);
    const m = await waitForBalance(club, `email=${email}`, 120);
    await sendGeneric(club, { event: 'order.refunded', orderId: `INV-${id}`, refundId: 'CR-1', amount: '30.00' });
    await waitForBalance(club, `email=${email}`, 90);
    await sendGeneric(club, { event: 'order.cancelled', orderId: `INV-${id}` });
    await waitForBalance(club, `email=${email}`, 0);
    expect((await ledger(m.memberId)).map((e) => e.orderId)).toEqual([`generic:INV-${id}`, `generic:INV-${id}`, `generic:INV-${id}`]);
    expect((await sendGeneric(club, paid, { signature: 'sha256=00' })).status).toBe(401);
  });
});
