/**
 * What a request cost in DynamoDB capacity. Every call made through the club's
 * client asks for ReturnConsumedCapacity (INDEXES, so table and index
 * maintenance can be told apart) and adds it to the meter of the
 * request it runs in, so handlers, the bench and finance read real figures.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export interface CapacityReading {
  readCapacityUnits: number;
  writeCapacityUnits: number;
  /** The part of the units spent on the table's own items (the rest went to index maintenance). */
  tableReadCapacityUnits: number;
  tableWriteCapacityUnits: number;
  /**
   * The write units AWS would bill (WRU): as reported, except for transactions, which DynamoDB
   * Local reports by its own rule (see awsTransactionWriteUnits). What the bench prices.
   */
  awsWriteUnits: number;
  /**
   * Write units of transactions DynamoDB cancelled (a condition failed, a conflict), by
   * AWS's rule (cancelledTransactionUnits): billed, but their error carries no
   * ConsumedCapacity, so neither writeCapacityUnits nor awsWriteUnits has them.
   */
  cancelledWriteUnits: number;
  calls: number;
}

const current = new AsyncLocalStorage<CapacityReading>();

// No Scan: the club only ever reads by key or through an index.
const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand']);
const METERED = new Set([
  ...READS,
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
]);

/**
 * Runs fn with a fresh meter and returns both its result and the reading. A
 * meter inside another one adds its reading to the outer one as well (the
 * local queue measures the consumer, which meters its own invocation); run
 * work that is not part of the outer request through outsideMeter().
 */
export async function metered<T>(fn: () => Promise<T>): Promise<{ result: T; capacity: CapacityReading }> {
  const capacity: CapacityReading = {
    readCapacityUnits: 0,
    writeCapacityUnits: 0,
    tableReadCapacityUnits: 0,
    tableWriteCapacityUnits: 0,
    awsWriteUnits: 0,
    cancelledWriteUnits: 0,
    calls: 0,
  };
  const outer = current.getStore();
  try {
    const result = await current.run(capacity, fn);
    return { result, capacity };
  } finally {
    if (outer) for (const k of Object.keys(capacity) as (keyof CapacityReading)[]) outer[k] += capacity[k];
  }
}

/** Runs fn outside the caller's meter (a separate invocation the local runtime happens to run inline). */
export function outsideMeter<T>(fn: () => T): T {
  return current.exit(fn);
}

export function currentCapacity(): CapacityReading | undefined {
  return current.getStore();
}

type Consumed = { CapacityUnits?: number; Table?: { CapacityUnits?: number } } | undefined;

/**
 * DynamoDB Local reports a transaction's units by its own rule (measured: one
 * small Put reports 4, two report 4, four report 8, an index entry 4, a changed
 * index key 8), not AWS's. Its index units come at 4 per index write.
 */
export const LOCAL_TRANSACTION_INDEX_FACTOR = 4;

type TransactItem = { Put?: { Item?: unknown }; Update?: unknown; Delete?: unknown; ConditionCheck?: unknown };

/**
 * The table part of a TransactWriteItems by AWS's rule: 2 WRU per item per KB
 * (prepare + commit). A Put is sized from its item; an Update, Delete or
 * ConditionCheck is taken as one item of at most 1 KB (its stored size is not
 * in the request). docs/costs.md.
 */
export function awsTransactionTableUnits(input: { TransactItems?: readonly TransactItem[] }): number {
  return (input.TransactItems ?? []).reduce((sum, item) => {
    const kb = item.Put?.Item !== undefined ? Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(item.Put.Item)) / 1024)) : 1;
    return sum + 2 * kb;
  }, 0);
}

/**
 * What a cancelled TransactWriteItems is billed: DynamoDB charges write capacity for a
 * write whose condition failed (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html,
 * "Conditional writes"), and a transaction's writes are 2 WRU per item per KB, prepare and
 * commit (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html,
 * "Capacity management for transactions"); the cancellation's response carries no
 * ConsumedCapacity (measured against DynamoDB:
 * https://github.com/paritysuite/dynamodb-conformance/pull/67). So each item at the table
 * units a committed transaction would cost (an upper bound: AWS publishes no lower figure
 * for a cancelled one), and no index units: a cancelled transaction writes no index entry.
 */
const cancelledTransactionUnits = awsTransactionTableUnits;

export function addCapacityMeter(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      // Document client commands run as their low-level command, so one name list covers both.
      const name = (context as { commandName?: string }).commandName ?? '';
      const meteredCall = METERED.has(name);
      if (meteredCall) (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity ??= 'INDEXES';
      const record = (consumed: Consumed | Consumed[] | undefined) => {
        const reading = current.getStore();
        if (!reading || !meteredCall) return;
        const list = [consumed ?? []].flat();
        const units = list.reduce((s, c) => s + (c?.CapacityUnits ?? 0), 0);
        const table = list.reduce((s, c) => s + (c?.Table?.CapacityUnits ?? c?.CapacityUnits ?? 0), 0);
        reading.calls += 1;
        if (READS.has(name)) {
          reading.readCapacityUnits += units;
          reading.tableReadCapacityUnits += table;
        } else {
          reading.writeCapacityUnits += units;
          reading.tableWriteCapacityUnits += table;
          reading.awsWriteUnits +=
            name === 'TransactWriteItemsCommand' && consumed
              ? awsTransactionTableUnits(args.input as { TransactItems?: TransactItem[] }) +
                (units - table) / LOCAL_TRANSACTION_INDEX_FACTOR
              : units;
        }
      };
      try {
        const out = await next(args);
        record((out.output as { ConsumedCapacity?: Consumed | Consumed[] }).ConsumedCapacity);
        return out;
      } catch (err) {
        // A cancelled transaction still consumed capacity, which its error doesn't say: count the call, and price it by AWS's rule.
        record(undefined);
        const reading = current.getStore();
        if (reading && name === 'TransactWriteItemsCommand' && (err as { name?: string }).name === 'TransactionCanceledException')
          reading.cancelledWriteUnits += cancelledTransactionUnits(args.input as { TransactItems?: TransactItem[] });
        throw err;
      }
    },
    { step: 'initialize', name: 'loyaltyCapacityMeter', override: true },
  );
}
