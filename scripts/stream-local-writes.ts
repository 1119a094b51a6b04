// Why the suite doubles with streams on: DynamoDB Local's write rate to a stream-enabled table falls with every stream record it holds, in any table, deleted or not.
// npx tsx scripts/stream-local-writes.ts 2000  (2026-12-07, 2 cores: 232 → 95 → 61 → 45 tx/s after 0, 4k, 8k, 12k records; a table without a stream 435)
import { CreateTableCommand, DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { QUICK_START_JAVA_OPTIONS, startDynamoDBLocal } from '../local/dynamodb-local';
import { createTableInput } from '../shared/store/table-definition';

const store = await startDynamoDBLocal({ javaOptions: QUICK_START_JAVA_OPTIONS });
const cfg = { endpoint: store.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const db = new DynamoDBClient(cfg);
const doc = DynamoDBDocumentClient.from(db);
const streams = new DynamoDBStreamsClient(cfg);

async function table(name: string, stream: boolean) {
  const input: any = createTableInput(name);
  if (!stream) delete input.StreamSpecification;
  await db.send(new CreateTableCommand(input));
}
async function writes(name: string, n: number, conc = 8) {
  const t0 = performance.now();
  let i = 0;
  await Promise.all(Array.from({ length: conc }, async () => {
    while (i < n) {
      const k = i++;
      await doc.send(new TransactWriteCommand({ TransactItems: [
        { Put: { TableName: name, Item: { pk: `MEMBER#${k % 50}`, sk: `LEDGER#${k}`, points: k, note: 'x'.repeat(300) } } },
        { Update: { TableName: name, Key: { pk: `MEMBER#${k % 50}`, sk: 'MEMBER' }, UpdateExpression: 'ADD balance :p', ExpressionAttributeValues: { ':p': 1 } } },
      ] }));
    }
  }));
  return n / ((performance.now() - t0) / 1000);
}
let polling = true;
async function poll(name: string) {
  const arn = (await db.send(new DescribeTableCommand({ TableName: name }))).Table!.LatestStreamArn!;
  let reads = 0;
  const shards = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards!;
  const its = new Map<string, string | undefined>();
  for (const s of shards) its.set(s.ShardId!, (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: s.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator);
  while (polling) {
    for (const [id, it] of its) {
      if (!it) continue;
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: it, Limit: 100 }));
      reads += out.Records?.length ?? 0;
      its.set(id, out.NextShardIterator);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return reads;
}
const N = Number(process.argv[2] ?? 2000);
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
await table('warm', false); await writes('warm', 500);
await table('st0', true); console.log('stream fresh            ', (await writes('st0', N)).toFixed(0));
await table('st1', true); console.log('stream, 1 old table     ', (await writes('st1', N)).toFixed(0));
await table('st2', true); console.log('stream, 2 old tables    ', (await writes('st2', N)).toFixed(0));
console.log('s2 again (same table)   ', (await writes('st2', N)).toFixed(0));
for (const t of ['st0','st1','st2']) await db.send(new DeleteTableCommand({ TableName: t }));
await table('st3', true); console.log('stream, old ones deleted', (await writes('st3', N)).toFixed(0));
await table('pl3', false); console.log('no stream now           ', (await writes('pl3', N)).toFixed(0));
await store.stop();
process.exit(0);
