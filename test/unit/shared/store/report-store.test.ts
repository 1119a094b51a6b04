import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoReportStore, type RecordCounters } from '../../../../shared/store/report-store';

const db = mockClient(DynamoDBDocumentClient);
// Test files share a worker (isolate: false): give the real client back.
afterAll(() => db.restore());
const store = new DynamoReportStore(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), 't', 8);

const cancelled = (codes: string[]) =>
  new TransactionCanceledException({
    message: 'cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const rec = (id: string, day = '2026-12-07', adds: Record<string, number> = { earn: 10 }): RecordCounters => ({
  recordId: id,
  deltas: [{ day, adds }],
});
const sent = () => db.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);

beforeEach(() => db.reset());

describe('report counters added exactly once per stream record', () => {
  it("puts each record's marker on the condition that it is new, in the transaction that adds the day's sums", async () => {
    db.on(TransactWriteCommand).resolves({});
    expect(await store.count([rec('a'), rec('b', '2026-12-07', { earn: 5, orders: 1 }), rec('c', '2026-12-06')])).toEqual({
      counted: 3,
      already: 0,
    });
    const [tx] = sent();
    expect(tx!.slice(0, 3).map((t) => [t.Put!.Item!.pk, t.Put!.ConditionExpression])).toEqual([
      ['COUNTED#a', 'attribute_not_exists(pk)'],
      ['COUNTED#b', 'attribute_not_exists(pk)'],
      ['COUNTED#c', 'attribute_not_exists(pk)'],
    ]);
    expect(tx![0]!.Put!.Item!.ttl).toBeGreaterThan(Date.now() / 1000);
    // One Update a day, on one shard, adding the sums.
    const updates = tx!.slice(3).map((t) => t.Update!);
    expect(updates.map((u) => u.Key!.sk)).toEqual(['DAY#2026-12-07', 'DAY#2026-12-06']);
    expect(new Set(updates.map((u) => u.Key!.pk)).size).toBe(1);
    expect(Object.values(updates[0]!.ExpressionAttributeValues!)).toEqual(expect.arrayContaining([15, 1]));
  });

  it('leaves out the records an earlier delivery counted and adds the rest', async () => {
    db.on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'ConditionalCheckFailed', 'None', 'None']))
      .resolves({});
    expect(await store.count([rec('a'), rec('b'), rec('c')])).toEqual({ counted: 2, already: 1 });
    const [, retry] = sent();
    expect(retry!.filter((t) => t.Put).map((t) => t.Put!.Item!.pk)).toEqual(['COUNTED#a', 'COUNTED#c']);
    expect(Object.values(retry!.find((t) => t.Update)!.Update!.ExpressionAttributeValues!)).toContain(20);
  });

  it('sends a conflicting transaction again on another counter shard', async () => {
    db.on(TransactWriteCommand)
      .rejectsOnce(cancelled(['None', 'TransactionConflict']))
      .rejectsOnce(cancelled(['None', 'TransactionConflict']))
      .resolves({});
    expect(await store.count([rec('a')])).toEqual({ counted: 1, already: 0 });
    const shards = sent().map((tx) => tx.find((t) => t.Update)!.Update!.Key!.pk);
    expect(shards).toHaveLength(3);
    expect(new Set(shards).size).toBeGreaterThan(1);
  });

  it('throws when DynamoDB throttles, so the stream delivers the batch again', async () => {
    db.on(TransactWriteCommand).rejects(cancelled(['None', 'ThrottlingError']));
    await expect(store.count([rec('a')])).rejects.toThrow();
  });

  it('splits a batch into transactions of at most 100 items, and writes nothing for records that add nothing', async () => {
    db.on(TransactWriteCommand).resolves({});
    const records = [...Array.from({ length: 150 }, (_, i) => rec(`r${i}`)), { recordId: 'empty', deltas: [] }];
    expect(await store.count(records)).toEqual({ counted: 150, already: 0 });
    const txs = sent();
    expect(txs.map((tx) => tx.length)).toEqual([100, 52]);
    expect(txs.flat().some((t) => t.Put?.Item?.pk === 'COUNTED#empty')).toBe(false);
  });
});
