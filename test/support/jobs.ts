/** Arranging members for the job tests: enrol, and earn at a chosen moment (the lot's expiry and the last purchase follow it). */
import { expect } from 'vitest';
import type { TestClub } from './club';
import { uniqueId } from './ledger';

export function jobHelpers(club: () => TestClub) {
  return {
    async newMember(profile: Record<string, unknown> = {}): Promise<string> {
      const res = await club().api('POST', '/v1/members', { memberId: uniqueId('m'), ...profile });
      expect(res.status).toBe(201);
      return res.body.memberId;
    },
    async earnAt(memberId: string, amount: string, occurredAt: string, orderId = uniqueId('o')) {
      const res = await club().api('POST', '/v1/earn', { memberId, orderId, amount, currency: 'USD', occurredAt });
      expect(res.status).toBe(200);
      return res.body;
    },
  };
}
