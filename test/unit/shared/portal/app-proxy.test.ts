import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../shared/domain/errors';
import { verifyAppProxyRequest } from '../../../../shared/portal/app-proxy';

// The worked example of Shopify's "Authenticate app proxies" page
// (https://shopify.dev/docs/apps/build/online-store/app-proxies/authenticate-app-proxies):
// shared secret "hush", the forwarded query below, and the signature it gives.
// extra=1&extra=2 arrives as API Gateway (and the local server) hand it over: joined by a comma.
const DOC_SECRET = 'hush';
const DOC_QUERY = {
  extra: '1,2',
  shop: 'shop-name.myshopify.com',
  logged_in_customer_id: '1',
  path_prefix: '/apps/awesome_reviews',
  timestamp: '1317327555',
  signature: '4c68c8624d737112c91818c11017d24d334b524cb5c2b8ba08daa056f7395ddb',
};
const SIGNED_AT = new Date(1317327555 * 1000);

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (err) {
    return err instanceof DomainError ? err.code : String(err);
  }
  return 'accepted';
};

describe("Shopify app proxy signatures (Shopify's worked example)", () => {
  it("accepts the doc's example with the doc's secret, and names the customer, shop and prefix", () => {
    expect(verifyAppProxyRequest(DOC_QUERY, DOC_SECRET, SIGNED_AT)).toEqual({
      shop: 'shop-name.myshopify.com',
      customerId: '1',
      pathPrefix: '/apps/awesome_reviews',
    });
  });

  it('accepts it up to 5 minutes after it was signed, and refuses it later (stale) or from the future', () => {
    expect(verifyAppProxyRequest(DOC_QUERY, DOC_SECRET, new Date(SIGNED_AT.getTime() + 300_000)).customerId).toBe('1');
    expect(refusal(() => verifyAppProxyRequest(DOC_QUERY, DOC_SECRET, new Date(SIGNED_AT.getTime() + 301_000)))).toBe(
      'PROXY_SIGNATURE_INVALID',
    );
    expect(refusal(() => verifyAppProxyRequest(DOC_QUERY, DOC_SECRET, new Date(SIGNED_AT.getTime() - 301_000)))).toBe(
      'PROXY_SIGNATURE_INVALID',
    );
  });

  it('refuses another secret, a changed parameter, a missing or malformed signature, and no secret at all', () => {
    const refused = (query: Record<string, string | undefined>, secret: string | undefined) =>
      refusal(() => verifyAppProxyRequest(query, secret, SIGNED_AT));
    expect(refused(DOC_QUERY, 'nope')).toBe('PROXY_SIGNATURE_INVALID');
    expect(refused({ ...DOC_QUERY, logged_in_customer_id: '2' }, DOC_SECRET)).toBe('PROXY_SIGNATURE_INVALID');
    expect(refused({ ...DOC_QUERY, extra: '1' }, DOC_SECRET)).toBe('PROXY_SIGNATURE_INVALID');
    expect(refused({ ...DOC_QUERY, signature: undefined }, DOC_SECRET)).toBe('PROXY_SIGNATURE_INVALID');
    expect(refused({ ...DOC_QUERY, signature: 'zz' }, DOC_SECRET)).toBe('PROXY_SIGNATURE_INVALID');
    expect(refused({ ...DOC_QUERY, signature: DOC_QUERY.signature.toUpperCase() }, DOC_SECRET)).toBe('PROXY_SIGNATURE_INVALID');
    expect(refused(DOC_QUERY, undefined)).toBe('PROXY_SIGNATURE_INVALID');
    expect(refused(DOC_QUERY, '')).toBe('PROXY_SIGNATURE_INVALID');
  });

  it('a visitor who is not signed in to the shop comes with an empty logged_in_customer_id: no customer', () => {
    // The doc's rule keeps the empty value in the signed string ("logged_in_customer_id="); signature computed by hand with openssl.
    const anonymous = {
      ...DOC_QUERY,
      logged_in_customer_id: '',
      signature: 'e072b6d7e6622d85912a5214b860d3100dc1e73d9bc29f43796ac8c9ff8093cb',
    };
    expect(verifyAppProxyRequest(anonymous, DOC_SECRET, SIGNED_AT)).toEqual({
      shop: 'shop-name.myshopify.com',
      customerId: undefined,
      pathPrefix: '/apps/awesome_reviews',
    });
  });
});
