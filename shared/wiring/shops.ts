/**
 * The shop-sync dependencies with the shops' clients, for the functions that push
 * (the shop-sync consumer, staff's retry route). Apart from shared/wiring/index.ts
 * because the clients (Shopify's library among them) would otherwise ride in
 * every function's bundle; the rest read where a code stands through wiring().shopSync.
 */
import type { ShopSyncDeps } from '../club/shop-sync';
import { readShopConfig } from '../config';
import { connectedShops, type ShopClientMakers } from '../shops/connected-shops';
import { ShopifyClient } from '../shops/shopify';
import { WooCommerceClient } from '../shops/woocommerce';
import { wiring } from './index';

const MAKERS: ShopClientMakers = {
  shopify: (options) => new ShopifyClient(options),
  woocommerce: (options) => new WooCommerceClient(options),
};

let built: { base: ShopSyncDeps; deps: ShopSyncDeps } | undefined;

/** wiring().shopSync with clients that reach the shops; rebuilt when the wiring is (a restarted club, a test's config). */
export function shopPushWiring(): ShopSyncDeps {
  const base = wiring().shopSync;
  if (built?.base !== base) built = { base, deps: { ...base, shops: connectedShops(readShopConfig(), MAKERS) } };
  return built.deps;
}
