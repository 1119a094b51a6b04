import { describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../../../shared/domain/ledger';
import { ledgerEvent, tierChangedEvent, tierReviewedEvent } from '../../../../shared/events/events';

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
    const e = tierChangedEvent(entry, 'member', {
      tier: 'gold',
      tierHistory: [{ at: entry.at, reason: 'qualifying points reached the threshold' }],
    });
    expect(e).toEqual({
      id: 'tier:01J0000000000000000000000A',
      type: 'tier.changed',
      version: 1,
      occurredAt: entry.at,
      memberId: 'm1',
      data: { tier: 'gold', previousTier: 'member', reason: 'qualifying points reached the threshold', balance: 700 },
    });
  });

  it('names a review alike whether the tier-review job or a balance change that found it due writes it', () => {
    const change = {
      from: 'gold',
      to: 'silver',
      at: '2027-12-01T00:00:00.000Z',
      reason: 'tier review: 150 qualifying points in the last 12 months',
    };
    const fromEarn = tierChangedEvent(entry, 'gold', { tier: 'silver', tierHistory: [change] });
    const fromJob = tierReviewedEvent('m1', 'gold', { tier: 'silver', tierHistory: [change] }, 700);
    expect(fromEarn?.id).toBe('tier:review:m1:2027-12-01T00:00:00.000Z');
    expect(fromJob?.id).toBe(fromEarn?.id);
    expect(fromJob?.data).toEqual(fromEarn?.data);
  });

  it('says nothing when the tier stayed or was not touched', () => {
    expect(tierChangedEvent(entry, 'gold', { tier: 'gold' })).toBeUndefined();
    expect(tierChangedEvent(entry, 'gold', {})).toBeUndefined();
  });

  it('names a ledger event by its entry', () => {
    expect(ledgerEvent(entry)).toMatchObject({
      id: 'ledger:01J0000000000000000000000A',
      type: 'points.earned',
      data: { points: 500, balance: 700 },
    });
  });
});
