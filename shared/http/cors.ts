/**
 * Who may call the API from a page on another origin: anyone. The member page on the
 * shop's domain (the Shopify app proxy's /apps/club) calls /v1/me with its portal
 * token, and a shop's own pages may embed it. Every credential the API takes is a
 * header the calling page must already hold (a bearer or portal token, a signature);
 * no cookie ever authenticates, so allowing every origin, without credentials, lets
 * no page act with a visitor's ambient rights. One rule for API Gateway
 * (infra/constructs/club-api.ts, which answers the preflight) and the local server.
 */
export const API_CORS = {
  allowOrigin: '*',
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match', 'x-loyalty-actor'],
  exposeHeaders: ['etag', 'retry-after', 'location'],
  maxAgeSeconds: 86_400,
} as const;
