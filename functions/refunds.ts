/** POST /v1/refunds: take back points in proportion to what an order refunded. */
import { refund } from '../shared/club/points';
import { parseDecimal } from '../shared/domain/money';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable } from '../shared/http/route-handler';
import { balanceChangeView } from '../shared/http/views';
import { RefundBody } from '../shared/schemas/points';

export const handler = routeTable({
  'POST /v1/refunds': async (req) => {
    const body = input(RefundBody, jsonBody(req), 'body');
    const result = await refund(req.deps, body.memberId, {
      orderId: body.orderId,
      refundId: body.refundId,
      amount: parseDecimal(body.amount)!,
      currency: body.currency,
      reason: body.reason,
    });
    return json(200, balanceChangeView(result));
  },
});
