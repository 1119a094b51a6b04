import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import { AGAIN, AGAIN_NOW, withRetries, type RetryPolicy } from '../retry';
import type { ChallengeProgress } from '../domain/challenges';
import type { LedgerEntry } from '../domain/ledger';
import { nextExpiry } from '../domain/lots';
import { claimsOf, sameClaim, type Claim, type Member, type ProgramState } from '../domain/member';
import { nameIndexEntries } from '../domain/names';
import type { BalanceUpdate } from '../domain/rules';
import type { BalanceSideEffects, ClubStore, CommitOutcome, LedgerPage, NewMember, OrderEntries, OrderOnDay } from './club-store';
import {
  activityIndexKeys,
  activityIndexPks,
  challengeProgressKey,
  birthdayIndexKeys,
  tierReviewIndexKeys,
  claimKey,
  codeExpiryIndexKeys,
  entryKey,
  isKeyValue,
  isLedgerIndexSk,
  memberRewardKey,
  rewardCodeKey,
  rewardStockKey,
  expiryIndexKeys,
  ledgerIndexKeys,
  memberDirectoryKey,
  memberKey,
  memberPk,
  nameIndexKey,
  orderIdOfPk,
  orderPk,
  orderDayIndexKeys,
  orderDayIndexPk,
  type OrderDayIndex,
  type EntryRef,
} from './keys';
import { INDEXES } from './table-definition';
import { TRANSACTION_ITEMS } from './client';
import { batchGetItems } from './batch-get';
import { cancellationReasons, failedCheck } from './write-errors';
import { countersFor } from '../domain/report-counters';

type Item = Record<string, unknown>;

/** Optional fields of a BalanceUpdate written only when the decision sets them. */
const PROGRAM_STATE_FIELDS = [
  'earnDays',
  'tierPoints',
  'tierSpend',
  'tier',
  'tierSince',
  'tierKeptUntil',
  'tierHistory',
  'pending',
  'profileBonusSettled',
] as const satisfies readonly (keyof BalanceUpdate)[];
type TransactItems = NonNullable<TransactWriteCommandInput['TransactItems']>;

const KEY_FIELDS = [
  'pk',
  'sk',
  'gsi1pk',
  'gsi1sk',
  'gsi2pk',
  'gsi2sk',
  'gsi3pk',
  'gsi3sk',
  'gsi4pk',
  'gsi4sk',
  'gsi5pk',
  'gsi5sk',
  'itemType',
];

function stripKeys<T>(item: Item): T {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_FIELDS.includes(k)) out[k] = v;
  return out as T;
}

/** A member item as the club's Member (keys stripped); the member directory reads them too. */
export function toMember(item: Item): Member {
  const m = stripKeys<Member>(item);
  return { ...m, externalIds: m.externalIds ?? {}, lots: m.lots ?? [] };
}

function memberItem(member: Member): Item {
  // Keyed on the soonest expiry: a member whose points never expire is off the index.
  const oldest = nextExpiry(member.lots);
  return {
    ...memberKey(member.memberId),
    itemType: 'member',
    ...member,
    ...(oldest ? expiryIndexKeys(member.memberId, oldest) : {}),
    ...(member.lastPurchaseAt ? activityIndexKeys(member.memberId, member.lastPurchaseAt) : {}),
    ...(member.birthday ? birthdayIndexKeys(member.memberId, member.birthday) : {}),
    ...(member.tierKeptUntil ? tierReviewIndexKeys(member.memberId, member.tierKeptUntil) : {}),
  };
}

function ledgerEntryItem(ref: EntryRef, memberId: string, entry: LedgerEntry): Item {
  return {
    ...entryKey(ref),
    ...ledgerIndexKeys(memberId, entry.seq),
    ...(entry.releaseAt && (entry.pendingPoints ?? 0) > 0 && orderDayIndexKeys('release', memberId, entry.releaseAt)),
    ...(entry.heldByPilot && orderDayIndexKeys('pilot-held', memberId, entry.at)),
    itemType: 'ledger-entry',
    ...entry,
  };
}

/** Keeps the tier-review index on the day the tier is kept until, or off it for the base tier. */
function tierReviewIndexUpdate(
  memberId: string,
  keptUntil: string | null | undefined,
  sets: string[],
  removes: string[],
  values: Item,
): void {
  if (keptUntil === undefined) return;
  if (keptUntil === null) {
    removes.push('gsi5pk', 'gsi5sk');
    return;
  }
  const k = tierReviewIndexKeys(memberId, keptUntil);
  sets.push('gsi5pk = :g5pk', 'gsi5sk = :g5sk');
  values[':g5pk'] = k.gsi5pk;
  values[':g5sk'] = k.gsi5sk;
}

/** An enrolment cancelled only by a concurrent transaction on one of its items (a name index word) is sent again. */
const TRANSACTION_CONFLICTS: RetryPolicy = { attempts: 10, baseMs: 10, capMs: 100 };

/** Ledger entries a code listing reads per Query, and Queries per request (listIssuedCodes). */
const CODE_SCAN_PAGE = 100;
const MAX_CODE_SCAN_PAGES = 5;

/** Cursor: the ledger index position, opaque to clients, checked on the way back. */
function encodeCursor(memberId: string, key: Item): string {
  return Buffer.from(JSON.stringify({ m: memberId, s: key.gsi1sk, k: key.sk, p: key.pk })).toString('base64url');
}

export function decodeLedgerCursor(memberId: string, cursor: string): Item {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    // Every field is a key value DynamoDB accepts: an empty or oversized one would be its 400, our 500.
    if (c && c.m === memberId && isLedgerIndexSk(c.s) && isKeyValue(c.k, 'sort') && isKeyValue(c.p, 'partition')) {
      return { gsi1pk: memberPk(memberId), gsi1sk: c.s, pk: c.p, sk: c.k };
    }
  } catch {
    // fall through to the refusal below
  }
  throw new DomainError('INVALID_CURSOR', 'cursor is not one this API returned for this member', [
    { path: 'cursor', message: 'unknown cursor' },
  ]);
}

export class DynamoClubStore implements ClubStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A claim is taken only if nobody holds it: the uniqueness of emails, phones and shop ids. */
  private claimPut(claim: Claim, memberId: string) {
    return {
      Put: {
        TableName: this.tableName,
        Item: { ...claimKey(claim), itemType: 'claim', memberId, kind: claim.kind },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  /** The name index items of a member's name (none without a name): unconditioned Puts, keyed by member. */
  private namePuts(memberId: string, name: string | undefined) {
    return nameIndexEntries(name).map((entry) => ({
      Put: { TableName: this.tableName, Item: { ...nameIndexKey(entry, memberId), itemType: 'name-index', memberId, name } },
    }));
  }

  /** Name index writes for a rename: Put every new word's item, Delete the old ones the new name doesn't keep. */
  private nameChanges(memberId: string, before: string | undefined, after: string | undefined) {
    if (before === after) return [];
    const puts = this.namePuts(memberId, after);
    // A key the new name keeps is overwritten by its Put (one operation per item in a transaction).
    const kept = new Set(puts.map((p) => `${p.Put.Item.pk}\n${p.Put.Item.sk}`));
    const deletes = nameIndexEntries(before)
      .map((entry) => nameIndexKey(entry, memberId))
      .filter((key) => !kept.has(`${key.pk}\n${key.sk}`))
      .map((key) => ({ Delete: { TableName: this.tableName, Key: key } }));
    return [...deletes, ...puts];
  }

  /** Runs a transaction; a cancellation comes back as the per-item reasons instead of an exception. */
  private async transact(items: TransactItems): Promise<(CancellationReason | undefined)[] | undefined> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return undefined;
    } catch (err) {
      const reasons = cancellationReasons(err);
      // Throttling is the caller's retry (503), not an answer about our conditions.
      if (!reasons || reasons.some((r) => r?.Code === 'ThrottlingError' || r?.Code === 'ProvisionedThroughputExceeded')) throw err;
      return reasons;
    }
  }

  async getMember(memberId: string): Promise<Member | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: memberKey(memberId), ConsistentRead: true }));
    return out.Item ? toMember(out.Item) : undefined;
  }

  async createMember(member: Member) {
    const claims = claimsOf(member);
    let lost: unknown[] = [];
    return withRetries(
      TRANSACTION_CONFLICTS,
      async () => {
        const reasons = await this.transact([
          { Put: { TableName: this.tableName, Item: memberItem(member), ConditionExpression: 'attribute_not_exists(pk)' } },
          ...claims.map((claim) => this.claimPut(claim, member.memberId)),
          // After the claims, so their reasons keep their places; it fails only with the member Put.
          this.directoryPut(member),
          // The name index (at most NAME_INDEX_WORDS items) commits with the member, so a refused enrolment leaves none.
          ...this.namePuts(member.memberId, member.name),
        ]);
        if (!reasons) return 'created' as const;
        if (failedCheck(reasons[0])) return { conflict: 'member' as const };
        const i = reasons.slice(1, 1 + claims.length).findIndex(failedCheck);
        if (i >= 0) return { conflict: claims[i]! };
        lost = reasons;
        if (reasons.some((r) => r?.Code === 'TransactionConflict')) return AGAIN;
        throw new Error(`enrolment of ${member.memberId} cancelled: ${JSON.stringify(reasons)}`);
      },
      () => new Error(`enrolment of ${member.memberId} cancelled: ${JSON.stringify(lost)}`),
    );
  }

  /** A new member's directory item: the member list finds it (keys.ts memberDirectoryKey). */
  private directoryPut(member: Member) {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...memberDirectoryKey(member.memberId),
          itemType: 'member-directory',
          memberId: member.memberId,
          joinedAt: member.joinedAt,
        },
      },
    };
  }

  /**
   * Several members per transaction: each member's items (the member, its claims, the
   * directory and name index items, the opening entry). A cancellation names the items
   * whose condition failed: their members go 'alone' and the rest are sent again.
   */
  async createMembers(batch: readonly NewMember[], shouldStop: () => boolean = () => false): Promise<('created' | 'alone')[]> {
    const outcome: ('created' | 'alone')[] = batch.map(() => 'alone');
    // A member already there (a resumed or repeated file) would only cancel its transaction: one
    // BatchGet of the member keys leaves those out, so a repeat costs reads, not failed transactions.
    const there = new Set(
      (
        await batchGetItems(
          this.db,
          this.tableName,
          batch.map((nm) => memberKey(nm.member.memberId)),
          { projection: 'pk' },
        )
      ).map((i) => String(i.pk)),
    );
    const rows = batch
      .map((nm, i) => ({ i, nm, items: this.newMemberItems(nm) }))
      .filter((r) => !there.has(memberKey(r.nm.member.memberId).pk));
    let chunk: typeof rows = [];
    let items = 0;
    // As many members as DynamoDB's 100 items take, about 14. Measured (issue #19, docs/cli.md): DynamoDB
    // Local commits each request once to SQLite on one thread, so half the transactions of 50 took an on-disk
    // import from 32 to 39 rows/s; on AWS one takes well under a second, inside the 3 s a request keeps back.
    for (const row of rows) {
      if (chunk.length > 0 && items + row.items.length > TRANSACTION_ITEMS) {
        await this.commitNewMembers(chunk, outcome, shouldStop);
        chunk = [];
        items = 0;
      }
      chunk.push(row);
      items += row.items.length;
    }
    if (chunk.length > 0) await this.commitNewMembers(chunk, outcome, shouldStop);
    return outcome;
  }

  private newMemberItems({ member, opening }: NewMember): TransactItems {
    return [
      { Put: { TableName: this.tableName, Item: memberItem(member), ConditionExpression: 'attribute_not_exists(pk)' } },
      ...claimsOf(member).map((claim) => this.claimPut(claim, member.memberId)),
      ...(opening
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: ledgerEntryItem(opening.ref, member.memberId, opening.entry),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      this.directoryPut(member),
      ...this.namePuts(member.memberId, member.name),
    ];
  }

  private async commitNewMembers(
    rows: readonly { i: number; items: TransactItems }[],
    outcome: ('created' | 'alone')[],
    shouldStop: () => boolean,
  ): Promise<void> {
    let pending = rows;
    const gaveUp = new Error('batch enrolment kept conflicting');
    try {
      await withRetries(
        TRANSACTION_CONFLICTS,
        async () => {
          // Asked before every attempt: a request near its deadline sends no more (those members go alone, then not-attempted).
          if (pending.length === 0 || shouldStop()) return;
          const reasons = await this.transact(pending.flatMap((r) => r.items));
          if (!reasons) {
            for (const r of pending) outcome[r.i] = 'created';
            return;
          }
          let at = 0;
          const refused = new Set<number>();
          for (const r of pending) {
            if (reasons.slice(at, at + r.items.length).some(failedCheck)) refused.add(r.i);
            at += r.items.length;
          }
          if (refused.size > 0) {
            pending = pending.filter((r) => !refused.has(r.i));
            return AGAIN_NOW;
          }
          if (reasons.some((r) => r?.Code === 'TransactionConflict')) return AGAIN;
          // Anything else: every member of it goes alone, where the answer is exact.
          pending = [];
          return;
        },
        () => gaveUp,
      );
    } catch {
      // Kept conflicting, throttled, out of time, or no answer (it may have committed): the
      // members of it go alone, where a committed one is found again and answered as such.
    }
  }

  async updateProfile(member: Member, next: Member, at: string) {
    const before = claimsOf(member);
    const after = claimsOf(next);
    const added = after.filter((c) => !before.some((b) => sameClaim(b, c)));
    const dropped = before.filter((c) => !after.some((a) => sameClaim(a, c)));
    // When it was edited: the day the stream counts a profile completed or broken on (docs/reports.md).
    const item = memberItem({ ...next, profileVersion: member.profileVersion + 1, profileEditedAt: at });
    const fields = [
      'email',
      'phone',
      'name',
      'birthday',
      'channel',
      'referredBy',
      'tags',
      'externalIds',
      'profileVersion',
      'profileEditedAt',
      'gsi4pk',
      'gsi4sk',
    ];
    const sets: string[] = [];
    const removes: string[] = [];
    const names: Record<string, string> = { '#pv': 'profileVersion' };
    const values: Item = { ':pv': member.profileVersion };
    fields.forEach((f, i) => {
      names[`#f${i}`] = f;
      if (item[f] === undefined) removes.push(`#f${i}`);
      else {
        sets.push(`#f${i} = :f${i}`);
        values[`:f${i}`] = item[f];
      }
    });
    const reasons = await this.transact([
      {
        Update: {
          TableName: this.tableName,
          Key: memberKey(member.memberId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          ConditionExpression: '#pv = :pv',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      ...added.map((claim) => this.claimPut(claim, member.memberId)),
      ...dropped.map((claim) => ({
        Delete: {
          TableName: this.tableName,
          Key: claimKey(claim),
          ConditionExpression: 'memberId = :m',
          ExpressionAttributeValues: { ':m': member.memberId },
        },
      })),
      // After the claims, so their reasons keep their places; unconditioned.
      ...this.nameChanges(member.memberId, member.name, next.name),
    ]);
    if (!reasons) return 'updated' as const;
    if (failedCheck(reasons[0])) return 'member-changed' as const;
    const i = reasons.slice(1, 1 + added.length).findIndex(failedCheck);
    if (i >= 0) return { conflict: added[i]! };
    // A claim we meant to drop moved under us, or a conflict: read again.
    return 'member-changed' as const;
  }

  async findMemberIdByClaim(claim: Claim): Promise<string | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: claimKey(claim) }));
    return out.Item?.memberId as string | undefined;
  }

  async getEntry(ref: EntryRef): Promise<LedgerEntry | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: entryKey(ref), ConsistentRead: true }));
    return out.Item ? stripKeys<LedgerEntry>(out.Item) : undefined;
  }

  /** Every item a query matches, page after page. */
  private async queryAll(input: Omit<QueryCommandInput, 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const out = await this.db.send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async getOrderEntries(orderId: string): Promise<OrderEntries> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': orderPk(orderId) },
      ConsistentRead: true,
    });
    const earn = items.find((i) => i.sk === 'EARN');
    return {
      earn: earn ? stripKeys<LedgerEntry>(earn) : undefined,
      refunds: items.filter((i) => String(i.sk).startsWith('REFUND#')).map((i) => stripKeys<LedgerEntry>(i)),
    };
  }

  async commitBalanceChange(
    member: Member,
    ref: EntryRef,
    entry: LedgerEntry,
    next: BalanceUpdate,
    effects: BalanceSideEffects = {},
  ): Promise<CommitOutcome> {
    const oldest = nextExpiry(next.lots);
    const sets = ['balance = :balance', 'lots = :lots', 'lifetimePoints = :lifetime', 'seq = :next'];
    const removes: string[] = [];
    const names: Record<string, string> = {};
    const values: Item = {
      ':balance': next.balance,
      ':lots': next.lots,
      ':lifetime': next.lifetimePoints,
      ':seq': member.seq,
      ':next': entry.seq,
    };
    if (oldest) {
      const k = expiryIndexKeys(member.memberId, oldest);
      sets.push('gsi2pk = :g2pk', 'gsi2sk = :g2sk');
      values[':g2pk'] = k.gsi2pk;
      values[':g2sk'] = k.gsi2sk;
    } else {
      removes.push('gsi2pk', 'gsi2sk');
    }
    // The program's member state (tier, day totals) rides in the same transaction as the points.
    PROGRAM_STATE_FIELDS.forEach((field, i) => {
      if (next[field] === undefined) return;
      sets.push(`#p${i} = :p${i}`);
      names[`#p${i}`] = field;
      values[`:p${i}`] = next[field];
    });
    tierReviewIndexUpdate(member.memberId, next.tierKeptUntil, sets, removes, values);
    if (next.lastActivityAt) {
      sets.push('lastActivityAt = :activity');
      values[':activity'] = next.lastActivityAt;
    }
    if (next.lastPurchaseAt) {
      const k = activityIndexKeys(member.memberId, next.lastPurchaseAt);
      sets.push('lastPurchaseAt = :purchase', 'gsi3pk = :g3pk', 'gsi3sk = :g3sk');
      values[':purchase'] = next.lastPurchaseAt;
      values[':g3pk'] = k.gsi3pk;
      values[':g3sk'] = k.gsi3sk;
    }
    // The member's order history moves with each order; the entry keeps what it was before, and the
    // challenges it started, so the stream derives the entry's report counters from the entry alone.
    const history = countersFor(entry, member).history;
    if (history) {
      sets.push('orders = :orders', 'firstOrderAt = :firstOrder', 'lastOrderAt = :lastOrder');
      values[':orders'] = history.orders;
      values[':firstOrder'] = history.firstOrderAt;
      values[':lastOrder'] = history.lastOrderAt;
    }
    const counted: LedgerEntry = {
      ...entry,
      ...(history && member.orders && member.firstOrderAt && member.lastOrderAt
        ? { priorOrders: { orders: member.orders, firstOrderAt: member.firstOrderAt, lastOrderAt: member.lastOrderAt } }
        : {}),
      ...(effects.started?.length ? { challengesStarted: effects.started } : {}),
    };
    const extra = effects.entries ?? [];
    if (extra.length > 0) values[':next'] = extra[extra.length - 1]!.entry.seq;
    const challengeItems = [
      ...extra.map((e) => ({
        Put: {
          TableName: this.tableName,
          Item: ledgerEntryItem(e.ref, member.memberId, e.entry),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      // A challenge's catalog prize: its code (free, never in the refund-on-expiry index), or its cancel on a take-back.
      // The code item names its grant's entry and challenge, and a cancel its take-back's entry: the table's stream
      // tells reward.issued / reward.cancelled from the item alone (shared/events/stream-events.ts).
      ...extra.flatMap((e) =>
        e.issueCode
          ? [
              {
                Put: {
                  TableName: this.tableName,
                  Item: {
                    ...rewardCodeKey(e.issueCode.code),
                    itemType: 'reward-code',
                    ...e.issueCode,
                    redemptionId: e.entry.entryId,
                    ...(e.entry.challengeId !== undefined && { challengeId: e.entry.challengeId }),
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ]
          : [],
      ),
      ...extra.flatMap((e) =>
        e.cancelCode
          ? [
              {
                Update: {
                  TableName: this.tableName,
                  Key: rewardCodeKey(e.cancelCode.code),
                  UpdateExpression:
                    'SET refundedAt = :at, refundEntryId = :entry, cancelledAt = :at, cancelReason = :reason REMOVE gsi3pk, gsi3sk',
                  // Used or closed since it was read: the transaction fails and the change reads the code again.
                  ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(usedAt) AND attribute_not_exists(refundedAt)',
                  ExpressionAttributeValues: { ':at': e.cancelCode.at, ':entry': e.entry.entryId, ':reason': e.cancelCode.reason },
                },
              },
            ]
          : [],
      ),
      ...(effects.progress ?? []).map((p) => ({
        Put: {
          TableName: this.tableName,
          Item: { ...challengeProgressKey(member.memberId, p.challengeId, p.period), itemType: 'challenge-progress', ...p },
        },
      })),
    ];
    const reasons = await this.transact([
      {
        Put: {
          TableName: this.tableName,
          Item: ledgerEntryItem(ref, member.memberId, counted),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: memberKey(member.memberId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          // seq is the member's version: no write lands on a state it didn't read.
          ConditionExpression: 'seq = :seq',
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length > 0 && { ExpressionAttributeNames: names }),
        },
      },
      ...(effects.limits ?? []).map((l) => ({
        Update: {
          TableName: this.tableName,
          Key: l.counter === 'reward-stock' ? rewardStockKey(l.rewardId) : memberRewardKey(l.memberId ?? member.memberId, l.rewardId),
          UpdateExpression: 'ADD issued :one SET itemType = :type',
          ConditionExpression: 'attribute_not_exists(issued) OR issued < :limit',
          ExpressionAttributeValues: { ':one': 1, ':limit': l.limit, ':type': l.counter },
        },
      })),
      ...(effects.issueCode
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...rewardCodeKey(effects.issueCode.code),
                  itemType: 'reward-code',
                  ...effects.issueCode,
                  redemptionId: entry.entryId,
                  ...(effects.issueCode.reward.refundOnExpiry
                    ? codeExpiryIndexKeys(effects.issueCode.code, effects.issueCode.expiresAt)
                    : {}),
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      ...(effects.refundCode
        ? [
            {
              Update: {
                TableName: this.tableName,
                Key: rewardCodeKey(effects.refundCode.code),
                // Closed codes leave the refund index (CODEEXP#): the expiry job never sees them again.
                UpdateExpression: effects.refundCode.cancel
                  ? 'SET refundedAt = :at, refundEntryId = :entry, cancelledAt = :at, cancelReason = :reason REMOVE gsi3pk, gsi3sk'
                  : 'SET refundedAt = :at, refundEntryId = :entry REMOVE gsi3pk, gsi3sk',
                ConditionExpression: `attribute_exists(pk) AND attribute_not_exists(usedAt) AND attribute_not_exists(refundedAt)${
                  effects.refundCode.cancel ? ' AND expiresAt > :at' : ''
                }`,
                ExpressionAttributeValues: {
                  ':at': effects.refundCode.at,
                  ':entry': entry.entryId,
                  ...(effects.refundCode.cancel && { ':reason': effects.refundCode.cancel.reason }),
                },
              },
            },
          ]
        : []),
      // No condition: the code counted these when it was issued, so the counters exist and are ≥ 1.
      ...(effects.releaseLimits ?? []).map((l) => ({
        Update: {
          TableName: this.tableName,
          Key: l.counter === 'reward-stock' ? rewardStockKey(l.rewardId) : memberRewardKey(l.memberId ?? member.memberId, l.rewardId),
          UpdateExpression: 'ADD issued :minusOne',
          ExpressionAttributeValues: { ':minusOne': -1 },
        },
      })),
      ...challengeItems,
    ]);
    if (!reasons) return 'committed';
    if (failedCheck(reasons[0])) return 'entry-exists';
    if (failedCheck(reasons[1])) return 'member-changed';
    const limits = effects.limits ?? [];
    const over = limits.findIndex((_, i) => failedCheck(reasons[2 + i]));
    if (over >= 0) return { refused: limits[over]!.counter };
    let at = 2 + limits.length;
    // A code collision (100 random bits: in practice never) is retried with a new code.
    if (effects.issueCode && failedCheck(reasons[at++])) return 'member-changed';
    if (effects.refundCode && failedCheck(reasons[at])) return { refused: 'code-not-refundable' };
    // A reward key taken means the progress read was older than the member's: read both again (and a
    // prize code used or closed meanwhile, or a code collision, is read again the same way).
    if (reasons.some(failedCheck)) return 'member-changed';
    if (reasons.some((r) => r?.Code === 'TransactionConflict')) return 'member-changed';
    throw new Error(`balance change for ${member.memberId} cancelled: ${JSON.stringify(reasons)}`);
  }

  async getChallengeProgress(memberId: string, periods: readonly { challengeId: string; period: string }[]): Promise<ChallengeProgress[]> {
    if (periods.length === 0) return [];
    const items = await batchGetItems(
      this.db,
      this.tableName,
      periods.map((p) => challengeProgressKey(memberId, p.challengeId, p.period)),
      { consistent: true },
    );
    return items.map(({ pk: _pk, sk: _sk, itemType: _t, ...rest }) => rest as unknown as ChallengeProgress);
  }

  async revokePortalLinks(memberId: string, at: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: memberKey(memberId),
          UpdateExpression: 'SET portalLinksRevokedAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
      return true;
    } catch (err) {
      if ((err as { name?: string })?.name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async commitTierReview(member: Member, review: ProgramState): Promise<'committed' | 'member-changed'> {
    const sets = ['tier = :tier', 'tierKeptUntil = :kept', 'tierHistory = :history'];
    const removes: string[] = [];
    if (review.tierSince) sets.push('tierSince = :since');
    else removes.push('tierSince');
    const values: Item = {
      ':tier': review.tier,
      ...(review.tierSince && { ':since': review.tierSince }),
      ':kept': review.tierKeptUntil ?? null,
      ':history': review.tierHistory ?? [],
      ':seq': member.seq,
      ':reviewed': member.tierKeptUntil ?? null,
    };
    tierReviewIndexUpdate(member.memberId, review.tierKeptUntil ?? null, sets, removes, values);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: memberKey(member.memberId),
          UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
          // Only onto the state reviewed: an earn or another review in between decides again.
          ConditionExpression: 'seq = :seq AND tierKeptUntil = :reviewed',
          ExpressionAttributeValues: values,
        }),
      );
      return 'committed';
    } catch (err) {
      if ((err as { name?: string })?.name === 'ConditionalCheckFailedException') return 'member-changed';
      throw err;
    }
  }

  async membersLastBoughtOn(day: string): Promise<string[]> {
    const shards = await Promise.all(
      activityIndexPks(day).map((pk) =>
        this.queryAll({
          TableName: this.tableName,
          IndexName: INDEXES.activity.indexName,
          KeyConditionExpression: 'gsi3pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
        }),
      ),
    );
    return shards.flat().map((i) => String(i.gsi3sk));
  }

  async ordersOnDay(index: OrderDayIndex, day: string, until: string): Promise<OrderOnDay[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      IndexName: INDEXES.activity.indexName,
      KeyConditionExpression: 'gsi3pk = :pk AND gsi3sk <= :until',
      ExpressionAttributeValues: { ':pk': orderDayIndexPk(index, day), ':until': `${until}#\uffff` },
    });
    return items.map((i) => {
      const sk = String(i.gsi3sk);
      const cut = sk.indexOf('#');
      return { orderId: orderIdOfPk(String(i.pk)), at: sk.slice(0, cut), memberId: sk.slice(cut + 1) };
    });
  }

  /**
   * Read from the ledger rather than an index of its own: every redemption entry
   * carries its rewardCode, so codes issued before this listing existed are found
   * too, and a redemption writes nothing more. The filter costs the reads of the
   * member's other entries (~200 bytes each, 20 to a read unit), and a request stops
   * after MAX_CODE_SCAN_PAGES pages with a cursor, so a long history can't hold it.
   */
  async listIssuedCodes(memberId: string, page: { limit: number; cursor?: string }) {
    const codes: string[] = [];
    let start = page.cursor ? decodeLedgerCursor(memberId, page.cursor) : undefined;
    for (let scanned = 0; scanned < MAX_CODE_SCAN_PAGES; scanned++) {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEXES.ledger.indexName,
          KeyConditionExpression: 'gsi1pk = :pk',
          FilterExpression: 'attribute_exists(rewardCode)',
          ExpressionAttributeValues: { ':pk': memberPk(memberId) },
          ProjectionExpression: 'pk, sk, gsi1pk, gsi1sk, rewardCode',
          ScanIndexForward: false,
          Limit: CODE_SCAN_PAGE,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) {
        codes.push(String(item.rewardCode));
        // A full page ends at its last code: the next one starts right after it.
        if (codes.length === page.limit) return { codes, nextCursor: encodeCursor(memberId, item) };
      }
      if (!out.LastEvaluatedKey) return { codes };
      start = out.LastEvaluatedKey;
    }
    return { codes, nextCursor: encodeCursor(memberId, start!) };
  }

  async listLedger(memberId: string, page: { limit: number; cursor?: string }): Promise<LedgerPage> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEXES.ledger.indexName,
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': memberPk(memberId) },
        ScanIndexForward: false,
        Limit: page.limit,
        ExclusiveStartKey: page.cursor ? decodeLedgerCursor(memberId, page.cursor) : undefined,
      }),
    );
    const items = (out.Items ?? []).map((i) => stripKeys<LedgerEntry>(i));
    return {
      items,
      nextCursor: out.LastEvaluatedKey ? encodeCursor(memberId, out.LastEvaluatedKey) : undefined,
    };
  }
}
