/**
 * The API reference, generated from the same zod schemas the handlers validate
 * with, for every route in functions/routes.ts. `npm run openapi` writes
 * docs/openapi.json; a test fails when it is stale or a route is undocumented.
 */
import * as z from 'zod';
import { ROUTES, routeKey } from '../../functions/routes';
import { ErrorBody } from './common';
import { ERROR_CATALOG, type ErrorEntry } from '../domain/errors';
import {
  AdjustmentBody,
  AdjustmentResult,
  EnrolMemberBody,
  LedgerPageView,
  LedgerQuery,
  MemberList,
  MemberLookupQuery,
  MemberView,
  PatchMemberBody,
} from './members';
import { MemberListQuery, MemberPageView } from './admin-members';
import { BalanceChangeView, EarnBody, RedeemBody, RedemptionView, RefundBody } from './points';
import { MeLedgerView, MeRedeemBody, MeRewardsView, MeView, PortalLinkBody, PortalLinkView } from './portal';
import { CostReportView, CostsQuery, ReportFiguresView, ReportSeriesView, SeriesQuery, SummaryQuery } from './reports';
import { CalendarQuery, LaunchBody, ProgramVersionsView, ProgramView, PutProgramBody, ReleaseBody, ReleaseView, SimulateBody, VersionsQuery } from './program';
import { JobResultView, RunJobBody } from './jobs';
import { NotificationPrefsBody, NotificationPrefsView } from './notifications';
import { RewardCodeView, UseCodeBody } from './rewards';
import { DeliveryListQuery, DismissBody, ReplayBody } from './deliveries';
import { GenericEvent } from '../webhooks/generic';

export interface RouteDoc {
  readonly summary: string;
  readonly description?: string;
  readonly body?: z.ZodType;
  readonly query?: z.ZodType;
  readonly responses: Record<number, { description: string; schema?: z.ZodType }>;
}

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { description: errorText(s), schema: ErrorBody }]));

const STATUS_TEXT: Record<number, string> = {
  400: 'malformed or invalid input',
  401: 'no or bad credentials',
  403: 'the caller may not do this',
  404: 'not found',
  409: 'conflict with the club as it stands',
  413: 'body over 256 KiB',
  422: 'well-formed but not allowed',
  503: 'busy; nothing was written, retry after the Retry-After seconds (when sent)',
};

/** A status's description, with the codes the catalog answers under it (local-only and job-only codes left out). */
function errorText(status: number): string {
  const codes = Object.entries(ERROR_CATALOG as Record<string, ErrorEntry>)
    .filter(([, e]) => e.status === status && e.where === undefined)
    .map(([code]) => code);
  return `${STATUS_TEXT[status] ?? 'error'}: ${codes.join(', ')}`;
}

/** Documentation for every route; extend it with each new route (the test checks). */
export const ROUTE_DOCS: Record<string, RouteDoc> = {
  'GET /health': { summary: 'Liveness; open, touches no data', responses: { 200: { description: 'ok' } } },
  'POST /v1/members': {
    summary: 'Enrol a member',
    description: 'memberId is generated when absent. Email, phone and external ids are unique across members.',
    body: EnrolMemberBody,
    responses: { 201: { description: 'the member', schema: MemberView }, ...errors(400, 401, 409, 413) },
  },
  'GET /v1/members': {
    summary: 'Find a member by exactly one of email, phone, shopifyCustomerId, woocommerceCustomerId, or search by name',
    query: MemberLookupQuery,
    responses: { 200: { description: 'zero or one member (a name search: up to 20 a page, and nextCursor)', schema: MemberList }, ...errors(400, 401) },
  },
  'GET /v1/members/{memberId}': {
    summary: 'Read a member: balance, lifetime points, points by expiry',
    responses: { 200: { description: 'the member', schema: MemberView }, ...errors(400, 401, 404) },
  },
  'PATCH /v1/members/{memberId}': {
    summary: 'Change profile fields; null clears one',
    body: PatchMemberBody,
    responses: { 200: { description: 'the member', schema: MemberView }, ...errors(400, 401, 404, 409) },
  },
  'GET /v1/members/{memberId}/ledger': {
    summary: "A member's ledger, newest first, with cursor paging",
    query: LedgerQuery,
    responses: { 200: { description: 'a page', schema: LedgerPageView }, ...errors(400, 401, 404) },
  },
  'POST /v1/members/{memberId}/adjustments': {
    summary: 'A manual, audited correction by staff (reason required)',
    description: 'Idempotent per idempotencyKey (body) or Idempotency-Key header. Actor from body or X-Loyalty-Actor.',
    body: AdjustmentBody,
    responses: {
      201: { description: 'adjusted', schema: AdjustmentResult },
      200: { description: 'a duplicate: the first result', schema: AdjustmentResult },
      ...errors(400, 401, 404, 409),
    },
  },
  'GET /v1/members/{memberId}/referral-code': {
    summary: "The member's referral code (made on first ask); a new member gives it as referredBy",
    responses: { 200: { description: '{memberId, code}' }, ...errors(400, 401, 404) },
  },
  'GET /v1/reports/summary': {
    summary: 'Members, activity, points and the liability over a window of UTC days (docs/reports.md)',
    description:
      'Computed from day counters kept in the same transaction as every balance change (no scans). `?format=csv` or `Accept: text/csv` answers one CSV row.',
    query: SummaryQuery,
    responses: { 200: { description: 'the figures (or text/csv)', schema: ReportFiguresView }, ...errors(400, 401) },
  },
  'GET /v1/reports/series': {
    summary: 'The same figures per day, ISO week or month, for charts; CSV with ?format=csv',
    query: SeriesQuery,
    responses: { 200: { description: 'one item per bucket (or text/csv)', schema: ReportSeriesView }, ...errors(400, 401) },
  },
  'GET /v1/reports/costs': {
    summary: 'What requests cost at the dated list prices: per route, per 1,000 orders, per member per month (docs/costs.md)',
    description: 'Locally from the cost log every request appends to; on AWS the same figures are CloudWatch embedded metrics.',
    query: CostsQuery,
    responses: { 200: { description: 'the cost report (or text/csv per route)', schema: CostReportView }, ...errors(400, 401) },
  },
  'POST /v1/earn': {
    summary: 'Points for a paid order, once per orderId',
    body: EarnBody,
    responses: { 200: { description: 'earned (or the first result, duplicate: true)', schema: BalanceChangeView }, ...errors(400, 401, 404, 409, 413, 422, 503) },
  },
  'POST /v1/refunds': {
    summary: 'Take back floor(earned × refunded / paid) points, cumulatively, once per refundId',
    description: 'points in the answer is what this refund took back (a positive number); the ledger entry is negative.',
    body: RefundBody,
    responses: { 200: { description: 'taken back', schema: BalanceChangeView }, ...errors(400, 401, 404, 409, 422, 503) },
  },
  'POST /v1/redeem': {
    summary: 'Spend points once per idempotencyKey; never below zero',
    body: RedeemBody,
    description: 'With a rewardId from the catalog: points must equal its price; the answer carries the issued code (reward). 422 REWARD_NOT_AVAILABLE, 404 REWARD_NOT_FOUND, 409 OUT_OF_STOCK / REWARD_LIMIT_REACHED / ALREADY_IN_TIER, 422 REWARD_PRICE_MISMATCH.',
    responses: { 200: { description: 'spent', schema: RedemptionView }, ...errors(400, 401, 403, 404, 409, 422, 503) },
  },
  'POST /v1/admin/jobs/{job}/run': {
    summary: 'Run a scheduled job now, as if the clock read asOf: expire-points, expiry-reminders, reengage, welcome',
    description: 'Idempotent per asOf: a second run changes nothing. A run too big for one request answers complete: false and a continuation to send back. See docs/automations.md.',
    body: RunJobBody,
    responses: { 200: { description: 'what the run did', schema: JobResultView }, ...errors(400, 401, 404, 503) },
  },
  'GET /v1/members/{memberId}/notifications': {
    summary: "A member's message consent, channels and language",
    responses: { 200: { description: 'the preferences (defaults until set)', schema: NotificationPrefsView }, ...errors(400, 401, 404) },
  },
  'PUT /v1/members/{memberId}/notifications': {
    summary: "Set a member's message consent, channels (in order of preference) and language",
    body: NotificationPrefsBody,
    responses: { 200: { description: 'the preferences', schema: NotificationPrefsView }, ...errors(400, 401, 404) },
  },
  'GET /v1/rewards/codes/{code}': {
    summary: 'Check a reward code: what it gives, whose it is, issued / used / expired',
    responses: { 200: { description: 'the code', schema: RewardCodeView }, ...errors(400, 401, 404) },
  },
  'POST /v1/rewards/codes/{code}/use': {
    summary: 'Mark a reward code used, once; the same orderId (or idempotencyKey) again answers the same use',
    description: 'Another order → 409 CODE_ALREADY_USED; past its expiry → 409 CODE_EXPIRED.',
    body: UseCodeBody,
    responses: { 200: { description: 'used (duplicate: true for a repeat of the same use)', schema: RewardCodeView }, ...errors(400, 401, 404, 409) },
  },
  'GET /v1/admin/members': {
    summary: 'Every member, page by page (staff export)',
    description:
      'Reads the member directory written at enrolment, shard by shard (a Query per shard, never a Scan), so the order is stable but not by name or date. ' +
      'Follow nextCursor until it is null. Members enrolled before the directory existed are not listed (docs/cli.md).',
    query: MemberListQuery,
    responses: { 200: { description: 'a page of members', schema: MemberPageView }, ...errors(400, 401) },
  },
  'GET /v1/admin/program': {
    summary: "The running program (the contract's default until the store saves its own); ETag is its version",
    responses: { 200: { description: 'the program', schema: ProgramView }, ...errors(401) },
  },
  'PUT /v1/admin/program': {
    summary: 'Save a new version of the program',
    description:
      'Optimistic concurrency: expectedVersion in the body, an If-Match header, or the version field of a program read with GET. ' +
      'A stale version is 409 VERSION_CONFLICT; a bad program is 400 listing every problem, and the running program is untouched. ' +
      'See docs/program.md for every rule.',
    body: PutProgramBody,
    responses: { 200: { description: 'the saved program', schema: ProgramView }, ...errors(400, 401, 409, 413) },
  },
  'GET /v1/admin/program/versions': {
    summary: 'Every saved version of the program, newest first',
    query: VersionsQuery,
    responses: { 200: { description: 'a page of versions', schema: ProgramVersionsView }, ...errors(400, 401) },
  },
  'POST /v1/admin/program/simulate': {
    summary: 'Dry run: points each order would earn under a candidate program, and the total; writes nothing',
    body: SimulateBody,
    responses: { 200: { description: 'points per order and in total' }, ...errors(400, 401, 413) },
  },
  'POST /v1/admin/program/launch': {
    summary: 'End the pilot: the program runs for every member from the next order',
    description:
      'Saves the running program with pilot.enabled false (optimistic concurrency as PUT). No retroactive points unless retroactiveFrom is given; ' +
      'then the orders the pilot held back since then are priced by the launched program and credited once each (a rerun credits nothing twice).',
    body: LaunchBody,
    responses: { 200: { description: 'the launched program and what was credited' }, ...errors(400, 401, 409) },
  },
  'POST /v1/admin/program/release-pending': {
    summary: 'Release pending points whose return window is over (the scheduled release, run now)',
    description: 'Idempotent: each order is released once, so running it twice for the same asOf changes nothing the second time.',
    body: ReleaseBody,
    responses: { 200: { description: 'what it did', schema: ReleaseView }, ...errors(400, 401) },
  },
  'GET /v1/admin/campaigns/calendar': {
    summary: "The year's campaigns by month (the annual execution calendar)",
    query: CalendarQuery,
    responses: { 200: { description: 'twelve months, each with its campaigns' }, ...errors(400, 401) },
  },
  'POST /v1/webhooks/shopify': {
    summary: 'Shopify webhook: orders/paid, refunds/create, orders/cancelled, customers/create (docs/webhooks.md)',
    description:
      'Signed, not bearer: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw body with SHOPIFY_WEBHOOK_SECRET (or the previous, rotating one). ' +
      'The delivery is queued and applied once by the consumer; X-Shopify-Event-Id, the order id and the refund id decide what was already applied.',
    responses: { 202: { description: 'queued: {accepted, deliveryId}' }, 401: { description: 'missing or bad signature; nothing queued', schema: ErrorBody }, ...errors(413, 503) },
  },
  'POST /v1/webhooks/woocommerce': {
    summary: 'WooCommerce webhook: order.created / order.updated (completed earns; refunded, cancelled and refunds[] take back)',
    description:
      'X-WC-Webhook-Signature: base64 HMAC-SHA256 of the raw body with WOOCOMMERCE_WEBHOOK_SECRET. The unsigned ping sent when a webhook is saved ' +
      '(form body webhook_id=N) answers 200 and queues nothing. The delivery id is new on every delivery, so the order and refund ids decide what is new.',
    responses: {
      200: { description: 'the creation ping' },
      202: { description: 'queued: {accepted, deliveryId}' },
      401: { description: 'missing or bad signature; nothing queued', schema: ErrorBody },
      ...errors(413, 503),
    },
  },
  'POST /v1/webhooks/generic': {
    summary: 'Signed webhook for other sales or accounting systems: order.paid, order.refunded, order.cancelled, customer.created',
    description: 'X-Loyalty-Signature: base64 (or hex, optionally "sha256=") HMAC-SHA256 of the raw body with LOYALTY_WEBHOOK_SECRET.',
    body: GenericEvent,
    responses: { 202: { description: 'queued: {accepted, deliveryId}' }, 401: { description: 'missing or bad signature; nothing queued', schema: ErrorBody }, ...errors(413, 503) },
  },
  'GET /v1/admin/deliveries': {
    summary: 'Webhook deliveries that could not be applied (status=failed), with reason, raw body and headers; or those replayed since',
    query: DeliveryListQuery,
    responses: { 200: { description: '{items, cursor}' }, ...errors(400, 401) },
  },
  'POST /v1/admin/deliveries/{id}/replay': {
    summary: 'Apply a failed delivery again, after fixing its cause (or with a corrected body); applied at most once',
    description: 'One replay at a time: while another holds the delivery, 409 REPLAY_IN_PROGRESS. 422 REPLAY_FAILED when it still cannot be applied.',
    body: ReplayBody,
    responses: { 200: { description: 'replayed, with what it did (effects)' }, ...errors(400, 401, 404, 409, 422) },
  },
  'POST /v1/admin/deliveries/{id}/dismiss': {
    summary: 'Take a failed delivery off the list for good (e.g. a topic the club does not handle), recording who and why',
    body: DismissBody,
    responses: { 200: { description: 'dismissed (again: what was recorded)' }, ...errors(400, 401, 403, 404, 409) },
  },
  'POST /v1/members/{memberId}/portal-links': {
    summary: "A short-lived signed link to the member's own club page",
    description:
      'The store\'s backend mints one per visit and sends the member to `url`. The token names this member only and expires ' +
      '(ttlMinutes, default LOYALTY_PORTAL_TTL_MINUTES = 30). It rides in the URL fragment so it never reaches a server log. See docs/pages.md.',
    body: PortalLinkBody,
    responses: { 201: { description: 'the link', schema: PortalLinkView }, ...errors(400, 401, 403, 404) },
  },
  'DELETE /v1/members/{memberId}/portal-links': {
    summary: "Withdraw the member's portal links",
    description:
      'Every link issued to this member until now stops opening the page (401 PORTAL_LINK_REVOKED); links issued afterwards work. ' +
      'For a link shared or leaked before it expires. Answers {memberId, revokedAt}. Operator or admin.',
    responses: { 200: { description: 'withdrawn' }, ...errors(400, 401, 403, 404) },
  },
  'GET /v1/staff/me': {
    summary: 'Who the bearer is: {actor, role (viewer|operator|admin), via (api-token|staff-token|cognito)}',
    responses: { 200: { description: 'the caller' }, ...errors(401) },
  },
  'GET /v1/me': {
    summary: "The member's own club: balance, tier progress, expiring points, referral code and how to earn",
    responses: { 200: { description: 'the member', schema: MeView }, 401: { description: 'no, forged or expired portal token (PORTAL_LINK_INVALID, PORTAL_LINK_EXPIRED)', schema: ErrorBody } },
  },
  'GET /v1/me/ledger': {
    summary: "The member's own history, newest first",
    query: LedgerQuery,
    responses: { 200: { description: 'a page', schema: MeLedgerView }, ...errors(400, 401) },
  },
  'GET /v1/me/rewards': {
    summary: "The catalog's rewards for this member now, cheapest first, each saying whether they can afford it",
    responses: { 200: { description: 'the rewards', schema: MeRewardsView }, ...errors(401) },
  },
  'POST /v1/me/redeem': {
    summary: 'The member redeems a reward at its price, once per idempotency key (body or Idempotency-Key header)',
    body: MeRedeemBody,
    responses: { 200: { description: 'spent', schema: RedemptionView }, ...errors(400, 401, 404, 409, 422) },
  },
};

type Json = Record<string, any>;

export function buildOpenApi(extraDocs: Record<string, RouteDoc> = {}): Json {
  const docs = { ...ROUTE_DOCS, ...extraDocs };
  const components: Record<string, Json> = {};
  const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Json;
    const text = JSON.stringify(json).replaceAll('#/definitions/', '#/components/schemas/');
    const { definitions, ...rest } = JSON.parse(text) as Json;
    Object.assign(components, definitions ?? {});
    return rest;
  };
  const paths: Record<string, Json> = {};
  for (const route of ROUTES) {
    const doc = docs[routeKey(route)];
    if (!doc) continue;
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const query = doc.query ? schemaOf(doc.query, 'input') : undefined;
    const queryParams = Object.entries((query?.properties ?? {}) as Record<string, Json>).map(([name, schema]) => ({
      name,
      in: 'query',
      required: (query?.required ?? []).includes(name),
      schema,
    }));
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = {
      summary: doc.summary,
      ...(doc.description && { description: doc.description }),
      security: route.auth === 'token' ? [{ bearer: [] }] : route.auth === 'portal' ? [{ portal: [] }] : [],
      parameters: [...params, ...queryParams],
      ...(doc.body && { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(doc.body, 'input') } } } }),
      responses: Object.fromEntries(
        Object.entries(doc.responses).map(([status, r]) => [
          status,
          { description: r.description, ...(r.schema && { content: { 'application/json': { schema: schemaOf(r.schema, 'output') } } }) },
        ]),
      ),
    };
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Loyalty club API',
      version: '1.0.0',
      description: 'Generated from shared/schemas by `npm run openapi`. The contract: errors are {"error": {"code", "message", "details"}}.',
    },
    components: { securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The API token (full admin), a staff token (STAFF_TOKENS) or a Cognito ID token; roles in docs/pages.md' },
        portal: { type: 'http', scheme: 'bearer', description: "A member's portal token from POST /v1/members/{memberId}/portal-links" },
      }, schemas: components },
    paths,
  };
}

export function undocumentedRoutes(extraDocs: Record<string, RouteDoc> = {}): string[] {
  const docs = { ...ROUTE_DOCS, ...extraDocs };
  return ROUTES.map(routeKey).filter((k) => !docs[k]);
}
