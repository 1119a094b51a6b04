/**
 * The event source mapping on one machine: polls DynamoDB Local's stream of the
 * club's table and hands each batch to the same handler Lambda runs
 * (functions/stream-processor.ts). Parent shards are read before their
 * children; the last sequence number handled per shard is kept in a file, so a
 * restart resumes where it left off and a change committed while nothing polled
 * is still published. At least once: a batch handled and not yet checkpointed
 * when the process dies is handled again, under the same event ids.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { LOCAL_REGION } from './dynamodb-local';

interface Checkpoint {
  /** The last sequence number handled, per shard. */
  readonly after: Record<string, string>;
  /** Shards read to their end (closed): never read again. */
  readonly done: string[];
}

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly tableName: string;
  readonly checkpointFile: string;
  readonly handle: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;
  /** The event source mapping's filter: only records it accepts reach the handler. @default every record */
  readonly accepts?: (record: DynamoDBRecord) => boolean;
  readonly log: (line: string) => void;
  /** @default 100 */
  readonly batchSize?: number;
  /** Pause after the first round that found nothing; doubled each idle round after it. @default 100 */
  readonly idleMs?: number;
  /** The longest pause while idle: a change waits at most this long, unless drained() is asked. @default 1000 */
  readonly maxIdleMs?: number;
  /** How often the shard list is asked for again while no shard ends (one that ends is followed at once). @default 5000 */
  readonly shardListMs?: number;
}

/**
 * What one club's poller costs the DynamoDB Local (the tests' one JVM serves every file): asked every
 * round, DescribeTable (which counts the table's items), DescribeStream and a fresh
 * iterator per shard cost the store several times what the round's GetRecords does,
 * for each club, all the time. So the stream's ARN is asked once, the shards when one
 * ends or every few seconds, each shard's iterator is kept from one GetRecords to the
 * next (a new one from the checkpoint only when it expires or a record was refused),
 * and an idle poller pauses longer and longer, up to maxIdleMs, until drained() wakes it.
 */
export class StreamPoller {
  private readonly db: DynamoDBClient;
  private readonly streams: DynamoDBStreamsClient;
  private checkpoint: Checkpoint = { after: {}, done: [] };
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private round = 0;
  private waiters: { afterRound: number; resolve: () => void }[] = [];
  private wake: () => void = () => {};
  private streamArn: string | undefined;
  private shards: Shard[] = [];
  private shardsListedAt = 0;
  /** Where each shard's next GetRecords starts: the iterator the last one answered. */
  private readonly iterators = new Map<string, string>();

  constructor(private readonly options: StreamPollerOptions) {
    // Credentials from the environment the club set: DynamoDB Local keys its data by them.
    this.db = new DynamoDBClient({ endpoint: options.endpoint, region: LOCAL_REGION });
    this.streams = new DynamoDBStreamsClient({ endpoint: options.endpoint, region: LOCAL_REGION });
  }

  async start(): Promise<void> {
    try {
      this.checkpoint = JSON.parse(await readFile(this.options.checkpointFile, 'utf8')) as Checkpoint;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    this.db.destroy();
    this.streams.destroy();
  }

  /** Resolves once a whole round that began after this call found nothing left to publish. */
  drained(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ afterRound: this.round, resolve });
      this.wake();
    });
  }

  private async run(): Promise<void> {
    const idleMs = this.options.idleMs ?? 100;
    const maxIdleMs = Math.max(idleMs, this.options.maxIdleMs ?? 1_000);
    let pause = idleMs;
    while (this.running) {
      const started = ++this.round;
      let handled = 0;
      try {
        handled = await this.pollOnce();
      } catch (err) {
        handled = -1;
        // Whatever was saved may be what failed (a table made again, an iterator the store forgot): ask again.
        this.forget();
        this.options.log(`[stream] poll failed, trying again: ${String(err)}`);
      }
      if (handled === 0) {
        const ready = this.waiters.filter((w) => w.afterRound < started);
        this.waiters = this.waiters.filter((w) => w.afterRound >= started);
        for (const w of ready) w.resolve();
      }
      if (handled > 0) pause = idleMs;
      // A refused record waits a moment before it is tried again, drained or not.
      if (handled < 0 || (handled === 0 && this.waiters.length === 0)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pause);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        pause = Math.min(pause * 2, maxIdleMs);
      }
    }
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private forget(): void {
    this.streamArn = undefined;
    this.shards = [];
    this.shardsListedAt = 0;
    this.iterators.clear();
  }

  /** One pass over every shard: the number of records handled, or -1 if the handler refused one. */
  private async pollOnce(): Promise<number> {
    if (!this.streamArn) {
      const table = await this.db.send(new DescribeTableCommand({ TableName: this.options.tableName }));
      this.streamArn = table.Table?.LatestStreamArn;
      if (!this.streamArn) return 0;
    }
    if (Date.now() - this.shardsListedAt >= (this.options.shardListMs ?? 5_000)) await this.listShards(this.streamArn);
    let handled = 0;
    // A shard read to its end has children the list may not show yet: list again and read them in this round.
    for (let ended = true; ended; ) {
      ended = false;
      const known = new Set(this.shards.map((s) => s.ShardId));
      for (const shard of this.shards) {
        const id = shard.ShardId!;
        if (this.checkpoint.done.includes(id)) continue;
        // A child waits until its parent is read to its end: a key's changes stay in order.
        if (shard.ParentShardId && known.has(shard.ParentShardId) && !this.checkpoint.done.includes(shard.ParentShardId)) continue;
        const n = await this.readShard(this.streamArn, id);
        if (n < 0) return -1;
        handled += n;
        ended ||= this.checkpoint.done.includes(id);
      }
      if (ended) await this.listShards(this.streamArn);
    }
    return handled;
  }

  private async listShards(streamArn: string): Promise<void> {
    const shards: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }));
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    this.shards = shards;
    this.shardsListedAt = Date.now();
  }

  /** An iterator at the checkpoint: just after the last record handled, else the shard's oldest. */
  private async iteratorAt(streamArn: string, shardId: string): Promise<string | undefined> {
    const after = this.checkpoint.after[shardId];
    const out = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
        ...(after && { SequenceNumber: after }),
      }),
    );
    return out.ShardIterator;
  }

  private async getRecords(streamArn: string, shardId: string, iterator: string) {
    try {
      return await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: this.options.batchSize ?? 100 }));
    } catch (err) {
      // Iterators expire (15 minutes on AWS): a new one from the checkpoint reads on from the same record.
      if ((err as { name?: string }).name !== 'ExpiredIteratorException') throw err;
      const fresh = await this.iteratorAt(streamArn, shardId);
      if (!fresh) throw err;
      return this.streams.send(new GetRecordsCommand({ ShardIterator: fresh, Limit: this.options.batchSize ?? 100 }));
    }
  }

  private async readShard(streamArn: string, shardId: string): Promise<number> {
    let iterator = this.iterators.get(shardId) ?? (await this.iteratorAt(streamArn, shardId));
    this.iterators.delete(shardId);
    let handled = 0;
    while (iterator && this.running) {
      const out = await this.getRecords(streamArn, shardId, iterator);
      const all = (out.Records ?? []) as unknown as DynamoDBRecord[];
      // As the event source mapping's filter: records it drops are passed over, and checkpointed.
      const records = this.options.accepts ? all.filter(this.options.accepts) : all;
      if (records.length === 0 && all.length > 0)
        await this.save({
          ...this.checkpoint,
          after: { ...this.checkpoint.after, [shardId]: all[all.length - 1]!.dynamodb!.SequenceNumber! },
        });
      if (records.length > 0) {
        const result = await this.options.handle({
          // As Lambda hands them over: the stream's ARN on each record.
          Records: records.map((r) => ({ ...r, eventSource: 'aws:dynamodb', eventSourceARN: streamArn })),
        });
        const failed = result.batchItemFailures[0]?.itemIdentifier;
        // As the event source mapping does: the records before the failed one count as handled.
        const upTo = failed === undefined ? records.length : records.findIndex((r) => r.dynamodb?.SequenceNumber === failed);
        // All handled: past the filtered-out records after the last one too.
        const last = failed === undefined ? all[all.length - 1] : records[upTo - 1];
        if (last)
          await this.save({
            ...this.checkpoint,
            after: { ...this.checkpoint.after, [shardId]: last.dynamodb!.SequenceNumber! },
          });
        handled += Math.max(upTo, 0);
        if (failed !== undefined) {
          // No iterator kept: the next round asks for one just after the last record handled.
          this.options.log(`[stream] record ${failed} not published; tried again on the next round`);
          return -1;
        }
      }
      iterator = out.NextShardIterator;
      if (!iterator) await this.save({ ...this.checkpoint, done: [...this.checkpoint.done, shardId] });
      else if (records.length === 0) {
        // Read to the present: the next round starts where this one stopped.
        this.iterators.set(shardId, iterator);
        break;
      }
    }
    return handled;
  }

  private async save(next: Checkpoint): Promise<void> {
    this.checkpoint = next;
    // Written whole, then renamed: a crash leaves the old checkpoint or the new one, never half of one.
    const tmp = `${this.options.checkpointFile}.${randomUUID()}.tmp`;
    await writeFile(tmp, JSON.stringify(next), { mode: 0o600 });
    await rename(tmp, this.options.checkpointFile);
  }
}
