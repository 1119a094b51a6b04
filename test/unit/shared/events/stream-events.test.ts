import { describe, expect, it } from 'vitest';
import { eventsFromStreamRecord } from '../../../../shared/events/stream-events';
import { streamRecord } from '../../../support/stream-records';

const record = streamRecord;

const entryItem = {
  pk: 'ORDER#o-1',
  sk: 'EARN',
  gsi1pk: 'MEMBER#m1',
  gsi1sk: 'LEDGER#0000000003',
  itemType: 'ledger-entry',
  entryId: '01J0000000000000000000000A',
  memberId: 'm1',
  type: 'earn',
  points: 500,
  balanceAfter: 700,
  seq: 3,
  at: '2026-11-23T10:00:00.000Z',
  programVersion: 2,
  orderId: 'o-1',
  amount: '50.00',
  currency: 'USD',
};

const codeItem = {
  pk: 'CODE#ABCD-EFGH',
  sk: 'CODE',
  itemType: 'reward-code',
  code: 'ABCD-EFGH',
  rewardId: 'coffee',
  memberId: 'm1',
  redemptionKey: 'k-1',
  pointsPrice: 300,
  reward: { rewardId: 'coffee', name: 'Coffee', kind: 'discount', pointsPrice: 300 },
  issuedAt: '2026-11-23T10:00:00.000Z',
  expiresAt: '2026-12-23T10:00:00.000Z',
  redemptionId: '01J0000000000000000000000R',
};

const memberItem = {
  pk: 'MEMBER#m1',
  sk: 'MEMBER',
  itemType: 'member',
  memberId: 'm1',
  tier: 'gold',
  balance: 700,
  seq: 3,
};

describe('events read off the table stream', () => {
  it('tells a new ledger entry as its points event, named by the entry', () => {
    expect(eventsFromStreamRecord(record('INSERT', entryItem))).toEqual([
      {
        id: 'ledger:01J0000000000000000000000A',
        type: 'points.earned',
        version: 1,
        occurredAt: '2026-11-23T10:00:00.000Z',
        memberId: 'm1',
        data: {
          entryId: '01J0000000000000000000000A',
          entryType: 'earn',
          points: 500,
          balance: 700,
          orderId: 'o-1',
          amount: '50.00',
          currency: 'USD',
        },
      },
    ]);
  });

  it.each([
    ['bonus', 'points.earned'],
    ['redeem', 'points.redeemed'],
    ['reverse', 'points.reversed'],
    ['adjust', 'points.adjusted'],
    ['expire', 'points.expired'],
  ])('tells a %s entry as %s', (type, eventType) => {
    const [event] = eventsFromStreamRecord(record('INSERT', { ...entryItem, type }));
    expect(event?.type).toBe(eventType);
    expect(event?.id).toBe('ledger:01J0000000000000000000000A');
  });

  it('tells the expiry instant of the lot an expire entry took', () => {
    const [event] = eventsFromStreamRecord(
      record('INSERT', { ...entryItem, type: 'expire', points: -40, lots: [{ expiresAt: '2026-11-01T00:00:00.000Z', points: 40 }] }),
    );
    expect(event?.data.expiresAt).toBe('2026-11-01T00:00:00.000Z');
  });

  it("tells the tier an entry moved the member to by itself, under the entry's tier id", () => {
    const events = eventsFromStreamRecord(
      record('INSERT', {
        ...entryItem,
        tierMove: { tier: 'gold', previousTier: 'member', reason: 'qualifying points reached the threshold' },
      }),
    );
    expect(events.map((e) => e.id)).toEqual(['ledger:01J0000000000000000000000A', 'tier:01J0000000000000000000000A']);
    expect(events[1]).toEqual({
      id: 'tier:01J0000000000000000000000A',
      type: 'tier.changed',
      version: 1,
      occurredAt: '2026-11-23T10:00:00.000Z',
      memberId: 'm1',
      data: { tier: 'gold', previousTier: 'member', reason: 'qualifying points reached the threshold', balance: 700 },
    });
  });

  it('tells nothing of an entry updated later (a release): its fact was told when it was written', () => {
    expect(eventsFromStreamRecord(record('MODIFY', { ...entryItem, pendingPoints: 0 }, entryItem))).toEqual([]);
  });

  it("tells a review that moved the member from the member item's old and new tier, under the review's id", () => {
    const review = {
      from: 'gold',
      to: 'silver',
      at: '2027-12-01T00:00:00.000Z',
      reason: 'tier review: 150 qualifying points in the last 12 months',
    };
    const after = { ...memberItem, tier: 'silver', tierHistory: [review], seq: 4 };
    expect(eventsFromStreamRecord(record('MODIFY', after, memberItem))).toEqual([
      {
        id: 'tier:review:m1:2027-12-01T00:00:00.000Z',
        type: 'tier.changed',
        version: 1,
        occurredAt: '2027-12-01T00:00:00.000Z',
        memberId: 'm1',
        data: { tier: 'silver', previousTier: 'gold', reason: review.reason, balance: 700 },
      },
    ]);
  });

  it('leaves a member whose tier stayed, or moved by points (the entry tells that), or who is new, untold', () => {
    const reached = { from: 'member', to: 'gold', at: '2026-11-23T10:00:00.000Z', reason: 'qualifying points reached the threshold' };
    expect(eventsFromStreamRecord(record('MODIFY', { ...memberItem, balance: 900 }, memberItem))).toEqual([]);
    expect(eventsFromStreamRecord(record('MODIFY', { ...memberItem, tierHistory: [reached] }, { ...memberItem, tier: 'member' }))).toEqual(
      [],
    );
    expect(eventsFromStreamRecord(record('INSERT', memberItem))).toEqual([]);
  });

  it('tells an issued code as reward.issued, named by the code, with its redemption', () => {
    expect(eventsFromStreamRecord(record('INSERT', codeItem))).toEqual([
      {
        id: 'reward:ABCD-EFGH',
        type: 'reward.issued',
        version: 1,
        occurredAt: '2026-11-23T10:00:00.000Z',
        memberId: 'm1',
        data: {
          rewardId: 'coffee',
          code: 'ABCD-EFGH',
          kind: 'discount',
          pointsPrice: 300,
          expiresAt: '2026-12-23T10:00:00.000Z',
          redemptionId: '01J0000000000000000000000R',
        },
      },
    ]);
  });

  it('tells a code staff cancelled as reward.cancelled, reason cancelled, with the refund entry and the points returned', () => {
    const closed = {
      ...codeItem,
      refundedAt: '2026-11-25T09:00:00.000Z',
      cancelledAt: '2026-11-25T09:00:00.000Z',
      cancelReason: 'customer asked',
      refundEntryId: '01J0000000000000000000000C',
    };
    expect(eventsFromStreamRecord(record('MODIFY', closed, codeItem))).toEqual([
      {
        id: 'reward-cancelled:ABCD-EFGH',
        type: 'reward.cancelled',
        version: 1,
        occurredAt: '2026-11-25T09:00:00.000Z',
        memberId: 'm1',
        data: { code: 'ABCD-EFGH', rewardId: 'coffee', reason: 'cancelled', pointsReturned: 300, entryId: '01J0000000000000000000000C' },
      },
    ]);
  });

  it("tells a challenge's prize code as reward.issued with its challenge, and its take-back's close with nothing returned", () => {
    const prize = { ...codeItem, pointsPrice: 0, redemptionId: '01J0000000000000000000000G', challengeId: 'two-orders' };
    const [issued] = eventsFromStreamRecord(record('INSERT', prize));
    expect(issued).toMatchObject({
      id: 'reward:ABCD-EFGH',
      data: { pointsPrice: 0, redemptionId: '01J0000000000000000000000G', challengeId: 'two-orders' },
    });
    const closed = {
      ...prize,
      refundedAt: '2026-11-25T09:00:00.000Z',
      cancelledAt: '2026-11-25T09:00:00.000Z',
      cancelReason: 'goal no longer met',
      refundEntryId: '01J0000000000000000000000B',
    };
    expect(eventsFromStreamRecord(record('MODIFY', closed, prize)).map((e) => [e.id, e.data])).toEqual([
      [
        'reward-cancelled:ABCD-EFGH',
        { code: 'ABCD-EFGH', rewardId: 'coffee', reason: 'cancelled', pointsReturned: 0, entryId: '01J0000000000000000000000B' },
      ],
    ]);
  });

  it('tells a code refunded on expiry as reward.cancelled, reason expired', () => {
    const closed = { ...codeItem, refundedAt: '2026-12-24T00:00:00.000Z', refundEntryId: '01J0000000000000000000000E' };
    const [event] = eventsFromStreamRecord(record('MODIFY', closed, codeItem));
    expect(event?.data).toMatchObject({ reason: 'expired', entryId: '01J0000000000000000000000E' });
  });

  it('tells nothing of a code used at the till, or any other item', () => {
    expect(eventsFromStreamRecord(record('MODIFY', { ...codeItem, usedAt: '2026-11-24T00:00:00.000Z', useKey: 'o-9' }, codeItem))).toEqual(
      [],
    );
    expect(eventsFromStreamRecord(record('INSERT', { pk: 'MEMBER#m1', sk: 'ONCE#WELCOME', itemType: 'once' }))).toEqual([]);
    expect(eventsFromStreamRecord(record('REMOVE', undefined, entryItem))).toEqual([]);
  });
});
