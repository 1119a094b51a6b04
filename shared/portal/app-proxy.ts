/**
 * Requests Shopify forwards through the shop's app proxy (/apps/club → /shopify/proxy):
 * the query carries a `signature` Shopify made with the app's shared secret, as
 * "Authenticate app proxies" documents it
 * (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies):
 * every other parameter, sorted by name, as `name=value` with repeated values joined
 * by commas, concatenated with no separator, HMAC-SHA256 with the secret, in hex.
 * The query reaches the handler with repeated values already joined by commas (API
 * Gateway's queryStringParameters; the local server does the same), which is exactly
 * that rule's form.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../domain/errors';

/**
 * How old a signed request may be. Shopify signs each forwarded request as it
 * forwards it, so an older one is a replay of a captured URL (which would show that
 * customer's page to whoever holds it).
 */
export const APP_PROXY_MAX_AGE_SECONDS = 300;

export interface AppProxyRequest {
  readonly shop: string;
  /** The shop's logged-in customer; absent when nobody is signed in to the shop. */
  readonly customerId: string | undefined;
  readonly pathPrefix: string;
}

const refused = (message: string) => new DomainError('PROXY_SIGNATURE_INVALID', message);

/** The request's parameters, or a 401 when the signature is missing, forged or stale, or no secret is set. */
export function verifyAppProxyRequest(
  query: Readonly<Record<string, string | undefined>>,
  secret: string | undefined,
  now: Date,
  maxAgeSeconds = APP_PROXY_MAX_AGE_SECONDS,
): AppProxyRequest {
  if (!secret) throw refused('the Shopify app proxy is not set up (SHOPIFY_APP_SECRET)');
  const given = query.signature;
  if (!given || !/^[0-9a-f]{64}$/.test(given)) throw refused('the app proxy signature is missing');
  const message = Object.keys(query)
    .filter((name) => name !== 'signature' && query[name] !== undefined)
    .sort()
    .map((name) => `${name}=${query[name]}`)
    .join('');
  const expected = createHmac('sha256', secret).update(message).digest();
  if (!timingSafeEqual(Buffer.from(given, 'hex'), expected)) throw refused('the app proxy signature does not match');
  const signedAt = Number(query.timestamp);
  if (!Number.isFinite(signedAt) || Math.abs(now.getTime() / 1000 - signedAt) > maxAgeSeconds) {
    throw refused(`the app proxy request was signed more than ${maxAgeSeconds} seconds ago`);
  }
  return { shop: query.shop ?? '', customerId: query.logged_in_customer_id || undefined, pathPrefix: query.path_prefix ?? '' };
}
