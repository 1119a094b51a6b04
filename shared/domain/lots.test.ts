import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credit, debit, dueLots, expiryFor, sumLots, type BalanceState } from './lots';

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

describe('credit and debit', () => {
  const empty: BalanceState = { balance: 0, lots: [] };

  it('takes the oldest lot first', () => {
    let s = credit(empty, 10, '2027-05-31T23:59:59.999Z');
    s = credit(s, 5, '2027-01-31T23:59:59.999Z');
    const after = debit(s, 7, false);
    expect(after.lots).toEqual([
      { expiresAt: '2027-05-31T23:59:59.999Z', points: 8 },
    ]);
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
    const month = fc.integer({ min: 0, max: 23 }).map((m) => expiryFor(new Date(Date.UTC(2026, m, 15))));
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
          const sorted = [...s.lots].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
          expect(s.lots).toEqual(sorted);
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
