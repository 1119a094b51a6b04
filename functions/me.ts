/** A member's own page (/v1/me/*): everything scoped to the member their portal link names; signing in to it with a code; the Shopify app proxy's page. */
import { memberChallenges } from '../shared/club/challenges';
import { memberCodes, memberHistory, memberOverview, memberRewards, redeemFromPortal } from '../shared/club/portal';
import { requestSignInCode, verifySignInCode } from '../shared/club/sign-in';
import { updateOwnProfile } from '../shared/club/self-service';
import { confirmContactChange } from '../shared/club/contact-change';
import { DomainError } from '../shared/domain/errors';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable, type ClubRequest } from '../shared/http/route-handler';
import { LedgerQuery } from '../shared/schemas/members';
import { ContactVerifyBody, MeProfileBody, MeRedeemBody, SignInBody, VerifyBody } from '../shared/schemas/portal';
import { wiring } from '../shared/wiring';
import { readAccessConfig } from '../shared/config';
import { memberOfShopifyCustomer } from '../shared/club/shopify-customers';
import type { HtmlText, Reply } from '../shared/http/errors';
import { verifyAppProxyRequest } from '../shared/portal/app-proxy';
import { memberProxyPage, proxyLang, signInProxyPage } from '../shared/portal/proxy-page';
import { portalSecret, shopifyAppSecret } from '../shared/portal/secret';
import { issuePortalToken } from '../shared/portal/token';

const memberOf = (req: ClubRequest) => req.member!.memberId;
/** The member as the link's check read them: no second read. */
const recordOf = (req: ClubRequest) => req.member!.record;

function html(page: { headers: Record<string, string>; body: string }): Reply<200, HtmlText> {
  return { statusCode: 200, headers: page.headers, body: page.body };
}

/**
 * The Shopify app proxy (/apps/club on the shop's domain): checked before anything
 * is read or written, so a forged, stale or unsigned request enrols nobody.
 */
async function appProxyPage(req: ClubRequest): Promise<Reply<200, HtmlText>> {
  const access = readAccessConfig();
  const now = req.deps.now();
  const proxy = verifyAppProxyRequest(req.query, await shopifyAppSecret(access), now);
  const lang = proxyLang(req.query);
  if (!proxy.customerId) return html(signInProxyPage({ lang, pathPrefix: proxy.pathPrefix, frameAncestors: access.frameAncestors }));
  const member = await memberOfShopifyCustomer(req.deps, proxy.customerId);
  const { token } = issuePortalToken(await portalSecret(access), member.memberId, now, access.portalTtlSeconds);
  // Shopify calls this API by its own host: the page calls it back there, and loads the member page's script from where /club is served.
  const api = `${req.headers['x-forwarded-proto'] ?? 'https'}://${req.headers.host ?? 'localhost'}`;
  const pages = (access.portalUrl ?? api).replace(/\/+$/, '');
  return html(memberProxyPage({ token, apiUrl: api, scriptUrl: `${pages}/club/club.js`, lang, frameAncestors: access.frameAncestors }));
}

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

  'PATCH /v1/me': async (req) => {
    const body = input(MeProfileBody, jsonBody(req), 'body');
    // The language is kept with the message preferences (the automation store); a new address's code goes as a sign-in's.
    const deps = { ...wiring().signIn, ...req.deps, automation: wiring().jobs.automation };
    const { member, verification } = await updateOwnProfile(deps, recordOf(req), body, req.sourceIp);
    if (verification) return json(202, { verification });
    return json(200, await memberOverview(req.deps, member));
  },

  'POST /v1/me/contact/verify': async (req) => {
    const body = input(ContactVerifyBody, jsonBody(req), 'body');
    const member = await confirmContactChange({ ...wiring().signIn, ...req.deps }, recordOf(req), body, req.sourceIp);
    return json(200, await memberOverview(req.deps, member));
  },

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

  'GET /v1/me/codes': async (req) => {
    const page = input(LedgerQuery, req.query, 'query');
    return json(200, await memberCodes(req.deps, memberOf(req), page));
  },

  'GET /v1/me/challenges': async (req) => json(200, { items: await memberChallenges(req.deps, memberOf(req), recordOf(req)) }),

  'GET /shopify/proxy': appProxyPage,
  'GET /shopify/proxy/{path+}': appProxyPage,
});
