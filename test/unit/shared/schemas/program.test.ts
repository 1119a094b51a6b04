import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../../shared/domain/money';
import { DEFAULT_RULES, priceOrder, programFrom } from '../../../../shared/domain/program';
import { ProgramBody } from '../../../../shared/schemas/program';

const doc = readFileSync(new URL('../../../../docs/program.md', import.meta.url), 'utf8');

describe('docs/program.md', () => {
  const example = doc.split('## Example')[1]!.match(/```json\n([\s\S]*?)```/)![1]!;

  it('its example program is a valid program', () => {
    const parsed = ProgramBody.safeParse(JSON.parse(example));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
  });

  it('prices the worked example as the prose says: 1,250 points', () => {
    const program = programFrom(ProgramBody.parse(JSON.parse(example)), 'IRR', 2);
    const priced = priceOrder(
      program,
      { memberId: 'm', tier: 'silver', joinedAt: '2026-01-01T00:00:00Z' },
      {
        amount: parseDecimal('250000')!,
        currency: 'IRR',
        at: '2027-03-21T04:30:00Z', // 08:00 in Tehran, a Sunday: the morning bonus competes too
        lineItems: [{ sku: 'arabica-250g', category: 'beans', amount: parseDecimal('250000')! }],
      },
    );
    expect(priced).toMatchObject({ points: 1250, campaigns: ['nowruz-1406'] });
  });
});

describe('the program schema', () => {
  it('defaults to the contract default program, which the engine writes out as DEFAULT_RULES', () => {
    expect(ProgramBody.parse({})).toEqual(DEFAULT_RULES);
    expect(ProgramBody.parse({})).toEqual({
      timeZone: 'UTC',
      earning: {
        pointsPerUnit: '1',
        rounding: 'floor',
        minimumOrder: '0',
        categoryMultipliers: {},
        skuMultipliers: {},
        returnWindowDays: 0,
        currencies: {},
      },
      campaigns: [],
      stacking: 'stack',
      tiers: { basis: 'points', windowMonths: 12, graceDays: 0, levels: [] },
      bonuses: { signUp: 0, firstPurchase: 0, birthday: 0, profileCompletion: 0, referral: { referrer: 0, referred: 0 } },
      pilot: { enabled: false, tags: [], memberIds: [], percent: 0 },
      // Customers join on the member page only when the store says so.
      enrolment: { selfService: false },
      rewards: [],
      challenges: [],
      // The seeds' 45- and 90-day lapses, a month's notice before points expire.
      automation: expect.objectContaining({
        expiryReminderDays: 30,
        reengageStages: [expect.objectContaining({ afterDays: 45 }), expect.objectContaining({ afterDays: 90 })],
        quietHours: { startHour: 21, endHour: 9 },
      }),
      // Points expire at the end of the 12th month after the month earned.
      pointsValidity: { kind: 'months', months: 12 },
    });
  });

  it('takes challenges as the contract has them and refuses bad ones with the path of each mistake', () => {
    const good = {
      id: 'three-orders',
      name: { fa: 'سه سفارش', en: 'Three orders' },
      period: { repeat: 'monthly' },
      goal: { kind: 'orders', target: 3 },
      reward: { points: 300 },
      audience: { tiers: ['gold'] },
    };
    expect(ProgramBody.safeParse({ challenges: [good] }).success).toBe(true);
    const paths = (challenge: unknown, extra: object = {}) =>
      ProgramBody.safeParse({ ...extra, challenges: [challenge] }).error?.issues.map((i) => i.path.join('.'));
    expect(paths({ ...good, goal: { kind: 'category', target: 100 } })).toEqual(['challenges.0.goal.category']);
    expect(paths({ ...good, goal: { kind: 'orders', target: 0 } })).toEqual(['challenges.0.goal.target']);
    const profileBonus = { bonuses: { profileCompletion: 10 } };
    expect(paths({ ...good, goal: { kind: 'profile', target: 2 } }, profileBonus)).toEqual(['challenges.0.goal.target']);
    // Referrals and a profile count where their bonus is paid: without the bonus, nothing would.
    expect(paths({ ...good, goal: { kind: 'profile', target: 1 } })).toEqual(['challenges.0.goal.kind']);
    expect(paths({ ...good, goal: { kind: 'referrals', target: 2 } })).toEqual(['challenges.0.goal.kind']);
    expect(
      paths({ ...good, goal: { kind: 'referrals', target: 2 } }, { bonuses: { referral: { referrer: 5, referred: 0 } } }),
    ).toBeUndefined();
    expect(paths({ ...good, period: { from: '2027-03-10', to: '2027-03-01' } })).toEqual(['challenges.0.period.to']);
    expect(paths({ ...good, period: { repeat: 'daily' } })).toEqual(['challenges.0.period']);
    // A catalog reward as a prize names a reward of the same catalog, never a tier-up one.
    const rewards = [
      { rewardId: 'free-coffee', name: 'Coffee', kind: 'fixed-discount', pointsPrice: 100, amount: '5' },
      { rewardId: 'up', name: 'Go gold', kind: 'tier-up', pointsPrice: 500, tier: 'gold' },
    ];
    const tiers = { levels: [{ id: 'gold', name: 'Gold', threshold: 100 }] };
    expect(paths({ ...good, reward: { rewardId: 'free-coffee' } }, { rewards, tiers })).toBeUndefined();
    expect(paths({ ...good, reward: { rewardId: 'tea' } }, { rewards, tiers })).toEqual(['challenges.0.reward.rewardId']);
    expect(paths({ ...good, reward: { rewardId: 'up' } }, { rewards, tiers })).toEqual(['challenges.0.reward.rewardId']);
    expect(paths({ ...good, reward: { points: 5, rewardId: 'free-coffee' } }, { rewards, tiers })).toEqual(['challenges.0.reward']);
    expect(paths({ ...good, name: { fa: 'سه سفارش' } })).toEqual(['challenges.0.name.en']);
    expect(ProgramBody.safeParse({ challenges: [good, good] }).error?.issues.map((i) => i.path.join('.'))).toEqual(['challenges.1.id']);
    expect(ProgramBody.safeParse({ challenges: Array.from({ length: 21 }, (_, i) => ({ ...good, id: `c${i}` })) }).success).toBe(false);
  });

  it('takes a points validity of each kind, end-of-year from the year earned unless told', () => {
    const parse = (pointsValidity: unknown) => ProgramBody.safeParse({ pointsValidity });
    expect(parse({ kind: 'months', months: 6 }).data?.pointsValidity).toEqual({ kind: 'months', months: 6 });
    expect(parse({ kind: 'days', days: 90 }).data?.pointsValidity).toEqual({ kind: 'days', days: 90 });
    expect(parse({ kind: 'end-of-year' }).data?.pointsValidity).toEqual({ kind: 'end-of-year', years: 0 });
    expect(parse({ kind: 'never' }).data?.pointsValidity).toEqual({ kind: 'never' });
    for (const bad of [
      { kind: 'never', days: 3 },
      { kind: 'days', days: 1.5 },
      { kind: 'months', months: 0 },
      { kind: 'years', years: 1 },
    ]) {
      expect(parse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('refuses a catalog that names tiers the program lacks, or a reward missing what its kind needs', () => {
    const r = ProgramBody.safeParse({
      rewards: [
        { rewardId: 'up', name: 'Go gold', kind: 'tier-up', pointsPrice: 500, tier: 'gold' },
        { rewardId: 'off', name: '10 off', kind: 'fixed-discount', pointsPrice: 100 },
        { rewardId: 'off', name: 'again', kind: 'free-shipping', pointsPrice: 10 },
      ],
      automation: {
        reengageStages: [
          { stage: 'a', afterDays: 90 },
          { stage: 'b', afterDays: 45 },
        ],
      },
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['rewards.0.tier', 'rewards.1.amount', 'rewards.2.rewardId', 'automation.reengageStages.1.afterDays']),
    );
  });

  it('lists every problem with its path', () => {
    const r = ProgramBody.safeParse({
      timeZone: 'Nowhere/Land',
      earning: { pointsPerUnit: 'one', maxPointsPerDay: -1, currencies: { EURO: '1' } },
      campaigns: [
        { id: 'a', name: 'A', start: '2027-01-02', end: '2027-01-01', effect: { type: 'multiplier', multiplier: '2' } },
        {
          id: 'a',
          name: 'A again',
          start: '2027-01-01',
          end: '2027-01-01',
          hours: { from: '10:00', to: '09:00' },
          effect: { type: 'free-coffee' },
        },
      ],
      tiers: {
        levels: [
          { id: 'x', name: 'X', threshold: 5 },
          { id: 'x', name: 'Y', threshold: 5 },
        ],
      },
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining([
        'timeZone',
        'earning.pointsPerUnit',
        'earning.maxPointsPerDay',
        'earning.currencies.EURO',
        'campaigns.0.end',
        'campaigns.1.effect.type',
        'tiers.levels.1.threshold',
        'tiers.levels.1.id',
      ]),
    );
  });
});
