/**
 * The member page's sign-in items (docs/data-model.md): the one live code per
 * phone or email, and fixed-window counters for the rate limits. Both carry the
 * table's TTL attribute, so DynamoDB clears them; the counters are conditional
 * ADDs on one item per window, so every Lambda (and every retry) counts on the
 * same number and nothing is kept in memory.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { contactChangeCodeKey, rateWindowKey, signInCodeKey, type SignInChannel } from './keys';
import { TTL_ATTRIBUTE } from './table-definition';

export interface SignInAddress {
  readonly channel: SignInChannel;
  /** E.164 for a phone, lower case for an email: the member's claim. */
  readonly address: string;
  /** A member's code to change their email or phone to this address, not a sign-in code: kept apart, per member. */
  readonly changeFor?: string;
}

const codeKey = (to: SignInAddress) =>
  to.changeFor ? contactChangeCodeKey(to.channel, to.address, to.changeFor) : signInCodeKey(to.channel, to.address);

export interface StoredSignInCode {
  /** Which code this is: a wrong try or a use only counts against the code it was checked with. */
  readonly codeId: string;
  /** HMAC of the code (shared/club/sign-in.ts); the code itself is never stored. */
  readonly codeHash: string;
  /** Absent: nobody has the address, and the code was never sent (it exists so the work is the same). */
  readonly memberId?: string;
  /** Sent to an address nobody has because the program enrols members themselves: verifying it enrols one. */
  readonly enrol?: boolean;
  readonly expiresAt: string;
  readonly tries: number;
  readonly usedAt?: string;
}

export interface RateWindow {
  /** ISO start of the fixed window. */
  readonly start: string;
  /** Epoch seconds its item may be removed (its end, plus slack). */
  readonly removeAfter: number;
}

export interface SignInStore {
  /** Counts one request in the window: 'over' when it already holds `limit` (and then counts nothing). */
  count(scope: string, subject: string, window: RateWindow, limit: number): Promise<'counted' | 'over'>;
  /** Replaces the address's code: a new sign-in makes the old one useless. */
  putCode(to: SignInAddress, code: StoredSignInCode, removeAfter: number): Promise<void>;
  getCode(to: SignInAddress): Promise<StoredSignInCode | undefined>;
  /** One more wrong try against that code (a newer code is not touched). */
  wrongTry(to: SignInAddress, codeId: string): Promise<void>;
  /** Marks the code used, once: 'refused' when it was replaced, used, or is out of tries meanwhile. */
  use(to: SignInAddress, codeId: string, maxTries: number, at: string): Promise<'used' | 'refused'>;
}

const conditionFailed = (err: unknown) => (err as { name?: string }).name === 'ConditionalCheckFailedException';

export class DynamoSignInStore implements SignInStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async count(scope: string, subject: string, window: RateWindow, limit: number): Promise<'counted' | 'over'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rateWindowKey(scope, subject, window.start),
          UpdateExpression: 'SET itemType = :type, #ttl = :ttl ADD hits :one',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':type': 'rate-window', ':ttl': window.removeAfter, ':one': 1, ':limit': limit },
        }),
      );
      return 'counted';
    } catch (err) {
      if (conditionFailed(err)) return 'over';
      throw err;
    }
  }

  async putCode(to: SignInAddress, code: StoredSignInCode, removeAfter: number): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...codeKey(to), itemType: to.changeFor ? 'contact-change-code' : 'sign-in-code', ...code, [TTL_ATTRIBUTE]: removeAfter },
      }),
    );
  }

  async getCode(to: SignInAddress): Promise<StoredSignInCode | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: codeKey(to), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { codeId, codeHash, memberId, enrol, expiresAt, tries, usedAt } = out.Item;
    return {
      codeId,
      codeHash,
      expiresAt,
      tries: Number(tries ?? 0),
      ...(memberId && { memberId }),
      ...(enrol === true && { enrol }),
      ...(usedAt && { usedAt }),
    };
  }

  async wrongTry(to: SignInAddress, codeId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: codeKey(to),
          UpdateExpression: 'ADD tries :one',
          ConditionExpression: 'codeId = :c',
          ExpressionAttributeValues: { ':one': 1, ':c': codeId },
        }),
      );
    } catch (err) {
      // Replaced by a new sign-in meanwhile: the old code's tries no longer matter.
      if (!conditionFailed(err)) throw err;
    }
  }

  async use(to: SignInAddress, codeId: string, maxTries: number, at: string): Promise<'used' | 'refused'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: codeKey(to),
          UpdateExpression: 'SET usedAt = :at',
          ConditionExpression: 'codeId = :c AND attribute_not_exists(usedAt) AND tries < :max',
          ExpressionAttributeValues: { ':at': at, ':c': codeId, ':max': maxTries },
        }),
      );
      return 'used';
    } catch (err) {
      if (conditionFailed(err)) return 'refused';
      throw err;
    }
  }
}
