/**
 * Every HTTP route of the club and the function that serves it. The CDK stack
 * makes API Gateway routes from this list, the local server dispatches with it,
 * and the OpenAPI reference is checked against it: one list, three users.
 */
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
  | 'reports';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway syntax: /v1/members/{memberId} */
  readonly path: string;
  readonly fn: FunctionName;
  /** token: the API bearer token (or a staff token/user); none: open (health); hmac: signed webhooks; portal: a member's link. */
  readonly auth: 'none' | 'token' | 'hmac' | 'portal';
}

export const ROUTES: readonly RouteSpec[] = [
  { method: 'GET', path: '/health', fn: 'health', auth: 'none' },
  { method: 'POST', path: '/v1/members', fn: 'members', auth: 'token' },
  { method: 'GET', path: '/v1/members', fn: 'members', auth: 'token' },
  { method: 'GET', path: '/v1/members/{memberId}', fn: 'members', auth: 'token' },
  { method: 'PATCH', path: '/v1/members/{memberId}', fn: 'members', auth: 'token' },
  { method: 'GET', path: '/v1/members/{memberId}/ledger', fn: 'members', auth: 'token' },
  { method: 'POST', path: '/v1/members/{memberId}/adjustments', fn: 'members', auth: 'token' },
  { method: 'GET', path: '/v1/members/{memberId}/referral-code', fn: 'members', auth: 'token' },
  { method: 'POST', path: '/v1/earn', fn: 'earn', auth: 'token' },
  { method: 'POST', path: '/v1/refunds', fn: 'refunds', auth: 'token' },
  { method: 'POST', path: '/v1/redeem', fn: 'redeem', auth: 'token' },
  { method: 'GET', path: '/v1/admin/program', fn: 'admin-program', auth: 'token' },
  { method: 'PUT', path: '/v1/admin/program', fn: 'admin-program', auth: 'token' },
  { method: 'GET', path: '/v1/admin/program/versions', fn: 'admin-program', auth: 'token' },
  { method: 'POST', path: '/v1/admin/program/simulate', fn: 'admin-program', auth: 'token' },
  { method: 'POST', path: '/v1/admin/program/release-pending', fn: 'admin-program', auth: 'token' },
  { method: 'POST', path: '/v1/admin/program/launch', fn: 'admin-program', auth: 'token' },
  { method: 'GET', path: '/v1/admin/campaigns/calendar', fn: 'admin-program', auth: 'token' },
  { method: 'POST', path: '/v1/admin/jobs/{job}/run', fn: 'admin-jobs', auth: 'token' },
  { method: 'GET', path: '/v1/members/{memberId}/notifications', fn: 'notifications', auth: 'token' },
  { method: 'PUT', path: '/v1/members/{memberId}/notifications', fn: 'notifications', auth: 'token' },
  { method: 'GET', path: '/v1/rewards/codes/{code}', fn: 'rewards', auth: 'token' },
  { method: 'POST', path: '/v1/rewards/codes/{code}/use', fn: 'rewards', auth: 'token' },
  { method: 'POST', path: '/v1/webhooks/shopify', fn: 'webhooks', auth: 'hmac' },
  { method: 'POST', path: '/v1/webhooks/woocommerce', fn: 'webhooks', auth: 'hmac' },
  { method: 'POST', path: '/v1/webhooks/generic', fn: 'webhooks', auth: 'hmac' },
  { method: 'GET', path: '/v1/admin/deliveries', fn: 'deliveries', auth: 'token' },
  { method: 'POST', path: '/v1/admin/deliveries/{id}/replay', fn: 'deliveries', auth: 'token' },
  { method: 'POST', path: '/v1/admin/deliveries/{id}/dismiss', fn: 'deliveries', auth: 'token' },
  { method: 'GET', path: '/v1/admin/members', fn: 'admin-members', auth: 'token' },
  { method: 'POST', path: '/v1/members/{memberId}/portal-links', fn: 'members', auth: 'token' },
  { method: 'DELETE', path: '/v1/members/{memberId}/portal-links', fn: 'members', auth: 'token' },
  { method: 'GET', path: '/v1/staff/me', fn: 'members', auth: 'token' },
  { method: 'GET', path: '/v1/me', fn: 'me', auth: 'portal' },
  { method: 'GET', path: '/v1/me/ledger', fn: 'me', auth: 'portal' },
  { method: 'GET', path: '/v1/me/rewards', fn: 'me', auth: 'portal' },
  { method: 'POST', path: '/v1/me/redeem', fn: 'me', auth: 'portal' },
  { method: 'GET', path: '/v1/reports/summary', fn: 'reports', auth: 'token' },
  { method: 'GET', path: '/v1/reports/series', fn: 'reports', auth: 'token' },
  { method: 'GET', path: '/v1/reports/costs', fn: 'reports', auth: 'token' },
];

export const FUNCTION_NAMES: readonly FunctionName[] = [...new Set(ROUTES.map((r) => r.fn))];

export function routeKey(r: Pick<RouteSpec, 'method' | 'path'>): string {
  return `${r.method} ${r.path}`;
}
