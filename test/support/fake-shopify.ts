/**
 * A fake Shopify Admin GraphQL API (in-process node:http), answering as the docs
 * describe: codeDiscountNodeByCode, discountCodeBasicCreate,
 * discountCodeFreeShippingCreate, discountCodeDeactivate; every answer carries
 * extensions.cost; a duplicate code is a "must be unique" userError; faults on
 * demand: THROTTLED answers (cost-based throttling) and a 503 outage; creates can
 * be held open (a slow shop) so a test can act while a push waits. It records
 * every request it was sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const SHOPIFY_TEST_TOKEN = 'shpat_test_token_0123456789';

export interface FakeDiscount {
  readonly id: string;
  readonly kind: 'basic' | 'free-shipping';
  readonly input: any;
  status: 'ACTIVE' | 'EXPIRED';
}

export interface FakeShopify {
  readonly url: string;
  readonly discounts: FakeDiscount[];
  readonly requests: { readonly operation: string; readonly variables: any }[];
  /** The next n calls are throttled. */
  throttle(n: number): void;
  /** Every call answers 503 until set back to false. */
  outage(on: boolean): void;
  /**
   * Creates wait, not yet made, until `release`: `started` resolves when the first one
   * arrives, so a test can act while a push is waiting on the shop.
   */
  holdCreates(): { readonly started: Promise<void>; release(): void };
  stop(): Promise<void>;
}

const cost = (available: number) => ({
  cost: {
    requestedQueryCost: 10,
    actualQueryCost: available < 10 ? null : 10,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
  },
});

export async function startFakeShopify(): Promise<FakeShopify> {
  const discounts: FakeDiscount[] = [];
  const requests: FakeShopify['requests'] = [];
  let throttled = 0;
  let down = false;
  let next = 1;
  let held: { gate: Promise<void>; arrived: () => void } | undefined;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !/^\/admin\/api\/\d{4}-\d{2}\/graphql\.json$/.test(req.url ?? ''))
        return send(404, { errors: 'Not Found' });
      if (req.headers['x-shopify-access-token'] !== SHOPIFY_TEST_TOKEN)
        return send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables: any };
      const operation =
        /(codeDiscountNodeByCode|discountCodeBasicCreate|discountCodeFreeShippingCreate|discountCodeDeactivate)\(/.exec(query)?.[1] ??
        'unknown';
      requests.push({ operation, variables });
      if (down) return send(503, { errors: 'Service Unavailable' });
      if (throttled > 0) {
        throttled -= 1;
        return send(200, {
          errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
          extensions: cost(3),
        });
      }
      const byCode = (code: string) => discounts.find((d) => d.input.code.toLowerCase() === code.toLowerCase());
      switch (operation) {
        case 'codeDiscountNodeByCode': {
          const d = byCode(variables.code);
          return send(200, { data: { codeDiscountNodeByCode: d ? { id: d.id } : null }, extensions: cost(1990) });
        }
        case 'discountCodeBasicCreate':
        case 'discountCodeFreeShippingCreate': {
          if (held) {
            held.arrived();
            await held.gate;
          }
          const input = variables.basicCodeDiscount ?? variables.freeShippingCodeDiscount;
          const field = operation === 'discountCodeBasicCreate' ? 'basicCodeDiscount' : 'freeShippingCodeDiscount';
          if (byCode(input.code)) {
            return send(200, {
              data: {
                [operation]: {
                  codeDiscountNode: null,
                  userErrors: [{ field: [field, 'code'], code: 'TAKEN', message: 'Code must be unique. Please try a different code.' }],
                },
              },
              extensions: cost(1990),
            });
          }
          const d: FakeDiscount = {
            id: `gid://shopify/DiscountCodeNode/${next++}`,
            kind: operation === 'discountCodeBasicCreate' ? 'basic' : 'free-shipping',
            input,
            status: 'ACTIVE',
          };
          discounts.push(d);
          return send(200, { data: { [operation]: { codeDiscountNode: { id: d.id }, userErrors: [] } }, extensions: cost(1980) });
        }
        case 'discountCodeDeactivate': {
          const d = discounts.find((x) => x.id === variables.id);
          if (!d) {
            return send(200, {
              data: {
                discountCodeDeactivate: {
                  codeDiscountNode: null,
                  userErrors: [{ field: ['id'], code: 'INVALID', message: 'Discount does not exist' }],
                },
              },
              extensions: cost(1990),
            });
          }
          d.status = 'EXPIRED';
          return send(200, {
            data: { discountCodeDeactivate: { codeDiscountNode: { id: d.id }, userErrors: [] } },
            extensions: cost(1980),
          });
        }
        default:
          return send(200, { errors: [{ message: `unknown operation in ${query.slice(0, 80)}` }] });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/admin/api/2026-10/graphql.json`,
    discounts,
    requests,
    throttle: (n) => {
      throttled = n;
    },
    outage: (on) => {
      down = on;
    },
    holdCreates: () => {
      let release = () => {};
      let arrived = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const started = new Promise<void>((resolve) => {
        arrived = resolve;
      });
      held = { gate, arrived };
      return {
        started,
        release: () => {
          held = undefined;
          release();
        },
      };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
