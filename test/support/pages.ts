/** Helpers the member page and console tests share: a member with history, a catalog, portal links. */
import { expect } from 'vitest';
import type { TestClub } from './club';
import { uniqueId } from './ledger';

export const CATALOG = [
  { rewardId: 'free-shipping', name: 'Free shipping', kind: 'free-shipping', pointsPrice: 100, validDays: 30 },
  { rewardId: 'ten-off', name: '10 off', kind: 'fixed-discount', amount: '10.00', pointsPrice: 250, validDays: 30 },
  { rewardId: 'big', name: 'Big gift', kind: 'free-product', productId: 'gift-1', pointsPrice: 5000, validDays: 30 },
];

/** Saves the running program with the rewards catalog (and any other rules given), through the admin API. */
export async function seedCatalog(club: TestClub, rules: Record<string, unknown> = {}): Promise<void> {
  const current = await club.api('GET', '/v1/admin/program');
  const res = await club.api('PUT', '/v1/admin/program', { ...current.body, rewards: CATALOG, ...rules });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
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
