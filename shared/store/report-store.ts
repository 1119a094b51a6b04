/**
 * The report counters in the table: what the stream processor adds for each
 * committed item, exactly once, and the reads a report sums. Queries on the
 * shards' own partitions only — never a Scan.
 */
import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DayCounters } from '../domain/report-figures';
import type { CounterDelta } from '../domain/report-counters';
import { stableShard } from '../domain/shard';
import { AGAIN, AGAIN_NOW, withRetries, type RetryPolicy } from '../retry';
import { TRANSACTION_ITEMS } from './client';
import { counterDaySk, counterKey, counterPk, countedKey, dayOfCounterSk } from './keys';
import { TTL_ATTRIBUTE } from './table-definition';
import { cancellationReasons, failedCheck } from './write-errors';

/** How many shards a day's counters spread over unless configured (LOYALTY_COUNTER_SHARDS). */
export const DEFAULT_COUNTER_SHARDS = 8;

const NOT_COUNTERS = new Set(['pk', 'sk', 'itemType', 'day']);

/** A stream record's counters, named by the record (its stream and event id), so a redelivery is known. */
export interface RecordCounters {
  readonly recordId: string;
  readonly deltas: readonly CounterDelta[];
}

/** Stream records are redelivered within the stream's 24 hours: markers are kept a week, then removed by TTL. */
const COUNTED_KEEP_SECONDS = 7 * 86_400;
/** Concurrent processors (one per stream shard) meet on a counter item now and then: short tries, each on another shard. */
const COUNTING_RACES: RetryPolicy = { attempts: 12, baseMs: 10, capMs: 500 };

/**
 * The deltas summed per day, one Update each on one counter shard: a transaction
 * names an item once, and ADD of the sum is exactly the ADDs one by one.
 */
function summedCounterUpdates(tableName: string, shard: number, deltas: readonly CounterDelta[]) {
  const sums = new Map<string, Record<string, number>>();
  for (const delta of deltas) {
    const sum = sums.get(delta.day) ?? {};
    for (const [k, n] of Object.entries(delta.adds)) sum[k] = (sum[k] ?? 0) + n;
    sums.set(delta.day, sum);
  }
  return [...sums.entries()].flatMap(([day, adds]) => addsUpdate(tableName, shard, day, adds) ?? []);
}

/** Records into transactions: each record's marker and the days they add to, within DynamoDB's 100 items. */
function chunks(records: readonly RecordCounters[]): RecordCounters[][] {
  const out: RecordCounters[][] = [];
  let chunk: RecordCounters[] = [];
  let days = new Set<string>();
  for (const r of records) {
    const withIt = new Set([...days, ...r.deltas.map((d) => d.day)]);
    if (chunk.length > 0 && chunk.length + 1 + withIt.size > TRANSACTION_ITEMS) {
      out.push(chunk);
      chunk = [];
      days = new Set(r.deltas.map((d) => d.day));
    } else days = withIt;
    chunk.push(r);
  }
  if (chunk.length > 0) out.push(chunk);
  return out;
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
  /**
   * Adds stream records' counters, each record once however often it comes:
   * its marker is put, on the condition that it is new, in the transaction
   * that adds its counters. Answers how many records were counted now and how
   * many had been already. Throws when DynamoDB keeps refusing (throttled, or
   * conflicting past the tries): the stream retries the batch, and the markers
   * keep what committed from counting twice.
   */
  count(records: readonly RecordCounters[]): Promise<{ counted: number; already: number }>;
}

export class DynamoReportStore implements ReportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly shards: number = DEFAULT_COUNTER_SHARDS,
  ) {}

  async count(records: readonly RecordCounters[]): Promise<{ counted: number; already: number }> {
    let counted = 0;
    let already = 0;
    for (const chunk of chunks(records.filter((r) => r.deltas.some((d) => Object.values(d.adds).some((n) => n !== 0))))) {
      let pending = chunk;
      await withRetries(
        COUNTING_RACES,
        async (attempt) => {
          // Any shard will do (a report sums them all): another one on each try, away from the item that conflicted.
          const shard = stableShard(`${pending[0]!.recordId}#${attempt}`, this.shards);
          const expires = Math.floor(Date.now() / 1000) + COUNTED_KEEP_SECONDS;
          try {
            await this.db.send(
              new TransactWriteCommand({
                TransactItems: [
                  ...pending.map((r) => ({
                    Put: {
                      TableName: this.tableName,
                      Item: { ...countedKey(r.recordId), itemType: 'counted', [TTL_ATTRIBUTE]: expires },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  })),
                  ...summedCounterUpdates(
                    this.tableName,
                    shard,
                    pending.flatMap((r) => r.deltas),
                  ),
                ],
              }),
            );
            counted += pending.length;
            return true;
          } catch (err) {
            const reasons = cancellationReasons(err);
            if (!reasons || reasons.some((r) => r?.Code === 'ThrottlingError' || r?.Code === 'ProvisionedThroughputExceeded')) throw err;
            // A marker there already: that record was counted by an earlier delivery; the rest go again at once.
            const done = pending.filter((_, i) => failedCheck(reasons[i]));
            if (done.length > 0) {
              already += done.length;
              pending = pending.filter((_, i) => !failedCheck(reasons[i]));
              return pending.length === 0 ? true : AGAIN_NOW;
            }
            return AGAIN;
          }
        },
        () => new Error(`report counters of ${pending.length} stream record(s) not added: the counter items kept conflicting`),
      );
    }
    return { counted, already };
  }

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
