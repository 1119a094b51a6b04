/** Helpers the program's integration tests share: members, orders and program edits through HTTP. */
import { expect } from 'vitest';
import type { TestClub } from './club';
import { uniqueId } from './ledger';

export function programApi(club: () => TestClub) {
  return {
    async newMember(extra: Record<string, unknown> = {}): Promise<string> {
      const res = await club().api('POST', '/v1/members', { memberId: uniqueId('m'), ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.memberId;
    },

    /** Earns in USD and expects 200; answers the body. */
    async earn(memberId: string, amount: string, extra: Record<string, unknown> = {}) {
      const res = await club().api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount, currency: 'USD', ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as { entryId: string; points: number; balance: number; duplicate: boolean; pendingPoints?: number };
    },

    /** Saves a program from the running version (If-Match); answers the saved program. */
    async putProgram(program: Record<string, unknown>) {
      const current = await club().api('GET', '/v1/admin/program');
      const res = await club().api('PUT', '/v1/admin/program', program, { 'if-match': current.headers.etag });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    },
  };
}
