/**
 * Where each reward code's push to a shop stands: one item per (code, platform),
 * in the sparse activity index under its status (newest change last), so staff
 * list the failed ones without a scan. Docs: docs/data-model.md, docs/shops.md.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors';
import type { ShopPlatform, ShopSyncStatus } from '../domain/shop-discount';
import { batchGetItems } from './batch-get';
import { isKeyValue, shopSyncKey, shopSyncPk, shopSyncStatusIndexPk } from './keys';
import { INDEXES } from './table-definition';

export interface ShopSyncRecord {
  /** `<platform>_<code>`: what the staff routes name. */
  readonly id: string;
  readonly code: string;
  readonly platform: ShopPlatform;
  readonly memberId: string;
  readonly status: ShopSyncStatus;
  /** Pushes tried (each with its own retries against throttling and outages). */
  readonly attempts: number;
  readonly lastError?: string;
  /** The shop's id of the discount (Shopify's gid, WooCommerce's coupon id). */
  readonly discountId?: string;
  /**
   * When a reward.cancelled first reached this code: from then on no push may
   * record the discount live (docs/shops.md "Order of events").
   */
  readonly disableWantedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const shopSyncId = (platform: ShopPlatform, code: string) => `${platform}_${code}`;

export function parseShopSyncId(id: string): { platform: ShopPlatform; code: string } | undefined {
  const m = /^(shopify|woocommerce)_(.+)$/.exec(id);
  return m ? { platform: m[1] as ShopPlatform, code: m[2]! } : undefined;
}

export interface ShopSyncStore {
  get(code: string, platform: ShopPlatform): Promise<ShopSyncRecord | undefined>;
  /** The code's push, whichever shop it went to (one per code). */
  forCode(code: string): Promise<ShopSyncRecord | undefined>;
  /** Writes the record's new state (created on the first write). */
  save(record: ShopSyncRecord): Promise<void>;
  /** A push's write: false, and nothing written, when a cancel has marked the record since. */
  saveUnlessDisableWanted(record: ShopSyncRecord): Promise<boolean>;
  /**
   * Marks the code's record "disable wanted" (kept once set), creating it from
   * `record` when no push has written one yet; answers the record as it now stands.
   */
  markDisableWanted(record: ShopSyncRecord, at: string): Promise<ShopSyncRecord>;
  list(status: ShopSyncStatus, page: { limit: number; cursor?: string }): Promise<{ items: ShopSyncRecord[]; nextCursor?: string }>;
}

const KEY_FIELDS = new Set(['pk', 'sk', 'gsi3pk', 'gsi3sk', 'itemType']);
const toRecord = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !KEY_FIELDS.has(k))) as unknown as ShopSyncRecord;

function encodeCursor(status: ShopSyncStatus, key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ s: status, k: [key.pk, key.sk, key.gsi3sk] })).toString('base64url');
}

function decodeCursor(status: ShopSyncStatus, cursor: string): Record<string, unknown> {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; k?: unknown[] };
    const [pk, sk, gsi3sk] = Array.isArray(c.k) ? c.k : [];
    if (
      c.s === status &&
      isKeyValue(pk, 'partition') &&
      pk.startsWith('SHOPSYNC#') &&
      isKeyValue(sk, 'sort') &&
      isKeyValue(gsi3sk, 'sort')
    ) {
      return { pk, sk, gsi3pk: shopSyncStatusIndexPk(status), gsi3sk };
    }
  } catch {
    // fall through
  }
  throw new DomainError('INVALID_CURSOR', 'the cursor is not one this list gave out', [{ path: 'cursor', message: 'invalid' }]);
}

export class DynamoShopSyncStore implements ShopSyncStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(code: string, platform: ShopPlatform) {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: shopSyncKey(code, platform), ConsistentRead: true }));
    return out.Item ? toRecord(out.Item) : undefined;
  }

  async forCode(code: string) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': shopSyncPk(code) },
        ConsistentRead: true,
        Limit: 2,
      }),
    );
    const item = out.Items?.[0];
    return item ? toRecord(item) : undefined;
  }

  async save(record: ShopSyncRecord) {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.item(record) }));
  }

  async saveUnlessDisableWanted(record: ShopSyncRecord) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(record),
          ConditionExpression: 'attribute_not_exists(disableWantedAt)',
        }),
      );
      return true;
    } catch (err) {
      if ((err as { name?: string })?.name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async markDisableWanted(record: ShopSyncRecord, at: string) {
    // Every field only if missing: a push's record keeps its state; a cancel that came first leaves a pending one.
    const fields: Record<string, unknown> = { ...this.item(record), disableWantedAt: at };
    for (const k of Object.keys(shopSyncKey(record.code, record.platform))) delete fields[k];
    for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
    const names = Object.keys(fields);
    const out = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: shopSyncKey(record.code, record.platform),
        UpdateExpression: `SET ${names.map((_, i) => `#f${i} = if_not_exists(#f${i}, :v${i})`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#f${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, fields[n]])),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return toRecord(out.Attributes ?? {});
  }

  private item(record: ShopSyncRecord) {
    return {
      ...shopSyncKey(record.code, record.platform),
      itemType: 'shop-sync',
      ...record,
      gsi3pk: shopSyncStatusIndexPk(record.status),
      gsi3sk: `${record.updatedAt}#${record.id}`,
    };
  }

  async list(status: ShopSyncStatus, page: { limit: number; cursor?: string }) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEXES.activity.indexName,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': shopSyncStatusIndexPk(status) },
        Limit: page.limit,
        ExclusiveStartKey: page.cursor ? decodeCursor(status, page.cursor) : undefined,
      }),
    );
    const keys = (out.Items ?? []).map((i) => ({ pk: i.pk, sk: i.sk }));
    const items = (await batchGetItems(this.db, this.tableName, keys)).map(toRecord);
    const order = new Map(keys.map((k, i) => [`${k.pk}|${k.sk}`, i]));
    // The index is eventually consistent: a record that moved on since is not listed under its old status.
    const listed = items
      .filter((r) => r.status === status)
      .sort(
        (a, b) =>
          (order.get(`${shopSyncPk(a.code)}|PLATFORM#${a.platform}`) ?? 0) -
          (order.get(`${shopSyncPk(b.code)}|PLATFORM#${b.platform}`) ?? 0),
      );
    return { items: listed, nextCursor: out.LastEvaluatedKey ? encodeCursor(status, out.LastEvaluatedKey) : undefined };
  }
}
