import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  challengeApplies,
  checkPrizesAvailable,
  contributionsFor,
  decidePrize,
  decidePrizeTakeBack,
  decideProgress,
  periodOf,
  prizeDefinition,
  rewardCostOf,
  startOfLocalDay,
  takenBack,
  type ChallengeProgress,
  type ChallengeRules,
} from '../../../../shared/domain/challenges';
import { defaultProgram, type Program } from '../../../../shared/domain/program';

const monthly = { period: { repeat: 'monthly' as const } };
const weekly = { period: { repeat: 'weekly' as const } };

describe('periodOf', () => {
  it('a monthly challenge in Tehran runs for a Jalali month, by Tehran time (UTC+3:30)', () => {
    // 23:59 on 20 March 2027 in Tehran is the last minute of Esfand 1405; 00:00 on the 21st is 1 Farvardin 1406 (Nowruz).
    expect(periodOf(monthly, '2027-03-20T20:29:00Z', 'Asia/Tehran')).toEqual({ key: 'J1405-12', start: '2027-02-20', next: '2027-03-21' });
    expect(periodOf(monthly, '2027-03-20T20:30:00Z', 'Asia/Tehran')).toEqual({ key: 'J1406-01', start: '2027-03-21', next: '2027-04-21' });
  });

  it('a monthly challenge elsewhere runs for the calendar month of the program time zone', () => {
    expect(periodOf(monthly, '2027-03-31T23:30:00Z', 'UTC')?.key).toBe('M2027-03');
    expect(periodOf(monthly, '2027-03-31T23:30:00Z', 'Europe/Berlin')).toEqual({
      key: 'M2027-04',
      start: '2027-04-01',
      next: '2027-05-01',
    });
    expect(periodOf(monthly, '2027-12-05T00:00:00Z', 'UTC')).toEqual({ key: 'M2027-12', start: '2027-12-01', next: '2028-01-01' });
  });

  it('a week starts on Saturday in Tehran and on Monday elsewhere', () => {
    // 2027-03-20 is a Saturday.
    expect(periodOf(weekly, '2027-03-19T12:00:00Z', 'Asia/Tehran')?.key).toBe('W2027-03-13');
    expect(periodOf(weekly, '2027-03-20T12:00:00Z', 'Asia/Tehran')).toEqual({
      key: 'W2027-03-20',
      start: '2027-03-20',
      next: '2027-03-27',
    });
    expect(periodOf(weekly, '2027-03-21T12:00:00Z', 'UTC')).toEqual({ key: 'W2027-03-15', start: '2027-03-15', next: '2027-03-22' });
    expect(periodOf(weekly, '2027-03-22T00:00:00Z', 'UTC')?.key).toBe('W2027-03-22');
  });

  it('a dated challenge runs from its first to its last day inclusive, else not at all', () => {
    const dated = { period: { from: '2027-03-01', to: '2027-03-10' } };
    expect(periodOf(dated, '2027-02-28T23:59:00Z', 'UTC')).toBeUndefined();
    expect(periodOf(dated, '2027-03-10T23:59:00Z', 'UTC')).toEqual({ key: 'once', start: '2027-03-01', next: '2027-03-11' });
    expect(periodOf(dated, '2027-03-11T00:00:00Z', 'UTC')).toBeUndefined();
  });

  it('a period ends when the next local day starts in the zone', () => {
    expect(startOfLocalDay('2027-04-21', 'Asia/Tehran')).toBe('2027-04-20T20:30:00.000Z');
    expect(startOfLocalDay('2027-04-01', 'UTC')).toBe('2027-04-01T00:00:00.000Z');
    // Berlin is on summer time (UTC+2) from 28 March 2027.
    expect(startOfLocalDay('2027-04-01', 'Europe/Berlin')).toBe('2027-03-31T22:00:00.000Z');
    expect(startOfLocalDay('2027-01-01', 'Europe/Berlin')).toBe('2026-12-31T23:00:00.000Z');
  });
});

const challenge = (over: Partial<ChallengeRules> = {}): ChallengeRules => ({
  id: 'c1',
  name: { fa: 'چالش', en: 'Challenge' },
  period: { repeat: 'monthly' },
  goal: { kind: 'orders', target: 3 },
  reward: { points: 300 },
  ...over,
});

const member = { memberId: 'm1', tier: 'member', tags: ['vip'], joinedAt: '2027-01-10T00:00:00Z' };

describe('who plays', () => {
  const program: Program = { ...defaultProgram('USD'), challenges: [] };
  it('follows the audience like a campaign target: tiers, tags, joined after', () => {
    expect(challengeApplies(challenge(), member, program)).toBe(true);
    expect(challengeApplies(challenge({ audience: { tiers: ['gold'] } }), member, program)).toBe(false);
    expect(challengeApplies(challenge({ audience: { tags: ['vip', 'x'] } }), member, program)).toBe(true);
    expect(challengeApplies(challenge({ audience: { tags: ['x'] } }), member, program)).toBe(false);
    expect(challengeApplies(challenge({ audience: { joinedAfter: '2027-01-10T00:00:00Z' } }), member, program)).toBe(false);
    expect(challengeApplies(challenge({ audience: { joinedAfter: '2027-01-09T00:00:00Z' } }), member, program)).toBe(true);
  });

  it('a member outside the pilot plays nothing', () => {
    const pilot = { ...program, pilot: { enabled: true, tags: ['beta'], memberIds: [], percent: 0 } };
    expect(challengeApplies(challenge(), member, pilot)).toBe(false);
  });

  it('an order moves each applying goal by its measure', () => {
    const p: Program = {
      ...program,
      challenges: [
        challenge(),
        challenge({ id: 'spend', goal: { kind: 'spend', target: 100 } }),
        challenge({ id: 'shoes', goal: { kind: 'category', target: 50, category: 'shoes' } }),
        challenge({ id: 'hats', goal: { kind: 'category', target: 50, category: 'hats' } }),
        challenge({ id: 'refs', goal: { kind: 'referrals', target: 2 } }),
        challenge({ id: 'gold', audience: { tiers: ['gold'] } }),
      ],
    };
    const order = { kind: 'order' as const, at: '2027-03-05T10:00:00Z', spend: 70, categories: { shoes: 40 } };
    expect(contributionsFor(p, member, order)).toEqual([
      { id: 'c1', period: 'M2027-03', kind: 'orders', added: 1 },
      { id: 'spend', period: 'M2027-03', kind: 'spend', added: 70 },
      { id: 'shoes', period: 'M2027-03', kind: 'category', added: 40 },
    ]);
    expect(contributionsFor(p, member, { kind: 'referral', at: order.at })).toEqual([
      { id: 'refs', period: 'M2027-03', kind: 'referrals', added: 1 },
    ]);
  });
});

describe('takenBack', () => {
  const d = (units: number) => ({ units: BigInt(units), scale: 0 });
  it('an order stops counting only once refunded in full', () => {
    const c = { kind: 'orders' as const, added: 1 };
    expect(takenBack(c, { before: d(0), after: d(50), paid: d(100) })).toBe(0);
    expect(takenBack(c, { before: d(50), after: d(100), paid: d(100) })).toBe(1);
    expect(takenBack(c, { before: d(100), after: d(100), paid: d(100) })).toBe(0);
  });
  it('spend goes back by the cumulative share', () => {
    const c = { kind: 'spend' as const, added: 99 };
    // 99 × 1/3 = 33, then 99 × 2/3 = 66 less 33, then the rest: 33 each, 99 in all.
    expect(takenBack(c, { before: d(0), after: d(1), paid: d(3) })).toBe(33);
    expect(takenBack(c, { before: d(1), after: d(2), paid: d(3) })).toBe(33);
    expect(takenBack(c, { before: d(2), after: d(3), paid: d(3) })).toBe(33);
    // 10 units of a category in thirds: floor(10/3) = 3, then floor(20/3) − 3 = 3, then the last 4.
    const c2 = { kind: 'category' as const, added: 10 };
    expect([
      takenBack(c2, { before: d(0), after: d(1), paid: d(3) }),
      takenBack(c2, { before: d(1), after: d(2), paid: d(3) }),
      takenBack(c2, { before: d(2), after: d(3), paid: d(3) }),
    ]).toEqual([3, 3, 4]);
  });
});

describe('decideProgress', () => {
  const goal = challenge();
  it('grants on reaching the target, not again above it, and takes back below it', () => {
    const a = decideProgress(goal, undefined, 'M2027-03', 2, 't1');
    expect(a).toEqual({ after: { challengeId: 'c1', period: 'M2027-03', progress: 2, grants: 0 } });
    const b = decideProgress(goal, a.after, 'M2027-03', 1, 't2');
    expect(b.reward).toEqual({ move: 'grant', round: 1 });
    expect(b.after).toMatchObject({ progress: 3, completedAt: 't2', grants: 1 });
    const c = decideProgress(goal, b.after, 'M2027-03', 1, 't3');
    expect(c.reward).toBeUndefined();
    const d = decideProgress(goal, c.after, 'M2027-03', -1, 't4');
    expect(d.reward).toBeUndefined();
    const e = decideProgress(goal, d.after, 'M2027-03', -1, 't5');
    expect(e.reward).toEqual({ move: 'take-back', round: 1 });
    expect(e.after.completedAt).toBeUndefined();
  });

  it('a profile counts once', () => {
    const profile = challenge({ goal: { kind: 'profile', target: 1 } });
    const a = decideProgress(profile, undefined, 'once', 1, 't1');
    expect(decideProgress(profile, a.after, 'once', 1, 't2')).toEqual({ after: a.after });
  });

  type Step = { kind: 'order'; period: number } | { kind: 'refund'; of: number };
  const steps = fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('order' as const), period: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ kind: fc.constant('refund' as const), of: fc.nat(40) }),
    ),
    { maxLength: 40 },
  );

  it('over any orders and refunds: never negative, at most one reward held per period, taken back only below target', () => {
    fc.assert(
      fc.property(steps, fc.integer({ min: 1, max: 5 }), (seq: Step[], target) => {
        const c = challenge({ goal: { kind: 'orders', target } });
        const state = new Map<string, ChallengeProgress>();
        const held = new Map<string, number>();
        const orders: { period: string; refunded: boolean }[] = [];
        for (const [i, step] of seq.entries()) {
          let period: string;
          let change: number;
          if (step.kind === 'order') {
            period = `M2027-0${step.period + 1}`;
            orders.push({ period, refunded: false });
            change = 1;
          } else {
            const order = orders[step.of];
            // A refund of an unknown or already refunded order takes nothing.
            if (!order || order.refunded) continue;
            order.refunded = true;
            period = order.period;
            change = -1;
          }
          const before = state.get(period);
          const { after, reward } = decideProgress(c, before, period, change, `t${i}`);
          expect(after.progress).toBeGreaterThanOrEqual(0);
          const live = orders.filter((o) => o.period === period && !o.refunded).length;
          expect(after.progress).toBe(live);
          if (reward?.move === 'grant') {
            expect(before?.completedAt).toBeUndefined();
            held.set(period, (held.get(period) ?? 0) + 1);
          }
          if (reward?.move === 'take-back') {
            // Only a refund, and only when it drops the progress below the target.
            expect(change).toBeLessThan(0);
            expect(after.progress).toBeLessThan(target);
            expect(before!.progress).toBeGreaterThanOrEqual(target);
            held.set(period, (held.get(period) ?? 0) - 1);
          }
          // Every other period is untouched; this one holds its reward exactly while the goal is met.
          expect(held.get(period) ?? 0).toBe(after.progress >= target ? 1 : 0);
          state.set(period, after);
        }
      }),
    );
  });
});

describe('catalog prizes', () => {
  const goal = challenge();
  const coffee = { rewardId: 'coffee', name: 'Free coffee', kind: 'free-product' as const, productId: 'SKU', pointsPrice: 150 };

  it('a used code stays the member’s: a refund below the target keeps the completion and takes nothing back', () => {
    const met = decideProgress(goal, undefined, 'M2027-03', 3, 't1').after;
    const kept = decideProgress(goal, met, 'M2027-03', -1, 't2', true);
    expect(kept).toEqual({ after: { ...met, progress: 2 } });
    // Met again while kept: no second grant in the period.
    expect(decideProgress(goal, kept.after, 'M2027-03', 1, 't3').reward).toBeUndefined();
  });

  it('a take-back cancels an unused code, keeps a used one and leaves a closed one', () => {
    expect(decidePrizeTakeBack({})).toBe('cancel');
    expect(decidePrizeTakeBack({ usedAt: 't' })).toBe('keep');
    expect(decidePrizeTakeBack({ refundedAt: 't', cancelledAt: 't' })).toBe('closed');
    expect(decidePrizeTakeBack(undefined)).toBe('closed');
  });

  it('moves no points: the grant names the code and carries the price, the take-back its negative', () => {
    const member = { balance: 40, lots: [{ expiresAt: '2028-01-01T00:00:00Z', points: 40 }], lifetimePoints: 90 };
    const now = new Date('2027-03-05T10:00:00Z');
    const meta = { reason: 'r', key: 'k', programVersion: 3 };
    const grant = decidePrize(member, { move: 'grant', rewardId: 'coffee', code: 'RW-1', pointsPrice: 150 }, meta, now);
    expect(grant.entry).toEqual({
      type: 'bonus',
      points: 0,
      reason: 'r',
      programVersion: 3,
      idempotencyKey: 'k',
      rewardId: 'coffee',
      rewardCode: 'RW-1',
      prizePoints: 150,
    });
    expect(grant.next).toEqual({ ...member, lastActivityAt: '2027-03-05T10:00:00.000Z' });
    const back = decidePrize(member, { move: 'take-back', rewardId: 'coffee', code: 'RW-1', pointsPrice: 150 }, meta, now);
    expect(back.entry).toMatchObject({ type: 'reverse', points: 0, prizePoints: -150 });
    expect(back.entry.rewardCode).toBeUndefined();
    expect(back.next).toEqual(member);
  });

  it('a prize code is free and gives nothing back on expiry; a completion costs the catalog price', () => {
    expect(prizeDefinition({ ...coffee, refundOnExpiry: true })).toMatchObject({
      pointsPrice: 0,
      refundOnExpiry: false,
      rewardId: 'coffee',
    });
    expect(rewardCostOf({ reward: { rewardId: 'coffee' } }, { rewards: [coffee] })).toBe(150);
    expect(rewardCostOf({ reward: { points: 30 } }, {})).toBe(30);
    expect(() => rewardCostOf({ reward: { rewardId: 'nope' } }, { rewards: [coffee] })).toThrow(/not in the catalog/);
  });

  it('a save is refused while a prize names a reward that has ended', () => {
    const now = new Date('2027-03-05T10:00:00Z');
    const prize = { ...goal, reward: { rewardId: 'coffee' } };
    expect(() => checkPrizesAvailable({ challenges: [prize], rewards: [coffee] }, now)).not.toThrow();
    expect(() =>
      checkPrizesAvailable({ challenges: [prize], rewards: [{ ...coffee, availableUntil: '2027-03-06T00:00:00Z' }] }, now),
    ).not.toThrow();
    expect(() =>
      checkPrizesAvailable({ challenges: [goal, prize], rewards: [{ ...coffee, availableUntil: '2027-03-05T10:00:00Z' }] }, now),
    ).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: [expect.objectContaining({ path: 'body.challenges.1.reward.rewardId' })],
      }),
    );
  });
});
