/**
 * A Rial club, as an Iranian store runs it: phones in E.164 (phone region Iran
 * by default) whatever form they arrive in, through the API, the shop webhooks
 * and the normalize-phones job; orders in Toman; money shown in Toman.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookQueueService, type WebhookQueueService } from '../../local/webhook-queue';
import { runJob } from '../../shared/club/jobs';
import { DEFAULT_TIER, type Member } from '../../shared/domain/member';
import { wiring } from '../../shared/wiring';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { fixture, memberBy, sendShopify, sendWoo, useWebhookSecrets, waitFor } from '../support/webhooks';

let club: TestClub;
let queue: WebhookQueueService;
let seq = 0;
const uid = () => `${Date.now() % 1_000_000}${String(++seq).padStart(3, '0')}`;

beforeAll(async () => {
  useWebhookSecrets();
  queue = webhookQueueService({ visibilityTimeoutSeconds: 1, waitTimeSeconds: 1, batchWindowMs: 20, maxReceives: 3 });
  club = await startTestClub({ currency: 'IRR', services: [queue] });
});
afterAll(() => club?.stop());

const FORMS = ['+98 912 123 4567', '00989121234567', '09121234567', '۰۹۱۲۱۲۳۴۵۶۷', '٠٩١٢١٢٣٤٥٦٧', '0912-123-4567', '(0912) 123 4567'];

describe('one phone in every form', () => {
  it('enrols with one form, finds the member by every other, and refuses a second member with any of them', async () => {
    for (const [i, form] of FORMS.entries()) {
      // Each round its own number: the last digit is the round's.
      const round = (text: string) => text.replace(/[7٧۷]$/, (d) => String.fromCharCode(d.charCodeAt(0) - 7 + i));
      const e164 = `+98912123456${i}`;
      const enrolled = await club.api('POST', '/v1/members', { phone: round(form) });
      expect(enrolled.status, form).toBe(201);
      expect(enrolled.body.phone).toBe(e164);
      for (const other of FORMS) {
        const found = await club.api('GET', `/v1/members?phone=${encodeURIComponent(round(other))}`);
        expect(found.status, other).toBe(200);
        expect(
          found.body.items.map((m: { memberId: string }) => m.memberId),
          `${form} found by ${other}`,
        ).toEqual([enrolled.body.memberId]);
        if (other === form) continue;
        const id = uniqueId('twin');
        const twin = await club.api('POST', '/v1/members', { memberId: id, phone: round(other) });
        expect(twin.status, `${form} then ${other}`).toBe(409);
        expect(twin.body.error).toMatchObject({ code: 'ALREADY_EXISTS', details: [{ path: 'phone' }] });
        expect((await club.api('GET', `/v1/members/${id}`)).status).toBe(404);
      }
    }
  });

  it('keeps a changed phone in E.164 and frees the old one', async () => {
    const m = (await club.api('POST', '/v1/members', { phone: '09121110001' })).body;
    const patched = await club.api('PATCH', `/v1/members/${m.memberId}`, { phone: '۰۹۱۲ ۱۱۱ ۰۰۰۲' });
    expect(patched.status).toBe(200);
    expect(patched.body.phone).toBe('+989121110002');
    expect((await club.api('POST', '/v1/members', { phone: '+989121110001' })).status).toBe(201);
  });

  it('refuses what is no phone with 400 naming the field and the form expected, and writes nothing', async () => {
    for (const phone of ['0912123456', '+98 123', '00000000']) {
      const id = uniqueId('bad');
      const res = await club.api('POST', '/v1/members', { memberId: id, phone });
      expect(res.status, phone).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toEqual([{ path: 'phone', message: expect.stringMatching(/expected .*\+/) }]);
      expect((await club.api('GET', `/v1/members/${id}`)).status).toBe(404);
    }
    const lookup = await club.api('GET', '/v1/members?phone=0912123');
    expect(lookup.status).toBe(400);
    expect(lookup.body.error.details[0].path).toBe('phone');
  });
});

describe("a shop customer's phone", () => {
  it('Shopify customer.phone and billing_address.phone, and WooCommerce billing.phone, are kept in E.164', async () => {
    const a = uid();
    const order = fixture('shopify-orders-paid.json');
    order.id = Number(a);
    order.currency = 'IRR';
    order.customer = { ...order.customer, id: Number(a), email: `sh-${a}@example.com`, phone: '0912 200 0001' };
    order.email = order.contact_email = `sh-${a}@example.com`;
    await sendShopify(club, { topic: 'orders/paid', body: order });

    const b = uid();
    const billed = fixture('shopify-orders-paid.json');
    billed.id = Number(b);
    billed.currency = 'IRR';
    billed.customer = { ...billed.customer, id: Number(b), email: `sb-${b}@example.com`, phone: null };
    billed.billing_address = { ...billed.billing_address, phone: '+98 912 200 0002' };
    billed.email = billed.contact_email = `sb-${b}@example.com`;
    await sendShopify(club, { topic: 'orders/paid', body: billed });

    const c = uid();
    const woo = fixture('woocommerce-order-completed.json');
    await sendWoo(club, {
      topic: 'order.updated',
      body: {
        ...woo,
        id: Number(c),
        currency: 'IRR',
        customer_id: Number(c),
        billing: { ...woo.billing, email: `wc-${c}@example.com`, phone: '۰۹۱۲۲۰۰۰۰۰۳' },
      },
    });

    const shopify = await waitFor(() => memberBy(club, `shopifyCustomerId=${a}`), 'the Shopify customer');
    const billing = await waitFor(() => memberBy(club, `shopifyCustomerId=${b}`), 'the Shopify billing phone');
    const woocommerce = await waitFor(() => memberBy(club, `woocommerceCustomerId=${c}`), 'the WooCommerce customer');
    expect([shopify.phone, billing.phone, woocommerce.phone]).toEqual(['+989122000001', '+989122000002', '+989122000003']);
    expect((await memberBy(club, `phone=${encodeURIComponent('09122000003')}`)).memberId).toBe(woocommerce.memberId);
  });

  it('enrols a customer whose phone another member holds without it, never merging the two', async () => {
    const holder = (await club.api('POST', '/v1/members', { phone: '09122000009' })).body;
    const id = uid();
    const woo = fixture('woocommerce-order-completed.json');
    await sendWoo(club, {
      topic: 'order.updated',
      body: {
        ...woo,
        id: Number(id),
        currency: 'IRR',
        customer_id: Number(id),
        billing: { ...woo.billing, email: `wt-${id}@example.com`, phone: '+989122000009' },
      },
    });
    const customer = await waitFor(() => memberBy(club, `woocommerceCustomerId=${id}`), 'the customer');
    expect(customer.memberId).not.toBe(holder.memberId);
    expect(customer.phone).toBeNull();
    expect((await memberBy(club, 'phone=09122000009')).memberId).toBe(holder.memberId);
  });
});

describe('normalize-phones: existing claims to E.164', () => {
  /** A member as a version before E.164 kept them: the phone as typed, claimed by its digits. */
  async function legacyMember(phone: string): Promise<string> {
    const deps = wiring().jobs;
    const memberId = uniqueId('old');
    const now = new Date().toISOString();
    const member: Member = {
      memberId,
      phone,
      externalIds: {},
      tier: DEFAULT_TIER,
      balance: 0,
      lifetimePoints: 0,
      lots: [],
      joinedAt: now,
      seq: 0,
      profileVersion: 1,
    };
    expect(await deps.store.createMember(member)).toBe('created');
    return memberId;
  }
  const run = async (body: Record<string, unknown> = {}) => {
    const res = await club.api('POST', '/v1/admin/jobs/normalize-phones/run', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('moves phones kept as typed, reports two members with one number instead of merging them, and a second run changes nothing', async () => {
    await run(); // whatever earlier tests left
    const national = await legacyMember('09123000001');
    const persian = await legacyMember('۰۹۱۲ ۳۰۰ ۰۰۰۲');
    const spaced = await legacyMember('+98 912 300 0003');
    // One number, two members: the old digits-only claims let them both in.
    const twinA = await legacyMember('09123000004');
    const twinB = await legacyMember('+989123000004');
    const junk = await legacyMember('12345');
    expect(await memberBy(club, 'phone=%2B989123000001')).toBeUndefined();

    const first = await run();
    expect(first).toMatchObject({ job: 'normalize-phones', complete: true, processed: 3, conflicted: 1, unreadablePhones: 1, failed: 0 });
    expect(first.conflicts).toEqual([{ phone: '+989123000004', memberIds: [twinA, twinB] }]);
    expect(first.unreadable).toEqual([{ memberId: junk, phone: '12345', reason: expect.any(String) }]);
    for (const [id, e164] of [
      [national, '+989123000001'],
      [persian, '+989123000002'],
      [spaced, '+989123000003'],
    ]) {
      expect((await club.api('GET', `/v1/members/${id}`)).body.phone).toBe(e164);
      expect((await memberBy(club, `phone=${encodeURIComponent(e164!)}`)).memberId).toBe(id);
    }
    // The moved claim is the E.164 one: any form of the number is now taken.
    expect((await club.api('POST', '/v1/members', { phone: '09123000001' })).status).toBe(409);
    // Neither twin was changed or merged.
    expect((await club.api('GET', `/v1/members/${twinA}`)).body.phone).toBe('09123000004');
    expect((await club.api('GET', `/v1/members/${twinB}`)).body.phone).toBe('+989123000004');

    const second = await run();
    expect(second).toMatchObject({ complete: true, processed: 0, conflicted: 1, examined: first.examined });
  });

  it('stops with a continuation and resumes there', async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await legacyMember(`0912400000${i}`));
    const deps = wiring().jobs;
    let pages = 0;
    const stopped = await runJob(deps, 'normalize-phones', { asOf: new Date(), pageSize: 2, shouldStop: () => pages++ >= 1 });
    expect(stopped).toMatchObject({ complete: false, continuation: expect.any(String) });
    const resumed = await run({ continuation: stopped.continuation });
    expect(resumed.complete).toBe(true);
    for (const [i, id] of ids.entries()) expect((await club.api('GET', `/v1/members/${id}`)).body.phone).toBe(`+98912400000${i}`);
    expect((await club.api('POST', '/v1/admin/jobs/normalize-phones/run', { continuation: 'nonsense' })).status).toBe(400);
  });
});

describe('Toman in a Rial club', () => {
  it('an IRT order of 100,000 earns like 1,000,000 IRR, with no configuration', async () => {
    const m = (await club.api('POST', '/v1/members', {})).body.memberId;
    const irt = await club.api('POST', '/v1/earn', { memberId: m, orderId: uniqueId('irt'), amount: '100000', currency: 'IRT' });
    expect(irt.status, JSON.stringify(irt.body)).toBe(200);
    expect(irt.body.points).toBe(1_000_000);
    const irr = await club.api('POST', '/v1/earn', { memberId: m, orderId: uniqueId('irr'), amount: '1000000', currency: 'IRR' });
    expect(irr.body.points).toBe(1_000_000);
    expect(
      (await club.api('POST', '/v1/earn', { memberId: m, orderId: uniqueId('usd'), amount: '10', currency: 'USD' })).body.error.code,
    ).toBe('CURRENCY_MISMATCH');
  });

  it('a WooCommerce order in IRT earns ×10 instead of being parked', async () => {
    const id = uid();
    const woo = fixture('woocommerce-order-completed.json');
    // 105.00 − 5.00 tax − 10.00 shipping = 90.00 Toman = 900 rials.
    await sendWoo(club, {
      topic: 'order.updated',
      body: {
        ...woo,
        id: Number(id),
        currency: 'IRT',
        customer_id: Number(id),
        billing: { ...woo.billing, email: `irt-${id}@example.com`, phone: '' },
      },
    });
    const m = await waitFor(async () => {
      const found = await memberBy(club, `woocommerceCustomerId=${id}`);
      return found?.balance > 0 ? found : undefined;
    }, 'the IRT order');
    expect(m.balance).toBe(900);
  });

  it('says the display unit (Toman) on the program, the member page and the reports, and values a point at a Toman', async () => {
    const program = await club.api('GET', '/v1/admin/program');
    expect(program.body).toMatchObject({ currency: 'IRR', displayCurrency: 'IRT', displayRate: '0.1' });
    // A program read with GET goes straight back with PUT (displayRate is read only).
    const put = await club.api('PUT', '/v1/admin/program', program.body);
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    const m = (await club.api('POST', '/v1/members', {})).body.memberId;
    const link = (await club.api('POST', `/v1/members/${m}/portal-links`, { lang: 'fa' })).body;
    const me = await club.api('GET', '/v1/me', undefined, { authorization: `Bearer ${link.token}` });
    expect(me.status).toBe(200);
    expect(me.body.program).toMatchObject({ currency: 'IRR', displayCurrency: 'IRT', displayRate: '0.1' });

    const summary = await club.api('GET', '/v1/reports/summary');
    expect(summary.status).toBe(200);
    // No pointValue set and LOYALTY_POINT_VALUE unset: a point is a Toman, 10 rials.
    expect(summary.body).toMatchObject({ currency: 'IRR', displayCurrency: 'IRT', displayRate: '0.1', pointValue: '10' });
    const outstanding = summary.body.pointsOutstanding as number;
    expect(summary.body.outstandingValue).toBe(`${outstanding * 10}.00`);
  });
});
