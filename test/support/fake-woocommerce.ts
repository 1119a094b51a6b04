/**
 * A fake WooCommerce REST API v3 (in-process node:http) for coupons, answering as
 * the docs describe: GET /coupons?code=, POST /coupons (201, or 400
 * woocommerce_rest_coupon_code_already_exists), PUT /coupons/{id}; HTTP Basic auth
 * with the consumer key and secret (401 otherwise); faults on demand: 429 and a
 * 503 outage. It records every request it was sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WOO_TEST_KEY = 'ck_test_0123456789abcdef';
export const WOO_TEST_SECRET = 'cs_test_fedcba9876543210';

export interface FakeCoupon {
  id: number;
  code: string;
  status: string;
  [field: string]: unknown;
}

export interface FakeWooCommerce {
  /** The WordPress site's base URL (WOOCOMMERCE_URL). */
  readonly url: string;
  readonly coupons: FakeCoupon[];
  readonly requests: { readonly method: string; readonly path: string; readonly body?: any }[];
  /** The next n requests answer 429. */
  rateLimit(n: number): void;
  outage(on: boolean): void;
  stop(): Promise<void>;
}

export async function startFakeWooCommerce(): Promise<FakeWooCommerce> {
  const coupons: FakeCoupon[] = [];
  const requests: FakeWooCommerce['requests'] = [];
  let limited = 0;
  let down = false;
  let next = 100;
  const expected = `Basic ${Buffer.from(`${WOO_TEST_KEY}:${WOO_TEST_SECRET}`).toString('base64')}`;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      const body = text ? JSON.parse(text) : undefined;
      requests.push({ method: req.method ?? '', path: url.pathname + url.search, body });
      if (req.headers.authorization !== expected) {
        return send(401, { code: 'woocommerce_rest_cannot_view', message: 'Sorry, you cannot list resources.', data: { status: 401 } });
      }
      if (down) return send(503, { code: 'service_unavailable', message: 'Service Unavailable', data: { status: 503 } });
      if (limited > 0) {
        limited -= 1;
        return send(429, { code: 'too_many_requests', message: 'Too many requests', data: { status: 429 } });
      }
      const path = url.pathname.replace(/^\/wp-json\/wc\/v3/, '');
      // WooCommerce stores coupon codes in lower case.
      const byCode = (code: string) => coupons.filter((c) => c.code === code.toLowerCase());
      if (req.method === 'GET' && path === '/coupons') return send(200, byCode(url.searchParams.get('code') ?? ''));
      if (req.method === 'POST' && path === '/coupons') {
        if (byCode(body.code).length)
          return send(400, {
            code: 'woocommerce_rest_coupon_code_already_exists',
            message: `The coupon code already exists`,
            data: { status: 400 },
          });
        const coupon: FakeCoupon = { ...body, id: next++, code: String(body.code).toLowerCase(), status: 'publish' };
        coupons.push(coupon);
        return send(201, coupon);
      }
      const m = /^\/coupons\/(\d+)$/.exec(path);
      if (req.method === 'PUT' && m) {
        const coupon = coupons.find((c) => c.id === Number(m[1]));
        if (!coupon) return send(404, { code: 'woocommerce_rest_shop_coupon_invalid_id', message: 'Invalid ID.', data: { status: 404 } });
        Object.assign(coupon, body);
        return send(200, coupon);
      }
      return send(404, {
        code: 'rest_no_route',
        message: 'No route was found matching the URL and request method.',
        data: { status: 404 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    coupons,
    requests,
    rateLimit: (n) => {
      limited = n;
    },
    outage: (on) => {
      down = on;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
