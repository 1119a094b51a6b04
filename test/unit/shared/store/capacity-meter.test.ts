import { DynamoDBClient, TransactionCanceledException, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { addCapacityMeter, awsTransactionTableUnits, metered } from '../../../../shared/store/capacity-meter';

describe('awsTransactionTableUnits (what AWS bills a transaction, where DynamoDB Local reports its own)', () => {
  it('is 2 WRU per item per KB: a Put sized from its item, an Update, Delete or ConditionCheck as one small item', () => {
    const small = { pk: 'MEMBER#m1', sk: 'LEDGER#1', points: 10 };
    expect(awsTransactionTableUnits({ TransactItems: [{ Put: { Item: small } }] })).toBe(2);
    expect(
      awsTransactionTableUnits({ TransactItems: [{ Put: { Item: small } }, { Update: {} }, { Delete: {} }, { ConditionCheck: {} }] }),
    ).toBe(8);
    // 2.5 KB rounds up to 3 KB.
    expect(awsTransactionTableUnits({ TransactItems: [{ Put: { Item: { ...small, text: 'x'.repeat(2500) } } }] })).toBe(6);
    expect(awsTransactionTableUnits({})).toBe(0);
  });
});

describe('a cancelled transaction', () => {
  it('is counted at the units AWS bills it, though its response carries no ConsumedCapacity', async () => {
    const client = new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    addCapacityMeter(client);
    // DynamoDB answering as it does for a failed condition: TransactionCanceledException, no capacity in it.
    client.middlewareStack.add(
      () => async () => {
        throw new TransactionCanceledException({
          message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, None]',
          $metadata: {},
          CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }, { Code: 'None' }],
        });
      },
      { step: 'serialize', name: 'cancelsEveryTransaction' },
    );
    const { capacity } = await metered(async () => {
      await client
        .send(
          new TransactWriteItemsCommand({
            TransactItems: [
              { Update: { TableName: 't', Key: { pk: { S: 'MEMBER#m1' }, sk: { S: 'MEMBER' } }, UpdateExpression: 'SET b = :b' } },
              { Put: { TableName: 't', Item: { pk: { S: 'MEMBER#m1' }, sk: { S: 'LEDGER#1' }, text: { S: 'x'.repeat(1500) } } } },
              {
                ConditionCheck: {
                  TableName: 't',
                  Key: { pk: { S: 'ORDER#o1' }, sk: { S: 'ORDER' } },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        )
        .catch(() => undefined);
    });
    // By hand: the Update 2 (one item ≤ 1 KB), the Put of ~1.6 KB rounds up to 2 KB: 4, the ConditionCheck 2 = 8 WRU.
    expect(capacity).toMatchObject({ calls: 1, writeCapacityUnits: 0, awsWriteUnits: 0, cancelledWriteUnits: 8 });
  });
});
