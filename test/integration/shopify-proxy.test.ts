import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestClub, type TestClub } from '../support/club';

const SECRET = 'the-shopify-app-secret';
let club: TestClub;
beforeAll(async () => {
  process.env.SHOPIFY_APP_SECRET = SECRET;
  club = await startTestClub();
});
afterAll(async () => {
  delete process.env.SHOPIFY_APP_SECRET;
  await club?.stop();
});

/**
 * What Shopify forwards from /apps/club<rest>: the visitor's query plus shop,
 * logged_in_customer_id, path_prefix, timestamp and the signature over them
 * (sorted, name=value, nothing between), made with the app's secret.
 */
function forwarded(customerId: string, options: { at?: Date; secret?: string; extra?: Record<string, string> } = {}): string {
  const params: Record<string, string> = {
    shop: 'my-shop.myshopify.com',
    logged_in_customer_id: customerId,
    path_prefix: '/apps/club',
    timestamp: String(Math.floor((options.at ?? new Date()).getTime() / 1000)),
    ...options.extra,
  };
  const message = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('');
  const signature = createHmac('sha256', options.secret ?? SECRET)
    .update(message)
    .digest('hex');
  return new URLSearchParams({ ...params, signature }).toString();
}

const proxy = (query: string, rest = '') => club.api('GET', `/shopify/proxy${rest}?${query}`, undefined, { authorization: undefined });
const membersOf = async (customerId: string) =>
  (await club.api('GET', `/v1/members?shopifyCustomerId=${customerId}`)).body.items as { memberId: string; channel?: string }[];
const tokenIn = (html: string) => /data-token="([^"]+)"/.exec(html)?.[1];

describe('the Shopify app proxy (/apps/club on the shop)', () => {
  it('shows a logged-in customer their own page, enrolling them on the first visit only, with a token /v1/me takes', async () => {
    const customerId = String(Date.now());
    const first = await proxy(forwarded(customerId));
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(first.headers['cache-control']).toBe('private, no-store');
    // No PORTAL_FRAME_ANCESTORS: nobody may frame it.
    expect(first.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(first.text).toContain(`data-api="${club.url}"`);
    expect(first.text).toContain(`src="${club.url}/club/club.js"`);
    const [member] = await membersOf(customerId);
    expect(member?.channel).toBe('shopify');

    const token = tokenIn(first.text)!;
    const me = await club.api('GET', '/v1/me', undefined, { authorization: `Bearer ${token}`, origin: 'https://my-shop.example' });
    expect(me.status).toBe(200);
    expect(me.body.memberId).toBe(member!.memberId);
    // The page runs on the shop's domain: its calls to the API are cross-origin.
    expect(me.headers['access-control-allow-origin']).toBe('*');

    const again = await proxy(forwarded(customerId), '/account');
    expect(again.status).toBe(200);
    expect(await membersOf(customerId)).toEqual([member]);
    // Any depth under /apps/club is the same page (API Gateway's greedy {path+}; read raw, as OpenAPI has no such path).
    const deep = await fetch(`${club.url}/shopify/proxy/a/b/c?${forwarded(customerId)}`);
    expect(deep.status).toBe(200);
    expect(tokenIn(await deep.text())).toBeTruthy();
    const second = await club.api('GET', '/v1/me', undefined, { authorization: `Bearer ${tokenIn(again.text)}` });
    expect(second.body.memberId).toBe(member!.memberId);
  });

  it('two first visits at once make one member', async () => {
    const customerId = `${Date.now()}7`;
    const [a, b] = await Promise.all([proxy(forwarded(customerId)), proxy(forwarded(customerId))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    const members = await membersOf(customerId);
    expect(members).toHaveLength(1);
    for (const page of [a, b]) {
      const me = await club.api('GET', '/v1/me', undefined, { authorization: `Bearer ${tokenIn(page.text)}` });
      expect(me.body.memberId).toBe(members[0]!.memberId);
    }
  });

  it('refuses a forged, stale or missing signature with 401 and enrols nobody', async () => {
    const customerId = `${Date.now()}9`;
    const forged = await proxy(forwarded(customerId, { secret: 'not-the-secret' }));
    const stale = await proxy(forwarded(customerId, { at: new Date(Date.now() - 6 * 60_000) }));
    const unsigned = await proxy(forwarded(customerId).replace(/&signature=[0-9a-f]+/, ''));
    const tampered = await proxy(forwarded(customerId).replace(`logged_in_customer_id=${customerId}`, 'logged_in_customer_id=1'));
    for (const answer of [forged, stale, unsigned, tampered]) {
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('PROXY_SIGNATURE_INVALID');
    }
    expect(await membersOf(customerId)).toEqual([]);
    expect(await membersOf('1')).toEqual([]);
  });

  it('asks a visitor who is not signed in to the shop to sign in, in their language', async () => {
    const en = await proxy(forwarded(''));
    expect(en.status).toBe(200);
    expect(en.text).toContain('data-testid="shop-sign-in"');
    expect(en.text).toContain('href="/account/login?return_url=%2Fapps%2Fclub"');
    expect(en.text).toContain('Sign in');
    expect(en.text).not.toContain('data-token');
    const fa = await proxy(forwarded('', { extra: { locale: 'fa' } }));
    expect(fa.text).toContain('lang="fa" dir="rtl"');
    expect(fa.text).toContain('ورود به حساب');
  });

  it("answers the browser's CORS preflight for /v1/me from the shop's origin", async () => {
    const res = await fetch(`${club.url}/v1/me`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://my-shop.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});
