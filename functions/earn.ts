/** POST /v1/earn: an order paid, points earned once per order. */
import { earn } from '../shared/club/points';
import { parseDecimal } from '../shared/domain/money';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable } from '../shared/http/route-handler';
import { balanceChangeView } from '../shared/http/views';
import { EarnBody } from '../shared/schemas/points';

export const handler = routeTable({
  'POST /v1/earn': async (req) => {
    const body = input(EarnBody, jsonBody(req), 'body');
    const result = await earn(req.deps, body.memberId, {
      orderId: body.orderId,
      amount: parseDecimal(body.amount)!,
      currency: body.currency,
      occurredAt: body.occurredAt,
      lineItems: body.lineItems?.map((l) => ({ sku: l.sku, category: l.category, amount: parseDecimal(l.amount)! })),
    });
    return json(200, balanceChangeView(result));
  },
});
