/**
 * Staff's view of reward codes the shop did not take: GET /v1/admin/shop-sync
 * lists the pushes by status (failed by default) with the shop's last answer;
 * POST /v1/admin/shop-sync/{id}/retry pushes one again, asking the shop for the
 * code first so it never makes a second discount. Its own function: only it and
 * the shop-sync consumer carry the shops' clients.
 */
import { retryShopSync, shopSyncView } from '../shared/club/shop-sync';
import { json } from '../shared/http/errors';
import { input, routeTable } from '../shared/http/route-handler';
import { ShopSyncListQuery, ShopSyncPath } from '../shared/schemas/shop-sync';
import { shopPushWiring } from '../shared/wiring/shops';

export const handler = routeTable({
  'GET /v1/admin/shop-sync': async (req) => {
    const query = input(ShopSyncListQuery, req.query, 'query');
    const page = await shopPushWiring().shopSync.list(query.status, { limit: query.limit, cursor: query.cursor });
    return json(200, { items: page.items.map(shopSyncView), nextCursor: page.nextCursor ?? null });
  },

  'POST /v1/admin/shop-sync/{id}/retry': async (req) => {
    const { id } = input(ShopSyncPath, req.params, 'path');
    return json(200, await retryShopSync(shopPushWiring(), id));
  },
});
