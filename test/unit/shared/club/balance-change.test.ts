import { describe, expect, it } from 'vitest';
import { applyBalanceChange } from '../../../../shared/club/balance-change';
import type { ClubDeps } from '../../../../shared/club/deps';
import { DomainError } from '../../../../shared/domain/errors';
import type { Member } from '../../../../shared/domain/member';
import { DeadlineReached } from '../../../../shared/store/write-deadline';

const member = {
  memberId: 'm1',
  tier: 'member',
  balance: 10,
  lifetimePoints: 10,
  lots: [],
  joinedAt: '2026-01-01T00:00:00.000Z',
  seq: 3,
  profileVersion: 1,
} as unknown as Member;

describe('a balance change that runs out of time', () => {
  it('answers CONCURRENT_UPDATE (503 with Retry-After) when the store refuses to send the commit so late: nothing was written', async () => {
    let commits = 0;
    const deps = {
      now: () => new Date('2026-12-07T10:00:00.000Z'),
      // Enough time at the use case's own check; the store's guard, a moment later, finds too little.
      remainingMs: () => 5_000,
      events: { publish: async () => {} },
      store: {
        getEntry: async () => undefined,
        getMember: async () => member,
        commitBalanceChange: async () => {
          commits++;
          throw new DeadlineReached('TransactWriteItemsCommand', 900);
        },
      },
    } as unknown as ClubDeps;
    const attempt = applyBalanceChange(deps, {
      memberId: 'm1',
      ref: { kind: 'idem', key: 'k1' } as never,
      decide: (m) => ({ entry: { type: 'redeem', points: -1 }, next: { ...m, balance: m.balance - 1 } }) as never,
    });
    const err = await attempt.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('CONCURRENT_UPDATE');
    // Not tried again: with the deadline this close, another commit could land behind the answer.
    expect(commits).toBe(1);
  });
});
