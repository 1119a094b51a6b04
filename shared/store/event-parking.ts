/**
 * Domain events the bus refused after their change committed. Parked in the
 * table (reachable when the bus isn't, as a rule) and sent again by the
 * republish-events job, so a bus outage delays events instead of losing them.
 */
import { BatchWriteCommand, DeleteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import { AGAIN, UNPROCESSED, withRetries } from '../retry';
import type { DomainEvent } from '../events/events';
import { isKeyValue, PARKED_EVENTS_PK, parkedEventKey } from './keys';

export interface EventParking {
  /** Keeps the events (the same event twice is one item). Throws if the table can't take them. */
  park(events: readonly DomainEvent[], reason: string): Promise<void>;
  /** Oldest first; `after[i]` is the cursor that continues right after `events[i]`. */
  page(limit: number, cursor?: string): Promise<{ events: DomainEvent[]; cursor?: string; after?: string[] }>;
  drop(event: DomainEvent): Promise<void>;
}

const BATCH = 25;

export class DynamoEventParking implements EventParking {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async park(events: readonly DomainEvent[], reason: string): Promise<void> {
    const at = new Date().toISOString();
    for (let i = 0; i < events.length; i += BATCH) {
      let requests = events.slice(i, i + BATCH).map((e) => ({
        PutRequest: {
          Item: {
            ...parkedEventKey(e.occurredAt, e.id),
            itemType: 'parked-event',
            event: JSON.stringify(e),
            reason: reason.slice(0, 500),
            parkedAt: at,
          },
        },
      }));
      await withRetries(
        UNPROCESSED,
        async () => {
          const out = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
          requests = (out.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
          return requests.length > 0 ? AGAIN : undefined;
        },
        () => new Error(`${requests.length} event(s) could not be parked`),
      );
    }
  }

  async page(limit: number, cursor?: string): Promise<{ events: DomainEvent[]; cursor?: string; after?: string[] }> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': PARKED_EVENTS_PK },
        Limit: limit,
        ConsistentRead: true,
        ExclusiveStartKey: decodeCursor(cursor),
      }),
    );
    const encode = (key: Record<string, unknown>) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const items = out.Items ?? [];
    return {
      events: items.map((i) => JSON.parse(String(i.event)) as DomainEvent),
      ...(out.LastEvaluatedKey && { cursor: encode(out.LastEvaluatedKey) }),
      after: items.map((i) => encode({ pk: i.pk, sk: i.sk })),
    };
  }

  async drop(event: DomainEvent): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: parkedEventKey(event.occurredAt, event.id) }));
  }
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (!cursor) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (key && key.pk === PARKED_EVENTS_PK && isKeyValue(key.sk, 'sort')) return { pk: key.pk, sk: key.sk };
  } catch {
    // refused below
  }
  throw new DomainError('INVALID_CONTINUATION', 'continuation is not one republish-events returned', [
    { path: 'continuation', message: 'unknown continuation' },
  ]);
}
