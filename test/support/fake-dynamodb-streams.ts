/**
 * DynamoDB and DynamoDB Streams as the stream poller sees them (DescribeTable,
 * DescribeStream, GetShardIterator, GetRecords over the JSON 1.0 protocol), in
 * process, counting every call, so a test can say what polling costs the store.
 * Iterators behave as the service documents: each names a position in a shard,
 * GetRecords answers the next one (none once a closed shard is read to its end),
 * and an iterator can be expired (ExpiredIteratorException, as after 15 minutes).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_streams_GetRecords.html
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface FakeShard {
  readonly id: string;
  readonly parent?: string;
  readonly records: { sequenceNumber: string; key: string }[];
  closed: boolean;
}

interface Iterator {
  readonly shard: string;
  readonly position: number;
  readonly generation: number;
}

export class FakeDynamoDBStreams {
  /** Calls by action name (DescribeTable, GetRecords, ...). */
  readonly calls: Record<string, number> = {};
  readonly streamArn = 'arn:aws:dynamodb:us-east-1:000000000000:table/club/stream/2026-01-01T00:00:00.000';
  private readonly shards: FakeShard[] = [];
  private sequence = 0;
  private generation = 0;
  private server: Server | undefined;

  constructor() {
    this.openShard();
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        const action = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
        this.calls[action] = (this.calls[action] ?? 0) + 1;
        const [status, answer] = this.answer(action, body ? JSON.parse(body) : {});
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Appends a committed item's change to the open shard; answers its sequence number. */
  append(key: string): string {
    const sequenceNumber = String(++this.sequence).padStart(21, '0');
    this.shards.at(-1)!.records.push({ sequenceNumber, key });
    return sequenceNumber;
  }

  /** Closes the open shard and opens its child, as the service does every few hours. */
  rollShard(): void {
    this.shards.at(-1)!.closed = true;
    this.openShard(this.shards.at(-1)!.id);
  }

  /** Every iterator handed out so far expires. */
  expireIterators(): void {
    this.generation++;
  }

  private openShard(parent?: string): void {
    this.shards.push({ id: `shardId-${String(this.shards.length).padStart(8, '0')}`, parent, records: [], closed: false });
  }

  private answer(action: string, input: Record<string, any>): [number, unknown] {
    switch (action) {
      case 'DescribeTable':
        return [200, { Table: { TableName: input.TableName, TableStatus: 'ACTIVE', LatestStreamArn: this.streamArn } }];
      case 'DescribeStream':
        return [
          200,
          {
            StreamDescription: {
              StreamArn: this.streamArn,
              StreamStatus: 'ENABLED',
              Shards: this.shards.map((s) => ({ ShardId: s.id, ...(s.parent && { ParentShardId: s.parent }) })),
            },
          },
        ];
      case 'GetShardIterator': {
        const shard = this.shards.find((s) => s.id === input.ShardId)!;
        const position =
          input.ShardIteratorType === 'AFTER_SEQUENCE_NUMBER'
            ? shard.records.findIndex((r) => r.sequenceNumber === input.SequenceNumber) + 1
            : 0;
        return [200, { ShardIterator: this.iterator({ shard: shard.id, position, generation: this.generation }) }];
      }
      case 'GetRecords': {
        const it = JSON.parse(Buffer.from(input.ShardIterator, 'base64url').toString('utf8')) as Iterator;
        if (it.generation !== this.generation)
          return [400, { __type: 'com.amazonaws.dynamodb.v20120810#ExpiredIteratorException', message: 'Iterator expired' }];
        const shard = this.shards.find((s) => s.id === it.shard)!;
        const records = shard.records.slice(it.position, it.position + (input.Limit ?? 1000));
        const position = it.position + records.length;
        const ended = shard.closed && position >= shard.records.length;
        return [
          200,
          {
            Records: records.map((r) => ({
              eventID: r.sequenceNumber,
              eventName: 'INSERT',
              dynamodb: { SequenceNumber: r.sequenceNumber, Keys: { pk: { S: r.key } }, NewImage: { pk: { S: r.key } } },
            })),
            ...(!ended && { NextShardIterator: this.iterator({ ...it, position }) }),
          },
        ];
      }
      default:
        return [400, { __type: 'com.amazon.coral.service#UnknownOperationException', message: action }];
    }
  }

  private iterator(it: Iterator): string {
    return Buffer.from(JSON.stringify(it), 'utf8').toString('base64url');
  }
}
