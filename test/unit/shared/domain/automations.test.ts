import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { automationSettings, DEFAULT_AUTOMATION_SETTINGS } from '../../../../shared/domain/automation-settings';
import {
  daysSince,
  dueExpiryMonths,
  inQuietHours,
  lapseStage,
  localTime,
  lotsToRemind,
  monthsBetween,
  nextSendTime,
  reminderWindow,
  stageDays,
} from '../../../../shared/domain/automations';
import { credit, debit, dueLots, expiryFor, sumLots, type BalanceState } from '../../../../shared/domain/lots';
import type { Member } from '../../../../shared/domain/member';
import { defaultProgram } from '../../../../shared/domain/program';
import { decideBonus, decideExpiry } from '../../../../shared/domain/rules';

const program = defaultProgram('USD');
const base: Member = {
  memberId: 'm1',
  externalIds: {},
  tier: 'member',
  balance: 0,
  lifetimePoints: 0,
  lots: [],
  joinedAt: '2025-01-01T00:00:00.000Z',
  seq: 0,
  profileVersion: 1,
};
const MARCH = '2027-03-31T23:59:59.999Z';

describe('decideExpiry', () => {
  const member: Member = {
    ...base,
    balance: 140,
    lifetimePoints: 140,
    lots: [
      { expiresAt: MARCH, points: 100 },
      { expiresAt: '2027-05-31T23:59:59.999Z', points: 40 },
    ],
  };

  it('removes the whole due lot with one entry naming it', () => {
    const d = decideExpiry(member, { expiresAt: MARCH }, program, new Date('2027-04-01T00:00:00Z'));
    expect(d.entry).toMatchObject({ type: 'expire', points: -100, lots: [{ expiresAt: MARCH, points: 100 }] });
    expect(d.next).toEqual({ balance: 40, lots: [{ expiresAt: '2027-05-31T23:59:59.999Z', points: 40 }], lifetimePoints: 140 });
  });

  it('is due at the last millisecond of the month, not one before', () => {
    expect(() => decideExpiry(member, { expiresAt: MARCH }, program, new Date('2027-03-31T23:59:59.998Z'))).toThrow(
      expect.objectContaining({ code: 'NOTHING_DUE' }),
    );
    expect(decideExpiry(member, { expiresAt: MARCH }, program, new Date(MARCH)).entry.points).toBe(-100);
  });

  it('refuses a lot the member no longer holds, and a member in debt (who holds no lots)', () => {
    const asOf = new Date('2028-01-01T00:00:00Z');
    expect(() => decideExpiry(member, { expiresAt: '2027-02-28T23:59:59.999Z' }, program, asOf)).toThrow(
      expect.objectContaining({ code: 'NOTHING_DUE' }),
    );
    const debtor = { ...base, balance: -30, lots: [] };
    expect(() => decideExpiry(debtor, { expiresAt: MARCH }, program, asOf)).toThrow(expect.objectContaining({ code: 'NOTHING_DUE' }));
  });

  it('keeps balance == sum(lots) and never goes below zero, whatever was earned and spent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 1, max: 500 })), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 40 }),
        (earns, spend, monthsLater) => {
          let state: BalanceState = { balance: 0, lots: [] };
          for (const [month, points] of earns) state = credit(state, points, expiryFor(new Date(Date.UTC(2025, month, 15))));
          state = debit(state, Math.min(spend, state.balance), false);
          let m: Member = { ...base, balance: state.balance, lots: state.lots };
          const asOf = new Date(Date.UTC(2026, monthsLater, 1));
          for (const lot of dueLots(m.lots, asOf)) {
            const d = decideExpiry(m, lot, program, asOf);
            expect(d.entry.points).toBeLessThan(0);
            m = { ...m, ...d.next };
          }
          expect(m.balance).toBe(sumLots(m.lots));
          expect(m.balance).toBeGreaterThanOrEqual(0);
          expect(dueLots(m.lots, asOf)).toEqual([]);
        },
      ),
    );
  });
});

describe('decideBonus', () => {
  it('credits a fresh lot expiring by the earn rule, paying off debt first', () => {
    const d = decideBonus({ ...base, balance: -10 }, { points: 25, reason: 'welcome' }, program, new Date('2026-06-10T00:00:00Z'));
    expect(d.entry).toMatchObject({ type: 'bonus', points: 25 });
    expect(d.next).toMatchObject({ balance: 15, lots: [{ expiresAt: '2027-06-30T23:59:59.999Z', points: 15 }], lifetimePoints: 25 });
    expect(() => decideBonus(base, { points: 0, reason: 'x' }, program, new Date())).toThrow(RangeError);
  });
});

describe('index buckets', () => {
  it('walks months across years', () => {
    expect(monthsBetween('2026-11', '2027-02')).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
    expect(dueExpiryMonths(new Date('2027-04-01T00:00:00Z'), 2)).toEqual(['2027-02', '2027-03', '2027-04']);
  });

  it('reminds of lots inside (asOf, asOf + days], searching a month back for overdue oldest lots', () => {
    const w = reminderWindow(new Date('2027-03-02T00:00:00Z'), 30);
    expect(w).toMatchObject({
      after: '2027-03-02T00:00:00.000Z',
      upTo: '2027-04-01T00:00:00.000Z',
      months: ['2027-01', '2027-02', '2027-03', '2027-04'],
    });
    const lots = [
      { expiresAt: '2027-02-28T23:59:59.999Z', points: 1 },
      { expiresAt: MARCH, points: 2 },
      { expiresAt: '2027-04-30T23:59:59.999Z', points: 3 },
    ];
    expect(lotsToRemind(lots, w)).toEqual([lots[1]]);
  });

  it('puts a member in the highest stage passed, within the catch-up days', () => {
    const s = DEFAULT_AUTOMATION_SETTINGS;
    const last = '2026-01-01T22:00:00Z';
    expect(daysSince(last, new Date('2026-02-15T01:00:00Z'))).toBe(45);
    expect(lapseStage(last, new Date('2026-02-14T23:00:00Z'), s)).toBeUndefined();
    expect(lapseStage(last, new Date('2026-02-15T01:00:00Z'), s)?.stage).toBe('lapsed-45');
    expect(lapseStage(last, new Date('2026-02-21T01:00:00Z'), s)?.stage).toBe('lapsed-45');
    expect(lapseStage(last, new Date('2026-02-22T01:00:00Z'), s)).toBeUndefined();
    expect(lapseStage(last, new Date('2026-04-01T01:00:00Z'), s)?.stage).toBe('lapsed-90');
    expect(lapseStage(undefined, new Date(), s)).toBeUndefined();
    expect(stageDays(new Date('2026-02-15T01:00:00Z'), 45, 3)).toEqual(['2026-01-01', '2025-12-31', '2025-12-30']);
  });
});

describe('local clock and quiet hours', () => {
  it('reads the hour in the program time zone', () => {
    expect(localTime(new Date('2026-06-10T20:00:00Z'), 'Asia/Tehran')).toMatchObject({ date: '2026-06-10', hour: 23, minute: 30 });
  });

  it('holds messages overnight until the quiet hours end', () => {
    const quiet = { startHour: 21, endHour: 9 };
    expect(inQuietHours(new Date('2026-06-10T20:00:00Z'), quiet, 'Asia/Tehran')).toBe(true);
    expect(inQuietHours(new Date('2026-06-10T10:00:00Z'), quiet, 'Asia/Tehran')).toBe(false);
    const at = new Date('2026-06-10T20:00:00Z');
    const next = nextSendTime(at, quiet, 'Asia/Tehran');
    expect(localTime(next, 'Asia/Tehran')).toMatchObject({ date: '2026-06-11', hour: 9 });
    expect(nextSendTime(new Date('2026-06-10T10:00:00Z'), quiet, 'UTC')).toEqual(new Date('2026-06-10T10:00:00Z'));
  });
});

describe('automationSettings', () => {
  it('refuses settings it cannot run', () => {
    expect(() => automationSettings({ timeZone: 'Mars/Olympus' })).toThrow(/time zone/);
    expect(() =>
      automationSettings({
        reengageStages: [
          { stage: 'a', afterDays: 90, bonusPoints: 0 },
          { stage: 'b', afterDays: 45, bonusPoints: 0 },
        ],
      }),
    ).toThrow(/ascending/);
    expect(automationSettings({ expiryReminderDays: 7 }).expiryReminderDays).toBe(7);
  });
});
