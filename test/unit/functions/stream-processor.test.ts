import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { processStreamRecords } from '../../../functions/stream-processor';
import type { DomainEvent } from '../../../shared/events/events';
import { setWiring, type Wiring } from '../../../shared/wiring';

const entry = (n: number): DynamoDBRecord => ({
  eventName: 'INSERT',
  eventSource: 'aws:dynamodb',
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

/** A bus that takes what it is sent, except the event ids it is told to refuse. */
function busRefusing(refused: string[]) {
  const sent: string[] = [];
  setWiring({
    bus: {
      publish: async (events: readonly DomainEvent[]) => {
        if (events.some((e) => refused.includes(e.id))) throw new Error('EventBridge: ThrottlingException');
        sent.push(...events.map((e) => e.id));
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
});
