import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { processStreamRecords } from '../../../functions/stream-processor';
import type { DomainEvent } from '../../../shared/events/events';
import type { RecordCounters } from '../../../shared/store/report-store';
import { setWiring, type Wiring } from '../../../shared/wiring';

const entry = (n: number): DynamoDBRecord => ({
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  eventID: `ev${n}`,
  eventSourceARN: 'arn:aws:dynamodb:eu-west-1:111122223333:table/t/stream/2026-11-23T09:00:00.000',
  dynamodb: {
    SequenceNumber: String(n),
    NewImage: marshall({
      itemType: 'ledger-entry',
      entryId: `e${n}`,
      memberId: 'm1',
      type: 'earn',
      points: n,
      balanceAfter: n,
      seq: n,
      at: '2026-11-23T10:00:00.000Z',
    }) as never,
  },
});
const other: DynamoDBRecord = {
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
  dynamodb: { SequenceNumber: '2', NewImage: marshall({ itemType: 'once', pk: 'MEMBER#m1' }) as never },
};

/** What the report store was asked to count, call by call. */
let counted: RecordCounters[][] = [];

/** A bus that takes what it is sent, except the event ids it is told to refuse; counters that fail when told. */
function busRefusing(refused: string[], countersFail = false) {
  const sent: string[] = [];
  counted = [];
  setWiring({
    bus: {
      publish: async (events: readonly DomainEvent[]) => {
        if (events.some((e) => refused.includes(e.id))) throw new Error('EventBridge: ThrottlingException');
        sent.push(...events.map((e) => e.id));
      },
    },
    club: {
      reports: {
        count: async (records: readonly RecordCounters[]) => {
          counted.push([...records]);
          if (countersFail) throw new Error('DynamoDB: ProvisionedThroughputExceededException');
          return { counted: records.length, already: 0 };
        },
      },
    },
  } as unknown as Wiring);
  return sent;
}

afterEach(() => setWiring(undefined));

describe('the stream processor', () => {
  it('publishes each record’s events in order, skipping items that tell nothing', async () => {
    const sent = busRefusing([]);
    expect(await processStreamRecords({ Records: [entry(1), other, entry(3)] })).toEqual({ batchItemFailures: [] });
    expect(sent).toEqual(['ledger:e1', 'ledger:e3']);
  });

  it('reports the first record the bus refused, and stops there, so the retry starts from it and nothing after it is lost', async () => {
    const sent = busRefusing(['ledger:e3']);
    expect(await processStreamRecords({ Records: [entry(1), entry(3), entry(4)] })).toEqual({
      batchItemFailures: [{ itemIdentifier: '3' }],
    });
    expect(sent).toEqual(['ledger:e1']);
  });

  it("counts the whole batch's report counters first, each record named by its stream and event id", async () => {
    busRefusing([]);
    await processStreamRecords({ Records: [entry(1), other, entry(3)] });
    expect(counted).toHaveLength(1);
    expect(counted[0]!.map((r) => r.recordId)).toEqual(['2026-11-23T09:00:00.000#ev1', '#', '2026-11-23T09:00:00.000#ev3']);
    // An earn without an amount is a release of pending points: it leaves the pending count.
    expect(counted[0]![0]!.deltas).toEqual([{ day: '2026-11-23', adds: { earn: 1, pending: -1 } }]);
    expect(counted[0]![1]!.deltas).toEqual([]);
  });

  it('retries the whole batch, publishing nothing, when its counters cannot be added', async () => {
    const sent = busRefusing([], true);
    expect(await processStreamRecords({ Records: [entry(1), entry(3)] })).toEqual({ batchItemFailures: [{ itemIdentifier: '1' }] });
    expect(sent).toEqual([]);
  });
});
