/**
 * The report counters are derived from the table's stream, like the domain
 * events: a request commits only its own items (the ledger entry, the member),
 * and the stream processor adds each committed item's counters once
 * (shared/store/report-store.ts keeps the "once"). Pure: one stream record in,
 * the counter deltas it adds out (docs/reports.md lists them).
 *
 * Each item carries what its counters need: a ledger entry its member's order
 * history before it and the challenges it started, a member its join and last
 * profile edit times, a preferences item when it was saved.
 */
import type { DynamoDBRecord } from 'aws-lambda';
import type { LedgerEntry } from '../domain/ledger';
import type { Member } from '../domain/member';
import {
  consentCounters,
  countersFor,
  enrolmentCounters,
  profileCounters,
  withChallengeStarts,
  type CounterDelta,
} from '../domain/report-counters';
import { defaultPrefs } from '../notify/notifier';
import type { NotifyPrefs } from '../store/automation-store';
import { imagesOf, type StreamItemType } from './stream-events';

/** When the stream saw the change (seconds), for an item that doesn't say: never expected, kept so nothing is dropped. */
const seenAt = (record: DynamoDBRecord) =>
  new Date((record.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000) * 1000).toISOString();

export function countersFromStreamRecord(record: DynamoDBRecord): CounterDelta[] {
  const { next, prev } = imagesOf(record);
  // A removed item (an erased member, an expired item) takes nothing back: the counters are what happened.
  if (!next) return [];
  switch (next.itemType as StreamItemType | undefined) {
    case 'ledger-entry': {
      // An entry is written once (its Put's condition); a later update (a release) is no new fact.
      if (record.eventName !== 'INSERT') return [];
      const entry = next as unknown as LedgerEntry;
      return [withChallengeStarts(countersFor(entry, entry.priorOrders ?? {}), entry.challengesStarted ?? [])];
    }
    case 'member': {
      const member = next as unknown as Member;
      if (record.eventName === 'INSERT') return [enrolmentCounters(member)];
      if (!prev) return [];
      const delta = profileCounters(prev as unknown as Member, member, member.profileEditedAt ?? seenAt(record));
      return delta ? [delta] : [];
    }
    case 'notify-prefs': {
      const after = next as unknown as NotifyPrefs;
      // Nothing saved before is the defaults: SMS and email allowed, no offers.
      const before = record.eventName === 'INSERT' || !prev ? defaultPrefs(after.memberId) : (prev as unknown as NotifyPrefs);
      const delta = consentCounters(before, after, after.updatedAt ?? seenAt(record));
      return delta ? [delta] : [];
    }
    default:
      return [];
  }
}
