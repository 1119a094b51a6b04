import { describe, expect, it } from 'vitest';
import { pushRewardCode, type ShopSyncDeps } from '../../../../shared/club/shop-sync';
import type { RewardCode } from '../../../../shared/domain/rewards';
import type { ShopClient } from '../../../../shared/shops/shop-client';
import type { ShopSyncRecord } from '../../../../shared/store/shop-sync-store';

const NOW = new Date('2026-12-10T00:00:00.000Z');
const CODE: RewardCode = {
  code: 'RW-AAAAA-BBBBB-CCCCC-DDDDD',
  rewardId: 'ten-off',
  memberId: 'm1',
  redemptionKey: 'k',
  pointsPrice: 100,
  reward: { rewardId: 'ten-off', name: '10 off', kind: 'fixed-discount', amount: '10.00', pointsPrice: 100 },
  issuedAt: '2026-12-01T00:00:00.000Z',
  expiresAt: '2026-12-31T00:00:00.000Z',
};

function deps(code: RewardCode) {
  const created: string[] = [];
  const saved: ShopSyncRecord[] = [];
  const client: ShopClient = {
    platform: 'shopify',
    ensureDiscount: async (d) => (created.push(d.code), { discountId: 'gid://shopify/DiscountCodeNode/1', created: true }),
    disableDiscount: async () => 'disabled',
  };
  const d: ShopSyncDeps = {
    shops: { connected: { shopify: true, woocommerce: false }, client: async () => client },
    shopSync: {
      get: async () => saved.at(-1),
      forCode: async () => saved.at(-1),
      save: async (r) => void saved.push(r),
      list: async () => ({ items: [] }),
    },
    rewards: { getCode: async () => code, markUsed: async () => 'used', expiringCodesPage: async () => ({ codes: [] }) },
    store: { getMember: async () => ({ memberId: 'm1', externalIds: { shopify: '42' } }) as never },
    now: () => NOW,
  };
  return { d, created, saved };
}

describe('pushing a code to the shop', () => {
  it('pushes an issued code once, recording it created', async () => {
    const { d, created, saved } = deps(CODE);
    expect(await pushRewardCode(d, CODE.code)).toMatchObject({ status: 'created', record: { status: 'created', attempts: 1 } });
    expect(await pushRewardCode(d, CODE.code)).toMatchObject({ status: 'created' });
    expect(created).toEqual([CODE.code]);
    expect(saved.map((r) => r.status)).toEqual(['pending', 'created']);
  });

  it('a code used, refunded or expired before its event arrives gets no discount', async () => {
    for (const late of [
      { ...CODE, usedAt: '2026-12-05T00:00:00.000Z', useKey: 'order-1' },
      { ...CODE, refundedAt: '2026-12-05T00:00:00.000Z' },
      { ...CODE, expiresAt: '2026-12-09T00:00:00.000Z' },
    ]) {
      const { d, created, saved } = deps(late);
      expect(await pushRewardCode(d, late.code)).toMatchObject({ status: 'skipped' });
      expect(created).toEqual([]);
      expect(saved).toEqual([]);
    }
  });
});
