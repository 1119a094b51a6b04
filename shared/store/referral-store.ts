/**
 * Members' referral codes: REFCODE#<code> names its owner and MEMBER#<id>/REFCODE
 * the member's code, written together once, each conditioned on being new, so
 * a code is never shared and a member never gets two.
 */
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { memberReferralKey, referralCodeKey } from './keys';
import { cancellationReasons, failedCheck } from './write-errors';

export interface ReferralStore {
  codeOf(memberId: string): Promise<string | undefined>;
  ownerOf(code: string): Promise<string | undefined>;
  /** 'taken': another member holds the code; 'has-code': this member already has one. */
  claim(memberId: string, code: string): Promise<'claimed' | 'taken' | 'has-code'>;
}

export class DynamoReferralStore implements ReferralStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async codeOf(memberId: string): Promise<string | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: memberReferralKey(memberId), ConsistentRead: true }));
    return out.Item?.code as string | undefined;
  }

  async ownerOf(code: string): Promise<string | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: referralCodeKey(code) }));
    return out.Item?.memberId as string | undefined;
  }

  async claim(memberId: string, code: string): Promise<'claimed' | 'taken' | 'has-code'> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...referralCodeKey(code), itemType: 'referral-code', memberId },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: { ...memberReferralKey(memberId), itemType: 'member-referral-code', code },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
      return 'claimed';
    } catch (err) {
      const reasons = cancellationReasons(err);
      if (!reasons?.length) throw err;
      return failedCheck(reasons[1]) ? 'has-code' : 'taken';
    }
  }
}
