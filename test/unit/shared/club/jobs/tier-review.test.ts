import { describe, expect, it } from 'vitest';
import { automationSettings } from '../../../../../shared/domain/automation-settings';
import type { Member, ProgramState } from '../../../../../shared/domain/member';
import { defaultProgram, type Program } from '../../../../../shared/domain/program';
import type { DomainEvent } from '../../../../../shared/events/events';
import type { JobDeps } from '../../../../../shared/club/jobs/job-runner';
import { tierReview, tierReviewDays } from '../../../../../shared/club/jobs/tier-review';

describe('tierReviewDays', () => {
  it('reaches back the grace days and one more (a tier is kept to the end of its day), then catchUpDays', () => {
    expect(tierReviewDays(new Date('2027-12-08T02:00:00Z'), 7, 3)).toEqual(['2027-11-30', '2027-11-29', '2027-11-28']);
    expect(tierReviewDays(new Date('2027-12-01T00:00:00Z'), 0, 1)).toEqual(['2027-11-30']);
  });
});

describe('tierReview', () => {
  const program: Program = {
    ...defaultProgram('USD'),
    tiers: {
      ...defaultProgram('USD').tiers,
      basis: 'points',
      windowMonths: 12,
      graceDays: 0,
      levels: [{ id: 'gold', name: 'Gold', threshold: 500, multiplier: '1', perks: [] }],
    },
  };
  const gold: Member = {
    memberId: 'm1',
    externalIds: {},
    tier: 'gold',
    tierSince: '2026-11-10T00:00:00.000Z',
    tierKeptUntil: '2027-11-30T23:59:59.999Z',
    tierHistory: [{ from: 'member', to: 'gold', at: '2026-11-10T00:00:00.000Z', reason: 'reached' }],
    balance: 40,
    lifetimePoints: 600,
    lots: [],
    joinedAt: '2026-01-01T00:00:00.000Z',
    seq: 3,
    profileVersion: 1,
  };

  function depsWith(commits: ('committed' | 'member-changed')[]) {
    const written: ProgramState[] = [];
    const published: DomainEvent[] = [];
    const deps = {
      settings: async () => automationSettings({ catchUpDays: 2 }),
      program: async () => program,
      automation: {
        membersPage: async (bucket: { pk: string }) => ({ memberIds: bucket.pk === 'TIERREVIEW#2027-11-30' ? ['m1'] : [] }),
      },
      store: {
        getMember: async () => gold,
        commitTierReview: async (_m: Member, review: ProgramState) => {
          written.push(review);
          return commits.shift() ?? 'committed';
        },
      },
      events: { publish: async (events: DomainEvent[]) => void published.push(...events) },
    } as unknown as JobDeps;
    return { deps, written, published };
  }

  it('reviews a member another writer is busy with again on a fresh read, and publishes nothing itself (the stream tells the change)', async () => {
    const { deps, written, published } = depsWith(['member-changed', 'member-changed', 'committed']);
    const result = await tierReview(deps, { asOf: new Date('2027-12-01T03:00:00Z') });
    expect(result).toMatchObject({ processed: 1, downgraded: 1, failed: 0 });
    expect(written).toHaveLength(3);
    expect(written[2]).toMatchObject({ tier: 'member', tierKeptUntil: null });
    // tier.changed comes off the member item's stream record (shared/events/stream-events.ts), once it commits.
    expect(published).toEqual([]);
  });

  it('leaves a member that stays busy to the next run, counted as failed', async () => {
    const { deps, written } = depsWith(Array(10).fill('member-changed'));
    const result = await tierReview(deps, { asOf: new Date('2027-12-01T03:00:00Z') });
    expect(result).toMatchObject({ processed: 0, failed: 1 });
    expect(written).toHaveLength(5);
  });
});
