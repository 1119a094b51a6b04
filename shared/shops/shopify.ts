/**
 * Shopify's checkout through the Admin GraphQL API, with Shopify's own client
 * (@shopify/admin-api-client: official, kept in step with the API versions). Its
 * fetch is given the configured endpoint (SHOPIFY_ADMIN_API_URL), since the client
 * builds URLs only from a shop domain.
 *
 * Docs: https://shopify.dev/docs/api/admin-graphql/2026-10/mutations/discountCodeBasicCreate,
 * .../mutations/discountCodeFreeShippingCreate, .../mutations/discountCodeDeactivate,
 * .../queries/codeDiscountNodeByCode, https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits
 */
import { createAdminApiClient } from '@shopify/admin-api-client';
import type { ShopCustomer, ShopDiscount } from '../domain/shop-discount';
import { AGAIN, withRetries } from '../retry';
import { isRetryableStatus, SHOP_CALL, ShopError, type ShopClient } from './shop-client';

/**
 * The one Admin API version the club speaks (a stable release; Shopify supports each
 * for a year): the default endpoint is https://<SHOPIFY_SHOP>/admin/api/<this>/graphql.json.
 */
export const SHOPIFY_API_VERSION = '2026-10';

const customerGid = (id: string) => (id.startsWith('gid://') ? id : `gid://shopify/Customer/${id}`);
const productGid = (id: string) => (id.startsWith('gid://') ? id : `gid://shopify/Product/${id}`);

const LOOKUP = `query codeDiscountByCode($code: String!) {
  codeDiscountNodeByCode(code: $code) { id }
}`;

const CREATE_BASIC = `mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;

const CREATE_FREE_SHIPPING = `mutation discountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;

const DEACTIVATE = `mutation discountCodeDeactivate($id: ID!) {
  discountCodeDeactivate(id: $id) {
    codeDiscountNode { id }
    userErrors { field code message }
  }
}`;

interface UserError {
  readonly field?: string[] | null;
  readonly code?: string | null;
  readonly message: string;
}

/** The mutation's input for a discount, as the docs' DiscountCodeBasicInput / DiscountCodeFreeShippingInput. */
export function shopifyDiscountInput(d: ShopDiscount, customer: Extract<ShopCustomer, { platform: 'shopify' }>) {
  const common = {
    title: d.title,
    code: d.code,
    startsAt: d.startsAt,
    endsAt: d.endsAt,
    // Only this customer, once: the code is theirs, bought with their points.
    context: { customers: { add: [customerGid(customer.customerId)] } },
    usageLimit: 1,
    appliesOncePerCustomer: true,
  };
  const v = d.value;
  if (v.kind === 'free-shipping') return { mutation: 'free-shipping' as const, input: { ...common, destination: { all: true } } };
  const customerGets =
    v.kind === 'amount-off'
      ? { value: { discountAmount: { amount: v.amount, appliesOnEachItem: false } }, items: { all: true } }
      : v.kind === 'percent-off'
        ? { value: { percentage: v.percent / 100 }, items: { all: true } }
        : // A code discount has no "one unit free": 100% off the product's lines in that one order.
          { value: { percentage: 1 }, items: { products: { productsToAdd: [productGid(v.productId)] } } };
  return { mutation: 'basic' as const, input: { ...common, customerGets } };
}

/** A field of the answer's data: a lookup's node, or a mutation's payload. */
interface Payload {
  readonly id?: string;
  readonly codeDiscountNode?: { readonly id: string } | null;
  readonly userErrors?: readonly UserError[];
}
type Data = Record<string, Payload | null | undefined>;

interface GraphQLAnswer {
  readonly data?: Data;
  readonly errors?: { networkStatusCode?: number; message?: string; graphQLErrors?: { message: string; extensions?: { code?: string } }[] };
}

export class ShopifyClient implements ShopClient {
  readonly platform = 'shopify' as const;
  private readonly client: ReturnType<typeof createAdminApiClient>;

  constructor(options: { shop: string; accessToken: string; adminApiUrl?: string; fetchApi?: typeof fetch }) {
    const endpoint = options.adminApiUrl;
    const fetchApi = options.fetchApi ?? fetch;
    this.client = createAdminApiClient({
      storeDomain: options.shop,
      apiVersion: SHOPIFY_API_VERSION,
      accessToken: options.accessToken,
      userAgentPrefix: 'loyalty-club',
      customFetchApi: (url, init) => fetchApi(endpoint ?? url, init as RequestInit),
      // A version past its year of support is logged by the client; the club's own log says it once per container.
      logger: () => {},
    });
  }

  /** One operation: throttling (THROTTLED, 429) and 5xx retried with backoff; other errors thrown as they are. */
  private async call(operation: string, variables: Record<string, unknown>): Promise<Data> {
    let last = '';
    return withRetries(
      SHOP_CALL,
      async () => {
        let answer: GraphQLAnswer;
        try {
          answer = (await this.client.request(operation, { variables })) as GraphQLAnswer;
        } catch (err) {
          last = (err as Error).message;
          return AGAIN;
        }
        const errors = answer.errors;
        if (!errors) return answer.data ?? {};
        const throttled = errors.graphQLErrors?.some((e) => e.extensions?.code === 'THROTTLED');
        const status = errors.networkStatusCode;
        last = throttled
          ? 'throttled (THROTTLED)'
          : `${status ?? 'network'}: ${errors.graphQLErrors?.map((e) => e.message).join('; ') || errors.message}`;
        if (throttled || status === undefined || isRetryableStatus(status)) return AGAIN;
        throw new ShopError(`Shopify refused the call: ${last}`, false);
      },
      () => new ShopError(`Shopify did not answer in ${SHOP_CALL.attempts} tries: ${last}`, true),
    );
  }

  private async lookup(code: string): Promise<string | undefined> {
    const data = await this.call(LOOKUP, { code });
    return data.codeDiscountNodeByCode?.id ?? undefined;
  }

  async ensureDiscount(discount: ShopDiscount, customer: ShopCustomer) {
    if (customer.platform !== 'shopify') throw new ShopError('a Shopify discount needs a Shopify customer', false);
    // Looked up first: a redelivered event, or a retry after a lost answer, finds the one it made.
    const existing = await this.lookup(discount.code);
    if (existing) return { discountId: existing, created: false };
    const { mutation, input } = shopifyDiscountInput(discount, customer);
    const data =
      mutation === 'basic'
        ? (await this.call(CREATE_BASIC, { basicCodeDiscount: input })).discountCodeBasicCreate
        : (await this.call(CREATE_FREE_SHIPPING, { freeShippingCodeDiscount: input })).discountCodeFreeShippingCreate;
    const userErrors = (data?.userErrors ?? []) as UserError[];
    if (userErrors.length === 0 && data?.codeDiscountNode?.id) return { discountId: data.codeDiscountNode.id as string, created: true };
    // Another push made it between the lookup and the create: the code is unique in the shop, so that one is ours.
    if (userErrors.some((e) => e.code === 'TAKEN' || /must be unique|already exists/i.test(e.message))) {
      const raced = await this.lookup(discount.code);
      if (raced) return { discountId: raced, created: false };
    }
    throw new ShopError(
      `Shopify refused the discount: ${userErrors.map((e) => e.message).join('; ') || 'no discount in the answer'}`,
      false,
    );
  }

  async disableDiscount(code: string): Promise<'disabled' | 'not-found'> {
    const id = await this.lookup(code);
    if (!id) return 'not-found';
    const data = (await this.call(DEACTIVATE, { id })).discountCodeDeactivate;
    const userErrors = (data?.userErrors ?? []) as UserError[];
    if (userErrors.length) throw new ShopError(`Shopify refused to deactivate: ${userErrors.map((e) => e.message).join('; ')}`, false);
    return 'disabled';
  }
}
