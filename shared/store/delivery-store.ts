/**
 * Webhook deliveries the consumer could not apply, kept with their reason, raw
 * body and headers for staff to list and replay; and the shop events already
 * applied. Keys: shared/store/keys.ts (DELIVERIES#<status>, EVENT#...).
 */
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import { deliveriesPk, isKeyValue, deliveryKey, DELIVERY_SK_PREFIX, webhookEventKey, type DeliveryStatus } from './keys';

export interface DeliveryReason {
  readonly code: string;
  readonly message: string;
}

export interface StoredDelivery {
  /** Content id: the same delivery resent by the shop is the same item. */
  readonly id: string;
  readonly status: DeliveryStatus;
  readonly source: string;
  readonly topic: string;
  /** The club's id of the delivery that was parked (the latest, when resent). */
  readonly deliveryId: string;
  readonly receivedAt: string;
  readonly failedAt: string;
  readonly reason: DeliveryReason;
  /** Receives (and replays) it took before it was parked. */
  readonly attempts: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** The exact bytes, when they are not UTF-8 (`body` is then them decoded for reading). */
  readonly bodyBase64?: string;
  readonly replayedAt?: string;
  readonly replays?: number;
  /** The body staff corrected it to, when the replay used one. */
  readonly replayedBody?: string;
  /** A replay holds the delivery until then (see claimReplay); absent when none does. */
  readonly replayingUntil?: string;
  /** Dismissed: staff decided it needs no applying (e.g. a topic the club doesn't handle), who and why. */
  readonly dismissedAt?: string;
  readonly dismissedBy?: string;
  readonly dismissReason?: string;
}

export interface DeliveryPage {
  readonly items: StoredDelivery[];
  readonly nextCursor?: string;
}

export interface DeliveryStore {
  park(delivery: Omit<StoredDelivery, 'status'>): Promise<void>;
  get(id: string, status?: DeliveryStatus): Promise<StoredDelivery | undefined>;
  list(status: DeliveryStatus, page: { limit: number; cursor?: string }): Promise<DeliveryPage>;
  /**
   * Claims a failed delivery for one replay until `until`: false when it is no longer
   * failed or another replay holds it. The claim, not the earlier read, is what makes
   * concurrent replays apply once.
   */
  claimReplay(delivery: StoredDelivery, now: string, until: string): Promise<StoredDelivery | undefined>;
  /** Moves a claimed delivery to the replayed list (with the corrected body, if staff gave one). */
  markReplayed(delivery: StoredDelivery, at: string, replayedBody?: string): Promise<void>;
  /** Moves a failed delivery to the dismissed list with who and why; false when it is no longer failed or a replay holds it. */
  markDismissed(delivery: StoredDelivery, at: string, by: string, reason: string): Promise<boolean>;
  /** A claimed replay that failed again: new reason, one more attempt, claim released. */
  recordFailedReplay(delivery: StoredDelivery, reason: DeliveryReason, at: string): Promise<void>;
  eventApplied(source: string, eventId: string): Promise<boolean>;
  markEventApplied(source: string, eventId: string, at: string): Promise<void>;
}

type Item = Record<string, unknown>;

const isConditionFailure = (err: unknown) =>
  ['ConditionalCheckFailedException', 'TransactionCanceledException'].includes((err as Error).name);

function toDelivery(item: Item): StoredDelivery {
  const { pk: _pk, sk: _sk, itemType: _t, ...rest } = item;
  return rest as unknown as StoredDelivery;
}

function encodeCursor(status: DeliveryStatus, key: Item): string {
  return Buffer.from(JSON.stringify({ s: status, k: key.sk })).toString('base64url');
}

export function decodeDeliveryCursor(status: DeliveryStatus, cursor: string): Item {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (c && c.s === status && isKeyValue(c.k, 'sort') && c.k.startsWith(DELIVERY_SK_PREFIX)) return { pk: deliveriesPk(status), sk: c.k };
  } catch {
    // fall through
  }
  throw new DomainError('INVALID_CURSOR', 'the cursor is not one this list gave out', [{ path: 'cursor', message: 'invalid' }]);
}

export class DynamoDeliveryStore implements DeliveryStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async park(delivery: Omit<StoredDelivery, 'status'>): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...deliveryKey('failed', delivery.id), itemType: 'delivery', ...delivery, status: 'failed' },
      }),
    );
  }

  async get(id: string, status: DeliveryStatus = 'failed'): Promise<StoredDelivery | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: deliveryKey(status, id), ConsistentRead: true }));
    return out.Item ? toDelivery(out.Item) : undefined;
  }

  async list(status: DeliveryStatus, page: { limit: number; cursor?: string }): Promise<DeliveryPage> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': deliveriesPk(status), ':prefix': DELIVERY_SK_PREFIX },
        Limit: page.limit,
        ExclusiveStartKey: page.cursor ? decodeDeliveryCursor(status, page.cursor) : undefined,
      }),
    );
    return {
      items: (out.Items ?? []).map(toDelivery),
      nextCursor: out.LastEvaluatedKey ? encodeCursor(status, out.LastEvaluatedKey) : undefined,
    };
  }

  async claimReplay(delivery: StoredDelivery, now: string, until: string): Promise<StoredDelivery | undefined> {
    try {
      const out = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey('failed', delivery.id),
          UpdateExpression: 'SET replayingUntil = :until',
          // A claim left by a replay that died (its function timed out) lapses at its time.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(replayingUntil) OR replayingUntil < :now)',
          ExpressionAttributeValues: { ':until': until, ':now': now },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return out.Attributes ? toDelivery(out.Attributes) : undefined;
    } catch (err) {
      if (isConditionFailure(err)) return undefined;
      throw err;
    }
  }

  async markReplayed(delivery: StoredDelivery, at: string, replayedBody?: string): Promise<void> {
    const { replayingUntil: _claim, ...rest } = delivery;
    const replayed = { ...rest, status: 'replayed' as const, replayedAt: at, replays: (delivery.replays ?? 0) + 1, replayedBody };
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.tableName, Key: deliveryKey('failed', delivery.id) } },
          { Put: { TableName: this.tableName, Item: { ...deliveryKey('replayed', delivery.id), itemType: 'delivery', ...replayed } } },
        ],
      }),
    );
  }

  /** Off the failed list for good, with who and why; false when it was no longer failed. */
  async markDismissed(delivery: StoredDelivery, at: string, by: string, reason: string): Promise<boolean> {
    const { replayingUntil: _claim, ...rest } = delivery;
    const dismissed = { ...rest, status: 'dismissed' as const, dismissedAt: at, dismissedBy: by, dismissReason: reason };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: deliveryKey('failed', delivery.id),
                // Not while a replay holds it: that replay may be applying it right now.
                ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(replayingUntil) OR replayingUntil < :at)',
                ExpressionAttributeValues: { ':at': at },
              },
            },
            { Put: { TableName: this.tableName, Item: { ...deliveryKey('dismissed', delivery.id), itemType: 'delivery', ...dismissed } } },
          ],
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'TransactionCanceledException') return false;
      throw err;
    }
  }

  async recordFailedReplay(delivery: StoredDelivery, reason: DeliveryReason, at: string): Promise<void> {
    const { replayingUntil, ...rest } = delivery;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...deliveryKey('failed', delivery.id),
            itemType: 'delivery',
            ...rest,
            status: 'failed',
            reason,
            failedAt: at,
            attempts: delivery.attempts + 1,
            replays: (delivery.replays ?? 0) + 1,
          },
          // Only while this replay still holds it: a lapsed claim is someone else's now.
          ConditionExpression: 'replayingUntil = :until',
          ExpressionAttributeValues: { ':until': replayingUntil ?? '' },
        }),
      );
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
    }
  }

  async eventApplied(source: string, eventId: string): Promise<boolean> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: webhookEventKey(source, eventId), ProjectionExpression: 'pk' }),
    );
    return !!out.Item;
  }

  async markEventApplied(source: string, eventId: string, at: string): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...webhookEventKey(source, eventId), itemType: 'webhookEvent', at } }),
    );
  }
}
