import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../../shared/domain/ledger';
import { ledgerEvent, tierChangedEvent, tierMoveOf, tierReviewedEvent } from '../../../../shared/events/events';

const entry = {
  entryId: '01J0000000000000000000000A',
  memberId: 'm1',
  at: '2026-11-23T10:00:00.000Z',
  type: 'earn',
  points: 500,
  balanceAfter: 700,
  seq: 3,
} as LedgerEntry;

describe('domain events of a balance change', () => {
  it('says when the tier changed, with the reason the history gives, under an id fixed by the entry', () => {
    const tierMove = tierMoveOf('member', {
      tier: 'gold',
      tierHistory: [{ at: entry.at, reason: 'qualifying points reached the threshold' }],
    });
    const e = tierChangedEvent({ ...entry, tierMove });
    expect(e).toEqual({
      id: 'tier:01J0000000000000000000000A',
      type: 'tier.changed',
      version: 1,
      occurredAt: entry.at,
      memberId: 'm1',
      data: { tier: 'gold', previousTier: 'member', reason: 'qualifying points reached the threshold', balance: 700 },
    });
  });

  it('leaves a move by a review off the entry: the member item tells it, under the review id', () => {
    const change = {
      from: 'gold',
      to: 'silver',
      at: '2027-12-01T00:00:00.000Z',
      reason: 'tier review: 150 qualifying points in the last 12 months',
    };
    expect(tierMoveOf('gold', { tier: 'silver', tierHistory: [change] })).toBeUndefined();
    const fromReview = tierReviewedEvent('m1', 'gold', { tier: 'silver', tierHistory: [change] }, 700);
    expect(fromReview?.id).toBe('tier:review:m1:2027-12-01T00:00:00.000Z');
    expect(fromReview?.data).toEqual({ tier: 'silver', previousTier: 'gold', reason: change.reason, balance: 700 });
  });

  it('says nothing when the tier stayed or was not touched', () => {
    expect(tierMoveOf('gold', { tier: 'gold' })).toBeUndefined();
    expect(tierMoveOf('gold', {})).toBeUndefined();
    expect(tierChangedEvent(entry)).toBeUndefined();
  });

  it('names a ledger event by its entry', () => {
    expect(ledgerEvent(entry)).toMatchObject({
      id: 'ledger:01J0000000000000000000000A',
      type: 'points.earned',
      data: { points: 500, balance: 700 },
    });
  });
});
