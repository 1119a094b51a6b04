/**
 * The table's stream is the club's outbox: every domain event about a committed
 * change is read off the items the change committed, never published beside the
 * commit, so a process that dies between its commit and its publish loses
 * nothing. Pure: one stream record in, its events out, with the same ids the
 * club has always used (subscribers dedupe on them; the stream delivers at least once).
 *
 * The stream carries NEW_AND_OLD_IMAGES: a ledger entry or an issued code is
 * told by its new image alone, but a closed code and a tier review are changes
 * of an existing item, told by what it was before.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { LedgerEntry } from '../domain/ledger';
import type { Member } from '../domain/member';
import type { RewardCode } from '../domain/rewards';
import {
  challengeCompletedEvent,
  ledgerEvent,
  rewardCancelledEvent,
  rewardIssuedEvent,
  tierChangedEvent,
  tierReviewedEvent,
  type DomainEvent,
} from './events';

type Image = Record<string, unknown> & { readonly itemType?: string };

/**
 * The items whose changes tell an event or a report counter: the stream's event source
 * mapping passes only these to the processor (infra/constructs/event-stream.ts), so the
 * processor's own counter writes, claims, indexes and TTL removals never invoke it.
 * The derivations switch on this type: a new case must be added here first.
 */
export const STREAM_ITEM_TYPES = ['ledger-entry', 'member', 'reward-code', 'notify-prefs'] as const;
export type StreamItemType = (typeof STREAM_ITEM_TYPES)[number];

const imageOf = (image: Record<string, unknown> | undefined): Image | undefined =>
  image ? (unmarshall(image as Record<string, AttributeValue>) as Image) : undefined;

/** A record's item as it is after the change (none when removed) and before it (none when new). */
export const imagesOf = (record: DynamoDBRecord) => ({
  next: imageOf(record.dynamodb?.NewImage),
  prev: imageOf(record.dynamodb?.OldImage),
});

export function eventsFromStreamRecord(record: DynamoDBRecord): DomainEvent[] {
  const { next, prev } = imagesOf(record);
  if (!next) return [];
  switch (next.itemType as StreamItemType | undefined) {
    case 'ledger-entry': {
      // An entry is written once (its Put's condition); a later update (a release) is no new fact.
      if (record.eventName !== 'INSERT') return [];
      const entry = next as unknown as LedgerEntry;
      const tier = tierChangedEvent(entry);
      const met = entry.challengeCompleted;
      const challenge =
        met && entry.challengeId && entry.period
          ? challengeCompletedEvent(entry, { id: entry.challengeId, period: entry.period, ...met })
          : undefined;
      return [ledgerEvent(entry), ...(tier ? [tier] : []), ...(challenge ? [challenge] : [])];
    }
    case 'member': {
      if (record.eventName !== 'MODIFY' || !prev) return [];
      const before = prev as unknown as Member;
      const after = next as unknown as Member;
      const moved = tierReviewedEvent(
        after.memberId,
        before.tier,
        { tier: after.tier, tierHistory: after.tierHistory ?? [] },
        after.balance,
      );
      return moved ? [moved] : [];
    }
    case 'reward-code': {
      const code = next as unknown as RewardCode;
      if (record.eventName === 'INSERT') return [rewardIssuedEvent(code)];
      if (record.eventName === 'MODIFY' && code.refundedAt && !prev?.refundedAt) return [rewardCancelledEvent(code)];
      return [];
    }
    default:
      return [];
  }
}
