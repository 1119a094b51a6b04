import { describe, expect, it } from 'vitest';
import { countersFromStreamRecord } from '../../../../shared/events/stream-counters';
import { streamRecord } from '../../../support/stream-records';

const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', next?: Record<string, unknown>, prev?: Record<string, unknown>) =>
  streamRecord(eventName, next, prev, '2026-12-01T23:59:59Z');

const order = {
  pk: 'ORDER#o-2',
  sk: 'EARN',
  itemType: 'ledger-entry',
  entryId: 'e2',
  memberId: 'm1',
  type: 'earn',
  points: 50,
  balanceAfter: 150,
  seq: 2,
  at: '2026-12-05T10:00:00.000Z',
  programVersion: 1,
  amount: '50.00',
  currency: 'USD',
};
const member = {
  pk: 'MEMBER#m1',
  sk: 'MEMBER',
  itemType: 'member',
  memberId: 'm1',
  email: 'sara@example.com',
  phone: '+989121234567',
  name: 'Sara',
  joinedAt: '2026-11-30T08:00:00.000Z',
  seq: 0,
  profileVersion: 1,
};

describe('report counters from the table stream', () => {
  it("counts a member's first order as a new buyer, from the entry alone", () => {
    expect(countersFromStreamRecord(record('INSERT', order))).toEqual([
      {
        day: '2026-12-05',
        adds: { earn: 50, orders: 1, revenue: 500_000, newBuyers: 1 },
        history: { orders: 1, firstOrderAt: order.at, lastOrderAt: order.at },
      },
    ]);
  });

  it('counts a repeat order and its gaps from the order history the entry carries, and the challenges it started', () => {
    const repeat = {
      ...order,
      priorOrders: { orders: 1, firstOrderAt: '2026-12-01T10:00:00.000Z', lastOrderAt: '2026-12-01T10:00:00.000Z' },
      challengesStarted: ['spring'],
    };
    expect(countersFromStreamRecord(record('INSERT', repeat))).toEqual([
      {
        day: '2026-12-05',
        adds: {
          earn: 50,
          orders: 1,
          revenue: 500_000,
          repeatOrders: 1,
          repeatRevenue: 500_000,
          a4: 1,
          s4: 1,
          'challengeParticipants#spring': 1,
        },
        history: { orders: 2, firstOrderAt: '2026-12-01T10:00:00.000Z', lastOrderAt: '2026-12-05T10:00:00.000Z' },
      },
    ]);
  });

  it('counts an entry once, when it is written: a later change of it (a release) and its removal add nothing', () => {
    expect(countersFromStreamRecord(record('MODIFY', { ...order, releasedAt: '2026-12-20T00:00:00.000Z' }, order))).toEqual([]);
    expect(countersFromStreamRecord(record('REMOVE', undefined, order))).toEqual([]);
  });

  it('counts an enrolment on the day the member joined, with a complete profile when it was', () => {
    expect(countersFromStreamRecord(record('INSERT', member))).toEqual([{ day: '2026-11-30', adds: { members: 1 } }]);
    expect(countersFromStreamRecord(record('INSERT', { ...member, birthday: '1990-03-21' }))).toEqual([
      { day: '2026-11-30', adds: { members: 1, profilesComplete: 1 } },
    ]);
  });

  it('counts a profile completed or broken on the day it was edited; any other change of the member adds nothing', () => {
    const complete = { ...member, birthday: '1990-03-21', profileEditedAt: '2026-12-03T09:00:00.000Z', profileVersion: 2 };
    expect(countersFromStreamRecord(record('MODIFY', complete, member))).toEqual([{ day: '2026-12-03', adds: { profilesComplete: 1 } }]);
    const broken = { ...complete, phone: undefined, profileEditedAt: '2026-12-04T09:00:00.000Z', profileVersion: 3 };
    expect(countersFromStreamRecord(record('MODIFY', broken, complete))).toEqual([{ day: '2026-12-04', adds: { profilesComplete: -1 } }]);
    expect(countersFromStreamRecord(record('MODIFY', { ...complete, seq: 5, balance: 100 }, complete))).toEqual([]);
  });

  it('counts consent moved from the defaults on the first save, and from the last save after it', () => {
    const prefs = { pk: 'MEMBER#m1', sk: 'PREFS', itemType: 'notify-prefs', memberId: 'm1', transactional: true };
    const offers = { ...prefs, marketing: true, channels: ['sms', 'email'], updatedAt: '2026-12-02T10:00:00.000Z' };
    expect(countersFromStreamRecord(record('INSERT', offers))).toEqual([{ day: '2026-12-02', adds: { offersConsent: 1 } }]);
    const noSms = { ...offers, channels: ['email'], updatedAt: '2026-12-06T10:00:00.000Z' };
    expect(countersFromStreamRecord(record('MODIFY', noSms, offers))).toEqual([{ day: '2026-12-06', adds: { smsDeclined: 1 } }]);
    expect(countersFromStreamRecord(record('MODIFY', { ...noSms, language: 'fa' }, noSms))).toEqual([]);
  });

  it('adds nothing for items the reports do not count', () => {
    expect(countersFromStreamRecord(record('INSERT', { pk: 'CODE#X', sk: 'CODE', itemType: 'reward-code', code: 'X' }))).toEqual([]);
    expect(countersFromStreamRecord(record('INSERT', { pk: 'COUNTED#x', sk: 'COUNTED', itemType: 'counted' }))).toEqual([]);
  });
});
