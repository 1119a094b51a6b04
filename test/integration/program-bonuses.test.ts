/**
 * Behaviour bonuses through HTTP against DynamoDB Local: sign-up, first
 * purchase, profile completion, birthday and referral (including the refund
 * case), each once, each a 'bonus' entry with its reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { expectBalanceMatchesLedger, uniqueId } from '../support/ledger';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
  const current = await club.api('GET', '/v1/admin/program');
  const res = await club.api('PUT', '/v1/admin/program', {
    expectedVersion: current.body.version,
    bonuses: { signUp: 50, firstPurchase: 20, profileCompletion: 30, birthday: 100, referral: { referrer: 200, referred: 70 } },
  });
  expect(res.status).toBe(200);
});
afterAll(() => club?.stop());

async function enrol(body: Record<string, unknown> = {}) {
  const res = await club.api('POST', '/v1/members', { memberId: uniqueId('m'), ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function ledger(memberId: string) {
  const res = await club.api('GET', `/v1/members/${memberId}/ledger`);
  return (res.body.items as { type: string; points: number; reason?: string }[]).reverse();
}

const earn = (memberId: string, amount: string, orderId = uniqueId('o')) =>
  club.api('POST', '/v1/earn', { memberId, orderId, amount, currency: 'USD' });

describe('bonuses', () => {
  it('sign-up on enrolment, first purchase once, each a bonus entry with its reason', async () => {
    const m = await enrol();
    expect(m.balance).toBe(50);
    const orderId = uniqueId('o');
    expect((await earn(m.memberId, '10', orderId)).body.points).toBe(10);
    expect((await earn(m.memberId, '10', orderId)).body.duplicate).toBe(true);
    await earn(m.memberId, '5');
    expect((await ledger(m.memberId)).map((e) => [e.type, e.points, e.reason ?? null])).toEqual([
      ['bonus', 50, 'sign-up bonus'],
      ['earn', 10, null],
      ['bonus', 20, 'first purchase bonus'],
      ['earn', 5, null],
    ]);
    expect(await expectBalanceMatchesLedger(club, m.memberId)).toBe(85);
  });

  it('profile completion once, when email, phone, name and birthday are all known', async () => {
    const m = await enrol({ email: `${uniqueId('e')}@example.com`, name: 'Sara' });
    expect(m.balance).toBe(50);
    const patched = await club.api('PATCH', `/v1/members/${m.memberId}`, {
      phone: `+98912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      birthday: '--01-15',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.balance).toBe(80);
    await club.api('PATCH', `/v1/members/${m.memberId}`, { name: 'Sara K.' });
    expect((await ledger(m.memberId)).filter((e) => e.reason === 'profile completion bonus')).toHaveLength(1);
  });

  it('birthday once a year, on an order in the birthday month', async () => {
    const month = new Date().toISOString().slice(5, 7);
    const m = await enrol({ birthday: `1990-${month}-01` });
    await earn(m.memberId, '1');
    await earn(m.memberId, '1');
    const birthdays = (await ledger(m.memberId)).filter((e) => e.reason?.startsWith('birthday bonus'));
    expect(birthdays).toHaveLength(1);
    expect(birthdays[0]!.points).toBe(100);
    const other = await enrol({ birthday: `1990-${month === '01' ? '02' : '01'}-01` });
    await earn(other.memberId, '1');
    expect((await ledger(other.memberId)).some((e) => e.reason?.startsWith('birthday'))).toBe(false);
  });
});

describe('referral', () => {
  it("rewards both sides on the referred member's first paid order, once", async () => {
    const referrer = await enrol();
    const friend = await enrol({ referredBy: referrer.memberId });
    await earn(friend.memberId, '30');
    await earn(friend.memberId, '30');
    const mine = await ledger(referrer.memberId);
    expect(mine.filter((e) => e.reason === `referral bonus: referred ${friend.memberId}`).map((e) => e.points)).toEqual([200]);
    const theirs = await ledger(friend.memberId);
    expect(theirs.filter((e) => e.reason?.startsWith('referral bonus')).map((e) => e.points)).toEqual([70]);
    expect(await expectBalanceMatchesLedger(club, referrer.memberId)).toBe(250);
    expect(await expectBalanceMatchesLedger(club, friend.memberId)).toBe(50 + 30 + 20 + 70 + 30);
  });

  it('takes both sides back when that first order is refunded in full', async () => {
    const referrer = await enrol();
    const friend = await enrol({ referredBy: referrer.memberId });
    const orderId = uniqueId('o');
    await earn(friend.memberId, '40', orderId);
    const refund = await club.api('POST', '/v1/refunds', {
      memberId: friend.memberId,
      orderId,
      refundId: uniqueId('r'),
      amount: '40',
      currency: 'USD',
    });
    expect(refund.status).toBe(200);
    expect(await expectBalanceMatchesLedger(club, referrer.memberId)).toBe(50);
    expect(await expectBalanceMatchesLedger(club, friend.memberId)).toBe(50);
    const mine = await ledger(referrer.memberId);
    expect(mine.map((e) => [e.type, e.points])).toEqual([
      ['bonus', 50],
      ['bonus', 200],
      ['reverse', -200],
    ]);
  });

  it('pays on the first order that earns when the first order earned nothing, and takes it back only with that order', async () => {
    const referrer = await enrol();
    const friend = await enrol({ referredBy: referrer.memberId });
    expect((await earn(friend.memberId, '0.50')).body.points).toBe(0); // a first purchase, but it earns nothing
    expect(await expectBalanceMatchesLedger(club, referrer.memberId)).toBe(50);
    const paying = uniqueId('o');
    await earn(friend.memberId, '30', paying);
    await earn(friend.memberId, '12');
    expect(await expectBalanceMatchesLedger(club, referrer.memberId)).toBe(250);
    expect(await expectBalanceMatchesLedger(club, friend.memberId)).toBe(50 + 20 + 30 + 70 + 12);
    // The later order refunded in full takes nothing of the referral; the paying one does.
    const other = (await ledger(friend.memberId)).length;
    const full = async (orderId: string, amount: string) =>
      expect(
        (await club.api('POST', '/v1/refunds', { memberId: friend.memberId, orderId, refundId: uniqueId('r'), amount, currency: 'USD' }))
          .status,
      ).toBe(200);
    const twelve = (await club.api('GET', `/v1/members/${friend.memberId}/ledger`)).body.items.find(
      (e: { points: number }) => e.points === 12,
    ).orderId;
    await full(twelve, '12');
    expect(await expectBalanceMatchesLedger(club, referrer.memberId)).toBe(250);
    expect((await ledger(friend.memberId)).length).toBe(other + 1);
    await full(paying, '30');
    expect(await expectBalanceMatchesLedger(club, referrer.memberId)).toBe(50);
    expect(await expectBalanceMatchesLedger(club, friend.memberId)).toBe(50 + 20);
  });

  it("works with the referrer's code, typed loosely", async () => {
    const referrer = await enrol();
    const code = await club.api('GET', `/v1/members/${referrer.memberId}/referral-code`);
    expect(code.status).toBe(200);
    expect(code.body.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect((await club.api('GET', `/v1/members/${referrer.memberId}/referral-code`)).body.code).toBe(code.body.code);
    const friend = await enrol({ referredBy: code.body.code.toLowerCase().replace('-', '') });
    await earn(friend.memberId, '30');
    expect(await expectBalanceMatchesLedger(club, referrer.memberId)).toBe(250);
    expect((await club.api('GET', `/v1/members/${uniqueId('nobody')}/referral-code`)).status).toBe(404);
  });

  it('takes the code as people type it: spaces, lower case, other dashes, Persian or Arabic digits', async () => {
    // A code with a digit in it, so the digit forms are tried (most codes have one).
    let referrer: { memberId: string } | undefined;
    let code = '';
    for (let i = 0; i < 20 && !/\d/.test(code); i++) {
      const candidate = await enrol();
      referrer = candidate;
      code = (await club.api('GET', `/v1/members/${candidate.memberId}/referral-code`)).body.code;
    }
    expect(code).toMatch(/\d/);
    const persian = (s: string) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    const arabic = (s: string) => s.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!);
    const typed = [
      code.replace('-', ' '), // "EVDP 7PSC"
      ` ${code.toLowerCase().replace('-', '  ')} `,
      code.replace('-', '–'), // an en dash from a phone keyboard
      persian(code),
      arabic(code.replace('-', ' ')),
    ];
    for (const referredBy of typed) {
      const friend = await enrol({ referredBy });
      expect(friend.referredBy, referredBy).toBe(code);
      await earn(friend.memberId, '30');
    }
    expect(await expectBalanceMatchesLedger(club, referrer!.memberId)).toBe(50 + 200 * typed.length);
    const bad = await club.api('POST', '/v1/members', { memberId: uniqueId('m'), referredBy: 'not a code!' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('body.referredBy');
  });

  it('pays nothing for a self-referral or an unknown referrer', async () => {
    const id = uniqueId('m');
    const self = await enrol({ memberId: id, referredBy: id });
    await earn(self.memberId, '10');
    const ghost = await enrol({ referredBy: uniqueId('nobody') });
    await earn(ghost.memberId, '10');
    for (const m of [self, ghost]) {
      expect((await ledger(m.memberId)).some((e) => e.reason?.startsWith('referral'))).toBe(false);
    }
  });
});
