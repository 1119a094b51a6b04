/** Reward codes: the store checks one at checkout and marks it used, once; staff cancel an unused one. */
import { cancelRewardCode, getRewardCode, useRewardCode } from '../shared/club/rewards';
import { shopViewOfCode } from '../shared/club/shop-sync';
import { DomainError } from '../shared/domain/errors';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable } from '../shared/http/route-handler';
import { actorHeader, actorOf } from '../shared/http/staff';
import { CancelCodeBody, CodePathParams, UseCodeBody } from '../shared/schemas/rewards';
import { wiring } from '../shared/wiring';

export const handler = routeTable({
  'GET /v1/rewards/codes/{code}': async (req) => {
    const { code } = input(CodePathParams, req.params, 'path');
    const view = await getRewardCode(req.deps, code);
    return json(200, { ...view, shop: await shopViewOfCode(wiring().shopSync, view) });
  },
  'POST /v1/rewards/codes/{code}/use': async (req) => {
    const { code } = input(CodePathParams, req.params, 'path');
    const body = input(UseCodeBody, jsonBody(req), 'body');
    const useKey = body.orderId ?? body.idempotencyKey ?? req.headers['idempotency-key'];
    if (!useKey) {
      throw new DomainError('VALIDATION_FAILED', 'say which order uses the code', [
        { path: 'body.orderId', message: 'orderId or idempotencyKey (or an Idempotency-Key header) is required' },
      ]);
    }
    return json(200, await useRewardCode(req.deps, code, useKey));
  },
  'POST /v1/rewards/codes/{code}/cancel': async (req) => {
    const { code } = input(CodePathParams, req.params, 'path');
    const { reason } = input(CancelCodeBody, jsonBody(req), 'body');
    return json(200, await cancelRewardCode(req.deps, code, reason, actorOf(req.staff, actorHeader(req.headers))));
  },
});
