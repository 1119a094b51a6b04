import { describe, expect, it } from 'vitest';
import { decideShopCustomer, shopDiscountFor } from '../../../../shared/domain/shop-discount';
import type { RewardCode } from '../../../../shared/domain/rewards';

const code = (reward: Partial<RewardCode['reward']>): RewardCode => ({
  code: 'RW-AAAAA-BBBBB-CCCCC-DDDDD',
  rewardId: 'r',
  memberId: 'm',
  redemptionKey: 'k',
  pointsPrice: 10,
  reward: { rewardId: 'r', name: 'Gift', kind: 'fixed-discount', pointsPrice: 10, ...reward },
  issuedAt: '2026-12-01T10:00:00.000Z',
  expiresAt: '2026-12-31T10:00:00.000Z',
});

describe('what a reward becomes in the shop', () => {
  it('maps each discount kind, with the code, its life and a title', () => {
    expect(shopDiscountFor(code({ kind: 'fixed-discount', amount: '10.00' }))).toEqual({
      code: 'RW-AAAAA-BBBBB-CCCCC-DDDDD',
      title: 'Gift (RW-AAAAA-BBBBB-CCCCC-DDDDD)',
      value: { kind: 'amount-off', amount: '10.00' },
      startsAt: '2026-12-01T10:00:00.000Z',
      endsAt: '2026-12-31T10:00:00.000Z',
    });
    expect(shopDiscountFor(code({ kind: 'percent-discount', percent: 15 }))?.value).toEqual({ kind: 'percent-off', percent: 15 });
    expect(shopDiscountFor(code({ kind: 'free-shipping' }))?.value).toEqual({ kind: 'free-shipping' });
    expect(shopDiscountFor(code({ kind: 'free-product', productId: '632910392' }))?.value).toEqual({
      kind: 'free-product',
      productId: '632910392',
    });
  });

  it('a tier-up (or a discount without its value) is no shop discount', () => {
    expect(shopDiscountFor(code({ kind: 'tier-up', tier: 'gold' }))).toBeUndefined();
    expect(shopDiscountFor(code({ kind: 'fixed-discount' }))).toBeUndefined();
  });
});

describe('which shop holds the member', () => {
  const both = { shopify: true, woocommerce: true };
  it('Shopify when the member is a Shopify customer there, else WooCommerce by (normalized) email', () => {
    expect(decideShopCustomer({ email: 'A@B.com', externalIds: { shopify: '7' } }, both)).toEqual({ platform: 'shopify', customerId: '7' });
    expect(decideShopCustomer({ email: ' A@B.com', externalIds: {} }, both)).toEqual({ platform: 'woocommerce', email: 'a@b.com' });
    expect(decideShopCustomer({ email: 'a@b.com', externalIds: { shopify: '7' } }, { shopify: false, woocommerce: true })).toEqual({
      platform: 'woocommerce',
      email: 'a@b.com',
    });
  });

  it('no connected shop, or one that does not know the member: none', () => {
    expect(decideShopCustomer({ email: 'a@b.com', externalIds: { shopify: '7' } }, { shopify: false, woocommerce: false })).toBeUndefined();
    expect(decideShopCustomer({ externalIds: {} }, both)).toBeUndefined();
    expect(decideShopCustomer({ email: 'a@b.com', externalIds: {} }, { shopify: true, woocommerce: false })).toBeUndefined();
  });
});
