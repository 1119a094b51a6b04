/**
 * The route registry: every HTTP route of the club, and everything known about
 * it. The key is method and path (API Gateway's routeKey); who serves it and who
 * may call it (function, auth, staff role) are in route-table.ts, the part every
 * Lambda carries, and this file adds the operationId, summary and the zod schemas
 * of its path, query, body and every answer, under the same keys (its type
 * requires every route of the table and no other). Its readers: the CDK stack and
 * the local server (ROUTES), the HTTP edge (auth and role), the handlers (answers
 * typed by the response schemas, a type-only import) and the OpenAPI generator.
 */
import type * as z from 'zod';
import { ROUTES as ROUTE_ACCESS, type RouteKey, type RouteSpec as RouteAccessSpec } from './route-table';
import { HealthView } from '../schemas/common';
import { ChallengesView } from '../schemas/challenges';
import {
  AdjustmentBody,
  AdjustmentResult,
  EnrolMemberBody,
  LedgerPageView,
  LedgerQuery,
  MemberList,
  MemberLookupQuery,
  MemberPathParams,
  MemberView,
  PatchMemberBody,
  ReferralCodeView,
  StaffView,
} from '../schemas/members';
import { MemberListQuery, MemberPageView } from '../schemas/admin-members';
import { ImportMembersBody, ImportMembersView } from '../schemas/member-imports';
import { BalanceChangeView, EarnBody, RedeemBody, RedemptionView, RefundBody } from '../schemas/points';
import {
  ContactVerificationView,
  ContactVerifyBody,
  MeCodesView,
  MeLedgerView,
  MeProfileBody,
  MeRedeemBody,
  MeRewardsView,
  MeView,
  PortalLinkBody,
  PortalLinksRevokedView,
  PortalLinkView,
  PortalSessionView,
  SignInAcceptedView,
  SignInBody,
  VerifyBody,
} from '../schemas/portal';
import { CostReportView, CostsQuery, ReportSeriesView, ReportSummaryView, SeriesQuery, SummaryQuery } from '../schemas/reports';
import {
  CalendarQuery,
  CalendarView,
  LaunchBody,
  LaunchView,
  ProgramVersionsView,
  ProgramView,
  PutProgramBody,
  ReleaseBody,
  ReleaseView,
  SimulateBody,
  SimulationView,
  VersionsQuery,
} from '../schemas/program';
import { JobPathParams, JobResultView, RunJobBody } from '../schemas/jobs';
import { NotificationPrefsBody, NotificationPrefsView, UnsubscribeForm, UnsubscribeQuery } from '../schemas/notifications';
import { CancelCodeBody, CancelledCodeView, CodePathParams, RewardCodeView, UseCodeBody } from '../schemas/rewards';
import { ShopSyncListQuery, ShopSyncPageView, ShopSyncPath, ShopSyncRetryView } from '../schemas/shop-sync';
import {
  DeliveryListQuery,
  DeliveryPageView,
  DeliveryPath,
  DeliveryView,
  DismissBody,
  ReplayBody,
  ReplayView,
} from '../schemas/deliveries';
import { ShopPayload, WebhookAcceptedView, WebhookPingView } from '../schemas/webhooks';
import { AppProxyPath, AppProxyQuery } from '../schemas/app-proxy';
import { GenericEvent } from '../webhooks/generic';

export interface HeaderDoc {
  readonly description: string;
  readonly required?: boolean;
}

export interface ResponseDoc {
  readonly description: string;
  /** The JSON body; what the handler sends is type-checked against it. */
  readonly schema?: z.ZodType;
  /** The same answer as CSV, chosen by ?format=csv or Accept: text/csv. */
  readonly csv?: true;
  /** A page for a person (text/html) instead of JSON. */
  readonly html?: true;
  readonly headers?: Readonly<Record<string, HeaderDoc>>;
}

/** The statuses a route answers by its own rules; the edge's (400, 401, 403, 413, 500, 503) are added by edgeStatuses. */
export type RuleStatus = 400 | 401 | 404 | 409 | 422 | 429;

export interface RouteEntry {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  /** Media types the body may come as; default application/json. */
  readonly bodyMedia?: readonly string[];
  readonly bodyRequired?: boolean;
  /** Request headers the route reads. */
  readonly headers?: Readonly<Record<string, HeaderDoc>>;
  /** Its successful answers. */
  readonly responses: Readonly<Record<number, ResponseDoc>>;
  /** Refusals by its own rules, and when. */
  readonly errors?: Readonly<Partial<Record<RuleStatus, string>>>;
}

const IDEMPOTENCY_KEY: HeaderDoc = {
  description: 'Used when the body has no idempotencyKey: the same key again answers the first result.',
};
const ACTOR: HeaderDoc = {
  description: 'Who made the change (audit), when the API token acts for a person; a signed-in staff member is always themselves.',
};
const IF_MATCH: HeaderDoc = {
  description: 'The program version the edit starts from ("3", W/"3" or 3), when the body has no expectedVersion.',
};
const ETAG: Readonly<Record<string, HeaderDoc>> = {
  ETag: { description: 'The program version, quoted ("3"): send it back as If-Match.', required: true },
};
const CSV = { 'Content-Disposition': { description: 'CSV only: attachment; filename="…csv"' } } as const;
const SIGNATURE = (name: string, secret: string) => ({
  [name]: { description: `base64 HMAC-SHA256 of the raw body with ${secret} (or the previous, rotating one).`, required: true },
});

const APP_PROXY =
  'Shopify forwards /apps/club/<rest> here with its query signed (signature: hex HMAC-SHA256 with SHOPIFY_APP_SECRET over the other ' +
  'parameters sorted, name=value, repeated values joined by commas, concatenated). A missing or wrong signature, one over 5 minutes old, ' +
  "or no SHOPIFY_APP_SECRET: 401 PROXY_SIGNATURE_INVALID, nothing enrolled. logged_in_customer_id set: that customer's member (enrolled on " +
  'the first visit, channel shopify) and their page with a portal token; empty: a page asking them to sign in to the shop. See docs/shops.md.';
const APP_PROXY_PAGE = {
  description: "The member's page, or the sign-in-to-the-shop page (fa or en by locale); Cache-Control: private, no-store",
  html: true,
} as const satisfies ResponseDoc;

export const ROUTE_REGISTRY = {
  'GET /health': {
    operationId: 'health',
    summary: 'Liveness; open, touches no data',
    responses: { 200: { description: 'ok', schema: HealthView } },
  },
  'POST /v1/members': {
    operationId: 'enrolMember',
    summary: 'Enrol a member',
    description: 'memberId is generated when absent. Email, phone and external ids are unique across members.',
    body: EnrolMemberBody,
    responses: {
      201: {
        description: 'the member',
        schema: MemberView,
        headers: { Location: { description: "The member's URL: /v1/members/{memberId}", required: true } },
      },
    },
    errors: { 409: 'ALREADY_EXISTS: the memberId, email, phone or an external id belongs to another member' },
  },
  'GET /v1/members': {
    operationId: 'findMembers',
    summary: 'Find a member by exactly one of email, phone, shopifyCustomerId, woocommerceCustomerId, or search by name',
    query: MemberLookupQuery,
    responses: { 200: { description: 'zero or one member (a name search: up to 20 a page, and nextCursor)', schema: MemberList } },
    errors: { 400: 'VALIDATION_FAILED (not exactly one lookup), INVALID_CURSOR' },
  },
  'GET /v1/members/{memberId}': {
    operationId: 'getMember',
    summary: 'Read a member: balance, lifetime points, points by expiry',
    params: MemberPathParams,
    responses: { 200: { description: 'the member', schema: MemberView } },
    errors: { 404: 'MEMBER_NOT_FOUND' },
  },
  'PATCH /v1/members/{memberId}': {
    operationId: 'updateMember',
    summary: 'Change profile fields; null clears one',
    params: MemberPathParams,
    body: PatchMemberBody,
    responses: { 200: { description: 'the member', schema: MemberView } },
    errors: { 404: 'MEMBER_NOT_FOUND', 409: 'ALREADY_EXISTS: the email, phone or external id belongs to another member' },
  },
  'GET /v1/members/{memberId}/ledger': {
    operationId: 'getMemberLedger',
    summary: "A member's ledger, newest first, with cursor paging",
    params: MemberPathParams,
    query: LedgerQuery,
    responses: { 200: { description: 'a page; nextCursor is null on the last', schema: LedgerPageView } },
    errors: { 400: 'INVALID_CURSOR', 404: 'MEMBER_NOT_FOUND' },
  },
  'GET /v1/members/{memberId}/challenges': {
    operationId: 'getMemberChallenges',
    summary: 'The challenges a member plays now, with their progress in the current period',
    params: MemberPathParams,
    responses: { 200: { description: 'the challenges', schema: ChallengesView } },
    errors: { 404: 'MEMBER_NOT_FOUND' },
  },
  'POST /v1/members/{memberId}/adjustments': {
    operationId: 'adjustPoints',
    summary: 'A manual, audited correction by staff (reason required)',
    description: 'Idempotent per idempotencyKey (body) or Idempotency-Key header. Actor from body or X-Loyalty-Actor.',
    params: MemberPathParams,
    body: AdjustmentBody,
    headers: { 'Idempotency-Key': IDEMPOTENCY_KEY, 'X-Loyalty-Actor': ACTOR },
    responses: {
      201: { description: 'adjusted', schema: AdjustmentResult },
      200: { description: 'a duplicate: the first result', schema: AdjustmentResult },
    },
    errors: { 404: 'MEMBER_NOT_FOUND', 409: 'INSUFFICIENT_POINTS (a negative adjustment over the balance), IDEMPOTENCY_KEY_REUSED' },
  },
  'GET /v1/members/{memberId}/referral-code': {
    operationId: 'getReferralCode',
    summary: "The member's referral code (made on first ask); a new member gives it as referredBy",
    params: MemberPathParams,
    responses: { 200: { description: 'the code', schema: ReferralCodeView } },
    errors: { 404: 'MEMBER_NOT_FOUND' },
  },
  'POST /v1/earn': {
    operationId: 'earnPoints',
    summary: 'Points for a paid order, once per orderId',
    body: EarnBody,
    responses: { 200: { description: 'earned (or the first result, duplicate: true)', schema: BalanceChangeView } },
    errors: {
      404: 'MEMBER_NOT_FOUND',
      409: 'ALREADY_EXISTS: the order earned for another member',
      422: 'CURRENCY_MISMATCH (a currency the program does not take), AMOUNT_TOO_LARGE',
    },
  },
  'POST /v1/refunds': {
    operationId: 'refundPoints',
    summary: 'Take back floor(earned × refunded / paid) points, cumulatively, once per refundId',
    description: 'points in the answer is what this refund took back (a positive number); the ledger entry is negative.',
    body: RefundBody,
    responses: { 200: { description: 'taken back', schema: BalanceChangeView } },
    errors: {
      404: 'MEMBER_NOT_FOUND, ORDER_NOT_FOUND (the order earned nothing)',
      409: "ORDER_MEMBER_MISMATCH: another member than the order's",
      422: "CURRENCY_MISMATCH: not the order's currency",
    },
  },
  'POST /v1/redeem': {
    operationId: 'redeemPoints',
    summary: 'Spend points once per idempotencyKey; never below zero',
    description: 'With a rewardId from the catalog: points must equal its price; the answer carries the issued code (reward).',
    body: RedeemBody,
    responses: { 200: { description: 'spent (or the first result, duplicate: true)', schema: RedemptionView } },
    errors: {
      404: 'MEMBER_NOT_FOUND, REWARD_NOT_FOUND',
      409: 'INSUFFICIENT_POINTS, IDEMPOTENCY_KEY_REUSED, OUT_OF_STOCK, REWARD_LIMIT_REACHED, ALREADY_IN_TIER',
      422: 'REWARD_PRICE_MISMATCH, REWARD_NOT_AVAILABLE',
    },
  },
  'GET /v1/admin/program': {
    operationId: 'getProgram',
    summary: 'The running program (the default until the store saves its own); ETag is its version',
    responses: { 200: { description: 'the program', schema: ProgramView, headers: ETAG } },
  },
  'PUT /v1/admin/program': {
    operationId: 'saveProgram',
    summary: 'Save a new version of the program',
    description:
      'Optimistic concurrency: expectedVersion in the body, an If-Match header, or the version field of a program read with GET. ' +
      'A stale version is 409 VERSION_CONFLICT; a bad program is 400 listing every problem, and the running program is untouched. ' +
      'See docs/program.md for every rule.',
    body: PutProgramBody,
    headers: { 'If-Match': IF_MATCH, 'X-Loyalty-Actor': ACTOR },
    responses: { 200: { description: 'the saved program', schema: ProgramView, headers: ETAG } },
    errors: { 409: 'VERSION_CONFLICT: the program changed since that version' },
  },
  'GET /v1/admin/program/versions': {
    operationId: 'listProgramVersions',
    summary: 'Every saved version of the program, newest first',
    query: VersionsQuery,
    responses: { 200: { description: 'a page of versions', schema: ProgramVersionsView } },
  },
  'POST /v1/admin/program/simulate': {
    operationId: 'simulateProgram',
    summary: 'Dry run: points each order would earn under a candidate program, and the total; writes nothing',
    body: SimulateBody,
    responses: { 200: { description: 'points per order and in total', schema: SimulationView } },
  },
  'POST /v1/admin/program/release-pending': {
    operationId: 'releasePendingPoints',
    summary: 'Release pending points whose return window is over (the scheduled release, run now)',
    description: 'Idempotent: each order is released once, so running it twice for the same asOf changes nothing the second time.',
    body: ReleaseBody,
    responses: { 200: { description: 'what it did', schema: ReleaseView } },
  },
  'POST /v1/admin/program/launch': {
    operationId: 'launchProgram',
    summary: 'End the pilot: the program runs for every member from the next order',
    description:
      'Saves the running program with pilot.enabled false (optimistic concurrency as PUT). No retroactive points unless retroactiveFrom is given; ' +
      'then the orders the pilot held back since then are priced by the launched program and credited once each (a rerun credits nothing twice).',
    body: LaunchBody,
    headers: { 'If-Match': IF_MATCH, 'X-Loyalty-Actor': ACTOR },
    responses: { 200: { description: 'the launched program and what was credited', schema: LaunchView, headers: ETAG } },
    errors: { 409: 'VERSION_CONFLICT, PILOT_NOT_ENABLED' },
  },
  'GET /v1/admin/campaigns/calendar': {
    operationId: 'getCampaignCalendar',
    summary: "The year's campaigns and challenges by month (the annual execution calendar)",
    query: CalendarQuery,
    responses: { 200: { description: 'twelve months, each with its campaigns and challenges', schema: CalendarView } },
  },
  'POST /v1/admin/jobs/{job}/run': {
    operationId: 'runJob',
    summary: 'Run a scheduled job now, as if the clock read asOf: expire-points, expiry-reminders, reengage, welcome',
    description:
      'Idempotent per asOf: a second run changes nothing. A run too big for one request answers complete: false and a continuation to send back. See docs/automations.md.',
    params: JobPathParams,
    body: RunJobBody,
    responses: { 200: { description: 'what the run did', schema: JobResultView } },
    errors: { 400: 'INVALID_CONTINUATION', 404: 'JOB_NOT_FOUND' },
  },
  'POST /v1/admin/imports/members': {
    operationId: 'importMembers',
    summary: "Enrol up to 200 of the store's existing customers, each with its opening balance, idempotent per row key",
    description:
      'Each row is enrolled as POST /v1/members would (unique memberId, email, phone and external ids; the name index, the member list, the report counters) ' +
      'and its points become an adjustment "opening balance" (key opening-balance). Answered per row, in order: created, existing (the key was imported before: ' +
      'its first result, nothing added), failed (the status, code and message the row alone would get, e.g. 409 ALREADY_EXISTS: reported, never merged) or ' +
      'not-attempted (the request ran short of time: send those rows again). The CLI (`loyalty import members`) sends the batches; see docs/cli.md.',
    body: ImportMembersBody,
    responses: { 200: { description: 'one result per row', schema: ImportMembersView } },
  },
  'GET /v1/members/{memberId}/notifications': {
    operationId: 'getNotificationPreferences',
    summary: "A member's message consent, channels and language",
    params: MemberPathParams,
    responses: { 200: { description: 'the preferences (defaults until set)', schema: NotificationPrefsView } },
    errors: { 404: 'MEMBER_NOT_FOUND' },
  },
  'PUT /v1/members/{memberId}/notifications': {
    operationId: 'setNotificationPreferences',
    summary: "Set a member's message consent, channels (in order of preference) and language",
    params: MemberPathParams,
    body: NotificationPrefsBody,
    responses: { 200: { description: 'the preferences', schema: NotificationPrefsView } },
    errors: { 404: 'MEMBER_NOT_FOUND' },
  },
  'GET /v1/rewards/codes/{code}': {
    operationId: 'getRewardCode',
    summary: 'Check a reward code: what it gives, whose it is, issued / used / expired',
    params: CodePathParams,
    responses: { 200: { description: 'the code', schema: RewardCodeView } },
    errors: { 404: 'CODE_NOT_FOUND' },
  },
  'POST /v1/rewards/codes/{code}/use': {
    operationId: 'useRewardCode',
    summary: 'Mark a reward code used, once; the same orderId (or idempotencyKey) again answers the same use',
    params: CodePathParams,
    body: UseCodeBody,
    headers: { 'Idempotency-Key': { description: 'Used when the body has neither orderId nor idempotencyKey.' } },
    responses: { 200: { description: 'used (duplicate: true for a repeat of the same use)', schema: RewardCodeView } },
    errors: { 404: 'CODE_NOT_FOUND', 409: 'CODE_ALREADY_USED (by another order), CODE_EXPIRED, CODE_CANCELLED' },
  },
  'POST /v1/rewards/codes/{code}/cancel': {
    operationId: 'cancelRewardCode',
    summary: 'Cancel an unused reward code: its points come back, its stock and member limit are freed; a second cancel answers the first',
    description:
      "One transaction: a ledger entry (type reverse) crediting the code's price as a fresh lot, the code closed (status cancelled) " +
      'and the stock and per-member counters it took given back. Then a reward.cancelled event (docs/events.md), so a connected shop disables its discount. ' +
      'A cancel racing a use at the till: exactly one of them wins.',
    params: CodePathParams,
    body: CancelCodeBody,
    responses: { 200: { description: 'cancelled (duplicate: true for a repeat)', schema: CancelledCodeView } },
    errors: { 404: 'CODE_NOT_FOUND', 409: 'CODE_ALREADY_USED; CODE_EXPIRED (expired, or already given back on expiry)' },
  },
  'POST /v1/webhooks/shopify': {
    operationId: 'receiveShopifyWebhook',
    summary: 'Shopify webhook: orders/paid, refunds/create, orders/cancelled, customers/create (docs/webhooks.md)',
    description:
      'Signed, not bearer: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the raw body with SHOPIFY_WEBHOOK_SECRET (or the previous, rotating one). ' +
      'The delivery is queued and applied once by the consumer; X-Shopify-Event-Id, the order id and the refund id decide what was already applied.',
    body: ShopPayload,
    headers: {
      ...SIGNATURE('X-Shopify-Hmac-Sha256', 'SHOPIFY_WEBHOOK_SECRET'),
      'X-Shopify-Topic': { description: 'orders/paid, refunds/create, orders/cancelled, customers/create; others are parked.' },
      'X-Shopify-Event-Id': { description: 'The same event redelivered is applied once.' },
    },
    responses: { 202: { description: 'queued', schema: WebhookAcceptedView } },
  },
  'POST /v1/webhooks/woocommerce': {
    operationId: 'receiveWooCommerceWebhook',
    summary: 'WooCommerce webhook: order.created / order.updated (completed earns; refunded, cancelled and refunds[] take back)',
    description:
      'X-WC-Webhook-Signature: base64 HMAC-SHA256 of the raw body with WOOCOMMERCE_WEBHOOK_SECRET. The unsigned ping sent when a webhook is saved ' +
      '(form body webhook_id=N) answers 200 and queues nothing. The delivery id is new on every delivery, so the order and refund ids decide what is new.',
    body: ShopPayload,
    bodyMedia: ['application/json', 'application/x-www-form-urlencoded'],
    headers: {
      'X-WC-Webhook-Signature': {
        description: 'base64 HMAC-SHA256 of the raw body with WOOCOMMERCE_WEBHOOK_SECRET; absent on the save-time ping.',
      },
      'X-WC-Webhook-Topic': { description: 'order.created, order.updated; others are parked.' },
    },
    responses: {
      200: { description: 'the creation ping (form body webhook_id=N): nothing queued', schema: WebhookPingView },
      202: { description: 'queued', schema: WebhookAcceptedView },
    },
  },
  'POST /v1/webhooks/generic': {
    operationId: 'receiveGenericWebhook',
    summary: 'Signed webhook for other sales or accounting systems: order.paid, order.refunded, order.cancelled, customer.created',
    description:
      'X-Loyalty-Signature: base64 (or hex, optionally "sha256=") HMAC-SHA256 of the raw body with LOYALTY_WEBHOOK_SECRET. ' +
      'The body is checked by the consumer, after the answer: one that does not match is parked in GET /v1/admin/deliveries with its reason.',
    body: GenericEvent,
    headers: {
      'X-Loyalty-Signature': {
        description: 'base64, or hex optionally prefixed "sha256=", HMAC-SHA256 of the raw body with LOYALTY_WEBHOOK_SECRET.',
        required: true,
      },
    },
    responses: { 202: { description: 'queued', schema: WebhookAcceptedView } },
  },
  'GET /v1/admin/deliveries': {
    operationId: 'listDeliveries',
    summary:
      'Webhook deliveries that could not be applied (status=failed), with reason, raw body and headers; or those replayed or dismissed since',
    query: DeliveryListQuery,
    responses: { 200: { description: 'a page; nextCursor is null on the last', schema: DeliveryPageView } },
    errors: { 400: 'INVALID_CURSOR' },
  },
  'POST /v1/admin/deliveries/{id}/replay': {
    operationId: 'replayDelivery',
    summary: 'Apply a failed delivery again, after fixing its cause (or with a corrected body); applied at most once',
    params: DeliveryPath,
    body: ReplayBody,
    responses: { 200: { description: 'replayed, with what it did (effects); again: duplicate true', schema: ReplayView } },
    errors: {
      404: 'DELIVERY_NOT_FOUND',
      409: 'REPLAY_IN_PROGRESS: another request holds the delivery',
      422: 'REPLAY_FAILED: it still cannot be applied (the reason in details)',
    },
  },
  'POST /v1/admin/deliveries/{id}/dismiss': {
    operationId: 'dismissDelivery',
    summary: 'Take a failed delivery off the list for good (e.g. a topic the club does not handle), recording who and why',
    params: DeliveryPath,
    body: DismissBody,
    headers: { 'X-Loyalty-Actor': ACTOR },
    responses: { 200: { description: 'dismissed (again: what was recorded)', schema: DeliveryView } },
    errors: { 404: 'DELIVERY_NOT_FOUND', 409: 'REPLAY_IN_PROGRESS' },
  },
  'GET /v1/admin/shop-sync': {
    operationId: 'listShopSync',
    summary: "Reward codes' pushes to the shop by status (failed by default): what the shop did not take, with its last answer",
    query: ShopSyncListQuery,
    responses: { 200: { description: 'a page; nextCursor is null on the last', schema: ShopSyncPageView } },
    errors: { 400: 'INVALID_CURSOR' },
  },
  'POST /v1/admin/shop-sync/{id}/retry': {
    operationId: 'retryShopSync',
    summary: 'Push a failed code to its shop again (or disable it again, if disabling failed); never a second discount',
    description:
      'The shop is asked for the code first, so a push whose answer was lost is found rather than made twice. The answer is the push as it now stands (failed again: lastError says why).',
    params: ShopSyncPath,
    responses: { 200: { description: 'tried again (duplicate: true when it was not failed)', schema: ShopSyncRetryView } },
    errors: { 404: 'SHOP_SYNC_NOT_FOUND' },
  },
  'GET /v1/admin/members': {
    operationId: 'listMembers',
    summary: 'Every member, page by page (staff export)',
    description:
      'Reads the member directory written at enrolment, shard by shard (a Query per shard, never a Scan), so the order is stable but not by name or date. ' +
      'Follow nextCursor until it is null. Members enrolled before the directory existed are not listed (docs/cli.md).',
    query: MemberListQuery,
    responses: { 200: { description: 'a page of members', schema: MemberPageView } },
    errors: { 400: 'INVALID_CURSOR' },
  },
  'POST /v1/members/{memberId}/portal-links': {
    operationId: 'createPortalLink',
    summary: "A short-lived signed link to the member's own club page",
    description:
      "The store's backend mints one per visit and sends the member to `url`. The token names this member only and expires " +
      '(ttlMinutes, default LOYALTY_PORTAL_TTL_MINUTES = 30). It rides in the URL fragment so it never reaches a server log. See docs/pages.md.',
    params: MemberPathParams,
    body: PortalLinkBody,
    responses: { 201: { description: 'the link', schema: PortalLinkView } },
    errors: { 404: 'MEMBER_NOT_FOUND' },
  },
  'DELETE /v1/members/{memberId}/portal-links': {
    operationId: 'revokePortalLinks',
    summary: "Withdraw the member's portal links",
    description:
      'Every link issued to this member until now stops opening the page (401 PORTAL_LINK_REVOKED); links issued afterwards work. ' +
      'For a link shared or leaked before it expires.',
    params: MemberPathParams,
    responses: { 200: { description: 'withdrawn', schema: PortalLinksRevokedView } },
    errors: { 404: 'MEMBER_NOT_FOUND' },
  },
  'GET /v1/staff/me': {
    operationId: 'getStaffMe',
    summary: 'Who the bearer is: name, role and how they signed in',
    responses: { 200: { description: 'the caller', schema: StaffView } },
  },
  'POST /v1/portal/sign-in': {
    operationId: 'requestSignInCode',
    summary: 'A member asks for a one-time code to open their page: by SMS to their phone, or by email',
    description:
      'Open (no token). Always 202 {} whether or not a member has the phone or email; if one has, a 6-digit code valid 10 minutes is sent ' +
      "in the member's language, and a new sign-in replaces the previous code. Limits per 15-minute window: 5 sign-ins per phone or email, " +
      '20 per client (source IP); beyond them 429 TOO_MANY_REQUESTS with Retry-After. See docs/pages.md.',
    body: SignInBody,
    responses: { 202: { description: 'accepted (the same answer for every well-formed phone or email)', schema: SignInAcceptedView } },
    errors: {
      400: 'VALIDATION_FAILED: not exactly one of phone, email, or not a phone or email',
      429: 'TOO_MANY_REQUESTS: over a limit for the phone or email, or for the client',
    },
  },
  'POST /v1/portal/verify': {
    operationId: 'verifySignInCode',
    summary: 'Trade the code for a portal session token that every /v1/me route takes as Authorization: Bearer',
    description:
      'The code works once, for 10 minutes; after 5 wrong tries it is dead even when right. Wrong, expired, used or dead: 401 SIGN_IN_CODE_INVALID ' +
      '(the same answer whether or not a member has the address). Limits per 15-minute window: 10 checks per phone or email, 30 per client; ' +
      'beyond them 429 TOO_MANY_REQUESTS with Retry-After. The token lasts LOYALTY_PORTAL_TTL_MINUTES.',
    body: VerifyBody,
    responses: { 200: { description: 'signed in', schema: PortalSessionView } },
    errors: {
      400: 'VALIDATION_FAILED: not exactly one of phone, email, or a code that is not 6 digits',
      401: 'SIGN_IN_CODE_INVALID: wrong, expired, used or dead',
      429: 'TOO_MANY_REQUESTS: over a limit for the phone or email, or for the client',
    },
  },
  'GET /v1/me': {
    operationId: 'getMyClub',
    summary: "The member's own club: balance, tier progress, expiring points, referral code and how to earn",
    responses: { 200: { description: 'the member', schema: MeView } },
  },
  'PATCH /v1/me': {
    operationId: 'updateMyProfile',
    summary: 'The member edits their own name, email, phone, birthday and language',
    description:
      'Name and birthday go through the same edit as PATCH /v1/members/{memberId}: completing the profile pays the profile bonus once. ' +
      'Language is kept with the message preferences. A new email or phone (one at a time) is not kept yet: a 6-digit code valid 10 minutes ' +
      'goes to the new address and the answer is 202 with where it went (masked); POST /v1/me/contact/verify with the code keeps it. ' +
      'Another member holding it is 409 ALREADY_EXISTS before any code is sent, and a refusal writes nothing. The address the member already has is no change. ' +
      "A phone must be of the program's phone region. The sign-in's limits apply (429 TOO_MANY_REQUESTS with Retry-After), and the daily SMS cap.",
    body: MeProfileBody,
    responses: {
      200: { description: 'the member, as GET /v1/me', schema: MeView },
      202: { description: 'a code went to the new email or phone; the other fields are kept', schema: ContactVerificationView },
    },
    errors: {
      400: "VALIDATION_FAILED: a bad field, email and phone at once, or a phone outside the program's phone region",
      409: 'ALREADY_EXISTS: the email or phone belongs to another member',
      429: 'TOO_MANY_REQUESTS: over a code limit, or the daily SMS cap',
    },
  },
  'POST /v1/me/contact/verify': {
    operationId: 'confirmMyNewContact',
    summary: 'The member confirms a new email or phone with the code PATCH /v1/me sent to it',
    description:
      'The right, live code (10 minutes, 5 tries, once) keeps the new address: the old claim is released and the new one taken in one ' +
      'conditional transaction, as a staff edit does. Wrong, expired, used or dead: 400 CONTACT_CODE_INVALID and nothing changes; ' +
      '409 ALREADY_EXISTS when another member took the address meanwhile. Limits as POST /v1/portal/verify.',
    body: ContactVerifyBody,
    responses: { 200: { description: 'the member, as GET /v1/me', schema: MeView } },
    errors: {
      400: 'CONTACT_CODE_INVALID: wrong, expired, used or dead; VALIDATION_FAILED: not exactly one of phone, email, or a code that is not 6 digits',
      409: 'ALREADY_EXISTS: another member took the address meanwhile',
      429: 'TOO_MANY_REQUESTS: over a limit for the address or the client',
    },
  },
  'GET /v1/me/notifications': {
    operationId: 'getMyNotificationPreferences',
    summary: "The member's own message consent, channels and language (as GET /v1/members/{memberId}/notifications)",
    responses: { 200: { description: 'the preferences (defaults until set)', schema: NotificationPrefsView } },
  },
  'PUT /v1/me/notifications': {
    operationId: 'setMyNotificationPreferences',
    summary: 'The member sets their own message consent, channels and language (as PUT /v1/members/{memberId}/notifications)',
    body: NotificationPrefsBody,
    responses: { 200: { description: 'the preferences', schema: NotificationPrefsView } },
  },
  'GET /v1/unsubscribe': {
    operationId: 'openOptOutLink',
    summary: "A message's opt-out link: a page in the member's language asking to stop that channel (changes nothing)",
    description:
      'Every SMS and email carries a link naming its member and channel, signed with the portal secret; it does not expire. ' +
      'GET only asks (link scanners follow links); its button POSTs the one-click form.',
    query: UnsubscribeQuery,
    responses: { 200: { description: 'the page', html: true } },
    errors: { 400: 'OPT_OUT_LINK_INVALID: a forged or malformed link', 404: 'MEMBER_NOT_FOUND' },
  },
  'POST /v1/unsubscribe': {
    operationId: 'optOut',
    summary: "One-click opt-out (RFC 8058): the link's channel leaves the member's channels",
    description:
      "What a mailbox sends for List-Unsubscribe-Post: List-Unsubscribe=One-Click, and the page's button. No more messages go out on that " +
      'channel (the other channel and the consents stay); the member turns it on again from their page. Sending it twice changes nothing more.',
    query: UnsubscribeQuery,
    body: UnsubscribeForm,
    bodyMedia: ['application/x-www-form-urlencoded', 'multipart/form-data'],
    responses: { 200: { description: 'a page saying it is done', html: true } },
    errors: { 400: 'OPT_OUT_LINK_INVALID: a forged or malformed link; nothing is changed', 404: 'MEMBER_NOT_FOUND' },
  },
  'GET /v1/me/ledger': {
    operationId: 'getMyLedger',
    summary: "The member's own history, newest first",
    query: LedgerQuery,
    responses: { 200: { description: 'a page; nextCursor is null on the last', schema: MeLedgerView } },
    errors: { 400: 'INVALID_CURSOR' },
  },
  'GET /v1/me/rewards': {
    operationId: 'getMyRewards',
    summary: "The catalog's rewards for this member now, cheapest first, each saying whether they can afford it",
    responses: { 200: { description: 'the rewards', schema: MeRewardsView } },
  },
  'POST /v1/me/redeem': {
    operationId: 'redeemMyReward',
    summary: 'The member redeems a reward at its price, once per idempotency key (body or Idempotency-Key header)',
    body: MeRedeemBody,
    headers: { 'Idempotency-Key': { description: 'Required when the body has no idempotencyKey.' } },
    responses: { 200: { description: 'spent (or the first result, duplicate: true)', schema: RedemptionView } },
    errors: {
      404: 'REWARD_NOT_FOUND (or not offered to this member)',
      409: 'INSUFFICIENT_POINTS, IDEMPOTENCY_KEY_REUSED, OUT_OF_STOCK, REWARD_LIMIT_REACHED, ALREADY_IN_TIER',
      422: 'REWARD_NOT_AVAILABLE',
    },
  },
  'GET /v1/me/codes': {
    operationId: 'getMyCodes',
    summary: "The member's own reward codes, newest first: what each gives, until when, issued / used / expired",
    description:
      'Each item as GET /v1/rewards/codes/{code} answers it. Read from the redemptions in the member’s history, so a page may hold fewer than limit: follow nextCursor until it is null.',
    query: LedgerQuery,
    responses: { 200: { description: 'a page; nextCursor is null on the last', schema: MeCodesView } },
    errors: { 400: 'INVALID_CURSOR' },
  },
  'GET /v1/me/challenges': {
    operationId: 'getMyChallenges',
    summary: "The member's own challenges: progress in the current period, whether met, and when the period ends",
    responses: { 200: { description: 'the challenges', schema: ChallengesView } },
  },
  'GET /shopify/proxy': {
    operationId: 'shopifyAppProxy',
    summary: "The member's club page on the shop's domain (/apps/club), through the Shopify app proxy",
    description: APP_PROXY,
    query: AppProxyQuery,
    responses: { 200: APP_PROXY_PAGE },
  },
  'GET /shopify/proxy/{path+}': {
    operationId: 'shopifyAppProxyPath',
    summary: 'The same page for any path under /apps/club (a trailing slash, a bookmarked deeper link)',
    description: APP_PROXY,
    params: AppProxyPath,
    query: AppProxyQuery,
    responses: { 200: APP_PROXY_PAGE },
  },
  'GET /v1/reports/summary': {
    operationId: 'getReportSummary',
    summary: 'Members, activity, points and the liability over a window of UTC days (docs/reports.md)',
    description:
      'Computed from day counters kept in the same transaction as every balance change (no scans). `?format=csv` or `Accept: text/csv` answers one CSV row.',
    query: SummaryQuery,
    responses: { 200: { description: 'the figures (or one CSV row)', schema: ReportSummaryView, csv: true, headers: CSV } },
    errors: { 400: 'VALIDATION_FAILED: also from after to' },
  },
  'GET /v1/reports/series': {
    operationId: 'getReportSeries',
    summary: 'The same figures per day, ISO week or month, for charts; CSV with ?format=csv',
    query: SeriesQuery,
    responses: { 200: { description: 'one item per bucket (or a CSV row per bucket)', schema: ReportSeriesView, csv: true, headers: CSV } },
    errors: { 400: 'VALIDATION_FAILED: also from after to, or over 1,000 buckets' },
  },
  'GET /v1/reports/costs': {
    operationId: 'getCostReport',
    summary: 'What requests cost at the dated list prices: per route, per 1,000 orders, per member per month (docs/costs.md)',
    description: 'Locally from the cost log every request appends to; on AWS the same figures are CloudWatch embedded metrics.',
    query: CostsQuery,
    responses: { 200: { description: 'the cost report (or a CSV row per route)', schema: CostReportView, csv: true, headers: CSV } },
    errors: { 400: 'VALIDATION_FAILED: also from after to' },
  },
} as const satisfies Record<RouteKey, RouteEntry>;

export interface RouteSpec extends RouteAccessSpec, RouteEntry {}

/** Every route with all its facts, in the table's order: what the OpenAPI generator walks. */
export const ROUTES: readonly RouteSpec[] = ROUTE_ACCESS.map((access) => ({ ...access, ...(ROUTE_REGISTRY[access.key] as RouteEntry) }));

/**
 * The statuses the edge (shared/http/route-handler.ts, local/server.ts) answers
 * for a route before or around its handler: 400 for input that fails its schema,
 * 401/403 for credentials and role, 413 for a body over the limit, 500 for a
 * fault of ours and 503 when the store is busy.
 */
export function edgeStatuses(route: RouteSpec): number[] {
  // Even an open route sits behind the body limit (the local server's, API Gateway's own).
  // Health reads nothing; an open route that takes a body (the sign-in) or a query (the opt-out
  // link's) validates it and works the store, with the store's answers.
  if (route.auth === 'none') return route.body || route.query ? [400, 413, 500, 503] : [413];
  const statuses = [413, 500, 503];
  // A webhook's body is read by the consumer, after the answer: its receiver validates nothing.
  if (route.auth !== 'hmac' && route.auth !== 'app-proxy' && (route.params || route.query || route.body)) statuses.push(400);
  statuses.push(401);
  if (route.auth === 'token') statuses.push(403);
  return statuses;
}

/** Every status the route can answer: its successes, its own refusals and the edge's. */
export function statusesOf(route: RouteSpec): number[] {
  const all = new Set([
    ...Object.keys(route.responses).map(Number),
    ...Object.keys(route.errors ?? {}).map(Number),
    ...edgeStatuses(route),
  ]);
  return [...all].sort((a, b) => a - b);
}
