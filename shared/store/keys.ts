/**
 * Every key the club writes, in one place. docs/data-model.md is the map;
 * this is the code it describes. Nothing outside shared/store builds a key.
 */
import type { Claim } from '../domain/member';
import { namePartitionOf, type NameIndexEntry } from '../domain/names';
import { stableShard } from '../domain/shard';

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
/** The partitions a profile edit may delete items in: the identity claims it drops and the old name's index items. */
export const identityPartitionPrefixes = (): string[] => [...Object.values(CLAIM_PREFIX).map((p) => `${p}#`), NAME_PREFIX];

export const orderPk = (orderId: string) => `ORDER#${orderId}`;

/** Where a ledger entry lives is also its idempotency key: the Put is conditioned on it. */
export type EntryRef =
  | { readonly kind: 'earn'; readonly orderId: string }
  | { readonly kind: 'refund'; readonly orderId: string; readonly refundId: string }
  | { readonly kind: 'redeem'; readonly memberId: string; readonly key: string }
  | { readonly kind: 'adjust'; readonly memberId: string; readonly key: string }
  | { readonly kind: 'bonus'; readonly memberId: string; readonly key: string }
  | { readonly kind: 'release'; readonly orderId: string }
  /**
   * A challenge's reward, keyed by challenge and period: once per grant (round 1, and
   * a new round only after a refund took the last one back), and its take-back once.
   */
  | {
      readonly kind: 'challenge';
      readonly memberId: string;
      readonly challengeId: string;
      readonly period: string;
      readonly round: number;
      readonly takeBack?: boolean;
    }
  /**
   * One per member and lot. `round` only for a lot that came back after its
   * expiry was written (an order reported long after it was paid): the member's
   * seq at that moment, so racing runs still agree on one key.
   */
  | { readonly kind: 'expire'; readonly memberId: string; readonly expiresAt: string; readonly round?: number };

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
      return { pk: memberPk(ref.memberId), sk: `EXPIRE#${ref.expiresAt}${ref.round === undefined ? '' : `#${ref.round}`}` };
    case 'release':
      return { pk: orderPk(ref.orderId), sk: 'RELEASE' };
    case 'challenge':
      return {
        pk: memberPk(ref.memberId),
        sk: `CHREWARD#${ref.challengeId}#${ref.period}#${ref.round}${ref.takeBack ? '#BACK' : ''}`,
      };
  }
}

/** Ledger index: a member's entries in the order they were applied. */
export const ledgerIndexKeys = (memberId: string, seq: number) => ({
  gsi1pk: memberPk(memberId),
  gsi1sk: `LEDGER#${String(seq).padStart(10, '0')}`,
});
/** A ledger index sort key as ledgerIndexKeys writes it (cursors are checked against it). */
export const isLedgerIndexSk = (value: unknown): value is string => typeof value === 'string' && /^LEDGER#\d{10}$/.test(value);

/**
 * A value DynamoDB accepts as a key attribute: a well-formed, non-empty string of at most
 * 2048 bytes (partition key) or 1024 bytes (sort key). A cursor that carries anything else
 * was not handed out by the club, and sending it on would be DynamoDB's 400 (our 500).
 */
export function isKeyValue(value: unknown, part: 'partition' | 'sort'): value is string {
  return (
    typeof value === 'string' &&
    value !== '' &&
    !/\p{Cs}/u.test(value) &&
    Buffer.byteLength(value, 'utf8') <= (part === 'partition' ? 2048 : 1024)
  );
}

/** Sparse expiry index: present only while the member holds points. */
export const expiryIndexKeys = (memberId: string, oldestExpiry: string) => ({
  gsi2pk: `EXPIRY#${oldestExpiry.slice(0, 7)}`,
  gsi2sk: `${oldestExpiry}#${memberId}`,
});
export const expiryIndexPk = (month: string) => `EXPIRY#${month}`;

/**
 * Sparse activity index: the day of the last purchase, spread over
 * ACTIVITY_SHARDS partitions by a hash of the member id. On a sale day most
 * buyers are first-of-day, and one `LASTBUY#<day>` partition takes at most
 * 1,000 writes a second (docs/scale.md). Fixed for good: the jobs read every
 * shard of a day, and a member's key moves only with their next purchase.
 */
export const ACTIVITY_SHARDS = 8;
export const activityIndexKeys = (memberId: string, lastPurchaseAt: string) => ({
  gsi3pk: `LASTBUY#${lastPurchaseAt.slice(0, 10)}#${stableShard(memberId, ACTIVITY_SHARDS)}`,
  gsi3sk: memberId,
});
/**
 * Every partition holding the members who last bought on the day: the shards,
 * and first the unsharded key that items written before the shards still carry
 * (until each such member buys again).
 */
export const activityIndexPks = (day: string): string[] => [
  `LASTBUY#${day}`,
  ...Array.from({ length: ACTIVITY_SHARDS }, (_, shard) => `LASTBUY#${day}#${shard}`),
];

/** Sparse birthday index: month-day. */
export const birthdayIndexKeys = (memberId: string, birthday: string) => ({
  gsi4pk: `BIRTHDAY#${birthday.slice(-5)}`,
  gsi4sk: memberId,
});
export const birthdayIndexPk = (monthDay: string) => `BIRTHDAY#${monthDay}`;

/** Sparse tier-review index: the UTC day a member's tier is kept until (base-tier members have none). */
export const tierReviewIndexKeys = (memberId: string, keptUntil: string) => ({
  gsi5pk: `TIERREVIEW#${keptUntil.slice(0, 10)}`,
  gsi5sk: memberId,
});
export const tierReviewIndexPk = (day: string) => `TIERREVIEW#${day}`;

/** The store's program: the current document and every version ever saved (docs/program.md). */
export const PROGRAM_PK = 'PROGRAM';
export const programCurrentKey = () => ({ pk: PROGRAM_PK, sk: 'CURRENT' });
export const programVersionKey = (version: number) => ({ pk: PROGRAM_PK, sk: `V#${String(version).padStart(9, '0')}` });
export const PROGRAM_VERSION_PREFIX = 'V#';

/**
 * Orders the program comes back to later, by day (gsi3, beside LASTBUY#): an
 * earn entry with pending points under RELEASE#<day of release>, one held back
 * by the pilot gate under PILOTHELD#<day of the order>. Jobs query only the
 * days they need, never the table.
 */
export type OrderDayIndex = 'release' | 'pilot-held';
const ORDER_DAY_PREFIX: Record<OrderDayIndex, string> = { release: 'RELEASE', 'pilot-held': 'PILOTHELD' };
export const orderDayIndexKeys = (index: OrderDayIndex, memberId: string, at: string) => ({
  gsi3pk: `${ORDER_DAY_PREFIX[index]}#${at.slice(0, 10)}`,
  gsi3sk: `${at}#${memberId}`,
});
export const orderDayIndexPk = (index: OrderDayIndex, day: string) => `${ORDER_DAY_PREFIX[index]}#${day}`;
export const orderIdOfPk = (pk: string) => pk.slice('ORDER#'.length);

/** Referral codes: the code's owner, and the member's code (both written once, together). */
export const referralCodeKey = (code: string) => ({ pk: `REFCODE#${code}`, sk: 'REFCODE' });
export const memberReferralKey = (memberId: string) => ({ pk: memberPk(memberId), sk: 'REFCODE' });
/** A member's progress in one challenge's period: the period in the key is what starts a repeating challenge fresh. */
export const challengeProgressKey = (memberId: string, challengeId: string, period: string) => ({
  pk: memberPk(memberId),
  sk: `CHALLENGE#${challengeId}#${period}`,
});
/** Once-only marks of the automations (reminder per lot, offer per lapse, welcome). */
export const onceKey = (memberId: string, mark: string) => ({ pk: memberPk(memberId), sk: `ONCE#${mark}` });

/** A message the notifier sent (or chose not to), one per event and channel. */
export const messageKey = (memberId: string, eventId: string, channel: string) => ({
  pk: memberPk(memberId),
  sk: `MESSAGE#${eventId}#${channel}`,
});

/** A member's notification consent, channel and language. */
export const notifyPrefsKey = (memberId: string) => ({ pk: memberPk(memberId), sk: 'NOTIFY_PREFS' });

/** Messages held back by quiet hours, bucketed by the hour they may go out. */
export const deferredPk = (hour: string) => `DEFERRED#${hour.slice(0, 13)}`;
export const deferredKey = (hour: string, memberId: string, eventId: string, channel: string) => ({
  pk: deferredPk(hour),
  sk: `${memberId}#${eventId}#${channel}`,
});

/** A reward code: its own item, found by the code the store types in. */
export const rewardCodeKey = (code: string) => ({ pk: `CODE#${code}`, sk: 'CODE' });
/** Unused codes that give points back when they expire, by expiry day (gsi3, beside LASTBUY#). */
export const codeExpiryIndexKeys = (code: string, expiresAt: string) => ({ gsi3pk: `CODEEXP#${expiresAt.slice(0, 10)}`, gsi3sk: code });
export const codeExpiryIndexPk = (day: string) => `CODEEXP#${day}`;
/** How many codes a reward issued, and how many one member got. */
export const rewardStockKey = (rewardId: string) => ({ pk: `REWARD#${rewardId}`, sk: 'STOCK' });
export const memberRewardKey = (memberId: string, rewardId: string) => ({ pk: memberPk(memberId), sk: `REWARDUSE#${rewardId}` });
/**
 * Webhook deliveries staff must see: one partition per status, so listing the
 * failed ones is a Query of DELIVERIES#failed (never a scan). Failures are rare
 * (poison, not traffic), so one partition holds them comfortably.
 */
export type DeliveryStatus = 'failed' | 'replayed' | 'dismissed';
/** Domain events the bus refused after a commit, kept until the republish job gets them through (rare: one partition). */
export const PARKED_EVENTS_PK = 'EVENTS#PARKED';
export const parkedEventKey = (occurredAt: string, eventId: string) => ({ pk: PARKED_EVENTS_PK, sk: `${occurredAt}#${eventId}` });
export const deliveriesPk = (status: DeliveryStatus) => `DELIVERIES#${status}`;
export const deliveryKey = (status: DeliveryStatus, id: string) => ({ pk: deliveriesPk(status), sk: `DELIVERY#${id}` });
export const DELIVERY_SK_PREFIX = 'DELIVERY#';

/** A shop event (Shopify's X-Shopify-Event-Id) already applied: redeliveries stop here. */
export const webhookEventKey = (source: string, eventId: string) => ({ pk: `EVENT#${source}#${eventId}`, sk: 'EVENT' });

/**
 * The member directory: one small item per member, written in the enrolment
 * transaction, in one of MEMBER_DIRECTORY_SHARDS partitions picked by a hash of
 * the id (so a bulk import spreads its writes). Listing every member is a Query
 * of each shard in turn, never a Scan (staff export, docs/cli.md).
 */
export const MEMBER_DIRECTORY_SHARDS = 16;
export const memberDirectoryShard = (memberId: string): number => stableShard(memberId, MEMBER_DIRECTORY_SHARDS);
export const memberDirectoryPk = (shard: number) => `MEMBERS#${String(shard).padStart(2, '0')}`;
export const memberDirectoryKey = (memberId: string) => ({ pk: memberDirectoryPk(memberDirectoryShard(memberId)), sk: memberId });

/**
 * Report counters (docs/reports.md): one item per shard and UTC day, added to by
 * the stream processor from the committed items (never by a request). The shard is in the
 * partition key so a busy day spreads over N partitions; a report queries each
 * shard's days and sums them.
 */
export const COUNTERS_PREFIX = 'COUNTERS#';
export const counterPk = (shard: number) => `${COUNTERS_PREFIX}${shard}`;
export const counterDaySk = (day: string) => `DAY#${day}`;
export const counterKey = (shard: number, day: string) => ({ pk: counterPk(shard), sk: counterDaySk(day) });
/**
 * A stream record whose counters were added (shared/store/report-store.ts): its own
 * partition, written in the same transaction as the counters, so a record the stream
 * delivers again counts nothing. Removed by TTL after the stream's 24 hours are long past.
 */
export const COUNTED_PREFIX = 'COUNTED#';
export const countedKey = (recordId: string) => ({ pk: `${COUNTED_PREFIX}${recordId}`, sk: 'COUNTED' });
export const dayOfCounterSk = (sk: string) => sk.slice('DAY#'.length);

/**
 * The sparse name index (staff search by name, docs/data-model.md): one item per
 * indexed word of a member's name (shared/domain/names.ts nameIndexEntries),
 * written and removed in the same transactions as the member's profile. The
 * partition is the word's first two letters; the sort key is the normalized
 * name from that word on, then the member id, so a prefix is a begins_with.
 */
const NAME_PREFIX = 'NAME#';
export const namePk = (word: string) => `${NAME_PREFIX}${namePartitionOf(word)}`;
export const nameIndexKey = (entry: NameIndexEntry, memberId: string) => ({ pk: namePk(entry.word), sk: `${entry.rotated}#${memberId}` });
/** The normalized name an index sort key holds (names have no '#' once normalized). */
export const nameOfIndexSk = (sk: string) => sk.slice(0, sk.indexOf('#'));

/**
 * Sign-in on the member page (shared/club/sign-in.ts): the one live code for a
 * phone or email (a new sign-in replaces it), and fixed rate-limit windows, one
 * item per scope, subject and window start. Both expire by the table's TTL.
 */
export type SignInChannel = 'phone' | 'email';
export const signInCodeKey = (channel: SignInChannel, address: string) => ({ pk: `SIGNIN#${channel}#${address}`, sk: 'CODE' });
/**
 * A member's code to confirm a new email or phone (shared/club/contact-change.ts): beside the
 * address's sign-in code but apart from it, one per member, so a sign-in to the address, or
 * another member asking for it, neither replaces this code nor can be verified with it.
 */
export const contactChangeCodeKey = (channel: SignInChannel, address: string, memberId: string) => ({
  pk: `SIGNIN#${channel}#${address}`,
  sk: `CHANGE#${memberId}`,
});
export const rateWindowKey = (scope: string, subject: string, windowStart: string) => ({
  pk: `RATE#${scope}#${subject}`,
  sk: `WINDOW#${windowStart}`,
});
/** A code's push to a shop: one item per (code, platform); its status in the sparse activity index, for staff's list. */
export const shopSyncKey = (code: string, platform: string) => ({ pk: `SHOPSYNC#${code}`, sk: `PLATFORM#${platform}` });
export const shopSyncPk = (code: string) => `SHOPSYNC#${code}`;
export const shopSyncStatusIndexPk = (status: string) => `SHOPSYNC#${status}`;
/**
 * A report range's bill from Cost Explorer, kept for the day it was read
 * (shared/store/bill-cache-store.ts): one partition, so the reports function's
 * write grant names it exactly (dynamodb:LeadingKeys); expires by the table's TTL.
 */
export const BILLED_COSTS_PK = 'BILLED';
export const billedCostsKey = (from: string, to: string, readOn: string) => ({ pk: BILLED_COSTS_PK, sk: `${from}#${to}#${readOn}` });
