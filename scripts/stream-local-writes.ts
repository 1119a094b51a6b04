/**
 * Why each integration test file has a database of its own (test/support/global-setup.ts):
 * DynamoDB Local slows every write to a stream-enabled table by the stream records of the
 * tables made before it in the same database (one per access key id without -sharedDb;
 * with another key, in the same JVM, a table is as fast as the first). The first stream table keeps its pace however
 * many records it holds; each later one is slower than the one before. A table without a
 * stream is not affected. `npm start` has one table, so one stream: it is not affected either.
 *
 *   npx tsx scripts/stream-local-writes.ts [transactions per case, default 1500]
 *
 * 2026-12-07, 2 cores, in memory, 8 at a time: the first stream table 240–324 transactions/s
 * (before and after 1,500 transactions of its own), the second 94, the third 67, the first
 * again 323; a table without a stream 377.
 */
import { CreateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { localClient, QUICK_START_JAVA_OPTIONS, startDynamoDBLocal } from '../local/dynamodb-local';
import { createTableInput } from '../shared/store/table-definition';

const count = Number(process.argv[2] ?? 1500);
const store = await startDynamoDBLocal({ javaOptions: QUICK_START_JAVA_OPTIONS });
const raw = localClient(store.endpoint, store.credentials);
const db = DynamoDBDocumentClient.from(raw);

async function table(name: string, stream: boolean): Promise<string> {
  const input: CreateTableCommandInput = createTableInput(name);
  if (!stream) delete input.StreamSpecification;
  await raw.send(new CreateTableCommand(input));
  return name;
}

/** Transactions a second: a ledger-like Put and a member-like Update, 8 at a time over 50 keys. */
async function writes(name: string): Promise<string> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const k = next++;
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: name, Item: { pk: `M#${k % 50}`, sk: `L#${k}-${Math.random()}`, note: 'x'.repeat(300) } } },
              {
                Update: {
                  TableName: name,
                  Key: { pk: `M#${k % 50}`, sk: 'M' },
                  UpdateExpression: 'ADD balance :p',
                  ExpressionAttributeValues: { ':p': 1 },
                },
              },
            ],
          }),
        );
      }
    }),
  );
  return `${Math.round(count / ((performance.now() - started) / 1000))} transactions/s`;
}

try {
  const first = await table('first', true);
  console.log('first stream table         ', await writes(first));
  console.log('first, with its own records', await writes(first));
  const second = await table('second', true);
  const third = await table('third', true);
  console.log('second stream table        ', await writes(second));
  console.log('third stream table         ', await writes(third));
  console.log('first again                ', await writes(first));
  console.log('a table without a stream   ', await writes(await table('plain', false)));
} finally {
  db.destroy();
  await store.stop();
}
