/** Members: enrol, look up, read, update, ledger and staff adjustments. */
import { memberChallenges } from '../shared/club/challenges';
import { randomUUID } from 'node:crypto';
import { importMembers } from '../shared/club/member-import';
import { enrolMember, findMembers, getMember, memberLedger, programPhone, updateMember } from '../shared/club/members';
import { adjust } from '../shared/club/points';
import { referralCode } from '../shared/club/referrals';
import { revokePortalLinks } from '../shared/club/portal';
import { portalLink } from '../shared/portal/link';
import { actorHeader, actorOf } from '../shared/http/staff';
import { normalizeEmail, type Claim } from '../shared/domain/member';
import { json } from '../shared/http/errors';
import { input, jsonBody, routeTable, stopBeforeDeadline } from '../shared/http/route-handler';
import { ledgerEntryView, memberView } from '../shared/http/views';
import {
  AdjustmentBody,
  EnrolMemberBody,
  LedgerQuery,
  MemberLookupQuery,
  MemberPathParams,
  PatchMemberBody,
} from '../shared/schemas/members';
import { PortalLinkBody } from '../shared/schemas/portal';
import { ImportMembersEnvelope } from '../shared/schemas/member-imports';
import { DynamoNameSearch } from '../shared/store/name-search';
import { wiring } from '../shared/wiring';

/** Rows of an import batch in flight at once: enough to keep the table busy, few enough not to throttle it. */
const IMPORT_CONCURRENCY = 12;

/** Most members a page of a name search answers with (docs/pages.md); nextCursor for more. */
const NAME_MATCHES = 20;

export const handler = routeTable({
  'POST /v1/members': async (req) => {
    const body = input(EnrolMemberBody, jsonBody(req), 'body');
    const member = await enrolMember(req.deps, body);
    return json(201, memberView(member), { location: `/v1/members/${encodeURIComponent(member.memberId)}` });
  },

  'POST /v1/admin/imports/members': async (req) => {
    const body = input(ImportMembersEnvelope, jsonBody(req), 'body');
    const results = await importMembers(req.deps, body.rows, {
      actor: actorOf(req.staff, body.actor ?? actorHeader(req.headers)) ?? 'loyalty import',
      concurrency: IMPORT_CONCURRENCY,
      shouldStop: stopBeforeDeadline(req),
    });
    return json(200, { results, notAttempted: results.filter((r) => r.status === 'not-attempted').length });
  },

  'GET /v1/members': async (req) => {
    const q = input(MemberLookupQuery, req.query, 'query');
    if (q.name !== undefined) {
      const { db, config } = wiring();
      const search = new DynamoNameSearch(db, config.tableName).find(q.name, { limit: NAME_MATCHES, cursor: q.cursor });
      const [page, program] = await Promise.all([search, req.deps.program()]);
      return json(200, { items: page.items.map((m) => memberView(m, program, req.deps.now())), nextCursor: page.nextCursor ?? null });
    }
    const program = await req.deps.program();
    const claim: Claim = q.email
      ? { kind: 'email', value: normalizeEmail(q.email) }
      : q.phone
        ? { kind: 'phone', value: programPhone(program, q.phone, 'phone') }
        : q.shopifyCustomerId
          ? { kind: 'shopify', value: q.shopifyCustomerId }
          : { kind: 'woocommerce', value: q.woocommerceCustomerId! };
    const members = await findMembers(req.deps, claim);
    return json(200, { items: members.map((m) => memberView(m, program, req.deps.now())) });
  },

  'GET /v1/members/{memberId}': async (req) => {
    const { memberId } = input(MemberPathParams, req.params, 'path');
    const [member, program] = await Promise.all([getMember(req.deps, memberId), req.deps.program()]);
    return json(200, memberView(member, program, req.deps.now()));
  },

  'PATCH /v1/members/{memberId}': async (req) => {
    const { memberId } = input(MemberPathParams, req.params, 'path');
    const patch = input(PatchMemberBody, jsonBody(req), 'body');
    return json(200, memberView(await updateMember(req.deps, memberId, patch)));
  },

  'GET /v1/members/{memberId}/ledger': async (req) => {
    const { memberId } = input(MemberPathParams, req.params, 'path');
    const page = input(LedgerQuery, req.query, 'query');
    const result = await memberLedger(req.deps, memberId, page);
    return json(200, { items: result.items.map(ledgerEntryView), nextCursor: result.nextCursor ?? null });
  },

  'GET /v1/members/{memberId}/challenges': async (req) => {
    const { memberId } = input(MemberPathParams, req.params, 'path');
    return json(200, { items: await memberChallenges(req.deps, memberId) });
  },

  'GET /v1/members/{memberId}/referral-code': async (req) => {
    const { memberId } = input(MemberPathParams, req.params, 'path');
    return json(200, { memberId, code: await referralCode(req.deps, memberId) });
  },

  // The console asks who it is signed in as, to show only what the role may do.
  'GET /v1/staff/me': async (req) => json(200, req.staff!),

  'POST /v1/members/{memberId}/portal-links': async (req) => {
    const { memberId } = input(MemberPathParams, req.params, 'path');
    const body = input(PortalLinkBody, jsonBody(req), 'body');
    await getMember(req.deps, memberId);
    const origin = `${req.headers['x-forwarded-proto'] ?? 'https'}://${req.headers.host ?? 'localhost'}`;
    return json(201, await portalLink(memberId, req.deps.now(), { ...body, origin }));
  },

  // A link shared or leaked: every link issued so far stops opening the page; new ones work.
  'DELETE /v1/members/{memberId}/portal-links': async (req) => {
    const { memberId } = input(MemberPathParams, req.params, 'path');
    return json(200, await revokePortalLinks(req.deps, memberId));
  },

  'POST /v1/members/{memberId}/adjustments': async (req) => {
    const { memberId } = input(MemberPathParams, req.params, 'path');
    const body = input(AdjustmentBody, jsonBody(req), 'body');
    // Without a key a retried adjustment would count twice, so the header is honoured too.
    const idempotencyKey = body.idempotencyKey ?? req.headers['idempotency-key'] ?? randomUUID();
    const result = await adjust(req.deps, memberId, {
      points: body.points,
      reason: body.reason,
      idempotencyKey,
      // A signed-in person is the actor whatever the body says; the API token may name one.
      actor: actorOf(req.staff, body.actor ?? actorHeader(req.headers)),
    });
    const view = {
      entryId: result.entry.entryId,
      points: result.entry.points,
      balance: result.balance,
      // An adjustment's entry always carries its reason; a duplicate answers the first one's.
      reason: result.entry.reason ?? body.reason,
      duplicate: result.duplicate,
    };
    return result.duplicate ? json(200, view) : json(201, view);
  },
});
