import { describe, expect, it } from 'vitest';
import { awsTransactionTableUnits } from '../../../../shared/store/capacity-meter';

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
