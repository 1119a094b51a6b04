/**
 * What a redeemed reward becomes in a shop's checkout, as pure rules: which shop
 * holds the member (one per code, so the code view names one), and the discount
 * the code stands for. docs/shops.md "What a reward becomes" is the table of this.
 */
import { normalizeEmail, type Member } from './member';
import type { RewardCode } from './rewards';

export const SHOP_PLATFORMS = ['shopify', 'woocommerce'] as const;
export type ShopPlatform = (typeof SHOP_PLATFORMS)[number];

export const SHOP_SYNC_STATUSES = ['pending', 'created', 'failed', 'disabled'] as const;
export type ShopSyncStatus = (typeof SHOP_SYNC_STATUSES)[number];

/** The value of a shop discount, in the club's words; the clients turn it into each shop's fields. */
export type ShopDiscountValue =
  | { readonly kind: 'amount-off'; readonly amount: string }
  | { readonly kind: 'percent-off'; readonly percent: number }
  | { readonly kind: 'free-shipping' }
  | { readonly kind: 'free-product'; readonly productId: string };

/** The discount one code becomes: usable once, by one customer, until the code expires. */
export interface ShopDiscount {
  readonly code: string;
  /** The merchant's name for it in the shop's admin. */
  readonly title: string;
  readonly value: ShopDiscountValue;
  readonly startsAt: string;
  readonly endsAt: string;
}

/** Who the discount is for, in the shop's own terms. */
export type ShopCustomer =
  | { readonly platform: 'shopify'; readonly customerId: string }
  | { readonly platform: 'woocommerce'; readonly email: string };

/** The discount a code becomes, or undefined for a reward that is not a discount (a tier-up) or lacks its value. */
export function shopDiscountFor(code: RewardCode): ShopDiscount | undefined {
  const r = code.reward;
  const value: ShopDiscountValue | undefined =
    r.kind === 'fixed-discount' && r.amount
      ? { kind: 'amount-off', amount: r.amount }
      : r.kind === 'percent-discount' && r.percent !== undefined
        ? { kind: 'percent-off', percent: r.percent }
        : r.kind === 'free-shipping'
          ? { kind: 'free-shipping' }
          : r.kind === 'free-product' && r.productId
            ? { kind: 'free-product', productId: r.productId }
            : undefined;
  if (!value) return undefined;
  return { code: code.code, title: `${r.name} (${code.code})`, value, startsAt: code.issuedAt, endsAt: code.expiresAt };
}

/**
 * The one shop a member's code goes to: Shopify when the member is a Shopify customer
 * there (a discount needs the customer's id), else WooCommerce when they have an email
 * (a coupon is restricted by email). Both connected and both known: Shopify, the shop
 * that can tie the discount to the customer's account rather than to an address.
 */
export function decideShopCustomer(
  member: Pick<Member, 'email' | 'externalIds'>,
  connected: { readonly shopify: boolean; readonly woocommerce: boolean },
): ShopCustomer | undefined {
  if (connected.shopify && member.externalIds.shopify) return { platform: 'shopify', customerId: member.externalIds.shopify };
  if (connected.woocommerce && member.email) return { platform: 'woocommerce', email: normalizeEmail(member.email) };
  return undefined;
}
