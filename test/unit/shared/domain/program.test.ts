import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProgramBody, type ProgramInput } from '../../../../shared/schemas/program';
import { DomainError } from '../../../../shared/domain/errors';
import type { Member } from '../../../../shared/domain/member';
import { parseDecimal, type Decimal } from '../../../../shared/domain/money';
import {
  campaignCalendar,
  defaultProgram,
  inPilot,
  localTime,
  pointsForOrder,
  priceOrder,
  programFrom,
  reviewTier,
  type MemberFacts,
  type Program,
} from '../../../../shared/domain/program';
import { decideEarn, decideRefund } from '../../../../shared/domain/rules';

const program = (input: ProgramInput, currency = 'USD', version = 2): Program => programFrom(ProgramBody.parse(input), currency, version);
const d = (text: string): Decimal => parseDecimal(text)!;
const member: MemberFacts = { memberId: 'm1', tier: 'member', joinedAt: '2026-01-01T00:00:00.000Z' };
const at = '2026-11-23T10:00:00.000Z';
const price = (p: Program, amount: string, extra: Partial<Parameters<typeof priceOrder>[2]> = {}, who: MemberFacts = member) =>
  priceOrder(p, who, { amount: d(amount), currency: p.currency, at, ...extra });

/** Amounts as decimal text: up to 12 integer digits and 0–3 decimals. */
const amountArb = fc
  .tuple(fc.bigInt({ min: 0n, max: 999_999_999_999n }), fc.integer({ min: 0, max: 3 }))
  .map(([units, scale]) => ({ units, scale }) as Decimal);

const programArb = fc
  .record({
    pointsPerUnit: fc.constantFrom('1', '0.1', '2', '1.5', '0.001', '10'),
    rounding: fc.constantFrom('floor', 'round', 'ceil') as fc.Arbitrary<'floor' | 'round' | 'ceil'>,
    minimumOrder: fc.constantFrom('0', '5', '100'),
    maxPointsPerOrder: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
    maxPointsPerDay: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: undefined }),
    multiplier: fc.constantFrom('1', '2', '1.25'),
    bonus: fc.integer({ min: 1, max: 500 }),
    stacking: fc.constantFrom('stack', 'best') as fc.Arbitrary<'stack' | 'best'>,
  })
  .map((r) =>
    program({
      earning: {
        pointsPerUnit: r.pointsPerUnit,
        rounding: r.rounding,
        minimumOrder: r.minimumOrder,
        maxPointsPerOrder: r.maxPointsPerOrder,
        maxPointsPerDay: r.maxPointsPerDay,
      },
      stacking: r.stacking,
      campaigns: [
        { id: 'x', name: 'Multiplier', start: '2026-01-01', end: '2026-12-31', effect: { type: 'multiplier', multiplier: r.multiplier } },
        {
          id: 'b',
          name: 'Spend bonus',
          start: '2026-11-01',
          end: '2026-11-30',
          effect: { type: 'spendBonus', over: '50', points: r.bonus },
        },
      ],
    }),
  );

describe('the default program', () => {
  it('is the contract: 1 point per whole unit, floor, the club currency, version 1', () => {
    const p = defaultProgram('irr');
    expect(p).toMatchObject({ version: 1, currency: 'IRR', timeZone: 'UTC', stacking: 'stack', campaigns: [] });
    expect(p.earning).toMatchObject({ pointsPerUnit: '1', rounding: 'floor', minimumOrder: '0', currencies: {} });
    expect(pointsForOrder(p, d('199.90'))).toBe(199);
    expect(pointsForOrder(p, d('50000000'))).toBe(50_000_000);
  });

  it('prices a 50,000,000 IRR order exactly, also at 1.5 per unit and a 0.0001 rate', () => {
    expect(price(defaultProgram('IRR'), '50000000').points).toBe(50_000_000);
    expect(price(program({ earning: { pointsPerUnit: '1.5' } }, 'IRR'), '50000000').points).toBe(75_000_000);
    const usd = program({ earning: { currencies: { IRR: '0.00002' } } }, 'USD');
    // 50,000,000 × 0.00002 = 1000 exactly (a float would give 1000.0000000000001 or 999.99…)
    expect(priceOrder(usd, member, { amount: d('50000000'), currency: 'IRR', at }).points).toBe(1000);
  });

  it('takes Toman in a Rial program at 10 rials each with no configuration; a configured rate still wins', () => {
    // An IRT order of 100,000 is 1,000,000 IRR: 1,000,000 points at 1 per rial.
    expect(priceOrder(defaultProgram('IRR'), member, { amount: d('100000'), currency: 'IRT', at }).points).toBe(1_000_000);
    expect(priceOrder(defaultProgram('IRR'), member, { amount: d('100000'), currency: 'irt', at }).points).toBe(1_000_000);
    // And rials in a Toman program: 1,000,005 IRR is 100,000.5 IRT, 100,000 points after floor.
    expect(priceOrder(defaultProgram('IRT'), member, { amount: d('1000005'), currency: 'IRR', at }).points).toBe(100_000);
    const own = program({ earning: { currencies: { IRT: '9' } } }, 'IRR');
    expect(priceOrder(own, member, { amount: d('100000'), currency: 'IRT', at }).points).toBe(900_000);
  });

  it('refuses a currency the program does not accept', () => {
    expect(() => priceOrder(defaultProgram('USD'), member, { amount: d('5'), currency: 'EUR', at })).toThrow(DomainError);
  });
});

describe('earning rules', () => {
  it('rounds by the mode, once, after multipliers', () => {
    expect(price(program({ earning: { pointsPerUnit: '0.1', rounding: 'floor' } }), '19.99').points).toBe(1);
    expect(price(program({ earning: { pointsPerUnit: '0.1', rounding: 'ceil' } }), '10.01').points).toBe(2);
    expect(price(program({ earning: { pointsPerUnit: '0.1', rounding: 'round' } }), '15.00').points).toBe(2);
    expect(price(program({ earning: { pointsPerUnit: '0.1', rounding: 'round' } }), '14.99').points).toBe(1);
  });

  it('earns nothing below the minimum order', () => {
    const p = program({ earning: { minimumOrder: '20' } });
    expect(price(p, '19.99')).toMatchObject({ points: 0, note: 'below-minimum' });
    expect(price(p, '20').points).toBe(20);
  });

  it('prices line items by SKU over category multipliers, weighted over the order amount', () => {
    const p = program({ earning: { categoryMultipliers: { coffee: '2' }, skuMultipliers: { 'beans-1kg': '3' } } });
    const lineItems = [
      { sku: 'latte', category: 'coffee', amount: d('10') },
      { sku: 'beans-1kg', category: 'coffee', amount: d('20') },
      { sku: 'mug', category: 'merch', amount: d('10') },
    ];
    // (10×2 + 20×3 + 10×1) / 40 = 2.25 × 40 = 90
    expect(price(p, '40', { lineItems }).points).toBe(90);
    // An order-level discount scales the lines: 2.25 × 20 = 45
    expect(price(p, '20', { lineItems }).points).toBe(45);
  });

  it('caps per order and per day', () => {
    const p = program({ earning: { maxPointsPerOrder: 100, maxPointsPerDay: 150 } });
    expect(price(p, '500')).toMatchObject({ points: 100, note: 'order-cap' });
    expect(price(p, '500', {}, { ...member, dayPoints: 120 })).toMatchObject({ points: 30, note: 'day-cap' });
    expect(price(p, '500', {}, { ...member, dayPoints: 200 }).points).toBe(0);
  });
});

describe('campaigns', () => {
  const nowruz = {
    id: 'nowruz',
    name: 'Nowruz double points',
    start: '2027-03-20',
    end: '2027-03-26',
    effect: { type: 'multiplier' as const, multiplier: '2' },
  };
  const tehran = program({ timeZone: 'Asia/Tehran', campaigns: [nowruz] }, 'IRR');

  it('applies inside the window in the program time zone only', () => {
    // 2027-03-19T21:00Z is 00:30 on the 20th in Tehran (UTC+3:30)
    const inside = priceOrder(tehran, member, { amount: d('1000'), currency: 'IRR', at: '2027-03-19T21:00:00Z' });
    expect(inside).toMatchObject({ points: 2000, campaigns: ['nowruz'] });
    const before = priceOrder(tehran, member, { amount: d('1000'), currency: 'IRR', at: '2027-03-19T20:00:00Z' });
    expect(before).toMatchObject({ points: 1000, campaigns: [] });
    // 23:59 on the 26th in Tehran is the last minute of the (inclusive) end day; 00:00 on the 27th is out.
    expect(priceOrder(tehran, member, { amount: d('1000'), currency: 'IRR', at: '2027-03-26T20:29:00Z' }).points).toBe(2000);
    expect(priceOrder(tehran, member, { amount: d('1000'), currency: 'IRR', at: '2027-03-26T20:30:00Z' }).points).toBe(1000);
  });

  it('honours days of week and hours', () => {
    const happy = program({
      campaigns: [
        {
          id: 'hh',
          name: 'Happy hour',
          start: '2026-01-01',
          end: '2026-12-31',
          daysOfWeek: ['mon'],
          hours: { from: '08:00', to: '10:00' },
          effect: { type: 'fixedBonus', points: 50 },
        },
      ],
    });
    const on = (iso: string) => priceOrder(happy, member, { amount: d('10'), currency: 'USD', at: iso }).points;
    expect(on('2026-11-23T08:00:00Z')).toBe(60); // Monday 08:00
    expect(on('2026-11-23T10:00:00Z')).toBe(10); // Monday 10:00 (to is exclusive)
    expect(on('2026-11-24T09:00:00Z')).toBe(10); // Tuesday
  });

  it('targets tiers, tags, joined-after and the pilot group', () => {
    const p = program({
      pilot: { memberIds: ['m-pilot'] },
      campaigns: [
        {
          id: 'gold',
          name: 'Gold',
          start: '2026-01-01',
          end: '2026-12-31',
          target: { tiers: ['gold'] },
          effect: { type: 'fixedBonus', points: 1 },
        },
        {
          id: 'vip',
          name: 'VIP',
          start: '2026-01-01',
          end: '2026-12-31',
          target: { tags: ['vip'] },
          effect: { type: 'fixedBonus', points: 10 },
        },
        {
          id: 'new',
          name: 'New',
          start: '2026-01-01',
          end: '2026-12-31',
          target: { joinedAfter: '2026-06-01T00:00:00Z' },
          effect: { type: 'fixedBonus', points: 100 },
        },
        {
          id: 'pilot',
          name: 'Pilot',
          start: '2026-01-01',
          end: '2026-12-31',
          target: { pilotOnly: true },
          effect: { type: 'fixedBonus', points: 1000 },
        },
      ],
    });
    expect(price(p, '0').points).toBe(0);
    expect(price(p, '0', {}, { ...member, tier: 'gold' }).campaigns).toEqual(['gold']);
    expect(price(p, '0', {}, { ...member, tags: ['vip'], joinedAt: '2026-07-01T00:00:00Z' }).points).toBe(110);
    expect(price(p, '0', {}, { ...member, memberId: 'm-pilot' }).points).toBe(1000);
  });

  it('stacks (multipliers multiply, bonuses add) or lets the best one win', () => {
    const campaigns = [
      { id: 'double', name: 'Double', start: '2026-11-01', end: '2026-11-30', effect: { type: 'multiplier' as const, multiplier: '2' } },
      { id: 'triple', name: 'Triple', start: '2026-11-20', end: '2026-11-30', effect: { type: 'multiplier' as const, multiplier: '3' } },
      {
        id: 'big',
        name: 'Big spender',
        start: '2026-11-01',
        end: '2026-11-30',
        effect: { type: 'spendBonus' as const, over: '100', points: 500 },
      },
    ];
    expect(price(program({ campaigns, stacking: 'stack' }), '100')).toMatchObject({
      points: 100 * 6 + 500,
      campaigns: ['double', 'triple', 'big'],
    });
    expect(price(program({ campaigns, stacking: 'best' }), '100')).toMatchObject({ points: 500 + 100, campaigns: ['big'] });
    expect(price(program({ campaigns, stacking: 'best' }), '99')).toMatchObject({ points: 99 * 3, campaigns: ['triple'] });
  });

  it('lists the year by month', () => {
    const p = program({
      campaigns: [
        { ...nowruz, id: 'n', start: '2027-03-20', end: '2027-04-02' },
        { ...nowruz, id: 'y', name: 'Yalda', start: '2027-12-20', end: '2028-01-05' },
        { ...nowruz, id: 'old', name: 'Old', start: '2026-12-20', end: '2027-01-02' },
      ],
    });
    const cal = campaignCalendar(p, 2027);
    expect(cal).toHaveLength(12);
    expect(cal.map((m) => [m.month, m.campaigns.map((c) => c.id)]).filter(([, ids]) => (ids as string[]).length > 0)).toEqual([
      ['2027-01', ['old']],
      ['2027-03', ['n']],
      ['2027-04', ['n']],
      ['2027-12', ['y']],
    ]);
  });

  it('lists the challenges beside the campaigns: a dated one under the months its days meet, a repeating one in every month', () => {
    const base = { name: { fa: 'چالش', en: 'Challenge' }, goal: { kind: 'orders' as const, target: 2 }, reward: { points: 10 } };
    const p = program({
      challenges: [
        { ...base, id: 'spring', period: { from: '2027-03-21', to: '2027-04-20' } },
        { ...base, id: 'monthly', period: { repeat: 'monthly' } },
        { ...base, id: 'weekly', period: { repeat: 'weekly' } },
        { ...base, id: 'last-year', period: { from: '2026-12-01', to: '2026-12-31' } },
      ],
    });
    const cal = campaignCalendar(p, 2027);
    expect(cal.map((m) => [m.month, m.challenges.map((c) => c.id)])).toEqual([
      ['2027-01', ['monthly', 'weekly']],
      ['2027-02', ['monthly', 'weekly']],
      ['2027-03', ['spring', 'monthly', 'weekly']],
      ['2027-04', ['spring', 'monthly', 'weekly']],
      ...['05', '06', '07', '08', '09', '10', '11', '12'].map((mm) => [`2027-${mm}`, ['monthly', 'weekly']]),
    ]);
    // A program saved before challenges existed lists none.
    expect(campaignCalendar(program({}), 2027)[0]!.challenges).toEqual([]);
  });
});

describe('time zones and the pilot', () => {
  it('reads the wall clock with Intl', () => {
    expect(localTime('2027-03-19T21:00:00Z', 'Asia/Tehran')).toEqual({ date: '2027-03-20', weekday: 'sat', time: '00:30' });
    expect(localTime('2026-11-23T00:00:00Z', 'UTC')).toEqual({ date: '2026-11-23', weekday: 'mon', time: '00:00' });
  });

  it('keeps a member in or out of a percentage pilot, stably, at about the share asked', () => {
    const p = program({ pilot: { enabled: true, percent: 30 } });
    const ids = Array.from({ length: 2000 }, (_, i) => `member-${i}`);
    const share = ids.filter((id) => inPilot(p, { memberId: id })).length / ids.length;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
    for (const id of ids.slice(0, 50)) expect(inPilot(p, { memberId: id })).toBe(inPilot(p, { memberId: id }));
  });

  it('earns nothing outside an enabled pilot', () => {
    const p = program({ pilot: { enabled: true, tags: ['pilot'] } });
    expect(price(p, '100')).toMatchObject({ points: 0, note: 'outside-pilot' });
    expect(price(p, '100', {}, { ...member, tags: ['pilot'] }).points).toBe(100);
  });
});

describe('tiers in the earn decision', () => {
  const tiered = program({
    tiers: {
      windowMonths: 12,
      levels: [
        { id: 'silver', name: 'Silver', threshold: 100, multiplier: '1.5', perks: ['free shipping'] },
        { id: 'gold', name: 'Gold', threshold: 1000, multiplier: '2' },
      ],
    },
  });
  const m: Member = {
    memberId: 'm1',
    externalIds: {},
    tier: 'member',
    balance: 0,
    lifetimePoints: 0,
    lots: [],
    joinedAt: '2026-01-01T00:00:00.000Z',
    seq: 0,
    profileVersion: 1,
  };
  const now = new Date(at);

  it('upgrades at once when the window crosses a threshold, and the multiplier applies from the next order', () => {
    const first = decideEarn(m, { orderId: 'o1', amount: d('99'), currency: 'USD' }, tiered, now);
    expect(first.next.tier).toBeUndefined();
    const after1 = { ...m, ...first.next, tier: m.tier } as Member;
    const second = decideEarn(after1, { orderId: 'o2', amount: d('1'), currency: 'USD' }, tiered, now);
    expect(second.next).toMatchObject({ tier: 'silver', tierSince: now.toISOString(), tierKeptUntil: '2027-11-30T23:59:59.999Z' });
    expect(second.next.tierHistory).toEqual([{ from: 'member', to: 'silver', at: now.toISOString(), reason: expect.any(String) }]);
    const silver = { ...after1, ...second.next } as Member;
    expect(decideEarn(silver, { orderId: 'o3', amount: d('10'), currency: 'USD' }, tiered, now).entry.points).toBe(15);
  });

  it('counts spend instead of points when the basis is spend, and a refund takes its share back', () => {
    const bySpend = program({
      tiers: { basis: 'spend', levels: [{ id: 'silver', name: 'Silver', threshold: 1000 }] },
      earning: { pointsPerUnit: '0.01' },
    });
    const first = decideEarn(m, { orderId: 'o1', amount: d('999.99'), currency: 'USD' }, bySpend, now);
    expect(first.entry).toMatchObject({ points: 9, qualifyingSpend: 999 });
    expect(first.next.tier).toBeUndefined();
    const m2 = { ...m, ...first.next } as Member;
    const second = decideEarn(m2, { orderId: 'o2', amount: d('1'), currency: 'USD' }, bySpend, now);
    expect(second.next).toMatchObject({ tier: 'silver', tierSpend: { '2026-11': 1000 } });
    const refund = decideRefund(
      { ...m2, ...second.next } as Member,
      { ...first.entry, amount: '999.99' },
      [],
      { orderId: 'o1', refundId: 'r', amount: d('500') },
      now,
    );
    // floor(999 × 500 / 999.99) = 499
    expect(refund.next.tierSpend).toEqual({ '2026-11': 501 });
  });

  it('a refund takes its points out of the tier window', () => {
    const earned = decideEarn(m, { orderId: 'o1', amount: d('200'), currency: 'USD' }, tiered, now);
    const member2 = { ...m, ...earned.next } as Member;
    const refund = decideRefund(member2, { ...earned.entry, amount: '200' }, [], { orderId: 'o1', refundId: 'r1', amount: d('50') }, now);
    expect(refund.next.tierPoints).toEqual({ '2026-11': 150 });
  });

  it('keeps per-day totals for the cap across orders of the same day', () => {
    const capped = program({ earning: { maxPointsPerDay: 120 } });
    const a = decideEarn(m, { orderId: 'o1', amount: d('100'), currency: 'USD' }, capped, now);
    const b = decideEarn({ ...m, ...a.next } as Member, { orderId: 'o2', amount: d('100'), currency: 'USD' }, capped, now);
    expect([a.entry.points, b.entry.points]).toEqual([100, 20]);
    expect(b.entry.reason).toMatch(/per day/);
  });
});

describe('the tier review', () => {
  const tiers = {
    levels: [
      { id: 'silver', name: 'Silver', threshold: 100 },
      { id: 'gold', name: 'Gold', threshold: 1000, multiplier: '2' },
    ],
  };
  const gold = { tier: 'gold', tierSince: '2025-10-05T00:00:00.000Z', tierKeptUntil: '2026-10-31T23:59:59.999Z' };
  const now = new Date('2026-11-23T10:00:00Z');

  it('is not due before the date the tier is kept until plus the grace days', () => {
    expect(reviewTier({ ...gold, tierPoints: {} }, program({ tiers: { ...tiers, graceDays: 31 } }), now, 'member')).toBeUndefined();
    expect(reviewTier({ ...gold, tierKeptUntil: '2026-12-31T23:59:59.999Z' }, program({ tiers }), now, 'member')).toBeUndefined();
  });

  it('lowers the tier to what the window supports, keeps a confirmed tier for another window, and records each change', () => {
    const down = reviewTier({ ...gold, tierPoints: { '2026-03': 150, '2025-10': 5000 } }, program({ tiers }), now, 'member');
    expect(down).toEqual({
      tier: 'silver',
      tierSince: '2026-11-01T00:00:00.000Z',
      tierKeptUntil: '2027-11-30T23:59:59.999Z',
      changes: [{ from: 'gold', to: 'silver', at: '2026-11-01T00:00:00.000Z', reason: expect.stringMatching(/150 qualifying points/) }],
    });
    const kept = reviewTier({ ...gold, tierPoints: { '2026-06': 1500 } }, program({ tiers }), now, 'member');
    expect(kept).toMatchObject({ tier: 'gold', tierSince: gold.tierSince, tierKeptUntil: '2027-11-30T23:59:59.999Z', changes: [] });
  });

  it('applies reviews missed while the member was away, in order', () => {
    const away = reviewTier(
      { ...gold, tierKeptUntil: '2024-10-31T23:59:59.999Z', tierPoints: { '2024-06': 150 } },
      program({ tiers }),
      now,
      'member',
    );
    expect(away?.changes.map((c) => [c.from, c.to, c.at.slice(0, 10)])).toEqual([
      ['gold', 'silver', '2024-11-01'],
      ['silver', 'member', '2025-12-01'],
    ]);
    expect(away).toMatchObject({ tier: 'member', tierKeptUntil: null });
  });

  it('applies in the earn decision before the order is priced', () => {
    const m: Member = {
      memberId: 'm1',
      externalIds: {},
      balance: 0,
      lifetimePoints: 0,
      lots: [],
      joinedAt: '2025-01-01T00:00:00.000Z',
      seq: 0,
      profileVersion: 1,
      ...gold,
      tierPoints: { '2026-03': 150 },
    };
    const d = decideEarn(m, { orderId: 'o', amount: parseDecimal('10')!, currency: 'USD' }, program({ tiers }), now);
    expect(d.entry.points).toBe(10);
    expect(d.next).toMatchObject({ tier: 'silver', tierKeptUntil: '2027-11-30T23:59:59.999Z' });
    expect(d.next.tierHistory?.map((c) => c.to)).toEqual(['silver']);
  });
});

describe('pricing properties', () => {
  it('points are whole, never negative, within the caps, and the same inputs give the same points', () => {
    fc.assert(
      fc.property(programArb, amountArb, fc.integer({ min: 0, max: 20_000 }), (p, amount, dayPoints) => {
        const who = { ...member, dayPoints };
        const a = priceOrder(p, who, { amount, currency: 'USD', at });
        const b = priceOrder(p, who, { amount, currency: 'USD', at });
        expect(a.points).toBe(b.points);
        expect(Number.isSafeInteger(a.points)).toBe(true);
        expect(a.points).toBeGreaterThanOrEqual(0);
        if (p.earning.maxPointsPerOrder !== undefined) expect(a.points).toBeLessThanOrEqual(p.earning.maxPointsPerOrder);
        if (p.earning.maxPointsPerDay !== undefined)
          expect(a.points).toBeLessThanOrEqual(Math.max(0, p.earning.maxPointsPerDay - dayPoints));
      }),
      { numRuns: 500 },
    );
  });

  it('is monotone in the amount', () => {
    fc.assert(
      fc.property(programArb, amountArb, amountArb, (p, x, y) => {
        const [lo, hi] = x.units * 10n ** BigInt(3 - x.scale) <= y.units * 10n ** BigInt(3 - y.scale) ? [x, y] : [y, x];
        expect(priceOrder(p, member, { amount: lo, currency: 'USD', at }).points).toBeLessThanOrEqual(
          priceOrder(p, member, { amount: hi, currency: 'USD', at }).points,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('floor is exact: pointsPerUnit k earns floor(amount × k), computed in BigInt', () => {
    fc.assert(
      fc.property(amountArb, fc.integer({ min: 1, max: 1000 }), (amount, k) => {
        const p = program({ earning: { pointsPerUnit: String(k) } });
        const expected = (amount.units * BigInt(k)) / 10n ** BigInt(amount.scale);
        fc.pre(expected <= BigInt(Number.MAX_SAFE_INTEGER));
        expect(BigInt(priceOrder(p, member, { amount, currency: 'USD', at }).points)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('best-one-wins never gives more than stacking, and at least the best campaign alone', () => {
    fc.assert(
      fc.property(programArb, amountArb, (p, amount) => {
        const best = priceOrder(
          { ...p, stacking: 'best', earning: { ...p.earning, maxPointsPerDay: undefined, maxPointsPerOrder: undefined } },
          member,
          { amount, currency: 'USD', at },
        );
        const stack = priceOrder(
          { ...p, stacking: 'stack', earning: { ...p.earning, maxPointsPerDay: undefined, maxPointsPerOrder: undefined } },
          member,
          { amount, currency: 'USD', at },
        );
        expect(best.points).toBeLessThanOrEqual(stack.points);
        expect(best.campaigns.length).toBeLessThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('stacking multiplies every matching multiplier and adds every bonus, rounding once', () => {
    fc.assert(
      fc.property(
        amountArb,
        fc.array(
          fc.oneof(
            fc.constantFrom('1.5', '2', '3', '0.5').map((m) => ({ m })),
            fc.integer({ min: 1, max: 999 }).map((b) => ({ b })),
          ),
          { maxLength: 5 },
        ),
        (amount, effects) => {
          const campaigns = effects.map((e, i) => ({
            id: `c${i}`,
            name: `C${i}`,
            start: '2026-01-01',
            end: '2026-12-31',
            effect: 'm' in e ? { type: 'multiplier' as const, multiplier: e.m } : { type: 'fixedBonus' as const, points: e.b },
          }));
          const p = program({ campaigns, stacking: 'stack' });
          // Multipliers as exact fractions: 1.5 = 3/2, 0.5 = 1/2.
          let num = amount.units;
          let den = 10n ** BigInt(amount.scale);
          let bonus = 0n;
          for (const e of effects) {
            if ('m' in e) {
              const [n, d] = e.m === '1.5' ? [3n, 2n] : e.m === '0.5' ? [1n, 2n] : [BigInt(e.m), 1n];
              num *= n;
              den *= d;
            } else bonus += BigInt(e.b);
          }
          const expected = num / den + bonus;
          fc.pre(expected <= BigInt(Number.MAX_SAFE_INTEGER));
          expect(BigInt(priceOrder(p, member, { amount, currency: 'USD', at }).points)).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('pending points properties', () => {
  const m0: Member = {
    memberId: 'm1',
    externalIds: {},
    tier: 'member',
    balance: 0,
    lifetimePoints: 0,
    lots: [],
    joinedAt: '2026-01-01T00:00:00.000Z',
    seq: 0,
    profileVersion: 1,
  };
  const now = new Date(at);

  it('refunds inside the return window cancel pending points only: the balance never goes below zero and never more is cancelled than earned', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 6 }),
        (paid, refunds) => {
          const p = program({ earning: { returnWindowDays: 14 } });
          const earned = decideEarn(m0, { orderId: 'o', amount: d(String(paid)), currency: 'USD' }, p, now);
          let member = { ...m0, ...earned.next } as Member;
          const entry = { ...earned.entry, amount: String(paid) };
          const prior: { points: number; amount?: string; pendingPoints?: number }[] = [];
          for (const [i, r] of refunds.entries()) {
            const dec = decideRefund(member, entry, prior, { orderId: 'o', refundId: `r${i}`, amount: d(String(r)) }, now);
            member = { ...member, ...dec.next } as Member;
            prior.push(dec.entry);
            expect(member.balance).toBe(0);
            expect(dec.entry.points).toBe(0);
          }
          const cancelled = prior.reduce((s, e) => s - (e.pendingPoints ?? 0), 0);
          expect(cancelled).toBeLessThanOrEqual(paid);
          expect((member.pending ?? []).reduce((s, x) => s + x.points, 0)).toBe(paid - cancelled);
        },
      ),
      { numRuns: 300 },
    );
  });
});
