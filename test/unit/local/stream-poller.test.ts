/**
 * The local event source mapping against a counting stand-in for DynamoDB Local's
 * stream: what an idle club costs the store it shares with every other club (the
 * tests run several files on one DynamoDB Local), and that what it saves (the
 * stream's ARN, its shards, the iterators) never costs a record: read once each,
 * in order, a refused one again.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamPoller, type StreamPollerOptions } from '../../../local/stream-poller';
import { FakeDynamoDBStreams } from '../../support/fake-dynamodb-streams';

let fake: FakeDynamoDBStreams;
let poller: StreamPoller | undefined;
/** The keys of each batch handed to the handler, in order. */
let batches: string[][];
/** Keys the handler refuses the first time it sees them. */
let refuseOnce: Set<string>;

beforeEach(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
  fake = new FakeDynamoDBStreams();
  batches = [];
  refuseOnce = new Set();
});

afterEach(async () => {
  await poller?.stop();
  poller = undefined;
  await fake.stop();
  vi.unstubAllEnvs();
});

async function startPoller(options: Partial<StreamPollerOptions> = {}): Promise<StreamPoller> {
  const endpoint = await fake.start();
  poller = new StreamPoller({
    endpoint,
    tableName: 'club',
    checkpointFile: join(await mkdtemp(join(tmpdir(), 'loyalty-poller-')), 'checkpoint.json'),
    handle: async (event: DynamoDBStreamEvent) => {
      const keys = event.Records.map((r) => r.dynamodb!.Keys!.pk!.S!);
      batches.push(keys);
      const refused = event.Records.find((r) => refuseOnce.delete(r.dynamodb!.Keys!.pk!.S!));
      return { batchItemFailures: refused ? [{ itemIdentifier: refused.dynamodb!.SequenceNumber! }] : [] };
    },
    log: () => {},
    ...options,
  });
  await poller.start();
  return poller;
}

describe('the local stream poller', () => {
  it('polls an idle stream with one GetRecords a round on the iterator it kept, less often the longer nothing comes', async () => {
    const p = await startPoller({ idleMs: 10, maxIdleMs: 160 });
    await p.drained();
    const before = { ...fake.calls };
    // A window of idleness is what is measured here: waits of 10, 20, 40, 80, then 160 ms fit
    // about 10 rounds in 1.2 s (fewer on a loaded machine); a round every 10 ms would be 120.
    await new Promise((r) => setTimeout(r, 1_200));
    const rounds = (fake.calls.GetRecords ?? 0) - (before.GetRecords ?? 0);
    expect(rounds).toBeGreaterThan(0);
    expect(rounds).toBeLessThanOrEqual(15);
    // The table, the stream and the shard were asked about once, before the first record.
    expect(fake.calls.DescribeTable).toBe(1);
    expect(fake.calls.DescribeStream).toBe(1);
    expect(fake.calls.GetShardIterator).toBe(1);
  });

  it("hands a change to the handler as soon as drained() is asked, whatever the poller's pause", async () => {
    const p = await startPoller({ idleMs: 30_000, maxIdleMs: 30_000 });
    await p.drained();
    fake.append('a');
    const started = performance.now();
    await p.drained();
    expect(batches).toEqual([['a']]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('reads on after an expired iterator from the last record handled: each record once, in order', async () => {
    const p = await startPoller({ idleMs: 10 });
    fake.append('a');
    await p.drained();
    fake.expireIterators();
    fake.append('b');
    fake.append('c');
    await p.drained();
    expect(batches.flat()).toEqual(['a', 'b', 'c']);
    expect(fake.calls.GetShardIterator).toBe(2);
  });

  it('reads a refused record again, with the ones after it, from the last record handled', async () => {
    const p = await startPoller({ idleMs: 10 });
    refuseOnce.add('b');
    for (const key of ['a', 'b', 'c']) fake.append(key);
    await p.drained();
    expect(batches).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c'],
    ]);
  });

  it("reads a closed shard's child before drained() answers, without waiting for the shard list to be asked again", async () => {
    const p = await startPoller({ idleMs: 10, shardListMs: 60_000 });
    fake.append('a');
    await p.drained();
    fake.rollShard();
    fake.append('b');
    await p.drained();
    expect(batches.flat()).toEqual(['a', 'b']);
  });

  it("passes over the records the mapping's filter drops, and past them: a restart does not read them again", async () => {
    const accepts = (r: { dynamodb?: { Keys?: Record<string, { S?: string }> } }) => !r.dynamodb?.Keys?.pk?.S?.startsWith('skip');
    const p = await startPoller({ idleMs: 10, accepts });
    for (const key of ['a', 'skip-1', 'b', 'skip-2']) fake.append(key);
    await p.drained();
    expect(batches).toEqual([['a', 'b']]);
    const saved = () => Object.values((p as unknown as { checkpoint: { after: Record<string, string> } }).checkpoint.after);
    // Checkpointed at the last record read, a dropped one.
    expect(saved()).toEqual([String(4).padStart(21, '0')]);
    // A batch of dropped records alone: nothing handed over, the checkpoint moves past it.
    fake.append('skip-3');
    await p.drained();
    expect(batches).toEqual([['a', 'b']]);
    expect(saved()).toEqual([String(5).padStart(21, '0')]);
  });
});
