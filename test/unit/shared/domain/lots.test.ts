import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  credit,
  debit,
  dueLots,
  expiryFor,
  nextExpiry,
  sumLots,
  type BalanceState,
  type PointsValidity,
} from '../../../../shared/domain/lots';

describe('expiryFor', () => {
  it.each([
    ['2026-03-14T09:00:00Z', '2027-03-31T23:59:59.999Z'],
    ['2026-01-31T23:59:59.999Z', '2027-01-31T23:59:59.999Z'],
    ['2026-02-01T00:00:00Z', '2027-02-28T23:59:59.999Z'],
    ['2027-02-10T00:00:00Z', '2028-02-29T23:59:59.999Z'],
    ['2026-12-31T23:00:00Z', '2027-12-31T23:59:59.999Z'],
  ])('%s → %s', (earned, expires) => {
    expect(expiryFor(earned)).toBe(expires);
  });
});

describe('expiryFor under each points validity', () => {
  it.each<[string, PointsValidity, string | undefined]>([
    // The default, written out: the end of the 12th month after the month earned.
    ['2026-03-14T09:00:00Z', { kind: 'months', months: 12 }, '2027-03-31T23:59:59.999Z'],
    ['2026-03-14T09:00:00Z', { kind: 'months', months: 1 }, '2026-04-30T23:59:59.999Z'],
    ['2026-11-30T12:00:00Z', { kind: 'months', months: 3 }, '2027-02-28T23:59:59.999Z'],
    // Days: to the end of the (UTC) day that many days after the day earned.
    ['2026-03-14T09:00:00Z', { kind: 'days', days: 90 }, '2026-06-12T23:59:59.999Z'],
    ['2026-03-14T23:59:59.999Z', { kind: 'days', days: 1 }, '2026-03-15T23:59:59.999Z'],
    ['2028-02-28T00:00:00Z', { kind: 'days', days: 1 }, '2028-02-29T23:59:59.999Z'],
    // The end of the year earned, or of the year `years` after it.
    ['2026-03-14T09:00:00Z', { kind: 'end-of-year', years: 0 }, '2026-12-31T23:59:59.999Z'],
    ['2026-12-31T23:59:59.999Z', { kind: 'end-of-year', years: 0 }, '2026-12-31T23:59:59.999Z'],
    ['2026-03-14T09:00:00Z', { kind: 'end-of-year', years: 1 }, '2027-12-31T23:59:59.999Z'],
    ['2026-03-14T09:00:00Z', { kind: 'never' }, undefined],
  ])('%s under %j → %s', (earned, validity, expires) => {
    expect(expiryFor(earned, validity)).toBe(expires);
  });

  const validity: fc.Arbitrary<PointsValidity> = fc.oneof(
    fc.integer({ min: 1, max: 120 }).map((months) => ({ kind: 'months' as const, months })),
    fc.integer({ min: 1, max: 3650 }).map((days) => ({ kind: 'days' as const, days })),
    fc.integer({ min: 0, max: 10 }).map((years) => ({ kind: 'end-of-year' as const, years })),
  );
  const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) }).map((t) => new Date(t));

  it('is never before the earn time, and ends a UTC day', () => {
    fc.assert(
      fc.property(instant, validity, (earned, v) => {
        const expires = expiryFor(earned, v)!;
        expect(Date.parse(expires)).toBeGreaterThanOrEqual(earned.getTime());
        expect(expires.slice(10)).toBe('T23:59:59.999Z');
      }),
    );
  });

  it('is monotonic: points earned later never expire sooner', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 400 * 86_400_000 }), validity, (earned, later, v) => {
        expect(expiryFor(new Date(earned.getTime() + later), v)! >= expiryFor(earned, v)!).toBe(true);
      }),
    );
  });
});

describe('lots that never expire', () => {
  const empty: BalanceState = { balance: 0, lots: [] };

  it('are spent last, never due, and not the next expiry', () => {
    let s = credit(empty, 10, undefined);
    s = credit(s, 5, '2027-01-31T23:59:59.999Z');
    s = credit(s, 3, undefined);
    expect(s.lots).toEqual([{ expiresAt: '2027-01-31T23:59:59.999Z', points: 5 }, { points: 13 }]);
    expect(nextExpiry(s.lots)).toBe('2027-01-31T23:59:59.999Z');
    expect(dueLots(s.lots, '9999-12-31T23:59:59.999Z')).toEqual([{ expiresAt: '2027-01-31T23:59:59.999Z', points: 5 }]);
    const after = debit(s, 7, false);
    expect(after.taken).toEqual([{ expiresAt: '2027-01-31T23:59:59.999Z', points: 5 }, { points: 2 }]);
    expect(after.lots).toEqual([{ points: 11 }]);
    expect(nextExpiry(after.lots)).toBeUndefined();
  });
});

describe('credit and debit', () => {
  const empty: BalanceState = { balance: 0, lots: [] };

  it('takes the oldest lot first', () => {
    let s = credit(empty, 10, '2027-05-31T23:59:59.999Z');
    s = credit(s, 5, '2027-01-31T23:59:59.999Z');
    const after = debit(s, 7, false);
    expect(after.lots).toEqual([{ expiresAt: '2027-05-31T23:59:59.999Z', points: 8 }]);
    expect(after.taken).toEqual([
      { expiresAt: '2027-01-31T23:59:59.999Z', points: 5 },
      { expiresAt: '2027-05-31T23:59:59.999Z', points: 2 },
    ]);
  });

  it('pays a debt before making a lot', () => {
    const inDebt = debit(credit(empty, 10, '2027-01-31T23:59:59.999Z'), 25, true);
    expect(inDebt).toMatchObject({ balance: -15, lots: [] });
    const partly = credit(inDebt, 10, '2027-02-28T23:59:59.999Z');
    expect(partly).toEqual({ balance: -5, lots: [] });
    const paid = credit(partly, 8, '2027-02-28T23:59:59.999Z');
    expect(paid).toEqual({ balance: 3, lots: [{ expiresAt: '2027-02-28T23:59:59.999Z', points: 3 }] });
  });

  it('refuses to spend more than the balance unless debt is allowed', () => {
    expect(() => debit(credit(empty, 3, '2027-01-31T23:59:59.999Z'), 4, false)).toThrow(RangeError);
  });

  it('keeps sum(lots) == max(balance, 0) through any sequence of credits and debits', () => {
    // Some lots never expire (a program whose points validity is "never").
    const month = fc.option(
      fc.integer({ min: 0, max: 23 }).map((m) => expiryFor(new Date(Date.UTC(2026, m, 15)))),
      { nil: undefined },
    );
    const op = fc.oneof(
      fc.record({ kind: fc.constant('credit' as const), points: fc.nat(1000), expiresAt: month }),
      fc.record({ kind: fc.constant('spend' as const), points: fc.nat(1000) }),
      fc.record({ kind: fc.constant('refund' as const), points: fc.nat(1000) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let s: BalanceState = empty;
        let ledger = 0;
        for (const o of ops) {
          if (o.kind === 'credit') {
            s = credit(s, o.points, o.expiresAt);
            ledger += o.points;
          } else if (o.kind === 'spend') {
            if (o.points > s.balance) continue;
            s = debit(s, o.points, false);
            ledger -= o.points;
          } else {
            s = debit(s, o.points, true);
            ledger -= o.points;
          }
          expect(s.balance).toBe(ledger);
          expect(sumLots(s.lots)).toBe(Math.max(s.balance, 0));
          expect(s.lots.every((l) => l.points > 0)).toBe(true);
          // Expiring lots oldest first, then the one lot that never expires.
          const order = s.lots.map((l) => l.expiresAt ?? '~never');
          expect(order).toEqual([...order].sort());
          expect(new Set(order).size).toBe(order.length);
        }
      }),
    );
  });

  it('finds due lots by instant, inclusive', () => {
    const lots = [
      { expiresAt: '2027-03-31T23:59:59.999Z', points: 4 },
      { expiresAt: '2027-04-30T23:59:59.999Z', points: 6 },
    ];
    expect(dueLots(lots, '2027-03-31T23:59:59.998Z')).toEqual([]);
    expect(dueLots(lots, '2027-03-31T23:59:59.999Z')).toEqual([lots[0]]);
    expect(dueLots(lots, new Date('2027-05-01T00:00:00Z'))).toEqual(lots);
  });
});
