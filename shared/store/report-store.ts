/**
 * The report counters in the table: the Update every balance change and
 * enrolment adds to its transaction, and the reads a report sums. Queries on
 * the shards' own partitions only — never a Scan.
 */
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DayCounters } from '../domain/report-figures';
import { counterShard, type CounterDelta } from '../domain/report-counters';
import { counterDaySk, counterKey, counterPk, dayOfCounterSk } from './keys';

/** How many shards a day's counters spread over unless configured (LOYALTY_COUNTER_SHARDS). */
export const DEFAULT_COUNTER_SHARDS = 8;

const NOT_COUNTERS = new Set(['pk', 'sk', 'itemType', 'day']);

/** The transaction item that adds a delta to the member's shard of its day; undefined when there is nothing to add. */
export function counterUpdate(tableName: string, shards: number, memberId: string, delta: CounterDelta) {
  return addsUpdate(tableName, counterShard(memberId, shards), delta.day, delta.adds);
}

/**
 * The deltas of many members summed per counter item (shard and day): one
 * Update each, for a transaction that writes them all (an item may appear only
 * once in a transaction). ADD of the sum is exactly the ADDs one by one.
 */
export function summedCounterUpdates(tableName: string, shards: number, deltas: readonly { memberId: string; delta: CounterDelta }[]) {
  const sums = new Map<string, { shard: number; day: string; adds: Record<string, number> }>();
  for (const { memberId, delta } of deltas) {
    const shard = counterShard(memberId, shards);
    const at = `${shard}#${delta.day}`;
    const sum = sums.get(at) ?? { shard, day: delta.day, adds: {} };
    for (const [k, n] of Object.entries(delta.adds)) sum.adds[k] = (sum.adds[k] ?? 0) + n;
    sums.set(at, sum);
  }
  return [...sums.values()].flatMap((s) => addsUpdate(tableName, s.shard, s.day, s.adds) ?? []);
}

function addsUpdate(tableName: string, shard: number, day: string, adds: Record<string, number>) {
  const keys = Object.keys(adds).filter((k) => adds[k] !== 0);
  if (keys.length === 0) return undefined;
  const names: Record<string, string> = { '#t': 'itemType', '#d': 'day' };
  const values: Record<string, unknown> = { ':t': 'counters', ':d': day };
  keys.forEach((k, i) => {
    names[`#c${i}`] = k;
    values[`:c${i}`] = adds[k];
  });
  return {
    Update: {
      TableName: tableName,
      Key: counterKey(shard, day),
      UpdateExpression: `SET #t = :t, #d = :d ADD ${keys.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

export interface ReportStore {
  /** Every day's counters up to `toDay` (inclusive), all shards summed. */
  daysUpTo(toDay: string): Promise<Map<string, DayCounters>>;
}

export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly shards: number = DEFAULT_COUNTER_SHARDS,
  ) {}

  async daysUpTo(toDay: string): Promise<Map<string, DayCounters>> {
    const perShard = await Promise.all(
      Array.from({ length: this.shards }, async (_, shard) => {
        const items: Record<string, unknown>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const out = await this.db.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: 'pk = :pk AND sk <= :to',
              ExpressionAttributeValues: { ':pk': counterPk(shard), ':to': counterDaySk(toDay) },
              ExclusiveStartKey: start,
            }),
          );
          items.push(...(out.Items ?? []));
          start = out.LastEvaluatedKey;
        } while (start);
        return items;
      }),
    );
    const days = new Map<string, Record<string, bigint>>();
    for (const item of perShard.flat()) {
      const day = dayOfCounterSk(String(item.sk));
      const sum = days.get(day) ?? {};
      for (const [k, v] of Object.entries(item)) {
        // DynamoDB keeps 38 digits; the document client hands a counter past 2^53 back as a BigInt. Both sum exactly.
        if (NOT_COUNTERS.has(k) || (typeof v !== 'number' && typeof v !== 'bigint')) continue;
        sum[k] = (sum[k] ?? 0n) + BigInt(v);
      }
      days.set(day, sum);
    }
    return new Map([...days.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
}
