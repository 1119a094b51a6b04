/**
 * Staff's view of webhook deliveries the club could not apply:
 * GET /v1/admin/deliveries?status=failed lists them with reason, raw body and
 * headers; POST /v1/admin/deliveries/{id}/replay applies one again after the
 * cause is fixed (exactly once: one replay at a time claims the delivery, and the
 * order and refund ids still decide);
 * POST …/dismiss takes one off the list for good, with who and why.
 */
import { DomainError } from '../shared/domain/errors';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable } from '../shared/http/route-handler';
import { actorHeader, actorOf } from '../shared/http/staff';
import { DeliveryListQuery, DeliveryPath, DismissBody, ReplayBody } from '../shared/schemas/deliveries';
import type { StoredDelivery } from '../shared/store/delivery-store';
import { applyDelivery, failureOf } from '../shared/webhooks/process';
import { wiring } from '../shared/wiring';

/** How long a replay holds its claim: past any API request, so only a replay that died lets it lapse. */
const REPLAY_CLAIM_MS = 2 * 60 * 1000;

function view(d: StoredDelivery) {
  return {
    id: d.id,
    status: d.status,
    source: d.source,
    topic: d.topic,
    reason: d.reason,
    attempts: d.attempts,
    deliveryId: d.deliveryId,
    receivedAt: d.receivedAt,
    failedAt: d.failedAt,
    replayedAt: d.replayedAt,
    replayedBody: d.replayedBody,
    dismissedAt: d.dismissedAt,
    dismissedBy: d.dismissedBy,
    dismissReason: d.dismissReason,
    headers: d.headers,
    body: d.body,
    bodyBase64: d.bodyBase64,
  };
}

export const handler = routeTable({
  'GET /v1/admin/deliveries': async (req) => {
    const query = input(DeliveryListQuery, req.query, 'query');
    const page = await wiring().webhooks.deliveries.list(query.status, { limit: query.limit, cursor: query.cursor });
    return json(200, { items: page.items.map(view), nextCursor: page.nextCursor ?? null });
  },

  'POST /v1/admin/deliveries/{id}/replay': async (req) => {
    const { id } = input(DeliveryPath, req.params, 'path');
    const fix = input(ReplayBody, jsonBody(req), 'body');
    const deps = wiring().webhooks;
    const found = await deps.deliveries.get(id, 'failed');
    const answerNotFailed = async () => {
      const replayed = await deps.deliveries.get(id, 'replayed');
      if (replayed) return json(200, { ...view(replayed), effects: [], duplicate: true });
      throw new DomainError('DELIVERY_NOT_FOUND', `no failed delivery ${id}`);
    };
    if (!found) return answerNotFailed();
    const now = deps.club.now().toISOString();
    // Two replays of one delivery (each perhaps with its own correction) must not both apply.
    const delivery = await deps.deliveries.claimReplay(found, now, new Date(deps.club.now().getTime() + REPLAY_CLAIM_MS).toISOString());
    if (!delivery) {
      if (await deps.deliveries.get(id, 'failed')) {
        throw new DomainError('REPLAY_IN_PROGRESS', `delivery ${id} is being replayed by another request; list it again in a moment`);
      }
      return answerNotFailed();
    }
    try {
      const result = await applyDelivery(deps, {
        v: 1,
        id: delivery.deliveryId,
        source: delivery.source as 'shopify' | 'woocommerce' | 'generic',
        topic: delivery.topic,
        receivedAt: delivery.receivedAt,
        headers: delivery.headers,
        ...(fix.body !== undefined ? { body: fix.body } : { body: delivery.body, bodyBase64: delivery.bodyBase64 }),
      });
      await deps.deliveries.markReplayed(delivery, now, fix.body);
      return json(200, {
        ...view({ ...delivery, status: 'replayed', replayedAt: now, replayedBody: fix.body }),
        effects: result.effects,
        duplicate: false,
      });
    } catch (err) {
      const { reason } = failureOf(err);
      await deps.deliveries.recordFailedReplay(delivery, reason, now);
      throw new DomainError('REPLAY_FAILED', `the delivery still cannot be applied: ${reason.message}`, [
        { path: reason.code, message: reason.message },
      ]);
    }
  },

  'POST /v1/admin/deliveries/{id}/dismiss': async (req) => {
    const { id } = input(DeliveryPath, req.params, 'path');
    const { reason } = input(DismissBody, jsonBody(req), 'body');
    const deps = wiring().webhooks;
    const delivery = await deps.deliveries.get(id, 'failed');
    if (delivery) {
      const by = actorOf(req.staff, actorHeader(req.headers)) ?? 'api token';
      const at = deps.club.now().toISOString();
      if (await deps.deliveries.markDismissed(delivery, at, by, reason)) {
        return json(200, view({ ...delivery, status: 'dismissed', dismissedAt: at, dismissedBy: by, dismissReason: reason }));
      }
      if (await deps.deliveries.get(id, 'failed')) {
        throw new DomainError('REPLAY_IN_PROGRESS', `delivery ${id} is being replayed; list it again in a moment`);
      }
    }
    // Dismissing again answers what was recorded; a replayed or unknown delivery is not on the failed list.
    const dismissed = await deps.deliveries.get(id, 'dismissed');
    if (dismissed) return json(200, view(dismissed));
    throw new DomainError('DELIVERY_NOT_FOUND', `no failed delivery ${id}`);
  },
});
