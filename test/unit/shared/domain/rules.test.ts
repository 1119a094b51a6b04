import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../shared/domain/errors';
import type { Member } from '../../../../shared/domain/member';
import { parseDecimal } from '../../../../shared/domain/money';
import { defaultProgram } from '../../../../shared/domain/program';
import { checkoutValue, decideEarn, decideRedeem, decideRefund, profileBonusOwed } from '../../../../shared/domain/rules';

const program = defaultProgram('IRR');
const now = new Date('2026-11-23T10:00:00Z');
const member: Member = {
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

describe('decideEarn', () => {
  it('prices a 50,000,000 IRR order exactly', () => {
    const d = decideEarn(member, { orderId: 'o', amount: parseDecimal('50000000')!, currency: 'irr' }, program, now);
    expect(d.entry.points).toBe(50_000_000);
    expect(d.next).toMatchObject({ balance: 50_000_000, lifetimePoints: 50_000_000 });
  });

  it('refuses another currency', () => {
    expect(() => decideEarn(member, { orderId: 'o', amount: parseDecimal('5')!, currency: 'USD' }, program, now)).toThrow(DomainError);
  });

  it('never dates a lot in the future', () => {
    const d = decideEarn(
      member,
      { orderId: 'o', amount: parseDecimal('5')!, currency: 'IRR', occurredAt: '2030-01-01T00:00:00Z' },
      program,
      now,
    );
    expect(d.next.lots[0]!.expiresAt).toBe('2027-11-30T23:59:59.999Z');
  });
});

describe('the tier decision', () => {
  const tiered = {
    ...program,
    tiers: { ...program.tiers, windowMonths: 12, levels: [{ id: 'silver', name: 'Silver', threshold: 100, multiplier: '1', perks: [] }] },
  };
  const order = (occurredAt: string, amount = '100') => ({ orderId: 'o', amount: parseDecimal(amount)!, currency: 'IRR', occurredAt });

  it('counts only the window that ends with the month of now, however old the order', () => {
    // now is 2026-11-23; 400 days before is 2025-10-19, outside the 12 months 2025-12..2026-11.
    const old = decideEarn(member, order('2025-10-19T10:00:00Z'), tiered, now);
    expect(old.entry.points).toBe(100);
    expect(old.next.tier).toBeUndefined();
    expect(old.next.tierPoints).toEqual({});
    // The first month of the window still counts.
    const edge = decideEarn(member, order('2025-12-01T00:00:00Z'), tiered, now);
    expect(edge.next).toMatchObject({ tier: 'silver', tierPoints: { '2025-12': 100 } });
  });

  it('drops months that slid out of the window since the last order', () => {
    const held = { ...member, tierPoints: { '2025-11': 90 } };
    const d = decideEarn(held, order('2026-11-23T09:00:00Z', '10'), tiered, now);
    expect(d.next.tier).toBeUndefined();
    expect(d.next.tierPoints).toEqual({ '2026-11': 10 });
  });
});

describe('decideRefund', () => {
  const earned = { points: 100, amount: '100.00', currency: 'IRR', programVersion: 1 };
  const rich = { ...member, balance: 1000, lots: [{ expiresAt: '2027-11-30T23:59:59.999Z', points: 1000 }] };

  it('never takes back more than the order earned, whatever the refunds', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 15000 }), { maxLength: 12 }), (cents) => {
        const prior: { points: number; amount: string }[] = [];
        let m: Member = rich;
        for (const [i, c] of cents.entries()) {
          const d = decideRefund(m, earned, prior, { orderId: 'o', refundId: `r${i}`, amount: { units: BigInt(c), scale: 2 } }, now);
          expect(d.entry.points).toBeLessThanOrEqual(0);
          prior.push({ points: d.entry.points, amount: d.entry.amount! });
          m = { ...m, ...d.next };
        }
        const taken = -prior.reduce((s, p) => s + p.points, 0) || 0;
        const refunded = cents.reduce((s, c) => s + c, 0);
        expect(taken).toBe(Math.floor((100 * Math.min(refunded, 10000)) / 10000));
      }),
    );
  });

  it("prices the take-back by the order's own program version", () => {
    const d = decideRefund(rich, { ...earned, programVersion: 7 }, [], { orderId: 'o', refundId: 'r', amount: 'all' }, now);
    expect(d.entry).toMatchObject({ points: -100, programVersion: 7 });
  });
});

describe('decideRedeem', () => {
  it('refuses more than the balance with INSUFFICIENT_POINTS', () => {
    const m = { ...member, balance: 5, lots: [{ expiresAt: '2027-11-30T23:59:59.999Z', points: 5 }] };
    expect(() => decideRedeem(m, { points: 6, idempotencyKey: 'k' }, program, now)).toThrow(
      expect.objectContaining({ code: 'INSUFFICIENT_POINTS', status: 409 }),
    );
    expect(() => decideRedeem({ ...m, balance: -3, lots: [] }, { points: 1, idempotencyKey: 'k' }, program, now)).toThrow(DomainError);
  });

  it("records the checkout value of points as payment at the program's point value, exactly; none for a catalog reward", () => {
    const m = { ...member, balance: 500, lots: [{ expiresAt: '2027-11-30T23:59:59.999Z', points: 500 }] };
    const paying = { ...program, pointValue: '0.05' };
    expect(decideRedeem(m, { points: 250, idempotencyKey: 'k' }, paying, now).entry).toMatchObject({
      points: -250,
      amount: '12.50',
      currency: program.currency,
    });
    expect(decideRedeem(m, { points: 250, idempotencyKey: 'k', rewardId: 'mug' }, paying, now).entry.amount).toBeUndefined();
    expect(decideRedeem(m, { points: 250, idempotencyKey: 'k' }, program, now).entry.amount).toBeUndefined();
    // A Toman store: a point worth 1,000 IRR, 45,000 points = 45,000,000 IRR.
    expect(checkoutValue(45_000, '1000')).toBe('45000000');
    expect(checkoutValue(3, '0.1')).toBe('0.3');
  });
});

describe('profileBonusOwed', () => {
  const complete: Member = { ...member, email: 'sara@example.com', phone: '+989121234567', name: 'Sara', birthday: '1990-03-21' };
  const withBonus = { ...program, bonuses: { ...program.bonuses, profileCompletion: 9 } };
  const collecting = { ...withBonus, pilot: { ...withBonus.pilot, enabled: true, tags: ['pilot'], memberIds: [], percent: 0 } };

  it('is the bonus once the program runs for a member with a complete profile', () => {
    expect(profileBonusOwed(complete, withBonus)).toBe(9);
    expect(profileBonusOwed({ ...complete, tags: ['pilot'] }, collecting)).toBe(9);
  });

  it('is nothing while the member is outside the pilot, for an incomplete profile, or with the bonus off', () => {
    expect(profileBonusOwed(complete, collecting)).toBe(0);
    expect(profileBonusOwed({ ...complete, birthday: undefined }, withBonus)).toBe(0);
    expect(profileBonusOwed(complete, program)).toBe(0);
  });

  it('is nothing once the member item says the bonus was paid (no ledger read needed)', () => {
    expect(profileBonusOwed({ ...complete, profileBonusSettled: true }, withBonus)).toBe(0);
    expect(profileBonusOwed({ ...complete, tags: ['pilot'], profileBonusSettled: true }, collecting)).toBe(0);
  });
});
