/** A member's own page (/v1/me/*): everything scoped to the member their portal link names; and signing in to it with a code. */
import { memberHistory, memberOverview, memberRewards, redeemFromPortal } from '../shared/club/portal';
import { requestSignInCode, verifySignInCode } from '../shared/club/sign-in';
import { DomainError } from '../shared/domain/errors';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable, type ClubRequest } from '../shared/http/route-handler';
import { LedgerQuery } from '../shared/schemas/members';
import { MeRedeemBody, SignInBody, VerifyBody } from '../shared/schemas/portal';
import { wiring } from '../shared/wiring';

const memberOf = (req: ClubRequest) => req.member!.memberId;
/** The member as the link's check read them: no second read. */
const recordOf = (req: ClubRequest) => req.member!.record;

export const handler = routeTable({
  'POST /v1/portal/sign-in': async (req) => {
    const body = input(SignInBody, jsonBody(req), 'body');
    await requestSignInCode(wiring().signIn, body, req.sourceIp);
    return json(202, {});
  },

  'POST /v1/portal/verify': async (req) => {
    const body = input(VerifyBody, jsonBody(req), 'body');
    return json(200, await verifySignInCode(wiring().signIn, body, req.sourceIp));
  },

  'GET /v1/me': async (req) => json(200, await memberOverview(req.deps, recordOf(req))),

  'GET /v1/me/ledger': async (req) => {
    const page = input(LedgerQuery, req.query, 'query');
    return json(200, await memberHistory(req.deps, memberOf(req), page));
  },

  'GET /v1/me/rewards': async (req) => json(200, await memberRewards(req.deps, recordOf(req))),

  'POST /v1/me/redeem': async (req) => {
    const body = input(MeRedeemBody, jsonBody(req), 'body');
    const idempotencyKey = body.idempotencyKey ?? req.headers['idempotency-key'];
    if (!idempotencyKey) {
      throw new DomainError('VALIDATION_FAILED', 'a redemption needs an idempotency key', [
        { path: 'body.idempotencyKey', message: 'required (or an Idempotency-Key header)' },
      ]);
    }
    return json(200, await redeemFromPortal(req.deps, recordOf(req), { rewardId: body.rewardId, idempotencyKey }));
  },
});
