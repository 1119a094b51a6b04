/**
 * Who serves each HTTP route and who may call it: the part of the route registry
 * (shared/http/route-registry.ts) that runs in every Lambda. The edge reads auth
 * and role here, the CDK stack and the local server the function. It imports no
 * schema, so a function's bundle carries only its own routes' schemas; the
 * registry adds each route's operationId, schemas and answers under the same key,
 * and its type requires exactly these keys.
 */
import type { StaffRole } from '../config';

export type FunctionName =
  | 'health'
  | 'members'
  | 'earn'
  | 'refunds'
  | 'redeem'
  | 'admin-program'
  | 'admin-jobs'
  | 'notifications'
  | 'rewards'
  | 'webhooks'
  | 'deliveries'
  | 'admin-members'
  | 'me'
  | 'reports'
  | 'admin-shop-sync';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * none: open (health); token: the API token, a staff token or a Cognito user; hmac: a signed webhook; portal: a member's link;
 * app-proxy: a request the shop's Shopify app proxy forwarded, signed in its query with SHOPIFY_APP_SECRET (checked by its handler).
 */
export type RouteAuth = 'none' | 'token' | 'hmac' | 'portal' | 'app-proxy';

export interface RouteAccess {
  readonly fn: FunctionName;
  readonly auth: RouteAuth;
  /** Bearer routes: the least staff role that may call it (viewer reads; operator changes members; admin the program and jobs). */
  readonly role?: StaffRole;
}

/** Keyed by API Gateway's routeKey: "METHOD /path/{param}". */
export const ROUTE_TABLE = {
  'GET /health': { fn: 'health', auth: 'none' },
  'POST /v1/members': { fn: 'members', auth: 'token', role: 'operator' },
  'GET /v1/members': { fn: 'members', auth: 'token', role: 'viewer' },
  'GET /v1/members/{memberId}': { fn: 'members', auth: 'token', role: 'viewer' },
  'PATCH /v1/members/{memberId}': { fn: 'members', auth: 'token', role: 'operator' },
  'GET /v1/members/{memberId}/ledger': { fn: 'members', auth: 'token', role: 'viewer' },
  'POST /v1/members/{memberId}/adjustments': { fn: 'members', auth: 'token', role: 'operator' },
  'GET /v1/members/{memberId}/referral-code': { fn: 'members', auth: 'token', role: 'viewer' },
  'GET /v1/members/{memberId}/challenges': { fn: 'members', auth: 'token', role: 'viewer' },
  'POST /v1/earn': { fn: 'earn', auth: 'token', role: 'operator' },
  'POST /v1/refunds': { fn: 'refunds', auth: 'token', role: 'operator' },
  'POST /v1/redeem': { fn: 'redeem', auth: 'token', role: 'operator' },
  'GET /v1/admin/program': { fn: 'admin-program', auth: 'token', role: 'viewer' },
  'PUT /v1/admin/program': { fn: 'admin-program', auth: 'token', role: 'admin' },
  'GET /v1/admin/program/versions': { fn: 'admin-program', auth: 'token', role: 'viewer' },
  // A dry run changes nothing, although it is a POST.
  'POST /v1/admin/program/simulate': { fn: 'admin-program', auth: 'token', role: 'viewer' },
  'POST /v1/admin/program/release-pending': { fn: 'admin-program', auth: 'token', role: 'admin' },
  'POST /v1/admin/program/launch': { fn: 'admin-program', auth: 'token', role: 'admin' },
  'GET /v1/admin/campaigns/calendar': { fn: 'admin-program', auth: 'token', role: 'viewer' },
  'POST /v1/admin/jobs/{job}/run': { fn: 'admin-jobs', auth: 'token', role: 'admin' },
  // The members function: it already writes members (the admin-members one only reads).
  'POST /v1/admin/imports/members': { fn: 'members', auth: 'token', role: 'admin' },
  'GET /v1/members/{memberId}/notifications': { fn: 'notifications', auth: 'token', role: 'viewer' },
  'PUT /v1/members/{memberId}/notifications': { fn: 'notifications', auth: 'token', role: 'operator' },
  'GET /v1/rewards/codes/{code}': { fn: 'rewards', auth: 'token', role: 'viewer' },
  'POST /v1/rewards/codes/{code}/use': { fn: 'rewards', auth: 'token', role: 'operator' },
  'POST /v1/rewards/codes/{code}/cancel': { fn: 'rewards', auth: 'token', role: 'operator' },
  'POST /v1/webhooks/shopify': { fn: 'webhooks', auth: 'hmac' },
  'POST /v1/webhooks/woocommerce': { fn: 'webhooks', auth: 'hmac' },
  'POST /v1/webhooks/generic': { fn: 'webhooks', auth: 'hmac' },
  'GET /v1/admin/deliveries': { fn: 'deliveries', auth: 'token', role: 'viewer' },
  'POST /v1/admin/deliveries/{id}/replay': { fn: 'deliveries', auth: 'token', role: 'operator' },
  'POST /v1/admin/deliveries/{id}/dismiss': { fn: 'deliveries', auth: 'token', role: 'operator' },
  'GET /v1/admin/shop-sync': { fn: 'admin-shop-sync', auth: 'token', role: 'viewer' },
  'POST /v1/admin/shop-sync/{id}/retry': { fn: 'admin-shop-sync', auth: 'token', role: 'operator' },
  'GET /v1/admin/members': { fn: 'admin-members', auth: 'token', role: 'viewer' },
  'POST /v1/members/{memberId}/portal-links': { fn: 'members', auth: 'token', role: 'operator' },
  'DELETE /v1/members/{memberId}/portal-links': { fn: 'members', auth: 'token', role: 'operator' },
  'GET /v1/staff/me': { fn: 'members', auth: 'token', role: 'viewer' },
  // Open: a member signs in on their page with a one-time code (the answers never say whether a member exists).
  'POST /v1/portal/sign-in': { fn: 'me', auth: 'none' },
  'POST /v1/portal/verify': { fn: 'me', auth: 'none' },
  'GET /v1/me': { fn: 'me', auth: 'portal' },
  'PATCH /v1/me': { fn: 'me', auth: 'portal' },
  'POST /v1/me/contact/verify': { fn: 'me', auth: 'portal' },
  'GET /v1/me/ledger': { fn: 'me', auth: 'portal' },
  // Message consent: the member's own, and a message's opt-out link (open: the signed token in the query decides).
  'GET /v1/me/notifications': { fn: 'notifications', auth: 'portal' },
  'PUT /v1/me/notifications': { fn: 'notifications', auth: 'portal' },
  'GET /v1/unsubscribe': { fn: 'notifications', auth: 'none' },
  'POST /v1/unsubscribe': { fn: 'notifications', auth: 'none' },
  'GET /v1/me/rewards': { fn: 'me', auth: 'portal' },
  'POST /v1/me/redeem': { fn: 'me', auth: 'portal' },
  'GET /v1/me/codes': { fn: 'me', auth: 'portal' },
  'GET /v1/me/challenges': { fn: 'me', auth: 'portal' },
  // The member page on the shop's domain (/apps/club): the me function, which already mints and checks portal tokens.
  'GET /shopify/proxy': { fn: 'me', auth: 'app-proxy' },
  'GET /shopify/proxy/{path+}': { fn: 'me', auth: 'app-proxy' },
  'GET /v1/reports/summary': { fn: 'reports', auth: 'token', role: 'viewer' },
  'GET /v1/reports/series': { fn: 'reports', auth: 'token', role: 'viewer' },
  'GET /v1/reports/costs': { fn: 'reports', auth: 'token', role: 'viewer' },
} as const satisfies Record<string, RouteAccess>;

export type RouteKey = keyof typeof ROUTE_TABLE;

export interface RouteSpec extends RouteAccess {
  readonly key: RouteKey;
  readonly method: HttpMethod;
  /** API Gateway syntax: /v1/members/{memberId} */
  readonly path: string;
}

/** The table as a list, in its order: what the stack and the local server walk. */
export const ROUTES: readonly RouteSpec[] = Object.entries(ROUTE_TABLE).map(([key, access]) => {
  const [method, path] = key.split(' ') as [HttpMethod, string];
  return { ...(access as RouteAccess), key: key as RouteKey, method, path };
});

export const FUNCTION_NAMES: readonly FunctionName[] = [...new Set(ROUTES.map((r) => r.fn))];

export function routeKey(r: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}

const BY_KEY = new Map<string, RouteSpec>(ROUTES.map((r) => [r.key, r]));

/** The route a routeKey names, if the club serves it. */
export function routeOf(key: string): RouteSpec | undefined {
  return BY_KEY.get(key);
}
