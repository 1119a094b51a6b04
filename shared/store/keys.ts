/**
 * Every key the club writes, in one place. docs/data-model.md is the map;
 * this is the code it describes. Nothing outside shared/store builds a key.
 */
import type { Claim } from '../domain/member';

export const MEMBER_SK = 'MEMBER';
export const CLAIM_SK = 'CLAIM';

export const memberPk = (memberId: string) => `MEMBER#${memberId}`;
export const memberKey = (memberId: string) => ({ pk: memberPk(memberId), sk: MEMBER_SK });

const CLAIM_PREFIX: Record<Claim['kind'], string> = {
  email: 'EMAIL',
  phone: 'PHONE',
  shopify: 'SHOPIFY',
  woocommerce: 'WOOCOMMERCE',
};
export const claimKey = (claim: Claim) => ({ pk: `${CLAIM_PREFIX[claim.kind]}#${claim.value}`, sk: CLAIM_SK });

export const orderPk = (orderId: string) => `ORDER#${orderId}`;

/** Where a ledger entry lives is also its idempotency key: the Put is conditioned on it. */
export type EntryRef =
  | { readonly kind: 'earn'; readonly orderId: string }
  | { readonly kind: 'refund'; readonly orderId: string; readonly refundId: string }
  | { readonly kind: 'redeem'; readonly memberId: string; readonly key: string }
  | { readonly kind: 'adjust'; readonly memberId: string; readonly key: string }
  | { readonly kind: 'bonus'; readonly memberId: string; readonly key: string }
  | { readonly kind: 'expire'; readonly memberId: string; readonly expiresAt: string };

export function entryKey(ref: EntryRef): { pk: string; sk: string } {
  switch (ref.kind) {
    case 'earn':
      return { pk: orderPk(ref.orderId), sk: 'EARN' };
    case 'refund':
      return { pk: orderPk(ref.orderId), sk: `REFUND#${ref.refundId}` };
    case 'redeem':
      return { pk: memberPk(ref.memberId), sk: `REDEEM#${ref.key}` };
    case 'adjust':
      return { pk: memberPk(ref.memberId), sk: `ADJUST#${ref.key}` };
    case 'bonus':
      return { pk: memberPk(ref.memberId), sk: `BONUS#${ref.key}` };
    case 'expire':
      return { pk: memberPk(ref.memberId), sk: `EXPIRE#${ref.expiresAt}` };
  }
}

/** Ledger index: a member's entries in the order they were applied. */
export const ledgerIndexKeys = (memberId: string, seq: number) => ({
  gsi1pk: memberPk(memberId),
  gsi1sk: `LEDGER#${String(seq).padStart(10, '0')}`,
});

/** Sparse expiry index: present only while the member holds points. */
export const expiryIndexKeys = (memberId: string, oldestExpiry: string) => ({
  gsi2pk: `EXPIRY#${oldestExpiry.slice(0, 7)}`,
  gsi2sk: `${oldestExpiry}#${memberId}`,
});
export const expiryIndexPk = (month: string) => `EXPIRY#${month}`;

/** Sparse activity index: the day of the last purchase. */
export const activityIndexKeys = (memberId: string, lastPurchaseAt: string) => ({
  gsi3pk: `LASTBUY#${lastPurchaseAt.slice(0, 10)}`,
  gsi3sk: memberId,
});
export const activityIndexPk = (day: string) => `LASTBUY#${day}`;

/** Sparse birthday index: month-day. */
export const birthdayIndexKeys = (memberId: string, birthday: string) => ({
  gsi4pk: `BIRTHDAY#${birthday.slice(-5)}`,
  gsi4sk: memberId,
});
export const birthdayIndexPk = (monthDay: string) => `BIRTHDAY#${monthDay}`;

/**
 * Webhook deliveries staff must see: one partition per status, so listing the
 * failed ones is a Query of DELIVERIES#failed (never a scan). Failures are rare
 * (poison, not traffic), so one partition holds them comfortably.
 */
export type DeliveryStatus = 'failed' | 'replayed';
export const deliveriesPk = (status: DeliveryStatus) => `DELIVERIES#${status}`;
export const deliveryKey = (status: DeliveryStatus, id: string) => ({ pk: deliveriesPk(status), sk: `DELIVERY#${id}` });
export const DELIVERY_SK_PREFIX = 'DELIVERY#';

/** A shop event (Shopify's X-Shopify-Event-Id) already applied: redeliveries stop here. */
export const webhookEventKey = (source: string, eventId: string) => ({ pk: `EVENT#${source}#${eventId}`, sk: 'EVENT' });
