import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, programFrom } from '../../../../shared/domain/program';
import { expiringSoon, howToEarn, rewardOptions } from '../../../../shared/portal/explain';

const now = new Date('2026-11-23T10:00:00Z');

describe("the member page's view of the program", () => {
  it('the default program: one point per unit, and points last 12 months', () => {
    const program = programFrom(DEFAULT_RULES, 'IRR', 1);
    expect(howToEarn(program, now)).toEqual([
      { kind: 'per-unit', pointsPerUnit: '1', currency: 'IRR', rounding: 'floor' },
      { kind: 'expiry', validity: { kind: 'months', months: 12 } },
    ]);
  });

  it("says how long points last by the program's points validity; a program saved before the setting has the default", () => {
    const expiry = (pointsValidity: unknown) =>
      howToEarn({ ...programFrom(DEFAULT_RULES, 'IRR', 1), pointsValidity } as Parameters<typeof howToEarn>[0], now).at(-1);
    expect(expiry({ kind: 'days', days: 90 })).toEqual({ kind: 'expiry', validity: { kind: 'days', days: 90 } });
    expect(expiry({ kind: 'never' })).toEqual({ kind: 'expiry', validity: { kind: 'never' } });
    expect(expiry(undefined)).toEqual({ kind: 'expiry', validity: { kind: 'months', months: 12 } });
  });

  it('lists bonuses, tiers and campaigns still to come, but not past or targeted ones', () => {
    const program = programFrom(
      {
        ...DEFAULT_RULES,
        earning: { ...DEFAULT_RULES.earning, pointsPerUnit: '0.1', minimumOrder: '50', returnWindowDays: 14 },
        bonuses: { ...DEFAULT_RULES.bonuses, signUp: 100, referral: { referrer: 50, referred: 0 } },
        tiers: {
          ...DEFAULT_RULES.tiers,
          levels: [{ id: 'gold', name: 'Gold', threshold: 1000, multiplier: '1.5', perks: ['free shipping'] }],
        },
        campaigns: [
          { id: 'old', name: 'Old', start: '2026-01-01', end: '2026-01-02', target: {}, effect: { type: 'multiplier', multiplier: '2' } },
          {
            id: 'yalda',
            name: 'Yalda',
            start: '2026-12-20',
            end: '2026-12-22',
            target: {},
            effect: { type: 'multiplier', multiplier: '2' },
          },
          {
            id: 'vip',
            name: 'VIP',
            start: '2026-12-01',
            end: '2026-12-31',
            target: { tags: ['vip'] },
            effect: { type: 'fixedBonus', points: 5 },
          },
        ],
      },
      'USD',
      3,
    );
    const kinds = howToEarn(program, now).map((r) =>
      r.kind === 'campaign' ? `campaign:${r.name}` : r.kind === 'bonus' ? `bonus:${r.bonus}` : r.kind,
    );
    expect(kinds).toEqual(['per-unit', 'minimum-order', 'pending', 'campaign:Yalda', 'bonus:signUp', 'bonus:referrer', 'tier', 'expiry']);
  });

  it('rewards: what the member can afford, for their tier and now, cheapest first', () => {
    const program = {
      ...programFrom(DEFAULT_RULES, 'USD', 1),
      rewards: [
        { rewardId: 'big', name: 'Big', pointsPrice: 500, kind: 'fixed-discount', amount: '50.00' },
        { rewardId: 'small', name: 'Small', pointsPrice: 100, kind: 'free-shipping' },
        { rewardId: 'gold-only', name: 'Gold', pointsPrice: 10, tiers: ['gold'] },
        { rewardId: 'later', name: 'Later', pointsPrice: 10, availableFrom: '2027-01-01T00:00:00Z' },
      ].map((r) => ({ validDays: 30, refundOnExpiry: false, ...r })),
    } as Parameters<typeof rewardOptions>[0];
    const options = rewardOptions(program, { balance: 150, tier: 'member' }, now);
    expect(options.map((o) => [o.rewardId, o.affordable, o.pointsToGo])).toEqual([
      ['small', true, 0],
      ['big', false, 350],
    ]);
    expect(rewardOptions(programFrom(DEFAULT_RULES, 'USD', 1), { balance: 150, tier: 'member' }, now)).toEqual([]);
  });

  it('expiring soon: lots within 90 days, never the points that never expire', () => {
    const lots = [
      { points: 10, expiresAt: '2026-11-30T23:59:59.999Z' },
      { points: 20, expiresAt: '2027-02-28T23:59:59.999Z' },
      { points: 30, expiresAt: '2027-10-31T23:59:59.999Z' },
      { points: 40 },
    ];
    expect(expiringSoon(lots, now)).toEqual(lots.slice(0, 1));
  });
});
