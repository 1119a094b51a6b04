/**
 * Challenges through HTTP, the real webhook queue and DynamoDB Local: progress
 * moves in the transactions that move points, the reward is one ledger entry per
 * completion keyed by challenge and period, a refund takes progress (and the
 * reward, once the goal is no longer met) back, a monthly challenge in Tehran
 * starts fresh at the Jalali month's boundary, and only its audience plays.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookQueueService } from '../../local/webhook-queue';
import type { TestClub } from '../support/club';
import { startClubWithBus, type ClubWithBus } from '../support/events';
import { expectBalanceMatchesLedger, rawLedger, uniqueId } from '../support/ledger';
import { portalLink } from '../support/pages';
import { programApi } from '../support/program';
import { quickWebhookQueue, sendGeneric, useWebhookSecrets, waitFor, waitForBalance } from '../support/webhooks';

let bus: ClubWithBus;
let club: TestClub;
let queue: WebhookQueueService;
beforeAll(async () => {
  useWebhookSecrets();
  queue = quickWebhookQueue();
  bus = await startClubWithBus([queue]);
  club = bus.club;
});
afterAll(() => club?.stop());
const { newMember, earn, putProgram } = programApi(() => club);

const threeOrders = {
  id: 'three-orders',
  name: { fa: 'سه سفارش در ماه', en: 'Three orders a month' },
  period: { repeat: 'monthly' },
  goal: { kind: 'orders', target: 3 },
  reward: { points: 300 },
};

const refund = async (memberId: string, orderId: string, amount: string) => {
  const res = await club.api('POST', '/v1/refunds', { memberId, orderId, refundId: uniqueId('r'), amount, currency: 'USD' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const challengesOf = async (memberId: string) => {
  const res = await club.api('GET', `/v1/members/${memberId}/challenges`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as any[];
};
const rewards = async (memberId: string) =>
  (await rawLedger(club.client, club.tableName, memberId)).filter((e) => e.challengeId !== undefined);

describe('an orders goal', () => {
  it('is met once through webhooks, taken back by the refund that drops it below the target, and met again', async () => {
    await putProgram({ challenges: [threeOrders] });
    const id = uniqueId('x');
    const email = `ch-${id}@example.com`;
    const paid = (n: number) => ({ event: 'order.paid', orderId: `CH-${id}-${n}`, amount: '10.00', currency: 'USD', customer: { email } });
    expect((await sendGeneric(club, paid(1))).status).toBe(202);
    const m = await waitForBalance(club, `email=${email}`, 10);
    expect((await challengesOf(m.memberId))[0]).toMatchObject({ id: 'three-orders', target: 3, progress: 1, completedAt: null });
    await sendGeneric(club, paid(2));
    await waitForBalance(club, `email=${email}`, 20);
    await sendGeneric(club, paid(3));
    // 3 × 10 from the orders, and the 300 of the reward in the same transaction as the third.
    await waitForBalance(club, `email=${email}`, 330);
    // A redelivered order adds nothing; a fourth counts but grants nothing more.
    await sendGeneric(club, paid(3));
    await sendGeneric(club, paid(4));
    await waitForBalance(club, `email=${email}`, 340);
    const [after4] = await challengesOf(m.memberId);
    expect(after4).toMatchObject({ progress: 4, reward: { points: 300 } });
    expect(after4.completedAt).not.toBeNull();
    expect(await rewards(m.memberId)).toHaveLength(1);

    // 4 → 3 orders: still met, nothing taken back. 3 → 2: the reward goes.
    await sendGeneric(club, { event: 'order.cancelled', orderId: `CH-${id}-1` });
    await waitForBalance(club, `email=${email}`, 330);
    await sendGeneric(club, { event: 'order.cancelled', orderId: `CH-${id}-2` });
    await waitForBalance(club, `email=${email}`, 20);
    expect((await challengesOf(m.memberId))[0]).toMatchObject({ progress: 2, completedAt: null });
    // Met again in the period: granted again, so one reward is held.
    await sendGeneric(club, paid(5));
    await waitForBalance(club, `email=${email}`, 330);
    const moves = (await rewards(m.memberId)).map((e) => e.points);
    expect(moves).toEqual([300, -300, 300]);
    expect(await expectBalanceMatchesLedger(club, m.memberId)).toBe(330);

    // The member sees it on their own page; the completions were announced, one per grant.
    const { token } = await portalLink(club, m.memberId);
    const mine = await club.api('GET', '/v1/me/challenges', undefined, { authorization: `Bearer ${token}` });
    expect(mine.status).toBe(200);
    expect(mine.body.items[0]).toMatchObject({ id: 'three-orders', name: threeOrders.name, progress: 3, target: 3 });
    expect(Date.parse(mine.body.items[0].endsAt)).toBeGreaterThan(Date.now());
    const events = await waitFor(async () => {
      const e = await bus.eventsOf(m.memberId, 'challenge.completed');
      return e.length === 2 ? e : undefined;
    }, 'two challenge.completed events');
    expect(events[0].data).toMatchObject({ challengeId: 'three-orders', target: 3, progress: 3, points: 300 });
  });
});

describe('a monthly challenge in Tehran', () => {
  it('starts fresh at the Jalali month, by Tehran time, and a refund takes back only its own period', async () => {
    await putProgram({ timeZone: 'Asia/Tehran', challenges: [{ ...threeOrders, id: 'two-a-month', goal: { kind: 'orders', target: 2 } }] });
    const m = await newMember();
    // 20:00Z on 20 March 2026 is 23:30 on the last day of Esfand 1404 in Tehran; 21:00Z is 00:30 on 1 Farvardin 1405.
    const esfand = uniqueId('o');
    await earn(m, '10', { orderId: esfand, occurredAt: '2026-03-20T20:00:00Z' });
    const farvardin = uniqueId('o');
    await earn(m, '10', { orderId: farvardin, occurredAt: '2026-03-20T21:00:00Z' });
    expect(await rewards(m)).toHaveLength(0);
    const done = await earn(m, '10', { occurredAt: '2026-03-25T10:00:00Z' });
    expect(done.balance).toBe(330);
    expect((await rewards(m)).map((e) => [e.period, e.points])).toEqual([['J1405-01', 300]]);
    // The Esfand order's refund moves Esfand only; Farvardin's takes the reward back.
    await refund(m, esfand, '10');
    expect(await rewards(m)).toHaveLength(1);
    const back = await refund(m, farvardin, '10');
    expect(back.balance).toBe(10);
    expect((await rewards(m)).map((e) => [e.period, e.points])).toEqual([
      ['J1405-01', 300],
      ['J1405-01', -300],
    ]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(10);
  });
});

describe('a spend goal', () => {
  it('counts whole units of spend (and of a category), and a partial refund takes back its share', async () => {
    await putProgram({
      challenges: [
        { ...threeOrders, id: 'spend-100', goal: { kind: 'spend', target: 100 }, reward: { points: 50 } },
        { ...threeOrders, id: 'shoes-80', goal: { kind: 'category', category: 'shoes', target: 80 }, reward: { points: 25 } },
      ],
    });
    const m = await newMember();
    await earn(m, '60.90');
    const lines = [
      { sku: 'boot', category: 'shoes', amount: '40' },
      { sku: 'cap', category: 'hats', amount: '10' },
    ];
    const second = uniqueId('o');
    // 60 (60.90 floored) + 50 = 110 ≥ 100: met; shoes 40 < 80.
    const met = await earn(m, '50', { orderId: second, lineItems: lines });
    expect(met.balance).toBe(60 + 50 + 50);
    expect((await challengesOf(m)).map((c) => [c.id, c.progress, c.completedAt !== null])).toEqual([
      ['spend-100', 110, true],
      ['shoes-80', 40, false],
    ]);
    // 20 of the 50 back: 20 points and 20 of spend (110 → 90, below 100: the 50 go back), shoes 40 × 20/50 = 16.
    const back = await refund(m, second, '20');
    expect(back.balance).toBe(160 - 20 - 50);
    expect((await challengesOf(m)).map((c) => [c.id, c.progress, c.completedAt])).toEqual([
      ['spend-100', 90, null],
      ['shoes-80', 24, null],
    ]);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(90);
  });
});

describe('the audience', () => {
  it('targets tags and tiers like a campaign: only members in it play, see it, or get its reward', async () => {
    await putProgram({
      challenges: [
        { ...threeOrders, id: 'vip-one', goal: { kind: 'orders', target: 1 }, reward: { points: 7 }, audience: { tags: ['vip'] } },
        { ...threeOrders, id: 'gold-one', goal: { kind: 'orders', target: 1 }, reward: { points: 9 }, audience: { tiers: ['gold'] } },
      ],
    });
    const vip = await newMember({ tags: ['vip'] });
    const plain = await newMember();
    expect((await earn(vip, '10')).balance).toBe(17);
    expect((await earn(plain, '10')).balance).toBe(10);
    expect((await challengesOf(vip)).map((c) => c.id)).toEqual(['vip-one']);
    expect(await challengesOf(plain)).toEqual([]);
    expect(await rewards(plain)).toEqual([]);
    expect((await club.api('GET', '/v1/members/nobody-here/challenges')).status).toBe(404);
  });
});

describe('referrals and a complete profile', () => {
  it('count where their bonus is paid, in its transaction, and a refund that takes the referral back takes its progress', async () => {
    const monthly = { period: { repeat: 'monthly' } };
    await putProgram({
      bonuses: { profileCompletion: 20, referral: { referrer: 50, referred: 0 } },
      challenges: [
        { ...threeOrders, ...monthly, id: 'two-friends', goal: { kind: 'referrals', target: 2 }, reward: { points: 500 } },
        {
          ...threeOrders,
          id: 'profile',
          period: { from: '2026-01-01', to: '2030-12-31' },
          goal: { kind: 'profile', target: 1 },
          reward: { points: 100 },
        },
      ],
    });
    const referrer = await newMember();
    const friends = [await newMember({ referredBy: referrer }), await newMember({ referredBy: referrer })];
    const orders = [uniqueId('o'), uniqueId('o')];
    await earn(friends[0]!, '10', { orderId: orders[0] });
    expect((await challengesOf(referrer)).map((c) => [c.id, c.progress])).toEqual([
      ['two-friends', 1],
      ['profile', 0],
    ]);
    await earn(friends[1]!, '10', { orderId: orders[1] });
    // Two referral bonuses and the challenge's 500.
    expect(await expectBalanceMatchesLedger(club, referrer)).toBe(600);
    // The second friend's order refunded in full: its referral bonus goes back, and with it the progress and the reward.
    await refund(friends[1]!, orders[1]!, '10');
    expect(await expectBalanceMatchesLedger(club, referrer)).toBe(50);
    expect((await challengesOf(referrer))[0]).toMatchObject({ progress: 1, completedAt: null });

    // A profile completed at enrolment: its bonus (20) and the challenge's 100, once.
    const complete = await newMember({
      email: `${uniqueId('p')}@example.com`,
      phone: `+98912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      name: 'Pat Doe',
      birthday: '1990-05-06',
    });
    expect(await expectBalanceMatchesLedger(club, complete)).toBe(120);
    expect((await challengesOf(complete)).find((c) => c.id === 'profile')).toMatchObject({ progress: 1, target: 1 });
  });

  it('a profile given while collecting counts when its bonus rides on the first order after the launch (a webhook)', async () => {
    await putProgram({
      bonuses: { profileCompletion: 20 },
      pilot: { enabled: true, tags: ['pilot'] },
      challenges: [
        threeOrders,
        {
          ...threeOrders,
          id: 'profile',
          period: { from: '2026-01-01', to: '2030-12-31' },
          goal: { kind: 'profile', target: 1 },
          reward: { points: 100 },
        },
      ],
    });
    const email = `${uniqueId('p')}@example.com`;
    const m = await newMember({
      email,
      phone: `+98912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      name: 'Pat Doe',
      birthday: '1990-05-06',
    });
    // Outside the pilot: nothing paid, nothing counted.
    expect(await expectBalanceMatchesLedger(club, m)).toBe(0);
    const current = await club.api('GET', '/v1/admin/program');
    const launched = await club.api('POST', '/v1/admin/program/launch', {}, { 'if-match': current.headers.etag });
    expect(launched.status, JSON.stringify(launched.body)).toBe(200);

    const paid = { event: 'order.paid', orderId: uniqueId('CH'), amount: '10.00', currency: 'USD', customer: { email } };
    expect((await sendGeneric(club, paid)).status).toBe(202);
    // 10 for the order, the owed 20 for the profile and the profile challenge's 100, in one write.
    await waitForBalance(club, `email=${email}`, 130);
    await sendGeneric(club, paid);
    await sendGeneric(club, { ...paid, orderId: uniqueId('CH') });
    await waitForBalance(club, `email=${email}`, 140);
    expect(await expectBalanceMatchesLedger(club, m)).toBe(140);
    const byId = Object.fromEntries((await challengesOf(m)).map((c) => [c.id, c.progress]));
    expect(byId).toEqual({ 'three-orders': 2, profile: 1 });
    const ledger = await rawLedger(club.client, club.tableName, m);
    expect(ledger.filter((e) => e.reason === 'profile completion bonus').map((e) => e.points)).toEqual([20]);
    await putProgram({ challenges: [] });
  });

  it('are refused when the program pays no such bonus: nothing would count', async () => {
    const before = await club.api('GET', '/v1/admin/program');
    const res = await club.api(
      'PUT',
      '/v1/admin/program',
      { challenges: [{ ...threeOrders, goal: { kind: 'referrals', target: 2 } }] },
      { 'if-match': before.headers.etag },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: 'body.challenges.0.goal.kind' })]);
  });
});

describe('cost', () => {
  const costOf = async (memberId: string) => {
    const res = await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount: '10', currency: 'USD' });
    expect(res.status).toBe(200);
    const c = Object.fromEntries(res.headers['x-loyalty-capacity']!.split(';').map((kv) => kv.split('=')));
    return { wruAws: Number(c.wruAws), calls: Number(c.calls) };
  };

  it('an earn that moves no challenge costs what it did; one that does adds one read and its items', async () => {
    await putProgram({ challenges: [] });
    const none = await costOf(await newMember());
    await putProgram({ challenges: [{ ...threeOrders, audience: { tags: ['vip'] } }] });
    expect(await costOf(await newMember())).toEqual(none);
    // The member plays: one BatchGet of the progress item, and the progress item (1 WRU by AWS's rule, ×2 in a transaction) written with the order.
    const playing = await costOf(await newMember({ tags: ['vip'] }));
    expect(playing).toEqual({ wruAws: none.wruAws + 2, calls: none.calls + 1 });
  });
});

describe('the program', () => {
  it('refuses bad challenges with 400 and the path of each mistake, and saves nothing', async () => {
    const before = await club.api('GET', '/v1/admin/program');
    const res = await club.api(
      'PUT',
      '/v1/admin/program',
      {
        challenges: [
          { ...threeOrders, goal: { kind: 'category', target: 10 } },
          { ...threeOrders, id: 'x', reward: { rewardId: 'a-catalog-reward' } },
        ],
      },
      { 'if-match': before.headers.etag },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    // A prize names a reward of the program's own catalog: this one has none.
    expect(paths).toEqual(expect.arrayContaining(['body.challenges.0.goal.category', 'body.challenges.1.reward.rewardId']));
    expect((await club.api('GET', '/v1/admin/program')).body.version).toBe(before.body.version);
  });
});
