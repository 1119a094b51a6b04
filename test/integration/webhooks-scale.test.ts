/**
 * Issue #3's scale scenario through the real path (HTTP receiver → fauxqs queue
 * → batch consumer → DynamoDB Local): 2,000 signed deliveries for 200 customers,
 * Shopify and WooCommerce mixed, built from the platforms' own payloads; 30% of
 * them sent again (with the same or a new delivery id), all shuffled, so many
 * refunds and cancellations arrive before their orders; 5% poison (unknown
 * currency, malformed order, unknown topic).
 *
 * The expectation is computed here, from the generated orders alone, by the
 * documented rules (1 point per whole USD, rounded down; a take-back is
 * floor(earned × refunded so far / paid), cumulative; a cancellation or a
 * WooCommerce `refunded` status takes back all the order earned). Then the poison's
 * cause is fixed (EUR at a fixed rate in the program; malformed bodies corrected)
 * and the failed deliveries replayed, twice: the fix applies once.
 */
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookQueueService, type WebhookQueueService } from '../../local/webhook-queue';
import { startTestClub, type TestClub } from '../support/club';
import { expectBalanceMatchesLedger, rawLedger } from '../support/ledger';
import { fixture, SHOPIFY_SECRET, useWebhookSecrets, WOO_SECRET } from '../support/webhooks';

const CUSTOMERS = 200;
const DELIVERIES = 2_000;
const POISON = Math.round(DELIVERIES * 0.05);
/** First deliveries of good orders: what is left after 30% redelivered and 5% poison (give or take an order's refunds). */
const GOOD = DELIVERIES - Math.round(DELIVERIES * 0.3) - POISON;
/** Fixed, so a failure can be replayed; SCALE_SEED=… tries another shuffle. */
const SEED = Number(process.env.SCALE_SEED ?? 20261123);
const EUR_RATE = { num: 108n, den: 100n }; // the fix: 1 EUR counts as 1.08 USD

let club: TestClub;
let queue: WebhookQueueService;

beforeAll(async () => {
  useWebhookSecrets();
  // A refund that comes before its order fails and comes back after the visibility
  // timeout (2 s here, 60 s on AWS); enough receives that none is parked while its
  // order is still on the way. Four poll loops, like the event source mapping's
  // maxConcurrency of 5: the consumer keeps up with the senders (with two loops it
  // was still draining 14–26 s after the last send on this 2-core machine; four, ~6 s).
  queue = webhookQueueService({ visibilityTimeoutSeconds: 2, waitTimeSeconds: 1, batchWindowMs: 50, maxReceives: 100, concurrency: 4 });
  club = await startTestClub({ services: [queue] });
});
afterAll(() => club?.stop());

/** mulberry32: a small seeded PRNG, so the scenario is the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!,
    shuffle<T>(xs: T[]): T[] {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j]!, xs[i]!];
      }
      return xs;
    },
  };
}

const money = (cents: number | bigint) => {
  const c = BigInt(cents);
  return `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
};

interface Customer {
  readonly n: number;
  readonly email: string;
  readonly shopifyId?: number;
  readonly wooId?: number;
  /** The shops that sent a well-formed order or sign-up naming this customer: only they know the member by their id. */
  readonly seenBy: Set<'shopify' | 'woocommerce'>;
}

/** What an order should come to, by the rules, however its deliveries arrive. */
interface Order {
  readonly source: 'shopify' | 'woocommerce';
  readonly id: number;
  readonly customer: Customer;
  /** What earns, in cents of the order's currency (Shopify subtotal; WooCommerce total − tax − shipping). */
  readonly paidCents: bigint;
  /** Refunded amounts counted against paidCents, as numerator/denominator (WooCommerce refunds are in proportion). */
  refunded: { num: bigint; den: bigint };
  refundIds: string[];
  /** Cancelled, or WooCommerce status refunded: all of it goes back. */
  all: boolean;
  /** Poison in EUR: earns only after the program takes EUR. */
  readonly eur?: boolean;
  /** Poison: applies only when replayed with the corrected body. */
  readonly malformed?: boolean;
}

function earned(o: Order): bigint {
  const paid = o.eur ? (o.paidCents * EUR_RATE.num) / EUR_RATE.den : o.paidCents;
  return paid / 100n; // floor: 1 point per whole unit
}

function takenBack(o: Order): bigint {
  const points = earned(o);
  if (o.all) return points;
  // floor(points × refunded / paid), refunded = num/den cents.
  const { num, den } = o.refunded;
  return num >= o.paidCents * den ? points : (points * num) / (o.paidCents * den);
}

type PoisonKind = 'currency' | 'malformed' | 'topic';

interface Delivery {
  readonly source: 'shopify' | 'woocommerce';
  readonly topic: string;
  readonly body: string;
  /** Shopify's X-Shopify-Event-Id (kept on a same-delivery retry, new otherwise). */
  readonly eventId?: string;
  /** The order a take-back needs applied first. */
  readonly needsOrder?: string;
  readonly earnsOrder?: string;
  readonly poison?: { kind: PoisonKind; reason: string; fixedBody?: string };
}

function scenario() {
  const rnd = prng(SEED);
  const run = Date.now() % 100_000;
  const customers: Customer[] = Array.from({ length: CUSTOMERS }, (_, n) => {
    const shops = n % 5 === 0 ? 'both' : n % 2 === 0 ? 'shopify' : 'woocommerce';
    return {
      n,
      email: `scale-${run}-${n}@example.com`,
      shopifyId: shops !== 'woocommerce' ? 7_000_000_000_000 + run * 1000 + n : undefined,
      wooId: shops !== 'shopify' ? 500_000 + n : undefined,
      seenBy: new Set(),
    };
  });
  // Shops send the customer's email as they got it: sometimes capitalised.
  const emailAsTyped = (c: Customer) => (rnd.chance(0.2) ? c.email.replace(/^s/, 'S').replace('example.com', 'Example.COM') : c.email);

  const shopifyTemplate = fixture('shopify-orders-paid.json');
  const refundTemplate = fixture('shopify-refunds-create.json');
  const customerTemplate = fixture('shopify-customers-create.json');
  const wooTemplate = fixture('woocommerce-order-completed.json');

  const orders: Order[] = [];
  const good: Delivery[] = [];
  let nextOrder = 0;
  const orderId = (source: Order['source']) =>
    source === 'shopify' ? 9_000_000_000_000 + run * 10_000 + nextOrder++ : 100_000 + nextOrder++;

  function shopifyOrderBody(o: { id: number; customer: Customer; cents: bigint; currency?: string; subtotal?: string }) {
    const email = emailAsTyped(o.customer);
    const tax = (o.cents * 6n) / 100n;
    return {
      ...shopifyTemplate,
      id: o.id,
      admin_graphql_api_id: `gid://shopify/Order/${o.id}`,
      name: `#${o.id % 100_000}`,
      order_number: o.id % 100_000,
      number: o.id % 100_000,
      email,
      contact_email: email,
      currency: o.currency ?? 'USD',
      presentment_currency: o.currency ?? 'USD',
      subtotal_price: o.subtotal ?? money(o.cents),
      current_subtotal_price: money(o.cents),
      total_tax: money(tax),
      total_price: money(o.cents + tax + 1000n),
      customer: {
        ...shopifyTemplate.customer,
        id: o.customer.shopifyId,
        email,
        first_name: `Customer${o.customer.n}`,
        admin_graphql_api_id: `gid://shopify/Customer/${o.customer.shopifyId}`,
      },
    };
  }

  function wooOrderBody(o: {
    id: number;
    customer: Customer;
    totalCents: bigint;
    status: string;
    refunds?: { id: number; cents: bigint }[];
    currency?: string;
    total?: string;
  }) {
    // total = net × 1.25: tax + shipping are a fifth of it, so net / total = 0.8 exactly.
    const rest = o.totalCents / 5n;
    const shipping = rest / 2n;
    const completed = o.status !== 'processing';
    return {
      ...wooTemplate,
      id: o.id,
      number: String(o.id),
      order_key: `wc_order_${o.id.toString(36)}`,
      status: o.status,
      currency: o.currency ?? 'USD',
      total: o.total ?? money(o.totalCents),
      total_tax: money(rest - shipping),
      cart_tax: money(rest - shipping),
      shipping_total: money(shipping),
      customer_id: o.customer.wooId,
      billing: { ...wooTemplate.billing, email: emailAsTyped(o.customer), first_name: `Customer${o.customer.n}` },
      date_completed_gmt: completed ? wooTemplate.date_completed_gmt : null,
      date_completed: completed ? wooTemplate.date_completed : null,
      // WooCommerce lists refunds newest first, each with its total negative.
      refunds: [...(o.refunds ?? [])].reverse().map((r) => ({ id: r.id, reason: '', total: `-${money(r.cents)}` })),
    };
  }

  function addShopifyOrder(c: Customer) {
    const id = orderId('shopify');
    const cents = BigInt(rnd.int(500, 60_000));
    const o: Order = { source: 'shopify', id, customer: c, paidCents: cents, refunded: { num: 0n, den: 1n }, refundIds: [], all: false };
    orders.push(o);
    c.seenBy.add('shopify');
    const key = `shopify:${id}`;
    good.push({
      source: 'shopify',
      topic: 'orders/paid',
      body: JSON.stringify(shopifyOrderBody({ id, customer: c, cents })),
      earnsOrder: key,
    });
    let left = cents;
    const refunds = rnd.chance(0.3) ? rnd.int(1, 2) : 0;
    for (let r = 0; r < refunds && left > 100n; r++) {
      const part = BigInt(rnd.int(100, Number(left) - (r === refunds - 1 ? 0 : 1)));
      left -= part;
      const refundId = id * 10 + r + 1;
      o.refunded = { num: o.refunded.num + part, den: 1n };
      o.refundIds.push(String(refundId));
      const body = {
        ...refundTemplate,
        id: refundId,
        order_id: id,
        admin_graphql_api_id: `gid://shopify/Refund/${refundId}`,
        refund_line_items: [
          {
            ...refundTemplate.refund_line_items[0],
            subtotal: Number(money(part)),
            subtotal_set: {
              shop_money: { amount: money(part), currency_code: 'USD' },
              presentment_money: { amount: money(part), currency_code: 'USD' },
            },
          },
        ],
        transactions: [{ ...refundTemplate.transactions[0], order_id: id, amount: money(part) }],
      };
      good.push({ source: 'shopify', topic: 'refunds/create', body: JSON.stringify(body), needsOrder: key });
    }
    if (rnd.chance(0.08)) {
      o.all = true;
      const body = {
        ...shopifyOrderBody({ id, customer: c, cents }),
        cancelled_at: '2026-03-21T10:00:00-05:00',
        cancel_reason: 'customer',
        financial_status: o.refundIds.length ? 'partially_refunded' : 'paid',
      };
      good.push({ source: 'shopify', topic: 'orders/cancelled', body: JSON.stringify(body), needsOrder: key });
    }
  }

  function addWooOrder(c: Customer) {
    const id = orderId('woocommerce');
    const net = BigInt(rnd.int(125, 15_000)) * 4n; // cents, a multiple of 4 so total = net × 1.25 is whole
    const totalCents = (net * 5n) / 4n;
    const o: Order = { source: 'woocommerce', id, customer: c, paidCents: net, refunded: { num: 0n, den: 1n }, refundIds: [], all: false };
    orders.push(o);
    c.seenBy.add('woocommerce');
    const key = `woocommerce:${id}`;
    if (rnd.chance(0.2))
      good.push({
        source: 'woocommerce',
        topic: 'order.created',
        body: JSON.stringify(wooOrderBody({ id, customer: c, totalCents, status: 'processing' })),
      });
    good.push({
      source: 'woocommerce',
      topic: 'order.updated',
      body: JSON.stringify(wooOrderBody({ id, customer: c, totalCents, status: 'completed' })),
      earnsOrder: key,
    });
    const refunds: { id: number; cents: bigint }[] = [];
    let left = totalCents;
    const n = rnd.chance(0.3) ? rnd.int(1, 2) : 0;
    for (let r = 0; r < n && left > 100n; r++) {
      const cents = BigInt(rnd.int(100, Number(left) - 1));
      left -= cents;
      refunds.push({ id: id * 10 + r + 1, cents });
      o.refundIds.push(String(id * 10 + r + 1));
      // A refund counts |total| × net / total against net: refunded / paid = cents / total.
      o.refunded = { num: refunds.reduce((s, x) => s + x.cents, 0n) * net, den: totalCents };
      // Every refund is an order.updated carrying the whole order with all its refunds so far.
      good.push({
        source: 'woocommerce',
        topic: 'order.updated',
        body: JSON.stringify(wooOrderBody({ id, customer: c, totalCents, status: 'completed', refunds })),
        earnsOrder: key,
      });
    }
    if (rnd.chance(0.08)) {
      o.all = true;
      good.push({
        source: 'woocommerce',
        topic: 'order.updated',
        body: JSON.stringify(wooOrderBody({ id, customer: c, totalCents, status: rnd.pick(['refunded', 'cancelled']), refunds })),
        needsOrder: key,
      });
    }
  }

  // Some Shopify customers sign up before they buy.
  for (const c of customers) {
    if (c.shopifyId && rnd.chance(0.3)) {
      const body = {
        ...customerTemplate,
        id: c.shopifyId,
        email: emailAsTyped(c),
        first_name: `Customer${c.n}`,
        admin_graphql_api_id: `gid://shopify/Customer/${c.shopifyId}`,
      };
      good.push({ source: 'shopify', topic: 'customers/create', body: JSON.stringify(body) });
      c.seenBy.add('shopify');
    }
  }
  // Orders round the customers until the first deliveries are all there (a few more
  // at most: an order's refunds come with it; the redeliveries make up the rest).
  for (let i = 0; good.length < GOOD; i++) {
    const c = customers[i % CUSTOMERS]!;
    const source = c.shopifyId && c.wooId ? rnd.pick(['shopify', 'woocommerce'] as const) : c.shopifyId ? 'shopify' : 'woocommerce';
    if (source === 'shopify') addShopifyOrder(c);
    else addWooOrder(c);
  }
  // Poison: unknown currency, malformed orders, unknown topics.
  const poison: Delivery[] = [];
  for (let i = 0; i < POISON; i++) {
    const c = customers[(i * 7) % CUSTOMERS]!;
    const kind: PoisonKind = i < 40 ? 'currency' : i < 70 ? 'malformed' : 'topic';
    const source: Order['source'] = c.shopifyId && (!c.wooId || i % 2 === 0) ? 'shopify' : 'woocommerce';
    const id = orderId(source);
    if (kind === 'topic') {
      const body =
        source === 'shopify'
          ? JSON.stringify({ ...shopifyOrderBody({ id, customer: c, cents: 1000n }), fulfillment_status: 'fulfilled' })
          : JSON.stringify({ id, status: 'active', billing_period: 'month', customer_id: c.wooId, total: '19.00' });
      poison.push({
        source,
        topic: source === 'shopify' ? rnd.pick(['orders/fulfilled', 'products/create', 'checkouts/create']) : 'subscription.renewed',
        body,
        poison: { kind, reason: 'UNKNOWN_TOPIC' },
      });
      continue;
    }
    if (source === 'shopify') {
      const cents = BigInt(rnd.int(500, 60_000));
      const good = shopifyOrderBody({ id, customer: c, cents, currency: kind === 'currency' ? 'EUR' : 'USD' });
      orders.push({
        source,
        id,
        customer: c,
        paidCents: cents,
        refunded: { num: 0n, den: 1n },
        refundIds: [],
        all: false,
        eur: kind === 'currency',
        malformed: kind === 'malformed',
      });
      const fixed = JSON.stringify(good);
      const body =
        kind === 'currency'
          ? fixed
          : i % 3 === 0
            ? fixed.slice(0, fixed.length - 40) // cut off in transit: not JSON
            : JSON.stringify({ ...good, subtotal_price: money(cents).replace('.', ',') }); // a decimal comma
      poison.push({
        source,
        topic: 'orders/paid',
        body,
        earnsOrder: `shopify:${id}`,
        poison: {
          kind,
          reason: kind === 'currency' ? 'CURRENCY_MISMATCH' : 'MALFORMED_PAYLOAD',
          fixedBody: kind === 'malformed' ? fixed : undefined,
        },
      });
    } else {
      const net = BigInt(rnd.int(125, 15_000)) * 4n;
      const totalCents = (net * 5n) / 4n;
      const good = wooOrderBody({ id, customer: c, totalCents, status: 'completed', currency: kind === 'currency' ? 'EUR' : 'USD' });
      orders.push({
        source,
        id,
        customer: c,
        paidCents: net,
        refunded: { num: 0n, den: 1n },
        refundIds: [],
        all: false,
        eur: kind === 'currency',
        malformed: kind === 'malformed',
      });
      const fixed = JSON.stringify(good);
      const body = kind === 'currency' ? fixed : JSON.stringify({ ...good, total: 'N/A' });
      poison.push({
        source,
        topic: 'order.updated',
        body,
        earnsOrder: `woocommerce:${id}`,
        poison: {
          kind,
          reason: kind === 'currency' ? 'CURRENCY_MISMATCH' : 'MALFORMED_PAYLOAD',
          fixedBody: kind === 'malformed' ? fixed : undefined,
        },
      });
    }
  }

  // Every first delivery gets its own Shopify event id; 30% are sent again,
  // half as the same delivery (same event id), half as a new one.
  const firsts = [...good, ...poison].map((d, i) => ({ ...d, eventId: d.source === 'shopify' ? `evt-${run}-${i}` : undefined }));
  const again: Delivery[] = Array.from({ length: DELIVERIES - firsts.length }, (_, i) => {
    const d = rnd.pick(firsts);
    return { ...d, eventId: d.source === 'shopify' ? (rnd.chance(0.5) ? d.eventId : `evt-${run}-again-${i}`) : undefined };
  });
  const deliveries = rnd.shuffle([...firsts, ...again]);
  return { customers, orders, deliveries, poison };
}

function send(d: Delivery) {
  const headers: Record<string, string | undefined> =
    d.source === 'shopify'
      ? {
          authorization: undefined,
          'content-type': 'application/json',
          'x-shopify-topic': d.topic,
          'x-shopify-hmac-sha256': createHmac('sha256', SHOPIFY_SECRET).update(d.body).digest('base64'),
          'x-shopify-shop-domain': 'scale.myshopify.com',
          'x-shopify-api-version': '2025-10',
          'x-shopify-webhook-id': d.eventId,
          'x-shopify-event-id': d.eventId,
        }
      : {
          authorization: undefined,
          'content-type': 'application/json',
          'x-wc-webhook-topic': d.topic,
          'x-wc-webhook-resource': d.topic.split('.')[0],
          'x-wc-webhook-event': d.topic.split('.')[1],
          'x-wc-webhook-signature': createHmac('sha256', WOO_SECRET).update(d.body).digest('base64'),
          'x-wc-webhook-id': '12',
          'x-wc-webhook-delivery-id': String(Math.floor(Math.random() * 1e9)),
        };
  return club.api('POST', d.source === 'shopify' ? '/v1/webhooks/shopify' : '/v1/webhooks/woocommerce', d.body, headers);
}

async function inParallel<T>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

async function failedDeliveries(status: 'failed' | 'replayed' = 'failed'): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const res = await club.api(
      'GET',
      `/v1/admin/deliveries?status=${status}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(res.status).toBe(200);
    items.push(...res.body.items);
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** Each customer's member, as the first full check found it by email. */
const memberOf = new Map<number, string>();

/**
 * Every customer given is one member, found by email and by each shop's id, with the balance
 * the orders say; with `everyone`, the rest are checked by their balances in the directory.
 */
async function expectBalances(
  customers: readonly Customer[],
  orders: Order[],
  options: { withFixedPoison: boolean; everyone?: readonly Customer[] },
) {
  const expected = new Map<number, bigint>();
  for (const o of orders) {
    if ((o.eur || o.malformed) && !options.withFixedPoison) continue;
    expected.set(o.customer.n, (expected.get(o.customer.n) ?? 0n) + earned(o) - takenBack(o));
  }
  const wrong: string[] = [];
  const memberIds = new Set<string>();
  await inParallel(customers, 8, async (c) => {
    const byEmail = (await club.api('GET', `/v1/members?email=${encodeURIComponent(c.email)}`)).body.items;
    expect(byEmail, c.email).toHaveLength(1);
    const member = byEmail[0];
    memberIds.add(member.memberId);
    memberOf.set(c.n, member.memberId);
    for (const [shop, query, id] of [
      ['shopify', 'shopifyCustomerId', c.shopifyId],
      ['woocommerce', 'woocommerceCustomerId', c.wooId],
    ] as const) {
      if (id === undefined) continue;
      // A shop that only sent poison for this customer may or may not have been linked yet; never to another member.
      const found = (await club.api('GET', `/v1/members?${query}=${id}`)).body.items;
      if (c.seenBy.has(shop))
        expect(
          found.map((m: any) => m.memberId),
          `${c.email} by ${query}`,
        ).toEqual([member.memberId]);
      else
        expect(
          found.map((m: any) => m.memberId),
          `${c.email} by ${query}`,
        ).toEqual(found.length ? [member.memberId] : []);
    }
    const want = Number(expected.get(c.n) ?? 0n);
    if (member.balance !== want) wrong.push(`${c.email}: ${member.balance}, expected ${want}`);
    expect(await expectBalanceMatchesLedger(club, member.memberId)).toBe(member.balance);
    // Exactly once: one earn per order, one take-back per refund id.
    const entries = await rawLedger(club.client, club.tableName, member.memberId);
    const keys = entries.map((e) => `${e.type}|${e.orderId}|${e.refundId ?? ''}`);
    expect(new Set(keys).size, `${c.email} has a ledger entry twice`).toBe(keys.length);
  });
  expect(wrong).toEqual([]);
  // And no one else: every member in the club's directory is one of the customers.
  const balances = new Map<string, number>();
  let cursor: string | undefined;
  do {
    const page = await club.api('GET', `/v1/admin/members?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    for (const m of page.body.items) balances.set(m.memberId, m.balance);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  if (!options.everyone) {
    expect([...balances.keys()].sort()).toEqual([...memberIds].sort());
    return;
  }
  // Checked in part: still one member per customer (the members the full check found), each
  // customer's balance as the orders say, read from the directory's pages.
  expect(balances.size).toBe(options.everyone.length);
  const off = options.everyone
    .filter((c) => balances.get(memberOf.get(c.n)!) !== Number(expected.get(c.n) ?? 0n))
    .map((c) => `${c.email}: ${balances.get(memberOf.get(c.n)!)}, expected ${expected.get(c.n) ?? 0n}`);
  expect(off).toEqual([]);
}

describe('2,000 deliveries for 200 customers, shuffled, redelivered, with poison', () => {
  it('applies every order and refund exactly once, parks the poison with reasons, and applies it once after the fix', {
    timeout: 300_000,
  }, async () => {
    const { customers, orders, deliveries, poison } = scenario();
    expect(deliveries).toHaveLength(DELIVERIES);
    const redelivered = DELIVERIES - new Set(deliveries.map((d) => d.body)).size;
    expect(redelivered / DELIVERIES).toBeGreaterThan(0.28);
    // The shuffle really does put take-backs before their orders.
    const firstEarn = new Map<string, number>();
    for (const [i, d] of deliveries.entries()) if (d.earnsOrder && !firstEarn.has(d.earnsOrder)) firstEarn.set(d.earnsOrder, i);
    const early = deliveries.filter((d, i) => d.needsOrder && i < firstEarn.get(d.needsOrder)!).length;
    expect(early).toBeGreaterThan(20);

    const started = performance.now();
    const before = { ...queue.stats };
    await inParallel(deliveries, 16, async (d) => {
      const res = await send(d);
      expect(res.status, res.text).toBe(202);
    });
    const sentAt = performance.now();
    // Polled every 250 ms, not waitFor's 50: the queue's depth costs the consumer's CPU too.
    for (const deadline = Date.now() + 240_000; ; await sleep(250)) {
      const depth = await queue.depth();
      if (depth.queue + depth.inFlight === 0) break;
      if (Date.now() > deadline) throw new Error(`the queue did not drain: ${JSON.stringify(depth)}`);
    }
    const drainedAt = performance.now();
    const depth = await queue.depth();
    expect(depth.dlq).toBe(0);
    const stats = {
      deliveries: DELIVERIES,
      refundsBeforeOrders: early,
      sendSeconds: Math.round((sentAt - started) / 100) / 10,
      drainSeconds: Math.round((drainedAt - started) / 100) / 10,
      deliveriesPerSecond: Math.round(DELIVERIES / ((drainedAt - started) / 1000)),
      invocations: queue.stats.invocations - before.invocations,
      records: queue.stats.records - before.records,
      retried: queue.stats.failures - before.failures,
      dynamoCalls: queue.stats.dynamoCalls - before.dynamoCalls,
      wcu: Math.round(queue.stats.writeCapacityUnits - before.writeCapacityUnits),
      rcu: Math.round(queue.stats.readCapacityUnits - before.readCapacityUnits),
    };
    console.log(`[scale] ${JSON.stringify(stats)}`);
    // Each delivery finished once or more: a record the consumer failed comes back,
    // and one whose batch outlasted the visibility timeout may be received again
    // while it is still being applied (SQS is at least once; the keys absorb it).
    expect(stats.records - stats.retried).toBeGreaterThanOrEqual(DELIVERIES);
    // Take-backs that came before their orders were retried, not lost or parked.
    expect(stats.retried).toBeGreaterThan(0);

    // The balances without the poison; balance == sum(ledger); one member per customer.
    await expectBalances(customers, orders, { withFixedPoison: false });
    const checkedAt = performance.now();

    // The poison, each once however often sent, with its reason; nothing else failed.
    const failed = await failedDeliveries();
    expect(failed.map((d) => d.body).sort()).toEqual(poison.map((p) => p.body).sort());
    const byBody = new Map(poison.map((p) => [p.body, p]));
    for (const d of failed) {
      const p = byBody.get(d.body)!;
      expect(d, d.body.slice(0, 80)).toMatchObject({
        status: 'failed',
        source: p.source,
        topic: p.topic,
        reason: { code: p.poison!.reason, message: expect.any(String) },
      });
      expect(d.reason.message.length).toBeGreaterThan(10);
    }

    // Fix the cause: the program takes EUR at a fixed rate.
    const program = (await club.api('GET', '/v1/admin/program')).body;
    const saved = await club.api('PUT', '/v1/admin/program', {
      ...program,
      earning: { ...program.earning, currencies: { ...program.earning.currencies, EUR: '1.08' } },
    });
    expect(saved.status, saved.text).toBe(200);

    // Replay: unknown currency as sent, malformed with the corrected body; unknown topics stay failed.
    const replayAll = async (round: number) => {
      const outcomes = new Map<string, number>();
      await inParallel(failed, 4, async (d) => {
        const p = byBody.get(d.body)!.poison!;
        const res = await club.api('POST', `/v1/admin/deliveries/${d.id}/replay`, p.fixedBody ? { body: p.fixedBody } : undefined);
        if (p.kind === 'topic') {
          expect(res.status).toBe(422);
          expect(res.body.error.details[0].path).toBe('UNKNOWN_TOPIC');
        } else {
          expect(res.status, res.text).toBe(200);
          expect(res.body.duplicate).toBe(round > 1);
          if (round === 1) expect(res.body.effects).toMatchObject([{ kind: 'earn', duplicate: false }]);
        }
        outcomes.set(p.kind, (outcomes.get(p.kind) ?? 0) + 1);
      });
      return outcomes;
    };
    const replayStarted = performance.now();
    await replayAll(1);
    const replayedAt = performance.now();
    // A replay touches only the member its delivery names: the poison's customers are checked again
    // in full, everyone else by the balance the directory lists.
    const poisoned = customers.filter((c) => orders.some((o) => o.customer === c && (o.eur || o.malformed)));
    expect(poisoned.length).toBeGreaterThan(20);
    await expectBalances(poisoned, orders, { withFixedPoison: true, everyone: customers });
    // Replaying again changes nothing.
    await replayAll(2);
    await expectBalances(poisoned, orders, { withFixedPoison: true, everyone: customers });

    const stillFailed = await failedDeliveries();
    expect(stillFailed).toHaveLength(poison.filter((p) => p.poison!.kind === 'topic').length);
    expect(new Set(stillFailed.map((d) => d.reason.code))).toEqual(new Set(['UNKNOWN_TOPIC']));
    const replayed = await failedDeliveries('replayed');
    expect(replayed).toHaveLength(poison.filter((p) => p.poison!.kind !== 'topic').length);
    const s = (ms: number) => Math.round(ms / 100) / 10;
    console.log(
      `[scale] ${JSON.stringify({ balancesCheckedSeconds: s(checkedAt - drainedAt), replaySeconds: s(replayedAt - replayStarted), totalSeconds: s(performance.now() - started) })}`,
    );
  });
});
