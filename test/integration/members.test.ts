import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());

describe('enrolment', () => {
  it('creates a member with the contract fields and a generated id', async () => {
    const res = await club.api('POST', '/v1/members', { email: 'Sara@Example.com', name: 'سارا', phone: '+98 912 000 0001' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      email: 'Sara@Example.com',
      name: 'سارا',
      tier: 'member',
      balance: 0,
      lifetimePoints: 0,
      expiring: [],
      externalIds: {},
    });
    expect(res.body.memberId).toMatch(/^[0-9A-Z]{26}$/);
    expect(new Date(res.body.joinedAt).toISOString()).toBe(res.body.joinedAt);
    const read = await club.api('GET', `/v1/members/${res.body.memberId}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('keeps the memberId the store brings', async () => {
    const id = uniqueId('cust');
    const res = await club.api('POST', '/v1/members', { memberId: id, externalIds: { shopify: `s-${id}` } });
    expect(res.status).toBe(201);
    expect(res.body.memberId).toBe(id);
    const again = await club.api('POST', '/v1/members', { memberId: id });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_EXISTS');
  });

  it('refuses an email, phone or external id another member holds, and writes nothing', async () => {
    const email = `${uniqueId('dup')}@example.com`;
    const first = await club.api('POST', '/v1/members', { email, phone: '+98 912 000 0002', externalIds: { woocommerce: 'wc-77' } });
    expect(first.status).toBe(201);
    for (const body of [{ email: email.toUpperCase() }, { phone: '۰۰۹۸۹۱۲۰۰۰۰۰۰۲' }, { externalIds: { woocommerce: 'wc-77' } }]) {
      const id = uniqueId('other');
      const res = await club.api('POST', '/v1/members', { memberId: id, ...body });
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(res.body.error.code).toBe('ALREADY_EXISTS');
      expect((await club.api('GET', `/v1/members/${id}`)).status).toBe(404);
    }
  });

  it('keeps phones in E.164 and, in a club with no phone region (USD), takes only international forms', async () => {
    const res = await club.api('POST', '/v1/members', { phone: '00 1 (212) 555-0142' });
    expect(res.status).toBe(201);
    expect(res.body.phone).toBe('+12125550142');
    const national = await club.api('POST', '/v1/members', { phone: '(212) 555-0143' });
    expect(national.status).toBe(400);
    expect(national.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: [{ path: 'phone', message: expect.stringMatching(/country code/) }],
    });
  });

  it('makes one member out of concurrent enrolments with the same email', async () => {
    const email = `${uniqueId('race')}@example.com`;
    const results = await Promise.all(Array.from({ length: 10 }, () => club.api('POST', '/v1/members', { email })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    const found = await club.api('GET', `/v1/members?email=${encodeURIComponent(email)}`);
    expect(found.body.items).toHaveLength(1);
  });
});

describe('lookup and profile changes', () => {
  it('finds a member by email, phone and external ids', async () => {
    const id = uniqueId('look');
    await club.api('POST', '/v1/members', {
      memberId: id,
      email: `${id}@example.com`,
      phone: '+989121112233',
      externalIds: { shopify: `sh-${id}`, woocommerce: `wc-${id}` },
    });
    for (const q of [
      `email=${encodeURIComponent(`${id.toUpperCase()}@EXAMPLE.com`)}`,
      `phone=${encodeURIComponent('+98 912 111 2233')}`,
      `shopifyCustomerId=sh-${id}`,
      `woocommerceCustomerId=wc-${id}`,
    ]) {
      const res = await club.api('GET', `/v1/members?${q}`);
      expect(res.status, q).toBe(200);
      expect(res.body.items.map((m: { memberId: string }) => m.memberId)).toEqual([id]);
    }
    const none = await club.api('GET', '/v1/members?email=nobody@example.com');
    expect(none.body).toEqual({ items: [] });
    expect((await club.api('GET', '/v1/members')).status).toBe(400);
    expect((await club.api('GET', '/v1/members?email=a@b.c&phone=1234567')).status).toBe(400);
  });

  it('moves identity claims with a PATCH so the old email is free and the new one is taken', async () => {
    const a = uniqueId('pa');
    const b = uniqueId('pb');
    await club.api('POST', '/v1/members', { memberId: a, email: `${a}@example.com` });
    await club.api('POST', '/v1/members', { memberId: b, email: `${b}@example.com` });
    const patched = await club.api('PATCH', `/v1/members/${a}`, { email: `${a}-new@example.com`, name: 'Ali', birthday: '1990-07-04' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ email: `${a}-new@example.com`, name: 'Ali', birthday: '1990-07-04' });
    expect((await club.api('GET', `/v1/members?email=${a}@example.com`)).body.items).toEqual([]);
    const taken = await club.api('PATCH', `/v1/members/${b}`, { email: `${a}-new@example.com` });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('ALREADY_EXISTS');
    expect((await club.api('GET', `/v1/members/${b}`)).body.email).toBe(`${b}@example.com`);
    // The freed email can be claimed by someone else now.
    expect((await club.api('PATCH', `/v1/members/${b}`, { email: `${a}@example.com` })).status).toBe(200);
    const cleared = await club.api('PATCH', `/v1/members/${a}`, { name: null });
    expect(cleared.body.name).toBeNull();
  });

  it('answers 404 for a member that does not exist', async () => {
    const res = await club.api('GET', '/v1/members/nobody-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('MEMBER_NOT_FOUND');
    expect((await club.api('PATCH', '/v1/members/nobody-here', { name: 'x' })).status).toBe(404);
    expect((await club.api('GET', '/v1/members/nobody-here/ledger')).status).toBe(404);
  });
});
