/**
 * What DynamoDB Local itself costs per item written, by request shape and where
 * its data is (issue #19): PutItem, BatchWriteItem of 25 and TransactWriteItems
 * of n, each at a few concurrencies, into the club's own table (its indexes
 * included), in memory, with -dbPath on the disk, and with -dbPath on tmpfs.
 *
 *   npx tsx scripts/dynamodb-local-writes.ts [items per case, default 600] [store ...]
 *
 * store: memory | disk | tmpfs (default all three). JAVA_OPTS adds JVM flags.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteItemCommand, PutItemCommand, TransactWriteItemsCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { ensureTable, localClient, startDynamoDBLocal } from '../local/dynamodb-local';

type Store = 'memory' | 'disk' | 'tmpfs';
const TABLE = 'writes';
const items = Number(process.argv[2] ?? 600);
const stores = (process.argv.slice(3).length > 0 ? process.argv.slice(3) : ['memory', 'disk', 'tmpfs']) as Store[];

let seq = 0;
// About 300 bytes, with one index key pair as a member item has (the name index).
const item = (): Record<string, AttributeValue> => {
  const id = `${process.pid}-${seq++}`;
  return {
    pk: { S: `M#${id}` },
    sk: { S: 'M' },
    gsi1pk: { S: `N#${id.slice(-2)}` },
    gsi1sk: { S: id },
    body: { S: 'x'.repeat(240) },
  };
};

async function run(concurrency: number, perRequest: number, send: (n: number) => Promise<unknown>) {
  const requests = Math.ceil(items / perRequest);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) await send(perRequest);
    }),
  );
  return Math.round((requests * perRequest) / ((performance.now() - started) / 1000));
}

async function measure(store: Store) {
  const base = mkdtempSync(join(store === 'tmpfs' ? '/dev/shm' : tmpdir(), 'ddbl-writes-'));
  const javaOptions = (process.env.JAVA_OPTS ?? '').split(' ').filter(Boolean);
  const ddb = await startDynamoDBLocal({ ...(store !== 'memory' && { dbPath: base, accessKeyId: 'bench' }), javaOptions });
  const db = localClient(ddb.endpoint, ddb.credentials);
  try {
    await ensureTable(db, TABLE);
    const put = () => db.send(new PutItemCommand({ TableName: TABLE, Item: item() }));
    const batch = (n: number) =>
      db.send(
        new BatchWriteItemCommand({ RequestItems: { [TABLE]: Array.from({ length: n }, () => ({ PutRequest: { Item: item() } })) } }),
      );
    const transact = (n: number) =>
      db.send(
        new TransactWriteItemsCommand({
          TransactItems: Array.from({ length: n }, () => ({
            Put: { TableName: TABLE, Item: item(), ConditionExpression: 'attribute_not_exists(pk)' },
          })),
        }),
      );
    await run(2, 25, transact); // warm the JIT a little
    const rows: Record<string, number | string>[] = [];
    for (const concurrency of [1, 4, 16]) {
      rows.push({
        store,
        concurrency,
        'PutItem items/s': await run(concurrency, 1, put),
        'BatchWrite(25) items/s': await run(concurrency, 25, batch),
        'Transact(7) items/s': await run(concurrency, 7, transact),
        'Transact(50) items/s': await run(concurrency, 50, transact),
      });
    }
    return rows;
  } finally {
    db.destroy();
    await ddb.stop();
    rmSync(base, { recursive: true, force: true });
  }
}

const all: Record<string, number | string>[] = [];
for (const store of stores) all.push(...(await measure(store)));
console.table(all);
