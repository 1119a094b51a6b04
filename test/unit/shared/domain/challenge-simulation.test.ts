import { describe, expect, it } from 'vitest';
import { checkSimulatable, simulateChallenges, type PastOrderEvent } from '../../../../shared/domain/challenge-simulation';
import type { ChallengeRules } from '../../../../shared/domain/challenges';
import { parseDecimal } from '../../../../shared/domain/money';
import { defaultProgram, type Program } from '../../../../shared/domain/program';

const program: Program = { ...defaultProgram('IRR'), timeZone: 'Asia/Tehran', pointValue: '10', challenges: [] };
const twoOrders: ChallengeRules = {
  id: 'two-orders',
  name: { fa: 'دو سفارش', en: 'Two orders' },
  period: { repeat: 'monthly' },
  goal: { kind: 'orders', target: 2 },
  reward: { points: 300 },
};
const spendInMarch: ChallengeRules = {
  id: 'spend-1000',
  name: { fa: 'هزار خرید', en: 'Spend 1000' },
  period: { from: '2027-03-01', to: '2027-03-31' },
  goal: { kind: 'spend', target: 1000 },
  reward: { points: 50 },
};
const goldOnly: ChallengeRules = { ...twoOrders, id: 'gold-only', audience: { tiers: ['gold'] } };

const member = (memberId: string) => ({ memberId, tier: 'member', tags: [], joinedAt: '2026-01-01T00:00:00Z' });
const order = (memberId: string, orderId: string, at: string, amount: number): PastOrderEvent => ({
  kind: 'order',
  member: member(memberId),
  orderId,
  activity: { kind: 'order', at, spend: amount, categories: {} },
  paid: parseDecimal(String(amount))!,
});
const refund = (memberId: string, orderId: string, at: string, amount: number): PastOrderEvent => ({
  kind: 'refund',
  memberId,
  orderId,
  at,
  amount: parseDecimal(String(amount))!,
});

// Tehran is UTC+3:30: 20:29Z on 20 March 2027 is 23:59 on the last day of Esfand 1405; 20:30Z is 1 Farvardin 1406.
const orders: PastOrderEvent[] = [
  order('m1', 'o1', '2027-03-19T10:00:00Z', 600), // Esfand
  order('m1', 'o2', '2027-03-20T20:29:00Z', 500), // Esfand: second order of the month, completes two-orders; spend 1100 completes spend-1000
  order('m1', 'o3', '2027-03-20T20:30:00Z', 100), // Farvardin: a fresh month, progress 1
  order('m2', 'p1', '2027-03-20T20:00:00Z', 700), // Esfand
  order('m2', 'p2', '2027-03-20T21:00:00Z', 400), // Farvardin; spend 1100 completes spend-1000 (21 March is in the dated period)
  order('m3', 'q1', '2027-03-21T08:00:00Z', 10), // Farvardin
  order('m3', 'q2', '2027-03-22T08:00:00Z', 10), // Farvardin: completes two-orders
];

describe('simulateChallenges', () => {
  it('counts takers and completions per Jalali month across the Tehran month boundary, and the points with their value', () => {
    const [monthly, dated] = simulateChallenges(program, [twoOrders, spendInMarch], orders);
    expect(monthly).toEqual({
      id: 'two-orders',
      participants: 3,
      completions: 2,
      points: 600,
      pointsValue: '6000',
      periods: [
        { period: 'J1405-12', participants: 2, completions: 1 },
        { period: 'J1406-01', participants: 3, completions: 1 },
      ],
    });
    expect(dated).toEqual({
      id: 'spend-1000',
      participants: 3,
      completions: 2,
      points: 100,
      pointsValue: '1000',
      periods: [{ period: 'once', participants: 3, completions: 2 }],
    });
  });

  it('a refund takes back the progress and the reward when the goal is no longer met; a partial one that keeps it met does not', () => {
    const [monthly, dated] = simulateChallenges(
      program,
      [twoOrders, spendInMarch],
      [
        ...orders,
        // m1 refunds o2 in full: Esfand's two-orders drops to 1 of 2, spend-1000 to 600 of 1000.
        refund('m1', 'o2', '2027-03-25T10:00:00Z', 500),
        // m2 refunds 100 of p2's 400: spend-1000 drops to 1000, still met; an order goal counts only full refunds.
        refund('m2', 'p2', '2027-03-26T10:00:00Z', 100),
        // A refund of an order the window does not hold takes back nothing.
        refund('m3', 'older', '2027-03-26T10:00:00Z', 5),
      ],
    );
    expect(monthly).toMatchObject({
      participants: 3,
      completions: 1,
      points: 300,
      pointsValue: '3000',
      periods: [
        { period: 'J1405-12', participants: 2, completions: 0 },
        { period: 'J1406-01', participants: 3, completions: 1 },
      ],
    });
    expect(dated).toMatchObject({ participants: 3, completions: 1, points: 50, pointsValue: '500' });
  });

  it('replays by time, not by the order given, and leaves out members the audience excludes', () => {
    const [monthly, gold] = simulateChallenges(program, [twoOrders, goldOnly], [...orders].reverse());
    expect(monthly).toMatchObject({ participants: 3, completions: 2 });
    expect(gold).toEqual({ id: 'gold-only', participants: 0, completions: 0, points: 0, pointsValue: '0', periods: [] });
  });

  it('gives no value without a point value', () => {
    const { pointValue: _none, ...noValue } = program;
    const [monthly] = simulateChallenges(noValue, [twoOrders], orders);
    expect(monthly).not.toHaveProperty('pointsValue');
    expect(monthly?.points).toBe(600);
  });
});

describe('referrals and profiles in the simulation', () => {
  const friends: ChallengeRules = { ...twoOrders, id: 'two-friends', goal: { kind: 'referrals', target: 2 } };
  const profile: ChallengeRules = { ...twoOrders, id: 'profile', goal: { kind: 'profile', target: 1 } };
  const referral = (referrer: string, friend: string, orderId: string, at: string): PastOrderEvent => ({
    kind: 'activity',
    member: member(referrer),
    activity: { kind: 'referral', at },
    paidBy: { memberId: friend, orderId },
  });
  const completed = (memberId: string, at: string): PastOrderEvent => ({
    kind: 'activity',
    member: member(memberId),
    activity: { kind: 'profile', at },
  });

  it("counts the referrals paid to a referrer, and a friend's order refunded in full takes its referral back", () => {
    // Farvardin 1406: r gets f1's and f2's referrals (2 of 2: met); f2's order refunded in part keeps it, in full takes it back.
    const events = [
      order('f1', 'a', '2027-03-22T08:00:00Z', 10),
      referral('r', 'f1', 'a', '2027-03-22T08:00:00Z'),
      order('f2', 'b', '2027-03-23T08:00:00Z', 10),
      referral('r', 'f2', 'b', '2027-03-23T08:00:00Z'),
      refund('f2', 'b', '2027-03-24T08:00:00Z', 4),
    ];
    expect(simulateChallenges(program, [friends], events)[0]).toMatchObject({ participants: 1, completions: 1, points: 300 });
    const undone = [...events, refund('f2', 'b', '2027-03-25T08:00:00Z', 6), refund('f2', 'b', '2027-03-26T08:00:00Z', 1)];
    expect(simulateChallenges(program, [friends], undone)[0]).toEqual({
      id: 'two-friends',
      participants: 1,
      completions: 0,
      points: 0,
      pointsValue: '0',
      periods: [{ period: 'J1406-01', participants: 1, completions: 0 }],
    });
  });

  it('counts a completed profile once per member, in the period it was paid, within the audience', () => {
    const events = [
      completed('p1', '2027-03-22T08:00:00Z'),
      completed('p2', '2027-03-19T08:00:00Z'),
      completed('p1', '2027-03-23T08:00:00Z'),
    ];
    expect(simulateChallenges(program, [profile], events)[0]).toMatchObject({
      participants: 2,
      completions: 2,
      points: 600,
      periods: [
        { period: 'J1405-12', participants: 1, completions: 1 },
        { period: 'J1406-01', participants: 1, completions: 1 },
      ],
    });
    expect(simulateChallenges(program, [{ ...profile, audience: { tiers: ['gold'] } }], events)[0]).toMatchObject({ completions: 0 });
  });

  it('refuses what it cannot price: goals whose bonus the program does not pay, a profile on given orders', () => {
    const paying = { ...program, bonuses: { ...program.bonuses, profileCompletion: 10, referral: { referrer: 5, referred: 0 } } };
    expect(() => checkSimulatable([twoOrders, friends, profile], paying, 'lastDays')).not.toThrow();
    expect(() => checkSimulatable([friends], paying, 'orders')).not.toThrow();
    const refusal = (f: () => void) => {
      try {
        f();
      } catch (err) {
        return (err as { details: { path: string }[] }).details.map((d) => d.path);
      }
      return [];
    };
    expect(refusal(() => checkSimulatable([twoOrders, profile], paying, 'orders'))).toEqual(['body.challenges.1.goal.kind']);
    expect(refusal(() => checkSimulatable([friends, profile], program, 'lastDays'))).toEqual([
      'body.challenges.0.goal.kind',
      'body.challenges.1.goal.kind',
    ]);
  });
});
