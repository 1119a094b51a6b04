import { describe, expect, it } from 'vitest';
import { readShopConfig } from '../../../../shared/config';
import type { ShopDiscount } from '../../../../shared/domain/shop-discount';
import { shopifyDiscountInput } from '../../../../shared/shops/shopify';
import { wooCouponFor } from '../../../../shared/shops/woocommerce';

const discount = (value: ShopDiscount['value']): ShopDiscount => ({
  code: 'RW-AAAAA-BBBBB-CCCCC-DDDDD',
  title: 'Mug (RW-AAAAA-BBBBB-CCCCC-DDDDD)',
  value,
  startsAt: '2026-12-01T10:00:00.000Z',
  endsAt: '2026-12-31T10:00:00.000Z',
});

describe('a free product in each shop', () => {
  it('Shopify: 100% off that product, for that customer only, once', () => {
    const { mutation, input } = shopifyDiscountInput(discount({ kind: 'free-product', productId: '632910392' }), {
      platform: 'shopify',
      customerId: '207119551',
    });
    expect(mutation).toBe('basic');
    expect(input).toMatchObject({
      context: { customers: { add: ['gid://shopify/Customer/207119551'] } },
      usageLimit: 1,
      customerGets: { value: { percentage: 1 }, items: { products: { productsToAdd: ['gid://shopify/Product/632910392'] } } },
    });
  });

  it('WooCommerce: 100% off one unit of that product, for that email only', () => {
    expect(wooCouponFor(discount({ kind: 'free-product', productId: '93' }), { platform: 'woocommerce', email: 'a@b.com' })).toMatchObject({
      discount_type: 'percent',
      amount: '100',
      product_ids: [93],
      limit_usage_to_x_items: 1,
      email_restrictions: ['a@b.com'],
      date_expires_gmt: '2026-12-31T10:00:00',
    });
  });
});

describe('which shops are connected', () => {
  it('none unless both the address and the credentials are set', () => {
    expect(readShopConfig({})).toMatchObject({ shopify: undefined, woocommerce: undefined });
    expect(readShopConfig({ SHOPIFY_SHOP: 's.myshopify.com' }).shopify).toBeUndefined();
    expect(readShopConfig({ WOOCOMMERCE_URL: 'https://w', WOOCOMMERCE_CONSUMER_KEY: 'ck' }).woocommerce).toBeUndefined();
    expect(readShopConfig({ SHOPIFY_SHOP: 's.myshopify.com', SHOPIFY_ADMIN_TOKEN: 't' }).shopify).toEqual({
      shop: 's.myshopify.com',
      adminToken: 't',
      adminApiUrl: undefined,
    });
    // On AWS the credentials are in the shop secret.
    expect(readShopConfig({ WOOCOMMERCE_URL: 'https://w', SHOP_SECRETS_ARN: 'arn:x' }).woocommerce).toMatchObject({ url: 'https://w' });
  });
});
