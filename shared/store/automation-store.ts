/**
 * What the scheduled jobs and the notifier read and write besides balances:
 * pages of the sparse due-date indexes (never a scan), once-only marks,
 * message records, notification preferences and messages deferred by quiet
 * hours. Balance changes still go through ClubStore.commitBalanceChange.
 */
import { GetCommand, PutCommand, QueryCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import { deferredKey, isKeyValue, deferredPk, messageKey, notifyPrefsKey, onceKey } from './keys';
import { INDEXES } from './table-definition';
import { isConditionFailure } from './write-errors';

type Item = Record<string, unknown>;

/** One bucket of a sparse index, optionally bounded on the sort key (inclusive). */
export interface IndexBucket {
  readonly index: 'expiry' | 'activity' | 'birthday' | 'tierReview';
  readonly pk: string;
  readonly skFrom?: string;
  readonly skTo?: string;
}

export interface MemberPage {
  readonly memberIds: string[];
  /** Opaque; absent on the last page. */
  readonly cursor?: string;
  /**
   * Opaque, one per member id: the cursor that continues right after it, so a run
   * that stops inside a page resumes at its next member. Absent in test doubles.
   */
  readonly after?: string[];
}

export interface NotifyPrefs {
  readonly memberId: string;
  /** Points notices: expiring, expired, rewards. Default: allowed. */
  readonly transactional: boolean;
  /** Offers: welcome, re-engagement. Default: not without consent. */
  readonly marketing: boolean;
  readonly channels: readonly ('sms' | 'email')[];
  readonly language?: 'fa' | 'en';
  readonly updatedAt?: string;
}

export interface MessageRecord {
  readonly memberId: string;
  readonly eventId: string;
  readonly channel: 'sms' | 'email';
  readonly status: 'sending' | 'sent' | 'failed' | 'skipped' | 'deferred';
  readonly attempts?: number;
  readonly to?: string;
  readonly template: string;
  readonly language: 'fa' | 'en';
  readonly reason?: string;
  readonly providerId?: string;
  readonly at: string;
  readonly sendAt?: string;
}

export interface DeferredMessage {
  readonly memberId: string;
  readonly eventId: string;
  readonly channel: 'sms' | 'email';
  readonly sendAt: string;
  /** The event, to render when it goes out. */
  readonly event: unknown;
}

export interface AutomationStore {
  membersPage(bucket: IndexBucket, page: { cursor?: string; limit: number }): Promise<MemberPage>;
  hasOnce(memberId: string, mark: string): Promise<boolean>;
  /** Writes the mark unless it exists; false when it did. */
  markOnce(memberId: string, mark: string, data: Record<string, unknown>): Promise<boolean>;
  /** `consistent` for a read a save will condition on; the notifier's and sign-in's reads need not pay for it. */
  getPrefs(memberId: string, read?: { consistent: boolean }): Promise<NotifyPrefs | undefined>;
  /**
   * Saves `next` only if the member's preferences are still `before` (undefined: none
   * saved yet); the stream counts the consent it moves (docs/reports.md) from the item's
   * old and new images. 'prefs-changed': someone saved in between (read again); 'busy':
   * the item was in another writer's transaction (try again after a wait). Nothing written either way.
   */
  savePrefs(before: NotifyPrefs | undefined, next: NotifyPrefs): Promise<'saved' | 'prefs-changed' | 'busy'>;
  getMessage(memberId: string, eventId: string, channel: string): Promise<MessageRecord | undefined>;
  /**
   * Records a message. 'claim': only if there is none yet, or the one there is
   * deferred or failed (so exactly one sender works on it); 'first': only if there
   * is none; 'overwrite': always. False when the condition failed.
   */
  putMessage(record: MessageRecord, mode: 'claim' | 'first' | 'overwrite'): Promise<boolean>;
  defer(message: DeferredMessage): Promise<void>;
  deferredPage(hour: string, page: { cursor?: string; limit: number }): Promise<{ items: DeferredMessage[]; cursor?: string }>;
  dropDeferred(message: Pick<DeferredMessage, 'memberId' | 'eventId' | 'channel' | 'sendAt'>): Promise<void>;
}

function encode(key: Item | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

/** An index page's LastEvaluatedKey: only key attributes, each a value DynamoDB accepts as a key. */
const isStartKey = (key: unknown): key is Item =>
  key !== null &&
  typeof key === 'object' &&
  !Array.isArray(key) &&
  Object.keys(key).length > 0 &&
  Object.entries(key).every(
    ([name, value]) => /^(pk|sk|gsi\d+(pk|sk))$/.test(name) && isKeyValue(value, name.endsWith('pk') ? 'partition' : 'sort'),
  );

export function decodeStartKey(cursor: string | undefined): Item | undefined {
  if (!cursor) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (isStartKey(key)) return key;
  throw new DomainError('INVALID_CURSOR', 'not a cursor this club returned', [{ path: 'cursor', message: 'unknown cursor' }]);
}

export class DynamoAutomationStore implements AutomationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async membersPage(bucket: IndexBucket, page: { cursor?: string; limit: number }): Promise<MemberPage> {
    const index = INDEXES[bucket.index];
    const values: Item = { ':pk': bucket.pk };
    let range = '';
    if (bucket.skFrom !== undefined && bucket.skTo !== undefined) {
      range = ` AND ${index.sortKey} BETWEEN :lo AND :hi`;
      values[':lo'] = bucket.skFrom;
      values[':hi'] = bucket.skTo;
    } else if (bucket.skTo !== undefined) {
      range = ` AND ${index.sortKey} <= :hi`;
      values[':hi'] = bucket.skTo;
    } else if (bucket.skFrom !== undefined) {
      range = ` AND ${index.sortKey} >= :lo`;
      values[':lo'] = bucket.skFrom;
    }
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: index.indexName,
        KeyConditionExpression: `${index.partitionKey} = :pk${range}`,
        ExpressionAttributeValues: values,
        Limit: page.limit,
        ExclusiveStartKey: decodeStartKey(page.cursor),
      }),
    );
    // Index items are members (MEMBER#<id>), or reward codes (CODE#<code>) and earn entries (ORDER#<id>) for the code-expiry and release buckets.
    const items = out.Items ?? [];
    const memberIds = items.map((i) => String(i.pk).slice(String(i.pk).indexOf('#') + 1));
    // An item's own keys are the start key that continues after it (what LastEvaluatedKey would be).
    const after = items.map(
      (i) => encode({ pk: i.pk, sk: i.sk, [index.partitionKey]: i[index.partitionKey], [index.sortKey]: i[index.sortKey] })!,
    );
    return { memberIds, cursor: encode(out.LastEvaluatedKey), after };
  }

  async hasOnce(memberId: string, mark: string): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: onceKey(memberId, mark), ConsistentRead: true, ProjectionExpression: 'pk' }),
    );
    return out.Item !== undefined;
  }

  async markOnce(memberId: string, mark: string, data: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...data, ...onceKey(memberId, mark), itemType: 'once', memberId, mark },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async getPrefs(memberId: string, read?: { consistent: boolean }): Promise<NotifyPrefs | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: notifyPrefsKey(memberId), ConsistentRead: read?.consistent === true }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, itemType: _t, ...prefs } = out.Item;
    return prefs as NotifyPrefs;
  }

  async savePrefs(before: NotifyPrefs | undefined, next: NotifyPrefs): Promise<'saved' | 'prefs-changed' | 'busy'> {
    // The previous consent in the condition: a save decided on a stale read moves nothing; the
    // previous updatedAt keeps a concurrent change of the other fields too.
    const unchanged = before
      ? {
          ConditionExpression: `#m = :m AND #c = :c AND ${before.updatedAt === undefined ? 'attribute_not_exists(#u)' : '#u = :u'}`,
          ExpressionAttributeNames: { '#m': 'marketing', '#c': 'channels', '#u': 'updatedAt' },
          ExpressionAttributeValues: {
            ':m': before.marketing,
            ':c': before.channels,
            ...(before.updatedAt !== undefined && { ':u': before.updatedAt }),
          },
        }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    const put = {
      TableName: this.tableName,
      Item: { ...next, ...notifyPrefsKey(next.memberId), itemType: 'notify-prefs' },
      ...unchanged,
    };
    try {
      await this.db.send(new PutCommand(put));
      return 'saved';
    } catch (err) {
      if (isConditionFailure(err)) return 'prefs-changed';
      // A plain put meeting another writer's transaction on the item: wait and read again.
      if ((err as { name?: string }).name === 'TransactionConflictException') return 'busy';
      throw err;
    }
  }

  async getMessage(memberId: string, eventId: string, channel: string): Promise<MessageRecord | undefined> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: messageKey(memberId, eventId, channel), ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const { pk: _pk, sk: _sk, itemType: _t, ...record } = out.Item;
    return record as MessageRecord;
  }

  async putMessage(record: MessageRecord, mode: 'claim' | 'first' | 'overwrite'): Promise<boolean> {
    const condition =
      mode === 'first'
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : mode === 'claim'
          ? {
              ConditionExpression: 'attribute_not_exists(pk) OR #s IN (:deferred, :failed)',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':deferred': 'deferred', ':failed': 'failed' },
            }
          : {};
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...record, ...messageKey(record.memberId, record.eventId, record.channel), itemType: 'message' },
          ...condition,
        }),
      );
      return true;
    } catch (err) {
      if (mode !== 'overwrite' && isConditionFailure(err)) return false;
      throw err;
    }
  }

  async defer(message: DeferredMessage): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...message,
          ...deferredKey(message.sendAt, message.memberId, message.eventId, message.channel),
          itemType: 'deferred-message',
        },
      }),
    );
  }

  async deferredPage(hour: string, page: { cursor?: string; limit: number }) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': deferredPk(hour) },
        Limit: page.limit,
        ExclusiveStartKey: decodeStartKey(page.cursor),
      }),
    );
    const items = (out.Items ?? []).map(({ pk: _pk, sk: _sk, itemType: _t, ...m }) => m as DeferredMessage);
    return { items, cursor: encode(out.LastEvaluatedKey) };
  }

  async dropDeferred(message: Pick<DeferredMessage, 'memberId' | 'eventId' | 'channel' | 'sendAt'>): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.tableName,
        Key: deferredKey(message.sendAt, message.memberId, message.eventId, message.channel),
      }),
    );
  }
}
