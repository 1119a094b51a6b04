/**
 * WooCommerce's checkout through its REST API v3 coupons, by plain fetch: the
 * published JavaScript library (@woocommerce/woocommerce-rest-api) wraps axios and
 * OAuth 1.0a for plain-HTTP sites, four dependencies for four calls, so the club
 * sends them itself over HTTPS with HTTP Basic auth, as WooCommerce documents
 * (the consumer key and secret as user name and password).
 *
 * Docs: https://woocommerce.github.io/woocommerce-rest-api-docs/#coupons,
 * https://woocommerce.github.io/woocommerce-rest-api-docs/#authentication-over-https
 */
import type { ShopCustomer, ShopDiscount } from '../domain/shop-discount';
import { AGAIN, withRetries } from '../retry';
import { isRetryableStatus, SHOP_CALL, ShopError, type ShopClient } from './shop-client';

/** What WooCommerce answers: a coupon, a list of them, or an error ({code, message, data: {status}}). */
interface WooJson {
  readonly id?: number;
  readonly code?: string;
  readonly message?: string;
}

interface Coupon {
  readonly id: number;
  readonly code: string;
  readonly status?: string;
}

/** The coupon a discount becomes: once, for the member's email, until the code expires. */
export function wooCouponFor(d: ShopDiscount, customer: Extract<ShopCustomer, { platform: 'woocommerce' }>) {
  const v = d.value;
  const value =
    v.kind === 'amount-off'
      ? { discount_type: 'fixed_cart', amount: v.amount }
      : v.kind === 'percent-off'
        ? { discount_type: 'percent', amount: String(v.percent) }
        : v.kind === 'free-shipping'
          ? { discount_type: 'fixed_cart', amount: '0', free_shipping: true }
          : // One unit of the product free: 100% off it, on one item.
            { discount_type: 'percent', amount: '100', product_ids: [Number(v.productId)], limit_usage_to_x_items: 1 };
  return {
    code: d.code,
    description: d.title,
    ...value,
    usage_limit: 1,
    usage_limit_per_user: 1,
    individual_use: false,
    email_restrictions: [customer.email],
    // date_expires is the site's local time; the _gmt field is the instant, as the code's expiresAt is.
    date_expires_gmt: d.endsAt.replace(/\.\d{3}Z$/, '').replace(/Z$/, ''),
  };
}

export class WooCommerceClient implements ShopClient {
  readonly platform = 'woocommerce' as const;
  private readonly base: string;
  private readonly authorization: string;

  constructor(
    options: { url: string; consumerKey: string; consumerSecret: string },
    private readonly fetchApi: typeof fetch = fetch,
  ) {
    this.base = `${options.url.replace(/\/+$/, '')}/wp-json/wc/v3`;
    this.authorization = `Basic ${Buffer.from(`${options.consumerKey}:${options.consumerSecret}`).toString('base64')}`;
  }

  /** One request: 429 and 5xx (and the network) retried with backoff; the answer's status and JSON otherwise. */
  private async send(method: string, path: string, body?: unknown): Promise<{ status: number; json: WooJson | Coupon[] | null }> {
    let last = '';
    return withRetries(
      SHOP_CALL,
      async () => {
        let res: Response;
        try {
          res = await this.fetchApi(this.base + path, {
            method,
            headers: {
              authorization: this.authorization,
              accept: 'application/json',
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
        } catch (err) {
          last = (err as Error).message;
          return AGAIN;
        }
        const text = await res.text();
        let json: WooJson | Coupon[] | null = null;
        try {
          json = text ? JSON.parse(text) : null;
        } catch {
          json = null;
        }
        if (isRetryableStatus(res.status)) {
          last = `${res.status} ${(Array.isArray(json) ? undefined : json?.code) ?? ''}`.trim();
          return AGAIN;
        }
        return { status: res.status, json };
      },
      () => new ShopError(`WooCommerce did not answer in ${SHOP_CALL.attempts} tries: ${last}`, true),
    );
  }

  private refused(what: string, answer: { status: number; json: WooJson | Coupon[] | null }): ShopError {
    const json = Array.isArray(answer.json) ? null : answer.json;
    return new ShopError(`WooCommerce refused ${what}: ${answer.status} ${json?.code ?? ''} ${json?.message ?? ''}`.trim(), false);
  }

  private async lookup(code: string): Promise<Coupon | undefined> {
    const answer = await this.send('GET', `/coupons?code=${encodeURIComponent(code)}`);
    if (answer.status !== 200 || !Array.isArray(answer.json)) throw this.refused('the coupon lookup', answer);
    // WooCommerce keeps codes in lower case; the lookup may match loosely, so compare.
    return answer.json.find((c) => c.code.toLowerCase() === code.toLowerCase());
  }

  async ensureDiscount(discount: ShopDiscount, customer: ShopCustomer) {
    if (customer.platform !== 'woocommerce') throw new ShopError('a WooCommerce coupon needs the member’s email', false);
    const existing = await this.lookup(discount.code);
    if (existing) return { discountId: String(existing.id), created: false };
    const answer = await this.send('POST', '/coupons', wooCouponFor(discount, customer));
    const json = Array.isArray(answer.json) ? null : answer.json;
    if ((answer.status === 201 || answer.status === 200) && json?.id !== undefined) return { discountId: String(json.id), created: true };
    if (json?.code === 'woocommerce_rest_coupon_code_already_exists') {
      const raced = await this.lookup(discount.code);
      if (raced) return { discountId: String(raced.id), created: false };
    }
    throw this.refused('the coupon', answer);
  }

  /** A draft coupon can't be applied at checkout, and unlike a deleted one it keeps its history in the shop's admin. */
  async disableDiscount(code: string): Promise<'disabled' | 'not-found'> {
    const coupon = await this.lookup(code);
    if (!coupon) return 'not-found';
    const answer = await this.send('PUT', `/coupons/${coupon.id}`, { status: 'draft' });
    if (answer.status !== 200) throw this.refused('disabling the coupon', answer);
    return 'disabled';
  }
}
