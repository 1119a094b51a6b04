/**
 * The report summary per challenge: members who played it, completions (net of
 * the take-backs refunds cause), their rate and the points the rewards cost,
 * from counters the balance change that moves progress updates in its own
 * transaction. A fresh club (its own table), so every figure is known by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';
import { rawLedger, uniqueId } from '../support/ledger';
import { programApi } from '../support/program';

let club: TestClub;
beforeAll(async () => {
  club = await startTestClub();
});
afterAll(() => club?.stop());
const { newMember, earn, putProgram } = programApi(() => club);

const today = () => new Date().toISOString().slice(0, 10);
const summary = async () => {
  const res = await club.api('GET', `/v1/reports/summary?from=${today()}&to=${today()}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};
const twoOrders = {
  id: 'two-orders',
  name: { fa: 'دو سفارش در ماه', en: 'Two orders a month' },
  period: { repeat: 'monthly' },
  goal: { kind: 'orders', target: 2 },
  reward: { points: 50 },
};
const spend = {
  id: 'spend-100',
  name: { fa: 'خرید ۱۰۰ دلاری', en: 'Spend 100' },
  period: { repeat: 'monthly' },
  goal: { kind: 'spend', target: 100 },
  reward: { points: 20 },
};

describe('the report summary per challenge', () => {
  it('counts participants, net completions, their rate and the points the rewards cost', async () => {
    await putProgram({ challenges: [twoOrders, spend] });
    expect((await summary()).challenges).toEqual([
      { id: 'two-orders', name: twoOrders.name, participants: 0, completions: 0, completionRate: 0, points: 0 },
      { id: 'spend-100', name: spend.name, participants: 0, completions: 0, completionRate: 0, points: 0 },
    ]);

    // a: two orders complete two-orders (+50) and play spend-100 (20 of 100).
    const a = await newMember();
    await earn(a, '10');
    await earn(a, '10');
    // b: one order plays both.
    const b = await newMember();
    await earn(b, '10');
    // c: completes two-orders, then a full refund takes the reward back (−50).
    const c = await newMember();
    const first = uniqueId('o');
    await earn(c, '10', { orderId: first });
    await earn(c, '10');
    const back = await club.api('POST', '/v1/refunds', {
      memberId: c,
      orderId: first,
      refundId: uniqueId('r'),
      amount: '10',
      currency: 'USD',
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);

    expect((await summary()).challenges).toEqual([
      { id: 'two-orders', name: twoOrders.name, participants: 3, completions: 1, completionRate: 0.3333, points: 50 },
      { id: 'spend-100', name: spend.name, participants: 3, completions: 0, completionRate: 0, points: 0 },
    ]);

    // b's 100 completes both; a second order of a's adds progress, no participant and no reward.
    await earn(b, '100');
    await earn(a, '10');
    const after = await summary();
    expect(after.challenges).toEqual([
      { id: 'two-orders', name: twoOrders.name, participants: 3, completions: 2, completionRate: 0.6667, points: 100 },
      { id: 'spend-100', name: spend.name, participants: 3, completions: 1, completionRate: 0.3333, points: 20 },
    ]);

    // The points are exactly the reward entries in the ledger: 50 + 50 − 50 + 50 + 20.
    const rewardPoints = (await Promise.all([a, b, c].map((m) => rawLedger(club.client, club.tableName, m))))
      .flat()
      .filter((e) => e.challengeId !== undefined)
      .reduce((sum, e) => sum + e.points, 0);
    expect(rewardPoints).toBe(120);

    // The CSV stays one row of the figures.
    const csv = await club.api('GET', `/v1/reports/summary?from=${today()}&to=${today()}&format=csv`);
    expect(csv.status).toBe(200);
    const [header, row, rest] = csv.text.split('\r\n');
    expect(header).toMatch(/^\uFEFF?from,to,/);
    expect(header).not.toContain('challenges');
    expect(row).not.toContain('object');
    expect(rest).toBe('');

    // A day before has none of it.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const before = await club.api('GET', `/v1/reports/summary?from=${yesterday}&to=${yesterday}`);
    expect(before.body.challenges[0]).toMatchObject({ id: 'two-orders', participants: 0, completions: 0, points: 0 });
  });
});
