/** Helpers the member page and console tests share: a member with history, a catalog, portal links. */
import { expect } from 'vitest';
import { defaultProgram } from '../../shared/domain/program';
import { DynamoProgramStore } from '../../shared/store/program-store';
import type { TestClub } from './club';
import { uniqueId } from './ledger';

export const CATALOG = [
  { rewardId: 'free-shipping', name: 'Free shipping', kind: 'free-shipping', pointsPrice: 100, validDays: 30 },
  { rewardId: 'ten-off', name: '10 off', kind: 'fixed-discount', amount: '10.00', pointsPrice: 250, validDays: 30 },
  { rewardId: 'big', name: 'Big gift', kind: 'free-product', productId: 'gift-1', pointsPrice: 5000, validDays: 30 },
];

/**
 * Puts a program with the rewards catalog in place, straight through the
 * program store (the admin PUT validates the catalog once the program schema has it).
 */
export async function seedCatalog(club: TestClub, currency = 'USD'): Promise<void> {
  const store = new DynamoProgramStore(club.client, club.tableName);
  const running = (await store.current()) ?? defaultProgram(currency);
  const outcome = await store.save({ ...running, version: running.version + 1, rewards: CATALOG } as never, running.version, defaultProgram(currency));
  expect(outcome).toBe('saved');
}

/** A member with two orders and a manual correction: balance 320 + 15 = 335 in USD. */
export async function memberWithHistory(club: TestClub, extra: Record<string, unknown> = {}) {
  const memberId = uniqueId('m');
  expect((await club.api('POST', '/v1/members', { memberId, name: 'Sara', ...extra })).status).toBe(201);
  for (const amount of ['120.50', '200.00']) {
    const res = await club.api('POST', '/v1/earn', { memberId, orderId: uniqueId('o'), amount, currency: 'USD' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  const adj = await club.api('POST', `/v1/members/${memberId}/adjustments`, { points: 15, reason: 'late delivery apology' });
  expect(adj.status, JSON.stringify(adj.body)).toBe(201);
  return { memberId, balance: 335 };
}

export async function portalLink(club: TestClub, memberId: string, body: Record<string, unknown> = {}) {
  const res = await club.api('POST', `/v1/members/${memberId}/portal-links`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { url: string; token: string; expiresAt: string };
}
