/**
 * The shops the club is connected to, built from the config: plain credentials
 * locally and in tests, the shop secret (Secrets Manager) on AWS, read once per
 * cold start when the first push needs it. The clients themselves come from
 * shared/wiring/shops.ts, so only the functions that push carry them in their bundle.
 */
import type { ShopConfig } from '../config';
import type { ShopPlatform } from '../domain/shop-discount';
import { secretValue } from '../secret-value';
import type { ShopClient } from './shop-client';

export interface ConnectedShops {
  readonly connected: { readonly shopify: boolean; readonly woocommerce: boolean };
  client(platform: ShopPlatform): Promise<ShopClient>;
}

interface ShopSecrets {
  readonly shopifyAdminToken?: string;
  readonly woocommerceConsumerKey?: string;
  readonly woocommerceConsumerSecret?: string;
}

/** How a client is made for a shop; absent: this function only reads where codes stand, it never pushes. */
export interface ShopClientMakers {
  shopify(options: { shop: string; accessToken: string; adminApiUrl?: string }): ShopClient;
  woocommerce(options: { url: string; consumerKey: string; consumerSecret: string }): ShopClient;
}

async function shopSecrets(arn: string): Promise<ShopSecrets> {
  const text = await secretValue(arn, 'shop');
  try {
    return JSON.parse(text) as ShopSecrets;
  } catch {
    throw new Error(
      'the shop secret is not JSON: set it to {"shopifyAdminToken": …, "woocommerceConsumerKey": …, "woocommerceConsumerSecret": …} (docs/shops.md)',
    );
  }
}

export function connectedShops(config: ShopConfig, makers?: ShopClientMakers): ConnectedShops {
  const secrets = async (): Promise<ShopSecrets> => (config.secretsArn ? shopSecrets(config.secretsArn) : {});
  const clients = new Map<ShopPlatform, Promise<ShopClient>>();
  const build = async (platform: ShopPlatform): Promise<ShopClient> => {
    if (!makers) throw new Error('this function does not push to shops');
    if (platform === 'shopify' && config.shopify) {
      const token = config.shopify.adminToken ?? (await secrets()).shopifyAdminToken;
      if (!token) throw new Error('the shop secret has no shopifyAdminToken');
      return makers.shopify({ shop: config.shopify.shop, accessToken: token, adminApiUrl: config.shopify.adminApiUrl });
    }
    if (platform === 'woocommerce' && config.woocommerce) {
      const s = config.woocommerce.consumerKey ? config.woocommerce : await secrets();
      const consumerKey = 'consumerKey' in s ? s.consumerKey : (s as ShopSecrets).woocommerceConsumerKey;
      const consumerSecret = 'consumerSecret' in s ? s.consumerSecret : (s as ShopSecrets).woocommerceConsumerSecret;
      if (!consumerKey || !consumerSecret) throw new Error('the shop secret has no WooCommerce consumer key and secret');
      return makers.woocommerce({ url: config.woocommerce.url, consumerKey, consumerSecret });
    }
    throw new Error(`${platform} is not connected`);
  };
  return {
    connected: { shopify: Boolean(config.shopify), woocommerce: Boolean(config.woocommerce) },
    client(platform) {
      let c = clients.get(platform);
      if (!c) {
        c = build(platform);
        clients.set(platform, c);
        c.catch(() => clients.delete(platform));
      }
      return c;
    },
  };
}
