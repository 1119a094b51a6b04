import { describe, expect, it } from 'vitest';
import { pushRewardCode, syncShopEvent, type ShopSyncDeps } from '../../../../shared/club/shop-sync';
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
      saveUnlessDisableWanted: async (r) => (saved.push(r), true),
      markDisableWanted: async (r) => r,
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

/**
 * A shop and a push record held in memory, with the table's conditional writes:
 * a push's write is refused once a cancel has marked the record, as DynamoDB's
 * ConditionExpression refuses it. The shop's create can be held open, so a cancel
 * can be handled while the push is still waiting for the shop.
 */
function racing(code: RewardCode) {
  const shop = new Map<string, { id: string; active: boolean }>();
  let creates = 0;
  let hold: Promise<void> | undefined;
  let createStarted: () => void = () => {};
  const records = new Map<string, ShopSyncRecord>();
  const client: ShopClient = {
    platform: 'shopify',
    ensureDiscount: async (d) => {
      const found = shop.get(d.code);
      if (found) return { discountId: found.id, created: false };
      createStarted();
      if (hold) await hold;
      creates += 1;
      const made = { id: `gid://shopify/DiscountCodeNode/${creates}`, active: true };
      shop.set(d.code, made);
      return { discountId: made.id, created: true };
    },
    disableDiscount: async (c) => {
      const found = shop.get(c);
      if (!found) return 'not-found';
      found.active = false;
      return 'disabled';
    },
  };
  let current = code;
  const d: ShopSyncDeps = {
    shops: { connected: { shopify: true, woocommerce: false }, client: async () => client },
    shopSync: {
      get: async (c) => records.get(c),
      forCode: async (c) => records.get(c),
      save: async (r) => void records.set(r.code, r),
      saveUnlessDisableWanted: async (r) => {
        if (records.get(r.code)?.disableWantedAt) return false;
        records.set(r.code, r);
        return true;
      },
      markDisableWanted: async (r, at) => {
        const marked = { ...(records.get(r.code) ?? r), disableWantedAt: records.get(r.code)?.disableWantedAt ?? at };
        records.set(r.code, marked);
        return marked;
      },
      list: async () => ({ items: [] }),
    },
    rewards: { getCode: async () => current, markUsed: async () => 'used', expiringCodesPage: async () => ({ codes: [] }) },
    store: { getMember: async () => ({ memberId: 'm1', externalIds: { shopify: '42' } }) as never },
    now: () => NOW,
  };
  return {
    d,
    shop,
    record: () => records.get(code.code),
    creates: () => creates,
    /** The code as a later read sees it (the cancel's transaction committed). */
    cancelInClub: () => {
      current = { ...code, refundedAt: '2026-12-09T00:00:00.000Z' };
    },
    /** Holds the shop's next create open; resolves `started` once the push is waiting on it. */
    holdCreate: () => {
      let release: () => void = () => {};
      hold = new Promise<void>((r) => {
        release = r;
      });
      const started = new Promise<void>((r) => {
        createStarted = r;
      });
      return { started, release };
    },
  };
}

const issued = { type: 'reward.issued' as const, data: { code: CODE.code } };
const cancelled = { type: 'reward.cancelled' as const, data: { code: CODE.code } };

describe('a cancel racing the push of the same code', () => {
  it('cancelled while the create is in flight: the push finds the mark, deactivates what it made, and the record ends disabled', async () => {
    const r = racing(CODE);
    const held = r.holdCreate();
    const push = syncShopEvent(r.d, issued);
    await held.started;
    r.cancelInClub();
    // The cancel finds nothing in the shop yet (the create has not landed).
    expect(await syncShopEvent(r.d, cancelled)).toMatchObject({ status: 'disabled' });
    held.release();
    expect(await push).toMatchObject({ status: 'disabled', record: { status: 'disabled' } });
    expect(r.creates()).toBe(1);
    expect(r.shop.get(CODE.code)).toEqual({ id: 'gid://shopify/DiscountCodeNode/1', active: false });
    expect(r.record()).toMatchObject({ status: 'disabled', discountId: 'gid://shopify/DiscountCodeNode/1' });
  });

  it('cancel handled before reward.issued (a push that read the code before it was cancelled): nothing is created', async () => {
    const r = racing(CODE);
    // The cancel arrives first; the push still holds the code as it was when read.
    expect(await syncShopEvent(r.d, cancelled)).toMatchObject({ status: 'disabled' });
    expect(await syncShopEvent(r.d, issued)).toMatchObject({ status: 'disabled' });
    expect(r.creates()).toBe(0);
    expect(r.shop.size).toBe(0);
    expect(r.record()).toMatchObject({ status: 'disabled' });
  });

  it('cancel after the push was recorded created deactivates it; redeliveries of both events change nothing', async () => {
    const r = racing(CODE);
    expect(await syncShopEvent(r.d, issued)).toMatchObject({ status: 'created' });
    r.cancelInClub();
    expect(await syncShopEvent(r.d, cancelled)).toMatchObject({ status: 'disabled' });
    for (const again of [issued, cancelled, issued]) await syncShopEvent(r.d, again);
    expect(r.creates()).toBe(1);
    expect(r.shop.get(CODE.code)?.active).toBe(false);
    expect(r.record()).toMatchObject({ status: 'disabled' });
  });

  it('a push whose create failed during the cancel does not overwrite the disable', async () => {
    const r = racing(CODE);
    const held = r.holdCreate();
    const client = await r.d.shops.client('shopify');
    const ensure = client.ensureDiscount.bind(client);
    (client as { ensureDiscount: ShopClient['ensureDiscount'] }).ensureDiscount = async (disc, cust) => {
      await ensure(disc, cust);
      throw new Error('the answer was lost');
    };
    const push = syncShopEvent(r.d, issued);
    await held.started;
    r.cancelInClub();
    await syncShopEvent(r.d, cancelled);
    held.release();
    expect(await push).toMatchObject({ status: 'disabled' });
    expect(r.creates()).toBe(1);
    expect(r.shop.get(CODE.code)?.active).toBe(false);
    expect(r.record()).toMatchObject({ status: 'disabled' });
  });
});
