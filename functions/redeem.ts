/** POST /v1/redeem: spend points, once per idempotency key, never below zero. */
import { redeem } from '../shared/club/points';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable } from '../shared/http/route-handler';
import { RedeemBody } from '../shared/schemas/points';

export const handler = routeTable({
  'POST /v1/redeem': async (req) => {
    const body = input(RedeemBody, jsonBody(req), 'body');
    const result = await redeem(req.deps, body.memberId, {
      points: body.points,
      idempotencyKey: body.idempotencyKey,
      rewardId: body.rewardId,
    });
    return json(200, {
      redemptionId: result.entry.entryId,
      pointsSpent: -result.entry.points,
      balance: result.balance,
      ...(result.reward ? { reward: result.reward } : {}),
      ...(result.entry.amount !== undefined &&
        result.entry.currency !== undefined && { value: { amount: result.entry.amount, currency: result.entry.currency } }),
      duplicate: result.duplicate,
    });
  },
});
