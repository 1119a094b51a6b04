/**
 * A challenge whose prize is a catalog reward, through HTTP, the real webhook
 * queue and DynamoDB Local: the code is issued free, once per period, in the
 * transaction that completes the goal (whatever the catalog's stock says), shown
 * with the member's codes and counted in the reports at the reward's points
 * price; a refund that un-meets the goal cancels an unused code, while a code
 * already used stays the member's, and so does the completion. A program naming
 * an unknown, tier-up or ended reward is refused and nothing is saved.
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

// Stock 0: no redemption can get one, yet the prize is promised by the challenge.
const coffee = { rewardId: 'coffee', name: 'Free coffee', kind: 'free-product', productId: 'SKU-COFFEE', pointsPrice: 150, stock: 0 };
const twoOrders = (id: string) => ({
  id,
  name: { fa: 'دو سفارش، یک قهوه', en: 'Two orders, one coffee' },
  period: { repeat: 'monthly' },
  goal: { kind: 'orders', target: 2 },
  reward: { rewardId: 'coffee' },
});

const today = () => new Date().toISOString().slice(0, 10);
const figures = async (id: string) => {
  const res = await club.api('GET', `/v1/reports/summary?from=${today()}&to=${today()}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.challenges as any[]).find((c) => c.id === id);
};
const prizeEntries = async (memberId: string) =>
  (await rawLedger(club.client, club.tableName, memberId)).filter((e) => e.challengeId !== undefined);
const challengesOf = async (memberId: string) => {
  const res = await club.api('GET', `/v1/members/${memberId}/challenges`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items as any[];
};
const code = async (text: string) => {
  const res = await club.api('GET', `/v1/rewards/codes/${text}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const refund = async (memberId: string, orderId: string, amount: string) => {
  const res = await club.api('POST', '/v1/refunds', { memberId, orderId, refundId: uniqueId('r'), amount, currency: 'USD' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('saving a challenge with a catalog prize', () => {
  it('refuses an unknown, a tier-up or an ended reward with 400, and saves nothing', async () => {
    const before = await club.api('GET', '/v1/admin/program');
    const tiers = { levels: [{ id: 'gold', name: 'Gold', threshold: 100 }] };
    const tierUp = { rewardId: 'to-gold', name: 'Gold now', kind: 'tier-up', tier: 'gold', pointsPrice: 500 };
    const ended = { ...coffee, rewardId: 'old-coffee', availableUntil: '2020-01-01T00:00:00Z' };
    const cases: [Record<string, unknown>, string][] = [
      [{ rewards: [coffee], challenges: [{ ...twoOrders('c'), reward: { rewardId: 'nope' } }] }, 'no reward nope'],
      [{ tiers, rewards: [tierUp], challenges: [{ ...twoOrders('c'), reward: { rewardId: 'to-gold' } }] }, 'tier-up'],
      [{ rewards: [ended], challenges: [{ ...twoOrders('c'), reward: { rewardId: 'old-coffee' } }] }, 'ended'],
    ];
    for (const [program, message] of cases) {
      const res = await club.api('PUT', '/v1/admin/program', program, { 'if-match': before.headers.etag });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toContainEqual({
        path: 'body.challenges.0.reward.rewardId',
        message: expect.stringContaining(message),
      });
    }
    expect((await club.api('GET', '/v1/admin/program')).body.version).toBe(before.body.version);
  });
});

describe('a catalog prize', () => {
  it('is issued free, once, by the webhook order that completes the goal, shown with the member’s codes and counted at its price', async () => {
    await putProgram({ rewards: [coffee], challenges: [twoOrders('coffee-hook')] });
    const id = uniqueId('x');
    const email = `prize-${id}@example.com`;
    const paid = (n: number) => ({ event: 'order.paid', orderId: `PZ-${id}-${n}`, amount: '10.00', currency: 'USD', customer: { email } });
    expect((await sendGeneric(club, paid(1))).status).toBe(202);
    const m = await waitForBalance(club, `email=${email}`, 10);
    await sendGeneric(club, paid(2));
    // The orders' 20 points only: the prize costs the member nothing.
    await waitForBalance(club, `email=${email}`, 20);
    const [grant] = await waitFor<any[]>(async () => {
      const e = await prizeEntries(m.memberId);
      return e.length === 1 ? e : undefined;
    }, 'the prize entry');
    expect(grant).toMatchObject({ type: 'bonus', points: 0, rewardId: 'coffee', prizePoints: 150, challengeId: 'coffee-hook' });
    expect(grant.rewardCode).toMatch(/^RW-/);
    // A redelivered order and a third order in the period issue nothing more.
    await sendGeneric(club, paid(2));
    await sendGeneric(club, paid(3));
    await waitForBalance(club, `email=${email}`, 30);
    expect(await prizeEntries(m.memberId)).toHaveLength(1);

    const issued = await code(grant.rewardCode);
    expect(issued).toMatchObject({ status: 'issued', rewardId: 'coffee', memberId: m.memberId, pointsPrice: 0 });
    const { token } = await portalLink(club, m.memberId);
    const mine = await club.api('GET', '/v1/me/codes', undefined, { authorization: `Bearer ${token}` });
    expect(mine.body.items.map((c: any) => c.code)).toEqual([grant.rewardCode]);
    const [view] = await challengesOf(m.memberId);
    expect(view).toMatchObject({ id: 'coffee-hook', progress: 3, reward: { rewardId: 'coffee', name: 'Free coffee' } });
    expect(view.completedAt).not.toBeNull();
    // Counted at the reward's points price: one completion, 150.
    expect(await figures('coffee-hook')).toMatchObject({ participants: 1, completions: 1, points: 150 });
    // One notice, the completion's, naming the code; the shop still hears reward.issued.
    // eventsOf waits until the table's stream is drained: what committed has been published.
    const [done] = await bus.eventsOf(m.memberId, 'challenge.completed');
    expect(done.data).toMatchObject({ challengeId: 'coffee-hook', rewardId: 'coffee', code: grant.rewardCode, points: 0 });
    const issuedEvents = await bus.eventsOf(m.memberId, 'reward.issued');
    expect(issuedEvents.map((e) => [e.id, e.data])).toEqual([
      [
        `reward:${grant.rewardCode}`,
        expect.objectContaining({ code: grant.rewardCode, challengeId: 'coffee-hook', pointsPrice: 0, redemptionId: grant.entryId }),
      ],
    ]);
  });

  it('is cancelled, unused, by the refund that un-meets the goal, and issued anew when the goal is met again', async () => {
    await putProgram({ rewards: [coffee], challenges: [twoOrders('coffee-back')] });
    const m = await newMember();
    const first = uniqueId('o');
    await earn(m, '10', { orderId: first });
    await earn(m, '10');
    const grant = (await prizeEntries(m))[0]!;
    expect(await figures('coffee-back')).toMatchObject({ completions: 1, points: 150 });

    const back = await refund(m, first, '10');
    expect(back.balance).toBe(10);
    expect(await code(grant.rewardCode)).toMatchObject({ status: 'cancelled' });
    const entries = await prizeEntries(m);
    expect(entries.map((e) => [e.type, e.points, e.prizePoints])).toEqual([
      ['bonus', 0, 150],
      ['reverse', 0, -150],
    ]);
    expect((await challengesOf(m))[0]).toMatchObject({ progress: 1, completedAt: null });
    // The shop hears the code closed, once, naming the take-back's entry; nothing was paid for it.
    const cancelled = await bus.eventsOf(m, 'reward.cancelled');
    expect(cancelled.map((e) => [e.id, e.data])).toEqual([
      [
        `reward-cancelled:${grant.rewardCode}`,
        { code: grant.rewardCode, rewardId: 'coffee', reason: 'cancelled', pointsReturned: 0, entryId: entries[1]!.entryId },
      ],
    ]);
    expect(await figures('coffee-back')).toMatchObject({ completions: 0, points: 0 });
    // The cancelled code can't be used at the till.
    const use = await club.api('POST', `/v1/rewards/codes/${grant.rewardCode}/use`, { orderId: uniqueId('till') });
    expect(use.status).toBe(409);
    expect(use.body.error.code).toBe('CODE_CANCELLED');

    // Met again in the period: a new code, so the member holds one.
    await earn(m, '10');
    const again = await prizeEntries(m);
    expect(again).toHaveLength(3);
    expect(again[2]!.rewardCode).not.toBe(grant.rewardCode);
    expect(await code(again[2]!.rewardCode)).toMatchObject({ status: 'issued' });
    expect(await figures('coffee-back')).toMatchObject({ completions: 1, points: 150 });
    expect(await expectBalanceMatchesLedger(club, m)).toBe(20);
  });

  it('stays the member’s once used: the refund takes progress back but neither the code nor the completion', async () => {
    await putProgram({ rewards: [coffee], challenges: [twoOrders('coffee-used')] });
    const m = await newMember();
    const first = uniqueId('o');
    await earn(m, '10', { orderId: first });
    await earn(m, '10');
    const grant = (await prizeEntries(m))[0]!;
    const use = await club.api('POST', `/v1/rewards/codes/${grant.rewardCode}/use`, { orderId: uniqueId('till') });
    expect(use.status, JSON.stringify(use.body)).toBe(200);

    await refund(m, first, '10');
    expect(await code(grant.rewardCode)).toMatchObject({ status: 'used' });
    expect(await prizeEntries(m)).toHaveLength(1);
    const [view] = await challengesOf(m);
    expect(view.progress).toBe(1);
    expect(view.completedAt).not.toBeNull();
    // Completed still: another order in the period gives no second prize.
    await earn(m, '10');
    expect(await prizeEntries(m)).toHaveLength(1);
    expect(await figures('coffee-used')).toMatchObject({ completions: 1, points: 150 });
  });
});
