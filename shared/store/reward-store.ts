/**
 * Reward codes after they are issued (issuing happens inside the redemption's
 * transaction, in DynamoClubStore.commitBalanceChange): look up, mark used
 * once, and find the unused ones that give points back when they expire.
 */
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RewardCode } from '../domain/rewards';
import { codeExpiryIndexPk, rewardCodeKey } from './keys';
import { INDEXES } from './table-definition';
import { isConditionFailure } from './write-errors';

export interface RewardStore {
  getCode(code: string): Promise<RewardCode | undefined>;
  /** 'used' when this call used it; 'not-usable' when it was used, expired or is gone meanwhile. */
  markUsed(code: string, useKey: string, at: string): Promise<'used' | 'not-usable'>;
  /** Codes with refundOnExpiry whose expiry falls on `day`. */
  expiringCodesPage(day: string, page: { cursor?: string; limit: number }): Promise<{ codes: string[]; cursor?: string }>;
}

const KEY_FIELDS = new Set(['pk', 'sk', 'gsi3pk', 'gsi3sk', 'itemType']);

export class DynamoRewardStore implements RewardStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getCode(code: string): Promise<RewardCode | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: rewardCodeKey(code), ConsistentRead: true }));
    if (!out.Item) return undefined;
    return Object.fromEntries(Object.entries(out.Item).filter(([k]) => !KEY_FIELDS.has(k))) as unknown as RewardCode;
  }

  async markUsed(code: string, useKey: string, at: string): Promise<'used' | 'not-usable'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rewardCodeKey(code),
          // Used codes leave the refund index: they can never give points back.
          UpdateExpression: 'SET usedAt = :at, useKey = :key REMOVE gsi3pk, gsi3sk',
          ConditionExpression:
            'attribute_exists(pk) AND attribute_not_exists(usedAt) AND attribute_not_exists(refundedAt) AND expiresAt > :at',
          ExpressionAttributeValues: { ':at': at, ':key': useKey },
        }),
      );
      return 'used';
    } catch (err) {
      if (isConditionFailure(err)) return 'not-usable';
      throw err;
    }
  }

  async expiringCodesPage(day: string, page: { cursor?: string; limit: number }) {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: INDEXES.activity.indexName,
        KeyConditionExpression: 'gsi3pk = :pk',
        ExpressionAttributeValues: { ':pk': codeExpiryIndexPk(day) },
        Limit: page.limit,
        ExclusiveStartKey: page.cursor ? JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')) : undefined,
      }),
    );
    return {
      codes: (out.Items ?? []).map((i) => String(i.gsi3sk)),
      cursor: out.LastEvaluatedKey ? Buffer.from(JSON.stringify(out.LastEvaluatedKey)).toString('base64url') : undefined,
    };
  }
}
