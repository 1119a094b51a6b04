/**
 * The simulator pricing candidate challenges, through HTTP against DynamoDB
 * Local: real orders of the last days (and their refunds) replayed across a
 * Jalali month boundary in Tehran time, given orders, and bad candidates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { uniqueId } from '../support/ledger';
import { programApi } from '../support/program';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());
const { newMember, earn, putProgram } = programApi(() => club);

const twoOrders = (tag: string) => ({
  id: 'two-orders',
  name: { fa: 'دو سفارش در ماه', en: 'Two orders a month' },
  period: { repeat: 'monthly' },
  goal: { kind: 'orders', target: 2 },
  reward: { points: 100 },
  audience: { tags: [tag] },
});

// Tehran is UTC+3:30: 20:29Z on 21 November 2026 is 23:59 on 30 Aban 1405; 20:30Z is 00:00 on 1 Azar 1405.
const lastOfAban = '2026-11-21T20:29:00Z';
const firstOfAzar = '2026-11-21T20:30:00Z';

describe('the simulator with candidate challenges', () => {
  it("prices a monthly challenge on the club's real orders of the last days, per Jalali month, refunds taken back", async () => {
    await putProgram({ timeZone: 'Asia/Tehran', pointValue: '0.5' });
    const tag = uniqueId('t');
    const [a, b, c] = [await newMember({ tags: [tag] }), await newMember({ tags: [tag] }), await newMember({ tags: [tag] })];
    const outsider = await newMember();
    // a: two orders in Aban (completes it), one in Azar (1 of 2).
    await earn(a, '10', { occurredAt: '2026-11-20T10:00:00Z' });
    await earn(a, '10', { occurredAt: lastOfAban });
    await earn(a, '10', { occurredAt: firstOfAzar });
    // b: two orders in Azar, then the second refunded in full: the reward goes back.
    await earn(b, '10', { occurredAt: firstOfAzar });
    const refunded = uniqueId('o');
    await earn(b, '20', { orderId: refunded, occurredAt: '2026-11-25T10:00:00Z' });
    const refund = await club.api('POST', '/v1/refunds', {
      memberId: b,
      orderId: refunded,
      refundId: uniqueId('r'),
      amount: '20',
      currency: 'USD',
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    // c: two orders in Azar, completes it.
    await earn(c, '10', { occurredAt: '2026-11-23T10:00:00Z' });
    await earn(c, '10', { occurredAt: '2026-11-24T10:00:00Z' });
    // Not in the audience: never takes part.
    await earn(outsider, '10', { occurredAt: '2026-11-23T10:00:00Z' });
    await earn(outsider, '10', { occurredAt: '2026-11-24T10:00:00Z' });

    const res = await club.api('POST', '/v1/admin/program/simulate', { lastDays: 30, challenges: [twoOrders(tag)] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Aban: a completes. Azar: a, b, c take part; b's refund undoes b's; c completes. 2 completions × 100 points, at 0.5 each: 100.
    expect(res.body.challenges).toEqual([
      {
        id: 'two-orders',
        participants: 3,
        completions: 2,
        points: 200,
        pointsValue: '100.0',
        periods: [
          { period: 'J1405-08', participants: 1, completions: 1 },
          { period: 'J1405-09', participants: 3, completions: 1 },
        ],
      },
    ]);
    // The members' balances are untouched by the simulation: only what they earned (1 point per USD), less b's refund.
    expect((await club.api('GET', `/v1/members/${c}`)).body.balance).toBe(20);
    // Without challenges the answer has none.
    const plain = await club.api('POST', '/v1/admin/program/simulate', { lastDays: 30 });
    expect(plain.body).not.toHaveProperty('challenges');
  });

  it('prices a spend challenge on given orders', async () => {
    await putProgram({ timeZone: 'Asia/Tehran' });
    const res = await club.api('POST', '/v1/admin/program/simulate', {
      orders: [
        { orderId: 'x1', member: { tags: ['vip'] }, amount: '60.90', currency: 'USD', occurredAt: lastOfAban },
        { orderId: 'x2', member: { tags: ['vip'] }, amount: '50', currency: 'USD', occurredAt: firstOfAzar },
        { orderId: 'x3', member: { tags: ['vip'] }, amount: '10', currency: 'EUR', occurredAt: firstOfAzar },
      ],
      challenges: [
        {
          id: 'spend-50',
          name: { fa: 'خرید ۵۰', en: 'Spend 50' },
          period: { from: '2026-11-22', to: '2026-11-30' },
          goal: { kind: 'spend', target: 50 },
          reward: { points: 25 },
        },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // x1 is on 30 Aban (21 November local), before the period; x2 (22 November local) spends 50 and completes it;
    // x3 is refused (a currency the program does not earn in) and counts for nothing. No pointValue: no value.
    expect(res.body.challenges).toEqual([
      { id: 'spend-50', participants: 1, completions: 1, points: 25, periods: [{ period: 'once', participants: 1, completions: 1 }] },
    ]);
  });

  it('refuses goals it cannot price (a bonus the program does not pay, a profile on given orders), and duplicate ids', async () => {
    await putProgram({ bonuses: { profileCompletion: 10 } });
    const base = twoOrders('vip');
    const dup = await club.api('POST', '/v1/admin/program/simulate', { lastDays: 1, challenges: [base, { ...base }] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.details.map((d: { path: string }) => d.path)).toEqual(['body.challenges.1.id']);
    const given = [{ orderId: 'g1', member: {}, amount: '10', currency: 'USD' }];
    const res = await club.api('POST', '/v1/admin/program/simulate', {
      orders: given,
      challenges: [
        base,
        { ...base, id: 'referrals', goal: { kind: 'referrals', target: 2 } },
        { ...base, id: 'profile', goal: { kind: 'profile', target: 1 } },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    // The program pays no referrer; a profile is priced on real history only.
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual([
      'body.challenges.1.goal.kind',
      'body.challenges.2.goal.kind',
    ]);
  });

  it("prices referral and profile goals on the club's real history: referrals paid by friends' first orders, a full refund taking one back, profile bonuses paid", async () => {
    await putProgram({ bonuses: { profileCompletion: 20, referral: { referrer: 50, referred: 0 } } });
    const tag = uniqueId('t');
    const referrer = await newMember({ tags: [tag] });
    const friends = [
      await newMember({ referredBy: referrer }),
      await newMember({ referredBy: referrer }),
      await newMember({ referredBy: referrer }),
    ];
    const orders = [uniqueId('o'), uniqueId('o'), uniqueId('o')];
    for (const [i, f] of friends.entries()) await earn(f, '10', { orderId: orders[i] });
    // A second order of the first friend pays no second referral.
    await earn(friends[0]!, '10');
    // The third friend's first order refunded in full: its referral is taken back.
    const refund = await club.api('POST', '/v1/refunds', {
      memberId: friends[2],
      orderId: orders[2],
      refundId: uniqueId('r'),
      amount: '10',
      currency: 'USD',
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    // Profiles: one completed at enrolment by a member who then bought (their ledger is read), one by a member outside the audience.
    const profile = (n: number) => ({
      email: `${uniqueId('p')}@example.com`,
      phone: `+98912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      name: `Pat ${n}`,
      birthday: '1990-05-06',
    });
    const complete = await newMember({ tags: [tag], ...profile(1) });
    await earn(complete, '10');
    const outsider = await newMember(profile(2));
    await earn(outsider, '10');

    const challenge = { name: { fa: 'دوستان', en: 'Friends' }, period: { repeat: 'monthly' }, audience: { tags: [tag] } };
    const res = await club.api('POST', '/v1/admin/program/simulate', {
      lastDays: 1,
      challenges: [
        { ...challenge, id: 'two-friends', goal: { kind: 'referrals', target: 2 }, reward: { points: 200 } },
        { ...challenge, id: 'three-friends', goal: { kind: 'referrals', target: 3 }, reward: { points: 500 } },
        { ...challenge, id: 'profile', goal: { kind: 'profile', target: 1 }, reward: { points: 30 } },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const period = (await club.api('GET', `/v1/members/${referrer}/challenges`)).body.items;
    expect(period).toEqual([]); // the candidates are not the program's: nothing real moved
    const [two, three, complete1] = res.body.challenges;
    // Three referrals paid, one taken back: 2 of 2 met, 2 of 3 not (it was met, then its reward went back).
    expect(two).toMatchObject({ id: 'two-friends', participants: 1, completions: 1, points: 200 });
    expect(three).toMatchObject({ id: 'three-friends', participants: 1, completions: 0, points: 0 });
    expect(complete1).toMatchObject({ id: 'profile', participants: 1, completions: 1, points: 30 });
    expect(two.periods).toHaveLength(1);

    // Given orders: a referred member's first order pays the referral, a described one pays none.
    const givenFriend = await newMember({ referredBy: referrer });
    const given = await club.api('POST', '/v1/admin/program/simulate', {
      orders: [
        { orderId: 'n1', memberId: givenFriend, amount: '10', currency: 'USD' },
        { orderId: 'n2', member: { firstOrder: true }, amount: '10', currency: 'USD' },
      ],
      challenges: [{ ...challenge, id: 'one-friend', goal: { kind: 'referrals', target: 1 }, reward: { points: 100 } }],
    });
    expect(given.status, JSON.stringify(given.body)).toBe(200);
    expect(given.body.challenges[0]).toMatchObject({ participants: 1, completions: 1, points: 100 });
  });
});
